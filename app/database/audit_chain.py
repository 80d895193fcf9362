"""The audit log's hash chain (SEC-3): each entry's hash covers the one before it, so an entry edited, inserted
or deleted breaks the chain; appended in the writing transaction, verified by `db check`, a copy and a restore.

Each hash is an HMAC with the office's secret key (app.database.audit_key), kept outside the database: whoever
holds the file but not the key cannot rewrite an entry and recompute the hashes after it. Logs begun before the
key existed keep their plain SHA-256 entries; the upgrade that brought the key sealed them with one keyed entry
(`audit.keyed`), so they cannot be rewritten either. A log's newest entry is always keyed.

The head row (audit_head) names the newest entry and the key's id. A missing head, a head that does not match
the newest entry, a log shorter than the head says, and an empty log in a database that holds records are each
said. Cutting the newest entries off together with the head cannot be seen in the file alone: each station
keeps the head it last saw (app.database.anchors), and `db check` compares.

The staff table is checked against the log too (SEC-2): each account's role, whether it is switched on, and its
PIN (a digest of its hash) must be what the newest audited change made them, so an account edited behind the
program's back (a supervisor made a manager with sqlite3) is named.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.orm import Session

from app import clock
from app.database import audit_key
from app.database.engine import insert_if_missing
from app.errors import DatabaseProblem
from app.i18n import _
from app.models.audit import AuditEntry, AuditHead

GENESIS = "0" * 64
# Schema revisions whose logs were written without the key: a backup of one is checked as such, then sealed.
UNSEALED_REVISIONS = frozenset({"0001", "0002", "0003", "0004"})
# What each staff account's entries may say about it; the newest value of each must match the staff row.
STAFF_FIELDS = ("role", "active", "pin")

# (last_id, last_hash, key_id) of audit_head
Head = tuple[int, str, str | None]


def entry_hash(prev_hash: str, *, at: str, actor_id: int | None, action: str, target: str, before: str, after: str,
               key: bytes | None = None) -> str:
    """The entry's hash: an HMAC with `key`, or (entries written before the key) a plain SHA-256."""
    payload = json.dumps([prev_hash, at, actor_id, action, target, before, after], ensure_ascii=False).encode("utf-8")
    if key is None:
        return hashlib.sha256(payload).hexdigest()
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def to_json(values: dict[str, Any] | None) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str) if values else ""


def pin_mark(pin_hash: str) -> str:
    """A short digest of a PIN's (salted) hash, kept in the audit entry that sets it: a PIN hash copied in
    behind the program's back no longer matches. Says nothing of the PIN to whoever reads the log."""
    return hashlib.sha256(pin_hash.encode("utf-8")).hexdigest()[:16]


def append(session: Session, actor_id: int | None, action: str, target: str, *,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> int:
    """Append a chained entry in the session's transaction; returns its id. The head row is locked until the
    transaction ends, so entries are numbered and chained one after another whatever the stations do.

    Refused with a sentence (nothing saved) when the head is missing or behind the log, or when this station
    does not hold the key the log is sealed with: writing on would hide what happened to the log."""
    head, key = _locked_head(session)
    at = clock.now()
    b, a = to_json(before), to_json(after)
    digest = entry_hash(head.last_hash, at=at.isoformat(timespec="microseconds"), actor_id=actor_id,
                        action=action, target=target, before=b, after=a, key=key.secret)
    entry = AuditEntry(id=head.last_id + 1, at=at, actor_id=actor_id, action=action, target=target,
                       before=b, after=a, prev_hash=head.last_hash, hash=digest)
    session.add(entry)
    head.last_id, head.last_hash = entry.id, digest
    session.flush()
    return entry.id


def _locked_head(session: Session) -> tuple[AuditHead, audit_key.AuditKey]:
    lock = select(AuditHead).where(AuditHead.id == 1).with_for_update()
    head = session.execute(lock).scalar_one_or_none()
    if head is None:
        if session.scalar(select(AuditEntry.id).limit(1)) is not None:
            raise DatabaseProblem(_("Nothing was saved: the audit log's head, its record of the newest entry, is "
                                    "missing, so entries may have been removed. Run salesoffice db check; a manager "
                                    "restores the latest good backup."))
        # A new log: this station's key seals it (made now on a station's first start). Two stations may race
        # to make the head row; one insert gives way, and a station holding another key is refused below.
        made = audit_key.load_or_make()
        insert_if_missing(session, AuditHead.__table__, id=1, last_id=0, last_hash=GENESIS, key_id=made.id)
        head = session.execute(lock).scalar_one()
    if head.key_id is None:
        if head.last_id:
            raise DatabaseProblem(_("Nothing was saved: the audit log's head does not name the key that seals the "
                                    "log, so the log may have been changed outside the program. Run salesoffice db "
                                    "check."))
        head.key_id = audit_key.load_or_make().id
    key = audit_key.load()
    if key is None or key.id != head.key_id:
        raise DatabaseProblem(_("Nothing was saved: %s") % audit_key.missing(head.key_id))
    if session.scalar(select(AuditEntry.id).where(AuditEntry.id > head.last_id).limit(1)) is not None:
        raise DatabaseProblem(_("Nothing was saved: the audit log's head names an older entry than the newest one, "
                                "so the log was changed outside the program. Run salesoffice db check."))
    return head, key


@dataclass
class ChainVerdict:
    entries: int = 0
    problems: list[str] = field(default_factory=list)
    newest: tuple[int, str] | None = None  # the newest entry's (id, hash), once the whole chain verified
    key_id: str | None = None  # the key the head names
    sealed: bool = False  # the newest entry is keyed
    staff: dict[int, dict[str, Any]] = field(default_factory=dict)  # what the log last said of each account


def verify_chain(engine: Engine, *, sealed: bool = True) -> ChainVerdict:
    """Recompute every hash in order, and check the head and the staff table against the log, all in one
    snapshot of the database (a station writing meanwhile is not mistaken for a changed log)."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        else:
            conn = conn.execution_options(readonly=True)  # SQLite: a read transaction, never the write lock
        with conn.begin():
            return verify_connection(conn, sealed=sealed)


def verify_connection(conn: Connection, *, sealed: bool = True) -> ChainVerdict:
    """The whole check inside a transaction of the caller's (a copy checks what it wrote before committing).
    `sealed=False` for a database of a revision before the key (UNSEALED_REVISIONS), checked before its upgrade."""
    row = conn.execute(text("SELECT * FROM audit_head WHERE id = 1")).mappings().first()
    head = (int(row["last_id"] or 0), str(row["last_hash"]), row.get("key_id")) if row is not None else None
    rows = conn.execute(select(AuditEntry.__table__).order_by(AuditEntry.id)).mappings()
    verdict = verify_entries(rows, head, sealed=sealed)
    if verdict.problems:
        return verdict
    if verdict.entries == 0:
        if _holds_records(conn):
            verdict.problems.append(_("Audit log: it is empty, but the database holds records: the log was erased."))
        return verdict
    staff = conn.execute(text("SELECT id, name, role, active, pin_hash FROM staff ORDER BY id")).mappings()
    verdict.problems.extend(staff_problems(staff, verdict))
    return verdict


def _holds_records(conn: Connection) -> bool:
    from sqlalchemy import inspect

    from app.models import Base  # every table the program writes, each through an audited operation

    present = set(inspect(conn).get_table_names())  # a backup of an older schema lacks the newer tables
    for table in Base.metadata.sorted_tables:
        if table.name in ("audit_log", "audit_head", "saved_forms") or table.name not in present:
            continue
        if conn.execute(text(f'SELECT 1 FROM "{table.name}" LIMIT 1')).first() is not None:
            return True
    return False


def verify_entries(rows: Iterable[Mapping[str, Any]], head: Head | None, *, sealed: bool = True) -> ChainVerdict:
    """The chain check on entries from anywhere (the database, or a backup read before it is restored), in id
    order with `at` aware; `head` is audit_head's (last_id, last_hash, key_id), None when the row is missing."""
    verdict = ChainVerdict(key_id=head[2] if head else None)
    station = audit_key.load()
    # Keyed entries are checked with this station's key, unless the head names another one.
    secret = station.secret if station is not None and verdict.key_id in (None, station.id) else None
    prev, expected_id, keyed = GENESIS, 1, False
    for row in rows:
        verdict.entries += 1
        fields = dict(at=row["at"].isoformat(timespec="microseconds"), actor_id=row["actor_id"],
                      action=row["action"], target=row["target"], before=row["before"], after=row["after"])
        if row["id"] != expected_id:
            verdict.problems.append(_("Audit log: entry %(id)d is missing (found %(found)d).")
                                    % {"id": expected_id, "found": row["id"]})
        if row["prev_hash"] != prev:
            verdict.problems.append(_("Audit log: entry %d was altered.") % row["id"])
            return verdict
        if not keyed and row["hash"] == entry_hash(prev, **fields):
            pass  # written before the log was keyed
        elif secret is None:
            verdict.problems.append(audit_key.missing(verdict.key_id) if verdict.key_id else
                                    _("Audit log: from entry %d on it is sealed with a key, but its head does not "
                                      "say which; it was changed outside the program.") % row["id"])
            return verdict
        elif row["hash"] == entry_hash(prev, **fields, key=secret):
            keyed = True
        else:
            verdict.problems.append(_("Audit log: entry %d was altered.") % row["id"])
            return verdict
        _follow_staff(verdict.staff, row)
        prev, expected_id = row["hash"], row["id"] + 1
    if verdict.problems:
        return verdict
    verdict.sealed = keyed
    last_id = expected_id - 1
    if head is None:
        if verdict.entries:
            verdict.problems.append(_("Audit log: its head, the record of the newest entry, is missing; entries may "
                                      "have been removed with it."))
    elif head[0] > last_id:
        verdict.problems.append(_deleted_tail(expected_id, head[0]))
    elif head[0] != last_id or head[1] != prev:
        verdict.problems.append(_("Audit log: its head names entry %(head)d, but the newest entry is %(last)d; the "
                                  "log or its head was changed outside the program.")
                                % {"head": head[0], "last": last_id})
    elif keyed and verdict.key_id is None:
        verdict.problems.append(_("Audit log: its head does not name the key that seals it; it was changed outside "
                                  "the program."))
    if sealed and verdict.entries and not keyed:
        verdict.problems.append(_("Audit log: its newest entries are not sealed with the office's key; the log was "
                                  "rewritten outside the program."))
    if not verdict.problems and verdict.entries:
        verdict.newest = (last_id, prev)
    return verdict


def _follow_staff(staff: dict[int, dict[str, Any]], row: Mapping[str, Any]) -> None:
    """Keep what the newest entries say of each staff account: role, switched on or off, PIN."""
    target = row["target"]
    if not target.startswith("staff:") or not target[6:].isdigit():
        return
    try:
        after = json.loads(row["after"]) if row["after"] else {}
    except ValueError:
        return
    if not isinstance(after, dict):
        return
    state = staff.setdefault(int(target[6:]), {})
    if row["action"] == "staff.create":
        state.update(created=True, active=True)
    state.update({k: after[k] for k in STAFF_FIELDS if k in after})


def staff_problems(rows: Iterable[Mapping[str, Any]], verdict: ChainVerdict) -> list[str]:
    """Each staff account whose role, state or PIN is not what the newest audited change made it (SEC-2): it was
    edited behind the program's back. `rows` hold id, name, role, active and pin_hash."""
    from app.permissions import ROLE_LABEL, Role

    def role_name(value: object) -> str:
        try:
            return _(ROLE_LABEL[Role(str(value))])
        except ValueError:
            return str(value)

    problems, seen = [], set()
    for row in rows:
        sid, name = int(row["id"]), row["name"]
        seen.add(sid)
        said = verdict.staff.get(sid, {})
        who = {"name": name, "id": sid}
        if not said.get("created"):
            problems.append(_("Staff account %(name)s (#%(id)d) has no entry in the audit log: it was added outside "
                              "the program.") % who)
            continue
        if "role" in said and str(row["role"]) != str(said["role"]):
            problems.append(_("Staff account %(name)s (#%(id)d) is %(role)s, but the audit log made it %(logged)s: "
                              "the staff table was changed outside the program.")
                            % {**who, "role": role_name(row["role"]), "logged": role_name(said["role"])})
        if bool(row["active"]) != bool(said.get("active", True)):
            problems.append((_("Staff account %(name)s (#%(id)d) is switched on, but the audit log switched it off: "
                               "the staff table was changed outside the program.") if row["active"] else
                             _("Staff account %(name)s (#%(id)d) is switched off, but the audit log did not switch it "
                               "off: the staff table was changed outside the program.")) % who)
        if "pin" in said and pin_mark(str(row["pin_hash"])) != said["pin"]:
            problems.append(_("The PIN of staff account %(name)s (#%(id)d) was changed outside the program.") % who)
    for sid in sorted(set(verdict.staff) - seen):
        if verdict.staff[sid].get("created"):
            problems.append(_("Staff account #%d, made through the program, is missing from the staff table.") % sid)
    return problems


def _deleted_tail(first: int, last: int) -> str:
    """The chain is whole but the head remembers later entries: name the ones that are gone."""
    if last == first:
        return _("Audit log: entry %d, the newest, was deleted.") % last
    return (_("Audit log: entries %(first)d to %(last)d, the newest, were deleted.")
            % {"first": first, "last": last})


def seal_unkeyed(conn: Connection) -> None:
    """The upgrade to the keyed log: a log written without the key gets one keyed entry after its newest
    (`audit.keyed`, naming the key's id and the entry it seals), so none of its entries can be rewritten from
    now on, and an entry per staff account giving its PIN's digest (the older log never kept one).

    A log whose head is missing or does not match it is left as it is: sealing it would hide that; `db check`
    says what is wrong. An empty log is sealed by its first entry.
    """
    from sqlalchemy import column, table

    from app.models.base import UTCDateTime

    head = conn.execute(text("SELECT last_id, last_hash FROM audit_head WHERE id = 1")).first()
    newest = conn.execute(text("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")).first()
    if head is None or newest is None or (head[0], head[1]) != (newest[0], newest[1]):
        return
    key = audit_key.load_or_make()
    log = table("audit_log", column("id"), column("at", UTCDateTime()), column("actor_id"), column("action"),
                column("target"), column("before"), column("after"), column("prev_hash"), column("hash"))
    at = clock.now()
    entries = [(None, "audit.keyed", "audit", {"key": key.id, "seals": newest[0]})]
    for sid, pin_hash in conn.execute(text("SELECT id, pin_hash FROM staff ORDER BY id")):
        entries.append((None, "staff.sealed", f"staff:{sid}", {"pin": pin_mark(pin_hash)}))
    last_id, prev = newest[0], newest[1]
    for actor, action, target, after in entries:
        last_id += 1
        values = {"at": at, "actor_id": actor, "action": action, "target": target, "before": "",
                  "after": to_json(after)}
        digest = entry_hash(prev, **{**values, "at": at.isoformat(timespec="microseconds")}, key=key.secret)
        conn.execute(log.insert().values(id=last_id, prev_hash=prev, hash=digest, **values))
        prev = digest
    conn.execute(text("UPDATE audit_head SET last_id = :id, last_hash = :hash, key_id = :key WHERE id = 1"),
                 {"id": last_id, "hash": prev, "key": key.id})
