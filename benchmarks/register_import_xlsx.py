"""Importing the same register of 100,000 rows from XLSX, against importing it from CSV.

Ours: `app.services.visitors.register_io.import_logs(None, uow, path=...xlsx)` as `salesoffice import visits FILE`
calls it, on a fresh copy of a small demo office: the workbook checked (app.files.workbook_guard), read by
calamine, every row checked and written, as register_import.py does for the CSV. Baseline: the very same import
of the CSV that register_import.py makes (`benchmarks/out/register100k.csv`, always the same rows), on another
fresh copy. The XLSX holds the same rows as Excel keeps them: the visit's time a date-time cell, the phone and the
party size numbers, the rest text. Both imports must write the same rows. Both in this process, alternating,
3 rounds; medians and their ratio. Target: at most 2×.

    .venv/bin/python benchmarks/register_import_xlsx.py
"""
from __future__ import annotations

import csv
import hashlib
import resource
import sqlite3
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

from _common import OUT, demo_database, machine, verdict  # first: it puts the repository on sys.path
from register_import import ROWS, fresh_copy, make_register, ours

ROUNDS = 3
TARGET = 2.0


def make_workbook(register_csv: str) -> str:
    """The CSV's rows as an XLSX (made once, and again when the CSV's rows change)."""
    from openpyxl import Workbook

    path = OUT / "register100k.xlsx"
    digest = hashlib.sha1(Path(register_csv).read_bytes()).hexdigest()
    made_from = path.with_name(path.name + ".source")
    if path.is_file() and made_from.is_file() and made_from.read_text() == digest:
        return str(path)
    print("Making benchmarks/out/register100k.xlsx with openpyxl; this happens once…", flush=True)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("来访登记")
    with open(register_csv, encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f)
        sheet.append(next(rows))
        for at, kind, name, phone, party, *rest in rows:
            sheet.append([datetime.strptime(at, "%Y-%m-%d %H:%M"), kind, name, int(phone), int(party), *rest])
    part = path.with_name(path.name + ".part.xlsx")
    book.save(part)
    part.replace(path)
    made_from.write_text(digest)
    return str(path)


def stored(db: str) -> dict[str, list[tuple]]:
    """What an import wrote, as stored, without ids: the two imports must agree."""
    with sqlite3.connect(db) as conn:
        return {"visits": conn.execute("SELECT v.arrived_at, v.name, c.phone, v.party_size, v.channel, v.intent, "
                                       "v.consultant_id, v.note FROM visits v JOIN customers c ON c.id = v.customer_id "
                                       "ORDER BY v.arrived_at, c.phone").fetchall()}


def main() -> int:
    template = str(demo_database("demo_small.db", 200))
    with sqlite3.connect(template) as conn:
        consultants = [n for (n,) in conn.execute("SELECT name FROM staff WHERE role = 'consultant' AND active")]
    register_csv = make_register(consultants)
    register_xlsx = make_workbook(register_csv)
    print(f"{machine()}\nregister: {ROWS:,} rows, CSV {(OUT / 'register100k.csv').stat().st_size / 2**20:.1f} MB, "
          f"XLSX {(OUT / 'register100k.xlsx').stat().st_size / 2**20:.1f} MB")
    xlsx_s, csv_s = [], []
    for round_ in range(ROUNDS):
        pair = [("xlsx", register_xlsx, xlsx_s), ("csv", register_csv, csv_s)]
        for name, register, times in pair if round_ % 2 == 0 else reversed(pair):
            db = fresh_copy(template, f"import_{name}.db")
            seconds, done = ours(db, register)
            assert not done.rejected and done.visits == ROWS, done.rejected[:3]
            times.append(seconds)
            print(f"  round {round_ + 1}: {name} {seconds:.2f} s", flush=True)
        if round_ == 0:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
            print(f"peak memory after the first round: {peak:.0f} MB")
            same = stored(str(OUT / "import_xlsx.db")) == stored(str(OUT / "import_csv.db"))
            print(f"the XLSX and the CSV wrote the same visits: {same}")
            if not same:
                print("MISSED: the XLSX import wrote other rows than the CSV import.", file=sys.stderr)
                return 1
    xlsx_median, csv_median = statistics.median(xlsx_s), statistics.median(csv_s)
    print(f"ours (import_logs, XLSX)     median {xlsx_median:6.2f} s   min {min(xlsx_s):6.2f} s   "
          f"({ROWS / xlsx_median:,.0f} rows/s)")
    print(f"baseline (import_logs, CSV)  median {csv_median:6.2f} s   min {min(csv_s):6.2f} s   "
          f"({ROWS / csv_median:,.0f} rows/s)")
    return verdict(xlsx_median / csv_median, TARGET)


if __name__ == "__main__":
    sys.exit(main())
