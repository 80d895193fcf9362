"""Running the command line in-process, with its own data folder, and reading what a person would see."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from app import cli


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


Run = Callable[..., Outcome]


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The log file and the default database land in a folder of this test, never in the user's."""
    folder = tmp_path / "data"
    monkeypatch.setenv("SALESOFFICE_DATA", str(folder))
    monkeypatch.delenv("SALESOFFICE_DB", raising=False)
    return folder


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def run(*args: str, **callables: object) -> Outcome:
        capsys.readouterr()
        code = cli.main([str(a) for a in args], **callables)  # type: ignore[arg-type]
        out, err = capsys.readouterr()
        return Outcome(code, out, err)

    return run


def query(path: Path, sql: str, *params: object) -> list[tuple]:
    """Read a database the way an auditor would: plain sqlite3, no program code in between."""
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def staff_names(path: Path) -> list[str]:
    return [name for (name,) in query(path, "SELECT name FROM staff ORDER BY id")]
