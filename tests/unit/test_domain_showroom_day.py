"""The model apartments' day as pure functions of times (SHW-2, SHW-3, SHW-9): no clock, no database."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from app.clock import OFFICE_TZ
from app.domain.showroom_day import CheckKind, SlotState, Tally, day_slots, lateness, slot_for, state, tally

DAY = date(2026, 11, 23)
GRACE, PATROL_GRACE = timedelta(minutes=30), timedelta(minutes=15)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=OFFICE_TZ)


def slots(opens=time(9), closes=time(18)):
    return day_slots(DAY, opens=opens, closes=closes, grace=GRACE, patrol_grace=PATROL_GRACE)


def test_an_open_day_has_an_opening_count_4_inspections_and_a_closing_count_SHW2():
    day = [s for s in slots() if s.kind != CheckKind.PATROL]
    assert [(s.key, s.due.astimezone(OFFICE_TZ).strftime("%H:%M")) for s in day] == [
        ("opening-1", "09:00"), ("inspection-1", "10:45"), ("inspection-2", "12:30"), ("inspection-3", "14:15"),
        ("inspection-4", "16:00"), ("closing-1", "18:00")]


def test_the_inspections_follow_the_office_s_open_hours_on_the_quarter_hour_SHW2():
    due = [s.due.astimezone(OFFICE_TZ).strftime("%H:%M") for s in slots(time(10), time(17, 30))
           if s.kind == CheckKind.INSPECTION]
    assert due == ["11:30", "13:00", "14:30", "16:00"]


def test_the_night_patrol_walks_every_hour_from_1830_to_0800_the_next_morning_SHW9():
    rounds = [s for s in slots() if s.kind == CheckKind.PATROL]
    assert len(rounds) == 14
    assert rounds[0].due == at(18, 30) and rounds[-1].due == at(7, 30, DAY + timedelta(days=1))
    assert rounds[-1].closes == at(8, 30, DAY + timedelta(days=1))


@pytest.mark.parametrize(("done", "now", "expected"), [
    (None, at(8, 59), SlotState.UPCOMING),
    (None, at(9, 0), SlotState.DUE),
    (None, at(9, 30), SlotState.DUE),
    (None, at(9, 31), SlotState.OVERDUE),
    (None, at(18, 29), SlotState.OVERDUE),
    (None, at(18, 30), SlotState.MISSED),
    (at(9, 10), at(12), SlotState.DONE),
    (at(9, 30), at(12), SlotState.DONE),
    (at(10, 5), at(12), SlotState.LATE),
])
def test_a_check_is_due_done_late_overdue_or_missed_by_its_window_SHW3(done, now, expected):
    assert state(slot_for(slots(), "opening-1"), done, now) == expected


def test_a_patrol_round_across_midnight_is_missed_once_the_next_round_begins_SHW9():
    night = slot_for(slots(), "patrol-6")  # 23:30
    assert night.due == at(23, 30)
    assert state(night, None, at(23, 50)) == SlotState.OVERDUE
    assert state(night, None, at(0, 30, DAY + timedelta(days=1))) == SlotState.MISSED
    assert state(night, at(0, 10, DAY + timedelta(days=1)), at(8, 0, DAY + timedelta(days=1))) == SlotState.LATE


def test_how_late_a_check_was_is_counted_from_its_due_time_SHW3():
    inspection = slot_for(slots(), "inspection-2")  # 12:30, late after 13:00
    assert lateness(inspection, at(12, 50)) == timedelta(0)
    assert lateness(inspection, at(13, 40)) == timedelta(hours=1, minutes=10)


def test_a_night_s_rounds_are_tallied_by_state_with_the_problems_noted_SHW3_SHW9():
    night = [s for s in slots() if s.kind == CheckKind.PATROL]
    done = {"patrol-1": (at(18, 40), 0), "patrol-2": (at(19, 50), 2)}  # round 2: due 19:30, late after 19:45
    # At 21:40 round 3 (20:30) is missed, round 4 (21:30) due: still to come with the 10 after it.
    assert tally(night, done, at(21, 40)) == Tally(slots=14, done=1, late=1, overdue=0, missed=1, problems=2)
    assert tally(night, done, at(21, 40)).to_come == 11
