"""The visitor logs tab through the window: search and page a large result, a customer's file, figures, masking."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import QDate, QModelIndex, Qt

from app import clock
from app.services.reception import followups, rotation, visits
from app.services.reception.visits import Registration
from tests.ui.conftest import FULL_MOBILE, texts
from tests.unit.bulk import bulk_visits
from tests.unit.helpers import hold_unit
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.tabs.visitors.tab import VisitorsTab
from ui.widgets.paged_table import PagedTableModel


def open_tab(qtbot, ctx):
    tab = VisitorsTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1366, 690)
    tab.show()
    return tab


def model_texts(model) -> list[str]:
    return [str(model.data(model.index(r, c))) for r in range(model.rowCount()) for c in range(model.columnCount())]


def walk_in(office, phone="13812345678", name="王先生"):
    if not rotation.queue_view(office.receptionist, office.uow()).entries:
        rotation.sign_in(office.receptionist, office.uow(), consultant_id=office.consultants[0].id)
    clock.advance(timedelta(minutes=1))
    return visits.register(office.receptionist, office.uow(), Registration(name=name, phone=phone))


def test_paged_model_passes_the_model_tester_and_fetches_page_by_page_VIS1(qtmodeltester):
    data = [f"row {i}" for i in range(250)]
    asked: list[int] = []

    def fetch(offset: int, deliver) -> None:
        asked.append(offset)
        deliver(data[offset:offset + 100])

    model = PagedTableModel([("Name", lambda r: r), ("Length", lambda r: str(len(r)))])
    model.reset(data[:100], fetch, 100)
    assert model.rowCount() == 100 and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 250 and not model.canFetchMore(QModelIndex())
    assert asked == [100, 200]
    assert model.data(model.index(249, 0)) == "row 249"
    checked = PagedTableModel([("Name", lambda r: r), ("Length", lambda r: str(len(r)))])
    checked.reset(data[:100], fetch, 100)
    qtmodeltester.check(checked)  # the tester fetches the further pages itself
    assert checked.rowCount() == 250


def test_search_shows_the_count_at_once_and_pages_a_large_result_VIS1(qtbot, office, make_ctx):
    bulk_visits(office, 3000)
    tab = open_tab(qtbot, make_ctx(office.manager))
    search = tab.search
    qtbot.waitUntil(lambda: search.count.text() == "共 3,000 条")
    assert search.model.rowCount() == 100  # one page, not three thousand rows
    search.table.scrollToBottom()
    qtbot.waitUntil(lambda: search.model.rowCount() >= 200)
    while search.model.rowCount() < 3000:  # each further page comes from the worker
        search.model.fetchMore(QModelIndex())
        qtbot.wait(1)
    search.model.fetchMore(QModelIndex())  # a full last page: one more (empty) answer says it was the last
    qtbot.waitUntil(lambda: not search.model.canFetchMore(QModelIndex()))
    assert search.model.rowCount() == 3000
    qtbot.keyClicks(search.phone, "138")
    qtbot.mouseClick(search.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: search.count.text() == "共 300 条")
    assert all(str(search.model.data(search.model.index(r, 3))).startswith("138")
               for r in range(search.model.rowCount()))


def test_search_by_last_four_and_name_through_the_bar_VIS1(qtbot, office, make_ctx):
    walk_in(office, "13812345678", "王先生")
    walk_in(office, "13912349999", "李女士")
    tab = open_tab(qtbot, make_ctx(office.supervisor))
    search = tab.search
    qtbot.waitUntil(lambda: search.count.text() == "共 2 条")
    qtbot.keyClicks(search.phone, "5678")
    search.phone.returnPressed.emit()
    qtbot.waitUntil(lambda: search.count.text() == "共 1 条")
    assert search.model.data(search.model.index(0, 2)) == "王先生"
    search.phone.clear()
    search.name.insert("李")
    qtbot.mouseClick(search.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: search.model.rowCount() == 1 and search.model.data(search.model.index(0, 2)) == "李女士")
    qtbot.keyClicks(search.phone, "abc")
    qtbot.mouseClick(search.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: search.error.isVisible())
    assert "查电话" in search.error.text()


def test_customer_file_shows_the_timeline_and_records_a_follow_up_VIS1_REC9(qtbot, office, make_ctx):
    card = walk_in(office)
    consultant = office.consultants[0]
    tab = open_tab(qtbot, make_ctx(consultant))
    qtbot.waitUntil(lambda: tab.search.model.rowCount() == 1)
    tab.search.table.selectRow(0)
    qtbot.mouseClick(tab.search.open_button, Qt.MouseButton.LeftButton)
    dialog = tab.timeline
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2)  # the visit and the ownership decision
    assert "王先生" in dialog.header.text() and "138 1234 5678" in dialog.header.text()
    clock.advance(timedelta(minutes=1))
    dialog.content.insert("约周六看样板房")
    qtbot.mouseClick(dialog.findChild(type(tab.search.go), "timelineFollowUpButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3)
    assert "约周六看样板房" in dialog.table.item(0, 3).text()
    assert [r.customer_id for r in followups.due(office.manager, office.uow())] == []  # next one in 3 days
    hold_unit(office, card.customer_id, "3-1-1502", asked_by=consultant)  # confirmed free (VIS-8)
    clock.advance(timedelta(minutes=1))
    dialog.unit.insert("3-1-1502")
    dialog.amount.insert("50000")
    qtbot.mouseClick(dialog.findChild(type(tab.search.go), "dealButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 6)  # and the request and confirmation of the unit
    assert dialog.table.item(0, 1).text() == "认购"


def test_kiosk_never_shows_a_full_mobile_number_in_the_logs_VIS7(qtbot, office, make_ctx):
    card = walk_in(office)
    followups.record_call(office.receptionist, office.uow(), phone="13955556666", name="赵先生", channel="phone")
    ctx = UiContext(office.engine, kiosk=True)
    ctx.set_actor(office.manager)  # whoever signs in at the kiosk
    tab = open_tab(qtbot, ctx)
    qtbot.waitUntil(lambda: tab.search.model.rowCount() == 2)
    for page in range(tab.pages.count()):
        tab.pages.setCurrentIndex(page)
    tab.open_customer(card.customer_id)
    qtbot.waitUntil(lambda: tab.timeline.table.rowCount() == 2)
    shown = texts(tab) + model_texts(tab.search.model) + texts(tab.timeline)
    assert "138****5678" in shown and "139****6666" in shown
    assert "138****5678" in tab.timeline.header.text()
    assert not [t for t in shown if FULL_MOBILE.search(t)]
    assert tab.figures is None and tab._figures_index == -1  # no sales figures at the public kiosk
    ctx.tasks.wait()


def test_receptionist_sees_masked_phones_and_no_figures_VIS7(qtbot, office, make_ctx):
    walk_in(office)
    tab = open_tab(qtbot, make_ctx(office.receptionist))
    qtbot.waitUntil(lambda: tab.search.model.rowCount() == 1)
    assert tab.search.model.data(tab.search.model.index(0, 3)) == "138****5678"
    assert tab.pages.count() == 2


def test_the_day_pickers_stay_in_the_window_and_an_older_day_is_refused_in_words_VIS1(qtbot, office, make_ctx):
    tab = open_tab(qtbot, make_ctx(office.supervisor))
    search = tab.search
    qtbot.waitUntil(lambda: search.count.text().startswith("共"))
    today = clock.today()
    for edit in (search.since, search.until):  # no 0001-01-01 or 9999-12-31 can be picked or typed
        assert edit.minimumDate().toPython() == date(1990, 1, 1)
        assert edit.maximumDate().toPython() == today.replace(year=today.year + 10)
    search.dated.setChecked(True)
    search.since.setDate(QDate(1995, 6, 1))  # the office keeps from 2000 (a setting)
    qtbot.mouseClick(search.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: search.error.isVisible())
    assert "开始日期 1995-06-01 超出本案场可记录的日期范围（2000-01-01 至" in search.error.text()


def test_figures_show_traffic_and_the_funnel_as_charts_and_tables_VIS2_VIS3(qtbot, office, make_ctx):
    walk_in(office)
    ctx = make_ctx(office.manager)
    tab = open_tab(qtbot, ctx)
    tab.show_figures()
    page = tab.figures
    qtbot.waitUntil(lambda: page.traffic_chart.chart() is not None and page.funnel_chart.chart() is not None
                    and page.funnel_table.rowCount() == 1)
    assert page.traffic_table.rowCount() == 31  # 30 days and the total
    assert page.traffic_table.item(30, page.traffic_table.columnCount() - 2).text() == "1"  # visits in total
    assert page.funnel_table.item(0, 0).text() == office.consultants[0].name
    assert len(page.traffic_chart.chart().series()) == 2  # visits stacked by channel, and calls
    page.period.setCurrentIndex(page.period.findData("week"))
    qtbot.waitUntil(lambda: page.traffic_table.rowCount() < 10)


def test_the_window_adds_the_tab_after_reception_for_those_who_may_search_but_not_at_the_kiosk_VIS7(
        qtbot, office, make_ctx):
    window = MainWindow(make_ctx(office.manager), db_label="office.db")
    qtbot.addWidget(window)
    names = [window.tabs.widget(i).objectName() for i in range(window.tabs.count())]
    assert names[:2] == ["receptionTab", "visitorsTab"]
    kiosk = UiContext(office.engine, kiosk=True)
    kiosk.set_actor(replace(office.manager))  # even a manager, at the public front-desk screen
    window2 = MainWindow(kiosk, db_label="office.db")
    qtbot.addWidget(window2)
    at_kiosk = [window2.tabs.widget(i).objectName() for i in range(window2.tabs.count())]
    assert "visitorsTab" not in at_kiosk and at_kiosk[0] == "receptionTab"  # the showroom's checks are done there
    kiosk.tasks.wait()


def test_export_and_import_from_the_tab_VIS5_VIS6(qtbot, office, make_ctx, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    from app.services.visitors import visitor_logs

    walk_in(office)
    tab = open_tab(qtbot, make_ctx(office.manager))
    search = tab.search
    qtbot.waitUntil(lambda: search.model.rowCount() == 1)
    out = tmp_path / "register.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("市场部周报", True))
    qtbot.mouseClick(search.register.export, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: search.register.result_box is not None)
    exported = search.register.result_box
    assert exported.text() == f"已写入 1 行到 {out}" and "王先生" in out.read_text(encoding="utf-8-sig")
    exported.close()
    bad = tmp_path / "in.csv"
    bad.write_text(out.read_text(encoding="utf-8-sig") + "2026-11-20 10:00,来访,李女士,13912345678,2,路过,,,\n",
                   encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    qtbot.mouseClick(search.register.import_, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: search.register.mapping_dialog is not None)
    columns = search.register.mapping_dialog
    assert columns.ok.isEnabled()  # our own export's columns: every one recognized
    qtbot.mouseClick(columns.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: search.register.result_box is not exported)
    box = search.register.result_box
    assert "未导入" in box.text() and "第 2 行：已在登记表中" in box.informativeText()
    assert visitor_logs.count(office.manager, office.uow(), visitor_logs.LogQuery()) == 1
    box.close()


def test_only_the_manager_imports_and_the_desk_exports_nothing_VIS5_VIS6(qtbot, office, make_ctx):
    supervisor = open_tab(qtbot, make_ctx(office.supervisor))
    assert not supervisor.search.register.export.isHidden() and supervisor.search.register.import_.isHidden()
    desk = open_tab(qtbot, make_ctx(office.receptionist))
    assert desk.search.register.export.isHidden() and desk.search.register.import_.isHidden()


def test_a_page_asked_for_before_a_new_search_is_dropped_VIS1(qtmodeltester):
    asked = []
    model = PagedTableModel([("Name", lambda r: r)])
    model.reset([str(i) for i in range(100)], lambda offset, deliver: asked.append(deliver), 100)
    model.fetchMore(QModelIndex())
    assert not model.canFetchMore(QModelIndex())  # one page at a time
    model.reset(["new"], None, 100)
    asked[0]([f"late {i}" for i in range(100)])
    assert model.rowCount() == 1 and model.data(model.index(0, 0)) == "new"


def test_due_and_lapsing_page_lists_the_consultants_own_customers_REC9_VIS4(qtbot, office, make_ctx):
    walk_in(office, "13812345678", "王先生")
    clock.advance(timedelta(days=57))  # the follow-up is overdue; the registration lapses within 7 days
    consultant = office.consultants[0]
    tab = open_tab(qtbot, make_ctx(consultant))
    tab.pages.setCurrentIndex(1)
    page = tab.due
    qtbot.waitUntil(lambda: page.due.rowCount() == 1 and page.lapsing.rowCount() == 1)
    assert page.due.item(0, 1).text() == "王先生" and page.due.item(0, 4).text() == "已逾期"
    assert page.lapsing.item(0, 2).text() == "王先生" and int(page.lapsing.item(0, 1).text()) <= 7
    assert page.consultant.isHidden()  # a consultant sees their own
    page.lapsing.cellDoubleClicked.emit(0, 0)
    qtbot.waitUntil(lambda: tab.timeline.table.rowCount() == 2)

