"""Running the command line in-process, with its own data folder, and reading what a person would see."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from app import cli
from tests import backend


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


def query(where: object, sql: str, *params: object) -> list[tuple]:
    """Read a database the way an auditor would, no program code in between: plain sqlite3 for a file, plain
    SQL through SQLAlchemy for a server. `where` is a path, a URL or an office; `?` marks the parameters."""
    target = getattr(where, "db", where)
    if "://" not in str(target):
        con = sqlite3.connect(target)
        try:
            rows = con.execute(sql, params).fetchall()
            con.commit()
            return rows
        finally:
            con.close()
    statement, values = backend.named(sql, params)
    engine = create_engine(str(target), poolclass=NullPool)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement), values)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


def staff_names(where: object) -> list[str]:
    return [name for (name,) in query(where, "SELECT name FROM staff ORDER BY id")]
