"""A new office's first account: the manager, who then adds the staff."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.errors import ValidationError
from app.i18n import _
from app.permissions import Actor, Role
from app.services import accounts
from ui.context import UiContext
from ui.widgets.forms import ErrorLabel, FieldErrors


class FirstRunDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunDialog")
        self.setWindowTitle(_("A new office"))
        self._ctx = ctx
        self.actor: Actor | None = None
        self.name = QLineEdit(objectName="nameField", maxLength=40)
        self.pin = QLineEdit(objectName="pinField", echoMode=QLineEdit.EchoMode.Password, maxLength=8)
        self.pin_again = QLineEdit(objectName="pinAgainField", echoMode=QLineEdit.EchoMode.Password, maxLength=8)
        self.error = ErrorLabel(self)
        self.errors = FieldErrors(self.error, {"name": self.name, "pin": self.pin})
        form = QFormLayout()
        form.addRow(_("Manager's name"), self.name)
        form.addRow(_("PIN (4 to 8 digits)"), self.pin)
        form.addRow(_("PIN again"), self.pin_again)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("This database has no staff yet. Create the manager's account first.")))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _create(self) -> None:
        if self.pin.text() != self.pin_again.text():
            self.errors.show(ValidationError(_("The two PINs differ."), field="pin"))
            return
        name, pin = self.name.text(), self.pin.text()
        self._ctx.run_op(self, lambda _actor, uow: accounts.create_staff(None, uow, name=name, role=Role.MANAGER,
                                                                        pin=pin),
                         on_done=self._created, on_error=self.errors.show)

    def _created(self, row: accounts.StaffRow) -> None:
        self.actor = Actor(row.id, row.name, row.role)
        self.accept()
