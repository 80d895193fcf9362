"""The model apartments' day through the services (SHW-2, SHW-3, SHW-9): the day's slots and their states, a check
recorded with every point answered, every item counted and a signature; paper entered later; bad input refused."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app import clock
from app.domain.showroom_day import SlotState, Tally
from app.errors import Conflict, PermissionDenied, ValidationError
from app.permissions import Role
from app.services import accounts
from app.services.showroom import checks, items, templates
from app.services.showroom.checks import Answer
from tests.conftest import PIN
from tests.unit.helpers import audit_entries, refused
from tests.unit.showroom.conftest import SIGNED, at

def all_ok(office, kind, problem: str = "") -> list[Answer]:
    points = templates.current(office.uow())[kind].points
    return [Answer(p, "problem", problem) if problem and i == 0 else Answer(p, "ok") for i, p in enumerate(points)]


def counts_of(office, flat, **short) -> dict[int, int]:
    return {i.id: i.quantity - short.get(i.name, 0) for i in items.item_list(office.uow(), apartment_id=flat.id)}


def slot(office, flat, key, now):
    [day] = [d for d in checks.day_view(office.supervisor, office.uow(), day=clock.today(), now=now)
             if d.apartment.id == flat.id]
    return next(s for s in day.slots if s.key == key)


def test_the_day_of_an_apartment_is_6_checks_and_14_patrol_rounds_each_with_its_state_SHW2_SHW3_SHW9(office, flat):
    [day] = checks.day_view(office.supervisor, office.uow(), day=clock.today(), now=at(10))
    assert [s.key for s in day.slots][:6] == ["opening-1", "inspection-1", "inspection-2", "inspection-3",
                                              "inspection-4", "closing-1"]
    assert len(day.slots) == 20
    assert [s.state for s in day.slots[:2]] == [SlotState.OVERDUE, SlotState.UPCOMING]  # 10:00: the count is late


def test_an_opening_count_done_on_time_by_the_docent_is_done_with_her_name_SHW2(office, flat, docent):
    clock.freeze(at(9, 5))
    done = checks.record(docent, office.uow(), apartment_id=flat.id, day=clock.today(), slot="opening-1",
                         answers=all_ok(office, "opening"), counts=counts_of(office, flat), strokes=SIGNED)
    assert (done.state, done.problems, done.short) == (SlotState.DONE, 0, {})
    view = slot(office, flat, "opening-1", at(12))
    assert (view.state, view.done_by, view.done_at) == (SlotState.DONE, "李讲解", at(9, 5))
    [entry] = audit_entries(office, "showroom.check")
    assert entry.actor_id == docent.id


def test_a_count_short_of_the_list_and_a_problem_are_kept_for_the_incident_SHW2_SHW4(office, flat, docent):
    clock.freeze(at(18, 10))
    done = checks.record(docent, office.uow(), apartment_id=flat.id, day=clock.today(), slot="closing-1",
                         answers=all_ok(office, "closing", problem="少了一个抱枕"),
                         counts=counts_of(office, flat, 抱枕=1), strokes=SIGNED)
    pillow = next(i.id for i in items.item_list(office.uow(), apartment_id=flat.id) if i.name == "抱枕")
    assert done.short == {pillow: 1} and done.problems == 2


def test_a_paper_sheet_entered_later_keeps_when_it_was_done_and_who_did_it_SHW2_SHW8(office, flat, docent):
    clock.freeze(at(15, 0))
    done = checks.record(office.supervisor, office.uow(), apartment_id=flat.id, day=clock.today(),
                         slot="inspection-1", answers=all_ok(office, "inspection"), strokes=SIGNED,
                         done_at=at(11, 50), done_by_id=docent.id)
    assert done.state == SlotState.LATE  # due 10:45, late after 11:15
    view = slot(office, flat, "inspection-1", at(15))
    assert (view.done_by, view.late_by) == ("李讲解", timedelta(hours=1, minutes=5))


def test_a_missed_night_round_is_there_the_next_morning_SHW9(office, flat):
    view = slot(office, flat, "patrol-6", at(8, 0, days=1))
    assert view.state == SlotState.MISSED


@pytest.mark.parametrize(("change", "field"), [
    ({"strokes": []}, "signature"),
    ({"answers": []}, "answers"),
    ({"counts": {}}, "counts"),
    ({"slot": "inspection-9"}, "slot"),
    ({"done_at": "future"}, "done_at"),
    ({"slot": "closing-1"}, "done_at"),  # its window has not opened at 09:05
])
def test_a_check_without_a_signature_an_answer_a_count_or_in_a_window_not_open_is_refused_SHW2(office, flat, docent,
                                                                                               change, field):
    clock.freeze(at(9, 5))
    values = {"slot": "opening-1", "answers": all_ok(office, "opening"), "counts": counts_of(office, flat),
              "strokes": SIGNED, **change}
    if values.get("done_at") == "future":
        values["done_at"] = at(9, 30)
    with refused(office, ValidationError) as error:
        checks.record(docent, office.uow(), apartment_id=flat.id, day=clock.today(), **values)
    assert error.value.field == field


@pytest.mark.parametrize("counted", ["-1", "1.5", "一"])
def test_a_negative_fractional_or_wordy_count_is_refused_SHW2(office, flat, docent, counted):
    clock.freeze(at(9, 5))
    counts = {**counts_of(office, flat), next(iter(counts_of(office, flat))): counted}
    with refused(office, ValidationError, match="整数"):
        checks.record(docent, office.uow(), apartment_id=flat.id, day=clock.today(), slot="opening-1",
                      answers=all_ok(office, "opening"), counts=counts, strokes=SIGNED)


def test_a_problem_needs_its_note_and_a_check_is_recorded_once_SHW2(office, flat, docent):
    clock.freeze(at(10, 50))
    with refused(office, ValidationError, match="说明"):
        checks.record(docent, office.uow(), apartment_id=flat.id, day=clock.today(), slot="inspection-1",
                      answers=[Answer(a.point, "problem") for a in all_ok(office, "inspection")], strokes=SIGNED)
    checks.record(docent, office.uow(), apartment_id=flat.id, day=clock.today(), slot="inspection-1",
                  answers=all_ok(office, "inspection"), strokes=SIGNED)
    with refused(office, Conflict, match="李讲解"):
        checks.record(office.supervisor, office.uow(), apartment_id=flat.id, day=clock.today(), slot="inspection-1",
                      answers=all_ok(office, "inspection"), strokes=SIGNED)


def test_a_changed_template_applies_from_its_save_on_SHW2(office, flat, docent):
    clock.freeze(at(9, 5))
    new = templates.save(office.supervisor, office.uow(), kind="inspection", points=["灯光", "卫生"],
                         count_items=False, reason="精简巡检项")
    assert new.version == 2 and templates.current(office.uow())["inspection"].points == ("灯光", "卫生")
    clock.freeze(at(10, 50))
    checks.record(docent, office.uow(), apartment_id=flat.id, day=clock.today(), slot="inspection-1",
                  answers=[Answer("灯光", "ok"), Answer("卫生", "na")], strokes=SIGNED)


def test_cleaners_do_no_checks_and_only_the_supervisor_edits_templates_SEC2_SHW2(office, flat):
    cleaner = accounts.create_staff(office.manager, office.uow(), name="王保洁", role=Role.CLEANER, pin=PIN)
    who = accounts.sign_in(office.uow(), staff_id=cleaner.id, pin=PIN)
    with refused(office, PermissionDenied):
        checks.day_view(who, office.uow(), day=clock.today())
    with refused(office, PermissionDenied):
        templates.save(office.receptionist, office.uow(), kind="inspection", points=["灯光"], count_items=False,
                       reason="x")


def test_the_same_check_recorded_at_two_stations_at_once_is_kept_once_and_the_other_told_who_SHW2(office, flat,
                                                                                                  docent):
    import threading

    from app.database.engine import make_engine, session_factory
    from app.database.uow import UnitOfWork

    clock.freeze(at(10, 50))
    answers = all_ok(office, "inspection")
    url = office.engine.url.render_as_string(hide_password=False)
    start, outcomes = threading.Barrier(2), []

    def station(who) -> None:  # type: ignore[no-untyped-def]
        engine = make_engine(url)  # a station of its own
        start.wait()
        try:
            checks.record(who, UnitOfWork(session_factory(engine)), apartment_id=flat.id, day=clock.today(),
                          slot="inspection-1", answers=answers, strokes=SIGNED)
            outcomes.append("kept")
        except Exception as e:  # noqa: BLE001 (the outcome is the assertion)
            outcomes.append(type(e).__name__)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=station, args=(who,)) for who in (docent, office.supervisor)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["Conflict", "kept"]
    [flat_day] = [d for d in checks.day_view(office.supervisor, office.uow(), day=clock.today(), now=at(12))
                  if d.apartment.id == flat.id]
    assert flat_day.slots[1].check_id is not None


def done_at(office, docent, flat, when, key, problem: str = "") -> None:
    """A check of today (or of tonight, before midnight) recorded on the floor at `when`."""
    clock.freeze(when)
    kind = key.split("-")[0]
    counts = counts_of(office, flat) if kind in ("opening", "closing") else None
    checks.record(docent, office.uow(), apartment_id=flat.id, day=clock.today(), slot=key,
                  answers=all_ok(office, kind, problem), counts=counts, strokes=SIGNED)


def test_the_week_counts_a_day_s_checks_and_its_night_s_rounds_apart_a_missed_round_there_the_next_morning_SHW3_SHW9(
        office, flat, docent):
    today = clock.today()
    times = {"opening-1": at(9, 5), "inspection-1": at(11, 50), "patrol-1": at(18, 35), "patrol-3": at(20, 50)}
    next_morning = at(8, 5, days=1)
    for key, when in times.items():
        done_at(office, docent, flat, when, key, problem="后门未锁，已锁好" if key == "patrol-1" else "")
    [week] = checks.week_view(office.supervisor, office.uow(), last_day=today + timedelta(days=1), now=next_morning)
    assert [d.day for d in week.days] == [today + timedelta(days=n) for n in range(-5, 2)]
    day, tomorrow = week.days[-2], week.days[-1]
    # The opening count in time, inspection 1 late (due 10:45), the rest of the open day missed.
    assert day.checks == Tally(slots=6, done=1, late=1, overdue=0, missed=4, problems=0)
    # Round 1 in time with a problem, round 3 late (due 20:30), round 14 (07:30) overdue at 08:05, 11 missed.
    assert day.rounds == Tally(slots=14, done=1, late=1, overdue=1, missed=11, problems=1)
    assert (tomorrow.checks.to_come, tomorrow.rounds.to_come, tomorrow.checks.missed) == (6, 14, 0)


def test_today_s_checks_not_yet_due_are_to_come_not_missed_SHW3(office, flat):
    [week] = checks.week_view(office.supervisor, office.uow(), last_day=clock.today(), now=at(12))
    today = week.days[-1]
    assert (today.checks.overdue, today.checks.missed, today.checks.to_come) == (2, 0, 4)  # 09:00 and 10:45 overdue
    assert today.rounds == Tally(slots=14, done=0, late=0, overdue=0, missed=0, problems=0)
    assert week.days[-2].checks.missed == 6  # yesterday's were never done


def test_the_week_reads_its_checks_once_and_agrees_with_each_day_s_board_SHW3(office, flat, docent, monkeypatch):
    from collections import Counter

    from sqlalchemy import event

    from app.database import driver

    done_at(office, docent, flat, at(9, 40), "opening-1")
    done_at(office, docent, flat, at(18, 40), "patrol-1")
    now = at(21)
    statements: list[str] = []  # through the ORM or Core, and straight through the driver
    monkeypatch.setattr(driver, "rows", lambda engine, statement, params, rows=driver.rows: (
        statements.append(str(statement)), rows(engine, statement, params))[1])

    def seen(_conn, _cursor, sql, *_rest) -> None:  # type: ignore[no-untyped-def]
        statements.append(sql)

    event.listen(office.engine, "before_cursor_execute", seen)
    try:
        [week] = checks.week_view(office.supervisor, office.uow(), last_day=clock.today(), now=now)
    finally:
        event.remove(office.engine, "before_cursor_execute", seen)
    assert sum("showroom_checks" in sql for sql in statements) == 1
    for tally in week.days:
        [board] = checks.day_view(office.supervisor, office.uow(), day=tally.day, now=now)
        states = Counter(s.state for s in board.slots)
        both = [tally.checks, tally.rounds]
        assert [sum(t.done for t in both), sum(t.late for t in both), sum(t.overdue for t in both),
                sum(t.missed for t in both), sum(t.to_come for t in both)] == [
            states[SlotState.DONE], states[SlotState.LATE], states[SlotState.OVERDUE], states[SlotState.MISSED],
            states[SlotState.DUE] + states[SlotState.UPCOMING]]
