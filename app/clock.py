"""The one source of "now". Everything is stored in UTC and shown in the office's time zone."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

OFFICE_TZ = ZoneInfo("Asia/Shanghai")
_frozen: datetime | None = None


def now() -> datetime:
    """Aware UTC datetime; frozen by tests through freeze()."""
    return _frozen if _frozen is not None else datetime.now(timezone.utc)


def freeze(at: datetime | None) -> None:
    """Fix the clock at `at` (aware; naive means office time); None lets it run again."""
    global _frozen
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=OFFICE_TZ)
    _frozen = at.astimezone(timezone.utc) if at is not None else None


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Hold the clock at `at` for a block, then give back what was there (the demo replays a morning)."""
    global _frozen
    saved = _frozen
    freeze(at)
    try:
        yield
    finally:
        _frozen = saved


def advance(delta: timedelta) -> None:
    global _frozen
    _frozen = (_frozen or datetime.now(timezone.utc)) + delta


def local(dt: datetime) -> datetime:
    return dt.astimezone(OFFICE_TZ)


def today() -> date:
    """The office's calendar day."""
    return local(now()).date()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """UTC start and end of an office day."""
    start = datetime(day.year, day.month, day.day, tzinfo=OFFICE_TZ)
    return start.astimezone(timezone.utc), (start + timedelta(days=1)).astimezone(timezone.utc)


def at_office(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=OFFICE_TZ).astimezone(timezone.utc)
