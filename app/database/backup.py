"""Backup and restore of the office's database (SEC-5), from the menu and the command line.

A backup is a consistent copy taken while the program runs (SQLite's online backup API), checked before
it is kept. A restore checks the whole backup on a private copy first (a salesoffice database of a known
schema, intact, its audit chain unbroken and its staff accounts as the log made them), so a refused restore
changes nothing; then it keeps the current data beside the database and copies the backup in.

Restoring replaces everyone's accounts and rights with the backup's, so in the window it is a manager's action
(Perm.RESTORE; making a backup is a supervisor's too). A backup edited behind the program's back (a supervisor
made a manager with sqlite3) is refused: the audit log is keyed with the office's key, which a backup never
carries, and each staff account must be what the log last made it (app.database.audit_chain). The restore's
own audit entry names the backup's chain head, so the log says exactly which data came back.

On PostgreSQL (SEC-6) a backup is a pg_dump archive in custom format, kept once pg_restore reads its table
of contents. A restore reads the archive before touching anything: pg_restore must read it, it must hold
salesoffice's schema version (one this program knows), an unbroken audit chain and staff accounts that match
it, read from the archive's own rows. The current data is then dumped into the data folder, and the tables
are replaced by the archive's in one transaction (psql --single-transaction): a failure leaves the data as it
was. The restored data is brought to this version's schema afterwards, and the restore is written in its
audit log.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, inspect, text

from app import clock, paths
from app.database import anchors, audit_chain, pg_tools, schema
from app.database.driver_errors import reason
from app.database.engine import is_sqlite, make_engine, session_factory, sqlite_path, use_wal
from app.database.sqlite_files import RESTORING, online_copy, remove, sqlite_backup
from app.database.uow import UnitOfWork
from app.errors import DatabaseProblem, DomainError, NotFound, ValidationError
from app.i18n import _
from app.permissions import Actor, Perm, require


@dataclass(frozen=True)
class Restored:
    source: Path
    revision: str  # the backup's schema revision, before any upgrade
    upgraded: bool
    safety_copy: Path | None  # the data as it was before the restore; None when there was none
    head: tuple[int, str] | None = None  # the backup's newest audit entry (id, hash), named in the restore's entry
    sealed: bool = True  # False: a backup of an earlier version, whose log was not yet keyed


def suggested_name(engine: Engine) -> str:
    """A file name for a backup made now: a SQLite copy (.db), or a pg_dump archive (.dump) of a shared server."""
    suffix = ".db" if is_sqlite(str(engine.url)) else ".dump"
    return f"salesoffice-{clock.local(clock.now()):%Y%m%d-%H%M}{suffix}"


def _database_file(engine: Engine, *, must_exist: bool = True) -> Path:
    url = str(engine.url)
    path = sqlite_path(url)
    if path is None or (must_exist and not path.is_file()):
        raise NotFound(_("There is no database at %s.") % (path or url))
    return path


def backup(actor: Actor | None, engine: Engine, out: str | os.PathLike[str]) -> Path:
    """Copy the live database to `out`; returns the copy's path.

    `actor` is None on the command line, whose user holds the file anyway; the window passes the
    signed-in staff member, who needs the backup permission.
    """
    if actor is not None:
        require(actor, Perm.BACKUP)
    on_server = not is_sqlite(str(engine.url))
    live = None if on_server else _database_file(engine)
    target = Path(out).expanduser().absolute()
    if target.is_dir():
        raise ValidationError(_("%s is a folder; give the backup a file name.") % target)
    if target.exists():
        raise ValidationError(_("%s already exists; choose another name so that no backup is overwritten.")
                              % target)
    if not target.parent.is_dir():
        raise NotFound(_("The folder %s does not exist.") % target.parent)
    if on_server:
        if schema.ensure_supported(engine) is None:
            raise NotFound(_("The database holds no salesoffice data; there is nothing to back up."))
        pg_tools.dump(engine, target)
    else:
        sqlite_backup(live, target)
    anchors.advance(engine)  # this station saw the log up to here (SEC-3)
    return target


def restore(actor: Actor | None, engine: Engine, source: str | os.PathLike[str]) -> Restored:
    """Replace the data with a backup's, after checking all of it; the current data is kept beside it.

    `actor` is None on the command line, whose user holds the file anyway; in the window only a manager may
    restore (it replaces everyone's rights). The backup is checked in full either way."""
    if actor is not None:
        require(actor, Perm.RESTORE)
    source = Path(source).expanduser().absolute()
    if not is_sqlite(str(engine.url)):
        if not source.is_file():
            raise NotFound(_("There is no file at %s.") % source)
        return _pg_restore(actor, engine, source)
    live = _database_file(engine, must_exist=False)
    if not source.is_file():
        raise NotFound(_("There is no file at %s.") % source)
    if live.exists() and source.resolve() == live.resolve():
        raise ValidationError(_("%s is the database in use; choose a backup file.") % source)
    # Named for this process: two restores started at once never share (or delete) each other's copy.
    staging = live.with_name(f"{live.name}{RESTORING}{os.getpid()}")
    remove(staging)
    try:
        revision, verdict = _checked_copy(source, staging, actor)
        safety = _safety_copy(live) if live.is_file() and live.stat().st_size else None
        _copy_in(staging, live, safety)
    finally:
        remove(staging)
    use_wal(engine)  # the backup is a rollback-journal file; the office's database works in WAL mode
    anchors.reset(engine, _newest(engine))  # this station starts again from the restored log
    return Restored(source, revision, revision != schema.head_revision(), safety, verdict.newest, verdict.sealed)


def _refused(source: Path, reason: str) -> DatabaseProblem:
    return DatabaseProblem(_("Cannot restore %(file)s, and the current data is unchanged: %(reason)s")
                           % {"file": source.name, "reason": reason})


def _checked_copy(source: Path, staging: Path, actor: Actor | None) -> tuple[str, audit_chain.ChainVerdict]:
    """Copy the backup to `staging`, refuse it unless every check passes, bring it to the newest schema.

    Returns the backup's revision and its audit log's verdict, taken before the upgrade (which seals a log
    of an earlier version: its staff accounts are checked against its own log first). The restore is written
    into the audit log of the copy, so the restored data itself says when it was restored, and from what.
    """
    try:
        rows = online_copy(source, staging, immutable=True)  # a backup on a write-protected stick reads too
    except sqlite3.Error as e:
        raise _refused(source, reason(e)) from e
    except OSError as e:
        raise DatabaseProblem(_("Cannot restore: %s") % reason(e)) from e
    if rows != ["ok"]:
        raise _refused(source, _("the file is damaged: %s") % "; ".join(rows[:3]))
    engine = make_engine(staging)
    try:
        try:
            revision = schema.ensure_supported(engine)
        except DatabaseProblem as e:
            raise _refused(source, str(e)) from e
        if revision is None:
            raise _refused(source, _("it holds no salesoffice data."))
        try:
            verdict = audit_chain.verify_chain(engine, sealed=revision not in audit_chain.UNSEALED_REVISIONS)
        except DatabaseProblem as e:  # this station's key file cannot be read
            raise _refused(source, str(e)) from e
        if verdict.problems:
            raise _refused(source, " ".join(verdict.problems))
        schema.upgrade(engine, backup=False)  # the backup file itself stays as it was
        report = schema.check(engine)
        if not report.ok:
            raise _refused(source, " ".join(report.problems))
        uow = UnitOfWork(session_factory(engine))
        with uow:
            _audit_restore(uow, source, revision, verdict, actor)
            uow.commit()
        return revision, verdict
    finally:
        engine.dispose()


def _audit_restore(uow: UnitOfWork, source: Path, revision: str, verdict: audit_chain.ChainVerdict,
                   actor: Actor | None) -> None:
    """The restore's entry names the backup's chain head: which log, to the entry, came back (SEC-3)."""
    head = {"id": verdict.newest[0], "hash": verdict.newest[1]} if verdict.newest else None
    # No actor id: the staff member restoring may not exist in the restored data.
    uow.audit(None, "database.restore", "database",
              after={"from": source.name, "revision": revision, "head": head, "sealed": verdict.sealed,
                     "by": actor.name if actor else "", "by_role": str(actor.role) if actor else ""})


def _newest(engine: Engine) -> tuple[int, str] | None:
    with engine.connect().execution_options(readonly=True) as conn:
        row = conn.execute(text("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")).first()
    return (int(row[0]), str(row[1])) if row is not None else None


def _pg_restore(actor: Actor | None, engine: Engine, source: Path) -> Restored:
    """Check the archive, keep the current data, then replace every table in one transaction."""
    current = schema.ensure_supported(engine)  # the server answers, and its data is not newer than us
    restore_program, psql = pg_tools.program("pg_restore"), pg_tools.program("psql")
    if not pg_tools.is_archive(source):
        raise _refused(source, _("the file is not a PostgreSQL backup made by salesoffice backup, or it is "
                                 "damaged."))
    try:
        tables = pg_tools.read_tables(source, ["alembic_version", "audit_log", "audit_head", "staff"])
    except DomainError as e:
        raise _refused(source, _("the file is damaged: %s") % e) from e
    versions = tables.get("alembic_version") or []
    if not versions:
        raise _refused(source, _("it holds no salesoffice data."))
    revision = str(versions[0]["version_num"])
    if revision not in schema.known_revisions():
        raise _refused(source, _("This database was made by a newer version of salesoffice; "
                                 "install the newer version to open it."))
    try:
        verdict = _archive_verdict(tables, sealed=revision not in audit_chain.UNSEALED_REVISIONS)
    except DatabaseProblem as e:  # this station's key file cannot be read
        raise _refused(source, str(e)) from e
    if verdict.problems:
        raise _refused(source, " ".join(verdict.problems))

    safety = pg_tools.safety_dump(engine, "before-restore") if current is not None else None
    with engine.connect() as conn:
        existing = inspect(conn).get_table_names()
    drop = ("DROP TABLE IF EXISTS " + ", ".join(f'"{t}"' for t in existing) + " CASCADE") if existing else "SELECT 1"
    engine.dispose()  # no connection of ours waits on the tables being replaced
    script = subprocess.Popen([restore_program, "--no-owner", "--no-privileges", "-f", "-", str(source)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        done = pg_tools.run([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-c", drop,
                             "-f", "-"], engine.url, stdin=script.stdout, stdout=subprocess.DEVNULL)
    finally:
        script.stdout.close()
        script.wait()
    if done.returncode != 0 or script.returncode != 0:
        if safety is not None:
            safety.unlink(missing_ok=True)
        raise DatabaseProblem(_("Cannot restore: %s. The current data is unchanged.")
                              % pg_tools.tool_reason(pg_tools.complaint(done)))
    schema.upgrade(engine, backup=False)
    uow = UnitOfWork(session_factory(engine))
    with uow:
        _audit_restore(uow, source, revision, verdict, actor)
        uow.commit()
    anchors.reset(engine, _newest(engine))  # this station starts again from the restored log
    return Restored(source, revision, revision != schema.head_revision(), safety, verdict.newest, verdict.sealed)


def _archive_verdict(tables: dict[str, list[dict[str, str | None]]], *, sealed: bool) -> audit_chain.ChainVerdict:
    """The audit log, its head and the staff accounts of a pg_dump archive, checked as the database's are."""
    heads = tables.get("audit_head") or []
    head = ((int(heads[0]["last_id"] or 0), str(heads[0]["last_hash"]), heads[0].get("key_id"))
            if heads else None)
    verdict = audit_chain.verify_entries(
        sorted((_audit_row(row) for row in tables.get("audit_log") or []), key=lambda row: row["id"]), head,
        sealed=sealed)
    staff = [{**row, "id": int(row["id"] or 0), "active": row["active"] in ("t", "true", "1")}
             for row in tables.get("staff") or []]
    if verdict.problems:
        return verdict
    if verdict.entries == 0:
        if staff:
            verdict.problems.append(_("Audit log: it is empty, but the database holds records: the log was erased."))
        return verdict
    verdict.problems.extend(audit_chain.staff_problems(staff, verdict))
    return verdict


def _audit_row(row: dict[str, str | None]) -> dict[str, object]:
    """An audit_log row as pg_dump wrote it (text, in the order the rows lie on disk, not by id), typed as the
    chain check reads it from the database."""
    at = datetime.fromisoformat(str(row["at"])).replace(tzinfo=timezone.utc)
    return {**row, "id": int(row["id"] or 0), "at": at,
            "actor_id": int(row["actor_id"]) if row["actor_id"] is not None else None}


def _safety_copy(live: Path) -> Path:
    """Keep the current data beside the database before it is replaced."""
    copy = paths.beside(live, "before-restore")
    try:
        sqlite_backup(live, copy)
    except DatabaseProblem:
        if not _is_damaged(live):
            raise
        # A damaged database is the usual reason for a restore: keep its bytes exactly as they are.
        part = copy.with_name(copy.name + ".part")
        try:
            shutil.copyfile(live, part)
            os.replace(part, copy)
        except OSError as e:
            part.unlink(missing_ok=True)
            raise DatabaseProblem(_("Cannot keep a copy of the current data: %s") % reason(e)) from e
    return copy


def _is_damaged(path: Path) -> bool:
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return [r[0] for r in con.execute("PRAGMA integrity_check")] != ["ok"]
        finally:
            con.close()
    except sqlite3.OperationalError:
        return False  # locked or unreadable: not a verdict on the data
    except sqlite3.DatabaseError:
        return True


def _copy_in(staging: Path, live: Path, safety: Path | None) -> None:
    """Write the checked data into the live file with the backup API, so open connections stay consistent."""
    try:
        src = sqlite3.connect(staging)
        try:
            dst = sqlite3.connect(live, timeout=30)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.OperationalError as e:
        # Busy, full or read-only: the copy ran in one transaction, so the live file is as it was.
        if safety is not None:
            safety.unlink(missing_ok=True)
        raise DatabaseProblem(_("Cannot restore: %s. The current data is unchanged.") % reason(e)) from e
    except sqlite3.DatabaseError:
        # The live file is not a readable database, so nobody can be using it: put the checked copy in its place.
        for suffix in ("-wal", "-shm", "-journal"):
            live.with_name(live.name + suffix).unlink(missing_ok=True)
        os.replace(staging, live)
