"""The points of each kind of check (SHW-2): what a template holds, and the defaults' file format checked."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass

from app import validation
from app.domain.showroom_day import CheckKind
from app.errors import ValidationError
from app.i18n import _

MAX_POINTS, MAX_POINT = 40, 120


@dataclass(frozen=True)
class Template:
    kind: CheckKind
    points: tuple[str, ...]
    count_items: bool  # the check counts every item of the list against its expected quantity


def parse(text: str) -> dict[CheckKind, Template]:
    """The templates a TOML text declares (data/showroom_checks.toml), one per kind, each checked."""
    try:
        declared = tomllib.loads(text).get("check", [])
    except tomllib.TOMLDecodeError:
        raise ValidationError(_("The check templates cannot be read: the file is not written as TOML.")) from None
    templates: dict[CheckKind, Template] = {}
    for entry in declared:
        try:
            kind = CheckKind(entry.get("kind"))
        except ValueError:
            raise ValidationError(_("Unknown kind of check: %s") % entry.get("kind")) from None
        if kind in templates:
            raise ValidationError(_("The kind of check %s is declared twice.") % kind)
        templates[kind] = checked(kind, entry.get("points", []), bool(entry.get("count_items", False)))
    missing = [kind for kind in CheckKind if kind not in templates]
    if missing:
        raise ValidationError(_("No template for: %s") % ", ".join(missing))
    return templates


def checked(kind: CheckKind, points: list[str], count_items: bool) -> Template:
    """A template as a supervisor may save it: 1 to 40 points, each said in at most 120 characters, none twice."""
    cleaned = [validation.text(str(p), MAX_POINT, "points", _("A check point"), squeeze=True) for p in points]
    cleaned = [p for p in cleaned if p]
    if not 1 <= len(cleaned) <= MAX_POINTS:
        raise ValidationError(_("A check has 1 to %d points.") % MAX_POINTS, field="points")
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError(_("A check point is listed twice."), field="points")
    return Template(kind, tuple(cleaned), count_items)
