"""Reading and verifying the audit log (SEC-3)."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select

from app.i18n import _
from app.models.audit import AuditEntry, AuditHead
from app.permissions import Actor, Perm, require
from app.database.uow import GENESIS, UnitOfWork, entry_hash


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor_id: int | None
    action: str
    target: str
    before: str
    after: str


@dataclass
class ChainVerdict:
    entries: int = 0
    problems: list[str] = field(default_factory=list)


def verify_chain(engine: Engine) -> ChainVerdict:
    """Recompute every hash in order: an edited, inserted or deleted entry breaks the chain."""
    with engine.connect() as conn:
        return verify_connection(conn)


def verify_connection(conn: Connection) -> ChainVerdict:
    """The chain check inside a transaction of the caller's (a copy checks what it wrote before committing)."""
    rows = conn.execute(select(AuditEntry.__table__).order_by(AuditEntry.id)).mappings()
    return verify_entries(rows, lambda: conn.execute(select(AuditHead.last_id, AuditHead.last_hash)).first())


def verify_entries(rows: Iterable[Mapping[str, Any]],
                   head: Callable[[], tuple[int, str] | None]) -> ChainVerdict:
    """The chain check on entries from anywhere (the database, or a backup read before it is restored), in id
    order with `at` aware; `head()` gives audit_head's (last_id, last_hash), asked once the rows are read."""
    verdict = ChainVerdict()
    prev, expected_id = GENESIS, 1
    for row in rows:
        verdict.entries += 1
        digest = entry_hash(prev, at=row["at"].isoformat(timespec="microseconds"), actor_id=row["actor_id"],
                            action=row["action"], target=row["target"], before=row["before"], after=row["after"])
        if row["id"] != expected_id:
            verdict.problems.append(_("Audit log: entry %(id)d is missing (found %(found)d).")
                                    % {"id": expected_id, "found": row["id"]})
        if row["prev_hash"] != prev or row["hash"] != digest:
            verdict.problems.append(_("Audit log: entry %d was altered.") % row["id"])
            break
        prev, expected_id = row["hash"], row["id"] + 1
    last = head()
    if not verdict.problems and last is not None and (last[0] != expected_id - 1 or last[1] != prev):
        verdict.problems.append(_deleted_tail(expected_id, last[0]))
    return verdict


def _deleted_tail(first: int, last: int) -> str:
    """The chain is whole but the head remembers later entries: name the ones that are gone."""
    if last == first:
        return _("Audit log: entry %d, the newest, was deleted.") % last
    if last > first:
        return (_("Audit log: entries %(first)d to %(last)d, the newest, were deleted.")
                % {"first": first, "last": last})
    return _("Audit log: the newest entries were deleted.")


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
