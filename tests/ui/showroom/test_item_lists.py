"""The item lists through the window (SHW-1): the supervisor adds and changes items with why; any day's list reads
as it stood; an item's versions; a docent reads the lists but keeps none."""
from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog

from app import clock
from app.permissions import Role
from app.services import accounts
from tests.conftest import PIN, TEN_AM
from ui.tabs.showroom.item_lists import HistoryDialog, ItemDialog, ItemLists


def save(dialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()


def test_the_supervisor_keeps_a_list_and_reads_it_as_it_stood_SHW1(qtbot, office, make_ctx, monkeypatch):
    clock.freeze(datetime(2026, 11, 22, 17, 0))
    shown: list = []
    monkeypatch.setattr(ItemDialog, "exec", lambda d: shown.append(d) or d.show())
    monkeypatch.setattr(HistoryDialog, "exec", lambda d: shown.append(d) or d.show())
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("A户型 三房两厅", True))
    page = ItemLists(make_ctx(office.supervisor))
    qtbot.addWidget(page)
    qtbot.mouseClick(page.add_apartment_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.apartment.count() == 1)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = shown.pop()
    for key, value in (("room", "客厅"), ("name", "抱枕"), ("quantity", "4"), ("unit", "个"), ("price", "90")):
        dialog.fields[key].setText(value)
    save(dialog)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    assert page.table.item(0, 1).text() == "抱枕" and page.count.text() == "共 1 项，4 件"
    clock.freeze(TEN_AM)  # the next day
    page.as_of.setDate(clock.today())
    page.table.setCurrentCell(0, 0)
    qtbot.mouseClick(page.change_button, Qt.MouseButton.LeftButton)
    dialog = shown.pop()
    dialog.fields["quantity"].setText("-1")
    save(dialog)
    qtbot.waitUntil(lambda: dialog.error.isVisible())
    assert "数量" in dialog.error.text()  # nothing kept
    dialog.fields["quantity"].setText("3")
    dialog.reason.setText("丢了一个")
    save(dialog)
    qtbot.waitUntil(lambda: page.table.item(0, 4).text() == "3 个")
    page.as_of.setDate(clock.today() - timedelta(days=1))
    qtbot.waitUntil(lambda: page.table.item(0, 4).text() == "4 个")  # as it stood yesterday
    page.table.setCurrentCell(0, 0)
    qtbot.mouseClick(page.history_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown))
    history = shown.pop().findChild(type(page.table), "itemHistoryTable")
    assert [history.item(r, 4).text() for r in range(history.rowCount())] == ["", "丢了一个"]


def test_a_docent_reads_the_lists_and_keeps_none_SEC2_SHW1(qtbot, office, make_ctx):
    row = accounts.create_staff(office.manager, office.uow(), name="李讲解", role=Role.DOCENT, pin=PIN)
    docent = accounts.sign_in(office.uow(), staff_id=row.id, pin=PIN)
    page = ItemLists(make_ctx(docent))
    qtbot.addWidget(page)
    page.show()
    assert page.history_button.isVisible() and not page.add_button.isVisible()
    assert not page.change_button.isVisible() and not page.add_apartment_button.isVisible()
