"""Staff accounts for the manager: add people with their role and PIN, reset a PIN, switch an account off."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.i18n import N_, _
from app.permissions import ROLE_LABEL, Role
from app.services import accounts
from app.services.accounts import StaffRow
from ui.context import UiContext
from ui.widgets.forms import ErrorLabel, FieldErrors, fill_table, list_table


class StaffDialog(QDialog):
    COLUMNS = (N_("Name"), N_("Role"), N_("Status"))

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staffDialog")
        self.setWindowTitle(_("Staff accounts"))
        self._ctx = ctx
        self.rows: list[StaffRow] = []
        self.table = list_table(self.COLUMNS, "staffTable")
        self.name = QLineEdit(objectName="nameField", maxLength=40)
        self.role = QComboBox(objectName="roleField")
        for role in Role:
            self.role.addItem(_(ROLE_LABEL[role]), role)
        self.pin = QLineEdit(objectName="pinField", maxLength=8, echoMode=QLineEdit.EchoMode.Password,
                             placeholderText=_("4 to 8 digits"))
        self.add_button = QPushButton(_("Add"), objectName="addStaffButton")
        self.reset_button = QPushButton(_("Set this PIN for the selected"), objectName="resetPinButton")
        self.toggle_button = QPushButton(_("Switch off / on"), objectName="toggleStaffButton")
        self.error = ErrorLabel(self)
        self.errors = FieldErrors(self.error, {"name": self.name, "pin": self.pin})
        form = QFormLayout()
        form.addRow(_("Name"), self.name)
        form.addRow(_("Role"), self.role)
        form.addRow(_("PIN"), self.pin)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.reset_button, self.toggle_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        self.add_button.clicked.connect(self._add)
        self.reset_button.clicked.connect(self._reset_pin)
        self.toggle_button.clicked.connect(self._toggle)
        self.resize(620, 560)
        self.reload()

    def reload(self) -> None:
        self._ctx.run_op(self, lambda _actor, uow: accounts.list_staff(uow, include_inactive=True),
                         on_done=self._show, on_error=self.errors.show)

    def _show(self, rows: list[StaffRow]) -> None:
        self.rows = rows
        fill_table(self.table, [[row.name, _(ROLE_LABEL[row.role]), _("Active") if row.active else _("Switched off")]
                                for row in rows])

    def _selected(self) -> StaffRow | None:
        r = self.table.currentRow()
        if 0 <= r < len(self.rows):
            return self.rows[r]
        self.error.show_message(_("Pick a staff member in the list first."))
        return None

    def _done(self, _result: object) -> None:
        self.pin.clear()
        self.errors.clear()
        self.reload()

    def _add(self) -> None:
        self.errors.clear()
        name, role, pin = self.name.text(), self.role.currentData(), self.pin.text()
        self._ctx.run_op(self, lambda a, uow: accounts.create_staff(a, uow, name=name, role=role, pin=pin),
                         on_done=lambda r: (self.name.clear(), self._done(r)), on_error=self.errors.show)

    def _reset_pin(self) -> None:
        row = self._selected()
        if row is not None:
            pin = self.pin.text()
            self._ctx.run_op(self, lambda a, uow: accounts.change_pin(a, uow, staff_id=row.id, new_pin=pin),
                             on_done=self._done, on_error=self.errors.show)

    def _toggle(self) -> None:
        row = self._selected()
        if row is not None:
            self._ctx.run_op(self, lambda a, uow: accounts.set_active(a, uow, staff_id=row.id, active=not row.active),
                             on_done=self._done, on_error=self.errors.show)
