"""Importing an old register of 100,000 rows from CSV, against raw sqlite3 executemany of the same rows.

Ours: `app.services.visitors.register_io.import_logs(None, uow, path=...)` as `salesoffice import visits FILE` calls it,
on a copy of a small demo office: reading, checking, finding customers by phone, the duplicate check, writing
customers, visits and ownership decisions, the audit entry, the commit. Baseline: on another copy of the same
office, one sqlite3 connection inserts the very rows ours wrote (read back from its database, as stored)
with `executemany`, one transaction, one commit. Both in this process, alternating, 5 rounds.

The CSV (benchmarks/out/register100k.csv) is generated here, always the same: 100,000 visits of about
70,000 customers over a year, in the export's columns, the demo's consultants receiving them.

    .venv/bin/python benchmarks/register_import.py
"""
from __future__ import annotations

import csv
import random
import resource
import sqlite3
import statistics
import sys
import time
from datetime import timedelta

from _common import OUT, demo_database, machine, verdict  # first: it puts the repository on sys.path

from app import clock
from app.database.engine import make_engine, session_factory
from app.files import register_file
from app.services.visitors import register_io
from app.database.uow import UnitOfWork

ROWS, ROUNDS = 100_000, 5
TARGET = 4.0
TABLES = ("customers", "visits", "ownership_decisions")
CHANNELS = ("路过", "朋友介绍", "网络", "报纸", "户外广告", "来电", "中介", "老带新")
INTENTS = ("两房", "三房", "四房", "90㎡", "120㎡", "")


def make_register(consultants: list[str]) -> str:
    path = OUT / "register100k.csv"
    rng = random.Random(7)
    phones = [f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}" for _ in range(70_000)]
    start = clock.local(clock.now()).replace(tzinfo=None, second=0, microsecond=0) - timedelta(days=365)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(register_file.COLUMNS)
        for n in range(ROWS):
            at = start + timedelta(minutes=n * 5 + rng.randrange(5))
            phone = phones[n] if n < len(phones) else rng.choice(phones)  # every third row a return visit
            out.writerow([at.strftime("%Y-%m-%d %H:%M"), "来访", rng.choice("王李张刘陈杨赵黄周吴") + "先生",
                          phone, rng.randint(1, 4), rng.choice(CHANNELS), rng.choice(INTENTS),
                          rng.choice(consultants), ""])
    return str(path)


def fresh_copy(template: str, name: str) -> str:
    target = OUT / name
    for leftover in (target, target.with_name(name + "-wal"), target.with_name(name + "-shm")):
        leftover.unlink(missing_ok=True)
    with sqlite3.connect(template) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return str(target)


def ours(db: str, register: str) -> tuple[float, register_io.ImportResult]:
    engine = make_engine(db)
    uow = UnitOfWork(session_factory(engine))
    started = time.perf_counter()
    done = register_io.import_logs(None, uow, path=register)
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds, done


def written_rows(db: str, before: dict[str, int]) -> dict[str, tuple[list[str], list[tuple]]]:
    """The rows the import added to each table, as stored: what the baseline inserts."""
    with sqlite3.connect(db) as conn:
        rows = {}
        for table in TABLES:
            cursor = conn.execute(f"SELECT * FROM {table} WHERE id > ? ORDER BY id", (before[table],))
            rows[table] = ([c[0] for c in cursor.description], cursor.fetchall())
        return rows


def baseline(db: str, rows: dict[str, tuple[list[str], list[tuple]]]) -> float:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys=ON")  # as the program's connections (app/database/engine.py): the same checks
    conn.execute("PRAGMA synchronous=FULL")
    started = time.perf_counter()
    for table, (columns, values) in rows.items():
        conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                         values)
    conn.commit()
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def main() -> int:
    template = str(demo_database("demo_small.db", 200))
    with sqlite3.connect(template) as conn:
        consultants = [n for (n,) in conn.execute("SELECT name FROM staff WHERE role = 'consultant' AND active")]
        before = {t: conn.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0] for t in TABLES}
    register = make_register(consultants)
    print(f"{machine()}\nregister: {ROWS:,} rows, {(OUT / 'register100k.csv').stat().st_size / 2**20:.1f} MB")
    ours_s, base_s, rows = [], [], None
    for _round in range(ROUNDS):
        seconds, done = ours(fresh_copy(template, "import_ours.db"), register)
        assert not done.rejected and done.visits == ROWS, done.rejected[:3]
        ours_s.append(seconds)
        if rows is None:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
            print(f"peak memory after the first import: {peak:.0f} MB (the checked rows are held until written)")
            rows = written_rows(str(OUT / "import_ours.db"), before)
            print("rows written: " + ", ".join(f"{t} {len(v):,}" for t, (_c, v) in rows.items())
                  + f" ({done.new_customers:,} new customers)")
        base_s.append(baseline(fresh_copy(template, "import_raw.db"), rows))
    ours_median, base_median = statistics.median(ours_s), statistics.median(base_s)
    print(f"ours (import_logs)             median {ours_median:6.2f} s   min {min(ours_s):6.2f} s   "
          f"({ROWS / ours_median:,.0f} rows/s)")
    print(f"baseline (sqlite3 executemany) median {base_median:6.2f} s   min {min(base_s):6.2f} s")
    return verdict(ours_median / base_median, TARGET)


if __name__ == "__main__":
    sys.exit(main())
