"""`salesoffice backup` and `restore` (SEC-5): a checked copy, and a restore that refuses anything doubtful.

They run on both databases (SEC-6): a SQLite file, or a PostgreSQL server through pg_dump/pg_restore/psql;
the few about a SQLite file's bytes say so and are skipped on PostgreSQL, whose archives are spoiled in a
test of their own.
"""
from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sqlalchemy.engine import make_url

from app import paths
from app.database import pg_tools, schema
from app.permissions import Role
from app.services import accounts
from tests import backend
from tests.cli.conftest import query, staff_names

SQLITE_FILE = "about the bytes of a SQLite file; a PostgreSQL server keeps its own files"
NEEDS_SERVER = "needs the PostgreSQL server of the second pass (scripts/test starts it when installed)"


def _backup(office, run, tmp_path: Path) -> Path:
    out = tmp_path / "backups" / ("office-backup.db" if office.path else "office-backup.dump")
    out.parent.mkdir(exist_ok=True)
    result = run("--db", office.db, "backup", "--out", out)
    assert result.code == 0 and str(out) in result.out and "备份已保存" in result.out
    return out


def _hire(office, name: str) -> None:
    accounts.create_staff(office.manager, office.uow(), name=name, role=Role.CONSULTANT, pin="1357")


def _safety_copies(office) -> list[Path]:
    if office.path:
        return list(office.path.parent.glob("office.before-restore-*.db"))
    return list((paths.data_dir() / "backups").glob("*.before-restore-*.dump"))


def test_backup_round_trip_SEC5(office, run, tmp_path: Path):
    saved = _backup(office, run, tmp_path)
    before = staff_names(office)
    _hire(office, "新来的顾问")
    assert "新来的顾问" in staff_names(office)

    result = run("--db", office.db, "restore", saved)

    assert result.code == 0 and "已恢复" in result.out
    assert staff_names(office) == before
    safety = _safety_copies(office)
    assert len(safety) == 1 and str(safety[0]) in result.out
    if office.path:
        assert "新来的顾问" in staff_names(safety[0])
    else:
        assert pg_tools.is_archive(safety[0])
    assert query(office, "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1") == [("database.restore",)]
    assert run("--db", office.db, "db", "check").code == 0
    assert accounts.sign_in(office.uow(), staff_id=office.receptionist.id, pin="2468").id == office.receptionist.id
    _hire(office, "恢复之后入职")  # the id sequences were restored too: new rows fit after the old
    assert staff_names(office)[-1] == "恢复之后入职"


def test_a_backup_whose_audit_rows_lie_out_of_order_restores_SEC5_SEC6(office, run, tmp_path: Path):
    """An updated row moves to the end of a PostgreSQL table, so pg_dump writes the log out of id order."""
    query(office, "UPDATE audit_log SET before = before WHERE id = 1")
    saved = _backup(office, run, tmp_path)
    result = run("--db", office.db, "restore", saved)
    assert result.code == 0, result.err
    assert run("--db", office.db, "db", "check").code == 0


def test_backup_is_taken_while_the_program_writes_SEC5(office, run, tmp_path: Path):
    """A reader of the live database (the window) holds it open: the copy is still whole and consistent."""
    with office.engine.connect() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM staff").scalar()
        saved = _backup(office, run, tmp_path)
    if office.path is None:
        assert pg_tools.is_archive(saved)
        return
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
    if office.path is None:
        pytest.skip(SQLITE_FILE)
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
    if office.path is None:
        pytest.skip(SQLITE_FILE)
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


def test_restore_into_a_new_place_needs_no_safety_copy_SEC5(office, run, tmp_path: Path, empty_db):
    good = _backup(office, run, tmp_path)
    if office.path is None:  # a new, empty database on the server
        result = run("--db", empty_db, "restore", good)
        assert result.code == 0 and staff_names(empty_db) == staff_names(office)
        assert _safety_copies(office) == []
        return
    fresh = tmp_path / "new-station" / "office.db"
    fresh.parent.mkdir()
    result = run("--db", fresh, "restore", good)
    assert result.code == 0 and staff_names(fresh) == staff_names(office.path)
    assert sorted(p.name for p in fresh.parent.iterdir() if not p.name.startswith("office.db-")) == ["office.db"]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_backup_is_a_rollback_journal_file_restored_from_a_write_protected_stick_SEC5(office, run, tmp_path):
    if office.path is None:
        pytest.skip(SQLITE_FILE)
    saved = _backup(office, run, tmp_path)
    with contextlib.closing(sqlite3.connect(f"{saved.as_uri()}?mode=ro&immutable=1", uri=True)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # no WAL: it opens read-only
    before = staff_names(office)
    _hire(office, "新来的顾问")
    stick = saved.parent
    saved.chmod(0o444)
    stick.chmod(0o555)
    on_stick = _files(stick)
    try:
        result = run("--db", office.db, "restore", saved)
        assert result.code == 0 and staff_names(office) == before
        assert _files(stick) == on_stick  # nothing written on the stick, not even a journal beside the file
    finally:
        stick.chmod(0o755)
    with contextlib.closing(sqlite3.connect(office.path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # the office's database works in WAL


def test_what_a_killed_restore_or_backup_left_is_removed_at_the_next_start_SEC4_SEC5(office, tmp_path):
    if office.path is None:
        pytest.skip(SQLITE_FILE)
    gone = office.path.with_name(f"office.db.restoring-{_ended_pid()}")
    running = office.path.with_name(f"office.db.restoring-{os.getpid()}")
    old_part = office.path.with_name("office.before-restore-20261101-101010.db.part")
    new_part = office.path.with_name("office.before-upgrade-20261207-101010.db.part")
    for leftover in (gone, gone.with_name(gone.name + "-journal"), running, old_part, new_part):
        leftover.write_bytes(b"customers' data")
    two_hours_ago = time.time() - 7200
    os.utime(old_part, (two_hours_ago, two_hours_ago))
    office.engine.dispose()
    schema.open_database(str(office.path)).dispose()  # as the window does when it starts
    left = {p.name for p in office.path.parent.iterdir()}
    assert gone.name not in left and gone.name + "-journal" not in left and old_part.name not in left
    assert running.name in left and new_part.name in left  # still being written by a program at work


def _ended_pid() -> int:
    """The id of a process that has ended."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_restore_refuses_a_missing_file_and_the_database_itself_SEC5(office, run, tmp_path: Path):
    missing = run("--db", office.db, "restore", tmp_path / "nowhere.db")
    assert missing.code == 1 and "没有文件" in missing.err
    if office.path is not None:  # a server's database is no file that could be named by mistake
        itself = run("--db", office.db, "restore", office.path)
        assert itself.code == 1 and "正在使用的数据库" in itself.err


def test_backup_into_a_missing_folder_leaves_no_file_SEC5(office, run, tmp_path: Path):
    out = tmp_path / "no-such-folder" / "b.db"
    result = run("--db", office.db, "backup", "--out", out)
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
    result = run("--db", office.db, "backup", "--out", folder / "b.db")
    assert result.code == 1 and "无法" in result.err and "Traceback" not in result.err
    assert sorted(p.name for p in folder.iterdir()) == before


def test_backup_on_a_full_disk_leaves_no_partial_file_SEC5(office, run, tmp_path: Path):
    """The file size limit makes every write past 64 KB fail, as a full disk would."""
    out = tmp_path / "full" / "b.db"
    out.parent.mkdir()
    if office.path is not None:
        assert office.path.stat().st_size > 128 * 1024
        limit = 64 * 1024
    else:  # pg_dump's archive of the small office is compressed: a smaller limit stops it half-way
        _hire(office, "多写一些" * 5)
        limit = 2 * 1024
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limits[1]))
    try:
        result = run("--db", office.db, "backup", "--out", out)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, previous)
    assert result.code == 1 and "无法备份" in result.err and "磁盘" in result.err
    assert list(out.parent.iterdir()) == []


def test_backup_never_overwrites_an_earlier_backup_SEC5(office, run, tmp_path: Path):
    saved = _backup(office, run, tmp_path)
    first = saved.read_bytes()
    again = run("--db", office.db, "backup", "--out", saved)
    assert again.code == 1 and "已存在" in again.err
    assert saved.read_bytes() == first


def _dump(office, out: Path, change: str = "", undo: str = "") -> None:
    """pg_dump's archive of the office as it is after `change` (undone afterwards): a backup someone spoiled."""
    if change:
        query(office, change)
    url = make_url(office.db)
    done = pg_tools.run(["pg_dump", "--format=custom", "-f", str(out)], url)
    if undo:
        query(office, undo)
    assert done.returncode == 0, done.stderr


def _pg_text(office, good: Path, bad: Path) -> None:
    bad.write_text("这不是备份，只是一份笔记。\n", encoding="utf-8")


def _pg_truncated(office, good: Path, bad: Path) -> None:
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])


def _pg_from_the_future(office, good: Path, bad: Path) -> None:
    [(version,)] = query(office, "SELECT version_num FROM alembic_version")
    _dump(office, bad, "UPDATE alembic_version SET version_num = '9999_from_the_future'",
          f"UPDATE alembic_version SET version_num = '{version}'")


def _pg_tampered_audit(office, good: Path, bad: Path) -> None:
    [(before,)] = query(office, "SELECT before FROM audit_log WHERE id = 3")
    _dump(office, bad, "UPDATE audit_log SET before = '{\"name\": \"改过\"}' WHERE id = 3")
    query(office, "UPDATE audit_log SET before = ? WHERE id = 3", before)


def _pg_foreign(office, good: Path, bad: Path) -> None:
    other = backend.new_database(bad.parent)
    try:
        query(other, "CREATE TABLE contacts (name TEXT)")
        done = pg_tools.run(["pg_dump", "--format=custom", "-f", str(bad)], make_url(other))
        assert done.returncode == 0, done.stderr
    finally:
        backend.drop_database(other)


@pytest.mark.skipif(not backend.ON_POSTGRES, reason=NEEDS_SERVER)
@pytest.mark.parametrize("spoil, reason", [
    (_pg_text, "不是"),
    (_pg_truncated, "损坏"),
    (_pg_from_the_future, "更新版本"),
    (_pg_tampered_audit, "篡改"),
    (_pg_foreign, "没有案场通的数据"),
], ids=["text-file", "truncated", "unknown-revision", "tampered-audit-SEC3", "not-salesoffice"])
def test_restore_on_postgresql_refuses_a_doubtful_archive_and_changes_nothing_SEC5_SEC6(
        office, run, tmp_path: Path, spoil, reason: str):
    good = _backup(office, run, tmp_path)
    _hire(office, "备份之后入职")
    bad = tmp_path / "backups" / "doubtful.dump"
    spoil(office, good, bad)
    before = staff_names(office), query(office, "SELECT count(*), max(hash) FROM audit_log")

    result = run("--db", office.db, "restore", bad)

    assert result.code == 1
    assert "无法恢复 doubtful.dump，当前数据未作任何改动" in result.err and reason in result.err, result.err
    assert "Traceback" not in result.err
    assert (staff_names(office), query(office, "SELECT count(*), max(hash) FROM audit_log")) == before
    assert _safety_copies(office) == [], "no safety copy for a refused restore"


@pytest.mark.parametrize("command", [["backup", "--out", "x.dump"], ["restore", "x.dump"]])
def test_backup_of_postgresql_without_its_programs_says_what_to_install_SEC5_SEC6(
        office, run, tmp_path: Path, monkeypatch, command):
    if office.path is not None:
        pytest.skip(NEEDS_SERVER + "; on SQLite no program is needed")
    if command[0] == "restore":
        (tmp_path / "x.dump").write_bytes(b"PGDMP")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    result = run("--db", office.db, *command)
    assert result.code == 1 and "postgresql-client" in result.err and "PATH" in result.err
    assert make_url(office.db).password not in result.err


def test_a_backup_of_an_older_schema_is_restored_and_brought_to_this_version_SEC5_SEC6(office, run, tmp_path: Path,
                                                                                       empty_db: str):
    """A backup kept from before an upgrade: its data replaces the newer tables, then it is upgraded."""
    from tests.migrations.make_fixtures import FIXTURES, build

    old = tmp_path / "backups" / "schema-0001.backup"
    old.parent.mkdir(exist_ok=True)
    if office.path is not None:
        shutil.copy(FIXTURES / "0001.sqlite", old)
    else:
        build(empty_db, "0001")
        assert run("--db", empty_db, "backup", "--out", old).code == 0

    result = run("--db", office.db, "restore", old)

    assert result.code == 0, result.err
    assert "0001" in result.out  # said: brought from schema 0001 to this version
    assert staff_names(office) == ["赵经理", "孙前台", "李一", "周二"]
    assert query(office, "SELECT version_num FROM alembic_version") == [(schema.head_revision(),)]
    assert run("--db", office.db, "db", "check").code == 0
