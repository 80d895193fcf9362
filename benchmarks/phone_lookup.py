"""Phone look-up at the desk: the service against a raw indexed sqlite3 query, on a demo office of 1,000,000 visits.

Ours: `app.services.customers.lookup_phone(actor, uow, phone)` as the reception desk calls it (the demo
receptionist, a UnitOfWork as in ui/context.py, the phone as typed). Baseline: one SELECT of the same facts
(the customer joined with the owner's name) on an open sqlite3 connection to the same file. The same phones,
sampled from the database, alternate between the two. Both query plans are printed and must use the index
on customers.phone.

    .venv/bin/python benchmarks/phone_lookup.py
"""
from __future__ import annotations

import random
import sqlite3
import statistics
import sys

# _common first: it puts the repository on sys.path
from _common import alternate, check_plans, demo_database, describe, machine, plans, verdict

from app import phone as phones
from app.database.engine import make_engine, session_factory
from app.services import accounts, customers
from app.database.uow import UnitOfWork

PHONES, ROUNDS, WARM_UP = 300, 3, 50
TARGET = 3.0
PHONE_INDEX = "uq_customers_phone"
BASELINE = """
    SELECT c.id, c.name, c.phone, c.owner_id, s.name, c.last_contact_at, c.owned_since, c.created_at,
           c.visit_count, c.last_visit_at, c.family_of_id
    FROM customers AS c LEFT JOIN staff AS s ON s.id = c.owner_id
    WHERE c.phone = ?"""


def sample_phones(conn: sqlite3.Connection, count: int) -> list[tuple[str, str]]:
    """`count` customers' phones drawn at random (always the same ones): as typed at the desk, and as stored."""
    top = conn.execute("SELECT max(id) FROM customers").fetchone()[0]
    ids = random.Random(7).sample(range(1, top + 1), count * 2)
    marks = ",".join("?" * len(ids))
    found = [p for (p,) in conn.execute(f"SELECT phone FROM customers WHERE id IN ({marks}) AND phone IS NOT NULL",
                                        ids)]
    return [(phones.display(p), p) for p in found[:count]]  # ("138 1234 5678", "13812345678")


def main() -> int:
    db = demo_database("demo1m.db", 1_000_000)
    raw = sqlite3.connect(db)
    engine = make_engine(db)
    factory = session_factory(engine)
    actor = accounts.demo_actor(UnitOfWork(factory))
    sample = sample_phones(raw, PHONES)

    def ours(phone: str) -> customers.CustomerCard | None:
        return customers.lookup_phone(actor, UnitOfWork(factory), phone)

    def baseline(stored: str) -> tuple | None:
        return raw.execute(BASELINE, (stored,)).fetchone()

    for typed, stored in sample[:WARM_UP]:
        card, row = ours(typed), baseline(stored)
        if card is None or row is None or (card.id, card.name, card.owner_name) != (row[0], row[1], row[4] or ""):
            sys.exit(f"The service and the baseline disagree on {typed}: {card} / {row}")

    times = alternate(sample, lambda pair: ours(pair[0]), lambda pair: baseline(pair[1]), ROUNDS)

    # The service runs its one statement through the driver (UnitOfWork.first_row): the same SQL as compiled here.
    compiled = customers._CARD_BY_PHONE.compile(dialect=engine.dialect)
    bound = compiled.construct_params({"phone": sample[0][1]})
    selects = [(compiled.string, tuple(bound[name] for name in compiled.positiontup))]
    service_plan = plans(raw, selects)
    baseline_plan = plans(raw, [(BASELINE, (sample[0][1],))])
    engine.dispose()

    print(f"\nPhone look-up on {db.name}: {len(sample)} phones × {ROUNDS} rounds, alternating ({machine()})")
    print(describe("raw sqlite3 indexed SELECT + join", times["baseline"], "µs", 1e6))
    print(describe("customers.lookup_phone (service)", times["ours"], "µs", 1e6))
    print(f"\n{len(selects)} SELECT statement(s) per look-up.")
    status = check_plans(service_plan, baseline_plan, [PHONE_INDEX], " of customers.phone")

    ratio = statistics.median(times["ours"]) / statistics.median(times["baseline"])
    print()
    return verdict(ratio, TARGET) | status


if __name__ == "__main__":
    sys.exit(main())
