"""The model apartments' day of checks (SHW-2, SHW-3, SHW-9): each apartment's slots with their state, and a check
recorded — its answers, its counts, the signature — done on the floor now, or earlier on a printed sheet."""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import Date, bindparam, select, type_coerce

from app import clock, validation
from app.config import parse_clock_time
from app.database.uow import UnitOfWork
from app.domain import showroom_day, signature
from app.domain.showroom_day import CheckKind, Slot, SlotState, Tally
from app.errors import Conflict, NotFound, ValidationError
from app.i18n import N_, _
from app.models.base import StoredUTC
from app.models.showroom import Apartment, ShowroomCheck
from app.models.staff import Staff
from app.permissions import Actor, Perm, require, require_any
from app.services import accounts, settings
from app.services.showroom import items, templates
from app.services.showroom.items import ApartmentRow

ANSWERS = {"ok": N_("In order"), "problem": N_("Problem"), "na": N_("Not applicable")}
MAX_ANSWER_NOTE = 200
EARLY = timedelta(minutes=30)  # a check may be begun this long before it is due (the docent arrives 08:55)
WEEK = 7


@dataclass(frozen=True)
class Answer:
    point: str
    answer: str  # ok, problem, na
    note: str = ""


@dataclass(frozen=True)
class SlotView:
    """A slot of the day (what, when) and where it stands for one apartment."""

    slot: Slot
    state: SlotState
    check_id: int | None = None
    done_at: datetime | None = None
    done_by: str = ""
    late_by: timedelta = timedelta(0)
    problems: int = 0

    @property
    def key(self) -> str:
        return self.slot.key


@dataclass(frozen=True)
class ApartmentDay:
    apartment: ApartmentRow
    day: date
    slots: list[SlotView]


@dataclass(frozen=True)
class DayTally:
    """One apartment's day at a glance: its checks and the rounds of the night that begins that evening (SHW-9)."""

    day: date
    checks: Tally  # the opening count, the inspections, the closing count
    rounds: Tally  # the night patrol


@dataclass(frozen=True)
class ApartmentWeek:
    apartment: ApartmentRow
    days: list[DayTally]  # oldest first


@dataclass(frozen=True)
class CheckDone:
    id: int
    slot: str
    state: SlotState
    problems: int
    short: dict[int, int]  # item id -> how many are missing, for the incidents to open (SHW-4)


# The reads the board and the week wait on, built once and run straight through the driver (uow.rows): the
# apartments with the office's hours for their checks in one statement, and the checks of a day or of a week.
HOURS = ("open_time", "close_time", "check_grace_minutes", "patrol_grace_minutes")
_APARTMENTS = (select(Apartment.id, Apartment.name, *(settings.stored(key).label(key) for key in HOURS))
               .where(Apartment.active.is_(True)).order_by(Apartment.name))
_DONE_AT = type_coerce(ShowroomCheck.done_at, StoredUTC).label("done_at")
_DAY_CHECKS = (select(ShowroomCheck.id, ShowroomCheck.apartment_id, ShowroomCheck.slot, _DONE_AT,
                      ShowroomCheck.problems, Staff.name).join(Staff, Staff.id == ShowroomCheck.done_by_id)
               .where(ShowroomCheck.day == bindparam("day", type_=Date)))
_WEEK_CHECKS = (select(ShowroomCheck.apartment_id, ShowroomCheck.day, ShowroomCheck.slot, _DONE_AT,
                       ShowroomCheck.problems)
                .where(ShowroomCheck.day.between(bindparam("first", type_=Date), bindparam("last", type_=Date))))


def slots_of(uow: UnitOfWork, day: date) -> list[Slot]:
    office = settings.current(uow)
    return list(_slots(day, *(getattr(office, key) for key in HOURS)))


@lru_cache(maxsize=64)  # the board asks for the same day every 30 s, the week for the same 7
def _slots(day: date, open_time: str, close_time: str, grace: int, patrol_grace: int) -> tuple[Slot, ...]:
    return tuple(showroom_day.day_slots(day, opens=parse_clock_time(open_time), closes=parse_clock_time(close_time),
                                        grace=timedelta(minutes=grace), patrol_grace=timedelta(minutes=patrol_grace)))


def _apartments(uow: UnitOfWork) -> tuple[list[ApartmentRow], tuple]:
    """The apartments in use, and the office's hours as _slots takes them (none without an apartment)."""
    rows = uow.rows(_APARTMENTS, {})
    hours = tuple(settings.value(key, text) for key, text in zip(HOURS, rows[0][2:])) if rows else ()
    return [ApartmentRow(row[0], row[1]) for row in rows], hours


def day_view(actor: Actor, uow: UnitOfWork, *, day: date, now: datetime | None = None) -> list[ApartmentDay]:
    """Every apartment's checks of `day` with their state at `now` (SHW-3): due, done by whom, late by how much,
    overdue, missed; the night that begins that evening included (SHW-9)."""
    require_any(actor, Perm.SHOWROOM_CHECK, Perm.MANAGE_SHOWROOM)
    now = now or clock.now()
    flats, hours = _apartments(uow)
    if not flats:
        return []
    slots = _slots(day, *hours)
    done = {(flat_id, slot): (check_id, done_at, problems, name)
            for check_id, flat_id, slot, done_at, problems, name in uow.rows(_DAY_CHECKS, {"day": day})}
    days = []
    for flat in flats:
        views = []
        for slot in slots:
            check = done.get((flat.id, slot.key))
            if check is None:
                views.append(SlotView(slot, showroom_day.state(slot, None, now)))
                continue
            check_id, done_at, problems, name = check
            views.append(SlotView(slot, showroom_day.state(slot, done_at, now), check_id, done_at, name,
                                  showroom_day.lateness(slot, done_at), problems))
        days.append(ApartmentDay(flat, day, views))
    return days


def week_view(actor: Actor, uow: UnitOfWork, *, last_day: date, now: datetime | None = None) -> list[ApartmentWeek]:
    """Every apartment's 7 days ending `last_day` at a glance (SHW-3, SHW-9): per day, how many of its checks and of
    its night's rounds are done in time, late, overdue, missed or still to come at `now`, and the problems noted.
    The week's checks are read in one go."""
    require_any(actor, Perm.SHOWROOM_CHECK, Perm.MANAGE_SHOWROOM)
    now = now or clock.now()
    flats, hours = _apartments(uow)
    if not flats:
        return []
    days = [last_day - timedelta(days=n) for n in range(WEEK - 1, -1, -1)]
    done: defaultdict[tuple[int, date], dict[str, tuple[datetime, int]]] = defaultdict(dict)
    for flat_id, day, slot, done_at, problems in uow.rows(_WEEK_CHECKS, {"first": days[0], "last": last_day}):
        done[flat_id, day][slot] = (done_at, problems)
    halves = {}  # each day's checks and its night's rounds: the same for every apartment
    for day in days:
        slots = _slots(day, *hours)
        night = [s for s in slots if s.kind == CheckKind.PATROL]
        halves[day] = ([s for s in slots if s.kind != CheckKind.PATROL], night)
    return [ApartmentWeek(flat, [DayTally(day, showroom_day.tally(halves[day][0], done[flat.id, day], now),
                                          showroom_day.tally(halves[day][1], done[flat.id, day], now))
                                 for day in days]) for flat in flats]


@dataclass(frozen=True)
class Recorded:
    """A check as it was recorded, whole: for the completed record on paper (SHW-8)."""

    done_at: datetime
    by: str
    answers: list[dict[str, str]]
    counts: dict[int, int]
    signature: signature.Strokes


def recorded(uow: UnitOfWork, *, day: date) -> dict[tuple[int, str], Recorded]:
    """Every check recorded for `day`, by apartment and slot (the caller has checked who may read them)."""
    with uow.reading() as conn:
        rows = conn.execute(select(ShowroomCheck.apartment_id, ShowroomCheck.slot, ShowroomCheck.done_at, Staff.name,
                                   ShowroomCheck.answers, ShowroomCheck.counts, ShowroomCheck.signature)
                            .join(Staff, Staff.id == ShowroomCheck.done_by_id).where(ShowroomCheck.day == day)).all()
    return {(flat, slot): Recorded(done_at, by, json.loads(answers),
                                   {int(k): v for k, v in json.loads(counts).items()} if counts else {},
                                   signature.from_json(strokes))
            for flat, slot, done_at, by, answers, counts, strokes in rows}


def record(actor: Actor, uow: UnitOfWork, *, apartment_id: int, day: date, slot: str, answers: list[Answer],
           strokes: object, counts: dict[int, object] | None = None, done_at: datetime | None = None,
           done_by_id: int | None = None) -> CheckDone:
    """Record a check: every point of its template answered (a problem with what it is), every item counted when
    the check counts, the signature of who did it. `done_at` is when it was done, if earlier than now (written on
    a printed sheet and entered later, `done_by_id` then who did it); it is kept apart from when it was entered."""
    require(actor, Perm.SHOWROOM_CHECK)
    now = clock.now()
    done_at = done_at or now
    the_slot = showroom_day.slot_for(slots_of(uow, day), slot)
    if the_slot is None:
        raise ValidationError(_("There is no check %(slot)s on %(day)s.") % {"slot": slot, "day": day}, field="slot")
    _check_time(the_slot, done_at, now)
    template = templates.in_force(uow, the_slot.kind, done_at)
    kept_answers = _answers(template.points, answers)
    listed = items.item_list(uow, apartment_id=apartment_id, as_of=done_at) if template.count_items else []
    counted = _counts(listed, counts or {}) if template.count_items else {}
    strokes = signature.checked(strokes)
    short = {item.id: item.quantity - counted[item.id] for item in listed if counted[item.id] < item.quantity}
    problems = sum(1 for a in kept_answers if a["answer"] == "problem") + len(short)
    with uow:
        # Two stations recording the same check: the second waits, then finds the first (PostgreSQL would let
        # both look before either writes; SQLite's write lock already orders them).
        uow.one_at_a_time(items.LOCK)
        if uow.session.get(Apartment, apartment_id) is None:
            raise NotFound(_("No such model apartment."))
        doer = done_by_id or actor.id
        if done_by_id is not None and uow.session.get(Staff, done_by_id) is None:
            raise NotFound(_("No such staff member."))
        earlier = uow.session.scalar(select(ShowroomCheck).where(
            ShowroomCheck.apartment_id == apartment_id, ShowroomCheck.day == day, ShowroomCheck.slot == slot))
        if earlier is not None:
            names = accounts.staff_names(uow.session)
            raise Conflict(_("This check was already recorded by %(who)s at %(at)s.")
                           % {"who": names.get(earlier.done_by_id, "?"),
                              "at": clock.local(earlier.done_at).strftime("%H:%M")})
        check = ShowroomCheck(apartment_id=apartment_id, day=day, slot=slot, template_id=template.id,
                              done_at=done_at, done_by_id=doer, entered_at=now, entered_by_id=actor.id,
                              answers=json.dumps(kept_answers, ensure_ascii=False),
                              counts=json.dumps({str(k): v for k, v in counted.items()}) if counted else "",
                              signature=signature.to_json(strokes), problems=problems)
        uow.session.add(check)
        uow.session.flush()
        uow.audit(actor.id, "showroom.check", f"check:{check.id}",
                  after={"apartment_id": apartment_id, "day": day.isoformat(), "slot": slot,
                         "done_at": done_at.isoformat(), "done_by": doer, "problems": problems,
                         "short": {str(k): v for k, v in short.items()}})
        uow.commit()
        return CheckDone(check.id, slot, showroom_day.state(the_slot, done_at, now), problems, short)


def _check_time(slot: Slot, done_at: datetime, now: datetime) -> None:
    at = lambda t: clock.local(t).strftime("%m-%d %H:%M")  # noqa: E731
    if done_at > now:
        raise ValidationError(_("A check cannot be recorded as done in the future."), field="done_at")
    if done_at < slot.due - EARLY:
        raise ValidationError(_("This check is due at %s; it cannot be done yet.") % at(slot.due), field="done_at")
    if done_at > slot.closes:
        raise ValidationError(_("This check's time ended at %s: it is missed, and a later round is recorded "
                                "instead.") % at(slot.closes), field="done_at")


def _answers(points: tuple[str, ...], answers: list[Answer]) -> list[dict[str, str]]:
    given = {a.point: a for a in answers}
    unknown = [p for p in given if p not in points]
    if unknown:
        raise ValidationError(_("This check has no point “%s”.") % unknown[0][:40], field="answers")
    kept = []
    for point in points:
        answer = given.get(point)
        if answer is None or answer.answer not in ANSWERS:
            raise ValidationError(_("Answer every point: “%s” is not answered.") % point[:40], field="answers")
        note = validation.text(answer.note, MAX_ANSWER_NOTE, "answers", _("Note"))
        if answer.answer == "problem" and not note:
            raise ValidationError(_("Say what the problem is: “%s”.") % point[:40], field="answers")
        kept.append({"point": point, "answer": answer.answer, "note": note})
    return kept


def _counts(listed: list[items.ItemRow], counts: dict[int, object]) -> dict[int, int]:
    ids = {item.id for item in listed}
    unknown = [k for k in counts if k not in ids]
    if unknown:
        raise ValidationError(_("An item counted is not on this apartment's list."), field="counts")
    counted = {}
    for item in listed:
        if item.id not in counts or counts[item.id] in (None, ""):
            raise ValidationError(_("Count every item: %s is not counted.") % item.name, field="counts")
        counted[item.id] = validation.count(counts[item.id], "counts", item.name)
    return counted
