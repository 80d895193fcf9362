"""Where things are: bundled resources, the user's data and log folders, the default database."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from app import clock

# Inside a PyInstaller bundle resources sit under sys._MEIPASS; from source, beside app/.
BASE = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[1]))


def resource(*parts: str) -> Path:
    return BASE.joinpath("resources", *parts)


def defaults(*parts: str) -> Path:
    """A file of the defaults a new office starts with (data/: check templates, lists), editable in the program."""
    return BASE.joinpath("data", *parts)


def data_dir() -> Path:
    """The user's data folder; tests and the demo set SALESOFFICE_DATA."""
    path = Path(os.environ.get("SALESOFFICE_DATA") or platformdirs.user_data_dir("SalesOffice", "salesoffice"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def font_file() -> Path:
    return resource("fonts", "wqy-microhei.ttc")


def default_database() -> str:
    """The database named by SALESOFFICE_DB, else a SQLite file in the data folder."""
    return os.environ.get("SALESOFFICE_DB") or str(data_dir() / "salesoffice.db")


def beside(path: Path, label: str) -> Path:
    """A new file name next to `path` saying what it is and when (office time), never an existing one."""
    stamp = clock.local(clock.now()).strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.{label}-{stamp}{path.suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.{label}-{stamp}-{n}{path.suffix}")
        n += 1
    return candidate
