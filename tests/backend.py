"""The database the tests run on: SQLite files by default, PostgreSQL when SALESOFFICE_TEST_DB names a server.

`SALESOFFICE_TEST_DB=postgresql+psycopg://user[:password]@host:port/postgres` points at a throw-away server
(scripts/test starts one); each test then gets a database of its own on it (SEC-6: the same tests pass
on both). A database is first made with CREATE DATABASE … TEMPLATE; as that takes about 0.3 s on these
machines, a database a test is done with is kept and, for the next test, emptied and filled again with
the template's rows (and its id sequences set as the template's) in one transaction, in a few ms.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

from sqlalchemy import MetaData, create_engine, insert, select, text
from sqlalchemy.engine import make_url

TEST_DB = os.environ.get("SALESOFFICE_TEST_DB", "").strip()
ON_POSTGRES = TEST_DB.startswith("postgresql")
NAME = "postgresql" if ON_POSTGRES else "sqlite"
# Names of this run's databases start with it, so two runs on one server never touch each other's.
_PREFIX = f"so_test_{os.getpid()}_"


# The tests' own connections (making, dropping, refilling databases) say who they are, so that closing a
# test's leftover connections spares them; kept open for the session.
_OURS = "salesoffice-test-fixtures"
_engines: dict[str, object] = {}


def _engine(url: str, **options: object):  # type: ignore[no-untyped-def]
    if url not in _engines:
        _engines[url] = create_engine(url, connect_args={"application_name": _OURS}, **options)
    return _engines[url]


def named(sql: str, params: tuple) -> tuple[str, dict[str, object]]:
    """SQL with `?` placeholders (as sqlite3 takes them) turned into named ones that run on either database."""
    parts = sql.split("?")
    text_ = "".join(part + (f":p{i}" if i < len(params) else "") for i, part in enumerate(parts))
    return text_, {f"p{i}": value for i, value in enumerate(params)}


def _admin():  # type: ignore[no-untyped-def]
    return _engine(TEST_DB, isolation_level="AUTOCOMMIT")


def url_of(database: str) -> str:
    """The URL of one database on the test server, password included (the tests pass it to --db)."""
    return make_url(TEST_DB).set(database=database).render_as_string(hide_password=False)


def new_database(tmp_path: Path, name: str = "office.db", *, template: str | None = None) -> str:
    """A new database: a file in tmp_path on SQLite, else a database on the server (a copy of `template`)."""
    if not ON_POSTGRES:
        return str(tmp_path / name)
    database = _PREFIX + uuid.uuid4().hex[:10]
    if template and template in _engines:  # a template must have no connection open
        _engines.pop(template).dispose()
    with _admin().connect() as conn:
        clause = f' TEMPLATE "{make_url(template).database}"' if template else ""
        conn.execute(text(f'CREATE DATABASE "{database}"{clause}'))
    return url_of(database)


def drop_database(target: str) -> None:
    """Remove a database made by new_database (its file stays in tmp_path on SQLite)."""
    if not ON_POSTGRES:
        return
    engine = _engines.pop(target, None)
    if engine is not None:
        engine.dispose()
    with _admin().connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(target).database}" WITH (FORCE)'))


def drop_leftovers() -> None:
    """Drop every database this run made and did not drop (a test that died half-way)."""
    if not ON_POSTGRES:
        return
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()
    with _admin().connect() as conn:
        names = conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                             {"p": _PREFIX + "%"}).scalars().all()
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    _admin().dispose()


# Databases tests are done with, ready to take another template's rows; the rows of each template.
_spare: list[str] = []
_rows: dict[str, tuple[MetaData, dict[str, list[dict]]]] = {}


def _tables(url: str) -> tuple[MetaData, dict[str, list[dict]]]:
    if url not in _rows:
        engine = create_engine(url)
        try:
            meta = MetaData()
            meta.reflect(engine)
            with engine.connect() as conn:
                rows = {t.name: [dict(r) for r in conn.execute(select(t).order_by(*t.primary_key.columns)).mappings()]
                        for t in meta.sorted_tables}
        finally:
            engine.dispose()
        _rows[url] = (meta, rows)
    return _rows[url]


def _refill(target: str, template: str) -> bool:
    """Give `target` exactly the template's rows; False when its tables are not the template's."""
    meta, rows = _tables(template)
    with _engine(target).begin() as conn:
        found = set(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
        if found != set(meta.tables):
            return False
        for table in reversed(meta.sorted_tables):
            conn.execute(table.delete())
        for table in meta.sorted_tables:
            if rows[table.name]:
                conn.execute(insert(table), rows[table.name])
            if "id" in table.c and table.c.id.primary_key:
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                  f"coalesce(max(id), 0) + 1, false) FROM {table.name}"))
    return True


def copy_of(template: str, tmp_path: Path) -> str:
    """A database holding the template's rows, to give back with `done_with` after the test."""
    while _spare:
        target = _spare.pop()
        if _refill(target, template):
            return target
        drop_database(target)
    return new_database(tmp_path, template=template)


def done_with(target: str) -> None:
    """Close every connection still open on a database (a test's subprocess, say) and keep it for reuse."""
    with _admin().connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :d AND application_name <> :ours"),
                     {"d": make_url(target).database, "ours": _OURS})
    _rows.pop(target, None)
    _spare.append(target)
