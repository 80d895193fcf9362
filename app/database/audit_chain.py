"""The audit log's hash chain (SEC-3): each entry's hash covers the one before it, so an entry edited, inserted
or deleted breaks the chain; appended in the writing transaction, verified by `db check`, a copy and a restore."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from app import clock
from app.database.engine import insert_if_missing
from app.i18n import _
from app.models.audit import AuditEntry, AuditHead

GENESIS = "0" * 64


def entry_hash(prev_hash: str, *, at: str, actor_id: int | None, action: str, target: str, before: str, after: str) -> str:
    payload = json.dumps([prev_hash, at, actor_id, action, target, before, after], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def to_json(values: dict[str, Any] | None) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str) if values else ""


def append(session: Session, actor_id: int | None, action: str, target: str, *,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> int:
    """Append a chained entry in the session's transaction; returns its id. The head row is locked until the
    transaction ends, so entries are numbered and chained one after another whatever the stations do."""
    # The first entry of a new database: two stations may race to make the head row; one insert gives way.
    insert_if_missing(session, AuditHead.__table__, id=1, last_id=0, last_hash=GENESIS)
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()
    at = clock.now()
    b, a = to_json(before), to_json(after)
    digest = entry_hash(head.last_hash, at=at.isoformat(timespec="microseconds"), actor_id=actor_id,
                        action=action, target=target, before=b, after=a)
    entry = AuditEntry(id=head.last_id + 1, at=at, actor_id=actor_id, action=action, target=target,
                       before=b, after=a, prev_hash=head.last_hash, hash=digest)
    session.add(entry)
    head.last_id, head.last_hash = entry.id, digest
    session.flush()
    return entry.id


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
