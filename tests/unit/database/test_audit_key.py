"""The keyed audit log at work (SEC-3, SEC-2): writes refuse a log whose head was removed or moved, or whose key
this station lacks, with a sentence and nothing saved; the staff table is checked against the log; a log begun
before the key keeps verifying and is sealed by the upgrade. On both databases (SEC-6)."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from app.database import audit_chain, audit_key, schema
from app.database.engine import make_engine, session_factory
from app.database.uow import UnitOfWork
from app.errors import DatabaseProblem
from app.permissions import Role
from app.services import accounts
from tests.unit.helpers import assert_chinese, audit_entries, raw_sql, refused, sign_in, walk_in


def problems(office) -> list[str]:
    return audit_chain.verify_chain(office.engine).problems


def test_every_entry_of_a_new_office_is_keyed_and_the_head_names_the_key_SEC3(office):
    key = audit_key.load()
    entries = audit_entries(office)
    prev = audit_chain.GENESIS
    for e in entries:
        fields = dict(at=e.at.isoformat(timespec="microseconds"), actor_id=e.actor_id, action=e.action,
                      target=e.target, before=e.before, after=e.after)
        assert e.hash == audit_chain.entry_hash(prev, **fields, key=key.secret)
        assert e.hash != audit_chain.entry_hash(prev, **fields)  # not the plain hash anyone can compute
        prev = e.hash
    with office.engine.connect() as conn:
        assert conn.execute(text("SELECT key_id FROM audit_head")).scalar() == key.id


def test_deleting_only_the_head_refuses_the_next_save_with_a_sentence_SEC3(office):
    sign_in(office, office.consultants[0])
    raw_sql(office, "DELETE FROM audit_head")
    with refused(office, DatabaseProblem, match="头记录（记着最新一条）不见了") as info:
        walk_in(office)
    assert "salesoffice db check" in str(info.value)


def test_a_head_moved_back_refuses_the_next_save_SEC3(office):
    sign_in(office, office.consultants[0])
    older = audit_entries(office)[-3]
    raw_sql(office, "UPDATE audit_head SET last_id = ?, last_hash = ?", older.id, older.hash)
    with refused(office, DatabaseProblem, match="头记录指向的不是最新一条"):
        walk_in(office)


def test_a_station_without_the_key_saves_nothing_and_makes_no_key_of_its_own_SEC3(office, tmp_path, monkeypatch):
    sign_in(office, office.consultants[0])
    monkeypatch.setenv(audit_key.ENV, str(tmp_path / "audit.key"))
    with refused(office, DatabaseProblem, match="本机没有这个数据库的审计密钥"):
        walk_in(office)
    assert not (tmp_path / "audit.key").exists()


def test_a_station_with_another_key_saves_nothing_SEC3(office, tmp_path, monkeypatch):
    sign_in(office, office.consultants[0])
    monkeypatch.setenv(audit_key.ENV, str(tmp_path / "audit.key"))
    audit_key.load_or_make()
    with refused(office, DatabaseProblem, match="而本机持有的是密钥"):
        walk_in(office)


def test_a_file_that_is_not_a_key_is_said_SEC3(office, tmp_path, monkeypatch):
    (tmp_path / "audit.key").write_text("我的密码是 1234\n", encoding="utf-8")
    monkeypatch.setenv(audit_key.ENV, str(tmp_path / "audit.key"))
    report = schema.check(office.engine)
    assert not report.ok and "不是案场通生成的审计密钥" in report.problems[0]


def test_staff_changed_through_the_program_verify_SEC2(office):
    d = office.consultants[3]
    accounts.set_active(office.manager, office.uow(), staff_id=d.id, active=False)
    accounts.change_pin(office.manager, office.uow(), staff_id=office.receptionist.id, new_pin="97531")
    accounts.change_pin(office.receptionist, office.uow(), staff_id=office.receptionist.id, new_pin="86420",
                       old_pin="97531")
    accounts.set_active(office.manager, office.uow(), staff_id=d.id, active=True)
    assert problems(office) == []


@pytest.mark.parametrize("doctor, said", [
    (lambda o: raw_sql(o, "UPDATE staff SET role = 'manager' WHERE id = ?", o.supervisor.id),
     "员工账号 钱主管（#2）现在是案场经理，但审计日志记载的是客服主管：员工表在程序之外被改动过。"),
    (lambda o: raw_sql(o, "UPDATE staff SET pin_hash = (SELECT pin_hash FROM staff WHERE id = ?) WHERE id = ?",
                       o.supervisor.id, o.manager.id),
     "员工账号 赵经理（#1）的密码在程序之外被改动过。"),
    (lambda o: raw_sql(o, "UPDATE staff SET active = ? WHERE id = ?", False, o.consultants[0].id),
     "员工账号 李一（#4）已停用，但审计日志中没有停用记录"),
    (lambda o: raw_sql(o, "INSERT INTO staff (id, name, role, pin_hash, active, failed_pins, created_at) "
                          "SELECT 99, '影子经理', 'manager', pin_hash, active, 0, created_at FROM staff WHERE id = 2"),
     "员工账号 影子经理（#99）在审计日志中没有记录：是在程序之外添加的。"),
], ids=["role", "pin-copied", "switched-off", "added"])
def test_a_staff_account_edited_behind_the_programs_back_is_named_SEC2_SEC3(office, doctor, said):
    doctor(office)
    found = problems(office)
    assert found == [said] or (found and found[0].startswith(said)), found
    assert not schema.check(office.engine).ok


def test_a_switched_off_account_switched_back_on_behind_the_programs_back_is_named_SEC2(office):
    accounts.set_active(office.manager, office.uow(), staff_id=office.consultants[3].id, active=False)
    raw_sql(office, "UPDATE staff SET active = ? WHERE id = ?", True, office.consultants[3].id)
    assert problems(office) == ["员工账号 郑四（#7）处于启用状态，但审计日志记载它已停用：员工表在程序之外被改动过。"]


def _legacy(target: str, revision: str = "0004") -> None:
    from tests.migrations.make_fixtures import build

    build(target, revision)


def _rows(engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(text("SELECT * FROM audit_log ORDER BY id")).mappings()]


def test_an_older_log_keeps_its_plain_hashes_and_is_sealed_by_the_upgrade_SEC3(empty_db):
    _legacy(empty_db)
    engine = make_engine(empty_db)
    try:
        old = _rows(engine)
        schema.upgrade(engine, backup=False)
        rows = _rows(engine)
        assert rows[:len(old)] == old  # not one old entry rewritten
        added = rows[len(old):]
        assert [r["action"] for r in added] == ["audit.keyed"] + ["staff.sealed"] * 4
        assert json.loads(added[0]["after"]) == {"key": audit_key.load().id, "seals": len(old)}
        assert schema.check(engine).ok
        accounts.sign_in(UnitOfWork(session_factory(engine)), staff_id=2, pin="2468")
    finally:
        engine.dispose()


def test_an_older_log_rewritten_after_its_upgrade_is_detected_SEC3(empty_db):
    """Its plain entries can be recomputed by anyone, up to the keyed entry that seals them: that one breaks."""
    _legacy(empty_db)
    engine = make_engine(empty_db)
    try:
        schema.upgrade(engine, backup=False)
        rows = _rows(engine)
        sealed_at = next(r["id"] for r in rows if r["action"] == "audit.keyed")
        prev = rows[1]["hash"]
        with engine.begin() as conn:
            for row in rows[2:sealed_at - 1]:
                after = row["after"].replace("consultant", "manager") if row["id"] == 3 else row["after"]
                at = datetime.fromisoformat(str(row["at"])).replace(tzinfo=timezone.utc)
                digest = audit_chain.entry_hash(prev, at=at.isoformat(timespec="microseconds"),
                                                actor_id=row["actor_id"], action=row["action"],
                                                target=row["target"], before=row["before"], after=after)
                conn.execute(text("UPDATE audit_log SET after = :a, prev_hash = :p, hash = :h WHERE id = :id"),
                             {"a": after, "p": prev, "h": digest, "id": row["id"]})
                prev = digest
        assert audit_chain.verify_chain(engine).problems == [f"审计日志：第 {sealed_at} 条被篡改。"]
    finally:
        engine.dispose()


def test_a_role_edited_in_an_older_database_is_named_after_its_upgrade_SEC2(empty_db):
    """The older log already kept each account's role: the upgrade does not take the edited table for truth."""
    _legacy(empty_db)
    engine = make_engine(empty_db)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE staff SET role = 'manager' WHERE id = 2"))
        schema.upgrade(engine, backup=False)
        report = schema.check(engine)
        assert report.problems == ["员工账号 孙前台（#2）现在是案场经理，但审计日志记载的是前台接待：员工表在程序之外被改动过。"]
        assert_chinese(report.problems[0])
    finally:
        engine.dispose()


def test_an_older_database_whose_head_is_gone_is_not_sealed_over_SEC3(empty_db):
    """Sealing would hide it: the upgrade leaves the log as it is and the check says what is wrong."""
    _legacy(empty_db)
    engine = make_engine(empty_db)
    try:
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM audit_head"))
        schema.upgrade(engine, backup=False)
        assert [r["action"] for r in _rows(engine)][-1] != "staff.sealed"
        assert "头记录（记着最新一条）不见了" in " ".join(schema.check(engine).problems)
        with pytest.raises(DatabaseProblem, match="头记录"):
            accounts.create_staff(accounts.sign_in(UnitOfWork(session_factory(engine)), staff_id=1, pin="2468"),
                                  UnitOfWork(session_factory(engine)), name="新人", role=Role.CLEANER, pin="1357")
    finally:
        engine.dispose()


def test_the_key_is_made_once_even_when_two_ask_at_once_SEC3(tmp_path: Path, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setenv(audit_key.ENV, str(tmp_path / "keys" / "audit.key"))
    with ThreadPoolExecutor(8) as pool:
        made = list(pool.map(lambda _i: audit_key.load_or_make(), range(16)))
    assert len({k.id for k in made}) == 1
    assert sorted(p.name for p in (tmp_path / "keys").iterdir()) == ["audit.key"]  # no leftovers
