"""Account → Change my PIN: the current PIN, then the new one twice (SEC-1)."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QWidget

from app.errors import ValidationError
from app.i18n import _
from app.services import accounts
from ui.context import UiContext
from ui.widgets.forms import ErrorLabel, FieldErrors, dialog_layout


def _pin_field(name: str) -> QLineEdit:
    return QLineEdit(objectName=name, echoMode=QLineEdit.EchoMode.Password, maxLength=8)


class ChangePinDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changePinDialog")
        self.setWindowTitle(_("Change my PIN"))
        self._ctx = ctx
        self.old_pin, self.pin, self.pin_again = _pin_field("oldPinField"), _pin_field("newPinField"), \
            _pin_field("newPinAgainField")
        self.error = ErrorLabel(self)
        self.errors = FieldErrors(self.error, {"old_pin": self.old_pin, "pin": self.pin})
        form = QFormLayout()
        form.addRow(_("Current PIN"), self.old_pin)
        form.addRow(_("New PIN (4 to 8 digits)"), self.pin)
        form.addRow(_("New PIN again"), self.pin_again)
        dialog_layout(self, form, self.error, self._save)

    def _save(self) -> None:
        if self.pin.text() != self.pin_again.text():
            self.errors.show(ValidationError(_("The two PINs differ."), field="pin"))
            return
        old, new = self.old_pin.text(), self.pin.text()
        self._ctx.run_op(self, lambda actor, uow: accounts.change_pin(actor, uow, staff_id=actor.id, new_pin=new,
                                                                      old_pin=old),
                         on_done=lambda _r: self.accept(), on_error=self._refused)

    def _refused(self, error: Exception) -> None:
        self.old_pin.clear()  # a wrong PIN is typed again, never left to be sent twice
        self.errors.show(error)  # type: ignore[arg-type]
