"""`salesoffice demo`: a believable office in an empty database, the same for the same seed."""
from __future__ import annotations

import io
import re
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from app import cli, clock
from app.database import schema
from app.database.engine import make_engine, session_factory
from app.permissions import Actor, Role
from app.services import accounts
from app.services.reception import bar, rotation, visits
from app.database.uow import UnitOfWork
from tests import backend
from tests.cli.conftest import query, staff_names
from tests.conftest import TEN_AM

VISITS = 300


@dataclass(frozen=True)
class DemoRun:
    path: str  # what --db takes: a file, or a database on the test server (SEC-6)
    code: int
    out: str


def _make_demo(folder: Path, *args: str) -> DemoRun:
    path = backend.new_database(folder, "demo.db")
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as mp, redirect_stdout(out), redirect_stderr(io.StringIO()):
        mp.setenv("SALESOFFICE_DATA", str(folder / "data"))
        clock.freeze(TEN_AM)
        try:
            code = cli.main(["--db", str(path), "demo", *args])
        finally:
            clock.freeze(None)
    return DemoRun(path, code, out.getvalue())


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    made = _make_demo(tmp_path_factory.mktemp("demo"), "--visitors", str(VISITS), "--seed", "7")
    yield made
    backend.drop_database(made.path)


def _local(stored: str | datetime) -> datetime:
    if isinstance(stored, datetime):  # PostgreSQL hands back timestamps, SQLite text
        return clock.local(stored.replace(tzinfo=timezone.utc))
    return clock.local(datetime.fromisoformat(stored).replace(tzinfo=timezone.utc))


def test_demo_makes_staff_of_every_role_and_visits_ending_today(demo: DemoRun):
    assert demo.code == 0
    assert f"来访 {VISITS} 次" in demo.out and "1234" in demo.out
    roles = Counter(role for (role,) in query(demo.path, "SELECT role FROM staff"))
    assert set(roles) == {str(r) for r in Role}
    assert roles[Role.CONSULTANT] == 8 and roles[Role.RECEPTIONIST] == 2 and roles[Role.MANAGER] == 1
    arrivals = [_local(at) for (at,) in query(demo.path, "SELECT arrived_at FROM visits")]
    assert len(arrivals) == VISITS
    today = TEN_AM.date()
    assert max(a.date() for a in arrivals) == today
    assert min(a.date() for a in arrivals) >= today - timedelta(days=179)
    assert all(9 <= a.hour < 18 for a in arrivals), "visits only in opening hours"
    per_day = Counter(a.date() for a in arrivals if a.date() < today)
    days = [today - timedelta(days=n) for n in range(1, 180)]
    weekend = sum(per_day[d] for d in days if d.weekday() >= 5) / sum(1 for d in days if d.weekday() >= 5)
    weekday = sum(per_day[d] for d in days if d.weekday() < 5) / sum(1 for d in days if d.weekday() < 5)
    assert weekend > 1.5 * weekday


def test_demo_customers_have_unique_mobiles_owners_and_history_REC7(demo: DemoRun):
    customers = query(demo.path, "SELECT id, name, phone, phone_tail, owner_id, visit_count, has_visited FROM customers")
    phones = [c[2] for c in customers]
    assert len(set(phones)) == len(phones)
    assert all(re.fullmatch(r"1[3-9]\d{9}", p) and tail == p[-4:] for _i, _n, p, tail, *_ in customers)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", name) for _i, name, *_ in customers)
    consultants = {i for (i,) in query(demo.path, "SELECT id FROM staff WHERE role = 'consultant'")}
    assert {c[4] for c in customers} <= consultants
    counted = dict(query(demo.path, "SELECT customer_id, count(*) FROM visits GROUP BY customer_id"))
    assert all(c[5] == counted.get(c[0], 0) and bool(c[6]) == (c[0] in counted) for c in customers)
    returns = query(demo.path, "SELECT count(*) FROM visits WHERE is_return")[0][0]
    assert 0.15 * VISITS < returns < 0.45 * VISITS
    first_registrations = query(demo.path, "SELECT count(DISTINCT customer_id) FROM ownership_decisions "
                                           "WHERE reason = 'first_registration'")[0][0]
    assert first_registrations == len(customers)
    assert query(demo.path, "SELECT count(*) FROM calls")[0][0] > 0
    assert "客户" in "".join(c for (c,) in query(demo.path, "SELECT content FROM follow_ups"))


def test_demo_has_deposits_and_contracts_of_returning_customers_each_unit_once_VIS3_VIS8(demo: DemoRun):
    deals = query(demo.path, "SELECT d.kind, d.unit, d.customer_id, c.visit_count, d.at FROM deals d "
                             "JOIN customers c ON c.id = d.customer_id ORDER BY d.at")
    kinds = Counter(kind for kind, *_ in deals)
    assert kinds["deposit"] > 0 and 0 < kinds["contract"] <= kinds["deposit"]
    assert all(visits >= 2 for _kind, _unit, _c, visits, _at in deals)
    for kind in ("deposit", "contract"):
        units = [unit for k, unit, *_ in deals if k == kind]
        assert len(set(units)) == len(units)  # never held or sold twice
    holder = {unit: customer for kind, unit, customer, *_ in deals if kind == "deposit"}
    assert all(holder[unit] == customer for kind, unit, customer, *_ in deals if kind == "contract")


def test_demo_morning_is_real_at_the_desk_REC4(demo: DemoRun):
    engine = make_engine(demo.path)
    uow = lambda: UnitOfWork(session_factory(engine))  # noqa: E731
    try:
        shown = accounts.demo_actor(uow())
        assert shown is not None and shown.role == Role.RECEPTIONIST
        desk = accounts.sign_in(uow(), staff_id=shown.id, pin="1234")
        assert desk == shown
        assert len(rotation.queue_view(desk, uow()).entries) == 5
        kinds = [line.kind for line in rotation.day_log(desk, uow())]
        assert kinds.count("sign_in") == 5 and "assign" in kinds
        assert len(visits.todays_visits(desk, uow())) == 6
        assert {t.name for t in bar.tables(desk, uow()) if not t.free} == {"A1", "VIP1"}
        report = schema.check(engine)
        assert report.ok, report.problems
    finally:
        engine.dispose()
    assert query(demo.path, "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1") == [("demo.create",)]


def test_demo_has_three_furnished_apartments_and_a_month_of_their_checks_some_late_or_missed_SHW1_SHW3(
        demo: DemoRun):
    from app.domain.showroom_day import SlotState
    from app.services.showroom import checks, items

    engine = make_engine(demo.path)
    uow = lambda: UnitOfWork(session_factory(engine))  # noqa: E731
    try:
        supervisor = next(Actor(s.id, s.name, s.role) for s in accounts.list_staff(uow()) if s.role == Role.SUPERVISOR)
        flats = items.apartments(uow())
        assert len(flats) == 3
        for flat in flats:
            assert 60 <= sum(i.quantity for i in items.item_list(uow(), apartment_id=flat.id)) <= 120
        states = Counter(slot.state for day in range(1, 31)
                         for flat in checks.day_view(supervisor, uow(), day=clock.today() - timedelta(days=day))
                         for slot in flat.slots)
        assert states[SlotState.DONE] > 20 * states[SlotState.MISSED] > 0 and states[SlotState.LATE] > 0
        assert sum(states.values()) == 30 * 3 * 20
    finally:
        engine.dispose()


def test_demo_has_incidents_work_orders_slips_and_handovers_most_done_a_few_open_SHW4_SHW5_SHW6_SHW7(
        demo: DemoRun):
    from app.domain.showroom_flows import State
    from app.services.showroom import handovers, incidents, release_slips, work_orders

    engine = make_engine(demo.path)
    uow = lambda: UnitOfWork(session_factory(engine))  # noqa: E731
    try:
        supervisor = next(Actor(s.id, s.name, s.role) for s in accounts.list_staff(uow()) if s.role == Role.SUPERVISOR)
        found = incidents.listed(supervisor, uow(), open_only=False)
        assert Counter(i.state for i in found) == {State.CLOSED: 4, State.SERVICE_APPROVED: 1}
        assert {i.settlement for i in found} == {"listed", "waived", "agreed"}
        assert Counter(o.state for o in work_orders.listed(supervisor, uow(), open_only=False)) == {
            State.DONE: 3, State.APPROVED: 1}
        slips = release_slips.listed(supervisor, uow(), open_only=False)
        assert Counter(s.state for s in slips) == {State.RELEASED: 2, State.APPROVED: 1}
        moved = [m.direction for flat in {s.apartment_id for s in slips}
                 for m in release_slips.movements(supervisor, uow(), apartment_id=flat)]
        assert sorted(moved) == ["in", "out", "out"]
        made = handovers.recent(supervisor, uow())
        assert len(made) == 29 and all(h.acknowledged_at is not None for h in made)
    finally:
        engine.dispose()


def test_demo_is_the_same_for_the_same_seed(demo: DemoRun, tmp_path: Path):
    again = _make_demo(tmp_path, "--visitors", str(VISITS), "--seed", "7")
    assert again.code == 0
    for sql in ("SELECT name, phone, owner_id FROM customers ORDER BY id",
                "SELECT arrived_at, customer_id, consultant_id, channel, intent, party_size FROM visits ORDER BY id"):
        assert query(again.path, sql) == query(demo.path, sql)
    backend.drop_database(again.path)


def test_demo_refuses_a_database_in_use(office, run):
    before = staff_names(office)
    result = run("--db", office.db, "demo", "--visitors", "300")
    assert result.code == 1
    assert "已有案场数据" in result.err
    assert staff_names(office) == before
    assert query(office, "SELECT count(*) FROM visits") == [(0,)]


@pytest.mark.parametrize("args, message", [(["--visitors", "-1"], "来访次数"), (["--days", "1"], "历史天数")])
def test_demo_refuses_impossible_sizes(run, tmp_path: Path, args, message):
    result = run("--db", tmp_path / "new.db", "demo", *args)
    assert result.code == 1 and message in result.err
    assert not (tmp_path / "new.db").exists()


def test_demo_with_words_for_numbers_is_an_argument_error(run, tmp_path: Path):
    result = run("--db", tmp_path / "new.db", "demo", "--visitors", "many")
    assert result.code == 2 and "--visitors" in result.err
