"""The figures of the rules catalogue, declared once with their defaults; managers change them (stored in the db)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from app.i18n import N_


@dataclass(frozen=True)
class Setting:
    key: str
    title: str  # marked for translation, shown in the settings dialog
    default: int | str
    minimum: int = 0
    maximum: int = 0
    unit: str = ""


SETTINGS: tuple[Setting, ...] = (
    Setting("open_time", N_("Model apartments open at"), "09:00"),
    Setting("close_time", N_("Model apartments close at"), "18:00"),
    Setting("refill_minutes", N_("Offer a refill every"), 20, 5, 120, N_("minutes")),
    Setting("visitor_follow_up_days", N_("Follow up visitors every"), 3, 1, 30, N_("days")),
    Setting("caller_follow_up_days", N_("Follow up callers every"), 4, 1, 30, N_("days")),
    Setting("ownership_months", N_("Customer registration valid for"), 2, 1, 24, N_("months")),
    Setting("lockout_attempts", N_("Lock an account after wrong PINs"), 5, 3, 20, N_("times")),
    Setting("lockout_minutes", N_("Keep a locked account locked for"), 15, 1, 240, N_("minutes")),
    Setting("kiosk_idle_minutes", N_("Lock an idle kiosk after"), 3, 1, 60, N_("minutes")),
    Setting("backup_keep_days", N_("Keep the daily automatic backups for"), 14, 1, 365, N_("days")),
)
BY_KEY = {s.key: s for s in SETTINGS}


def parse_clock_time(text: str) -> time:
    hours, minutes = text.strip().split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class OfficeSettings:
    """The settings in force, read once per operation."""

    open_time: str = "09:00"
    close_time: str = "18:00"
    refill_minutes: int = 20
    visitor_follow_up_days: int = 3
    caller_follow_up_days: int = 4
    ownership_months: int = 2
    lockout_attempts: int = 5
    lockout_minutes: int = 15
    kiosk_idle_minutes: int = 3
    backup_keep_days: int = 14
