"""A page of the showroom's records that move through steps (incidents, work orders): the open ones (or the newest of
all) in a list, and under it a big button for each step; a button is live only when the chosen record's state allows
that step and the person signed in may take it, so what cannot be done is never offered."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtWidgets import QCheckBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.domain.showroom_flows import Flow, Step
from app.i18n import _
from ui.context import UiContext
from ui.widgets.forms import ErrorLabel, fill_table, list_table


@dataclass(frozen=True)
class Action:
    label: str
    name: str
    run: Callable[[Any], None]     # given the chosen record
    step: Step | None = None       # live when the record's state allows it; None: always (a new record)
    any_chosen: bool = False       # live whenever a record is chosen, whatever its state (print it)


class RecordsPage(QWidget):
    AREAS = {"showroom"}
    COLUMNS: tuple[str, ...] = ()
    FLOW: Flow

    def __init__(self, ctx: UiContext, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName=name)
        self._ctx = ctx
        self.records: list[Any] = []
        self.table = list_table(self.COLUMNS, f"{name}Table")
        self.all = QCheckBox(_("Show closed ones too"), self, objectName=f"{name}All")
        self.error = ErrorLabel(self)
        self.printed = QLabel(self, objectName=f"{name}Printed")  # where the last form went
        self.buttons: dict[str, tuple[QPushButton, Action]] = {}
        bar = QHBoxLayout()
        for action in self.actions():
            button = QPushButton(_(action.label), self, objectName=action.name)
            button.setMinimumHeight(44)  # the kiosk's finger
            button.clicked.connect(lambda _checked=False, a=action: self._run(a))
            self.buttons[action.name] = (button, action)
            bar.addWidget(button)
        bar.addStretch()
        bar.addWidget(self.all)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(bar)
        layout.addWidget(self.printed)
        layout.addWidget(self.error)
        self.all.toggled.connect(self.reload)
        self.table.itemSelectionChanged.connect(self._enable)
        ctx.on_change(self, self.AREAS, self.reload)
        self._enable()
        self.reload()

    # what a page says
    def actions(self) -> list[Action]:
        raise NotImplementedError

    def load(self, actor, uow, open_only: bool) -> list[Any]:  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def row(self, record: Any) -> list[str]:
        raise NotImplementedError

    # what every page does
    def reload(self) -> None:
        open_only = not self.all.isChecked()
        self._ctx.run_op(self, lambda a, uow: self.load(a, uow, open_only), on_done=self._show,
                         on_error=lambda e: self.error.show_message(str(e)))

    def _show(self, records: list[Any]) -> None:
        chosen = self.chosen()
        self.records = records
        fill_table(self.table, [self.row(r) for r in records])
        numbers = [r.number for r in records]
        if chosen is not None and chosen.number in numbers:
            self.table.selectRow(numbers.index(chosen.number))
        self._enable()

    def chosen(self) -> Any | None:
        row = self.table.currentRow()
        return self.records[row] if 0 <= row < len(self.records) and self.table.selectedItems() else None

    def _enable(self) -> None:
        record, actor = self.chosen(), self._ctx.actor
        for button, action in self.buttons.values():
            if action.any_chosen:
                live = record is not None
            elif action.step is None:
                live = any(actor is not None and actor.can(p) for p in self.new_perms())
            else:
                allowed = self.FLOW.steps.get((record.state, action.step)) if record is not None else None
                live = allowed is not None and actor is not None and any(actor.can(p) for p in allowed[1])
            button.setEnabled(live)

    def new_perms(self) -> tuple:
        return ()

    def _run(self, action: Action) -> None:
        self.error.show_message("")
        action.run(self.chosen())

    def print_form(self, printer: Callable[..., Any], number: int, file_name: str) -> None:
        save_form(self._ctx, self, self.printed, self.error, printer, number, file_name)

    def step(self, op: Callable[[Any, Any], Any]) -> None:
        """Take a step on the worker; the list follows through the change it announces."""
        self._ctx.run_op(self, op, on_error=lambda e: self.error.show_message(str(e)))


def save_form(ctx: UiContext, owner: QWidget, printed: QLabel, error: ErrorLabel, printer: Callable[..., Any],
              number: int, file_name: str) -> None:
    """Save a record's printed form where the person chooses; `printed` says where it went."""
    path, _filter = QFileDialog.getSaveFileName(owner, _("Print"), file_name, "PDF (*.pdf)")
    if not path:
        return
    printed.clear()
    error.show_message("")
    ctx.run_op(owner, lambda a, uow: printer(a, uow, number=number, out=path, overwrite=True),
               on_done=lambda written: printed.setText(_("The form is in %s.") % written),
               on_error=lambda e: error.show_message(str(e)))
