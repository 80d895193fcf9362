"""The manager's figures: traffic by day for the last 30 days and the funnel for a month, against the raw GROUP BY
on sqlite3, on a demo office of 1,000,000 visits.

Ours: `app.services.visitors.figures.traffic(actor, uow, since=…, until=today, period="day", by="channel")` and
`figures.funnel(actor, uow, since=…, until=…, by="consultant")` as the figures page calls them (the demo
manager, a UnitOfWork as in ui/context.py). Baselines, on an open sqlite3 connection to the same file, written
as one would by hand:
- traffic: visits per office day (SQLite's `date(arrived_at, '+8 hours')`) and channel, and calls per day, two
  GROUP BY queries;
- funnel: distinct customers per consultant and stage over the month's visits and deals, one GROUP BY over their
  UNION ALL.
Alternating, medians; **target at most 2×** each. The query plans are printed; both ways must read the period
through the time indexes (visits.arrived_at, calls.received_at, deals.at).

    .venv/bin/python benchmarks/figures.py
"""
from __future__ import annotations

import sqlite3
import statistics
import sys
from datetime import date, timedelta

# _common first: it puts the repository on sys.path
from _common import alternate, check_plans, demo_database, describe, machine, plans, verdict

from app import clock
from app.database.engine import make_engine, session_factory
from app.permissions import Actor, Role
from app.services.visitors import figures
from app.database.uow import UnitOfWork

ROUNDS, WARM_UP = 15, 2
TARGET = 2.0
# The office's day of a stored UTC time: Asia/Shanghai keeps +8 hours all year (no summer time).
TRAFFIC = ["""SELECT date(arrived_at, '+8 hours') AS day, channel, count(*) FROM visits
              WHERE arrived_at >= ? AND arrived_at < ? GROUP BY day, channel""",
           """SELECT date(received_at, '+8 hours') AS day, count(*) FROM calls
              WHERE received_at >= ? AND received_at < ? GROUP BY day"""]
FUNNEL = """SELECT k, stage, count(DISTINCT c) FROM (
                SELECT consultant_id AS k, 'visit' AS stage, customer_id AS c FROM visits
                WHERE arrived_at >= ? AND arrived_at < ?
                UNION ALL
                SELECT consultant_id, kind, customer_id FROM deals WHERE at >= ? AND at < ?)
            GROUP BY k, stage"""
INDEXES = {"traffic": ("ix_visits_arrived_at", "ix_calls_received_at"),
           "funnel": ("ix_visits_arrived_at", "ix_deals_at")}


def stored(day: date) -> str:
    """The UTC start of an office day as SQLite stores times."""
    return clock.day_bounds(day)[0].strftime("%Y-%m-%d %H:%M:%S.%f")


def main() -> int:
    db = demo_database("demo1m.db", 1_000_000)
    raw = sqlite3.connect(db)
    engine = make_engine(db)
    factory = session_factory(engine)
    manager_id, manager_name = raw.execute("SELECT id, name FROM staff WHERE role = 'manager' LIMIT 1").fetchone()
    actor = Actor(manager_id, manager_name, Role.MANAGER)
    today = clock.today()
    since = today - timedelta(days=29)
    month_end = today.replace(day=1) - timedelta(days=1)  # the last whole month
    month_start = month_end.replace(day=1)
    traffic_params = (stored(since), stored(today + timedelta(days=1)))
    funnel_params = (stored(month_start), stored(month_end + timedelta(days=1))) * 2

    def ours_traffic(_round: int) -> figures.Traffic:
        return figures.traffic(actor, UnitOfWork(factory), since=since, until=today, period="day", by="channel")

    def raw_traffic(_round: int) -> list[list[tuple]]:
        return [raw.execute(sql, traffic_params).fetchall() for sql in TRAFFIC]

    def ours_funnel(_round: int) -> list[figures.FunnelRow]:
        return figures.funnel(actor, UnitOfWork(factory), since=month_start, until=month_end, by="consultant")

    def raw_funnel(_round: int) -> list[tuple]:
        return raw.execute(FUNNEL, funnel_params).fetchall()

    traffic, (visits_rows, calls_rows) = ours_traffic(0), raw_traffic(0)
    if sum(traffic.visits) != sum(n for *_k, n in visits_rows) or sum(traffic.calls) != sum(n for _d, n in calls_rows):
        sys.exit("The traffic and its baseline disagree.")
    by_day = {}
    for day, _channel, n in visits_rows:
        by_day[day] = by_day.get(day, 0) + n
    if [by_day.get(d.isoformat(), 0) for d in traffic.buckets] != list(traffic.visits):
        sys.exit("The traffic and its baseline put visits on other days.")
    funnel, funnel_rows = ours_funnel(0), raw_funnel(0)
    if sum(r.visitors for r in funnel) != sum(n for _k, stage, n in funnel_rows if stage == "visit"):
        sys.exit("The funnel and its baseline disagree.")

    from sqlalchemy import event

    captured: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    ours_traffic(0)
    traffic_sql = [c for c in captured if "GROUP BY" in c[0]]
    captured.clear()
    ours_funnel(0)
    funnel_sql = [c for c in captured if "GROUP BY" in c[0]]
    event.remove(engine, "before_cursor_execute", capture)

    print(f"\nFigures on {db.name} ({machine()}); {ROUNDS} rounds each, alternating")
    status = 0
    for name, ours, baseline, statements, raw_statements, what in (
            ("traffic", ours_traffic, raw_traffic, traffic_sql, [(sql, traffic_params) for sql in TRAFFIC],
             f"visits and calls per day, {since} to {today} ({sum(traffic.visits):,} visits)"),
            ("funnel", ours_funnel, raw_funnel, funnel_sql, [(FUNNEL, funnel_params)],
             f"per consultant, {month_start} to {month_end} ({sum(r.visitors for r in funnel):,} visitors)")):
        for _ in range(WARM_UP):
            ours(0), baseline(0)
        times = alternate(list(range(ROUNDS)), ours, baseline, 1)
        service_plan = plans(raw, [(sql, tuple(params)) for sql, params in statements])
        baseline_plan = plans(raw, raw_statements)
        print(f"\n— {name}: {what}")
        print(describe("raw sqlite3 GROUP BY", times["baseline"], "ms", 1e3))
        print(describe(f"figures.{name} (service)", times["ours"], "ms", 1e3))
        status |= check_plans(service_plan, baseline_plan, INDEXES[name], f"'s {name}")
        status |= verdict(statistics.median(times["ours"]) / statistics.median(times["baseline"]), TARGET)
    engine.dispose()
    return status


if __name__ == "__main__":
    sys.exit(main())
