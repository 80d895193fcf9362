"""What a person types, or a file brings, cleaned and checked before it is kept.

Each check returns the cleaned text or raises a ValidationError that names the field and says what to enter.
Messages are passed marked (N_) and translated only when one is raised: an import checks every row.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

from app.errors import ValidationError
from app.i18n import N_, _

MAX_NAME = 40
MAX_REASON = 200

# Control characters (NUL, ESC, BEL, VT …) and lone surrogates have no place in a
# register: a spreadsheet refuses them and PostgreSQL refuses NUL. Tab and line breaks are text.
_NEVER_KEPT = {"Cc", "Cs"}
_LINE_BREAKS = "\t\n\r"
# What shows nothing: spaces and separators, and format marks such as the zero-width space.
_INVISIBLE = {"Zs", "Zl", "Zp", "Cc", "Cf"}
# A Chinese resident ID number (17 digits and a digit or X) standing alone, wherever it is written: the register
# keeps none (SEC-4). Its shape alone decides: a mistyped one is as personal as a correct one.
_ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


def ascii_digits(value: str) -> str:
    """`value` with full-width forms folded (NFKC) and every script's decimal digit (Arabic-Indic, Devanagari …)
    made its ASCII digit: what a person typed as a number is that number, whatever the keyboard."""
    value = unicodedata.normalize("NFKC", value)
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in value)


def holds_id_number(value: str) -> bool:
    """True when `value` holds what looks like a resident ID number, in ASCII or full-width digits."""
    return _ID_NUMBER.search(ascii_digits(value)) is not None


def text(value: str, limit: int, field: str, label: str, *, missing: str = "", too_long: str = "",
         squeeze: bool = False) -> str:
    """`value` stripped (with `squeeze`, each run of spaces inside it made one), at most `limit` characters.

    With `missing`, an empty text is refused with that message. `too_long` replaces "<label> is too long: at
    most <limit> characters"; a message may name the limit as %(n)d.
    """
    bad = next((c for c in value if c not in _LINE_BREAKS and unicodedata.category(c) in _NEVER_KEPT), None)
    if bad is not None:
        raise ValidationError(_("%(label)s holds a control character (U+%(code)04X) that cannot be kept; "
                                "type the text again without it.") % {"label": label or _("The text"),
                                                                       "code": ord(bad)}, field=field)
    value = " ".join(value.split()) if squeeze else value.strip()
    if not any(unicodedata.category(c) not in _INVISIBLE for c in value):
        value = ""  # only spaces and zero-width marks: nothing a person could read back
    if not value and missing:
        raise ValidationError(_(missing), field=field)
    if len(value) > limit:
        message = _(too_long or N_("%(label)s is too long: at most %(n)d characters."))
        raise ValidationError(message % {"label": label, "n": limit}, field=field)
    if holds_id_number(value):
        raise ValidationError(_("%s holds what looks like a resident ID number; the register keeps none (SEC-4): "
                                "leave it out.") % (label or _("The text")), field=field)
    return value


def visitor_name(name: str) -> str:
    """A visitor's name as the register keeps it: a surname with 先生 or 女士 is enough (REC-1)."""
    return text(name, MAX_NAME, "name", _("Name"), squeeze=True,
                missing=N_("Enter the visitor's name; a surname with 先生 or 女士 is enough."),
                too_long=N_("A name has at most 40 characters."))


def staff_name(name: str) -> str:
    """A staff member's name. Not squeezed: an imported register finds its consultants by name, letter for
    letter."""
    return text(name, MAX_NAME, "name", _("Name"), missing=N_("Enter the staff member's name."),
                too_long=N_("A name has at most 40 characters."))


def reason(value: str) -> str:
    """Why a consultant's turn or a registration was changed (REC-2, REC-6): never left empty."""
    return text(value, MAX_REASON, "reason", _("Reason"), missing=N_("Say why."),
                too_long=N_("Keep the reason under 200 characters."))


def record_day(day: date, window: tuple[date, date], field: str, label: str) -> date:
    """`day` when it lies in the office's window of dates (app/domain/dates.record_window), else refused."""
    first, last = window
    if not first <= day <= last:
        raise ValidationError(_("%(label)s %(day)s is outside the dates this office keeps (%(first)s to %(last)s).")
                              % {"label": label, "day": day.isoformat(), "first": first.isoformat(),
                                 "last": last.isoformat()}, field=field)
    return day


_WHOLE = re.compile(r"[0-9]+")
_MONEY = re.compile(r"([0-9]+)(?:\.([0-9]{1,2}))?")


def count(value: object, field: str, label: str, *, most: int = 9999) -> int:
    """A number of things counted or listed: a whole number from 0 to `most`, typed in any script's digits or
    given as a number; "-1", "2.5", "两" are refused with the field named."""
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise ValidationError(_("%s is a whole number, such as 3.") % label, field=field)
    typed = ascii_digits(str(int(value) if isinstance(value, float) else value)).strip()
    if not _WHOLE.fullmatch(typed):
        raise ValidationError(_("%s is a whole number, such as 3.") % label, field=field)
    number = int(typed)
    if number > most:
        raise ValidationError(_("%(label)s is at most %(n)d.") % {"label": label, "n": most}, field=field)
    return number


def money_fen(value: object, field: str, label: str, *, most_yuan: int = 10_000_000) -> int:
    """An amount of money in yuan as people write it (1280, 1,280.50, ¥1280, 1280元, a spreadsheet's number), in
    fen; negative amounts, three decimals and words are refused with the field named."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = f"{value:.2f}" if isinstance(value, float) else str(value)
    typed = ascii_digits(str(value)).strip().replace(",", "").replace("¥", "").replace("￥", "")
    typed = typed.removesuffix("元").strip()
    if not typed:
        return 0
    match = _MONEY.fullmatch(typed)
    if match is None:
        raise ValidationError(_("%s is an amount in yuan, such as 1280 or 1280.50.") % label, field=field)
    fen = int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
    if fen > most_yuan * 100:
        raise ValidationError(_("%(label)s is at most %(n)d yuan.") % {"label": label, "n": most_yuan}, field=field)
    return fen
