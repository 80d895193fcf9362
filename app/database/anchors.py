"""The audit head each station saw, kept outside the database (SEC-3).

The keyed chain shows an entry edited or inserted, but not the newest entries cut off together with the head
moved back onto what remains: a shorter log is still a valid one. So a station remembers, per database, the
newest entry it saw (its id and hash, and when): when it checks the database (`db check`), makes a backup (the
daily one too) and restores one. `db check` then says when the log no longer holds that entry as it was.

A restore legitimately puts an older log back: the station that restores starts again from the restored head,
and another station accepts a log that no longer holds its entry when the log records a restore made after it
saw that entry (a keyed `database.restore` entry, which nobody can forge without the key).

The file is `audit-anchors.json` in the data folder. It is a help, never a condition: a station that cannot
write it works on (the log says why), and a database it never saw has nothing to compare.
"""
from __future__ import annotations

import json
import logging
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from app import clock, paths
from app.database.engine import sqlite_path
from app.i18n import _
from app.models.audit import AuditEntry

log = logging.getLogger(__name__)
FILE_NAME = "audit-anchors.json"


def _file() -> Path:
    return paths.data_dir() / FILE_NAME


def place(engine: Engine) -> str:
    """Which database: a SQLite file by its full path, a server's database by its URL without the password."""
    path = sqlite_path(str(engine.url))
    if path is not None:
        return "sqlite:" + str(path.expanduser().resolve())
    return engine.url.set(password=None).render_as_string(hide_password=False)


def _read() -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(_file().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as e:
        log.warning("the audit anchors cannot be read, so none are compared: %s", e)
        return {}
    return data if isinstance(data, dict) else {}


def _write(data: dict[str, dict[str, Any]]) -> None:
    target = _file()
    part = target.with_name(f"{target.name}.{os.getpid()}.part")
    try:
        part.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(part, target)
    except OSError as e:
        part.unlink(missing_ok=True)
        log.warning("the audit head seen cannot be kept in %s: %s", target, e)


def anchored(engine: Engine) -> dict[str, Any] | None:
    """What this station last saw of the database: {"id", "hash", "at"}; None when it saw nothing."""
    seen = _read().get(place(engine))
    if not isinstance(seen, dict) or not {"id", "hash", "at"} <= set(seen):
        return None
    return seen


def reset(engine: Engine, newest: tuple[int, str] | None) -> None:
    """Start again from `newest` (a restore, a new database); None forgets the database."""
    data = _read()
    if newest is None:
        if data.pop(place(engine), None) is None:
            return
    else:
        data[place(engine)] = {"id": newest[0], "hash": newest[1], "at": clock.now().isoformat()}
    _write(data)


def compare(engine: Engine) -> list[str]:
    """What differs from the head this station saw; [] when the log still holds it, or a restore explains it."""
    seen = anchored(engine)
    if seen is None:
        return []
    with _reading(engine) as conn:
        stored = conn.execute(select(AuditEntry.hash).where(AuditEntry.id == int(seen["id"]))).scalar()
        if stored == seen["hash"]:
            return []
        restored = conn.execute(select(func.max(AuditEntry.at)).where(AuditEntry.action == "database.restore")).scalar()
        last = conn.execute(select(func.max(AuditEntry.id))).scalar() or 0
    when = datetime.fromisoformat(seen["at"])
    if restored is not None and restored >= when:
        return []  # restored since (at another station): the log starts again from the backup's
    said = {"seen": int(seen["id"]), "last": last, "date": f"{clock.local(when):%Y-%m-%d %H:%M}"}
    if stored is None:
        return [_("Audit log: it ends at entry %(last)d, but this station saw entry %(seen)d on %(date)s: the newest "
                  "entries were removed.") % said]
    return [_("Audit log: entry %(seen)d is not the one this station saw on %(date)s: the log was rewritten or "
              "replaced.") % said]


def _reading(engine: Engine):  # type: ignore[no-untyped-def]
    """A connection that only reads: on SQLite it never takes the write lock."""
    return engine.connect().execution_options(readonly=True)


def advance(engine: Engine) -> None:
    """Remember the database's newest entry now, when its log still holds what this station saw before (a log that
    does not is left for `db check` to report). Never fails: a station that cannot keep it works on."""
    try:
        if compare(engine):
            return
        with _reading(engine) as conn:
            newest = conn.execute(select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()
        seen = anchored(engine)
        if newest is not None and (seen is None or int(seen["id"]) <= newest[0]):
            reset(engine, (newest[0], newest[1]))
    except Exception as e:  # a help only: the backup or check that called it is what matters
        log.warning("the audit head seen was not kept: %s", e)
