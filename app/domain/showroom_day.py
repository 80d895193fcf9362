"""A model apartment's day of checks as pure functions of times (SHW-2, SHW-3, SHW-9).

An open day has an opening count when the apartments open, 4 inspections spread over the open hours and a
closing count when they close; the night patrol walks every hour from 18:30 to 08:00 the next morning. Each
check is a slot: due at a time, late once its grace period has passed, missed once it can no longer be done
(the open day over, or the next patrol round begun). Nothing here reads the clock: the service passes now.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from enum import StrEnum
from functools import cached_property

from app.clock import OFFICE_TZ
from app.i18n import N_, _


class CheckKind(StrEnum):
    OPENING = "opening"        # count every item against the list when the apartment opens
    INSPECTION = "inspection"  # walk the points during open hours
    CLOSING = "closing"        # count again, doors and windows, when it closes
    PATROL = "patrol"          # the night watch's round


KIND_LABEL = {CheckKind.OPENING: N_("Opening count"), CheckKind.INSPECTION: N_("Inspection"),
              CheckKind.CLOSING: N_("Closing count"), CheckKind.PATROL: N_("Night patrol")}


class SlotState(StrEnum):
    UPCOMING = "upcoming"  # not yet due
    DUE = "due"            # due now, within its grace period
    DONE = "done"          # done in time
    LATE = "late"          # done, after its grace period
    OVERDUE = "overdue"    # not done, past its grace period, still to be done
    MISSED = "missed"      # not done, and no longer can be


STATE_LABEL = {SlotState.UPCOMING: N_("Upcoming"), SlotState.DUE: N_("Due now"), SlotState.DONE: N_("Done"),
               SlotState.LATE: N_("Late"), SlotState.OVERDUE: N_("Overdue"), SlotState.MISSED: N_("Missed")}

INSPECTIONS = 4
PATROL_FROM, PATROL_UNTIL = time(18, 30), time(8, 0)
_QUARTER = 15  # inspections fall on a quarter hour


@dataclass(frozen=True)
class Slot:
    """One check of one day: what, which of its kind (inspection 1-4, patrol round 1-14), and its times (aware, in
    UTC; shown in the office's time)."""

    kind: CheckKind
    number: int
    due: datetime
    late_after: datetime  # done after this: late; not done by then: overdue
    closes: datetime      # not done by this: missed; a check cannot be recorded as done after it

    @property
    def title(self) -> str:
        """What the board and the sheet call it, in the language in use: 巡检 2, 开门盘点, 夜间巡逻."""
        name = _(KIND_LABEL[self.kind])
        return f"{name} {self.number}" if self.kind == CheckKind.INSPECTION else name

    @cached_property  # asked for every slot of a week's apartments when the week is tallied
    def key(self) -> str:
        """What names the slot in the day (stored with a check, printed on the sheet): "inspection-2"."""
        return f"{self.kind}-{self.number}"


def day_slots(day: date, *, opens: time, closes: time, grace: timedelta, patrol_grace: timedelta) -> list[Slot]:
    """The checks of an open day in the order they fall due, the night that begins that evening included."""
    open_at, close_at = _at(day, opens), _at(day, closes)
    day_over = close_at + grace  # the closing count may still be done in its grace period; then the day is over
    slots = [Slot(CheckKind.OPENING, 1, open_at, open_at + grace, day_over)]
    span = close_at - open_at
    for n in range(1, INSPECTIONS + 1):
        due = open_at + span * n / (INSPECTIONS + 1)
        due -= timedelta(minutes=due.astimezone(OFFICE_TZ).minute % _QUARTER, seconds=due.second,
                         microseconds=due.microsecond)
        slots.append(Slot(CheckKind.INSPECTION, n, due, due + grace, day_over))
    slots.append(Slot(CheckKind.CLOSING, 1, close_at, close_at + grace, day_over))
    rounds = _patrol_rounds(day)
    for n, due in enumerate(rounds, start=1):
        slots.append(Slot(CheckKind.PATROL, n, due, due + patrol_grace, due + timedelta(hours=1)))
    return slots


def _patrol_rounds(day: date) -> list[datetime]:
    """18:30 that evening, then every hour until the round that ends at 08:00 the next morning."""
    at, end = _at(day, PATROL_FROM), _at(day + timedelta(days=1), PATROL_UNTIL)
    rounds = []
    while at < end:
        rounds.append(at)
        at += timedelta(hours=1)
    return rounds


def state(slot: Slot, done_at: datetime | None, now: datetime) -> SlotState:
    """Where a slot stands at `now`, given when it was done (None: not yet)."""
    if done_at is not None:
        return SlotState.DONE if done_at <= slot.late_after else SlotState.LATE
    if now < slot.due:
        return SlotState.UPCOMING
    if now <= slot.late_after:
        return SlotState.DUE
    return SlotState.OVERDUE if now < slot.closes else SlotState.MISSED


def lateness(slot: Slot, done_at: datetime) -> timedelta:
    """How late a check was done: after its due time, counted from the due time (zero when in time)."""
    return max(timedelta(0), done_at - slot.due) if done_at > slot.late_after else timedelta(0)


@dataclass(frozen=True)
class Tally:
    """How a run of slots stands (a day's checks, or a night's rounds): how many there are, how many in each state
    that matters after the fact, and the problems noted in those done."""

    slots: int
    done: int     # in time
    late: int
    overdue: int
    missed: int
    problems: int

    @property
    def to_come(self) -> int:
        """Due now or not yet due: nothing wrong yet."""
        return self.slots - self.done - self.late - self.overdue - self.missed


def tally(slots: Iterable[Slot], done: Mapping[str, tuple[datetime, int]], now: datetime) -> Tally:
    """How `slots` stand at `now`; `done` holds each done slot's time and problems noted, by the slot's key."""
    states: Counter[SlotState] = Counter()
    problems = 0
    now = now.astimezone(timezone.utc)  # the slots' zone (see _at)
    for slot in slots:
        done_at, found = done.get(slot.key, (None, 0))
        states[state(slot, done_at, now)] += 1
        problems += found
    return Tally(states.total(), states[SlotState.DONE], states[SlotState.LATE], states[SlotState.OVERDUE],
                 states[SlotState.MISSED], problems)


def slot_for(slots: list[Slot], key: str) -> Slot | None:
    return next((s for s in slots if s.key == key), None)


def _at(day: date, at: time) -> datetime:
    """A time of the office's day, held in UTC as the checks' times are: compared with them (a week's hundreds of
    slots), the same zone looks up no offset."""
    return datetime.combine(day, at, tzinfo=OFFICE_TZ).astimezone(timezone.utc)
