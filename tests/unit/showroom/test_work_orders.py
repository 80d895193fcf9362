"""Work orders through the services (SHW-5): approved by the engineering lead before anyone enters, never by whoever
asked; outside open hours unless urgent with why; the entry and the work checked recorded."""
from __future__ import annotations

import pytest

from app import clock
from app.domain.showroom_flows import State
from app.errors import PermissionDenied, ValidationError
from app.services.showroom import work_orders
from tests.unit.helpers import audit_entries, refused
from tests.unit.showroom.conftest import at


@pytest.fixture
def lamp(office, flat, docent):
    clock.freeze(at(11))
    return work_orders.request(docent, office.uow(), apartment_id=flat.id, what="主卧床头灯不亮",
                               planned_at=at(18, 30))


def test_a_work_order_goes_from_request_to_approval_entry_and_the_attendants_check_SHW5(office, lamp, docent,
                                                                                      engineer):
    assert (lamp.number, lamp.state) == (1, State.REQUESTED)
    assert work_orders.decide(engineer, office.uow(), number=1, approve=True).state == State.APPROVED
    clock.freeze(at(18, 35))
    row = work_orders.record_entry(docent, office.uow(), number=1, workers="电工 张师傅", materials="灯泡 2 个")
    assert (row.state, row.entered_at, row.materials) == (State.ENTERED, at(18, 35), "灯泡 2 个")
    row = work_orders.accept(docent, office.uow(), number=1, note="灯已亮，现场已清理")
    assert (row.state, row.completed_by) == (State.DONE, "李讲解")
    assert work_orders.listed(engineer, office.uow()) == []
    steps = [e.action for e in audit_entries(office) if e.action.startswith("showroom.work_order")]
    assert steps == ["showroom.work_order", "showroom.work_order_approved", "showroom.work_order_entry",
                     "showroom.work_order_done"]


def test_nobody_enters_before_the_approval_and_only_the_engineering_lead_approves_SHW5(office, lamp, docent):
    clock.freeze(at(18, 35))
    with refused(office, ValidationError, match="现在不能"):
        work_orders.record_entry(docent, office.uow(), number=1, workers="张师傅")
    for who in (docent, office.supervisor, office.manager):
        with refused(office, PermissionDenied):
            work_orders.decide(who, office.uow(), number=1, approve=True)


def test_the_engineering_lead_does_not_approve_a_work_order_they_asked_for_SHW5(office, flat, engineer, monkeypatch):
    from app.permissions import GRANTS, Perm, Role

    monkeypatch.setitem(GRANTS, Role.ENGINEERING_LEAD, GRANTS[Role.ENGINEERING_LEAD] | {Perm.SHOWROOM_CHECK})
    clock.freeze(at(11))
    work_orders.request(engineer, office.uow(), apartment_id=flat.id, what="换门锁", planned_at=at(19))
    with refused(office, PermissionDenied):
        work_orders.decide(engineer, office.uow(), number=1, approve=True)


def test_work_in_open_hours_needs_the_urgent_flag_and_why_SHW5(office, flat, docent, engineer):
    clock.freeze(at(11))
    with refused(office, ValidationError) as info:
        work_orders.request(docent, office.uow(), apartment_id=flat.id, what="水管漏水", planned_at=at(14))
    assert info.value.field == "planned_at"
    with refused(office, ValidationError) as info:
        work_orders.request(docent, office.uow(), apartment_id=flat.id, what="水管漏水", planned_at=at(14),
                            urgent=True)
    assert info.value.field == "urgent_reason"
    row = work_orders.request(docent, office.uow(), apartment_id=flat.id, what="水管漏水", planned_at=at(11, 30),
                              urgent=True, urgent_reason="漏水会泡坏地板")
    work_orders.decide(engineer, office.uow(), number=row.number, approve=True)
    clock.freeze(at(11, 40))
    assert work_orders.record_entry(docent, office.uow(), number=row.number, workers="水工").state == State.ENTERED


def test_an_entry_in_open_hours_on_a_work_order_not_urgent_is_refused_SHW5(office, lamp, docent, engineer):
    work_orders.decide(engineer, office.uow(), number=1, approve=True)
    clock.freeze(at(16))  # the workers came early, during open hours
    with refused(office, ValidationError, match="开放时间"):
        work_orders.record_entry(docent, office.uow(), number=1, workers="张师傅")


def test_a_refusal_says_why_and_ends_the_work_order_SHW5(office, lamp, engineer):
    with refused(office, ValidationError):
        work_orders.decide(engineer, office.uow(), number=1, approve=False)
    row = work_orders.decide(engineer, office.uow(), number=1, approve=False, note="改到周一闭馆日")
    assert (row.state, row.decision_note) == (State.REFUSED, "改到周一闭馆日")
    assert work_orders.listed(engineer, office.uow()) == []


def test_bad_work_orders_are_refused_with_nothing_written_SHW5(office, flat, docent):
    clock.freeze(at(11))
    for case in (dict(what="", planned_at=at(19)), dict(what="x", planned_at=at(19, days=-1)),
                 dict(what="x", planned_at=at(19, days=90)), dict(what="x\x00", planned_at=at(19))):
        with refused(office, ValidationError):
            work_orders.request(docent, office.uow(), apartment_id=flat.id, **case)
