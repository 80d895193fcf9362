"""The work orders page (维修单, SHW-5): asked for with when the workers are to enter (urgent, with why, in open
hours), approved or refused by the engineering lead, the entry recorded at the door, the work checked."""
from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateTimeEdit, QDialog, QFormLayout, QInputDialog, QLineEdit,
                               QWidget)

from app import clock
from app.domain.showroom_flows import STATE_LABEL, WORK_ORDER, Step
from app.i18n import N_, _
from app.permissions import Perm
from app.services.showroom import items, work_orders
from app.services.showroom.work_orders import WorkOrderRow
from ui.context import UiContext
from ui.tabs.showroom.records import Action, RecordsPage
from ui.widgets.forms import ErrorLabel, FieldErrors, dialog_layout, local_datetime


class WorkOrdersPage(RecordsPage):
    COLUMNS = (N_("No."), N_("Model apartment"), N_("Work to do"), N_("Workers enter"), N_("Asked by"),
               N_("Workers"), N_("State"))
    FLOW = WORK_ORDER

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "workOrdersPage", parent)

    def actions(self) -> list[Action]:
        return [Action(N_("Ask for a work order…"), "requestWorkOrder",
                       lambda _r: RequestDialog(self._ctx, self).exec()),
                Action(N_("Approve"), "approveWorkOrder", lambda r: self._decide(r, True), Step.APPROVE),
                Action(N_("Refuse…"), "refuseWorkOrder", lambda r: self._decide(r, False), Step.REFUSE),
                Action(N_("Let the workers in…"), "recordEntry", lambda r: EntryDialog(self._ctx, r, self).exec(),
                       Step.ENTER),
                Action(N_("Work checked"), "acceptWork", self._accept, Step.ACCEPT)]

    def new_perms(self) -> tuple:
        return (Perm.SHOWROOM_CHECK,)

    def load(self, actor, uow, open_only: bool) -> list[WorkOrderRow]:  # type: ignore[no-untyped-def]
        return work_orders.listed(actor, uow, open_only=open_only)

    def row(self, o: WorkOrderRow) -> list[str]:
        when = local_datetime(o.planned_at) + (" " + _("urgent: %s") % o.urgent_reason if o.urgent else "")
        workers = f"{local_datetime(o.entered_at)} {o.workers}" if o.entered_at else ""
        state = _(STATE_LABEL[o.state]) + (f" · {o.decision_note}" if o.decision_note else "")
        return [str(o.number), o.apartment, o.what, when, o.requested_by, workers, state]

    def _decide(self, o: WorkOrderRow, approve: bool) -> None:
        note = ""
        if not approve:
            note, ok = QInputDialog.getText(self, _("Refuse"), _("Why is the work order refused?"))
            if not ok:
                return
        self.step(lambda a, uow: work_orders.decide(a, uow, number=o.number, approve=approve, note=note,
                                                    revision=o.revision))

    def _accept(self, o: WorkOrderRow) -> None:
        self.step(lambda a, uow: work_orders.accept(a, uow, number=o.number, revision=o.revision))


class RequestDialog(QDialog):
    """Ask for a work order; from a check, its apartment and the problem found filled in."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *, apartment_id: int | None = None,
                 what: str = "", check_id: int | None = None) -> None:
        super().__init__(parent, objectName="workOrderDialog")
        self.setWindowTitle(_("Ask for a work order"))
        self._ctx, self._apartment_id, self._check_id = ctx, apartment_id, check_id
        self.apartment = QComboBox(self, objectName="workOrderApartment")
        self.what = QLineEdit(self, objectName="workOrderWhat", maxLength=work_orders.MAX_WHAT)
        self.planned = QDateTimeEdit(QDateTime(clock.local(clock.now() + timedelta(hours=1)).replace(
            minute=0, second=0, microsecond=0, tzinfo=None)), self, objectName="workOrderPlanned",
            calendarPopup=True, displayFormat="yyyy-MM-dd HH:mm")
        self.urgent = QCheckBox(_("Urgent: during open hours"), self, objectName="workOrderUrgent")
        self.reason = QLineEdit(self, objectName="workOrderUrgentReason", maxLength=work_orders.MAX_NOTE)
        self.error = ErrorLabel(self)
        self.errors = FieldErrors(self.error, {"what": self.what, "planned_at": self.planned,
                                               "urgent_reason": self.reason})
        form = QFormLayout()
        for label, widget in ((_("Model apartment"), self.apartment), (_("Work to do"), self.what),
                              (_("Workers enter"), self.planned), ("", self.urgent), (_("Why urgent"), self.reason)):
            form.addRow(label, widget)
        dialog_layout(self, form, self.error, self._save)
        self.what.setText(what[:work_orders.MAX_WHAT])
        ctx.run_op(self, lambda _a, uow: items.apartments(uow), on_done=self._add_apartments)
        self.what.setFocus()

    def _add_apartments(self, flats: list[items.ApartmentRow]) -> None:
        for flat in flats:
            self.apartment.addItem(flat.name, flat.id)
        if self._apartment_id is not None:
            self.apartment.setCurrentIndex(self.apartment.findData(self._apartment_id))

    def _save(self) -> None:
        planned = self.planned.dateTime().toPython().replace(tzinfo=clock.OFFICE_TZ)
        fields = dict(apartment_id=self.apartment.currentData(), what=self.what.text(), planned_at=planned,
                      urgent=self.urgent.isChecked(), urgent_reason=self.reason.text(), check_id=self._check_id)
        if fields["apartment_id"] is None:
            self.error.show_message(_("No model apartments yet."))
            return
        self._ctx.run_op(self, lambda a, uow: work_orders.request(a, uow, **fields), on_done=lambda _r: self.accept(),
                         on_error=self.errors.show)


class EntryDialog(QDialog):
    def __init__(self, ctx: UiContext, order: WorkOrderRow, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="entryDialog")
        self.setWindowTitle(_("Work order No. %d: the workers enter") % order.number)
        self._ctx, self._order = ctx, order
        self.workers = QLineEdit(self, objectName="entryWorkers", maxLength=work_orders.MAX_WORKERS)
        self.materials = QLineEdit(self, objectName="entryMaterials", maxLength=work_orders.MAX_MATERIALS)
        self.error = ErrorLabel(self)
        self.errors = FieldErrors(self.error, {"workers": self.workers, "materials": self.materials})
        form = QFormLayout()
        form.addRow(_("Work to do"), QLineEdit(order.what, self, readOnly=True))
        form.addRow(_("Workers"), self.workers)
        form.addRow(_("Materials brought in"), self.materials)
        dialog_layout(self, form, self.error, self._save)
        self.workers.setFocus()

    def _save(self) -> None:
        o, workers, materials = self._order, self.workers.text(), self.materials.text()
        self._ctx.run_op(self, lambda a, uow: work_orders.record_entry(a, uow, number=o.number, workers=workers,
                                                                       materials=materials, revision=o.revision),
                         on_done=lambda _r: self.accept(), on_error=self.errors.show)
