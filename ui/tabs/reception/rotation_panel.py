"""Today's rotation queue (轮位, REC-4..6): who receives the next walk-in, sign in and out, the day's log."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QGroupBox, QHBoxLayout, QInputDialog, QLabel, QListWidget,
                               QListWidgetItem, QPushButton, QVBoxLayout, QWidget)

from app.domain.rotation import KIND_LABEL
from app.i18n import N_, _
from app.services.reception import rotation
from app.services.reception.rotation import LogLine, QueueView
from ui.context import UiContext
from ui.widgets.forms import ErrorLabel, fill_table, list_table, local_time


class RotationPanel(QGroupBox):
    AREAS = {"rotation", "staff"}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(_("Rotation today"), parent)
        self.setObjectName("rotationPanel")
        self._ctx = ctx
        self.queue = QListWidget(objectName="queueList")
        self.away = QComboBox(objectName="awayCombo")
        self.sign_in_button = QPushButton(_("Sign in"), objectName="rotationSignIn")
        self.sign_out_button = QPushButton(_("Sign out"), objectName="rotationSignOut")
        self.log_button = QPushButton(_("Day's log"), objectName="rotationLog")
        self.head = QLabel(objectName="queueHead", wordWrap=True)
        self.error = ErrorLabel(self)
        row = QHBoxLayout()
        row.addWidget(self.away, 1)
        row.addWidget(self.sign_in_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_out_button)
        buttons.addWidget(self.log_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.head)
        layout.addWidget(self.queue, 1)
        layout.addLayout(row)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        self.sign_in_button.clicked.connect(self._sign_in)
        self.sign_out_button.clicked.connect(self._sign_out)
        self.log_button.clicked.connect(self._show_log)
        ctx.on_change(self, self.AREAS, self.reload)
        self.reload()

    def reload(self) -> None:
        self._ctx.run_op(self, lambda a, uow: rotation.queue_view(a, uow), on_done=self._show)

    def _show(self, view: QueueView) -> None:
        self.queue.clear()
        for pos, entry in enumerate(view.entries, 1):
            text = f"{pos}. {entry.name}"
            if entry.turns_lost:
                text += "  " + _("(%d turns to skip)") % entry.turns_lost
            item = QListWidgetItem(text)
            item.setData(256, entry.consultant_id)
            self.queue.addItem(item)
        self.head.setText(_("Next walk-in goes to: %s") % view.head.name if view.head
                          else _("Nobody is signed in yet."))
        self.away.clear()
        for entry in view.away:
            self.away.addItem(entry.name, entry.consultant_id)
        self.sign_in_button.setEnabled(bool(view.away))

    def _after(self, _view: object) -> None:
        self.error.show_message("")

    def _sign_in(self) -> None:
        cid = self.away.currentData()
        if cid is not None:
            self._ctx.run_op(self, lambda a, uow: rotation.sign_in(a, uow, consultant_id=cid), on_done=self._after,
                             on_error=lambda e: self.error.show_message(str(e)))

    def _sign_out(self) -> None:
        item = self.queue.currentItem()
        if item is None:
            self.error.show_message(_("Pick a consultant in the queue first."))
            return
        reason, ok = QInputDialog.getText(self, _("Sign out"), _("Why is %s leaving the queue?") % item.text())
        if ok:
            cid = item.data(256)
            self._ctx.run_op(self, lambda a, uow: rotation.sign_out(a, uow, consultant_id=cid, reason=reason),
                             on_done=self._after, on_error=lambda e: self.error.show_message(str(e)))

    def _show_log(self) -> None:
        self._ctx.run_op(self, rotation.day_log, on_done=lambda lines: DayLogDialog(lines, self).exec(),
                         on_error=lambda e: self.error.show_message(str(e)))


class DayLogDialog(QDialog):
    """The day's rotation, event by event, with the queue as it stood after each: a replay (REC-6)."""

    COLUMNS = (N_("Time"), N_("Consultant"), N_("What happened"), N_("Reason"), N_("Queue after"))

    def __init__(self, lines: list[LogLine], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dayLogDialog")
        self.setWindowTitle(_("Rotation log of the day"))
        self.table = list_table(self.COLUMNS, "dayLogTable")
        fill_table(self.table, [[local_time(line.at), line.consultant, _(KIND_LABEL[line.kind]), line.reason,
                                 " → ".join(line.queue_after)] for line in lines])
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        self.resize(900, 500)
