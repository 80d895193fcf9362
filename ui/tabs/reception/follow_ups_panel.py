"""Follow-ups due today and overdue (REC-9), and recording one."""
from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.domain.channels import FOLLOW_UP_METHODS
from app.i18n import N_, _
from app.permissions import Role
from app.services.reception import followups
from app.services.reception.followups import DueRow
from ui.context import UiContext
from ui.widgets.forms import ErrorLabel, FieldErrors, add_consultants, fill_table, list_table, local_datetime


class FollowUpsPanel(QWidget):
    AREAS = {"customers", "visits"}
    COLUMNS = (N_("Due"), N_("Customer"), N_("Phone"), N_("Consultant"), N_("Status"))

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("followUpsPanel")
        self._ctx = ctx
        self.rows: list[DueRow] = []
        self.table = list_table(self.COLUMNS, "dueTable")
        # A consultant sees their own customers; the desk and the supervisor choose whose list to read.
        self.consultant = QComboBox(objectName="followUpConsultant")
        self.consultant.addItem(_("All consultants"), None)
        add_consultants(ctx, self.consultant)
        self.consultant.setVisible(ctx.actor is None or ctx.actor.role != Role.CONSULTANT)
        self.consultant.currentIndexChanged.connect(lambda _i: self.reload())
        self.method = QComboBox(objectName="followUpMethod")
        for code, label in FOLLOW_UP_METHODS.items():
            self.method.addItem(_(label), code)
        self.content = QLineEdit(objectName="followUpContent", maxLength=1000,
                                 placeholderText=_("What was said, what comes next"))
        self.save = QPushButton(_("Record follow-up"), objectName="saveFollowUpButton")
        self.error = ErrorLabel(self)
        self.errors = FieldErrors(self.error, {"method": self.method, "content": self.content})
        row = QHBoxLayout()
        row.addWidget(self.method)
        row.addWidget(self.content, 1)
        row.addWidget(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.consultant)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.save.clicked.connect(self._save)
        ctx.on_change(self, self.AREAS, self.reload)
        self.reload()

    def reload(self) -> None:
        consultant_id = self.consultant.currentData()
        self._ctx.run_op(self, lambda a, uow: followups.due(a, uow, consultant_id=consultant_id), on_done=self._show,
                         on_error=lambda e: self.error.show_message(str(e)))

    def _show(self, rows: list[DueRow]) -> None:
        self.rows = rows
        late = QColor("#b42318")
        fill_table(self.table, [[local_datetime(row.due_at), row.name, row.phone, row.owner,
                                 _("Overdue") if row.overdue else _("Due today")] for row in rows],
                   [late if row.overdue else None for row in rows])

    def _save(self) -> None:
        self.errors.clear()
        r = self.table.currentRow()
        if not 0 <= r < len(self.rows):
            self.error.show_message(_("Pick a customer in the list first."))
            return
        customer_id, method, content = self.rows[r].customer_id, self.method.currentData(), self.content.text()
        self._ctx.run_op(self, lambda a, uow: followups.record_follow_up(a, uow, customer_id=customer_id, method=method,
                                                                   content=content),
                         on_done=lambda _row: self.content.clear(), on_error=self.errors.show)
