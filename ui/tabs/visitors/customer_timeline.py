"""A customer's file: every visit, call, follow-up, ownership decision, correction, unit hold and deal on one
timeline, with a follow-up, a request to hold a unit and a deal recorded from here."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from app.domain.channels import FOLLOW_UP_METHODS
from app.i18n import N_, _
from app.permissions import Perm
from app.services.reception import followups
from app.services.visitors import customer_file, deals, unit_control
from app.services.visitors.customer_file import CustomerTimeline
from ui.context import UiContext
from ui.widgets.forms import ErrorLabel, FieldErrors, fill_table, list_table, local_datetime

EVENT_LABEL = {
    "visit": N_("Walk-in"),
    "call": N_("Phone call"),
    "follow_up": N_("Follow-up"),
    "ownership": N_("Ownership (判客)"),
    "revision": N_("Correction"),
    "deposit": N_("Deposit (认购)"),
    "contract": N_("Contract (签约)"),
    "unit_hold": N_("Unit control (销控)"),
}


class CustomerTimelineDialog(QDialog):
    AREAS = {"customers", "visits", "calls", "deals", "units"}

    def __init__(self, ctx: UiContext, customer_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerTimelineDialog")
        self.setWindowTitle(_("Customer's file"))
        self.resize(980, 600)
        self._ctx, self._customer_id = ctx, customer_id
        actor = ctx.actor
        self.header = QLabel(objectName="customerHeader")
        self.header.setWordWrap(True)
        self.table = list_table((N_("When"), N_("Event"), N_("Who"), N_("Details")), "timelineTable")
        self.error = ErrorLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.table, 1)
        self.method = self.content = self.deal_kind = self.unit = self.amount = None
        if actor is not None and actor.can(Perm.FOLLOW_UP):
            layout.addLayout(self._follow_up_row())
        if actor is not None and actor.can(Perm.RECORD_DEAL):
            layout.addLayout(self._deal_row())
        layout.addWidget(self.error)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.errors = FieldErrors(self.error, {k: w for k, w in (("content", self.content), ("method", self.method),
                                                                 ("unit", self.unit), ("amount", self.amount)) if w})
        ctx.on_change(self, self.AREAS, self.reload)  # what this or another station records shows here too
        self.reload()

    def _follow_up_row(self) -> QHBoxLayout:
        self.method = QComboBox(objectName="timelineFollowUpMethod")
        for code, label in FOLLOW_UP_METHODS.items():
            self.method.addItem(_(label), code)
        self.content = QLineEdit(objectName="timelineFollowUpContent", maxLength=1000,
                                 placeholderText=_("What was said, what comes next"))
        save = QPushButton(_("Record follow-up"), objectName="timelineFollowUpButton")
        save.clicked.connect(self._follow_up)
        row = QHBoxLayout()
        row.addWidget(self.method)
        row.addWidget(self.content, 1)
        row.addWidget(save)
        return row

    def _deal_row(self) -> QHBoxLayout:
        self.deal_kind = QComboBox(objectName="dealKind")
        for code, label in deals.KINDS.items():
            self.deal_kind.addItem(_(label), code)
        self.unit = QLineEdit(objectName="dealUnit", maxLength=40, placeholderText=_("Unit, e.g. 3-1-1502"))
        self.amount = QLineEdit(objectName="dealAmount", maxLength=14, placeholderText=_("Amount in yuan"))
        save = QPushButton(_("Record deal"), objectName="dealButton")
        save.clicked.connect(self._deal)
        # A deal needs the unit held for this customer first: the manager confirms it is free (VIS-8).
        ask = QPushButton(_("Ask the manager to hold it"), objectName="requestHoldButton")
        ask.clicked.connect(self._request_hold)
        row = QHBoxLayout()
        row.addWidget(self.unit, 1)
        row.addWidget(ask)
        row.addWidget(self.deal_kind)
        row.addWidget(self.amount, 1)
        row.addWidget(save)
        return row

    def reload(self) -> None:
        cid = self._customer_id
        self._ctx.run_op(self, lambda a, uow: customer_file.timeline(a, uow, customer_id=cid), on_done=self._show,
                         on_error=lambda e: self.error.show_message(str(e)))

    def _show(self, line: CustomerTimeline) -> None:
        owner = line.owner or _("nobody")
        if line.owner and line.owner_valid_until:
            owner += " · " + _("until %s") % local_datetime(line.owner_valid_until)[:10]
        self.header.setText(_("%(name)s · %(phone)s · owner: %(owner)s · %(n)d visits")
                            % {"name": line.name, "phone": line.phone or "—", "owner": owner, "n": line.visit_count})
        fill_table(self.table, [[local_datetime(e.at), _(EVENT_LABEL.get(e.kind, e.kind)), e.who, e.text]
                                for e in line.events])

    def _done(self, _result: object) -> None:
        for field in (self.content, self.unit, self.amount):
            if field is not None:
                field.clear()
        self.errors.clear()
        self.reload()

    def _follow_up(self) -> None:
        cid, method, content = self._customer_id, self.method.currentData(), self.content.text()
        self._ctx.run_op(self, lambda a, uow: followups.record_follow_up(a, uow, customer_id=cid, method=method,
                                                                       content=content),
                         on_done=self._done, on_error=self.errors.show)

    def _request_hold(self) -> None:
        cid, unit = self._customer_id, self.unit.text()
        self._ctx.run_op(self, lambda a, uow: unit_control.request_hold(a, uow, customer_id=cid, unit=unit),
                         on_done=self._done, on_error=self.errors.show)

    def _deal(self) -> None:
        cid, kind, unit, amount = self._customer_id, self.deal_kind.currentData(), self.unit.text(), self.amount.text()
        record = deals.record_deposit if kind == "deposit" else deals.record_contract
        self._ctx.run_op(self, lambda a, uow: record(a, uow, customer_id=cid, unit=unit, amount_yuan=amount),
                         on_done=self._done, on_error=self.errors.show)
