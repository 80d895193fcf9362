"""The daily automatic backup of a station's file (SEC-5)."""
from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from app import clock
from app.database import daily_backup
from tests.backend import ON_POSTGRES


@pytest.mark.skipif(ON_POSTGRES, reason="a shared PostgreSQL database is backed up on its server, not per station")
def test_one_checked_copy_a_day_kept_for_the_set_number_of_days_SEC5(office):
    first = daily_backup.run(office.engine, keep_days=3)
    assert first is not None and first.name == "daily-20261123.db"
    with sqlite3.connect(first) as conn:
        assert conn.execute("SELECT count(*) FROM staff").fetchone()[0] == 7
    assert daily_backup.run(office.engine, keep_days=3) is None  # today's copy exists
    for _day in range(4):
        clock.advance(timedelta(days=1))
        daily_backup.run(office.engine, keep_days=3)
    kept = sorted(p.name for p in daily_backup.folder().glob("*.db"))
    assert kept == ["daily-20261125.db", "daily-20261126.db", "daily-20261127.db"]


@pytest.mark.skipif(ON_POSTGRES, reason="a shared PostgreSQL database is backed up on its server, not per station")
def test_a_daily_copy_left_half_written_by_a_killed_program_is_removed_the_next_day_SEC5(office):
    daily_backup.run(office.engine, keep_days=3)
    killed = daily_backup.folder() / "daily-20261123.db.part"
    for leftover in (killed, killed.with_name(killed.name + "-journal")):
        leftover.write_bytes(b"half a copy of customers' data")
    daily_backup.run(office.engine, keep_days=3)
    assert killed.exists()  # today's: perhaps still being written
    clock.advance(timedelta(days=1))
    daily_backup.run(office.engine, keep_days=3)
    assert not killed.exists() and not killed.with_name(killed.name + "-journal").exists()
    assert (daily_backup.folder() / "daily-20261124.db").exists()
