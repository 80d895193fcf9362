"""Incidents and work orders through the window (SHW-4, SHW-5): a damaged item recorded by the docent at the kiosk,
the settlement proposed, approved for customer service and for marketing by two people at their stations, the
visitor signing on screen; a work order the docent cannot approve, approved by the engineering lead."""
from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app import clock
from app.domain.showroom_flows import State
from app.permissions import Role
from app.services import accounts
from app.services.showroom import incidents, items, work_orders
from app.services.showroom.items import ItemDraft
from tests.conftest import PIN, TEN_AM
from tests.ui.showroom.test_showroom_tab import sign
from ui.tabs.showroom.incidents_page import IncidentDialog, IncidentsPage, SettlementDialog, VisitorSignature
from ui.tabs.showroom.work_orders_page import WorkOrdersPage


def furnish(office) -> int:
    clock.freeze(datetime(2026, 11, 22, 17, 0))
    flat = items.add_apartment(office.manager, office.uow(), name="A户型")
    items.add_item(office.manager, office.uow(), apartment_id=flat.id,
                   draft=ItemDraft(room="客厅", name="装饰花瓶", quantity=2, price="680"))
    clock.freeze(TEN_AM)
    return flat.id


def member(office, name: str, role: Role):
    row = accounts.create_staff(office.manager, office.uow(), name=name, role=role, pin=PIN)
    return accounts.sign_in(office.uow(), staff_id=row.id, pin=PIN)


def opened_dialogs(monkeypatch, *classes) -> list:
    shown: list = []
    for cls in classes:
        monkeypatch.setattr(cls, "exec", lambda dialog: shown.append(dialog) or dialog.show())
    return shown


def save(dialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()


def page_for(qtbot, make_ctx, actor, cls=IncidentsPage):
    page = cls(make_ctx(actor))
    qtbot.addWidget(page)
    page.resize(1366, 600)
    page.show()
    return page


def choose(qtbot, page, number: int) -> None:
    qtbot.waitUntil(lambda: any(r.number == number for r in page.records))
    page.table.selectRow([r.number for r in page.records].index(number))


def test_an_incident_recorded_settled_by_two_approvers_and_signed_by_the_visitor_through_the_window_SHW4(
        qtbot, office, make_ctx, monkeypatch):
    furnish(office)
    docent = member(office, "李讲解", Role.DOCENT)
    shown = opened_dialogs(monkeypatch, IncidentDialog, SettlementDialog, VisitorSignature)
    page = page_for(qtbot, make_ctx, docent)
    assert not page.buttons["approveService"][0].isEnabled()  # nothing chosen, and not hers to approve
    qtbot.mouseClick(page.buttons["recordIncident"][0], Qt.MouseButton.LeftButton)
    record = shown[-1]
    qtbot.waitUntil(lambda: record.item.count() == 1)
    record.kind.setCurrentIndex(record.kind.findData("damaged"))
    record.what.setText("小朋友碰倒花瓶")  # typed through the input method
    record.visitor.setText("王先生")
    qtbot.keyClicks(record.phone, "12345")
    save(record)
    qtbot.waitUntil(lambda: record.error.isVisible())
    assert "手机号" in record.error.text() or "电话" in record.error.text()  # said in Chinese, nothing saved
    assert incidents.listed(office.manager, office.uow()) == []
    record.phone.setText("13812345678")
    save(record)
    qtbot.waitUntil(lambda: record.result() == IncidentDialog.DialogCode.Accepted)
    choose(qtbot, page, 1)
    assert page.table.item(0, 4).text() == "王先生 138****5678"  # masked for the docent (VIS-7)
    assert page.buttons["proposeSettlement"][0].isEnabled()
    assert not page.buttons["approveService"][0].isEnabled()
    qtbot.mouseClick(page.buttons["proposeSettlement"][0], Qt.MouseButton.LeftButton)
    propose = shown[-1]
    propose.settlement.setCurrentIndex(propose.settlement.findData("listed"))
    save(propose)
    qtbot.waitUntil(lambda: propose.result() == SettlementDialog.DialogCode.Accepted)

    for approver, button, then in ((office.supervisor, "approveService", State.SERVICE_APPROVED),
                                   (office.manager, "approveMarketing", State.SETTLED)):
        station = page_for(qtbot, make_ctx, approver)
        choose(qtbot, station, 1)
        qtbot.waitUntil(lambda: station.buttons[button][0].isEnabled())
        qtbot.mouseClick(station.buttons[button][0], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: station.records and station.records[0].state == then)
    assert incidents.get(office.manager, office.uow(), 1).state == State.SETTLED

    page.reload()
    qtbot.waitUntil(lambda: page.records and page.records[0].state == State.SETTLED)
    choose(qtbot, page, 1)
    qtbot.mouseClick(page.buttons["visitorSigns"][0], Qt.MouseButton.LeftButton)
    signing = shown[-1]
    sign(qtbot, signing.signature)
    save(signing)
    qtbot.waitUntil(lambda: signing.result() == VisitorSignature.DialogCode.Accepted)
    closed = incidents.get(office.manager, office.uow(), 1)
    assert (closed.state, closed.amount_fen, bool(closed.signature)) == (State.CLOSED, 68000, True)
    qtbot.waitUntil(lambda: page.records == [])  # no longer among the open ones


def test_the_docent_asks_for_a_work_order_and_only_the_engineering_lead_can_approve_it_SHW5(qtbot, office,
                                                                                          make_ctx):
    flat = furnish(office)
    docent = member(office, "李讲解", Role.DOCENT)
    engineer = member(office, "陈工", Role.ENGINEERING_LEAD)
    work_orders.request(docent, office.uow(), apartment_id=flat, what="床头灯不亮",
                        planned_at=clock.at_office(clock.today(), 19))
    mine = page_for(qtbot, make_ctx, docent, WorkOrdersPage)
    choose(qtbot, mine, 1)
    assert not mine.buttons["approveWorkOrder"][0].isEnabled() and not mine.buttons["recordEntry"][0].isEnabled()
    lead = page_for(qtbot, make_ctx, engineer, WorkOrdersPage)
    assert not lead.buttons["requestWorkOrder"][0].isEnabled()
    choose(qtbot, lead, 1)
    qtbot.mouseClick(lead.buttons["approveWorkOrder"][0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lead.records and lead.records[0].state == State.APPROVED)
    assert lead.table.item(0, 6).text() == "已批准"


def test_a_count_short_opens_the_incident_filled_in_and_a_problem_point_a_work_order_from_the_check_SHW4_SHW5(
        qtbot, office, make_ctx, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from app.domain.showroom_day import SlotState
    from app.services.showroom.checks import CheckDone
    from ui.tabs.showroom.tab import ShowroomTab
    from ui.tabs.showroom.work_orders_page import RequestDialog

    flat = furnish(office)
    clock.freeze(datetime(2026, 11, 23, 18, 5))
    vase = items.item_list(office.uow(), apartment_id=flat)[0].id
    shown = opened_dialogs(monkeypatch, IncidentDialog, RequestDialog)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    tab = ShowroomTab(make_ctx(office.supervisor))
    qtbot.addWidget(tab)
    tab._follow_up(flat, CheckDone(7, "closing-1", SlotState.DONE, 2, {vase: 1}), ["灯光：主卧床头灯不亮"])
    incident, order = shown
    qtbot.waitUntil(lambda: incident.item.currentData() == vase and incident.apartment.currentData() == flat)
    assert (incident.kind.currentData(), incident.quantity.value()) == ("missing", 1)
    qtbot.waitUntil(lambda: order.apartment.currentData() == flat)
    assert order.what.text() == "灯光：主卧床头灯不亮"
