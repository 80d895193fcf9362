"""Calendar arithmetic the rules need."""
from __future__ import annotations

import calendar
from datetime import datetime


def add_months(dt: datetime, months: int) -> datetime:
    """Same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month0 = dt.month - 1 + months
    year, month = dt.year + month0 // 12, month0 % 12 + 1
    return dt.replace(year=year, month=month, day=min(dt.day, calendar.monthrange(year, month)[1]))
