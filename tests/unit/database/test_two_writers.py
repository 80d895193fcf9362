"""Two stations writing flat out on one SQLite file: no "database is locked" reaches anyone (SEC-6).

Each process records WRITES calls (500 by default; TWO_WRITERS=5000 by hand) as fast as it can. Every
write must succeed and every row must be there afterwards.
"""
from __future__ import annotations

import multiprocessing as mp
import os

from sqlalchemy import func, select

from app.database.engine import make_engine, session_factory
from app.models.visitors import Call
from app.services.reception import followups
from app.database.uow import UnitOfWork

WRITES = int(os.environ.get("TWO_WRITERS", "500"))


def _station(url: str, actor, first_phone: int, barrier, results) -> None:  # type: ignore[no-untyped-def]
    errors = []
    barrier.wait()
    for n in range(WRITES):
        engine = make_engine(url)  # each write on a connection of its own, closed after it
        try:
            followups.record_call(actor, UnitOfWork(session_factory(engine)), phone=str(first_phone + n),
                                  name="来电先生", channel="phone")
        except Exception as e:  # counted: the test fails on any
            errors.append(repr(e))
        finally:
            engine.dispose()
    results.put(errors)


def test_two_processes_writing_at_once_finish_with_no_error_and_no_lost_row_SEC6(office):
    url = office.engine.url.render_as_string(hide_password=False)
    office.engine.dispose()
    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_station, args=(url, office.receptionist, first, barrier, results))
             for first in (13100000000, 13200000000)]
    for p in procs:
        p.start()
    errors = [e for _p in procs for e in results.get(timeout=600)]
    for p in procs:
        p.join(timeout=60)
    assert errors == []
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Call)) == 2 * WRITES
    engine.dispose()
