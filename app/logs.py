"""The program's log: a rotating file in the user's log folder, for the details staff never see."""
from __future__ import annotations

import logging
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app import paths

_HANDLER = "salesoffice-file"
# A few files of 1 MB hold weeks of warnings and tracebacks without ever filling a kiosk's disk.
MAX_BYTES = 1_000_000
KEEP_FILES = 3


# A database URL's password (scheme://user:PASSWORD@host), and a connection string's password=… field.
_PASSWORD_IN_URL = re.compile(r"(://[^:/@\s]+):[^@\s]*@")
_PASSWORD_FIELD = re.compile(r"(password\s*=\s*)('[^']*'|\S+)", re.IGNORECASE)


def hide_passwords(text: str) -> str:
    """`text` with every database password in it replaced by ***: for the log, the status bar and any message
    that names a database (SEC-5)."""
    return _PASSWORD_FIELD.sub(r"\1***", _PASSWORD_IN_URL.sub(r"\1:***@", text))


class _Redacting(logging.Formatter):
    """Formats as usual, then hides passwords in the whole record: message, arguments and traceback alike."""

    def format(self, record: logging.LogRecord) -> str:
        return hide_passwords(super().format(record))


def log_file() -> Path:
    return paths.log_dir() / "salesoffice.log"


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send warnings of every library, and the program's own records from `level` up, to the rotating file.

    Safe to call again (the window and the command line both do). Returns the file's path, or None when
    the log folder cannot be written: the program still runs.
    """
    root = logging.getLogger()
    try:
        path = log_file()
    except OSError:
        return None
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER:
            if Path(handler.baseFilename) == path:  # type: ignore[attr-defined]
                return path
            root.removeHandler(handler)  # the data folder moved (tests do that): follow it
            handler.close()
    # delay: the file is created by the first record, so a quiet run leaves nothing behind.
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=KEEP_FILES, encoding="utf-8", delay=True)
    handler.set_name(_HANDLER)
    handler.setFormatter(_Redacting("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)  # libraries' INFO (Alembic's plugin list …) is noise here
    logging.getLogger("app").setLevel(level)
    return path
