"""Staff accounts and PIN sign-in (SEC-1): wrong PINs counted, lockout for 15 minutes, PINs kept only as hashes."""
from __future__ import annotations

import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from app import clock
from app.errors import NotFound, PermissionDenied, ValidationError
from app.models.staff import Staff
from app.permissions import Actor, Role
from app.services import accounts, settings
from tests.conftest import PIN
from tests.unit.helpers import assert_chinese, audit_entries, fetch, refused, snapshot


def sign_in(office, pin, who=None):
    return accounts.sign_in(office.uow(), staff_id=(who or office.receptionist).id, pin=pin)


def wrong(office, times=1, who=None) -> str:
    """Type a wrong PIN `times` times; the last message shown."""
    for _ in range(times):
        with pytest.raises(PermissionDenied) as error:
            sign_in(office, "0000", who)
    assert_chinese(error.value)
    return str(error.value)


def test_right_pin_signs_in_as_that_staff_member_SEC1(office):
    assert sign_in(office, PIN) == Actor(office.receptionist.id, "孙前台", Role.RECEPTIONIST)
    assert sign_in(office, f" {PIN} ", office.manager).role == Role.MANAGER


def test_a_pin_typed_in_full_width_digits_is_the_same_pin_SEC1(office):
    accounts.change_pin(office.manager, office.uow(), staff_id=office.receptionist.id, new_pin="２４６８")
    assert sign_in(office, "2468").id == office.receptionist.id  # the PIN pad sends ASCII digits
    assert sign_in(office, "２４６８").id == office.receptionist.id


def test_wrong_pin_says_how_many_tries_are_left_SEC1(office):
    assert "4" in wrong(office)
    assert "3" in wrong(office)
    assert "1" in wrong(office, 2)


def test_fifth_wrong_pin_locks_the_account_for_15_minutes_SEC1(office):
    message = wrong(office, 5)
    assert "锁定" in message and "15" in message
    with pytest.raises(PermissionDenied, match="15"):
        sign_in(office, PIN)
    clock.advance(timedelta(minutes=14))
    with pytest.raises(PermissionDenied, match="锁定 1 分钟"):
        sign_in(office, PIN)
    clock.advance(timedelta(minutes=1))
    assert sign_in(office, PIN).id == office.receptionist.id
    [locked] = audit_entries(office, "staff.locked")
    assert locked.target == f"staff:{office.receptionist.id}"


def test_lockout_touches_only_that_account_SEC1(office):
    wrong(office, 5)
    assert sign_in(office, PIN, office.manager).id == office.manager.id


def test_right_pin_resets_the_count_of_wrong_ones_SEC1(office):
    wrong(office, 4)
    sign_in(office, PIN)
    assert "4" in wrong(office)


def test_after_a_lockout_the_count_starts_again_SEC1(office):
    wrong(office, 5)
    clock.advance(timedelta(minutes=15))
    assert "4" in wrong(office)


def test_lockout_figures_are_settings_SEC1(office):
    settings.update(office.manager, office.uow(), {"lockout_attempts": 3, "lockout_minutes": 30})
    assert "30" in wrong(office, 3)
    clock.advance(timedelta(minutes=29))
    with pytest.raises(PermissionDenied):
        sign_in(office, PIN)
    clock.advance(timedelta(minutes=1))
    assert sign_in(office, PIN)


def test_unknown_staff_member_cannot_sign_in_SEC1(office):
    with pytest.raises(NotFound):
        accounts.sign_in(office.uow(), staff_id=999, pin=PIN)


def test_pins_are_stored_only_as_salted_argon2_hashes_SEC1(office):
    for name in ("甲", "乙"):
        accounts.create_staff(office.manager, office.uow(), name=name, role=Role.CLEANER, pin="73519264")
    a, b = (s for s in fetch(office, Staff) if s.name in ("甲", "乙"))
    assert a.pin_hash.startswith("$argon2id$") and a.pin_hash != b.pin_hash
    assert sign_in(office, "73519264", a).name == "甲"
    if office.path is not None:  # the file's bytes, journal included
        files = [office.path, Path(f"{office.path}-wal")]
        stored = b"".join(f.read_bytes() for f in files if f.exists())
    else:  # PostgreSQL: every value of every row, as a database browser would show them
        stored = repr(snapshot(office)).encode()
    assert b"$argon2id$" in stored and b"73519264" not in stored


def test_changing_a_pin_makes_the_old_one_wrong_SEC1(office):
    accounts.change_pin(office.receptionist, office.uow(), staff_id=office.receptionist.id, new_pin="97531",
                        old_pin=PIN)
    assert sign_in(office, "97531").id == office.receptionist.id
    with pytest.raises(PermissionDenied):
        sign_in(office, PIN)
    [entry] = audit_entries(office, "staff.change_pin")
    assert entry.actor_id == office.receptionist.id and "97531" not in entry.after


def test_one_s_own_pin_is_changed_only_with_the_current_one_and_wrong_ones_count_towards_the_lock_SEC1(office):
    me = office.receptionist.id
    with refused(office, ValidationError, match="当前密码") as error:
        accounts.change_pin(office.receptionist, office.uow(), staff_id=me, new_pin="97531")
    assert error.value.field == "old_pin"
    for left in (4, 3, 2, 1):
        with pytest.raises(PermissionDenied, match=f"再错 {left} 次"):
            accounts.change_pin(office.receptionist, office.uow(), staff_id=me, new_pin="97531", old_pin="0000")
    with pytest.raises(PermissionDenied, match="锁定"):
        accounts.change_pin(office.receptionist, office.uow(), staff_id=me, new_pin="97531", old_pin="0000")
    with pytest.raises(PermissionDenied, match="锁定"):  # locked: not even the right PIN changes it now
        accounts.change_pin(office.receptionist, office.uow(), staff_id=me, new_pin="97531", old_pin=PIN)
    assert audit_entries(office, "staff.change_pin") == []
    with pytest.raises(PermissionDenied, match="锁定"):
        sign_in(office, PIN)


def test_a_manager_changes_their_own_pin_with_the_current_one_too_SEC1(office):
    with refused(office, ValidationError, match="当前密码"):
        accounts.change_pin(office.manager, office.uow(), staff_id=office.manager.id, new_pin="97531")


def test_manager_resets_a_locked_account_SEC1(office):
    wrong(office, 5)
    accounts.change_pin(office.manager, office.uow(), staff_id=office.receptionist.id, new_pin="97531")
    assert sign_in(office, "97531").id == office.receptionist.id


def test_only_a_manager_changes_someone_elses_pin_SEC1_SEC2(office):
    with refused(office, PermissionDenied):
        accounts.change_pin(office.supervisor, office.uow(), staff_id=office.receptionist.id, new_pin="97531")


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "", "    "])
def test_a_pin_has_4_to_8_digits_SEC1(office, pin):
    with refused(office, ValidationError, match="4"):
        accounts.create_staff(office.manager, office.uow(), name="新人", role=Role.CLEANER, pin=pin)
    with refused(office, ValidationError, match="4"):
        accounts.change_pin(office.receptionist, office.uow(), staff_id=office.receptionist.id, new_pin=pin,
                            old_pin=PIN)


def test_new_account_can_sign_in_and_is_listed_SEC1(office):
    row = accounts.create_staff(office.manager, office.uow(), name=" 冯保安 ", role=Role.SECURITY, pin="8642")
    assert (row.name, row.role) == ("冯保安", Role.SECURITY)
    assert [s.name for s in accounts.list_staff(office.uow(), role=Role.SECURITY)] == ["冯保安"]
    assert sign_in(office, "8642", row) == Actor(row.id, "冯保安", Role.SECURITY)
    [entry] = [e for e in audit_entries(office, "staff.create") if e.target == f"staff:{row.id}"]
    assert entry.actor_id == office.manager.id and "8642" not in entry.after


def test_staff_are_listed_while_a_save_holds_the_write_lock_SEC1(office):
    """The window lists staff on its GUI thread while building: it must never wait for the worker's save."""
    if office.path is None:
        pytest.skip("SQLite's write lock")
    other = sqlite3.connect(office.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        assert office.receptionist.id in {s.id for s in accounts.list_staff(office.uow())}
    finally:
        other.rollback()
        other.close()


def test_only_the_first_account_may_be_made_without_signing_in_SEC1_SEC2(office):
    with refused(office, PermissionDenied):
        accounts.create_staff(None, office.uow(), name="路人", role=Role.MANAGER, pin="8642")


def test_first_account_of_a_new_office_must_be_a_manager_SEC1(tmp_path):
    from app.database import schema
    from app.database.engine import make_engine, session_factory
    from app.database.uow import UnitOfWork

    engine = make_engine(tmp_path / "new.db")
    schema.upgrade(engine)
    uow = lambda: UnitOfWork(session_factory(engine))  # noqa: E731
    with pytest.raises(ValidationError):
        accounts.create_staff(None, uow(), name="前台", role=Role.RECEPTIONIST, pin="8642")
    assert accounts.list_staff(uow()) == []
    boss = accounts.create_staff(None, uow(), name="经理", role=Role.MANAGER, pin="8642")
    assert accounts.sign_in(uow(), staff_id=boss.id, pin="8642").role == Role.MANAGER
    engine.dispose()


def test_switching_a_consultant_off_takes_them_out_of_todays_rotation_and_the_picker_SEC1(office):
    from app.services.reception import rotation

    a, b, *_ = office.consultants
    for c in (a, b):
        rotation.sign_in(office.receptionist, office.uow(), consultant_id=c.id)
    accounts.set_active(office.manager, office.uow(), staff_id=a.id, active=False)
    assert [e.consultant_id for e in rotation.queue_view(office.manager, office.uow()).entries] == [b.id]
    assert a.id not in {s.id for s in accounts.list_staff(office.uow())}
    with pytest.raises(NotFound):
        accounts.sign_in(office.uow(), staff_id=a.id, pin=PIN)
    assert rotation.day_log(office.manager, office.uow())[-1].reason == "账号已停用"


def test_a_manager_cannot_switch_off_their_own_account_SEC1(office):
    with pytest.raises(ValidationError, match="不能停用自己的账号"):
        accounts.set_active(office.manager, office.uow(), staff_id=office.manager.id, active=False)


def test_wrong_pins_sent_at_once_are_counted_one_by_one_SEC1(office):
    """Sixteen wrong PINs at the same moment (several stations, or a script): each is counted, the fifth locks
    the account, and the rest are refused as locked, on SQLite and on PostgreSQL alike."""
    start = threading.Barrier(16)
    told: list[str] = []

    def guess() -> None:
        start.wait()
        try:
            sign_in(office, "0000")
        except PermissionDenied as e:
            told.append(str(e))

    threads = [threading.Thread(target=guess) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert len(told) == 16
    assert sorted(m for m in told if m.startswith("密码错误。")) == [f"密码错误。再错 {n} 次账号将被锁定。" for n in (1, 2, 3, 4)]
    assert told.count("密码错误次数过多：账号已锁定 15 分钟。") == 1  # the fifth
    assert told.count("密码错误次数过多：账号还将锁定 15 分钟。") == 11  # the rest, refused unchecked
    with pytest.raises(PermissionDenied, match="锁定"):
        sign_in(office, PIN)
    [locked] = audit_entries(office, "staff.locked")
    assert locked.target == f"staff:{office.receptionist.id}"
