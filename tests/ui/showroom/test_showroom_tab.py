"""The showroom tab through the window (SHW-3, SHW-8): the day's board of every apartment's checks with their state,
a check recorded elsewhere shown at once, the day's checklists printed from the tab."""
from __future__ import annotations

from datetime import datetime

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from app import clock
from app.services.showroom import checks, items, templates
from app.services.showroom.checks import Answer
from app.services.showroom.items import ItemDraft
from tests.conftest import TEN_AM
from ui.main_window import MainWindow
from ui.tabs.showroom.tab import ShowroomTab


def furnish(office) -> int:
    clock.freeze(datetime(2026, 11, 22, 17, 0))
    flat = items.add_apartment(office.manager, office.uow(), name="A户型")
    items.add_item(office.manager, office.uow(), apartment_id=flat.id, draft=ItemDraft(room="客厅", name="沙发",
                                                                                       quantity=1))
    clock.freeze(TEN_AM)
    return flat.id


def cell(tab, row: int, column: int) -> str:
    return tab.board.item(row, column).text()


def test_the_board_shows_each_check_s_state_and_follows_the_day_SHW3(qtbot, office, make_ctx):
    flat = furnish(office)
    ctx = make_ctx(office.supervisor)
    tab = ShowroomTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1366, 690)
    qtbot.waitUntil(lambda: tab.board.rowCount() == 20)
    assert tab.board.horizontalHeaderItem(2).text() == "A户型"
    assert (cell(tab, 0, 0), cell(tab, 0, 1), cell(tab, 0, 2)) == ("开门盘点", "09:00", "已逾期")  # 10:00, not done
    assert cell(tab, 1, 2) == "未到时间" and "逾期 1" in tab.summary.text()
    points = templates.current(office.uow())["opening"].points
    checks.record(office.supervisor, office.uow(), apartment_id=flat, day=clock.today(), slot="opening-1",
                  answers=[Answer(p, "ok") for p in points], counts={items.item_list(office.uow(),
                                                                                   apartment_id=flat)[0].id: 1},
                  strokes=[[(0.1, 0.1), (0.4, 0.5)]])
    ctx.data_changed.emit(frozenset({"showroom"}))  # as the live feed says when another station records it
    qtbot.waitUntil(lambda: cell(tab, 0, 2).startswith("迟做 10:00 钱主管"))
    tab.day.setDate(clock.today().replace(day=22))
    qtbot.waitUntil(lambda: cell(tab, 0, 2) == "漏检")  # the day before: never done


def test_the_day_s_checklists_print_from_the_tab_SHW8(qtbot, office, make_ctx, tmp_path, monkeypatch):
    furnish(office)
    out = tmp_path / "今天.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF (*.pdf)"))
    tab = ShowroomTab(make_ctx(office.supervisor))
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.board.rowCount() == 20)
    qtbot.mouseClick(tab.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "检查表已保存" in tab.printed.text())
    assert "沙发" in "".join(page.extract_text() for page in PdfReader(out).pages)
    tab.printed.clear()
    qtbot.mouseClick(tab.record_print_button, Qt.MouseButton.LeftButton)  # the completed record, for the files
    qtbot.waitUntil(lambda: "检查表已保存" in tab.printed.text())
    record = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "样板房每日检查记录" in record and "已逾期" in record  # 10:00: the opening count not done


def test_the_tab_is_there_for_docents_and_supervisors_not_for_the_desk_SEC2(qtbot, office, make_ctx):
    for actor, shown in ((office.supervisor, True), (office.receptionist, False)):
        window = MainWindow(make_ctx(actor), db_label="office.db")
        qtbot.addWidget(window)
        names = [window.tabs.widget(i).objectName() for i in range(window.tabs.count())]
        assert ("showroomTab" in names) == shown, names


def sign(qtbot, pad) -> None:
    """A finger's stroke across the box (a touch arrives as mouse events)."""
    from PySide6.QtCore import QPoint

    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(30, 60))
    for x in range(40, 200, 20):
        qtbot.mouseMove(pad, QPoint(x, 60 + (x % 40)))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(210, 70))


def test_an_opening_count_done_by_touch_with_a_problem_a_short_count_and_a_signature_SHW2_SHW4(qtbot, office,
                                                                                              make_ctx, monkeypatch):
    from ui.tabs.showroom.check_form import CheckDialog

    flat = furnish(office)
    clock.freeze(datetime(2026, 11, 23, 9, 5))
    opened: list[CheckDialog] = []
    monkeypatch.setattr(CheckDialog, "exec", lambda dialog: opened.append(dialog) or dialog.show())
    tab = ShowroomTab(make_ctx(office.supervisor))
    qtbot.addWidget(tab)
    tab.resize(1366, 690)
    qtbot.waitUntil(lambda: tab.board.rowCount() == 20)
    tab.board.setCurrentCell(0, 2)  # the opening count of A户型
    qtbot.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(opened) == 1)
    dialog = opened[0]
    first = dialog.points[0]
    qtbot.mouseClick(first.buttons.buttons()[1], Qt.MouseButton.LeftButton)  # 有问题
    qtbot.keyClicks(first.note, "lamp")
    [sofa] = dialog.counts.values()
    sofa.setValue(0)  # the sofa is not there
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: dialog.error.isVisible())
    assert "请在框内签名" in dialog.error.text()  # nothing is saved unsigned
    sign(qtbot, dialog.signature)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: dialog.result() == CheckDialog.DialogCode.Accepted)
    qtbot.waitUntil(lambda: cell(tab, 0, 2) == "已完成 09:05 钱主管 2 个问题")
    [day] = checks.day_view(office.supervisor, office.uow(), day=clock.today())
    assert day.slots[0].problems == 2 and day.slots[0].check_id is not None


def test_a_docent_at_the_kiosk_gets_the_model_apartments_and_no_refusals_from_the_desk_SEC2_SHW2(qtbot, office,
                                                                                                make_ctx):
    from PySide6.QtWidgets import QApplication

    from app.permissions import Role
    from app.services import accounts
    from tests.conftest import PIN
    from ui.context import UiContext

    row = accounts.create_staff(office.manager, office.uow(), name="李讲解", role=Role.DOCENT, pin=PIN)
    kiosk = UiContext(office.engine, kiosk=True)
    kiosk.set_actor(accounts.sign_in(office.uow(), staff_id=row.id, pin=PIN))
    window = MainWindow(kiosk, db_label="office.db")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: kiosk.tasks.idle())
    assert [window.tabs.widget(i).objectName() for i in range(window.tabs.count())] == ["showroomTab"]
    assert QApplication.activeModalWidget() is None  # no "not allowed to register visitors" box
    kiosk.tasks.wait()
