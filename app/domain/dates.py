"""Calendar arithmetic the rules need."""
from __future__ import annotations

import calendar
from datetime import date, datetime
from typing import TypeVar

D = TypeVar("D", date, datetime)

YEARS_AHEAD = 10  # a record dated further ahead is a slip of the keyboard, not a plan


def add_months(dt: D, months: int) -> D:
    """Same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month0 = dt.month - 1 + months
    year, month = dt.year + month0 // 12, month0 % 12 + 1
    return dt.replace(year=year, month=month, day=min(dt.day, calendar.monthrange(year, month)[1]))


def record_window(today: date, earliest_year: int) -> tuple[date, date]:
    """The first and last day a record or a search may name: 1 January of the office's earliest year (a setting)
    to ten years after today. Outside it a date is a typing slip (0001-01-01, 9999-12-31) that would overflow the
    time arithmetic, and before 1901 the office's time zone is the local mean time of Shanghai (+08:05:43)."""
    return date(earliest_year, 1, 1), add_months(today, 12 * YEARS_AHEAD)
