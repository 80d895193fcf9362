"""`salesoffice backup` and `restore` (SEC-5): a checked copy, and a restore that refuses anything doubtful."""
from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from app.permissions import Role
from app.services import accounts
from tests.cli.conftest import query, staff_names


def _backup(office, run, tmp_path: Path) -> Path:
    out = tmp_path / "backups" / "office-backup.db"
    out.parent.mkdir(exist_ok=True)
    result = run("--db", office.path, "backup", "--out", out)
    assert result.code == 0 and str(out) in result.out and "备份已保存" in result.out
    return out


def _hire(office, name: str) -> None:
    accounts.create_staff(office.manager, office.uow(), name=name, role=Role.CONSULTANT, pin="1357")


def test_backup_round_trip_SEC5(office, run, tmp_path: Path):
    saved = _backup(office, run, tmp_path)
    before = staff_names(office.path)
    _hire(office, "新来的顾问")
    assert "新来的顾问" in staff_names(office.path)

    result = run("--db", office.path, "restore", saved)

    assert result.code == 0 and "已恢复" in result.out
    assert staff_names(office.path) == before
    safety = [p for p in office.path.parent.glob("office.before-restore-*.db")]
    assert len(safety) == 1 and str(safety[0]) in result.out
    assert "新来的顾问" in staff_names(safety[0])
    assert query(office.path, "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1") == [("database.restore",)]
    assert run("--db", office.path, "db", "check").code == 0
    assert accounts.sign_in(office.uow(), staff_id=office.receptionist.id, pin="2468").id == office.receptionist.id


def test_backup_is_taken_while_the_program_writes_SEC5(office, run, tmp_path: Path):
    """A reader of the live file (the window) holds it open: the copy is still whole and consistent."""
    with office.engine.connect() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM staff").scalar()
        saved = _backup(office, run, tmp_path)
    assert staff_names(saved) == staff_names(office.path)
    assert query(saved, "PRAGMA integrity_check") == [("ok",)]


def _text(good: Path, bad: Path) -> None:
    bad.write_text("这不是备份，只是一份笔记。\n", encoding="utf-8")


def _truncated(good: Path, bad: Path) -> None:
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])


def _scrambled(good: Path, bad: Path) -> None:
    """Garbage over the page that holds the staff: a page in use, whatever else the schema adds."""
    [(page_size,)] = query(good, "PRAGMA page_size")
    [(root,)] = query(good, "SELECT rootpage FROM sqlite_master WHERE name = 'staff'")
    data = bytearray(good.read_bytes())
    start = (root - 1) * page_size
    data[start: start + 2900] = bytes(range(256)) * 11 + bytes(84)
    bad.write_bytes(bytes(data))


def _from_the_future(good: Path, bad: Path) -> None:
    _edit(good, bad, "UPDATE alembic_version SET version_num = '9999_from_the_future'")


def _tampered_audit(good: Path, bad: Path) -> None:
    _edit(good, bad, "UPDATE audit_log SET before = '{\"name\": \"改过\"}' WHERE id = 3")


def _foreign(good: Path, bad: Path) -> None:
    _edit(bad, bad, "CREATE TABLE contacts (name TEXT)")


def _edit(source: Path, bad: Path, sql: str) -> None:
    if source != bad:
        shutil.copy(source, bad)
    con = sqlite3.connect(bad)
    con.execute(sql)
    con.commit()
    con.close()


@pytest.mark.parametrize("spoil, reason", [
    (_text, "不是数据库"),
    (_truncated, "损坏"),
    (_scrambled, "损坏"),
    (_from_the_future, "更新版本"),
    (_tampered_audit, "篡改"),
    (_foreign, "不是案场通的数据库"),
], ids=["text-file", "truncated", "scrambled", "unknown-revision", "tampered-audit-SEC3", "not-salesoffice"])
def test_restore_refuses_a_doubtful_backup_and_changes_nothing_SEC5(office, run, tmp_path: Path,
                                                                    spoil: Callable[[Path, Path], None], reason: str):
    good = _backup(office, run, tmp_path)
    _hire(office, "备份之后入职")
    bad = tmp_path / "backups" / "doubtful.db"
    spoil(good, bad)
    before = staff_names(office.path), query(office.path, "SELECT count(*) FROM audit_log")
    files = sorted(p.name for p in office.path.parent.iterdir())

    result = run("--db", office.path, "restore", bad)

    assert result.code == 1
    assert "无法恢复 doubtful.db，当前数据未作任何改动" in result.err and reason in result.err
    assert "Traceback" not in result.err
    assert (staff_names(office.path), query(office.path, "SELECT count(*) FROM audit_log")) == before
    assert sorted(p.name for p in office.path.parent.iterdir()) == files, "no safety copy, no leftovers"


def test_restore_over_a_damaged_database_keeps_its_bytes_SEC5(office, run, tmp_path: Path):
    good = _backup(office, run, tmp_path)
    office.engine.dispose()
    for leftover in office.path.parent.glob("office.db-*"):
        leftover.unlink()
    office.path.write_bytes(b"\x00garbage after a power cut" * 100)

    result = run("--db", office.path, "restore", good)

    assert result.code == 0
    assert staff_names(office.path) == staff_names(good)
    safety = list(office.path.parent.glob("office.before-restore-*.db"))
    assert len(safety) == 1 and safety[0].read_bytes() == b"\x00garbage after a power cut" * 100


def test_restore_into_a_new_place_needs_no_safety_copy_SEC5(office, run, tmp_path: Path):
    good = _backup(office, run, tmp_path)
    fresh = tmp_path / "new-station" / "office.db"
    fresh.parent.mkdir()
    result = run("--db", fresh, "restore", good)
    assert result.code == 0 and staff_names(fresh) == staff_names(office.path)
    assert sorted(p.name for p in fresh.parent.iterdir() if not p.name.startswith("office.db-")) == ["office.db"]


def test_restore_refuses_a_missing_file_and_the_database_itself_SEC5(office, run, tmp_path: Path):
    missing = run("--db", office.path, "restore", tmp_path / "nowhere.db")
    assert missing.code == 1 and "没有文件" in missing.err
    itself = run("--db", office.path, "restore", office.path)
    assert itself.code == 1 and "正在使用的数据库" in itself.err


def test_backup_into_a_missing_folder_leaves_no_file_SEC5(office, run, tmp_path: Path):
    out = tmp_path / "no-such-folder" / "b.db"
    result = run("--db", office.path, "backup", "--out", out)
    assert result.code == 1 and "不存在" in result.err
    assert not out.parent.exists()


def _read_only_folder(tmp_path: Path) -> Path:
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    # Folder permissions do not stop root; sysfs refuses new files even to root.
    if not Path("/sys/kernel").is_dir():
        pytest.skip("no read-only folder that stops root on this machine")
    return Path("/sys/kernel")


def test_backup_into_a_read_only_folder_leaves_no_file_SEC5(office, run, tmp_path: Path):
    folder = _read_only_folder(tmp_path)
    before = sorted(p.name for p in folder.iterdir())
    result = run("--db", office.path, "backup", "--out", folder / "b.db")
    assert result.code == 1 and "无法" in result.err and "Traceback" not in result.err
    assert sorted(p.name for p in folder.iterdir()) == before


def test_backup_on_a_full_disk_leaves_no_partial_file_SEC5(office, run, tmp_path: Path):
    """The file size limit makes every write past 64 KB fail, as a full disk would."""
    out = tmp_path / "full" / "b.db"
    out.parent.mkdir()
    assert office.path.stat().st_size > 128 * 1024
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, limits[1]))
    try:
        result = run("--db", office.path, "backup", "--out", out)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, previous)
    assert result.code == 1 and "无法备份" in result.err and "磁盘" in result.err
    assert list(out.parent.iterdir()) == []


def test_backup_never_overwrites_an_earlier_backup_SEC5(office, run, tmp_path: Path):
    saved = _backup(office, run, tmp_path)
    first = saved.read_bytes()
    again = run("--db", office.path, "backup", "--out", saved)
    assert again.code == 1 and "已存在" in again.err
    assert saved.read_bytes() == first


@pytest.mark.parametrize("command", [["backup", "--out", "x.db"], ["restore", "x.db"]])
def test_backup_and_restore_of_postgresql_are_not_there_yet_SEC5(run, command):
    result = run("--db", "postgresql+psycopg://desk:secret@127.0.0.1:1/office", *command)
    assert result.code == 1 and "PostgreSQL" in result.err and "pg_dump" in result.err
    assert "secret" not in result.err
