"""The water bar (REC-11): seat a party, serve, a refill reminder every 20 minutes, clear the table."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app import clock
from app.errors import Conflict, NotFound, ValidationError
from app.models.bar import BarSeating, BarServing
from app.services import settings
from app.services.reception import bar
from tests.unit.helpers import fetch, refused, sign_in, walk_in


def tables(office):
    return {t.name: t for t in bar.tables(office.receptionist, office.uow())}


def table_id(office, name="A1"):
    return tables(office)[name].table_id


def seat(office, name="A1", party="王先生一家", size=3, **kw):
    bar.seat(office.receptionist, office.uow(), table_id=table_id(office, name), party=party, party_size=size, **kw)


def serve(office, name="A1", item="tea", **kw):
    bar.serve(office.receptionist, office.uow(), table_id=table_id(office, name), item=item, **kw)


def refill_due(office, name="A1") -> bool:
    return tables(office)[name].refill_due(clock.now())


def assert_refill_due_after(office, minutes: int) -> None:
    """Not a minute early, and on time."""
    assert tables(office)["A1"].refill_due_at == clock.now() + timedelta(minutes=minutes)
    clock.advance(timedelta(minutes=minutes - 1))
    assert not refill_due(office)
    clock.advance(timedelta(minutes=1))
    assert refill_due(office)


def test_seated_party_has_a_service_record_REC11(office):
    seat(office, "VIP1", party="王先生一家", size=3)
    serve(office, "VIP1", "tea", quantity=3)
    serve(office, "VIP1", "fruit")
    vip = tables(office)["VIP1"]
    assert (vip.free, vip.is_vip_room, vip.party, vip.party_size, vip.seated_at) == (
        False, True, "王先生一家", 3, clock.now())
    assert vip.served == ("茶×3", "果盘×1")
    assert [(s.item, s.quantity, s.served_by_id) for s in fetch(office, BarServing)] == [
        ("tea", 3, office.receptionist.id), ("fruit", 1, office.receptionist.id)]
    assert tables(office)["A1"].free


def test_seating_can_name_the_visit_REC11(office):
    sign_in(office, office.consultants[0])
    visit = walk_in(office)
    seat(office, visit_id=visit.visit_id)
    assert [s.visit_id for s in fetch(office, BarSeating)] == [visit.visit_id]
    with refused(office, NotFound):
        seat(office, "A2", visit_id=999)


def test_refill_is_due_20_minutes_after_seating_REC11(office):
    seat(office)
    serve(office)
    assert_refill_due_after(office, 20)


def test_a_refill_restarts_the_reminder_REC11(office):
    seat(office)
    clock.advance(timedelta(minutes=25))
    serve(office, refill=True)
    assert_refill_due_after(office, 20)


def test_serving_something_else_does_not_restart_the_reminder_REC11(office):
    seat(office)
    clock.advance(timedelta(minutes=15))
    serve(office, item="pastry")
    clock.advance(timedelta(minutes=5))
    assert refill_due(office)


def test_refill_interval_is_a_setting_REC11(office):
    settings.update(office.manager, office.uow(), {"refill_minutes": 30})
    seat(office)
    assert_refill_due_after(office, 30)


def test_clearing_the_table_frees_it_for_the_next_party_REC11(office):
    seat(office, party="王先生一家")
    serve(office)
    clock.advance(timedelta(minutes=40))
    bar.clear(office.receptionist, office.uow(), table_id=table_id(office))
    a1 = tables(office)["A1"]
    assert (a1.free, a1.party, a1.served, a1.refill_due_at) == (True, "", (), None)
    assert [s.left_at for s in fetch(office, BarSeating)] == [clock.now()]
    seat(office, party="李女士", size=1)
    assert (tables(office)["A1"].party, tables(office)["A1"].served) == ("李女士", ())


def test_seating_at_a_taken_table_is_refused_REC11(office):
    seat(office, party="王先生一家")
    with refused(office, Conflict, match="A1"):
        seat(office, party="李女士")
    assert tables(office)["A1"].party == "王先生一家"


def test_serving_or_clearing_an_empty_table_is_refused_REC11(office):
    with refused(office, Conflict, match="没有客人"):
        serve(office)
    with refused(office, Conflict, match="没有客人"):
        bar.clear(office.receptionist, office.uow(), table_id=table_id(office))


@pytest.mark.parametrize("bad", [{"party": "  "}, {"party": "很" * 61}, {"size": 0}, {"size": "abc"}])
def test_seating_needs_a_party_and_a_size_REC11(office, bad):
    with refused(office, ValidationError):
        seat(office, **bad)


def test_seating_at_an_unknown_table_is_refused_REC11(office):
    with refused(office, NotFound):
        bar.seat(office.receptionist, office.uow(), table_id=999, party="王先生", party_size=1)


@pytest.mark.parametrize("bad", [{"item": "beer"}, {"quantity": 0}, {"quantity": 51}, {"quantity": "abc"}])
def test_serving_needs_a_menu_item_and_a_quantity_REC11(office, bad):
    seat(office)
    with refused(office, ValidationError):
        serve(office, **bad)


def test_table_names_are_unique_REC11(office):
    with refused(office, Conflict, match="A1"):
        bar.add_table(office.manager, office.uow(), name="A1")
