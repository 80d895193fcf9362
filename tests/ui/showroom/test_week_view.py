"""The showroom tab's last 7 days (SHW-3, SHW-9): each apartment's days in words, a missed night round there the next
morning, and a day opened on the day's board from the grid."""
from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from app import clock
from app.services.showroom import checks, templates
from app.services.showroom.checks import Answer
from tests.conftest import TEN_AM
from tests.ui.showroom.test_showroom_tab import cell, furnish
from ui.tabs.showroom.tab import ShowroomTab


def test_the_week_shows_last_night_s_missed_round_and_opens_that_day_on_the_board_SHW3_SHW9(qtbot, office, make_ctx):
    flat = furnish(office)
    yesterday = clock.today() - timedelta(days=1)
    points = [Answer(p, "ok") for p in templates.current(office.uow())["patrol"].points]
    rounds = [s for s in checks.slots_of(office.uow(), yesterday) if s.kind == "patrol"]
    for slot in rounds:
        if slot.number != 6:  # 23:30: the watchman never came
            clock.freeze(slot.due + timedelta(minutes=5))
            checks.record(office.supervisor, office.uow(), apartment_id=flat, day=yesterday, slot=slot.key,
                          answers=points, strokes=[[(0.1, 0.1), (0.4, 0.5)]])
    clock.freeze(TEN_AM)
    tab = ShowroomTab(make_ctx(office.supervisor))
    qtbot.addWidget(tab)
    tab.resize(1366, 690)
    tab.show()
    tab.pages.setCurrentWidget(tab.week)
    grid = tab.week.grid
    qtbot.waitUntil(lambda: grid.rowCount() == 7 and grid.item(5, 0) is not None)
    assert grid.verticalHeaderItem(6).text() == "今天"
    day, night = grid.item(5, 0).text().split("\n")
    assert (day, night) == ("0/6 · 漏检 6", "夜巡 13/14 · 漏检 1")
    # Today at 10:00: the opening count overdue, the rest to come, not missed.
    assert grid.item(6, 0).text() == "0/6 · 逾期 1 · 待做 5\n夜巡 0/14 · 待做 14"
    where = grid.visualItemRect(grid.item(5, 0)).center()
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=where)  # a double-click is a second press
    qtbot.mouseDClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert tab.pages.currentIndex() == 0 and tab.chosen_day() == yesterday
    qtbot.waitUntil(lambda: tab.board.rowCount() == 20 and cell(tab, 0, 2) == "漏检")
    assert cell(tab, 6 + 5, 2) == "漏检" and cell(tab, 6, 2).startswith("已完成 18:35")  # rounds 6 and 1
