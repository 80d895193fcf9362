"""The database's schema version: create, upgrade (with a backup first), refuse newer, check integrity."""
from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, inspect, text

from app import clock
from app.database.engine import sqlite_path
from app.errors import DatabaseProblem
from app.i18n import N_, _

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration. Kept here so that starting the window never imports Alembic just to learn that
# the database is current; tests/migrations checks it against the migration scripts.
SCHEMA_HEAD = "0004"


def _alembic_config():  # type: ignore[no-untyped-def]
    from alembic.config import Config  # heavy: imported only when the schema is touched

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head() or ""


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    """The revision stamped in the database; None for an empty database."""
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                if inspect(conn).get_table_names():
                    raise DatabaseProblem(_("This database was not made by salesoffice."))
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DatabaseProblem:
        raise
    except Exception as e:  # not a database, unreachable server, wrong password …
        raise DatabaseProblem(_("Cannot open the database: %s") % reason(e)) from e


# SQLite's own words for the failures staff meet, said in their language.
_SQLITE_REASONS = {
    "file is not a database": N_("the file is not a database"),
    "database disk image is malformed": N_("the file is damaged"),
    "malformed database schema": N_("the file is damaged"),
    "database or disk is full": N_("the disk is full"),
    "unable to open database file": N_("the file cannot be opened or created there"),
    "attempt to write a readonly database": N_("the file is read-only"),
    "disk i/o error": N_("the disk could not be written (full or failing)"),
}


def reason(e: BaseException) -> str:
    """A short, translated reason for a database or file error, fit to follow a colon."""
    orig = getattr(e, "orig", None) or e
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    for words, said in _SQLITE_REASONS.items():
        if text.lower().startswith(words):  # some carry details after the words: "malformed database schema (x)"
            return _(said)
    if isinstance(orig, OSError) and orig.strerror:
        return orig.strerror
    return _server_reason(text) or text


_UNREACHABLE = ("connection refused", "could not translate host name", "timeout expired", "no route to host",
                "name or service not known", "server closed the connection", "network is unreachable",
                "connection timed out", "terminating connection", "the database system is starting up",
                "the database system is shutting down", "no such file or directory", "could not receive data",
                "could not send data", "connection is lost", "the connection is closed", "connection is bad")


def _server_reason(text: str) -> str | None:
    """PostgreSQL's (libpq's) words for what staff meet when a station cannot use the office's server."""
    lower = text.lower()
    missing = re.search(r'database "([^"]+)" does not exist', text)
    if missing:
        return _("the database %s does not exist on the server") % missing.group(1)
    if "password authentication failed" in lower or re.search(r'role "[^"]+" does not exist', text) \
            or "no password supplied" in lower:
        return _("the user name or password is wrong")
    if any(words in lower for words in _UNREACHABLE):
        return _("cannot reach the database server (is it running? are the host and port right?)")
    if "permission denied" in lower:
        return _("the server refused: this user may not do that")
    return None


def is_unreachable(e: BaseException) -> bool:
    """True when the server could not be reached or the connection to it was lost, rather than the server
    refusing the work: the same work can simply be tried again once it answers."""
    if getattr(e, "connection_invalidated", False):  # SQLAlchemy's verdict: the connection died under us
        return True
    orig = getattr(e, "orig", None) or e
    return any(words in str(orig).lower() for words in _UNREACHABLE)


def ensure_supported(engine: Engine) -> str | None:
    """Refuse a database made by a newer salesoffice; return its revision."""
    rev = current_revision(engine)
    if rev is not None and rev not in known_revisions():
        raise DatabaseProblem(_("This database was made by a newer version of salesoffice; "
                                "install the newer version to open it."))
    return rev


def is_current(engine: Engine) -> bool:
    """True when the database is at SCHEMA_HEAD (cheap: no Alembic import)."""
    return current_revision(engine) == SCHEMA_HEAD


def upgrade(engine: Engine, *, backup: bool = True) -> Path | None:
    """Create or upgrade the schema to the newest; a database with data is backed up first: a SQLite file
    beside itself, a PostgreSQL database as a pg_dump archive in the data folder (refused without pg_dump).

    Returns the backup's path when one was made. `backup=False` is for a private copy (a restore
    being checked) that is itself the backup, or a person who said `db upgrade --no-backup`.
    """
    from alembic import command

    rev = ensure_supported(engine)
    if rev is not None and engine.dialect.name == "postgresql":
        _sequences_behind(engine, repair=True)
    if rev == head_revision():
        return None
    copy = None
    path = sqlite_path(str(engine.url))
    if backup and rev is not None and path is not None:
        copy = beside(path, "before-upgrade")
        sqlite_backup(path, copy)
    elif backup and rev is not None:
        from app.database import backup as backups  # imports this module

        copy = backups.before_upgrade(engine)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return copy


def beside(path: Path, label: str) -> Path:
    """A new file name next to `path` saying what it is and when (office time), never an existing one."""
    stamp = clock.local(clock.now()).strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.{label}-{stamp}{path.suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.{label}-{stamp}-{n}{path.suffix}")
        n += 1
    return candidate


def online_copy(source: Path, out: Path) -> list[str]:
    """Copy a SQLite file, live or not, with the online backup API; return the copy's integrity_check rows.

    Raises sqlite3.Error or OSError; the caller removes `out` when it fails.
    """
    # Read-only on the source: a copy must never change what it copies. as_uri() escapes any '?', '#', spaces.
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(out)
        try:
            src.backup(dst)
            return [row[0] for row in dst.execute("PRAGMA integrity_check")]
        finally:
            dst.close()
    finally:
        src.close()


def sqlite_backup(source: Path, out: Path) -> None:
    """A consistent copy of a live SQLite file, checked before it is kept; no partial file is ever left."""
    tmp = out.with_name(out.name + ".part")
    try:
        if online_copy(source, tmp) != ["ok"]:
            raise DatabaseProblem(_("The backup copy failed its integrity check."))
        os.replace(tmp, out)
    except BaseException as e:
        tmp.unlink(missing_ok=True)
        if isinstance(e, sqlite3.Error):
            raise DatabaseProblem(_("Cannot make the backup: %s") % reason(e)) from e
        if isinstance(e, OSError):
            raise DatabaseProblem(_("Cannot write the backup to %(path)s: %(reason)s")
                                  % {"path": out, "reason": reason(e)}) from e
        raise


def _sequences_behind(engine: Engine, *, repair: bool = False) -> list[str]:
    """PostgreSQL numbers new rows from a sequence per table; one behind the ids already there (after rows
    were copied in by hand) makes the next save fail. Names each such table; `repair` moves it past them."""
    problems = []
    with engine.begin() as conn:
        tables = conn.execute(text("SELECT table_name FROM information_schema.columns WHERE table_schema = "
                                   "current_schema() AND column_name = 'id' ORDER BY table_name")).scalars().all()
        for table in tables:
            if table in ("audit_log", "audit_head"):  # numbered by the chain itself, never by the sequence
                continue
            sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table}).scalar()
            if sequence is None:
                continue
            top = conn.execute(text(f'SELECT max(id) FROM "{table}"')).scalar()
            last, called = conn.execute(text(f"SELECT last_value, is_called FROM {sequence}")).one()
            next_id = last + 1 if called else last
            if top is not None and next_id <= top and repair:
                conn.execute(text("SELECT setval(:s, :v, false)"), {"s": sequence, "v": top + 1})
            elif top is not None and next_id <= top:
                problems.append(_("Table %(table)s would number its next row %(next)d, which is taken (the highest "
                                  "is %(top)d); run: salesoffice db upgrade") % {"table": table, "next": next_id,
                                                                              "top": top})
    return problems


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    revision: str | None = None
    audit_entries: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def check(engine: Engine) -> CheckReport:
    """Integrity, schema version and the audit chain (SEC-3)."""
    from app.services import audit

    report = CheckReport()
    try:
        report.revision = ensure_supported(engine)
    except DatabaseProblem as e:
        report.problems.append(str(e))
        return report
    if report.revision != head_revision():
        report.problems.append(_("The schema is not up to date; run: salesoffice db upgrade"))
        return report
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            rows = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
            if rows != ["ok"]:
                report.problems.append(_("The file is damaged: %s") % "; ".join(rows[:5]))
            fk = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
            if fk:
                report.problems.append(_("%d rows point at records that do not exist.") % len(fk))
    if engine.dialect.name == "postgresql":
        report.problems.extend(_sequences_behind(engine))
    verdict = audit.verify_chain(engine)
    report.audit_entries = verdict.entries
    report.problems.extend(verdict.problems)
    return report
