"""The water bar (REC-11): tables and VIP rooms, what was served, a refill reminder every 20 minutes."""
from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QFrame, QGridLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea, QSpinBox, QVBoxLayout,
                               QWidget)

from app import clock
from app.i18n import _
from app.services.reception import bar
from app.services.reception.bar import MENU, TableState
from ui.context import UiContext
from ui.tabs.reception.form_save import FormSave
from ui.widgets.forms import ErrorLabel, FieldErrors, dialog_layout, local_time

REFILLS = uuid.UUID("5d8f6c2e-3a41-4c0e-9b7a-2f1e6a9d4b10")  # the namespace of refill tokens


class TableCard(QFrame):
    """One table: free, or the party, what they had, and when their refill is due."""

    def __init__(self, panel: "WaterBarPanel", state: TableState) -> None:
        super().__init__()
        self.setObjectName(f"barTable_{state.name}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.state = state
        title = QLabel(f"<b>{state.name}</b>" + (" · " + _("VIP room") if state.is_vip_room else ""))
        self.status = QLabel(wordWrap=True, objectName="tableStatus")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        if state.free:
            seat = QPushButton(_("Seat a party"), objectName="seatButton")
            seat.clicked.connect(lambda: panel.seat(state))
            buttons.addWidget(seat)
        else:
            serve = QPushButton(_("Serve…"), objectName="serveButton")
            refill = QPushButton(_("Refilled"), objectName="refillButton")
            clear = QPushButton(_("Clear table"), objectName="clearTableButton")
            serve.clicked.connect(lambda: panel.serve(state))
            refill.clicked.connect(lambda: panel.refill(state))
            clear.clicked.connect(lambda: panel.clear(state))
            for b in (serve, refill, clear):
                buttons.addWidget(b)
        layout.addLayout(buttons)
        self.update_status()

    def refill_due(self) -> bool:
        return self.state.refill_due(clock.now())

    def update_status(self) -> None:
        s = self.state
        if s.free:
            self.status.setText(_("Free"))
            self.setProperty("refillDue", False)
        else:
            lines = [_("%(party)s, %(n)d people, seated %(at)s") % {"party": s.party, "n": s.party_size,
                                                                      "at": local_time(s.seated_at)},
                     "、".join(s.served) or _("Nothing served yet")]
            if self.refill_due():
                lines.append("<b>" + _("Offer a refill now") + "</b>")
            else:
                lines.append(_("Next refill at %s") % local_time(s.refill_due_at))
            self.status.setText("<br>".join(lines))
            self.setProperty("refillDue", self.refill_due())
        self.style().unpolish(self)
        self.style().polish(self)


class WaterBarPanel(QWidget):
    AREAS = {"bar"}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("waterBarPanel")
        self._ctx = ctx
        self.cards: list[TableCard] = []
        self._alerted: set[tuple[object, ...]] = set()  # seatings whose refill reminder already sounded
        self.error = ErrorLabel(self)
        self.reminder = QLabel(objectName="refillReminder", wordWrap=True)
        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(self._grid_host)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reminder)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        self._tick = QTimer(self, interval=15_000)
        self._tick.timeout.connect(self.check_refills)
        self._tick.start()
        ctx.on_change(self, self.AREAS, self.reload)
        self.reload()

    def reload(self) -> None:
        self._ctx.run_op(self, lambda a, uow: bar.tables(a, uow), on_done=self._show,
                         on_error=lambda e: self.error.show_message(str(e)))

    def _show(self, states: list[TableState]) -> None:
        for card in self.cards:
            card.setParent(None)
            card.deleteLater()
        self.cards = [TableCard(self, s) for s in states]
        for i, card in enumerate(self.cards):
            self._grid.addWidget(card, i // 3, i % 3)
        self.check_refills()

    def check_refills(self) -> None:
        """Highlight tables due a refill; sound once per reminder."""
        due = []
        for card in self.cards:
            card.update_status()
            if card.refill_due():
                due.append(card.state.name)
                key = (card.state.seating_id, card.state.refill_due_at)
                if key not in self._alerted:
                    self._alerted.add(key)
                    QApplication.beep()
        self.reminder.setText(_("Refill due: %s") % "、".join(due) if due else "")
        self.reminder.setVisible(bool(due))

    def _run(self, op) -> None:  # type: ignore[no-untyped-def]
        self.error.show_message("")
        self._ctx.run_op(self, op, on_error=lambda e: self.error.show_message(str(e)))

    def seat(self, state: TableState) -> None:
        SeatDialog(self._ctx, state, self).exec()

    def serve(self, state: TableState) -> None:
        ServeDialog(self._ctx, state, self).exec()

    def refill(self, state: TableState) -> None:
        # One refill per reminder: pressed twice, at two stations, or again after a lost answer, it is recorded
        # once (SEC-6). Once recorded, the table's next reminder makes the next token.
        token = str(uuid.uuid5(REFILLS, f"{state.seating_id}/{state.refill_due_at}"))
        self._run(lambda a, uow: bar.serve(a, uow, table_id=state.table_id, item="tea", refill=True, token=token))

    def clear(self, state: TableState) -> None:
        self._run(lambda a, uow: bar.clear(a, uow, table_id=state.table_id))


class _BarDialog(QDialog):
    def __init__(self, ctx: UiContext, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._ctx = ctx
        self.saving = FormSave(ctx, self._ok, self)  # one dialog, one seating or serving, however often tried
        self.form = QFormLayout()
        self.error = ErrorLabel(self)
        dialog_layout(self, self.form, self.error, self._ok,
                      QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)

    def _ok(self) -> None:
        raise NotImplementedError

    def _submit(self, op, errors: FieldErrors) -> None:  # type: ignore[no-untyped-def]
        self._ctx.run_op(self, op, on_done=lambda _r: self.accept(),
                         on_error=lambda e: errors.show(self.saving.failed(e)))

    def reject(self) -> None:
        self.saving.renew()  # cancelled: a save waiting for the server is not made later
        super().reject()


class SeatDialog(_BarDialog):
    def __init__(self, ctx: UiContext, state: TableState, parent: QWidget | None = None) -> None:
        super().__init__(ctx, _("Seat a party at %s") % state.name, parent)
        self.setObjectName("seatDialog")
        self._state = state
        self.party = QLineEdit(objectName="partyField", maxLength=60, placeholderText=_("e.g. 王先生一家"))
        self.size = QSpinBox(objectName="partySizeField", minimum=1, maximum=50, value=2)
        self.form.addRow(_("Party"), self.party)
        self.form.addRow(_("People"), self.size)
        self.errors = FieldErrors(self.error, {"party": self.party, "party_size": self.size})

    def _ok(self) -> None:
        party, size, table_id = self.party.text(), self.size.value(), self._state.table_id
        token = self.saving.begin()
        self._submit(lambda a, uow: bar.seat(a, uow, table_id=table_id, party=party, party_size=size, token=token),
                     self.errors)


class ServeDialog(_BarDialog):
    def __init__(self, ctx: UiContext, state: TableState, parent: QWidget | None = None) -> None:
        super().__init__(ctx, _("Serve %s") % state.name, parent)
        self.setObjectName("serveDialog")
        self._state = state
        self.item = QComboBox(objectName="itemField")
        for code, label in MENU.items():
            self.item.addItem(_(label), code)
        self.quantity = QSpinBox(objectName="quantityField", minimum=1, maximum=50, value=state.party_size or 1)
        self.form.addRow(_("What"), self.item)
        self.form.addRow(_("How many"), self.quantity)
        self.errors = FieldErrors(self.error, {"item": self.item, "quantity": self.quantity})

    def _ok(self) -> None:
        item, qty, table_id = self.item.currentData(), self.quantity.value(), self._state.table_id
        token = self.saving.begin()
        self._submit(lambda a, uow: bar.serve(a, uow, table_id=table_id, item=item, quantity=qty, token=token),
                     self.errors)
