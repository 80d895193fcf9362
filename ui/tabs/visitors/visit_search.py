"""Search the visits and calls (VIS-1): the search bar, the number found at once, a list paged as one scrolls."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QTableView, QVBoxLayout, QWidget)

from app import clock
from app.domain.channels import CHANNELS
from app.i18n import N_, _
from app.permissions import Perm
from app.services.visitors import visitor_logs
from app.services.visitors.visitor_logs import LogPage, LogQuery, LogRow
from ui.context import UiContext
from ui.widgets.forms import ErrorLabel, FieldErrors, add_consultants, date_edit
from ui.widgets.paged_table import PagedTableModel, fit_columns
from ui.tabs.visitors.register_buttons import RegisterButtons

KIND_LABEL = {"visit": N_("Walk-in"), "call": N_("Phone call")}
# Columns fit the rows in sight (and a few more), not the whole page: measuring every row's text again on each
# search took longer than the search itself. The 16 rows a 1366×768 screen shows, and a few more.
FITTED_ROWS = 20


def _minute(row: LogRow) -> str:
    """"2026-11-23 10:15" in the office's time, as local_datetime, at half strftime's cost (rows as they show)."""
    return clock.local(row.at).isoformat(" ", "minutes")[:16]


COLUMNS = (
    (N_("Time"), _minute),
    (N_("Type"), lambda r: _(KIND_LABEL[r.kind])),
    (N_("Name"), lambda r: r.name),
    (N_("Phone"), lambda r: r.phone),
    (N_("People"), lambda r: "" if r.party_size is None else str(r.party_size)),
    (N_("Heard of us by"), lambda r: _(CHANNELS.get(r.channel, r.channel))),
    (N_("First or return"), lambda r: "" if r.is_return is None else _("Return visit") if r.is_return
     else _("First visit")),
    (N_("Consultant"), lambda r: r.consultant),
    (N_("Intent"), lambda r: r.intent),
)


def _combo(parent: QWidget, name: str, items: list[tuple[str, object]]) -> QComboBox:
    box = QComboBox(parent, objectName=name)
    for label, data in items:
        box.addItem(label, data)
    return box


class VisitSearch(QWidget):
    """Signals:
        customer_opened(int): the person asked for a customer's file.
    """

    customer_opened = Signal(int)
    AREAS = {"visits", "calls"}  # a follow-up or a deal does not change the list: no need to lose the place

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visitSearch")
        self._ctx = ctx
        # Every widget is made inside this page: moving a made widget in restyles it (the application's style sheet)
        masked = ctx.actor is not None and not ctx.actor.can(Perm.VIEW_CUSTOMERS)  # no search by first digits
        self.phone = QLineEdit(self, objectName="searchPhone", maxLength=20,
                               placeholderText=_("Phone: whole or last 4") if masked
                               else _("Phone: whole, first digits or last 4"))
        self.name = QLineEdit(self, objectName="searchName", maxLength=40, placeholderText=_("Name begins with"))
        self.consultant = _combo(self, "searchConsultant", [(_("All consultants"), None)])  # the rest: _consultants
        self.channel = _combo(self, "searchChannel", [(_("All channels"), None),
                                                      *[(_(label), code) for code, label in CHANNELS.items()]])
        self.kind = _combo(self, "searchKind", [(_("Visits and calls"), None), (_("Visits"), "visit"),
                                                (_("Calls"), "call")])
        self.first_return = _combo(self, "searchReturn", [(_("First and return"), None), (_("First visits"), False),
                                                          (_("Return visits"), True)])
        self.dated = QCheckBox(_("From"), self, objectName="searchDated")
        self.since = date_edit(30, "searchSince", self)
        self.until = date_edit(0, "searchUntil", self)
        self.sort = _combo(self, "searchSort", [(_("Newest first"), "time"), (_("By name"), "name"),
                                                (_("By consultant"), "consultant")])
        self.go = QPushButton(_("Search"), self, objectName="searchButton")
        self.clear_button = QPushButton(_("Clear"), self, objectName="clearSearchButton")
        self.count = QLabel(self, objectName="searchCount")
        self.model = PagedTableModel(COLUMNS, self)
        self.table = QTableView(self, objectName="visitLogTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.open_button = QPushButton(_("Open customer…"), self, objectName="openCustomerButton")
        self.register = RegisterButtons(ctx, self, self.query)
        self.error = ErrorLabel(self)
        self.errors = FieldErrors(self.error, {"phone": self.phone, "since": self.since})
        self._layout()
        for edit in (self.phone, self.name):
            edit.returnPressed.connect(self.search)
        self.go.clicked.connect(self.search)
        self.clear_button.clicked.connect(self.clear)
        self.sort.currentIndexChanged.connect(lambda _i: self.search())
        self.dated.toggled.connect(self._dates_enabled)
        self.table.doubleClicked.connect(lambda _index: self._open())
        self.open_button.clicked.connect(self._open)
        ctx.on_change(self, self.AREAS, self.search)
        self._dates_enabled(False)
        self.search()
        add_consultants(ctx, self.consultant)  # after the first page is asked for

    def _layout(self) -> None:
        first = QHBoxLayout()
        for w, stretch in ((self.phone, 2), (self.name, 2), (self.consultant, 1), (self.channel, 1), (self.kind, 1),
                           (self.first_return, 1)):
            first.addWidget(w, stretch)
        second = QHBoxLayout()
        for w in (self.dated, self.since, QLabel(_("to"), self), self.until, self.sort):
            second.addWidget(w)
        second.addStretch()
        second.addWidget(self.count)
        second.addWidget(self.clear_button)
        second.addWidget(self.go)
        bottom = QHBoxLayout()
        bottom.addWidget(self.error, 1)
        bottom.addStretch()
        bottom.addWidget(self.register.import_)
        bottom.addWidget(self.register.export)
        bottom.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    def _dates_enabled(self, on: bool) -> None:
        self.since.setEnabled(on)
        self.until.setEnabled(on)

    def query(self) -> LogQuery:
        dated = self.dated.isChecked()
        return LogQuery(phone=self.phone.text(), name=self.name.text(), consultant_id=self.consultant.currentData(),
                        channel=self.channel.currentData(), kind=self.kind.currentData(),
                        is_return=self.first_return.currentData(),
                        since=self.since.date().toPython() if dated else None,
                        until=self.until.date().toPython() if dated else None, sort=self.sort.currentData())

    def search(self) -> None:
        """The first page first, then the number found (a bounded count) right after it."""
        self.errors.clear()
        query = self.query()
        self.count.setText(_("Searching…"))
        self._ctx.run_op(self, lambda a, uow: visitor_logs.search(a, uow, query),
                         on_done=lambda page: self._show(query, page), on_error=self._failed)
        self._ctx.run_op(self, lambda a, uow: visitor_logs.count(a, uow, query),
                         on_done=lambda n: self.count.setText(_("%s found") % visitor_logs.count_label(n)),
                         on_error=lambda _e: None)  # the search's own error is already shown

    def _failed(self, error) -> None:  # type: ignore[no-untyped-def]
        self.count.setText("")
        self.errors.show(error)

    def _show(self, query: LogQuery, page: LogPage) -> None:
        def more(offset: int, deliver: Callable[[list[LogRow]], None]) -> None:
            self._ctx.run_op(self, lambda a, uow: visitor_logs.search(a, uow, query, offset=offset),
                             on_done=lambda next_page: deliver(next_page.rows), on_error=self._failed)

        self.model.reset(page.rows, more, visitor_logs.PAGE)
        fit_columns(self.table, self.model, FITTED_ROWS)

    def clear(self) -> None:
        self.phone.clear()
        self.name.clear()
        self.sort.blockSignals(True)
        for box in (self.consultant, self.channel, self.kind, self.first_return, self.sort):
            box.setCurrentIndex(0)
        self.sort.blockSignals(False)
        self.dated.setChecked(False)
        self.search()

    def _open(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            self.error.show_message(_("Pick a visit or call in the list first."))
            return
        self.customer_opened.emit(self.model.row(index.row()).customer_id)
