"""Many visits fast: SQLAlchemy Core inserts of customers and their visits, for searching and paging tests."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert

from app import clock
from app.models.visitors import Customer, Visit

CHANNELS = ("walk_by", "friend", "internet", "agency")


def bulk_visits(office, n: int, *, days: int = 60) -> None:
    """`n` customers, one visit each, spread over the last `days` days; phones 1390000000 + i, names 客户i.

    Every tenth visitor's phone starts 138; visit i goes to consultant i % len(consultants).
    """
    now = clock.now()
    consultants = [c.id for c in office.consultants]
    customers, visits = [], []
    for i in range(n):
        phone = f"{138 if i % 10 == 0 else 139}{i:08d}"
        at = now - timedelta(minutes=(i * days * 24 * 60) // max(n, 1) + 1)
        customers.append({"id": 100_000 + i, "name": f"客户{i}", "phone": phone, "phone_tail": phone[-4:],
                          "contact_declined": False, "has_visited": True, "visit_count": 1, "relation": "",
                          "created_at": at, "last_contact_at": at})
        visits.append({"customer_id": 100_000 + i, "name": f"客户{i}",
                       "consultant_id": consultants[i % len(consultants)],
                       "party_size": 1 + i % 3, "channel": CHANNELS[i % len(CHANNELS)], "intent": "",
                       "is_return": i % 5 == 0, "arrived_at": at, "note": "", "revision": 1})
    with office.engine.begin() as conn:
        conn.execute(insert(Customer), customers)
        conn.execute(insert(Visit), visits)
