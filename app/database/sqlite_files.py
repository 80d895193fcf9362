"""Copies of a SQLite file: consistent while the program runs, checked before they are kept (SEC-5)."""
from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from app.database.driver_errors import reason
from app.errors import DatabaseProblem
from app.i18n import _


def online_copy(source: Path, out: Path, *, immutable: bool = False) -> list[str]:
    """Copy a SQLite file, live or not, with the online backup API; return the copy's integrity_check rows.

    The copy is a file in rollback-journal mode, which opens read-only from a write-protected stick (a file in
    WAL mode needs to write beside itself even to be read). `immutable`: the source is a backup no program is
    writing (a file to restore), read without any lock or companion file, so a write-protected one reads too.
    Raises sqlite3.Error or OSError; the caller removes `out` when it fails.
    """
    # Read-only on the source: a copy must never change what it copies. as_uri() escapes any '?', '#', spaces.
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro{'&immutable=1' if immutable else ''}", uri=True)
    try:
        dst = sqlite3.connect(out)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
            return [row[0] for row in dst.execute("PRAGMA integrity_check")]
        finally:
            dst.close()
    finally:
        src.close()


def sqlite_backup(source: Path, out: Path) -> None:
    """A consistent copy of a live SQLite file, checked before it is kept; no partial file is ever left."""
    tmp = out.with_name(out.name + ".part")
    try:
        if online_copy(source, tmp) != ["ok"]:
            raise DatabaseProblem(_("The backup copy failed its integrity check."))
        os.replace(tmp, out)
    except BaseException as e:
        remove(tmp)
        if isinstance(e, sqlite3.Error):
            raise DatabaseProblem(_("Cannot make the backup: %s") % reason(e)) from e
        if isinstance(e, OSError):
            raise DatabaseProblem(_("Cannot write the backup to %(path)s: %(reason)s")
                                  % {"path": out, "reason": reason(e)}) from e
        raise


def remove(path: Path) -> None:
    """A SQLite file and the files SQLite keeps beside it (its journal, its write-ahead log), where they are."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


RESTORING = ".restoring-"  # <database>.restoring-<process id>: a backup being checked before it is restored
STALE_SECONDS = 3600  # a copy still being written after an hour was left by a program that is gone


def remove_leftovers(live: Path) -> list[Path]:
    """What a killed program left beside the database: the private copy of a restore (a full copy of customers'
    data) and part-written copies kept before an upgrade or a restore. Those of a process no longer running (or,
    where that cannot be asked, an hour old) are removed; returns them."""
    found = []
    for path in live.parent.glob(f"{live.name}{RESTORING}*"):
        pid = path.name[len(live.name) + len(RESTORING):].split("-")[0]
        if pid.isdigit() and _gone(int(pid), path):
            found.append(path)
    found += [p for p in live.parent.glob(f"{live.stem}.before-*{live.suffix}.part") if _old(p)]
    removed = []
    for path in found:
        try:
            remove(path)
        except OSError:  # still open after all (another program's): left for the next start
            continue
        removed.append(path)
    return removed


def _old(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime > STALE_SECONDS
    except OSError:
        return False


def _gone(pid: int, path: Path) -> bool:
    if os.name != "posix":  # no harmless way to ask there (os.kill ends the process): the file's age says
        return _old(path)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # another user's process
        return False
    return False
