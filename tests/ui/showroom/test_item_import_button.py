"""The item lists page's "Import item list…" (SHW-1): the supervisor picks a file and an apartment, the import runs
on the worker, what it did (or why it did nothing) is said, and the list shows the file's items."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from app.permissions import Role
from app.services import accounts
from app.services.showroom import items
from tests.conftest import PIN
from tests.unit.showroom.test_item_import import ROWS, write_xlsx
from ui.tabs.showroom.item_lists import ItemLists


def choose(monkeypatch, path, apartment):
    asked: list = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: asked.append(a[3]) or (str(path), ""))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: asked.append(a[3]) or (apartment, True))
    return asked


def test_the_supervisor_imports_a_list_into_a_new_apartment_and_sees_it_SHW1(qtbot, office, make_ctx, monkeypatch,
                                                                            tmp_path):
    items.add_apartment(office.supervisor, office.uow(), name="B户型")
    page = ItemLists(make_ctx(office.supervisor))
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.apartment.count() == 1)
    asked = choose(monkeypatch, write_xlsx(tmp_path / "物品清单.xlsx"), "A户型 三房两厅")
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.import_box is not None)
    assert asked == ["CSV / Excel / WPS / LibreOffice (*.csv *.xlsx *.xls *.ods)", ["B户型"]]
    assert page.import_box.icon() == QMessageBox.Icon.Information
    assert page.import_box.text() == "已新建样板房 A户型 三房两厅，导入 物品清单.xlsx 中的 4 项物品。"
    qtbot.waitUntil(lambda: page.apartment.currentText() == "A户型 三房两厅" and page.table.rowCount() == 4)
    assert page.count.text() == "共 4 项，9 件"


def test_a_bad_row_is_said_and_the_list_stays_as_it_was_SHW1(qtbot, office, make_ctx, monkeypatch, tmp_path):
    page = ItemLists(make_ctx(office.supervisor))
    qtbot.addWidget(page)
    choose(monkeypatch, write_xlsx(tmp_path / "物品清单.xlsx"), "A户型")
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.table.rowCount() == 4)
    bad = [row[:] for row in ROWS]
    bad[1][5] = "四个"
    choose(monkeypatch, write_xlsx(tmp_path / "改过.xlsx", rows=bad), "A户型")
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.import_box.icon() == QMessageBox.Icon.Warning)
    assert page.import_box.text() == "第 5 行「数量」列：数量应为整数，例如 3。 未导入任何内容。"
    shown = {page.table.item(r, 1).text(): page.table.item(r, 4).text() for r in range(page.table.rowCount())}
    assert shown["抱枕"] == "4 个"


def test_a_docent_has_no_import_button_SEC2_SHW1(qtbot, office, make_ctx):
    row = accounts.create_staff(office.manager, office.uow(), name="李讲解", role=Role.DOCENT, pin=PIN)
    page = ItemLists(make_ctx(accounts.sign_in(office.uow(), staff_id=row.id, pin=PIN)))
    qtbot.addWidget(page)
    page.show()
    assert page.history_button.isVisible() and not page.import_button.isVisible()
