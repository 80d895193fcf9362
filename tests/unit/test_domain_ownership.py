"""The ownership rules on plain values: who owns a customer and until when (REC-7, REC-8), the lapsing list's
range (VIS-4) and the follow-up due date (REC-9)."""
from __future__ import annotations

from datetime import datetime, timedelta

from app import clock
from app.domain import ownership

A, B = 7, 8  # two consultants' ids
REGISTERED = datetime(2026, 11, 23, 10, 0, tzinfo=clock.OFFICE_TZ)


def until(last_contact: datetime | None = None, *, owner_id: int | None = A, months: int = 2) -> datetime | None:
    return ownership.valid_until(owner_id=owner_id, last_contact=last_contact, owned_since=REGISTERED,
                                 created_at=REGISTERED - timedelta(days=30), months=months)


def test_a_registration_with_no_contact_yet_runs_from_when_it_was_made_REC7():
    assert until() == datetime(2027, 1, 23, 10, 0, tzinfo=clock.OFFICE_TZ)


def test_a_registration_is_valid_two_months_after_the_last_contact_REC8():
    contact = datetime(2027, 1, 10, 15, 30, tzinfo=clock.OFFICE_TZ)
    assert until(contact) == datetime(2027, 3, 10, 15, 30, tzinfo=clock.OFFICE_TZ)
    assert until(contact, months=6) == datetime(2027, 7, 10, 15, 30, tzinfo=clock.OFFICE_TZ)


def test_two_months_after_the_end_of_december_is_the_end_of_february_REC8():
    assert until(datetime(2026, 12, 31, 9, 0, tzinfo=clock.OFFICE_TZ)) == datetime(2027, 2, 28, 9, 0,
                                                                                    tzinfo=clock.OFFICE_TZ)


def test_nobody_owns_an_unowned_customer_REC8():
    assert until(REGISTERED, owner_id=None) is None
    assert ownership.valid_owner(None, None, REGISTERED) is None


def test_the_first_owner_keeps_the_customer_until_the_registration_lapses_REC7_REC8():
    end = until()
    assert ownership.valid_owner(A, end, end - timedelta(minutes=1)) == A
    assert ownership.valid_owner(A, end, end) is None  # lapsed: another consultant may claim the customer
    assert ownership.valid_owner(A, end, end + timedelta(days=40)) is None


def test_a_registration_lapsing_within_seven_days_is_listed_not_one_lapsed_or_later_VIS4():
    now = datetime(2027, 1, 20, 12, 0, tzinfo=clock.OFFICE_TZ)
    assert ownership.lapses_within(now + timedelta(days=7), now, 7)
    assert not ownership.lapses_within(now + timedelta(days=7, minutes=1), now, 7)
    assert not ownership.lapses_within(now, now, 7)
    assert not ownership.lapses_within(None, now, 7)


def test_the_lapsing_range_finds_every_last_contact_that_lapses_within_the_days_even_at_month_ends_VIS4_REC8():
    for day in range(365 + 60):  # every last contact of a year, each list day through the month ends after it
        now = datetime(2026, 1, 1, 18, 0, tzinfo=clock.OFFICE_TZ) + timedelta(days=day)
        low, high = ownership.last_contacts_lapsing_within(now, 7, 2)
        for back in range(40, 80):
            contact = now - timedelta(days=back)
            if ownership.lapses_within(until(contact), now, 7):
                assert low <= contact <= high, (now, contact)


def test_a_visitor_is_followed_up_three_days_after_a_contact_and_a_caller_four_REC9():
    contact = datetime(2026, 11, 23, 16, 45, tzinfo=clock.OFFICE_TZ)
    assert ownership.next_follow_up(contact, visited=True, visitor_days=3, caller_days=4) == contact + timedelta(days=3)
    assert ownership.next_follow_up(contact, visited=False, visitor_days=3, caller_days=4) == contact + timedelta(days=4)
