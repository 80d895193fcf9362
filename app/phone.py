"""Phone numbers of mainland China (REC-1): mobiles 1[3-9]xxxxxxxxx and landlines with an area code."""
from __future__ import annotations

import re

from app.errors import ValidationError
from app.i18n import _
from app.validation import ascii_digits

_SEPARATORS = re.compile(r"[\s\-()（）.]")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Landline: 0 + area code (2 or 3 digits, e.g. 010, 0755; never starting with 0) + 7 or 8 digits.
_LANDLINE = re.compile(r"^0[1-9]\d{8,10}$")


def normalize(raw: str) -> str:
    """Digits only, country code removed; raises ValidationError for anything that is not a phone."""
    # Full-width digits, dashes and ＋ (a Chinese input method in full-width mode) are the ASCII ones, and so is
    # every other script's decimal digit (Arabic-Indic, Devanagari …): one number, one customer.
    text = _SEPARATORS.sub("", ascii_digits(raw or ""))
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    if not text:
        raise ValidationError(_("Enter the visitor's phone number."), field="phone")
    if not (text.isascii() and text.isdigit()):
        raise ValidationError(_("A phone number may contain only digits, spaces, dashes and +86."), field="phone")
    if _MOBILE.match(text) or _LANDLINE.match(text):
        return text
    if text.startswith("1"):
        raise ValidationError(_("A mobile number has 11 digits and starts with 13 to 19."), field="phone")
    raise ValidationError(
        _("Not a phone number: a mobile has 11 digits (1[3-9]…), a landline starts with its area code (0…)."),
        field="phone",
    )


def is_mobile(normalized: str) -> bool:
    return bool(_MOBILE.match(normalized))


def mask(normalized: str | None) -> str:
    """138****5678 for mobiles, the area code and last four for landlines (VIS-7)."""
    if not normalized:
        return ""
    if is_mobile(normalized):
        return f"{normalized[:3]}****{normalized[-4:]}"
    return f"{normalized[:_area_code(normalized)]}****{normalized[-4:]}"


def display(normalized: str | None) -> str:
    """138 1234 5678 for mobiles; 0755-12345678 style for landlines."""
    if not normalized:
        return ""
    if is_mobile(normalized):
        return f"{normalized[:3]} {normalized[3:7]} {normalized[7:]}"
    area = _area_code(normalized)
    return f"{normalized[:area]}-{normalized[area:]}"


def _area_code(landline: str) -> int:
    """How long a landline's area code is: 010 and 020-029 have 2 digits after the 0, the others 3."""
    return 3 if landline[1] in "12" else 4
