"""PIN sign-in: pick your name, type the PIN on a pad that works by touch (SEC-1)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QDialog, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QScrollArea, QVBoxLayout, QWidget)

from app.errors import DomainError
from app.i18n import _
from app.permissions import ROLE_LABEL, Actor
from app.services import accounts
from ui.context import UiContext
from ui.widgets.forms import ErrorLabel


class PinPad(QWidget):
    """Ten big digit keys, delete and OK; also takes the keyboard."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit(objectName="pinField", echoMode=QLineEdit.EchoMode.Password, maxLength=8)
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.field.returnPressed.connect(lambda: self.submitted.emit(self.field.text()))
        grid = QGridLayout()
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]
        for i, key in enumerate(keys):
            button = QPushButton(_("OK") if key == "OK" else key, objectName=f"pinKey_{key}")
            button.setMinimumSize(72, 56)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, k=key: self._press(k))
            grid.addWidget(button, i // 3, i % 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addLayout(grid)

    def _press(self, key: str) -> None:
        if key == "⌫":
            self.field.backspace()
        elif key == "OK":
            self.submitted.emit(self.field.text())
        else:
            self.field.insert(key)

    def clear(self) -> None:
        self.field.clear()


class SignInDialog(QDialog):
    """Choose a staff member, enter the PIN; accepted with `actor` set."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.setWindowTitle(_("Sign in"))
        self._ctx = ctx
        self.actor: Actor | None = None
        self.selected_id: int | None = None
        self.staff_buttons = QButtonGroup(self)
        self.staff_buttons.setExclusive(True)
        self._checking = False  # a PIN is being checked on the worker: the pad waits for its answer
        picker = QWidget()
        self._grid = QGridLayout(picker)
        self.staff_buttons.idClicked.connect(self._pick)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(picker)
        self.prompt = QLabel(_("Tap your name, then enter your PIN."))
        self.pad = PinPad(self)
        self.pad.submitted.connect(self._submit)
        self.error = ErrorLabel(self)
        right = QVBoxLayout()
        right.addWidget(self.prompt)
        right.addWidget(self.pad)
        right.addWidget(self.error)
        right.addStretch()
        layout = QHBoxLayout(self)
        layout.addWidget(scroll, 3)
        layout.addLayout(right, 2)
        self.resize(1000, 500)
        ctx.run_op(self, lambda _actor, uow: accounts.list_staff(uow), on_done=self._show_staff,
                   on_error=lambda e: self.error.show_message(str(e)))

    def _show_staff(self, staff: list[accounts.StaffRow]) -> None:
        for i, member in enumerate(staff):
            button = QPushButton(f"{member.name}\n{_(ROLE_LABEL[member.role])}", checkable=True)
            button.setMinimumSize(112, 60)
            button.setProperty("staffId", member.id)
            self.staff_buttons.addButton(button, member.id)
            self._grid.addWidget(button, i // 4, i % 4)

    def _pick(self, staff_id: int) -> None:
        self.selected_id = staff_id
        self.error.show_message("")
        self.pad.clear()
        self.pad.field.setFocus()

    def _submit(self, pin: str) -> None:
        if self._checking:
            return
        if self.selected_id is None:
            self.error.show_message(_("Tap your name first."))
            return
        self._checking = True
        staff_id = self.selected_id
        self._ctx.run_op(self, lambda _actor, uow: accounts.sign_in(uow, staff_id=staff_id, pin=pin),
                         on_done=self._signed_in, on_error=self._refused)

    def _signed_in(self, actor: Actor) -> None:
        self._checking = False
        self.actor = actor
        self.accept()

    def _refused(self, error: DomainError) -> None:
        self._checking = False
        self.pad.clear()
        self.error.show_message(str(error))
