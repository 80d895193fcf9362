"""The audit log (SEC-3): every change leaves an entry with who, when, before and after; the chain of
hashes shows an edited or deleted entry, naming it."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from app import clock
from app.database import audit_chain, schema
from app.errors import PermissionDenied
from app.services import audit, customers, settings
from app.services.reception import bar, followups, rotation, visits
from tests.unit.helpers import assert_chinese, audit_entries, raw_sql, refused, sign_in, walk_in


@pytest.fixture
def day(office):
    """An ordinary morning at the desk: every kind of change once."""
    a, b = office.consultants[:2]
    office.first_entry_today = len(audit_entries(office)) + 1  # the template's staff and tables come first
    sign_in(office, a, b)
    visit = walk_in(office, "13812345678", name="王先生", party_size=2)
    visits.correct(office.supervisor, office.uow(), visit_id=visit.visit_id, reason="实为三位", party_size=3)
    call = followups.record_call(office.receptionist, office.uow(), phone="13912345678", name="赵先生",
                                 channel="internet")
    customers.claim(b, office.uow(), customer_id=call.customer_id)
    followups.record_follow_up(a, office.uow(), customer_id=visit.customer_id, method="wechat", content="发了户型图")
    table = bar.tables(office.receptionist, office.uow())[0].table_id
    bar.seat(office.receptionist, office.uow(), table_id=table, party="王先生", party_size=3)
    bar.serve(office.receptionist, office.uow(), table_id=table, item="tea", quantity=3)
    bar.clear(office.receptionist, office.uow(), table_id=table)
    rotation.sign_out(office.receptionist, office.uow(), consultant_id=a.id, reason="午饭")
    settings.update(office.manager, office.uow(), {"refill_minutes": 25})
    clock.advance(timedelta(minutes=5))
    visits.mark_left(office.receptionist, office.uow(), visit_id=visit.visit_id)
    return office


def verdict(office):
    return audit_chain.verify_chain(office.engine)


def test_every_change_leaves_an_entry_naming_who_did_it_SEC3(day):
    entries = audit_entries(day)
    by_action = {e.action: e.actor_id for e in entries[day.first_entry_today - 1:]}
    a, b = day.consultants[:2]
    assert by_action == {
        "rotation.sign_in": day.receptionist.id, "visits.register": day.receptionist.id,
        "visits.correct": day.supervisor.id, "calls.record": day.receptionist.id, "customers.ownership": b.id,
        "customers.follow_up": a.id, "bar.seat": day.receptionist.id, "bar.serve": day.receptionist.id,
        "bar.clear": day.receptionist.id, "rotation.sign_out": day.receptionist.id,
        "settings.change": day.manager.id, "visits.left": day.receptionist.id,
    }
    assert [e.id for e in entries] == list(range(1, len(entries) + 1))
    assert entries[-1].at == clock.now()


@pytest.mark.parametrize("action, before, after", [
    ("visits.correct", {"party_size": 2}, {"party_size": 3, "reason": "实为三位"}),
    ("customers.ownership", {"owner_id": None}, {"owner_id": "b", "reason": "claim"}),
    ("settings.change", {"refill_minutes": "20"}, {"refill_minutes": "25"}),
    ("visits.register", None, {"name": "王先生", "party_size": 2}),
])
def test_changes_keep_before_and_after_SEC3(day, action, before, after):
    entry = audit_entries(day, action)[-1]  # the newest of its kind: for ownership, b's claim
    after = {k: (day.consultants[1].id if v == "b" else v) for k, v in after.items()}
    assert json.loads(entry.before or "{}").items() >= (before or {}).items()
    assert json.loads(entry.after).items() >= after.items()


def test_an_ordinary_history_verifies_SEC3(day):
    result = verdict(day)
    assert result.problems == [] and result.entries == len(audit_entries(day)) > 15
    assert schema.check(day.engine).ok


def test_a_refused_change_leaves_no_entry_and_the_chain_goes_on_SEC3(day):
    with refused(day, PermissionDenied):
        settings.update(day.receptionist, day.uow(), {"refill_minutes": 30})
    settings.update(day.manager, day.uow(), {"refill_minutes": 30})
    assert verdict(day).problems == []


def test_editing_an_entry_is_detected_and_named_SEC3(day):
    [entry] = audit_entries(day, "visits.correct")
    raw_sql(day, "UPDATE audit_log SET after = ? WHERE id = ?", '{"party_size": 1}', entry.id)
    problems = verdict(day).problems
    assert problems == [f"审计日志：第 {entry.id} 条被篡改。"]
    assert not schema.check(day.engine).ok


def test_blaming_someone_else_is_detected_SEC3(day):
    [entry] = audit_entries(day, "visits.correct")
    raw_sql(day, "UPDATE audit_log SET actor_id = ? WHERE id = ?", day.receptionist.id, entry.id)
    assert verdict(day).problems == [f"审计日志：第 {entry.id} 条被篡改。"]


def test_deleting_an_entry_in_the_middle_is_detected_and_named_SEC3(day):
    raw_sql(day, "DELETE FROM audit_log WHERE id = 12")
    problems = verdict(day).problems
    assert problems and "第 12 条" in problems[0]
    assert_chinese(problems[0])


def test_deleting_the_newest_entry_is_detected_and_named_SEC3(day):
    last = audit_entries(day)[-1].id
    raw_sql(day, "DELETE FROM audit_log WHERE id = ?", last)
    assert verdict(day).problems == [f"审计日志：最新的第 {last} 条记录被删除。"]


def test_emptying_the_log_is_detected_SEC3(day):
    last = audit_entries(day)[-1].id
    raw_sql(day, "DELETE FROM audit_log")
    assert verdict(day).problems == [f"审计日志：最新的第 1 至 {last} 条记录被删除。"]


def test_a_forged_entry_is_detected_SEC3(day):
    last = audit_entries(day)[-1]
    raw_sql(day, "INSERT INTO audit_log (id, at, actor_id, action, target, before, after, prev_hash, hash) "
                 "VALUES (?, ?, NULL, 'visits.left', 'visit:1', '', '', ?, ?)",
            last.id + 1, "2026-11-23 10:06:00.000000", last.hash, "0" * 64)
    assert any(str(last.id + 1) in p for p in verdict(day).problems)


def test_reading_the_log_needs_permission_SEC3_SEC2(day):
    rows = audit.list_entries(day.supervisor, day.uow(), action="bar.seat")
    assert [r.action for r in rows] == ["bar.seat"]
    with pytest.raises(PermissionDenied):
        audit.list_entries(day.receptionist, day.uow())
