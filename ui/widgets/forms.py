"""Form helpers: show a domain error next to its field, and a banner for the rest."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QDate
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QLabel, QLayout,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from app import clock
from app.config import BY_KEY
from app.domain import dates
from app.errors import DomainError
from app.i18n import _
from app.permissions import Role
from app.services import accounts

# The files an import reads (app.files.table_file), for a file chooser.
TABLE_FILES = "CSV / Excel / WPS / LibreOffice (*.csv *.xlsx *.xls *.ods)"


class ErrorLabel(QLabel):
    """A red sentence under a form; empty and hidden when all is well."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorLabel")
        self.setWordWrap(True)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


class FieldErrors:
    """Marks the widget a DomainError names (by its `field`) and shows the message."""

    def __init__(self, label: ErrorLabel, fields: dict[str, QWidget]) -> None:
        self._label, self._fields = label, fields

    def show(self, error: DomainError) -> None:
        self.clear()
        widget = self._fields.get(error.field or "")
        if widget is not None:
            widget.setProperty("invalid", True)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
            widget.setFocus()
        self._label.show_message(str(error))

    def clear(self) -> None:
        for widget in self._fields.values():
            if widget.property("invalid"):
                widget.setProperty("invalid", False)
                widget.style().unpolish(widget)
                widget.style().polish(widget)
        self._label.show_message("")


def local_time(dt) -> str:  # type: ignore[no-untyped-def]
    """A stored UTC time as the office reads it."""
    from app import clock

    return clock.local(dt).strftime("%H:%M") if dt else ""


def local_datetime(dt) -> str:  # type: ignore[no-untyped-def]
    from app import clock

    return clock.local(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


def date_edit(days_ago: int, name: str, parent: QWidget | None = None) -> QDateEdit:
    """A day picker set `days_ago` before today, yyyy-MM-dd with a calendar, that cannot go outside the widest window
    of dates an office may keep (the service checks the office's own, app/domain/dates.py)."""
    today = clock.today()
    first, last = dates.record_window(today, int(BY_KEY["earliest_year"].minimum))
    edit = QDateEdit(QDate(today).addDays(-days_ago), parent, objectName=name, calendarPopup=True,
                     displayFormat="yyyy-MM-dd")
    edit.setDateRange(QDate(first), QDate(last))
    return edit


def list_table(columns: tuple[str, ...], name: str) -> QTableWidget:
    """A read-only list: whole rows selected one at a time, headers translated, last column stretched."""
    table = QTableWidget(0, len(columns), objectName=name)
    table.setHorizontalHeaderLabels([_(c) for c in columns])
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: list[list[str]], colour: list[QColor | None] | None = None) -> None:
    """Show rows of texts; `colour` gives each row's text colour (None for the default)."""
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            if colour and colour[r] is not None:
                item.setForeground(colour[r])
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


def dialog_layout(dialog: QDialog, form: QLayout, error: ErrorLabel, on_ok: Callable[[], None],
                  buttons: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Save
                  | QDialogButtonBox.StandardButton.Cancel) -> QVBoxLayout:
    """A form, its error line and OK/Cancel buttons; OK runs `on_ok`, which accepts when the save worked."""
    box = QDialogButtonBox(buttons)
    box.accepted.connect(on_ok)
    box.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(error)
    layout.addWidget(box)
    return layout


def add_consultants(ctx, combo: QComboBox) -> None:  # type: ignore[no-untyped-def]
    """Add the office's consultants to `combo`, after the items it has: read on the worker, so a panel being
    made never waits on the database (a shared server over the network may be slow or gone)."""

    def add(staff: list[accounts.StaffRow]) -> None:
        for member in staff:
            combo.addItem(member.name, member.id)

    ctx.run_op(combo, lambda _a, uow: accounts.list_staff(uow, role=Role.CONSULTANT), on_done=add)
