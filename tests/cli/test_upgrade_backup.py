"""`salesoffice db upgrade` keeps a copy of a database holding data before changing its schema: a SQLite file beside
itself, a PostgreSQL database as a pg_dump archive in the data folder (SEC-6); without pg_dump it refuses unless
told `--no-backup`."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.database import pg_tools, schema
from app.database.engine import make_engine
from app.services.reception import visits
from app.services.reception.visits import Registration
from tests import backend
from tests.cli.conftest import query
from tests.migrations.make_fixtures import FIXTURES
from tests.unit.helpers import sign_in

OLD = "0003"


@pytest.fixture
def old_db(office, tmp_path: Path) -> str:
    """A database holding an office's data at the older schema OLD, as an earlier version left it: the kept
    fixture file on SQLite; on PostgreSQL the office with a walk-in, its schema taken back by the migrations."""
    from alembic import command

    if not backend.ON_POSTGRES:
        path = tmp_path / "old" / f"{OLD}.sqlite"
        path.parent.mkdir()
        shutil.copy(FIXTURES / f"{OLD}.sqlite", path)
        return str(path)
    sign_in(office, office.consultants[0])
    visits.register(office.receptionist, office.uow(), Registration(name="王先生", phone="13812345678"))
    office.engine.dispose()
    engine = make_engine(office.db)
    try:
        cfg = schema._alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, OLD)
    finally:
        engine.dispose()
    return office.db


def _revision(db: str) -> str:
    return query(db, "SELECT version_num FROM alembic_version")[0][0]


def _copies(db: str, data_folder: Path) -> list[Path]:
    if backend.ON_POSTGRES:
        return sorted((data_folder / "backups").glob("*.before-upgrade-*.dump"))
    return sorted(Path(db).parent.glob("*.before-upgrade-*"))


def test_db_upgrade_keeps_a_copy_of_the_data_as_it_was_first_SEC6(old_db, run, _own_data_folder):
    visitors = sorted(query(old_db, "SELECT name FROM visits"))
    assert visitors
    result = run("--db", old_db, "db", "upgrade")
    assert result.code == 0, result.err
    [copy] = _copies(old_db, _own_data_folder)
    assert str(copy) in result.out and _revision(old_db) == schema.SCHEMA_HEAD
    assert run("--db", old_db, "db", "check").code == 0
    if backend.ON_POSTGRES:  # the archive holds the data at the old schema
        tables = pg_tools.read_tables(copy, ["alembic_version", "visits"])
        assert tables["alembic_version"][0]["version_num"] == OLD
        assert sorted((row["name"],) for row in tables["visits"]) == visitors
    else:
        assert query(copy, "SELECT version_num FROM alembic_version") == [(OLD,)]
        assert sorted(query(copy, "SELECT name FROM visits")) == visitors


def test_db_upgrade_no_backup_upgrades_without_a_copy_SEC6(old_db, run, _own_data_folder):
    result = run("--db", old_db, "db", "upgrade", "--no-backup")
    assert result.code == 0, result.err
    assert _copies(old_db, _own_data_folder) == [] and _revision(old_db) == schema.SCHEMA_HEAD


@pytest.mark.skipif(not backend.ON_POSTGRES, reason="only a PostgreSQL database is copied with pg_dump; a SQLite "
                                                     "file is copied by the program itself")
def test_db_upgrade_without_pg_dump_says_so_and_changes_nothing_SEC6(old_db, run, _own_data_folder, tmp_path,
                                                                     monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a computer without PostgreSQL's client programs
    result = run("--db", old_db, "db", "upgrade")
    assert result.code == 1
    assert "未升级" in result.err and "pg_dump" in result.err and "--no-backup" in result.err
    assert "Traceback" not in result.err
    assert _revision(old_db) == OLD and _copies(old_db, _own_data_folder) == []
