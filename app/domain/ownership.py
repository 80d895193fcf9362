"""Who owns a customer and until when (判客, REC-7, REC-8), and when they are next followed up (REC-9).

Plain values in and out: the services read them from the database and write the results back.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from app.domain.dates import add_months

# Month ends clamp: contacts on 29, 30 and 31 December are all valid until 28 February, and counting two months
# back from 28 February finds only 28 December. A range of last contacts found by counting back is widened by
# this much, and each registration in it then checked exactly.
_MONTH_END_MARGIN = timedelta(days=3)


def valid_until(*, owner_id: int | None, last_contact: datetime | None, owned_since: datetime | None,
                created_at: datetime, months: int) -> datetime | None:
    """When the owner's registration lapses: `months` after the last contact (REC-8), or after it was made
    when there has been none yet (REC-7); None when nobody owns the customer."""
    if owner_id is None:
        return None
    return add_months(last_contact or owned_since or created_at, months)


def valid_owner(owner_id: int | None, until: datetime | None, now: datetime) -> int | None:
    """The owner while the registration is valid (REC-7, REC-8); None once it has lapsed, when any consultant
    may receive or claim the customer."""
    return owner_id if until is not None and until > now else None


def lapses_within(until: datetime | None, now: datetime, days: int) -> bool:
    """Whether a valid registration lapses within `days` days from `now` (VIS-4)."""
    return until is not None and now < until <= now + timedelta(days=days)


def last_contacts_lapsing_within(now: datetime, days: int, months: int) -> tuple[datetime, datetime]:
    """The last contacts whose registration may lapse within `days` days (VIS-4), as a range an index can
    find; it is a little wider than exact, so `lapses_within` checks each one found."""
    return (add_months(now, -months) - _MONTH_END_MARGIN,
            add_months(now + timedelta(days=days), -months) + _MONTH_END_MARGIN)


def next_follow_up(contact: datetime, *, visited: bool, visitor_days: int, caller_days: int) -> datetime:
    """When the next follow-up falls due after a contact (REC-9): `visitor_days` later for a customer who has
    visited, `caller_days` for a caller who has not yet."""
    return contact + timedelta(days=visitor_days if visited else caller_days)
