"""Follow-ups due today and overdue (REC-9) beside the registrations lapsing within 7 days (VIS-4)."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QVBoxLayout, QWidget

from app.i18n import N_, _
from app.permissions import Perm, Role
from app.services.reception import followups
from app.services.visitors import customer_file
from app.services.visitors.customer_file import LapsingRow
from app.services.reception.followups import DueRow
from ui.context import UiContext
from ui.widgets.forms import ErrorLabel, add_consultants, fill_table, list_table, local_datetime

LATE = QColor("#b42318")


class DueAndLapsing(QWidget):
    """Signals:
        customer_opened(int): a row was double-clicked.
    """

    customer_opened = Signal(int)
    AREAS = {"customers", "visits", "calls"}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dueAndLapsing")
        self._ctx = ctx
        actor = ctx.actor
        self.due_rows: list[DueRow] = []
        self.lapsing_rows: list[LapsingRow] = []
        self.consultant = QComboBox(objectName="dueConsultant")
        self.consultant.addItem(_("All consultants"), None)
        add_consultants(ctx, self.consultant)
        self.consultant.setVisible(actor is None or actor.role != Role.CONSULTANT)
        self.due = list_table((N_("Due"), N_("Customer"), N_("Phone"), N_("Consultant"), N_("Status")), "dueList")
        self.lapsing = list_table((N_("Lapses on"), N_("Days left"), N_("Customer"), N_("Phone"), N_("Consultant")),
                                  "lapsingList")
        self.error = ErrorLabel(self)
        due_box = QGroupBox(_("Follow-ups due today and overdue"))
        QVBoxLayout(due_box).addWidget(self.due)
        lapsing_box = QGroupBox(_("Registrations lapsing within 7 days"))
        QVBoxLayout(lapsing_box).addWidget(self.lapsing)
        self._show_lapsing = actor is not None and (actor.can(Perm.FOLLOW_UP) or actor.can(Perm.VIEW_FIGURES))
        lapsing_box.setVisible(self._show_lapsing)
        lists = QHBoxLayout()
        lists.addWidget(due_box, 1)
        lists.addWidget(lapsing_box, 1)
        top = QHBoxLayout()
        top.addWidget(self.consultant)
        top.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(lists, 1)
        layout.addWidget(self.error)
        self.consultant.currentIndexChanged.connect(lambda _i: self.reload())
        self.due.cellDoubleClicked.connect(lambda r, _c: self.customer_opened.emit(self.due_rows[r].customer_id))
        self.lapsing.cellDoubleClicked.connect(
            lambda r, _c: self.customer_opened.emit(self.lapsing_rows[r].customer_id))
        ctx.on_change(self, self.AREAS, self.reload)
        self.reload()

    def reload(self) -> None:
        cid = self.consultant.currentData()
        show_error = lambda e: self.error.show_message(str(e))  # noqa: E731
        self._ctx.run_op(self, lambda a, uow: followups.due(a, uow, consultant_id=cid), on_done=self._show_due,
                         on_error=show_error)
        if self._show_lapsing:
            self._ctx.run_op(self, lambda a, uow: customer_file.lapsing_soon(a, uow, consultant_id=cid),
                             on_done=self._show_lapsed, on_error=show_error)

    def _show_due(self, rows: list[DueRow]) -> None:
        self.due_rows = rows
        fill_table(self.due, [[local_datetime(r.due_at), r.name, r.phone, r.owner,
                               _("Overdue") if r.overdue else _("Due today")] for r in rows],
                   [LATE if r.overdue else None for r in rows])

    def _show_lapsed(self, rows: list[LapsingRow]) -> None:
        self.lapsing_rows = rows
        fill_table(self.lapsing, [[local_datetime(r.valid_until)[:10], str(r.days_left), r.name, r.phone, r.owner]
                                  for r in rows], [LATE if r.days_left <= 2 else None for r in rows])
