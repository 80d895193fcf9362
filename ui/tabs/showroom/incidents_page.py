"""The incidents page (突发事件, SHW-4): an incident recorded with the item, how many and the visitor; the settlement
proposed, approved for customer service and for marketing by two people, or sent back; the visitor's signature on
screen, or the word that the printed form was signed."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QHBoxLayout, QInputDialog, QLineEdit, QPushButton,
                               QSpinBox, QWidget)

from app.domain.showroom_flows import INCIDENT, STATE_LABEL, Step
from app.i18n import N_, _
from app.permissions import Perm
from app.services.showroom import incidents, items, sheets
from app.services.showroom.incidents import KIND_LABEL, SETTLEMENT_LABEL, IncidentRow
from ui.context import UiContext
from ui.tabs.showroom.records import Action, RecordsPage
from ui.widgets.forms import ErrorLabel, FieldErrors, dialog_layout, local_datetime
from ui.widgets.signature_pad import SignaturePad


class IncidentsPage(RecordsPage):
    COLUMNS = (N_("No."), N_("Model apartment"), N_("What happened"), N_("Item"), N_("Visitor"), N_("Settlement"),
               N_("State"))
    FLOW = INCIDENT

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "incidentsPage", parent)

    def actions(self) -> list[Action]:
        return [Action(N_("Record an incident…"), "recordIncident", lambda _r: self._record()),
                Action(N_("Propose the settlement…"), "proposeSettlement", self._propose, Step.PROPOSE),
                Action(N_("Approve for customer service"), "approveService",
                       lambda r: self._approve(r, "service"), Step.APPROVE_SERVICE),
                Action(N_("Approve for marketing"), "approveMarketing",
                       lambda r: self._approve(r, "marketing"), Step.APPROVE_MARKETING),
                Action(N_("Send back…"), "sendBack", self._send_back, Step.SEND_BACK),
                Action(N_("The visitor signs…"), "visitorSigns", self._sign, Step.SIGN),
                Action(N_("Print the form…"), "printIncident",
                       lambda r: self.print_form(sheets.print_incident, r.number, f"突发事件-{r.number}.pdf"),
                       any_chosen=True)]

    def new_perms(self) -> tuple:
        return (Perm.SHOWROOM_CHECK,)

    def load(self, actor, uow, open_only: bool) -> list[IncidentRow]:  # type: ignore[no-untyped-def]
        return incidents.listed(actor, uow, open_only=open_only)

    def row(self, i: IncidentRow) -> list[str]:
        item = f"{i.item_name} × {i.quantity}" if i.item_name else _(KIND_LABEL[i.kind])
        visitor = " ".join(p for p in (i.visitor_name, i.visitor_phone) if p)
        settled = f"{_(SETTLEMENT_LABEL[i.settlement])} {i.amount_fen / 100:,.2f}" if i.settlement else ""
        return [str(i.number), i.apartment, f"{local_datetime(i.happened_at)} {i.what}", item, visitor, settled,
                _(STATE_LABEL[i.state])]

    def _record(self) -> None:
        IncidentDialog(self._ctx, self).exec()

    def _propose(self, i: IncidentRow) -> None:
        SettlementDialog(self._ctx, i, self).exec()

    def _approve(self, i: IncidentRow, side: str) -> None:
        self.step(lambda a, uow: incidents.approve(a, uow, number=i.number, side=side, revision=i.revision))

    def _send_back(self, i: IncidentRow) -> None:
        reason, ok = QInputDialog.getText(self, _("Send back"), _("Why is the settlement sent back?"))
        if ok:
            self.step(lambda a, uow: incidents.send_back(a, uow, number=i.number, reason=reason, revision=i.revision))

    def _sign(self, i: IncidentRow) -> None:
        if not i.visitor_name:  # nobody to sign: the incident is closed as settled
            self.step(lambda a, uow: incidents.sign(a, uow, number=i.number, revision=i.revision))
            return
        VisitorSignature(self._ctx, i, self).exec()


@dataclass(frozen=True)
class Found:
    """What a check found that opens an incident (SHW-4): filled in for the docent, who adds the visitor."""

    apartment_id: int
    check_id: int
    item_id: int
    short: int


class IncidentDialog(QDialog):
    """Record an incident: the apartment, what kind, the item and how many, what happened, the visitor."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, found: Found | None = None) -> None:
        super().__init__(parent, objectName="incidentDialog")
        self.setWindowTitle(_("Record an incident"))
        self._ctx, self._found = ctx, found
        self.apartment = QComboBox(self, objectName="incidentApartment")
        self.kind = QComboBox(self, objectName="incidentKind")
        for code, label in KIND_LABEL.items():
            self.kind.addItem(_(label), code)
        self.item = QComboBox(self, objectName="incidentItem")
        self.quantity = QSpinBox(self, minimum=1, maximum=999, objectName="incidentQuantity")
        self.what = QLineEdit(self, objectName="incidentWhat", maxLength=incidents.MAX_WHAT)
        self.visitor = QLineEdit(self, objectName="incidentVisitor", placeholderText=_("e.g. 王先生"))
        self.phone = QLineEdit(self, objectName="incidentPhone")
        self.error = ErrorLabel(self)
        self.errors = FieldErrors(self.error, {"kind": self.kind, "item": self.item, "quantity": self.quantity,
                                               "what": self.what, "visitor_name": self.visitor,
                                               "phone": self.phone})
        form = QFormLayout()
        for label, widget in ((_("Model apartment"), self.apartment), (_("What kind"), self.kind),
                              (_("Item"), self.item), (_("How many"), self.quantity), (_("What happened"), self.what),
                              (_("Visitor"), self.visitor), (_("Phone"), self.phone)):
            form.addRow(label, widget)
        dialog_layout(self, form, self.error, self._save)
        self.apartment.currentIndexChanged.connect(self._load_items)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        ctx.run_op(self, lambda _a, uow: items.apartments(uow), on_done=self._add_apartments)
        self.what.setFocus()

    def _add_apartments(self, flats: list[items.ApartmentRow]) -> None:
        for flat in flats:
            self.apartment.addItem(flat.name, flat.id)
        if self._found is not None:
            self.apartment.setCurrentIndex(self.apartment.findData(self._found.apartment_id))
            self.kind.setCurrentIndex(self.kind.findData("missing"))
            self.quantity.setValue(self._found.short)

    def _load_items(self) -> None:
        flat = self.apartment.currentData()
        self.item.clear()
        if flat is not None:
            self._ctx.run_op(self, lambda _a, uow: items.item_list(uow, apartment_id=flat), on_done=self._add_items)

    def _add_items(self, listed: list[items.ItemRow]) -> None:
        for item in listed:
            self.item.addItem(f"{item.room} · {item.name}（{item.quantity}{item.unit}）", item.id)
        if self._found is not None:
            self.item.setCurrentIndex(self.item.findData(self._found.item_id))

    def _kind_changed(self) -> None:
        has_item = self.kind.currentData() != "other"
        self.item.setEnabled(has_item)
        self.quantity.setEnabled(has_item)

    def _save(self) -> None:
        kind = self.kind.currentData()
        fields = dict(apartment_id=self.apartment.currentData(), kind=kind, what=self.what.text(),
                      item_id=self.item.currentData() if kind != "other" else None, quantity=self.quantity.value(),
                      visitor_name=self.visitor.text(), visitor_phone=self.phone.text(),
                      check_id=self._found.check_id if self._found is not None else None)
        if fields["apartment_id"] is None:
            self.error.show_message(_("No model apartments yet."))
            return
        self._ctx.run_op(self, lambda a, uow: incidents.record(a, uow, **fields), on_done=lambda _r: self.accept(),
                         on_error=self.errors.show)


class SettlementDialog(QDialog):
    """Propose how the incident is settled: the listed price, a lower agreed amount, or waived, with why."""

    def __init__(self, ctx: UiContext, incident: IncidentRow, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="settlementDialog")
        self.setWindowTitle(_("Incident No. %d: the settlement") % incident.number)
        self._ctx, self._incident = ctx, incident
        self.settlement = QComboBox(self, objectName="settlement")
        for code, label in SETTLEMENT_LABEL.items():
            self.settlement.addItem(_(label), code)
        self.amount = QLineEdit(self, objectName="settlementAmount", placeholderText=_("yuan"))
        self.note = QLineEdit(self, objectName="settlementNote", maxLength=incidents.MAX_NOTE)
        self.error = ErrorLabel(self)
        self.errors = FieldErrors(self.error, {"settlement": self.settlement, "amount": self.amount,
                                               "note": self.note})
        form = QFormLayout()
        form.addRow(_("Listed price"), QLineEdit(f"{incident.listed_fen / 100:,.2f}", self, readOnly=True))
        form.addRow(_("Settlement"), self.settlement)
        form.addRow(_("Agreed amount"), self.amount)
        form.addRow(_("Why"), self.note)
        dialog_layout(self, form, self.error, self._save)

    def _save(self) -> None:
        i, settlement = self._incident, self.settlement.currentData()
        amount, note = self.amount.text(), self.note.text()
        self._ctx.run_op(self, lambda a, uow: incidents.propose(a, uow, number=i.number, settlement=settlement,
                                                                amount=amount, note=note, revision=i.revision),
                         on_done=lambda _r: self.accept(), on_error=self.errors.show)


class VisitorSignature(QDialog):
    """The visitor reads the settlement and signs on screen; or the printed form was signed."""

    def __init__(self, ctx: UiContext, incident: IncidentRow, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="visitorSignature")
        self.setWindowTitle(_("Incident No. %d: the visitor's signature") % incident.number)
        self._ctx, self._incident = ctx, incident
        self.signature = SignaturePad(self)
        clear = QPushButton(_("Sign again"), self, objectName="clearSignature")
        clear.clicked.connect(self.signature.clear)
        paper = QPushButton(_("Signed on the printed form"), self, objectName="signedOnPaper")
        paper.clicked.connect(lambda: self._save(on_paper=True))
        self.error = ErrorLabel(self)
        self.errors = FieldErrors(self.error, {"signature": self.signature})
        form = QFormLayout()
        form.addRow(_("What happened"), QLineEdit(incident.what, self, readOnly=True))
        form.addRow(_("Settlement"), QLineEdit(f"{_(SETTLEMENT_LABEL[incident.settlement])} "
                                               f"{incident.amount_fen / 100:,.2f}", self, readOnly=True))
        pad = QHBoxLayout()
        pad.addWidget(self.signature, 1)
        pad.addWidget(clear)
        pad.addWidget(paper)
        form.addRow(_("Visitor's signature"), pad)
        dialog_layout(self, form, self.error, self._save)
        self.resize(900, 420)

    def _save(self, on_paper: bool = False) -> None:
        i, strokes = self._incident, self.signature.strokes()
        self._ctx.run_op(self, lambda a, uow: incidents.sign(a, uow, number=i.number, strokes=strokes,
                                                             on_paper=on_paper, revision=i.revision),
                         on_done=lambda _r: self.accept(), on_error=self.errors.show)
