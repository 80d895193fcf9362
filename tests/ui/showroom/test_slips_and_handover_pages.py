"""Release slips and the handover through the window (SHW-6, SHW-7): a slip asked for by touch, approved by the
supervisor, its code scanned at the door and the items let out; a handover signed by the docent and acknowledged by
the night watch at his own sign-in."""
from __future__ import annotations

from PySide6.QtCore import Qt

from app.domain.showroom_flows import State
from app.permissions import Role
from app.services.showroom import handovers, items, release_slips
from tests.ui.showroom.test_incidents_page import choose, furnish, member, opened_dialogs, page_for, save
from tests.ui.showroom.test_showroom_tab import sign
from ui.tabs.showroom.handover_page import Acknowledge, HandoverPage
from ui.tabs.showroom.release_slips_page import ReleaseSlipsPage, SlipDialog


def test_a_slip_asked_for_approved_scanned_at_the_door_and_let_out_with_the_list_following_SHW6(
        qtbot, office, make_ctx, monkeypatch):
    flat = furnish(office)
    docent = member(office, "李讲解", Role.DOCENT)
    shown = opened_dialogs(monkeypatch, SlipDialog)
    page = page_for(qtbot, make_ctx, docent, ReleaseSlipsPage)
    qtbot.mouseClick(page.buttons["requestSlip"][0], Qt.MouseButton.LeftButton)
    dialog = shown[-1]
    qtbot.waitUntil(lambda: dialog.items.rowCount() == 1)
    dialog.purpose.setText("送修")
    dialog.carrier.setText("刘师傅")
    save(dialog)
    qtbot.waitUntil(lambda: dialog.error.isVisible())
    assert "至少" in dialog.error.text()  # nothing leaving: refused, nothing saved
    dialog.items.cellWidget(0, 3).setValue(1)
    save(dialog)
    qtbot.waitUntil(lambda: dialog.result() == SlipDialog.DialogCode.Accepted)

    qtbot.keyClicks(page.scan, "SO:SLIP:1")
    qtbot.keyClick(page.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "不得放行" in page.scanned.text())  # asked for, not yet approved
    assert "装饰花瓶 × 1" in page.scanned.text()
    release_slips.decide(office.supervisor, office.uow(), number=1, approve=True)
    qtbot.keyClicks(page.scan, "SO:SLIP:1")
    qtbot.keyClick(page.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "可以放行" in page.scanned.text())
    qtbot.keyClicks(page.scan, "SO:SHEET:1:2026-11-23:1")
    qtbot.keyClick(page.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "不是放行条" in page.error.text())  # a sheet's code: said, not a crash

    page._ctx.data_changed.emit(frozenset({"showroom"}))  # as the live feed says of the supervisor's approval
    qtbot.waitUntil(lambda: page.records and page.records[0].state == State.APPROVED)
    choose(qtbot, page, 1)
    qtbot.mouseClick(page.buttons["releaseSlip"][0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.records == [])  # let out: no longer open
    assert items.item_list(office.uow(), apartment_id=flat)[0].quantity == 1


def test_the_docent_hands_over_and_the_night_watch_acknowledges_with_his_signature_SHW7(qtbot, office, make_ctx,
                                                                                       monkeypatch):
    furnish(office)
    docent = member(office, "李讲解", Role.DOCENT)
    guard = member(office, "保安老周", Role.SECURITY)
    shown = opened_dialogs(monkeypatch, Acknowledge)
    page = page_for(qtbot, make_ctx, docent, HandoverPage)
    qtbot.waitUntil(lambda: page.incoming.count() >= 1 and "当日盘点" in page.listing.toPlainText())
    page.incoming.setCurrentIndex(page.incoming.findData(guard.id))
    qtbot.mouseClick(page.hand_over, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.error.isVisible())
    assert "签名" in page.error.text()  # unsigned: refused
    sign(qtbot, page.signature)
    qtbot.mouseClick(page.hand_over, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(page.handovers) == 1)
    page.table.selectRow(0)
    assert not page.acknowledge.isEnabled()  # hers to hand over, not to acknowledge

    night = page_for(qtbot, make_ctx, guard, HandoverPage)
    qtbot.waitUntil(lambda: len(night.handovers) == 1)
    night.table.selectRow(0)
    assert night.acknowledge.isEnabled()
    qtbot.mouseClick(night.acknowledge, Qt.MouseButton.LeftButton)
    dialog = shown[-1]
    assert "未结突发事件" in dialog.findChild(type(page.listing)).toPlainText()  # what was listed, to read first
    sign(qtbot, dialog.signature)
    save(dialog)
    qtbot.waitUntil(lambda: dialog.result() == Acknowledge.DialogCode.Accepted)
    assert handovers.get(guard, office.uow(), 1).acknowledged_at is not None


def test_a_slip_prints_from_its_page_with_the_code_the_door_scans_SHW6(qtbot, office, make_ctx, monkeypatch,
                                                                       tmp_path):
    from pypdf import PdfReader
    from PySide6.QtWidgets import QFileDialog

    flat = furnish(office)
    docent = member(office, "李讲解", Role.DOCENT)
    vase = items.item_list(office.uow(), apartment_id=flat)[0].id
    release_slips.request(docent, office.uow(), apartment_id=flat, purpose="送修", carrier="刘师傅", lines=[(vase, 1)])
    out = tmp_path / "放行条.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF (*.pdf)"))
    page = page_for(qtbot, make_ctx, docent, ReleaseSlipsPage)
    assert not page.buttons["printSlip"][0].isEnabled()  # nothing chosen
    choose(qtbot, page, 1)
    qtbot.mouseClick(page.buttons["printSlip"][0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "放行条.pdf" in page.printed.text())
    assert "刘师傅" in "".join(p.extract_text() for p in PdfReader(out).pages)
