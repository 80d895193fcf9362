"""The manager's unit control page (销控, VIS-8): requests to hold a unit, confirmed or declined, and the held
units, released when a customer withdraws."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.i18n import N_, _
from app.services.visitors import unit_control
from app.services.visitors.unit_control import HoldRow
from ui.context import UiContext
from ui.widgets.forms import ErrorLabel, FieldErrors, fill_table, list_table, local_datetime

TAKEN = QColor("#b42318")


class UnitControlPage(QWidget):
    """Signals:
        customer_opened(int): a row was double-clicked.
    """

    customer_opened = Signal(int)
    AREAS = {"units", "deals"}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unitControlPage")
        self._ctx = ctx
        self.request_rows: list[HoldRow] = []
        self.held_rows: list[HoldRow] = []
        self.requests = list_table((N_("Unit"), N_("Customer"), N_("Asked by"), N_("Asked at"), N_("Note"),
                                    N_("The unit now")), "unitRequests")
        self.held = list_table((N_("Unit"), N_("Customer"), N_("Asked by"), N_("Confirmed at"), N_("Note")),
                               "heldUnits")
        self.reason = QLineEdit(objectName="unitReason", maxLength=unit_control.MAX_REASON,
                                placeholderText=_("Reason, to decline a request or release a unit"))
        self.confirm = QPushButton(_("Confirm it is free and hold it"), objectName="confirmHoldButton")
        self.decline = QPushButton(_("Decline"), objectName="declineHoldButton")
        self.release = QPushButton(_("Release the unit"), objectName="releaseHoldButton")
        self.error = ErrorLabel(self)
        self.errors = FieldErrors(self.error, {"reason": self.reason})

        asked = QGroupBox(_("Requests waiting for you"))
        asked_layout = QVBoxLayout(asked)
        asked_layout.addWidget(self.requests)
        asked_buttons = QHBoxLayout()
        asked_buttons.addWidget(self.confirm)
        asked_buttons.addWidget(self.decline)
        asked_buttons.addStretch()
        asked_layout.addLayout(asked_buttons)
        held = QGroupBox(_("Units held (reserved or sold)"))
        held_layout = QVBoxLayout(held)
        held_layout.addWidget(self.held)
        held_buttons = QHBoxLayout()
        held_buttons.addWidget(self.release)
        held_buttons.addStretch()
        held_layout.addLayout(held_buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(asked, 1)
        layout.addWidget(held, 1)
        layout.addWidget(self.reason)
        layout.addWidget(self.error)

        self.confirm.clicked.connect(lambda: self._decide(self.requests, self.request_rows, lambda a, uow, h, _r:
                                                          unit_control.confirm_hold(a, uow, hold_id=h)))
        self.decline.clicked.connect(lambda: self._decide(self.requests, self.request_rows, lambda a, uow, h, r:
                                                          unit_control.decline_hold(a, uow, hold_id=h, reason=r)))
        self.release.clicked.connect(lambda: self._decide(self.held, self.held_rows, lambda a, uow, h, r:
                                                          unit_control.release_hold(a, uow, hold_id=h, reason=r)))
        self.requests.cellDoubleClicked.connect(
            lambda r, _c: self.customer_opened.emit(self.request_rows[r].customer_id))
        self.held.cellDoubleClicked.connect(lambda r, _c: self.customer_opened.emit(self.held_rows[r].customer_id))
        ctx.on_change(self, self.AREAS, self.reload)
        self.reload()

    def reload(self) -> None:
        show_error = lambda e: self.error.show_message(str(e))  # noqa: E731
        self._ctx.run_op(self, unit_control.requests, on_done=self._show_requests, on_error=show_error)
        self._ctx.run_op(self, unit_control.held, on_done=self._show_held, on_error=show_error)

    def _show_requests(self, rows: list[HoldRow]) -> None:
        self.request_rows = rows
        fill_table(self.requests, [[r.unit, r.customer, r.requested_by, local_datetime(r.requested_at), r.note,
                                    r.unit_state or _("Free to sell")] for r in rows],
                   [TAKEN if r.unit_state else None for r in rows])

    def _show_held(self, rows: list[HoldRow]) -> None:
        self.held_rows = rows
        fill_table(self.held, [[r.unit, r.customer, r.requested_by, local_datetime(r.decided_at), r.note]
                               for r in rows])

    def _decide(self, table, rows: list[HoldRow], op: Callable) -> None:  # type: ignore[no-untyped-def,type-arg]
        self.errors.clear()
        row = table.currentRow()
        if not 0 <= row < len(rows):
            self.error.show_message(_("Choose a row first."))
            return
        hold_id, reason = rows[row].id, self.reason.text()
        self._ctx.run_op(self, lambda a, uow: op(a, uow, hold_id, reason), on_done=self._decided,
                         on_error=self._failed)

    def _decided(self, _row: HoldRow) -> None:
        self.reason.clear()  # the lists reload on the change news

    def _failed(self, error) -> None:  # type: ignore[no-untyped-def]
        self.errors.show(error)
        self.reload()  # a request decided at another station: show the list as it is now
