"""Engines for SQLite (one station) and PostgreSQL (several stations), and the session factory."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, Table, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def to_url(target: str) -> str:
    """A URL as given, or a SQLite URL for a file path."""
    if "://" in target:
        return target
    return f"sqlite:///{Path(target).expanduser().resolve()}"


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
        cur.execute("PRAGMA journal_mode=WAL")
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
