"""The daily automatic backup of a station's file (SEC-5): one checked copy a day, kept for a set number of days.

A single station's SQLite file is the office's only copy, so the window makes this copy by itself. A shared
PostgreSQL database is backed up on its server (see the README), not by every station.
"""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine

from app import clock, paths
from app.database import anchors, backup
from app.database.engine import is_sqlite

# A day's copy, with the files SQLite keeps beside a copy opened; ".part": a copy being written, or left half-way
# by a program killed while writing it.
_NAME = re.compile(r"^daily-(\d{8})\.db(\.part)?(-wal|-shm|-journal)?$")


def folder() -> Path:
    path = paths.data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def run(engine: Engine, *, keep_days: int) -> Path | None:
    """Make today's copy unless it exists, then drop copies older than `keep_days`. None: nothing to do."""
    if not is_sqlite(str(engine.url)):
        anchors.advance(engine)  # the server is backed up on its machine; this station keeps the head it saw
        return None
    today = clock.today()
    target = folder() / f"daily-{today:%Y%m%d}.db"
    made = None if target.exists() else backup.backup(None, engine, target)
    oldest_kept, day = f"{today - timedelta(days=keep_days - 1):%Y%m%d}", f"{today:%Y%m%d}"
    for old in folder().iterdir():
        match = _NAME.match(old.name)
        if match and (match.group(1) < oldest_kept or (match.group(2) and match.group(1) < day)):
            old.unlink()
    return made
