"""The visitor logs tab as it is made quickly: the consultants read on the worker, the columns fitted by font
metrics to the same widths Qt's own measure gives (VIS-1), and a dropped tab freed at once."""
from __future__ import annotations

import gc

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from tests.ui.visitors.test_visitors_tab import open_tab, walk_in
from ui.tabs.visitors.tab import VisitorsTab
from ui.widgets.paged_table import PagedTableModel, fit_columns


def test_search_by_a_consultant_picked_from_the_list_VIS1(qtbot, office, make_ctx):
    walk_in(office, "13812345678", "王先生")  # both to the first consultant, the only one signed in
    walk_in(office, "13912349999", "李女士")
    tab = open_tab(qtbot, make_ctx(office.manager))
    search = tab.search
    first, second = office.consultants[:2]
    # the consultants arrive from the worker after the first page, below "All consultants"
    qtbot.waitUntil(lambda: search.consultant.findData(second.id) > 0)
    assert search.consultant.itemText(0) == "全部顾问" and search.consultant.itemData(0) is None
    assert search.consultant.currentIndex() == 0
    assert search.consultant.itemText(search.consultant.findData(first.id)) == first.name
    search.consultant.setCurrentIndex(search.consultant.findData(second.id))
    qtbot.mouseClick(search.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: search.count.text() == "共 0 条")
    search.consultant.setCurrentIndex(search.consultant.findData(first.id))
    qtbot.mouseClick(search.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: search.count.text() == "共 2 条")
    assert {search.model.data(search.model.index(r, 7)) for r in range(2)} == {first.name}


def test_columns_are_as_wide_as_qt_would_make_them_for_the_rows_in_sight_VIS1(qtbot, make_ctx, office):
    make_ctx(office.manager)  # the application's font and style sheet
    rows = [("2026-11-23 10:15", "来访", "欧阳娜娜", "Friend's referral"), ("2026-11-23 09:00", "来电", "王", "路过"),
            *[("x", "y", "z", "w")] * 30]
    widths = []
    for fit in (lambda view, model: fit_columns(view, model, 2), lambda view, model: view.resizeColumnsToContents()):
        model = PagedTableModel([(f"Column {c}", lambda r, c=c: r[c]) for c in range(4)])
        view = QTableView()
        qtbot.addWidget(view)
        view.setModel(model)
        view.horizontalHeader().setResizeContentsPrecision(2)
        view.resize(900, 400)
        view.show()
        model.reset(rows, None, 100)
        fit(view, model)
        widths.append([view.columnWidth(c) for c in range(4)])
    assert widths[0] == widths[1]
    metrics = view.fontMetrics()
    assert widths[0][2] > metrics.horizontalAdvance("欧阳娜娜") and widths[0][1] >= metrics.horizontalAdvance("Column 1")


def test_a_dropped_tab_is_freed_at_once_not_by_the_garbage_collector(qtbot, office, make_ctx):
    """The cyclic collector may run on the worker thread, where deleting widgets crashes the program."""
    ctx = make_ctx(office.manager)
    tab = VisitorsTab(ctx)
    freed = []
    tab.destroyed.connect(lambda: freed.append(True))
    qtbot.waitUntil(lambda: tab.search.consultant.count() > 1)  # everything it asked the worker has arrived
    gc.disable()
    try:
        del tab
        assert freed
    finally:
        gc.enable()
