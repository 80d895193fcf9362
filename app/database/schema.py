"""The database's schema version: create, upgrade (with a backup first), refuse newer, check integrity."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from app import paths
from app.database import audit_chain, pg_tools
from app.database.driver_errors import reason
from app.database.engine import make_engine, sqlite_path, use_wal
from app.database.sqlite_files import remove_leftovers, sqlite_backup
from app.errors import DatabaseProblem
from app.i18n import _

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest migration. Kept here so that starting the window never imports Alembic just to learn that
# the database is current; tests/migrations checks it against the migration scripts.
SCHEMA_HEAD = "0007"


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


def ensure_supported(engine: Engine) -> str | None:
    """Refuse a database made by a newer salesoffice; return its revision."""
    rev = current_revision(engine)
    if rev is not None and rev not in known_revisions():
        raise DatabaseProblem(_("This database was made by a newer version of salesoffice; "
                                "install the newer version to open it."))
    return rev


def is_current(engine: Engine) -> bool:
    """True when the database is at SCHEMA_HEAD (cheap: no Alembic import) with every table of that schema;
    a database stamped with this schema but lacking tables is refused."""
    if current_revision(engine) != SCHEMA_HEAD:
        return False
    _refuse_lacking_tables(engine)
    return True


def require_current(engine: Engine) -> None:
    """Refuse, in words, work on a database that is not at this program's schema, for work that must not upgrade
    it on the way (the command line's export and import leave that to `db upgrade`, which backs up first)."""
    if is_current(engine):
        return
    rev = ensure_supported(engine)
    if rev is None:
        raise DatabaseProblem(_("The database holds nothing yet; create it with: salesoffice db upgrade"))
    raise DatabaseProblem(_("The database has schema %(old)s and this program needs %(new)s; bring it up to date "
                            "first with: salesoffice db upgrade") % {"old": rev, "new": SCHEMA_HEAD})


def _refuse_lacking_tables(engine: Engine) -> None:
    """A database whose stamp names this schema but lacks some of its tables was changed by hand or cut short:
    said in words before any work meets "no such table"."""
    from app.models import Base

    with engine.connect() as conn:
        lacking = sorted(set(Base.metadata.tables) - set(inspect(conn).get_table_names()))
    if lacking:
        raise DatabaseProblem(_("The database says it has schema %(schema)s but lacks the tables %(tables)s: it was "
                                "changed by hand or is damaged. Restore a backup.")
                              % {"schema": SCHEMA_HEAD, "tables": ", ".join(lacking[:5])})


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
        _refuse_lacking_tables(engine)
        use_wal(engine)
        return None
    if rev is None:  # a new database where another may have been: what a station saw of that one is forgotten
        from app.database import anchors

        anchors.reset(engine, None)
    copy = None
    path = sqlite_path(str(engine.url))
    if backup and rev is not None and path is not None:
        copy = paths.beside(path, "before-upgrade")
        sqlite_backup(path, copy)
    elif backup and rev is not None:
        copy = pg_tools.before_upgrade(engine)
    cfg = _alembic_config()
    try:
        with engine.begin() as conn:  # one transaction: an upgrade that fails half-way leaves nothing changed
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except SQLAlchemyError as e:  # tables that do not match the stamp: changed by hand, or from elsewhere
        log.warning("upgrade from %s failed", rev, exc_info=True)
        raise DatabaseProblem(_("The database could not be brought from schema %(old)s to %(new)s and was left as it "
                                "was: its tables do not match its schema stamp (changed by hand, or damaged). Restore "
                                "a backup.") % {"old": rev or "—", "new": SCHEMA_HEAD}) from e
    use_wal(engine)
    return copy


def make_ready(engine: Engine) -> None:
    """Create or upgrade (with a backup) the database when its schema is not this program's; first, clear what a
    killed program left beside a SQLite file."""
    path = sqlite_path(str(engine.url))
    if path is not None:
        for leftover in remove_leftovers(path):
            log.warning("removed %s, left by a program that stopped half-way", leftover.name)
    if not is_current(engine):
        upgrade(engine)
    else:
        use_wal(engine)


def open_database(target: str) -> Engine:
    """The engine of a database ready for use: created or upgraded (with a backup) when needed."""
    engine = make_engine(target)
    make_ready(engine)
    return engine


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
    key_id: str | None = None  # the key sealing the audit log

    @property
    def ok(self) -> bool:
        return not self.problems


def check(engine: Engine, *, station: bool = False) -> CheckReport:
    """Integrity, schema version, the audit chain and the staff table against it (SEC-3).

    `station=True` is a person's `db check`: the log is also compared with the head this station saw before
    (app.database.anchors), and when all is well, the head seen now is kept for next time."""
    report = CheckReport()
    try:
        report.revision = ensure_supported(engine)
    except DatabaseProblem as e:
        report.problems.append(str(e))
        return report
    if report.revision != head_revision():
        report.problems.append(_("The schema is not up to date; run: salesoffice db upgrade"))
        return report
    try:
        _refuse_lacking_tables(engine)
    except DatabaseProblem as e:
        report.problems.append(str(e))
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
    try:
        verdict = audit_chain.verify_chain(engine)
    except DatabaseProblem as e:  # this station's key file cannot be read
        report.problems.append(str(e))
        return report
    report.audit_entries, report.key_id = verdict.entries, verdict.key_id
    report.problems.extend(verdict.problems)
    if station and report.ok:
        from app.database import anchors

        report.problems.extend(anchors.compare(engine))
        if report.ok:
            anchors.advance(engine)
    return report
