"""`salesoffice db copy --to URL`: a single station's file moved into the office's shared database (SEC-6).

The source is a SQLite file (a station's); the target is a new database of the backend under test: a
PostgreSQL database on the second pass, another SQLite file on the first.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app import clock
from app.database.engine import make_engine, session_factory
from app.models import Base
from app.permissions import Actor, Role
from app.services import accounts
from app.services.reception import visits
from app.services.reception.visits import Registration
from app.database.uow import UnitOfWork
from tests.cli.conftest import query, staff_names
from tests.conftest import TEN_AM, Office, _build_template
from tests.unit.helpers import sign_in, walk_in


@pytest.fixture(scope="module")
def station_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A station's SQLite file with a morning's work: the staffed office, two walk-ins, a correction."""
    path = tmp_path_factory.mktemp("station") / "anchang.db"
    clock.freeze(TEN_AM)
    _build_template(str(path))
    engine = make_engine(path)
    try:
        staff = [Actor(s.id, s.name, s.role) for s in accounts.list_staff(UnitOfWork(session_factory(engine)))]
        by_role = lambda r: [a for a in staff if a.role == r]  # noqa: E731
        local = Office(str(path), engine, by_role(Role.MANAGER)[0], by_role(Role.SUPERVISOR)[0],
                       by_role(Role.RECEPTIONIST)[0], by_role(Role.CONSULTANT))
        sign_in(local, *local.consultants[:2])
        first = walk_in(local, "13812345678", name="王先生")
        walk_in(local, "13912345678", name="林女士", party_size=3)
        visits.correct(local.supervisor, local.uow(), visit_id=first.visit_id, reason="写错了", party_size=2)
    finally:
        engine.dispose()
        clock.freeze(None)
    return path


@pytest.fixture
def station(station_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "station" / "anchang.db"
    path.parent.mkdir()
    shutil.copy(station_file, path)
    return path


def _counts(where: object) -> dict[str, int]:
    return {t.name: query(where, f"SELECT count(*) FROM {t.name}")[0][0] for t in Base.metadata.sorted_tables}


def test_a_station_s_file_is_copied_with_its_ids_and_checked_SEC6(station: Path, empty_db: str, run):
    result = run("--db", station, "db", "copy", "--to", empty_db)

    assert result.code == 0, result.err
    assert "审计" in result.out and "Traceback" not in result.err
    assert _counts(empty_db) == _counts(station)
    for sql in ("SELECT id, name FROM staff ORDER BY id", "SELECT id, customer_id, party_size FROM visits ORDER BY id",
                "SELECT id, hash FROM audit_log ORDER BY id"):
        assert query(empty_db, sql) == query(station, sql)
    assert run("--db", empty_db, "db", "check").code == 0
    # The desk goes on in the new database: new ids follow the copied ones.
    engine = make_engine(empty_db)
    try:
        desk = staff_names(station).index("孙前台") + 1
        result = visits.register(Actor(desk, "孙前台", Role.RECEPTIONIST), UnitOfWork(session_factory(engine)),
                                 Registration(name="赵女士", phone="13700000000"))
        assert result.visit_id == max(i for (i,) in query(station, "SELECT id FROM visits")) + 1
    finally:
        engine.dispose()


def test_a_target_made_by_db_upgrade_but_empty_is_fine_SEC6(station: Path, empty_db: str, run):
    assert run("--db", empty_db, "db", "upgrade").code == 0
    result = run("--db", station, "db", "copy", "--to", empty_db)
    assert result.code == 0, result.err
    assert staff_names(empty_db) == staff_names(station)


def test_copying_into_a_database_that_holds_data_is_refused_and_changes_nothing_SEC6(station: Path, empty_db: str,
                                                                                   run):
    assert run("--db", station, "db", "copy", "--to", empty_db).code == 0
    before = _counts(empty_db)

    result = run("--db", station, "db", "copy", "--to", empty_db)

    assert result.code == 1 and "已有数据" in result.err and "Traceback" not in result.err
    assert _counts(empty_db) == before


def test_copying_a_missing_file_creates_nothing_SEC6(tmp_path: Path, empty_db: str, run):
    result = run("--db", tmp_path / "typo.db", "db", "copy", "--to", empty_db)
    assert result.code == 1 and "没有数据库" in result.err
    assert not (tmp_path / "typo.db").exists()


def test_copying_into_a_server_that_is_down_is_said_SEC6(station: Path, run):
    result = run("--db", station, "db", "copy", "--to", "postgresql+psycopg://desk:secret@127.0.0.1:1/office")
    assert result.code == 1 and "无法连接数据库服务器" in result.err and "secret" not in result.err
