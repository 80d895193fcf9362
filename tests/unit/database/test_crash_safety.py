"""A station killed mid-work loses nothing it reported saved, and the database stays whole (SEC-6).

The writer is a real process registering walk-ins in a stream; it is killed with SIGKILL at a random
moment, over and over. After each kill `db check` must pass and every registration the writer had
reported as saved must be there. CRASH_KILLS sets the number of kills (200 by default; 1,000 by hand).
"""
from __future__ import annotations

import multiprocessing as mp
import os
import random
import signal

from app.database import schema
from app.database.engine import make_engine, session_factory
from app.services import customers
from app.services.reception import rotation, visits
from app.services.reception.visits import Registration
from app.database.uow import UnitOfWork

KILLS = int(os.environ.get("CRASH_KILLS", "200"))


def _writer(url: str, actor, first_phone: int, out) -> None:  # type: ignore[no-untyped-def]
    """Register walk-ins one after another, reporting each phone once it is committed."""
    phone = first_phone
    while True:
        engine = make_engine(url)  # each registration on a connection of its own, closed after it
        try:
            visits.register(actor, UnitOfWork(session_factory(engine)), Registration(name="测试先生", phone=str(phone)))
        finally:
            engine.dispose()
        out.send(phone)
        phone += 1


def test_killing_a_writer_at_random_moments_loses_no_saved_registration_SEC6(office):
    for c in office.consultants:
        rotation.sign_in(office.receptionist, office.uow(), consultant_id=c.id)
    url = office.engine.url.render_as_string(hide_password=False)
    office.engine.dispose()  # no connection crosses the fork
    ctx = mp.get_context("fork")
    rng = random.Random(20261123)
    saved: list[int] = []
    next_phone = 13000000000
    for _kill in range(KILLS):
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_writer, args=(url, office.receptionist, next_phone, send), daemon=True)
        proc.start()
        send.close()
        proc.join(timeout=rng.uniform(0.005, 0.12))
        os.kill(proc.pid, signal.SIGKILL)
        proc.join()
        while receive.poll():
            try:
                saved.append(receive.recv())
            except EOFError:
                break
        receive.close()
        next_phone = (saved[-1] if saved else next_phone) + 1000  # never reuse a phone a lost write may hold
        engine = make_engine(url)
        report = schema.check(engine)
        engine.dispose()
        assert report.ok, (_kill, report.problems)
    engine = make_engine(url)
    uow = lambda: UnitOfWork(session_factory(engine))  # noqa: E731
    missing = [p for p in saved if customers.lookup_phone(office.manager, uow(), str(p)) is None]
    assert saved and not missing
    engine.dispose()
