"""The schema comes only from the migrations: from an empty database to the newest, matching the models."""
from __future__ import annotations


import pytest
from sqlalchemy import inspect, text
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.database import schema
from app.database.engine import make_engine
from app.errors import DatabaseProblem
from app.models import Base


def test_migrations_run_from_an_empty_database_and_match_the_models_SEC6(empty_db):
    engine = make_engine(empty_db)
    assert schema.upgrade(engine) is None  # nothing to back up in a new database
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    assert schema.check(engine).ok
    engine.dispose()


def test_the_head_the_window_checks_is_the_newest_migration():
    assert schema.SCHEMA_HEAD == schema.head_revision()


def test_sqlite_pragmas_on_every_connection_and_wal_once_the_database_is_made(tmp_path):
    engine = make_engine(tmp_path / "p.db")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"  # opening writes nothing
    schema.upgrade(engine)
    engine.dispose()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_a_database_from_a_newer_program_is_refused_and_left_alone_SEC6(empty_db):
    engine = make_engine(empty_db)
    schema.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        tables = sorted(inspect(conn).get_table_names())
    with pytest.raises(DatabaseProblem, match="更新版本"):
        schema.upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999"
        assert sorted(inspect(conn).get_table_names()) == tables
    engine.dispose()


def test_a_file_that_is_not_a_database_is_refused_with_a_message(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("这不是数据库" * 200, encoding="utf-8")
    with pytest.raises(DatabaseProblem, match="无法打开数据库"):
        schema.upgrade(make_engine(path))
    assert path.read_text(encoding="utf-8").startswith("这不是数据库")


def test_a_foreign_database_is_not_taken_over_SEC6(empty_db):
    engine = make_engine(empty_db)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE invoices (id INTEGER)"))
    with pytest.raises(DatabaseProblem, match="不是案场通"):
        schema.upgrade(engine)
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == ["invoices"]
    engine.dispose()
