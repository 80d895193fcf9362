"""`salesoffice db upgrade` and `db check`: a new database, an intact one, and the ones to refuse untouched."""
from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from app import schema
from tests.cli.conftest import query, staff_names


def _fingerprint(folder: Path) -> dict[str, str]:
    """Every file in the folder with a hash of its bytes: proof that nothing was changed or added."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_db_upgrade_creates_a_database_that_checks_ok(run, tmp_path: Path):
    path = tmp_path / "new.db"
    created = run("--db", path, "db", "upgrade")
    assert created.code == 0 and "已新建数据库" in created.out
    checked = run("--db", path, "db", "check")
    assert checked.code == 0
    assert checked.out.startswith("OK") and schema.SCHEMA_HEAD in checked.out and "审计日志 0 条" in checked.out
    again = run("--db", path, "db", "upgrade")
    assert again.code == 0 and "已是最新版本" in again.out


def test_db_check_counts_the_audit_log_of_an_office(office, run):
    result = run("--db", office.path, "db", "check")
    entries = query(office.path, "SELECT count(*) FROM audit_log")[0][0]
    assert result.code == 0 and f"审计日志 {entries} 条" in result.out


def test_db_check_names_the_tampered_audit_entry_SEC3(office, run):
    office.engine.dispose()
    con = sqlite3.connect(office.path)
    con.execute("""UPDATE audit_log SET after = '{"name": "假名字", "role": "manager"}' WHERE id = 2""")
    con.commit()
    con.close()
    result = run("--db", office.path, "db", "check")
    assert result.code == 1
    assert "数据库有问题" in result.out and "第 2 条被篡改" in result.out


def test_db_check_finds_deleted_newest_audit_entries_SEC3(office, run):
    office.engine.dispose()
    con = sqlite3.connect(office.path)
    con.execute("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)")
    con.commit()
    con.close()
    result = run("--db", office.path, "db", "check")
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


@pytest.mark.parametrize("command", [["db", "check"], ["db", "upgrade"], ["demo", "--visitors", "10"]])
def test_a_database_newer_than_the_program_is_refused_and_left_alone(office, run, tmp_path: Path, command):
    office.engine.dispose()
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
