"""The last 7 days at a glance (SHW-3, SHW-9): a grid of the days by model apartment (in columns, as on the day's
board), each cell saying in words how that day's checks and the rounds of the night that began that evening stand;
a double-click opens the day on the day's board."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from app import clock
from app.domain.showroom_day import SlotState, Tally
from app.i18n import N_, _
from app.services.showroom import checks
from app.services.showroom.checks import ApartmentWeek, DayTally
from ui.context import UiContext
from ui.tabs.showroom.states import STATE_COLOUR
from ui.widgets.forms import ErrorLabel

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


class WeekView(QWidget):
    """Every apartment's last 7 days, read on the worker with the day's board. Signals: day_chosen(date), a cell
    double-clicked (or tapped twice at the kiosk)."""

    day_chosen = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("showroomWeek")
        self._ctx = ctx
        self.weeks: list[ApartmentWeek] = []
        self.grid = QTableWidget(checks.WEEK, 0, self, objectName="showroomWeekGrid")
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)  # the apartments share it
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)  # 7 days: big enough to tap
        self.grid.setWordWrap(False)  # two lines of their own; a narrow column elides, the tooltip has the whole
        legend = QLabel(_("Each day: first the day's checks done of those due, then the patrol rounds of the night "
                          "that begins that evening; how many were late, overdue or missed, how many are still to "
                          "come, and the problems noted. Double-click a day to open it on the day's board."), self)
        legend.setWordWrap(True)
        self.error = ErrorLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid, 1)
        layout.addWidget(legend)
        layout.addWidget(self.error)
        self.grid.cellDoubleClicked.connect(self._open)

    def reload(self) -> None:
        today = clock.today()
        self._ctx.run_op(self, lambda a, uow: checks.week_view(a, uow, last_day=today), on_done=self.show_weeks,
                         on_error=lambda e: self.error.show_message(str(e)))

    def show_weeks(self, weeks: list[ApartmentWeek]) -> None:
        self.weeks = weeks
        self.error.show_message("")
        days = [t.day for t in weeks[0].days] if weeks else []
        self.grid.setRowCount(len(days))
        self.grid.setColumnCount(len(weeks))
        today = clock.today()
        self.grid.setVerticalHeaderLabels([_("Today") if d == today else f"{d:%m-%d} {_(WEEKDAYS[d.weekday()])}"
                                           for d in days])
        self.grid.setHorizontalHeaderLabels([w.apartment.name for w in weeks])
        for c, week in enumerate(weeks):
            for r, tally in enumerate(week.days):
                text = cell_text(tally)
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
                colour = STATE_COLOUR[_worst(tally)]
                if colour is not None:
                    item.setForeground(colour)
                self.grid.setItem(r, c, item)

    def _open(self, row: int, column: int) -> None:
        if column < len(self.weeks):
            self.day_chosen.emit(self.weeks[column].days[row].day)


def cell_text(tally: DayTally) -> str:
    """The day's checks on one line and the night's rounds on the next: "6/6 on time", "5/6 · late 1"."""
    return _line(tally.checks) + "\n" + _("Night %s") % _line(tally.rounds)


def _line(t: Tally) -> str:
    if t.done == t.slots:
        parts = [_("%(done)d/%(slots)d on time") % {"done": t.done, "slots": t.slots}]
    else:
        parts = [f"{t.done + t.late}/{t.slots}"]
        for count, label in ((t.late, N_("late %d")), (t.overdue, N_("overdue %d")), (t.missed, N_("missed %d")),
                             (t.to_come, N_("to come %d"))):
            if count:
                parts.append(_(label) % count)
    if t.problems:
        parts.append(_("problems %d") % t.problems)
    return " · ".join(parts)


def _worst(tally: DayTally) -> SlotState:
    """The state whose colour the cell takes: the worst there is; in time only once every slot is done."""
    both = (tally.checks, tally.rounds)
    for state, field in ((SlotState.MISSED, "missed"), (SlotState.OVERDUE, "overdue"), (SlotState.LATE, "late")):
        if any(getattr(t, field) for t in both):
            return state
    return SlotState.DONE if all(t.done == t.slots for t in both) else SlotState.UPCOMING
