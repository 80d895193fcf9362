"""The check templates (SHW-2): the points of each kind of check, kept as versions; an office that has none starts
from the defaults shipped in data/showroom_checks.toml."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app import clock, paths, validation
from app.database.engine import insert_if_missing
from app.database.uow import UnitOfWork
from app.domain import check_templates
from app.domain.showroom_day import CheckKind
from app.errors import NotFound, ValidationError
from app.i18n import _
from app.models.showroom import TemplateVersion
from app.permissions import Actor, Perm, require
from app.services.showroom import items

DEFAULTS = "showroom_checks.toml"


@dataclass(frozen=True)
class TemplateRow:
    id: int
    kind: CheckKind
    version: int
    points: tuple[str, ...]
    count_items: bool
    valid_from: datetime


def current(uow: UnitOfWork) -> dict[CheckKind, TemplateRow]:
    """The template of each kind in force now; the shipped defaults are stored on first use."""
    with uow.reading() as conn:
        rows = _newest(conn, clock.now())
    if len(rows) < len(CheckKind):
        _store_defaults(uow, missing=[k for k in CheckKind if k not in rows])
        with uow.reading() as conn:
            rows = _newest(conn, clock.now())
    return rows


def in_force(uow: UnitOfWork, kind: CheckKind, at: datetime) -> TemplateRow:
    """The template a check done at `at` answers: the newest saved before it."""
    return all_in_force(uow, at)[kind]


def all_in_force(uow: UnitOfWork, at: datetime) -> dict[CheckKind, TemplateRow]:
    """The template of each kind a check done at `at` answers: the newest saved before it, or, for a check dated
    before the office's first templates, the first."""
    stored = current(uow)  # defaults stored when there are none yet
    with uow.reading() as conn:
        found = _newest(conn, at)
        if len(found) < len(stored):
            first = conn.execute(select(TemplateVersion).where(TemplateVersion.version == 1))
            found = {**{CheckKind(r.kind): _template_row(r) for r in first}, **found}
    missing = [kind for kind in CheckKind if kind not in found]
    if missing:
        raise NotFound(_("No template for: %s") % ", ".join(missing))
    return found


def save(actor: Actor, uow: UnitOfWork, *, kind: CheckKind, points: list[str], count_items: bool,
         reason: str) -> TemplateRow:
    """A supervisor's new version of a kind of check's points, with why."""
    require(actor, Perm.MANAGE_SHOWROOM)
    template = check_templates.checked(CheckKind(kind), points, count_items)
    reason = validation.reason(reason)
    before = current(uow)[template.kind]
    if (before.points, before.count_items) == (template.points, template.count_items):
        raise ValidationError(_("Nothing was changed."))
    with uow:
        uow.one_at_a_time(items.LOCK)  # the newest version read, then the next written
        number = (uow.session.scalar(select(func.max(TemplateVersion.version))
                                     .where(TemplateVersion.kind == str(template.kind))) or 0) + 1
        row = TemplateVersion(kind=str(template.kind), version=number, valid_from=clock.now(),
                              points=json.dumps(list(template.points), ensure_ascii=False),
                              count_items=template.count_items, changed_by_id=actor.id, reason=reason)
        uow.session.add(row)
        uow.session.flush()
        uow.audit(actor.id, "showroom.template_save", f"template:{template.kind}",
                  before={"version": before.version, "points": list(before.points)},
                  after={"version": number, "points": list(template.points), "count_items": template.count_items,
                         "reason": reason})
        uow.commit()
        return _template_row(row)


def _store_defaults(uow: UnitOfWork, missing: list[CheckKind]) -> None:
    defaults = check_templates.parse(paths.defaults(DEFAULTS).read_text(encoding="utf-8"))
    with uow:
        for kind in missing:
            template = defaults[kind]
            # Two stations starting at once store it once: the second insert finds the first.
            insert_if_missing(uow.session, TemplateVersion.__table__, kind=str(kind), version=1,
                              valid_from=datetime(2000, 1, 1, tzinfo=clock.OFFICE_TZ),
                              points=json.dumps(list(template.points), ensure_ascii=False),
                              count_items=template.count_items, changed_by_id=None,
                              reason=_("the defaults a new office starts with"))
        uow.audit(None, "showroom.template_defaults", "templates", after={"kinds": [str(k) for k in missing]})
        uow.commit()


def _newest(conn, at: datetime) -> dict[CheckKind, TemplateRow]:  # type: ignore[no-untyped-def]
    newest = (select(TemplateVersion.kind, func.max(TemplateVersion.version).label("version"))
              .where(TemplateVersion.valid_from <= at).group_by(TemplateVersion.kind).subquery())
    rows = conn.execute(select(TemplateVersion).join(newest, (newest.c.kind == TemplateVersion.kind)
                                                     & (newest.c.version == TemplateVersion.version)))
    return {CheckKind(r.kind): _template_row(r) for r in rows}


def _template_row(r) -> TemplateRow:  # type: ignore[no-untyped-def]
    return TemplateRow(r.id, CheckKind(r.kind), r.version, tuple(json.loads(r.points)), bool(r.count_items),
                       r.valid_from)
