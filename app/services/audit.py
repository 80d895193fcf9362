"""Reading the audit log (SEC-3); its chain is kept and verified by app.database.audit_chain."""
from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.database.uow import UnitOfWork
from app.i18n import _
from app.models.audit import AuditEntry
from app.permissions import Actor, Perm, require


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor_id: int | None
    action: str
    target: str
    before: str
    after: str


def list_entries(actor: Actor, uow: UnitOfWork, *, action: str | None = None, target: str | None = None,
                 limit: int = 200) -> list[AuditRow]:
    require(actor, Perm.VIEW_AUDIT)
    with uow:
        q = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if action:
            q = q.where(AuditEntry.action == action)
        if target:
            q = q.where(AuditEntry.target == target)
        return [AuditRow(e.id, e.at, e.actor_id, e.action, e.target, e.before, e.after)
                for e in uow.session.scalars(q)]


def by_whom(actor: Actor | None) -> dict[str, str]:
    """Who, for an entry's `after`: a signed-in staff member is the entry's actor; the command line, whose user holds
    the database anyway, is named here."""
    if actor is not None:
        return {}
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name in this environment
        user = "?"
    return {"by": _("command line, system user %s") % user}
