"""Opening the showroom tab on a year of checks (3 model apartments × 365 days, each day's 6 checks and the night's
14 patrol rounds), against the raw query it needs (SHW-3, SHW-9).

Baseline: the raw query the tab's opening needs, on an open sqlite3 connection to the same file: the office's hours
for the checks (open, close, the two grace periods: what tells due from late), the apartments, and the checks of the
last 7 days with who did them (today's among them), one SELECT each.
Against it, alternating, medians, **target at most 2×** (aim 1.3×):
- the opening read: `checks.day_view` for today and `checks.week_view` for the 7 days ending today, as the tab asks
  them on the worker (the supervisor, a UnitOfWork as in ui/context.py);
- the week alone: `checks.week_view`, against the raw SELECT of the week's checks;
- the tab showing them: both services, then the day's board and the week's grid filled (ShowroomTab._show,
  WeekView.show_weeks) on a tab of 1366×690 shown offscreen, against the raw query plus a bare QTableWidget of the
  board's cells (20 rows × 5) and one of the grid's (7 × 3) filled with the raw rows' texts.
Both query plans are printed and must read the checks through `ix_showroom_checks_day`.

The database, benchmarks/out/showroom_year.db, is a demo office without visitors whose model apartments have 365
days of checks (app/demo: the demo's apartments and checks, a year of them), made once.

    .venv/bin/python benchmarks/showroom_tab.py
"""
from __future__ import annotations

import os
import sqlite3
import statistics
import sys
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

# _common first: it puts the repository on sys.path
from _common import alternate, cached_database, check_plans, describe, machine, plans, verdict

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem
from sqlalchemy import event

from app import clock
from app.database.engine import make_engine, session_factory
from app.database.uow import UnitOfWork
from app.permissions import Actor, Role
from app.services.showroom import checks
from ui.app import application
from ui.context import UiContext
from ui.tabs.showroom.tab import ShowroomTab

DAYS = 365
ROUNDS, WIDGET_ROUNDS, WARM_UP = 300, 60, 5
TARGET, AIM = 2.0, 1.3
SIZE = (1366, 690)
APARTMENTS = "SELECT id, name FROM apartments WHERE active ORDER BY name"
HOURS = """SELECT key, value FROM settings
    WHERE key IN ('open_time', 'close_time', 'check_grace_minutes', 'patrol_grace_minutes')"""
WEEK = """SELECT c.id, c.apartment_id, c.day, c.slot, c.done_at, c.problems, s.name
    FROM showroom_checks c JOIN staff s ON s.id = c.done_by_id WHERE c.day BETWEEN ? AND ?"""
INDEXES = ("ix_showroom_checks_day",)


def make_year(path: Path) -> None:
    from app.demo import office

    engine = make_engine(path)
    # The history a day longer than the checks: the apartments are furnished the day before it begins.
    office.create(engine, visitors=0, days=DAYS + 1, showroom_days=DAYS)
    engine.dispose()


def raw_read(raw: sqlite3.Connection, first: str, last: str) -> tuple[list, list]:
    raw.execute(HOURS).fetchall()
    return raw.execute(APARTMENTS).fetchall(), raw.execute(WEEK, (first, last)).fetchall()


def bare_tables(board: QTableWidget, grid: QTableWidget, flats: list, rows: list, today: str) -> None:
    """The least Qt does to show the raw rows as the tab shows them: the board's cells (today's checks by slot and
    apartment) and the grid's (how many checks each apartment's day has) as plain texts."""
    column = {flat_id: c for c, (flat_id, _name) in enumerate(flats)}
    slots: dict[str, int] = {}
    per_day: defaultdict[tuple[str, int], int] = defaultdict(int)
    for row in rows:
        per_day[row[2], row[1]] += 1
        if row[2] == today:
            r = slots.setdefault(row[3], len(slots))
            board.setItem(r, 2 + column[row[1]], QTableWidgetItem(f"{row[4]} {row[6]} {row[5]}"))
    for (day, flat_id), count in per_day.items():
        grid.setItem(0, column[flat_id], QTableWidgetItem(f"{day} {count}"))


def service_statements(engine, actor: Actor, today) -> list[tuple[str, tuple]]:  # type: ignore[no-untyped-def]
    """The statements the opening read runs on the checks, as sent to SQLite."""
    seen: list[tuple[str, tuple]] = []

    def note(_conn, _cursor, sql, params, *_rest) -> None:  # type: ignore[no-untyped-def]
        if "showroom_checks" in sql:
            seen.append((sql, tuple(params)))

    event.listen(engine, "before_cursor_execute", note)
    try:
        uow = UnitOfWork(session_factory(engine))
        checks.day_view(actor, uow, day=today)
        checks.week_view(actor, uow, last_day=today)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def main() -> int:
    db = cached_database("showroom_year.db", f"3 model apartments × {DAYS} days of checks", make_year)
    app = application()  # the bundled CJK font and the style sheet, as in the window
    raw = sqlite3.connect(db)
    engine = make_engine(db)
    factory = session_factory(engine)
    staff_id, name = raw.execute("SELECT id, name FROM staff WHERE role = 'supervisor' LIMIT 1").fetchone()
    actor = Actor(staff_id, name, Role.SUPERVISOR)
    today = clock.today()
    first, last = (today - timedelta(days=checks.WEEK - 1)).isoformat(), today.isoformat()
    held = raw.execute("SELECT count(*) FROM showroom_checks").fetchone()[0]

    def opening(_case: int) -> None:
        checks.day_view(actor, UnitOfWork(factory), day=today)
        checks.week_view(actor, UnitOfWork(factory), last_day=today)

    def week(_case: int) -> None:
        checks.week_view(actor, UnitOfWork(factory), last_day=today)

    for _ in range(WARM_UP):
        opening(0)
        raw_read(raw, first, last)
    read_times = alternate(list(range(ROUNDS)), opening, lambda _case: raw_read(raw, first, last), 1)
    week_times = alternate(list(range(ROUNDS)), week, lambda _case: raw.execute(WEEK, (first, last)).fetchall(), 1)

    ctx = UiContext(engine)
    ctx.set_actor(actor)
    tab = ShowroomTab(ctx)
    tab._timer.stop()  # its own refresh every 30 s would run beside the measures
    tab.resize(*SIZE)
    tab.show()
    while not tab.week.weeks:  # its first reads, on the worker
        app.processEvents()
    ctx.tasks.wait()
    board, grid = QTableWidget(20, 5), QTableWidget(checks.WEEK, 3)

    def shown(_case: int) -> None:
        tab._show(checks.day_view(actor, UnitOfWork(factory), day=today))
        tab.week.show_weeks(checks.week_view(actor, UnitOfWork(factory), last_day=today))

    def bare(_case: int) -> None:
        flats, rows = raw_read(raw, first, last)
        bare_tables(board, grid, flats, rows, last)

    for _ in range(WARM_UP):
        shown(0)
        bare(0)
        app.processEvents()
    widget_times: dict[str, list[float]] = {"ours": [], "baseline": []}
    for r in range(WIDGET_ROUNDS):
        one = alternate([r], shown, bare, 1)
        app.processEvents()  # the repaints the fills asked for, outside the measure
        for who in widget_times:
            widget_times[who] += one[who]

    status = check_plans(plans(raw, service_statements(engine, actor, today)), plans(raw, [(WEEK, (first, last))]),
                         INDEXES)
    ctx.tasks.wait()
    engine.dispose()

    print(f"\nThe showroom tab on {db.name} ({held:,} checks), {ROUNDS} rounds, alternating ({machine()})")
    print(describe("raw sqlite3: hours, apartments, week", read_times["baseline"], "µs", 1e6))
    print(describe("day_view + week_view", read_times["ours"], "µs", 1e6))
    print(describe("raw sqlite3: the week's checks", week_times["baseline"], "µs", 1e6))
    print(describe("week_view", week_times["ours"], "µs", 1e6))
    print(f"The tab showing the day and the week, {WIDGET_ROUNDS} rounds, alternating:")
    print(describe("raw sqlite3 + bare QTableWidgets", widget_times["baseline"], "µs", 1e6))
    print(describe("services + board + week grid", widget_times["ours"], "µs", 1e6))
    print("The opening read:")
    status |= verdict(statistics.median(read_times["ours"]) / statistics.median(read_times["baseline"]), TARGET, AIM)
    print("The week view:")
    status |= verdict(statistics.median(week_times["ours"]) / statistics.median(week_times["baseline"]), TARGET, AIM)
    print("The tab showing the day and the week:")
    status |= verdict(statistics.median(widget_times["ours"]) / statistics.median(widget_times["baseline"]), TARGET,
                      AIM)
    return status


if __name__ == "__main__":
    sys.exit(main())
