"""Searching the visitor logs: the service and the list's first rows against a raw indexed sqlite3 query, on a demo
office of 1,000,000 visits.

Ours: `app.services.visitors.visitor_logs.search(actor, uow, query)` as the search page calls it (the demo manager, a
UnitOfWork as in ui/context.py), then the page handed to the list's model (`PagedTableModel.reset`) and the
text of every column of the rows a 1366×768 window shows (`data()`), as the view asks for them. Baseline: the
same page (visits and calls, each joined with the customer and the consultant, newest first, LIMIT 100) as
one hand-written SELECT on an open sqlite3 connection to the same file. Four searches, each with its own
target: the last four digits of a phone; its first 3 digits; its first 5, 6 or 7 (four would be the last four);
the first two characters of a name. Both query plans of each are printed and must use the same index.

    .venv/bin/python benchmarks/visitor_search.py
"""
from __future__ import annotations

import os
import random
import sqlite3
import statistics
import sys

# _common first: it puts the repository on sys.path
from _common import alternate, check_plans, demo_database, describe, machine, plans, verdict

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.database.engine import make_engine, session_factory
from app.permissions import Actor, Role
from app.services.visitors import visitor_logs
from app.services.visitors.visitor_logs import LogQuery
from app.database.uow import UnitOfWork
from ui.app import application
from ui.widgets.paged_table import DISPLAY, PagedTableModel
from ui.tabs.visitors.visit_search import COLUMNS

SAMPLES, SHORT_PREFIXES, ROUNDS, WARM_UP = 60, 12, 3, 10
VISIBLE_ROWS = 16  # rows the list shows at 1366×768 with the bundled font (benchmarks/visitors_tab.py counts them)
TARGET = 3.0
ARM = """SELECT {kind} AS kind, {t}.id AS id, {t}.{at} AS at, {name} AS name, c.phone AS phone, s.name AS consultant,
           {party} AS party_size, {t}.channel, {t}.intent, {ret} AS is_return, {t}.customer_id, {t}.{note} AS note
    FROM {table} AS {t} JOIN customers AS c ON c.id = {t}.customer_id LEFT JOIN staff AS s ON s.id = {t}.consultant_id
    WHERE {where}"""
VISITS = {"kind": "'visit'", "t": "v", "at": "arrived_at", "name": "v.name", "party": "v.party_size",
          "ret": "v.is_return", "note": "note", "table": "visits"}
CALLS = {"kind": "'call'", "t": "k", "at": "received_at", "name": "c.name", "party": "NULL", "ret": "NULL",
         "note": "questions", "table": "calls"}
# What each search filters on, in each arm, and the index both ways must use.
SEARCHES = {
    "last four": ("c.phone_tail = ?", "c.phone_tail = ?", "ix_customers_phone_tail"),
    "prefix of 3": ("c.phone >= ? AND c.phone < ?", "c.phone >= ? AND c.phone < ?", "uq_customers_phone"),
    "prefix of 5-7": ("c.phone >= ? AND c.phone < ?", "c.phone >= ? AND c.phone < ?", "uq_customers_phone"),
    "name": ("v.name >= ? AND v.name < ?", "c.name >= ? AND c.name < ?", "ix_visits_name"),
}


def baseline_sql(search: str) -> str:
    visits_where, calls_where, _index = SEARCHES[search]
    return (ARM.format(**VISITS, where=visits_where) + "\n    UNION ALL\n    " + ARM.format(**CALLS, where=calls_where)
            + f"\n    ORDER BY at DESC, id DESC LIMIT {visitor_logs.PAGE}")


def sample_queries(conn: sqlite3.Connection) -> dict[str, list[tuple[LogQuery, tuple]]]:
    """Per search, SAMPLES queries drawn at random (always the same): as typed, and the baseline's parameters."""
    rnd = random.Random(11)
    top = conn.execute("SELECT max(id) FROM customers").fetchone()[0]
    ids = rnd.sample(range(1, top + 1), SAMPLES * 3)
    marks = ",".join("?" * len(ids))
    found = conn.execute(f"SELECT phone, name FROM customers WHERE id IN ({marks}) AND phone IS NOT NULL",
                         ids).fetchall()[:SAMPLES]
    out: dict[str, list[tuple[LogQuery, tuple]]] = {search: [] for search in SEARCHES}
    for i, (phone, name) in enumerate(found):
        tail = phone[-4:]
        out["last four"].append((LogQuery(phone=tail), (tail, tail)))
        if i < SHORT_PREFIXES:  # a network's prefix: tens of thousands of visits, a tenth of a second each way
            low, high = visitor_logs.prefix_range(phone[:3])
            out["prefix of 3"].append((LogQuery(phone=low), (low, high) * 2))
        low, high = visitor_logs.prefix_range(phone[:(5, 6, 7)[i % 3]])  # four digits are the last four
        out["prefix of 5-7"].append((LogQuery(phone=low), (low, high) * 2))
        low, high = visitor_logs.prefix_range(name[:2])
        out["name"].append((LogQuery(name=low), (low, high) * 2))
    return out


def service_sql(engine, query: LogQuery) -> tuple[str, tuple]:  # type: ignore[no-untyped-def]
    """The statement the service runs for `query` (through the driver: this SQL), with its parameters."""
    shape, values = visitor_logs._shape_and_values(query)
    compiled = visitor_logs._statement(shape, "merged").compile(dialect=engine.dialect)
    bound = {**compiled.params, **values, "limit": visitor_logs.PAGE, "offset": 0}
    return compiled.string, tuple(bound[name] for name in compiled.positiontup)


def main() -> int:
    db = demo_database("demo1m.db", 1_000_000)
    app = application()  # the bundled CJK font and the style sheet, as in the window
    raw = sqlite3.connect(db)
    engine = make_engine(db)
    factory = session_factory(engine)
    manager_id, manager_name = raw.execute("SELECT id, name FROM staff WHERE role = 'manager' LIMIT 1").fetchone()
    actor = Actor(manager_id, manager_name, Role.MANAGER)
    model = PagedTableModel(COLUMNS)
    samples = sample_queries(raw)

    def ours(case: tuple[LogQuery, tuple]) -> list[str]:
        page = visitor_logs.search(actor, UnitOfWork(factory), case[0])
        model.reset(page.rows, None, visitor_logs.PAGE)
        return [model.data(model.index(r, c), DISPLAY)
                for r in range(min(VISIBLE_ROWS, model.rowCount())) for c in range(len(COLUMNS))]

    print(f"\nVisitor log searches on {db.name}: {SAMPLES} queries per search ({SHORT_PREFIXES} of 3 digits) × "
          f"{ROUNDS} rounds, alternating ({machine()})")
    status = 0
    for search, cases in samples.items():
        sql = baseline_sql(search)

        def baseline(case: tuple[LogQuery, tuple], sql: str = sql) -> list[tuple]:
            return raw.execute(sql, case[1]).fetchall()

        for case in cases[:WARM_UP]:
            shown, rows = ours(case), baseline(case)
            if model.rowCount() != len(rows) or [(r.kind, r.id) for r in model._rows] != [r[:2] for r in rows]:
                sys.exit(f"The service and the baseline disagree on {case[0]}")
            if rows and shown[2] != rows[0][3]:
                sys.exit(f"The list does not show the first row's name for {case[0]}: {shown[:9]}")
        times = alternate(cases, ours, baseline, ROUNDS)
        found = statistics.median(len(baseline(case)) for case in cases)
        service_plan = plans(raw, [service_sql(engine, cases[0][0])])
        baseline_plan = plans(raw, [(sql, cases[0][1])])
        print(f"\n— {search} (median {found:.0f} rows on the first page, {VISIBLE_ROWS} of them shown)")
        print(describe("raw sqlite3 SELECT … LIMIT 100", times["baseline"], "µs", 1e6))
        print(describe("search + the list's shown rows", times["ours"], "µs", 1e6))
        status |= check_plans(service_plan, baseline_plan, [SEARCHES[search][2]], f" for the {search} search")
        status |= verdict(statistics.median(times["ours"]) / statistics.median(times["baseline"]), TARGET)
    engine.dispose()
    del app
    return status


if __name__ == "__main__":
    sys.exit(main())
