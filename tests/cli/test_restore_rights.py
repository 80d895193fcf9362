"""Restoring replaces everyone's accounts and rights (issue 10, item 6): only a manager may restore in the window
(SEC-2), a backup whose staff table was edited behind the program's back is refused with nothing replaced, and the
restore's audit entry names the backup's chain head (SEC-3, SEC-5). On both databases (SEC-6)."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from app.database import audit_chain, backup, pg_tools
from app.errors import PermissionDenied
from app.permissions import Role
from app.services import accounts
from tests import backend
from tests.cli.conftest import query, staff_names
from tests.cli.test_audit_tampering import _aware
from tests.unit.helpers import refused


def _backup(office, tmp_path: Path, name: str = "office-backup") -> Path:
    out = tmp_path / "backups" / (name + (".db" if office.path else ".dump"))
    out.parent.mkdir(exist_ok=True)
    backup.backup(None, office.engine, out)
    return out


def _newest(where) -> tuple[int, str]:
    [(id_, hash_)] = query(where, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
    return id_, hash_


def _roles(office) -> list[tuple]:
    return query(office, "SELECT id, name, role, active FROM staff ORDER BY id")


def _safety_copies(office, data: Path) -> list[Path]:
    if office.path:
        return list(office.path.parent.glob("office.before-restore-*.db"))
    return list((data / "backups").glob("*.before-restore-*.dump"))


def _doctored(office, tmp_path: Path, sql: str, undo: str) -> Path:
    """A backup in which `sql` was run behind the program's back: with sqlite3 on the file, or (a pg_dump archive
    cannot be edited in place) on the server's data just while it is dumped."""
    if office.path:
        out = _backup(office, tmp_path, "doctored")
        con = sqlite3.connect(out)
        con.execute(sql)
        con.commit()
        con.close()
        return out
    out = tmp_path / "backups" / "doctored.dump"
    out.parent.mkdir(exist_ok=True)
    query(office, sql)
    done = pg_tools.run(["pg_dump", "--format=custom", "-f", str(out)], make_url(office.db))
    query(office, undo)
    assert done.returncode == 0, done.stderr
    return out


def test_a_supervisor_cannot_restore_a_backup_and_a_manager_can_SEC2_SEC5(office, tmp_path: Path):
    saved = _backup(office, tmp_path)
    accounts.create_staff(office.manager, office.uow(), name="备份之后入职", role=Role.CONSULTANT, pin="1357")
    for who in (office.supervisor, office.receptionist, replace(office.manager, at_kiosk=True)):
        with refused(office, PermissionDenied, match="你没有权限恢复备份"):
            backup.restore(who, office.engine, saved)
    assert backup.backup(office.supervisor, office.engine, tmp_path / "backups" / "by-supervisor.bak").is_file()

    done = backup.restore(office.manager, office.engine, saved)

    assert "备份之后入职" not in staff_names(office)
    [(after,)] = query(office, "SELECT after FROM audit_log WHERE action = 'database.restore'")
    assert json.loads(after)["by"] == "赵经理" and json.loads(after)["by_role"] == "manager"
    assert done.head is not None


def test_a_backup_that_makes_a_supervisor_a_manager_is_refused_and_nothing_is_replaced_SEC2_SEC3_SEC5(
        office, run, tmp_path: Path, _own_data_folder: Path):
    office.engine.dispose()
    bad = _doctored(office, tmp_path, "UPDATE staff SET role = 'manager' WHERE name = '钱主管'",
                    "UPDATE staff SET role = 'supervisor' WHERE name = '钱主管'")
    accounts.create_staff(office.manager, office.uow(), name="备份之后入职", role=Role.CONSULTANT, pin="1357")
    office.engine.dispose()
    before = _roles(office), _newest(office)

    result = run("--db", office.db, "restore", bad)

    assert result.code == 1
    assert f"无法恢复 {bad.name}，当前数据未作任何改动" in result.err
    assert "员工账号 钱主管（#2）现在是案场经理，但审计日志记载的是客服主管：员工表在程序之外被改动过。" in result.err
    assert "Traceback" not in result.err
    assert (_roles(office), _newest(office)) == before
    assert _safety_copies(office, _own_data_folder) == []
    assert run("--db", office.db, "db", "check").code == 0


def test_a_backup_whose_log_was_rewritten_to_match_is_refused_SEC3_SEC5(office, run, tmp_path: Path):
    """Edited in the staff table and in the entry that made the account, every later hash recomputed: without
    the office's key the rewritten entries are plain hashes, which a keyed log no longer accepts."""
    if office.path is None:
        pytest.skip("the rewrite is made with sqlite3 on the backup file; the same check reads a pg_dump archive "
                    "(test_a_backup_that_makes_a_supervisor_a_manager…)")
    bad = _backup(office, tmp_path, "rewritten")
    con = sqlite3.connect(bad)
    con.execute("UPDATE staff SET role = 'manager' WHERE id = 2")
    rows = con.execute("SELECT id, at, actor_id, action, target, before, after FROM audit_log ORDER BY id").fetchall()
    prev = con.execute("SELECT hash FROM audit_log WHERE id = 1").fetchone()[0]
    for id_, at, actor, action, target, before_, after in rows[1:]:
        after = after.replace('"supervisor"', '"manager"') if id_ == 2 else after
        digest = audit_chain.entry_hash(prev, at=_aware(at), actor_id=actor, action=action, target=target,
                                        before=before_, after=after)
        con.execute("UPDATE audit_log SET after = ?, prev_hash = ?, hash = ? WHERE id = ?", (after, prev, digest, id_))
        prev = digest
    con.execute("UPDATE audit_head SET last_hash = ?", (prev,))
    con.commit()
    con.close()
    office.engine.dispose()
    before = _roles(office), _newest(office)

    result = run("--db", office.db, "restore", bad)

    assert result.code == 1 and "审计日志：第 2 条被篡改。" in result.err
    assert (_roles(office), _newest(office)) == before


def test_the_restore_names_the_backups_chain_head_in_the_audit_log_SEC3_SEC5(office, run, tmp_path: Path):
    office.engine.dispose()
    head = _newest(office)  # nothing is written between this and the backup
    saved = _backup(office, tmp_path)
    accounts.create_staff(office.manager, office.uow(), name="备份之后入职", role=Role.CONSULTANT, pin="1357")
    office.engine.dispose()

    result = run("--db", office.db, "restore", saved)

    assert result.code == 0, result.err
    assert f"备份的审计日志到第 {head[0]} 条为止（{head[1][:12]}…）；这次恢复记在其后。" in result.out
    [(id_, after)] = query(office, "SELECT id, after FROM audit_log WHERE action = 'database.restore'")
    assert id_ == head[0] + 1
    said = json.loads(after)
    assert said["head"] == {"id": head[0], "hash": head[1]} and said["from"] == saved.name and said["sealed"] is True


def _older_backup(office, run, tmp_path: Path, empty_db: str, doctor: str = "") -> Path:
    """A backup made by the version before the key (schema 0004), edited with `doctor` when given."""
    from tests.migrations.make_fixtures import FIXTURES, build

    old = tmp_path / "backups" / ("schema-0004.db" if office.path else "schema-0004.dump")
    old.parent.mkdir(exist_ok=True)
    if office.path is not None:
        old.write_bytes((FIXTURES / "0004.sqlite").read_bytes())
        if doctor:
            con = sqlite3.connect(old)
            con.execute(doctor)
            con.commit()
            con.close()
    else:
        build(empty_db, "0004")
        if doctor:
            query(empty_db, doctor)
        assert run("--db", empty_db, "backup", "--out", old).code == 0
    return old


def test_a_backup_of_the_version_before_the_key_is_restored_and_sealed_SEC3_SEC5(office, run, tmp_path: Path,
                                                                                   empty_db: str):
    old = _older_backup(office, run, tmp_path, empty_db)
    result = run("--db", office.db, "restore", old)
    assert result.code == 0, result.err
    assert "这份备份由旧版本制作" in result.out and "现已封存" in result.out
    assert run("--db", office.db, "db", "check").code == 0


def test_a_backup_of_the_version_before_the_key_with_a_role_edited_is_refused_SEC2_SEC5(office, run, tmp_path: Path,
                                                                                         empty_db: str):
    old = _older_backup(office, run, tmp_path, empty_db, "UPDATE staff SET role = 'manager' WHERE id = 2")
    office.engine.dispose()
    before = _roles(office)
    result = run("--db", office.db, "restore", old)
    assert result.code == 1
    assert "员工账号 孙前台（#2）现在是案场经理，但审计日志记载的是前台接待" in result.err
    assert _roles(office) == before


@pytest.mark.skipif(backend.ON_POSTGRES, reason="a station's file; the server's stations share one database")
def test_a_restored_file_is_what_the_station_compares_with_from_then_on_SEC3(office, run, tmp_path: Path):
    """A restore puts an older, shorter log back on purpose: the station's next check does not take it for a cut."""
    saved = _backup(office, tmp_path)
    accounts.create_staff(office.manager, office.uow(), name="备份之后入职", role=Role.CONSULTANT, pin="1357")
    office.engine.dispose()
    assert run("--db", office.db, "db", "check").code == 0
    assert run("--db", office.db, "restore", saved).code == 0
    assert run("--db", office.db, "db", "check").code == 0
