"""What other stations changed: every change is audited, so the audit log doubles as the change feed.

A station polls the newest audit entry's id (one primary-key read); when it moved, the actions since then
name the areas to redraw. Works the same on SQLite and PostgreSQL, with no table of its own.
"""
from __future__ import annotations

from sqlalchemy import select

from app.models.audit import AuditEntry, AuditHead
from app.database.uow import UnitOfWork


def latest(uow: UnitOfWork) -> int:
    """The id of the newest change (0 in a new office)."""
    with uow:
        return uow.session.scalar(select(AuditHead.last_id).where(AuditHead.id == 1)) or 0


def since(uow: UnitOfWork, after_id: int, *, limit: int = 1000) -> dict[int, str]:
    """For the changes after `after_id` (at most `limit`, oldest first), each entry's area ("visits" …)."""
    with uow:
        rows = uow.session.execute(select(AuditEntry.id, AuditEntry.action).where(AuditEntry.id > after_id)
                                   .order_by(AuditEntry.id).limit(limit))
        return {entry_id: action.split(".", 1)[0] for entry_id, action in rows}
