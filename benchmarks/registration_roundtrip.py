"""A registration's round trip at the desk on PostgreSQL over loopback, against the same on SQLite.

The issue's target: at most 3× SQLite. Each side is a new office (a manager, a receptionist, two consultants in
the queue) in which the desk registers walk-ins through the service, one after another, alternating sides.
Run: .venv/bin/python benchmarks/registration_roundtrip.py --pg postgresql+psycopg://user:pw@127.0.0.1:5432/db
(an empty database; `scripts/test` shows how to start a throw-away server).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid

from _common import describe, machine, verdict  # first: it puts the repository on sys.path

TARGET = 3.0
WARM_UP = 20


def office(url: str):  # type: ignore[no-untyped-def]
    """A staffed office on `url`; returns (receptionist, a unit-of-work maker)."""
    from app.database import schema
    from app.database.engine import make_engine, session_factory
    from app.permissions import Actor, Role
    from app.services import accounts
    from app.services.reception import rotation
    from app.database.uow import UnitOfWork

    engine = make_engine(url)
    schema.upgrade(engine)
    factory = session_factory(engine)
    uow = lambda: UnitOfWork(factory)  # noqa: E731
    boss = accounts.create_staff(None, uow(), name="赵经理", role=Role.MANAGER, pin="2468")
    manager = Actor(boss.id, boss.name, boss.role)
    desk = accounts.create_staff(manager, uow(), name="孙前台", role=Role.RECEPTIONIST, pin="2468")
    receptionist = Actor(desk.id, desk.name, desk.role)
    for name in ("李一", "周二"):
        c = accounts.create_staff(manager, uow(), name=name, role=Role.CONSULTANT, pin="2468")
        rotation.sign_in(receptionist, uow(), consultant_id=c.id)
    return receptionist, uow


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", required=True, help="an empty PostgreSQL database's URL")
    parser.add_argument("--samples", type=int, default=300)
    opts = parser.parse_args()
    from app.services.reception import visits
    from app.services.reception.visits import Registration

    with tempfile.TemporaryDirectory(prefix="salesoffice-rt-") as tmp:
        sides = {"sqlite": office(f"sqlite:///{tmp}/rt.db"), "postgresql": office(opts.pg)}
        times: dict[str, list[float]] = {name: [] for name in sides}
        for n in range(WARM_UP + opts.samples):
            for name, (actor, uow) in (sides.items() if n % 2 == 0 else reversed(sides.items())):
                reg = Registration(name="王先生", phone=f"138{n:08d}", party_size=2, channel="internet")
                started = time.perf_counter()
                visits.register(actor, uow(), reg, token=str(uuid.uuid4()))  # as the desk's form saves
                if n >= WARM_UP:
                    times[name].append(time.perf_counter() - started)
    print(f"\nRegistration round trip at the desk, {opts.samples} each, alternating ({machine()})")
    print(describe("SQLite file", times["sqlite"], "ms", 1000))
    print(describe("PostgreSQL over loopback", times["postgresql"], "ms", 1000))
    return verdict(statistics.median(times["postgresql"]) / statistics.median(times["sqlite"]), TARGET)


if __name__ == "__main__":
    sys.exit(main())
