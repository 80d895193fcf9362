"""A check done on the kiosk by touch (SHW-2): each point in order (the default) or a problem with what it is, or
not applicable; every item counted when the check counts, its expected quantity filled in so that only what is
short is changed; the signature drawn in the box."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (QButtonGroup, QDialog, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QScrollArea, QSpinBox, QVBoxLayout, QWidget)

from app.i18n import _
from app.services.showroom import checks
from app.services.showroom.checks import ANSWERS, Answer, SlotView
from app.services.showroom.items import ItemRow
from ui.context import UiContext
from ui.widgets.forms import ErrorLabel, FieldErrors, dialog_layout
from ui.widgets.signature_pad import SignaturePad


class _Point(QWidget):
    """One point of the check: three big buttons and, for a problem, what it is."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = text
        self.buttons = QButtonGroup(self)
        row = QHBoxLayout(self)
        label = QLabel(text, self)
        label.setWordWrap(True)
        row.addWidget(label, 1)
        for code, word in ANSWERS.items():
            button = QPushButton(_(word), self, checkable=True, objectName=f"answer_{code}")
            button.setMinimumHeight(40)  # a finger's size
            self.buttons.addButton(button)
            button.setProperty("answer", code)
            row.addWidget(button)
            if code == "ok":
                button.setChecked(True)
        self.note = QLineEdit(self, placeholderText=_("What is the problem?"), maxLength=checks.MAX_ANSWER_NOTE)
        self.note.setEnabled(False)
        row.addWidget(self.note, 1)
        self.buttons.buttonToggled.connect(lambda *_args: self.note.setEnabled(self.answer() == "problem"))

    def answer(self) -> str:
        checked = self.buttons.checkedButton()
        return str(checked.property("answer")) if checked is not None else ""

    def value(self) -> Answer:
        return Answer(self.text, self.answer(), self.note.text() if self.answer() == "problem" else "")


class CheckDialog(QDialog):
    def __init__(self, ctx: UiContext, *, apartment_id: int, apartment: str, day: date, slot: SlotView, title: str,
                 points: tuple[str, ...], items: list[ItemRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkDialog")
        self.setWindowTitle(f"{title} · {apartment}")
        self._ctx, self._apartment_id, self._day, self._slot = ctx, apartment_id, day, slot
        # Once saved: what the check found, for the incidents and work orders (not `done`: QDialog.done is Qt's).
        self.found: checks.CheckDone | None = None
        self.points = [_Point(point) for point in points]
        self.counts: dict[int, QSpinBox] = {}
        body = QWidget()
        column = QVBoxLayout(body)
        checked = QGroupBox(_("Points"), body)
        point_rows = QVBoxLayout(checked)
        for point in self.points:
            point_rows.addWidget(point)
        column.addWidget(checked)
        if items:
            counted = QGroupBox(_("Counts: change only what is not there"), body)
            grid = QGridLayout(counted)
            for n, item in enumerate(items):
                spin = QSpinBox(counted, minimum=0, maximum=9999, value=item.quantity, objectName=f"count_{item.id}")
                spin.setMinimumHeight(34)
                self.counts[item.id] = spin
                grid.addWidget(QLabel(f"{item.room} · {item.name}", counted), n // 2, (n % 2) * 2)
                grid.addWidget(spin, n // 2, (n % 2) * 2 + 1)
            column.addWidget(counted)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.signature = SignaturePad(self)
        clear = QPushButton(_("Sign again"), self, objectName="clearSignature")
        clear.clicked.connect(self.signature.clear)
        self.error = ErrorLabel(self)
        self.errors = FieldErrors(self.error, {"signature": self.signature})
        form = QFormLayout()
        form.addRow(scroll)
        sign = QHBoxLayout()
        sign.addWidget(self.signature, 1)
        sign.addWidget(clear)
        form.addRow(_("Signature of who did the check"), sign)
        layout = dialog_layout(self, form, self.error, self._save)
        layout.setStretch(0, 1)
        self.resize(1200, 700)  # inside a 1366 × 768 kiosk screen

    def _save(self) -> None:
        answers = [point.value() for point in self.points]
        counts = {item_id: spin.value() for item_id, spin in self.counts.items()}
        strokes = self.signature.strokes()
        apartment_id, day, slot = self._apartment_id, self._day, self._slot.key
        self._ctx.run_op(self, lambda a, uow: checks.record(a, uow, apartment_id=apartment_id, day=day, slot=slot,
                                                            answers=answers, counts=counts or None,
                                                            strokes=strokes),
                         on_done=self._saved, on_error=self.errors.show)

    def _saved(self, found: checks.CheckDone) -> None:
        self.found = found
        self.accept()

    def problems(self) -> list[str]:
        """The points answered as a problem, with what it is: each may need a work order."""
        return [f"{a.point}：{a.note}" for a in (point.value() for point in self.points) if a.answer == "problem"]
