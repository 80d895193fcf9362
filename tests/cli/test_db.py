"""`salesoffice db upgrade` and `db check`: a new database, an intact one, and the ones to refuse untouched."""
from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from sqlalchemy.engine import make_url

from app.database import schema
from app.models import Base
from tests import backend
from tests.cli.conftest import query, staff_names


def _fingerprint(folder: Path) -> dict[str, str]:
    """Every file in the folder with a hash of its bytes: proof that nothing was changed or added."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_db_upgrade_creates_a_database_that_checks_ok_SEC6(run, empty_db):
    path = empty_db
    created = run("--db", path, "db", "upgrade")
    assert created.code == 0 and "已新建数据库" in created.out
    checked = run("--db", path, "db", "check")
    assert checked.code == 0
    assert checked.out.startswith("OK") and schema.SCHEMA_HEAD in checked.out and "审计日志 0 条" in checked.out
    again = run("--db", path, "db", "upgrade")
    assert again.code == 0 and "已是最新版本" in again.out


def test_db_check_counts_the_audit_log_of_an_office(office, run):
    result = run("--db", office.db, "db", "check")
    entries = query(office, "SELECT count(*) FROM audit_log")[0][0]
    assert result.code == 0 and f"审计日志 {entries} 条" in result.out


def test_db_check_names_the_tampered_audit_entry_SEC3(office, run):
    office.engine.dispose()
    query(office, """UPDATE audit_log SET after = '{"name": "假名字", "role": "manager"}' WHERE id = 2""")
    result = run("--db", office.db, "db", "check")
    assert result.code == 1
    assert "数据库有问题" in result.out and "第 2 条被篡改" in result.out


def test_db_check_finds_deleted_newest_audit_entries_SEC3(office, run):
    office.engine.dispose()
    query(office, "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)")
    result = run("--db", office.db, "db", "check")
    assert result.code == 1 and "删除" in result.out


def test_db_check_of_a_missing_file_creates_nothing(run, tmp_path: Path):
    result = run("--db", tmp_path / "typo.db", "db", "check")
    assert result.code == 1 and "没有数据库" in result.err
    assert list(tmp_path.glob("typo.db*")) == []


@pytest.mark.parametrize("command", [["db", "check"], ["db", "upgrade"], ["demo", "--visitors", "10"]])
def test_a_file_that_is_not_a_database_is_refused_and_left_alone(run, tmp_path: Path, command):
    folder = tmp_path / "office"
    folder.mkdir()
    path = folder / "notes.db"
    path.write_text("客户名单：张先生 138 1234 5678\n", encoding="utf-8")
    before = _fingerprint(folder)
    result = run("--db", path, *command)
    assert result.code == 1
    assert "不是数据库" in result.out + result.err
    assert "Traceback" not in result.out + result.err
    assert _fingerprint(folder) == before


def _contents(where: object) -> list[tuple]:
    """The schema version and every table's rows, counted: proof that nothing was written."""
    return query(where, "SELECT version_num FROM alembic_version") + [
        (table.name, query(where, f"SELECT count(*) FROM {table.name}")[0][0]) for table in Base.metadata.sorted_tables]


@pytest.mark.parametrize("command", [["db", "check"], ["db", "upgrade"], ["demo", "--visitors", "10"]])
def test_a_database_newer_than_the_program_is_refused_and_left_alone_SEC6(office, run, tmp_path: Path, command):
    office.engine.dispose()
    if office.path is None:  # PostgreSQL: the office's own database on the server
        query(office, "UPDATE alembic_version SET version_num = '9999_from_the_future'")
        before = _contents(office)
        result = run("--db", office.db, *command)
        assert result.code == 1 and "更新版本" in result.out + result.err
        assert _contents(office) == before
        return
    folder = tmp_path / "newer"
    folder.mkdir()
    path = folder / "office.db"
    shutil.copy(office.path, path)
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()
    before = _fingerprint(folder)
    result = run("--db", path, *command)
    assert result.code == 1
    assert "更新版本" in result.out + result.err
    assert _fingerprint(folder) == before
    assert staff_names(path) == staff_names(office.path)


NEEDS_SERVER = "needs the PostgreSQL server of the second pass (scripts/test starts it when installed)"


def _server_url(**parts: str) -> str:
    return make_url(backend.TEST_DB).set(**parts).render_as_string(hide_password=False)


@pytest.mark.parametrize("command", [["db", "check"], ["db", "upgrade"], ["backup", "--out", "new.dump"],
                                     ["restore", "b.dump"], ["demo", "--visitors", "10"]])
def test_a_server_that_is_down_is_said_in_one_translated_line_SEC6(run, command, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "b.dump").write_bytes(b"PGDMP")  # restore's file is there: the server is what is missing
    result = run("--db", "postgresql+psycopg://desk:secret@127.0.0.1:1/office", *command)
    assert result.code == 1
    assert "无法连接数据库服务器" in result.out + result.err and "Traceback" not in result.out + result.err
    assert "secret" not in result.out + result.err


@pytest.mark.skipif(not backend.ON_POSTGRES, reason=NEEDS_SERVER)
def test_a_wrong_password_is_said_and_not_shown_SEC6(run):
    result = run("--db", _server_url(password="wrong-secret"), "db", "check")
    assert result.code == 1 and "用户名或密码不对" in result.out + result.err
    assert "wrong-secret" not in result.out + result.err


@pytest.mark.skipif(not backend.ON_POSTGRES, reason=NEEDS_SERVER)
def test_a_wrong_database_name_is_said_and_nothing_is_created_SEC6(run):
    result = run("--db", _server_url(database="no_such_office"), "db", "upgrade")
    assert result.code == 1 and "no_such_office" in result.err and "不存在" in result.err
    names = query(backend.TEST_DB, "SELECT datname FROM pg_database WHERE datname = 'no_such_office'")
    assert names == []


@pytest.mark.skipif(not backend.ON_POSTGRES, reason=NEEDS_SERVER)
def test_a_wrong_host_is_said_SEC6(run):
    result = run("--db", _server_url(host="no-such-host.invalid"), "db", "check")
    assert result.code == 1 and "无法连接数据库服务器" in result.out + result.err


@pytest.mark.skipif(not backend.ON_POSTGRES, reason=NEEDS_SERVER + "; SQLite numbers rows from the table itself")
def test_db_check_finds_an_id_sequence_behind_its_table_and_db_upgrade_moves_it_SEC6(office, run):
    """Rows copied in by hand, their ids given, leave the sequence behind: the next save would fail."""
    office.engine.dispose()
    query(office, "SELECT setval(pg_get_serial_sequence('staff', 'id'), 1, false)")
    checked = run("--db", office.db, "db", "check")
    assert checked.code == 1 and "staff" in checked.out and "db upgrade" in checked.out
    assert run("--db", office.db, "db", "upgrade").code == 0
    assert run("--db", office.db, "db", "check").code == 0
