"""Engines for SQLite (one station) and PostgreSQL (several stations), and the session factory."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, Table, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from app import logs
from app.errors import DatabaseProblem
from app.i18n import _


def to_url(target: str) -> str:
    """A SQLite URL for a file path; a URL as given when it names SQLite or PostgreSQL (a postgresql:// URL gets
    the psycopg driver, the one installed); any other refused in words."""
    if "://" not in target:
        return f"sqlite:///{Path(target).expanduser().resolve()}"
    try:
        url = make_url(target)
    except ArgumentError:
        url = None
    if url is not None and url.get_backend_name() == "sqlite":
        return target
    if url is not None and url.drivername in ("postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2"):
        return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    shown = logs.hide_passwords(target)
    raise DatabaseProblem(_("%s is neither a database file nor a postgresql:// address: salesoffice keeps its "
                            "data in a SQLite file or on a PostgreSQL server.") % (shown[:80] + "…" * (len(shown) > 80)))


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    return Path(parsed.database) if parsed.get_backend_name() == "sqlite" and parsed.database else None


def make_engine(target: str | os.PathLike[str]) -> Engine:
    url = to_url(str(target))
    if not is_sqlite(url):
        # A station whose server is gone says so within seconds instead of hanging.
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # The driver's own transaction handling is off so that we can say BEGIN IMMEDIATE ourselves.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:  # type: ignore[no-untyped-def]
        # Writers take the lock at the start, so two stations never deadlock upgrading a read lock;
        # reads (execution option readonly) begin deferred and never wait for a writer in WAL mode.
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("readonly") else "BEGIN IMMEDIATE")

    return engine


def use_wal(engine: Engine) -> None:
    """Put a SQLite file in write-ahead-log mode (kept in the file): readers never wait for a writer, and two
    stations' writes queue instead of failing. Done when the database is made ready for work, never on opening:
    a command that only reads (a check of a backup) leaves the file as it found it."""
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()  # outside a transaction, which the mode cannot change within
        try:
            raw.driver_connection.execute("PRAGMA journal_mode=WAL")
        finally:
            raw.close()


def insert_if_missing(session: Session, table: Table, **values: object) -> None:
    """Insert a row unless one with the same key exists, without an error when another station inserts it
    at the same moment (INSERT … ON CONFLICT DO NOTHING on both databases); the caller then locks it."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(table).values(**values).on_conflict_do_nothing())


def session_factory(engine: Engine, *, readonly: bool = False) -> sessionmaker[Session]:
    bind = engine.execution_options(readonly=True) if readonly else engine
    return sessionmaker(bind=bind, expire_on_commit=False)
