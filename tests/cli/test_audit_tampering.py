"""`db check` against someone holding the database (SEC-3): every way of erasing, cutting or rewriting the audit
log found by the hostile afternoon (issue 10, item 5) is said in a translated sentence, with exit code 1, on both
databases (SEC-6). The log is keyed with the office's key, kept outside the database; the station remembers the
newest entry it saw, so a log cut short with its head moved back is seen too.

Each tampering is plain SQL, as with sqlite3 or psql; a rewrite recomputes the hashes the way the published
algorithm did before the key (SHA-256 of the entry and the previous hash), which is all that someone without
the key can do.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from app.database import audit_key
from app.database.audit_chain import GENESIS, entry_hash
from app.permissions import Role
from app.services import accounts
from tests.cli.conftest import query
from tests.unit.helpers import CHINESE, sign_in, walk_in


def _entries(office) -> list[tuple]:
    return query(office, "SELECT id, at, actor_id, action, target, before, after, hash FROM audit_log ORDER BY id")


def _aware(at: object) -> str:
    """`at` as the chain hashes it: the stored UTC time, aware, to the microsecond."""
    value = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
    return value.replace(tzinfo=timezone.utc).isoformat(timespec="microseconds")


def _rewrite(office, first: int, change=lambda after: after) -> None:
    """Change entry `first` and recompute, without the key, its hash and every later one, and the head."""
    rows = _entries(office)
    prev = GENESIS if first == 1 else next(r[7] for r in rows if r[0] == first - 1)
    for id_, at, actor, action, target, before, after, _hash in rows:
        if id_ < first:
            continue
        after = change(after) if id_ == first else after
        digest = entry_hash(prev, at=_aware(at), actor_id=actor, action=action, target=target, before=before,
                            after=after)
        query(office, "UPDATE audit_log SET after = ?, prev_hash = ?, hash = ? WHERE id = ?", after, prev, digest, id_)
        prev = digest
    query(office, "UPDATE audit_head SET last_hash = ? WHERE id = 1", prev)


def _delete_tail_and_head(office) -> None:
    last = _entries(office)[-1][0]
    query(office, "DELETE FROM audit_log WHERE id > ?", last - 3)
    query(office, "DELETE FROM audit_head")


def _wipe_both(office) -> None:
    query(office, "DELETE FROM audit_log")
    query(office, "DELETE FROM audit_head")


def _edit_and_recompute(office) -> None:
    """The receptionist made a manager, in the staff table and in the entry that created the account."""
    query(office, "UPDATE staff SET role = 'manager' WHERE id = 3")
    _rewrite(office, 3, lambda after: after.replace('"receptionist"', '"manager"'))


def _rewrite_from_the_start(office) -> None:
    _rewrite(office, 1, lambda after: after.replace("赵经理", "钱主管"))


def _delete_only_the_head(office) -> None:
    query(office, "DELETE FROM audit_head")


def _head_moved_back(office) -> None:
    rows = _entries(office)
    query(office, "UPDATE audit_head SET last_id = ?, last_hash = ?", rows[-3][0], rows[-3][7])


def _delete_newest_keep_head(office) -> None:
    query(office, "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)")


def _forget_the_key_id(office) -> None:
    query(office, "UPDATE audit_head SET key_id = NULL")


@pytest.mark.parametrize("tamper, said", [
    (_delete_tail_and_head, "头记录（记着最新一条）不见了"),
    (_wipe_both, "日志是空的，但数据库里有记录：日志被清空了"),
    (_edit_and_recompute, "第 3 条被篡改"),
    (_rewrite_from_the_start, "没有用本案场的密钥封存"),
    (_delete_only_the_head, "头记录（记着最新一条）不见了"),
    (_head_moved_back, "头记录指向第"),
    (_delete_newest_keep_head, "条记录被删除"),
    (_forget_the_key_id, "头记录没有写明封存日志的密钥"),
], ids=["tail-and-head", "both-tables-wiped", "row-edited-and-later-hashes-recomputed", "rewritten-from-entry-1",
        "only-the-head", "head-moved-back", "newest-entry", "key-id-removed"])
def test_db_check_finds_the_log_erased_cut_or_rewritten_SEC3(office, run, tamper, said):
    office.engine.dispose()
    assert run("--db", office.db, "db", "check").code == 0
    tamper(office)
    result = run("--db", office.db, "db", "check")
    assert result.code == 1, result.out
    assert "数据库有问题" in result.out and said in result.out, result.out
    assert all(CHINESE.search(line) for line in result.out.splitlines()), result.out
    assert "Traceback" not in result.out + result.err


def test_a_log_cut_short_with_its_head_moved_back_is_seen_by_the_station_that_saw_it_SEC3(office, run):
    """The file alone cannot show it (a shorter log is a valid one); the station's memory of its head does."""
    sign_in(office, *office.consultants[:2])
    walk_in(office, "13812345678")
    walk_in(office, "13912345678", name="林女士")
    office.engine.dispose()
    checked = run("--db", office.db, "db", "check")
    assert checked.code == 0
    rows = _entries(office)
    seen, kept = rows[-1][0], rows[-4]
    query(office, "DELETE FROM audit_log WHERE id > ?", kept[0])
    query(office, "UPDATE audit_head SET last_id = ?, last_hash = ?", kept[0], kept[7])

    result = run("--db", office.db, "db", "check")

    assert result.code == 1
    assert f"只到第 {kept[0]} 条，但本机在 2026-11-23 10:00 已看到第 {seen} 条：最新的记录被删除了" in result.out


def test_a_log_replaced_by_another_is_seen_by_the_station_SEC3(office, run):
    office.engine.dispose()
    assert run("--db", office.db, "db", "check").code == 0
    seen = _entries(office)[-1][0]
    query(office, "UPDATE audit_log SET hash = ? WHERE id = ?", "f" * 64, seen)  # as another office's log would
    query(office, "UPDATE audit_head SET last_hash = ?", "f" * 64)
    result = run("--db", office.db, "db", "check")
    assert result.code == 1 and "被篡改" in result.out


def test_a_restore_at_another_station_is_not_taken_for_a_cut_log_SEC3(office, run, tmp_path: Path, monkeypatch):
    """Station A saw the log up to today's newest entry; station B restored yesterday's backup: A accepts the
    shorter log, because the log itself records the restore (a keyed entry nobody can forge)."""
    office.engine.dispose()
    out = tmp_path / ("yesterday.db" if office.path else "yesterday.dump")
    assert run("--db", office.db, "backup", "--out", out).code == 0
    sign_in(office, *office.consultants[:2])
    walk_in(office, "13812345678")
    walk_in(office, "13912345678", name="林女士")
    office.engine.dispose()
    assert run("--db", office.db, "db", "check").code == 0  # station A saw it all
    station_a = os.environ["SALESOFFICE_DATA"]
    monkeypatch.setenv("SALESOFFICE_DATA", str(tmp_path / "station-b"))
    assert run("--db", office.db, "restore", out).code == 0
    monkeypatch.setenv("SALESOFFICE_DATA", station_a)

    result = run("--db", office.db, "db", "check")

    assert result.code == 0, result.out


def test_a_station_holding_another_key_is_told_which_SEC3(office, run, tmp_path: Path, monkeypatch):
    office.engine.dispose()
    office_key = audit_key.load()
    monkeypatch.setenv(audit_key.ENV, str(tmp_path / "other.key"))
    other = audit_key.load_or_make()
    result = run("--db", office.db, "db", "check")
    assert result.code == 1
    assert f"审计日志用密钥 {office_key.id} 封存，而本机持有的是密钥 {other.id}" in result.out


def test_a_station_without_the_key_is_told_where_to_put_it_SEC3(office, run, tmp_path: Path, monkeypatch):
    office.engine.dispose()
    office_key = audit_key.load()
    monkeypatch.setenv(audit_key.ENV, str(tmp_path / "not-here" / "audit.key"))
    result = run("--db", office.db, "db", "check")
    assert result.code == 1
    assert f"本机没有这个数据库的审计密钥（密钥 {office_key.id}）" in result.out
    assert str(tmp_path / "not-here" / "audit.key") in result.out
    assert not (tmp_path / "not-here").exists(), "a check makes no key"


def test_a_new_office_makes_its_key_at_first_start_in_the_data_folder_SEC3(run, empty_db, monkeypatch,
                                                                            _own_data_folder: Path):
    monkeypatch.delenv(audit_key.ENV)
    assert run("--db", empty_db, "db", "upgrade").code == 0
    assert not (_own_data_folder / "audit.key").exists(), "no key before the log's first entry"
    from app.database.engine import make_engine, session_factory
    from app.database.uow import UnitOfWork

    engine = make_engine(empty_db)
    try:
        accounts.create_staff(None, UnitOfWork(session_factory(engine)), name="赵经理", role=Role.MANAGER, pin="2468")
    finally:
        engine.dispose()
    key_file = _own_data_folder / "audit.key"
    assert key_file.is_file() and key_file.stat().st_mode & 0o777 == 0o600  # readable by this user only
    result = run("--db", empty_db, "db", "check")
    assert result.code == 0
    assert f"日志用审计密钥 {audit_key.load().id}（{key_file}）封存" in result.out
    assert audit_key.load().secret.hex() not in result.out  # the key itself is never shown
