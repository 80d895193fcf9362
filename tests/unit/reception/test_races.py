"""Two stations at the same moment, as real processes on one database: a SQLite file, or PostgreSQL when the
tests run there (REC-4, REC-7, SEC-6)."""
from __future__ import annotations

import multiprocessing as mp

from app import clock
from app.database.engine import make_engine, session_factory
from app.permissions import Actor
from app.models.visitors import Call, OwnershipDecision
from app.services import customers
from app.services.reception import followups, rotation, visits
from app.services.reception.visits import Registration
from app.database.uow import UnitOfWork
from tests.conftest import TEN_AM
from tests.unit.helpers import fetch, sign_in


def _register(actor: Actor, uow: UnitOfWork, phone: str) -> tuple:
    result = visits.register(actor, uow, Registration(name="王先生", phone=phone))
    return result.consultant_id, result.customer_id


def _signing_in(actor: Actor, uow: UnitOfWork, consultant_id: int) -> tuple:
    rotation.sign_in(actor, uow, consultant_id=consultant_id)
    return consultant_id, None


def _calling(actor: Actor, uow: UnitOfWork, phone: str) -> tuple:
    return followups.record_call(actor, uow, phone=phone, name="赵先生", channel="phone").customer_id, None


def _station(path: str, actor: Actor, work, argument, barrier, results) -> None:  # type: ignore[no-untyped-def]
    """One station's process: wait for the others, do its work, report what came of it."""
    clock.freeze(TEN_AM)
    uow = UnitOfWork(session_factory(make_engine(path)))
    barrier.wait()
    try:
        results.put(("ok", *work(actor, uow, argument)))
    except Exception as e:  # reported to the test, which fails on it
        results.put(("error", repr(e), None))


def _race(office, arguments: list, works: list | None = None) -> list[tuple]:  # type: ignore[no-untyped-def]
    """Each station at the same moment: its work (a registration unless `works` says) with its argument."""
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(len(arguments)), ctx.Queue()
    url = office.engine.url.render_as_string(hide_password=False)
    procs = [ctx.Process(target=_station, args=(url, office.receptionist, job, arg, barrier, results))
             for job, arg in zip(works or [_register] * len(arguments), arguments)]
    for p in procs:
        p.start()
    out = [results.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    return out


def test_two_stations_pressing_next_together_get_different_consultants_REC4(office):
    a, b, *_ = office.consultants
    sign_in(office, a, b)
    outcomes = _race(office, ["13800000001", "13800000002"])
    assert [o[0] for o in outcomes] == ["ok", "ok"], outcomes
    assert sorted(o[1] for o in outcomes) == sorted([a.id, b.id])  # exactly one got the head
    assigned = [line for line in rotation.day_log(office.manager, office.uow()) if line.kind == "assign"]
    assert len(assigned) == 2  # and the log shows both


def test_two_stations_registering_the_same_new_phone_make_one_customer_with_one_owner_REC7(office):
    a, b, *_ = office.consultants
    sign_in(office, a, b)
    outcomes = _race(office, ["13912345678", "13912345678"])
    assert [o[0] for o in outcomes] == ["ok", "ok"], outcomes
    assert outcomes[0][2] == outcomes[1][2]  # one customer
    assert {o[1] for o in outcomes} == {a.id}  # the second visit went to the owner
    card = customers.lookup_phone(office.manager, office.uow(), "13912345678")
    assert card.visit_count == 2 and card.owner_id == a.id


def test_the_day_s_first_sign_ins_at_two_stations_at_once_both_count_REC4_SEC6(office):
    """Nobody has touched today's rotation yet: both stations make the day's row, one gives way, no error."""
    a, b, *_ = office.consultants
    outcomes = _race(office, [a.id, b.id], works=[_signing_in, _signing_in])
    assert [o[0] for o in outcomes] == ["ok", "ok"], outcomes
    queue = rotation.queue_view(office.manager, office.uow())
    assert sorted(e.consultant_id for e in queue.entries) == sorted([a.id, b.id])
    assert len(rotation.day_log(office.manager, office.uow())) == 2


def test_a_walk_in_and_a_call_from_the_same_new_phone_at_once_make_one_customer_with_one_owner_REC7_SEC6(office):
    a, b, *_ = office.consultants
    sign_in(office, a, b)
    outcomes = _race(office, ["13712345678", "13712345678"], works=[_register, _calling])
    assert [o[0] for o in outcomes] == ["ok", "ok"], outcomes
    card = customers.lookup_phone(office.manager, office.uow(), "13712345678")
    assert card.visit_count == 1 and card.owner_id is not None
    assert len(fetch(office, Call, customer_id=card.id)) == 1
    decisions = fetch(office, OwnershipDecision, customer_id=card.id)
    assert [d.reason for d in decisions] == ["first_registration"]  # one owner, decided once
