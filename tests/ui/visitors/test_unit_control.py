"""Unit control (销控, VIS-8) through the window: a consultant asks from the customer's file, the manager confirms
on the unit control page, and only then is the deposit recorded; another customer is refused the unit."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests.ui.visitors.test_visitors_tab import open_tab, walk_in


def click(qtbot, root, name: str) -> None:
    qtbot.mouseClick(root.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def test_ask_confirm_then_deposit_and_another_customer_is_refused_VIS8(qtbot, office, make_ctx):
    wang = walk_in(office, "13812345678", "王先生")
    li = walk_in(office, "13912345678", "李女士")
    consultant = office.consultants[0]

    desk = open_tab(qtbot, make_ctx(consultant))
    assert desk.units is None and "销控" not in [desk.pages.tabText(i) for i in range(desk.pages.count())][-1]
    desk.open_customer(wang.customer_id)
    file = desk.timeline
    qtbot.waitUntil(lambda: file.table.rowCount() == 2)
    file.unit.insert("3-1-1502")
    file.amount.insert("50000")
    click(qtbot, file, "dealButton")  # not held yet
    qtbot.waitUntil(lambda: file.error.isVisible())
    assert "销控" in file.error.text()
    click(qtbot, file, "requestHoldButton")
    qtbot.waitUntil(lambda: file.table.rowCount() == 3)
    assert file.table.item(0, 1).text() == "销控" and "3-1-1502" in file.table.item(0, 3).text()

    manager = open_tab(qtbot, make_ctx(office.manager))
    manager.pages.setCurrentIndex(manager.pages.count() - 1)
    page = manager.units
    qtbot.waitUntil(lambda: page.requests.rowCount() == 1)
    assert [page.requests.item(0, c).text() for c in (0, 1, 2, 5)] == ["3-1-1502", "王先生", consultant.name, "可售"]
    click(qtbot, page, "declineHoldButton")  # no row chosen
    qtbot.waitUntil(lambda: page.error.isVisible())
    page.requests.selectRow(0)
    click(qtbot, page, "declineHoldButton")  # no reason given
    qtbot.waitUntil(lambda: page.reason.property("invalid") is True)
    click(qtbot, page, "confirmHoldButton")
    qtbot.waitUntil(lambda: page.requests.rowCount() == 0 and page.held.rowCount() == 1)
    assert page.held.item(0, 0).text() == "3-1-1502"

    file.unit.clear()
    file.unit.insert("3-1-1502")
    file.amount.insert("50000")
    click(qtbot, file, "dealButton")
    qtbot.waitUntil(lambda: file.table.rowCount() == 5 or file.error.isVisible())
    assert not file.error.isVisible(), file.error.text()
    assert "认购" in [file.table.item(r, 1).text() for r in range(5)]

    desk.open_customer(li.customer_id)
    other = desk.timeline
    qtbot.waitUntil(lambda: other.table.rowCount() == 2)
    other.unit.insert("3-1-1502")
    click(qtbot, other, "requestHoldButton")
    qtbot.waitUntil(lambda: other.error.isVisible())
    assert "另一位客户" in other.error.text() and other.unit.property("invalid") is True
    assert other.table.rowCount() == 2
