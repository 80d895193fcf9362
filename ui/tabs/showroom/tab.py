"""The showroom upkeep tab (样板房管理): the day's board of every model apartment's checks and the night's rounds,
each with its state, refreshed as the clock moves on (an overdue check shows within a minute of its window
closing, SHW-3); the last 7 days at a glance beside it (week_view.py); the day's checklists printed for the floor
(SHW-8)."""
from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton, QTabWidget,
                               QVBoxLayout, QWidget)

from app import clock
from app.domain.showroom_day import STATE_LABEL, SlotState
from app.i18n import N_, _
from app.services.showroom import checks, items, sheets, templates
from app.services.showroom.checks import ApartmentDay, SlotView
from app.services.showroom.items import ItemRow
from ui.context import UiContext
from ui.tabs.showroom.handover_page import HandoverPage
from ui.tabs.showroom.incidents_page import Found, IncidentDialog, IncidentsPage
from ui.tabs.showroom.item_lists import ItemLists
from ui.tabs.showroom.release_slips_page import ReleaseSlipsPage
from ui.tabs.showroom.states import STATE_COLOUR
from ui.tabs.showroom.template_editor import TemplateEditor
from ui.tabs.showroom.week_view import WeekView
from ui.tabs.showroom.work_orders_page import RequestDialog, WorkOrdersPage
from ui.widgets.forms import ErrorLabel, date_edit, fill_table, list_table
from ui.widgets.lazy_pages import LazyPages

REFRESH_MS = 30_000  # the states follow the clock: overdue within a minute of a window closing


class ShowroomTab(QWidget):
    AREAS = {"showroom"}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("showroomTab")
        self._ctx = ctx
        self.days: list[ApartmentDay] = []
        self.day = date_edit(0, "showroomDay", self)
        self.today_button = QPushButton(_("Today"), self, objectName="showroomToday")
        self.print_button = QPushButton(_("Print the day's checklists…"), self, objectName="printChecklist")
        self.record_print_button = QPushButton(_("Print the day's record…"), self, objectName="printRecord")
        self.record_button = QPushButton(_("Record the chosen check…"), self, objectName="recordCheck")
        self.record_button.setMinimumHeight(44)  # the kiosk's finger
        self.summary = QLabel(self, objectName="showroomSummary")
        self.printed = QLabel(self, objectName="printedStatus")  # where the last sheet went; redraws keep it
        self.board = list_table((N_("Check"), N_("Due at")), "showroomBoard")
        self.error = ErrorLabel(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_("Day shown"), self))
        bar.addWidget(self.day)
        bar.addWidget(self.today_button)
        bar.addStretch()
        bar.addWidget(self.summary)
        bar.addWidget(self.record_button)
        bar.addWidget(self.print_button)
        bar.addWidget(self.record_print_button)
        board_page = QWidget(self, objectName="checksPage")
        layout = QVBoxLayout(board_page)
        layout.addLayout(bar)
        layout.addWidget(self.board, 1)
        layout.addWidget(self.printed)
        layout.addWidget(self.error)
        self.pages = QTabWidget(self, objectName="showroomPages")
        self.pages.addTab(board_page, _("The day's checks"))
        self.week = WeekView(ctx, self)
        self.pages.addTab(self.week, _("The last 7 days"))
        self.week.day_chosen.connect(self._open_day)
        # The records' pages are made when first looked at: each reads the database when made.
        lazy = LazyPages(self.pages, self)
        for label, page in ((N_("Incidents"), IncidentsPage), (N_("Work orders"), WorkOrdersPage),
                            (N_("Release slips"), ReleaseSlipsPage), (N_("Handover"), HandoverPage),
                            (N_("Item lists"), ItemLists), (N_("Check points"), TemplateEditor)):
            lazy.add(_(label), partial(_made, page))
        QVBoxLayout(self).addWidget(self.pages)
        self.day.dateChanged.connect(self.reload)
        self.today_button.clicked.connect(self._today)
        self.print_button.clicked.connect(lambda: self._print(filled=False))
        self.record_print_button.clicked.connect(lambda: self._print(filled=True))
        self.record_button.clicked.connect(self.record_chosen)
        self.board.cellDoubleClicked.connect(lambda _row, _column: self.record_chosen())
        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self.reload)
        self._timer.start()
        ctx.on_change(self, self.AREAS, self.reload)
        self.reload()

    def chosen_day(self) -> date:
        return self.day.date().toPython()

    def reload(self) -> None:
        day = self.chosen_day()
        self._ctx.run_op(self, lambda a, uow: checks.day_view(a, uow, day=day), on_done=self._show,
                         on_error=lambda e: self.error.show_message(str(e)))
        self.week.reload()

    def _show(self, days: list[ApartmentDay]) -> None:
        self.days = days
        self.error.show_message("" if days else _("No model apartments yet."))
        headers = [_("Check"), _("Due at")] + [d.apartment.name for d in days]
        self.board.setColumnCount(len(headers))
        self.board.setHorizontalHeaderLabels(headers)
        slots = days[0].slots if days else []
        rows = [[s.slot.title, clock.local(s.slot.due).strftime("%H:%M")] + [_cell(d.slots[i]) for d in days]
                for i, s in enumerate(slots)]
        fill_table(self.board, rows)
        header = self.board.horizontalHeader()
        for column in range(2, len(headers)):  # the apartments share the width
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        for r, _slot in enumerate(slots):
            for c, day in enumerate(days, start=2):
                colour = STATE_COLOUR[day.slots[r].state]
                if colour is not None:
                    self.board.item(r, c).setForeground(colour)
        states = [s.state for d in days for s in d.slots]
        self.summary.setText(_("Done %(done)d · late %(late)d · overdue %(overdue)d · missed %(missed)d")
                             % {"done": states.count(SlotState.DONE), "late": states.count(SlotState.LATE),
                                "overdue": states.count(SlotState.OVERDUE), "missed": states.count(SlotState.MISSED)})

    def chosen(self) -> tuple[ApartmentDay, SlotView] | None:
        """The apartment and check of the board's current cell (a cell of an apartment's column)."""
        row, column = self.board.currentRow(), self.board.currentColumn()
        if 0 <= row and 2 <= column < 2 + len(self.days) and row < len(self.days[column - 2].slots):
            day = self.days[column - 2]
            return day, day.slots[row]
        self.error.show_message(_("Touch the check to record in an apartment's column first."))
        return None

    def record_chosen(self) -> None:
        chosen = self.chosen()
        if chosen is None:
            return
        flat, slot = chosen
        if slot.check_id is not None:
            self.error.show_message(_("This check was already recorded by %(who)s at %(at)s.")
                                    % {"who": slot.done_by, "at": clock.local(slot.done_at).strftime("%H:%M")})
            return
        self.error.show_message("")

        def load(_actor, uow):  # type: ignore[no-untyped-def]
            template = templates.current(uow)[slot.slot.kind]
            listed = items.item_list(uow, apartment_id=flat.apartment.id) if template.count_items else []
            return template.points, listed

        self._ctx.run_op(self, load, on_done=lambda found: self._open_check(flat, slot, *found),
                         on_error=lambda e: self.error.show_message(str(e)))

    def _open_check(self, flat: ApartmentDay, slot: SlotView, points: tuple[str, ...], listed: list[ItemRow]) -> None:
        from ui.tabs.showroom.check_form import CheckDialog  # only where a check is recorded

        dialog = CheckDialog(self._ctx, apartment_id=flat.apartment.id, apartment=flat.apartment.name, day=flat.day,
                             slot=slot, title=slot.slot.title, points=points, items=listed, parent=self)
        dialog.exec()
        if dialog.found is not None:
            self._follow_up(flat.apartment.id, dialog.found, dialog.problems())

    def _follow_up(self, apartment_id: int, done: checks.CheckDone, problems: list[str]) -> None:
        """What the check found, in one step from it (SHW-4, SHW-5): an incident for each item short, filled in;
        a work order for a problem point when the docent says so."""
        for item_id, short in done.short.items():
            IncidentDialog(self._ctx, self, Found(apartment_id, done.id, item_id, short)).exec()
        for problem in problems:
            asked = QMessageBox.question(self, _("A problem found"),
                                         _("Ask for a work order for “%s”?") % problem)
            if asked == QMessageBox.StandardButton.Yes:
                RequestDialog(self._ctx, self, apartment_id=apartment_id, what=problem, check_id=done.id).exec()

    def _open_day(self, day: date) -> None:
        self.day.setDate(day)
        self.pages.setCurrentIndex(0)  # the day's board

    def _today(self) -> None:
        self.day.setDate(clock.today())

    def _print(self, *, filled: bool) -> None:
        """The day's blank checklists for the floor, or (`filled`) the completed record for the files (SHW-8)."""
        day = self.chosen_day()
        name = f"样板房检查记录-{day.isoformat()}.pdf" if filled else f"样板房检查表-{day.isoformat()}.pdf"
        title = _("Print the day's record") if filled else _("Print the day's checklists")
        path, _filter = QFileDialog.getSaveFileName(self, title, name, "PDF (*.pdf)")
        if not path:
            return
        self.error.show_message("")
        self.printed.clear()
        self._ctx.run_op(self, lambda a, uow: sheets.print_checklist(a, uow, day=day, out=path, overwrite=True,
                                                                     filled=filled),
                         on_done=lambda written: self.printed.setText(_("The checklist is in %s.") % written),
                         on_error=lambda e: self.error.show_message(str(e)))


def _made(page: type[QWidget], tab: ShowroomTab) -> QWidget:
    return page(tab._ctx, tab)  # type: ignore[call-arg]


def _cell(slot: SlotView) -> str:
    """What the board says of one apartment's check: its state, and who did it when, how late, what was found."""
    text = _(STATE_LABEL[slot.state])
    if slot.done_at is not None:
        text += f" {clock.local(slot.done_at).strftime('%H:%M')} {slot.done_by}"
    if slot.late_by:
        text += " " + _("(%d min late)") % (slot.late_by.total_seconds() // 60)
    if slot.problems:
        text += " " + _("%d problems") % slot.problems
    return text
