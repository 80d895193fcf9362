"""Unit control (销控, VIS-8): a unit is held only after the manager confirms it is free, never held or sold twice."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from app import clock
from app.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.services.visitors import customer_file, deals, unit_control
from tests.unit.helpers import audit_entries, hold_unit, refused, sign_in, walk_in


@pytest.fixture
def desk(office):
    """Consultant a has 王先生, b has 李女士."""
    a, b, *_ = office.consultants
    sign_in(office, a, b)
    office.wang = walk_in(office, "13812345678", name="王先生").customer_id
    office.li = walk_in(office, "13912345678", name="李女士").customer_id
    return office


def test_a_request_waits_for_the_manager_who_sees_the_unit_is_free_then_confirms_VIS8(desk):
    a = desk.consultants[0]
    asked = unit_control.request_hold(a, desk.uow(), customer_id=desk.wang, unit=" 3-1-1502 ", note="下午交定金")
    assert (asked.unit, asked.status, asked.requested_by, asked.customer) == ("3-1-1502", "requested", a.name, "王先生")
    with refused(desk, Conflict, match="销控"):  # asked is not held: no deposit yet
        deals.record_deposit(a, desk.uow(), customer_id=desk.wang, unit="3-1-1502", amount_yuan=50000)
    [waiting] = unit_control.requests(desk.manager, desk.uow())
    assert waiting.id == asked.id and waiting.unit_state == ""  # free
    held = unit_control.confirm_hold(desk.manager, desk.uow(), hold_id=asked.id)
    assert (held.status, held.decided_by) == ("confirmed", desk.manager.name)
    assert unit_control.requests(desk.manager, desk.uow()) == []
    assert [h.unit for h in unit_control.held(desk.manager, desk.uow())] == ["3-1-1502"]
    deal = deals.record_deposit(a, desk.uow(), customer_id=desk.wang, unit="3-1-1502", amount_yuan=50000)
    assert deal.kind == "deposit"
    assert [e.action for e in audit_entries(desk) if e.action.startswith("units.")] == ["units.request",
                                                                                       "units.confirm"]


def test_a_unit_held_for_one_customer_is_never_held_or_sold_to_another_VIS8(desk):
    a, b = desk.consultants[:2]
    hold_unit(desk, desk.wang, "3-1-1502", asked_by=a)
    with refused(desk, Conflict, match="另一位客户"):
        unit_control.request_hold(b, desk.uow(), customer_id=desk.li, unit="3-1-1502")
    with refused(desk, Conflict, match="另一位客户"):
        deals.record_deposit(b, desk.uow(), customer_id=desk.li, unit="3-1-1502", amount_yuan=50000)


def test_two_requests_for_one_unit_only_the_first_confirmed_the_other_shows_why_VIS8(desk):
    a, b = desk.consultants[:2]
    first = unit_control.request_hold(a, desk.uow(), customer_id=desk.wang, unit="5-2-801")
    second = unit_control.request_hold(b, desk.uow(), customer_id=desk.li, unit="5-2-801")
    unit_control.confirm_hold(desk.manager, desk.uow(), hold_id=first.id)
    [waiting] = unit_control.requests(desk.manager, desk.uow())
    assert waiting.id == second.id and "王先生" in waiting.unit_state  # the manager sees who holds it
    with refused(desk, Conflict, match="另一位客户"):
        unit_control.confirm_hold(desk.manager, desk.uow(), hold_id=second.id)
    declined = unit_control.decline_hold(desk.manager, desk.uow(), hold_id=second.id, reason="已为王先生保留")
    assert declined.status == "declined" and "已为王先生保留" in declined.note
    with refused(desk, Conflict, match="已处理"):
        unit_control.decline_hold(desk.manager, desk.uow(), hold_id=second.id, reason="再来一次")


def test_two_stations_confirming_one_unit_at_once_one_wins_the_other_is_told_VIS8_SEC6(desk):
    """The partial unique index decides when both checks saw the unit free: never two confirmed holds."""
    a, b = desk.consultants[:2]
    ids = [unit_control.request_hold(a, desk.uow(), customer_id=desk.wang, unit="6-1-601").id,
           unit_control.request_hold(b, desk.uow(), customer_id=desk.li, unit="6-1-601").id]
    start, outcomes = threading.Barrier(2), []

    def confirm(hold_id: int) -> None:
        start.wait()
        try:
            outcomes.append(unit_control.confirm_hold(desk.manager, desk.uow(), hold_id=hold_id).status)
        except Conflict as e:
            outcomes.append(str(e))

    threads = [threading.Thread(target=confirm, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("confirmed") == 1 and any("另一位客户" in o for o in outcomes), outcomes
    assert len(unit_control.held(desk.manager, desk.uow())) == 1


def test_a_released_unit_is_free_again_but_a_sold_one_is_never_released_VIS8(desk):
    a, b = desk.consultants[:2]
    hold_unit(desk, desk.wang, "7-1-701", asked_by=a)
    [held] = unit_control.held(desk.manager, desk.uow())
    with refused(desk, ValidationError):
        unit_control.release_hold(desk.manager, desk.uow(), hold_id=held.id, reason="  ")
    unit_control.release_hold(desk.manager, desk.uow(), hold_id=held.id, reason="客户放弃")
    hold_unit(desk, desk.li, "7-1-701", asked_by=b)  # free again
    deals.record_deposit(b, desk.uow(), customer_id=desk.li, unit="7-1-701", amount_yuan=20000)
    deals.record_contract(b, desk.uow(), customer_id=desk.li, unit="7-1-701", amount_yuan=2_000_000)
    [sold] = unit_control.held(desk.manager, desk.uow())
    with refused(desk, Conflict, match="已签约"):
        unit_control.release_hold(desk.manager, desk.uow(), hold_id=sold.id, reason="客户放弃")
    with refused(desk, Conflict, match="已售"):
        unit_control.request_hold(a, desk.uow(), customer_id=desk.wang, unit="7-1-701")


def test_the_holds_show_on_the_customers_timeline_VIS8(desk):
    a = desk.consultants[0]
    asked = unit_control.request_hold(a, desk.uow(), customer_id=desk.wang, unit="3-1-1502")
    clock.advance(timedelta(minutes=20))
    unit_control.decline_hold(desk.manager, desk.uow(), hold_id=asked.id, reason="留给老业主")
    events = customer_file.timeline(desk.manager, desk.uow(), customer_id=desk.wang).events
    holds = [e for e in events if e.kind == "unit_hold"]
    assert [e.who for e in holds] == [desk.manager.name, a.name]  # newest first
    assert "3-1-1502" in holds[0].text and "留给老业主" in holds[0].text


def test_bad_requests_are_refused_with_nothing_written_VIS8(desk):
    a = desk.consultants[0]
    with refused(desk, ValidationError):
        unit_control.request_hold(a, desk.uow(), customer_id=desk.wang, unit="   ")
    with refused(desk, ValidationError):
        unit_control.request_hold(a, desk.uow(), customer_id=desk.wang, unit="1" * 41)
    with refused(desk, NotFound):
        unit_control.request_hold(a, desk.uow(), customer_id=99999, unit="1-1-101")
    unit_control.request_hold(a, desk.uow(), customer_id=desk.wang, unit="1-1-101")
    with refused(desk, Conflict, match="已请经理"):
        unit_control.request_hold(a, desk.uow(), customer_id=desk.wang, unit="1-1-101")
    with refused(desk, NotFound):
        unit_control.confirm_hold(desk.manager, desk.uow(), hold_id=99999)
    with refused(desk, PermissionDenied):  # only the manager confirms
        unit_control.confirm_hold(a, desk.uow(), hold_id=unit_control.requests(desk.manager, desk.uow())[0].id)
