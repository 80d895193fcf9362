"""The figures of the rules catalogue, declared once with their defaults; managers change them (stored in the db)."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import time
from typing import TypeVar

from app.i18n import N_

T = TypeVar("T")


@dataclass(frozen=True)
class Setting:
    key: str
    title: str  # marked for translation, shown in the settings dialog
    default: int | str
    minimum: int = 0
    maximum: int = 0
    unit: str = ""


def _setting(default: T, title: str, minimum: int = 0, maximum: int = 0, unit: str = "") -> T:
    """A field of OfficeSettings, with what the settings dialog and the checks of a change need to know."""
    return field(default=default, metadata={"title": title, "minimum": minimum, "maximum": maximum, "unit": unit})


@dataclass(frozen=True)
class OfficeSettings:
    """The settings in force, read once per operation. Each is declared here once: default, bounds, label."""

    open_time: str = _setting("09:00", N_("Model apartments open at"))
    close_time: str = _setting("18:00", N_("Model apartments close at"))
    refill_minutes: int = _setting(20, N_("Offer a refill every"), 5, 120, N_("minutes"))
    visitor_follow_up_days: int = _setting(3, N_("Follow up visitors every"), 1, 30, N_("days"))
    caller_follow_up_days: int = _setting(4, N_("Follow up callers every"), 1, 30, N_("days"))
    ownership_months: int = _setting(2, N_("Customer registration valid for"), 1, 24, N_("months"))
    lockout_attempts: int = _setting(5, N_("Lock an account after wrong PINs"), 3, 20, N_("times"))
    lockout_minutes: int = _setting(15, N_("Keep a locked account locked for"), 1, 240, N_("minutes"))
    kiosk_idle_minutes: int = _setting(3, N_("Lock an idle kiosk after"), 1, 60, N_("minutes"))
    backup_keep_days: int = _setting(14, N_("Keep the daily automatic backups for"), 1, 365, N_("days"))
    check_grace_minutes: int = _setting(30, N_("A model apartment's check is late after"), 5, 120, N_("minutes"))
    patrol_grace_minutes: int = _setting(15, N_("A night patrol round is late after"), 5, 60, N_("minutes"))
    # Older dates are refused as typing slips (app/domain/dates.py); an office importing older registers lowers it.
    earliest_year: int = _setting(2000, N_("Registers start in the year"), 1990, 2100)


# What the settings dialog lists and a change is checked against, in the order declared above.
SETTINGS: tuple[Setting, ...] = tuple(Setting(f.name, default=f.default, **f.metadata) for f in fields(OfficeSettings))
BY_KEY = {s.key: s for s in SETTINGS}


def parse_clock_time(text: str) -> time:
    hours, minutes = text.strip().split(":")
    return time(int(hours), int(minutes))
