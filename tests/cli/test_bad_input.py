"""Hostile and careless command lines, one table: each gets one translated line on stderr, exit code 1, no
traceback, and leaves every file as it was (checksums before and after). The attacks and their outcomes are
listed in docs/reliability.md; a new one goes in both places."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from app.database import schema

LONG = "名" * 2000  # 6,000 bytes: longer than any file name a disk allows


def _stamped(path: Path, revision: str) -> None:
    """A SQLite file that says it has schema `revision` but holds no table of it."""
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
    conn.close()


# (what is tried, the command after `salesoffice`, words the one line must hold). {db} is the office's database,
# {dir} the test's folder holding the files made below.
CASES = [
    ("a MySQL address", ["--db", "mysql://sales:secret@db.example/office", "db", "check"],
     "既不是数据库文件，也不是 postgresql:// 地址"),
    ("an unknown scheme", ["--db", "foo://bar", "db", "check"], "既不是数据库文件"),
    ("a database name too long", ["--db", "{dir}/" + LONG + ".db", "db", "check"], "名称太长"),
    ("an empty file as the database", ["--db", "{dir}/empty.db", "db", "check"], "是一个空文件，不是数据库"),
    ("a stamp without its tables", ["--db", "{dir}/stamped.db", "export", "visits", "--out", "{dir}/out.csv",
                                    "--reason", "月报"], "却缺少数据表"),
    ("a database of an older schema", ["--db", "{dir}/old.db", "import", "visits", "{dir}/existing.csv"],
     "请先运行：salesoffice db upgrade"),
    ("a first day in year 1", ["--db", "{db}", "export", "visits", "--out", "{dir}/out.xlsx", "--from",
                               "0001-01-01", "--reason", "月报"], "--from: 开始日期 0001-01-01 超出"),
    ("a last day in year 9999", ["--db", "{db}", "export", "visits", "--out", "{dir}/out.xlsx", "--to",
                                 "9999-12-31", "--reason", "月报"], "--to: 结束日期 9999-12-31 超出"),
    ("an export over an existing file", ["--db", "{db}", "export", "visits", "--out", "{dir}/existing.csv",
                                         "--reason", "月报"], "已存在"),
    ("an export file name too long", ["--db", "{db}", "export", "visits", "--out", "{dir}/" + LONG + ".csv",
                                      "--reason", "月报"], "名称太长"),
    ("an import file name too long", ["--db", "{db}", "import", "visits", "{dir}/" + LONG + ".csv"], "名称太长"),
    ("an import of a missing file", ["--db", "{db}", "import", "visits", "{dir}/missing.csv"], "不存在"),
    ("an item list naming no columns", ["--db", "{db}", "import", "items", "{dir}/existing.csv", "--apartment",
                                        "A户型"], "没有列名行（如 区域、物品名称、数量）"),
    ("an apartment name too long", ["--db", "{db}", "import", "items", "{dir}/existing.csv", "--apartment", "名" * 41],
     "--apartment: 样板房太长"),
    ("screenshots into a file", ["--db", "{db}", "screenshots", "--out", "{dir}/existing.csv"],
     "--out：{dir}/existing.csv 是一个文件"),
]


def _checksums(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "logs" not in p.parts}


@pytest.mark.parametrize(("tried", "args", "said"), CASES, ids=[case[0] for case in CASES])
def test_bad_input_gets_one_line_and_changes_nothing_SEC6(run, office, tmp_path, tried, args, said):
    files = tmp_path / "files"
    files.mkdir()
    (files / "empty.db").write_bytes(b"")
    _stamped(files / "stamped.db", schema.SCHEMA_HEAD)
    _stamped(files / "old.db", "0003")
    (files / "existing.csv").write_text("来访时间,姓名,手机\n", encoding="utf-8")
    target = office.engine.url.render_as_string(hide_password=False)
    office.engine.dispose()
    before = _checksums(tmp_path)
    fill = {"db": target, "dir": str(files)}
    result = run(*[a.format(**fill) for a in args], screenshots=lambda *_: pytest.fail("screenshots were taken"))
    assert result.code == 1, (tried, result)
    assert said.format(**fill) in result.err, (tried, result.err)
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    assert "secret" not in result.err  # no password in a message (SEC-1)
    assert _checksums(tmp_path) == before, tried
