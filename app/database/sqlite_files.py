"""Copies of a SQLite file: consistent while the program runs, checked before they are kept (SEC-5)."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from app.database.driver_errors import reason
from app.errors import DatabaseProblem
from app.i18n import _


def online_copy(source: Path, out: Path) -> list[str]:
    """Copy a SQLite file, live or not, with the online backup API; return the copy's integrity_check rows.

    Raises sqlite3.Error or OSError; the caller removes `out` when it fails.
    """
    # Read-only on the source: a copy must never change what it copies. as_uri() escapes any '?', '#', spaces.
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(out)
        try:
            src.backup(dst)
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
        tmp.unlink(missing_ok=True)
        if isinstance(e, sqlite3.Error):
            raise DatabaseProblem(_("Cannot make the backup: %s") % reason(e)) from e
        if isinstance(e, OSError):
            raise DatabaseProblem(_("Cannot write the backup to %(path)s: %(reason)s")
                                  % {"path": out, "reason": reason(e)}) from e
        raise
