"""The release slips page (放行条, SHW-6): a slip asked for with the items and how many, approved or refused by
customer service; at the door the slip's QR code scanned into the field (a USB scanner types it and presses Enter)
shows whether it lets out and what, and the items are let out with one touch, the item list following."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QHBoxLayout, QInputDialog, QLabel, QLineEdit,
                               QSpinBox, QTableWidget, QVBoxLayout, QWidget)

from app.domain.showroom_flows import RELEASE_SLIP, STATE_LABEL, State, Step
from app.i18n import N_, _
from app.permissions import Perm
from app.services.showroom import items, release_slips, sheets
from app.services.showroom.release_slips import SlipRow
from ui.context import UiContext
from ui.tabs.showroom.records import Action, RecordsPage
from ui.widgets.forms import ErrorLabel, FieldErrors, dialog_layout, fill_table, list_table


def lines_text(slip: SlipRow) -> str:
    return "，".join(f"{line.name} × {line.quantity}" for line in slip.lines)


class ReleaseSlipsPage(RecordsPage):
    COLUMNS = (N_("No."), N_("Model apartment"), N_("Items"), N_("Why they leave"), N_("Carried out by"),
               N_("Asked by"), N_("State"))
    FLOW = RELEASE_SLIP

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "releaseSlipsPage", parent)
        self.scan = QLineEdit(self, objectName="slipScan", placeholderText=_("Scan a release slip's QR code here"))
        self.scanned = QLabel(self, objectName="slipScanned", wordWrap=True)
        door = QHBoxLayout()
        door.addWidget(QLabel(_("At the door"), self))
        door.addWidget(self.scan, 1)
        self.layout().insertLayout(0, door)
        self.layout().insertWidget(1, self.scanned)
        self.scan.returnPressed.connect(self._scanned)

    def actions(self) -> list[Action]:
        return [Action(N_("Ask for a release slip…"), "requestSlip", lambda _r: SlipDialog(self._ctx, self).exec()),
                Action(N_("Approve"), "approveSlip", lambda r: self._decide(r, True), Step.APPROVE),
                Action(N_("Refuse…"), "refuseSlip", lambda r: self._decide(r, False), Step.REFUSE),
                Action(N_("Let the items out"), "releaseSlip", self._release, Step.RELEASE),
                Action(N_("Print the slip…"), "printSlip",
                       lambda r: self.print_form(sheets.print_slip, r.number, f"放行条-{r.number}.pdf"),
                       any_chosen=True)]

    def new_perms(self) -> tuple:
        return (Perm.SHOWROOM_CHECK,)

    def load(self, actor, uow, open_only: bool) -> list[SlipRow]:  # type: ignore[no-untyped-def]
        return release_slips.listed(actor, uow, open_only=open_only)

    def row(self, s: SlipRow) -> list[str]:
        state = _(STATE_LABEL[s.state]) + (f" · {s.decision_note}" if s.decision_note else "")
        return [str(s.number), s.apartment, lines_text(s), s.purpose, s.carrier, s.requested_by, state]

    def _scanned(self) -> None:
        code = self.scan.text()
        self.scan.clear()
        self.error.show_message("")
        self._ctx.run_op(self, lambda a, uow: release_slips.scan(a, uow, code), on_done=self._show_scanned,
                         on_error=lambda e: (self.scanned.clear(), self.error.show_message(str(e))))

    def _show_scanned(self, slip: SlipRow) -> None:
        """What the door needs to know at a glance: may these items go out, and which."""
        verdict = (_("May go out") if slip.state == State.APPROVED else _("May NOT go out"))
        self.scanned.setText(_("Release slip No. %(n)d: %(verdict)s (%(state)s). %(items)s — carried by %(carrier)s.")
                             % {"n": slip.number, "verdict": verdict, "state": _(STATE_LABEL[slip.state]),
                                "items": lines_text(slip), "carrier": slip.carrier})
        self.scanned.setProperty("verdict", "yes" if slip.state == State.APPROVED else "no")
        self.scanned.style().unpolish(self.scanned)
        self.scanned.style().polish(self.scanned)
        numbers = [r.number for r in self.records]
        if slip.number in numbers:
            self.table.selectRow(numbers.index(slip.number))

    def _decide(self, s: SlipRow, approve: bool) -> None:
        note = ""
        if not approve:
            note, ok = QInputDialog.getText(self, _("Refuse"), _("Why is the slip refused?"))
            if not ok:
                return
        self.step(lambda a, uow: release_slips.decide(a, uow, number=s.number, approve=approve, note=note,
                                                      revision=s.revision))

    def _release(self, s: SlipRow) -> None:
        self.step(lambda a, uow: release_slips.release(a, uow, number=s.number, revision=s.revision))


class SlipDialog(QDialog):
    """Ask for a slip: the apartment, how many of each item leave (only those given more than 0), why, who carries."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="slipDialog")
        self.setWindowTitle(_("Ask for a release slip"))
        self._ctx = ctx
        self.listed: list[items.ItemRow] = []
        self.apartment = QComboBox(self, objectName="slipApartment")
        self.items: QTableWidget = list_table((N_("Room"), N_("Item"), N_("On the list"), N_("Leaving")), "slipItems")
        self.purpose = QLineEdit(self, objectName="slipPurpose", maxLength=release_slips.MAX_PURPOSE)
        self.carrier = QLineEdit(self, objectName="slipCarrier")
        self.error = ErrorLabel(self)
        self.errors = FieldErrors(self.error, {"lines": self.items, "purpose": self.purpose,
                                               "carrier": self.carrier})
        form = QFormLayout()
        form.addRow(_("Model apartment"), self.apartment)
        form.addRow(self.items)
        form.addRow(_("Why they leave"), self.purpose)
        form.addRow(_("Carried out by"), self.carrier)
        layout: QVBoxLayout = dialog_layout(self, form, self.error, self._save)
        layout.setStretch(0, 1)
        self.resize(900, 600)
        self.apartment.currentIndexChanged.connect(self._load_items)
        ctx.run_op(self, lambda _a, uow: items.apartments(uow),
                   on_done=lambda flats: [self.apartment.addItem(f.name, f.id) for f in flats])

    def _load_items(self) -> None:
        flat = self.apartment.currentData()
        if flat is not None:
            self._ctx.run_op(self, lambda _a, uow: items.item_list(uow, apartment_id=flat), on_done=self._show_items)

    def _show_items(self, listed: list[items.ItemRow]) -> None:
        self.listed = listed
        fill_table(self.items, [[i.room, i.name, f"{i.quantity}{i.unit}", ""] for i in listed])
        for row, item in enumerate(listed):
            self.items.setCellWidget(row, 3, QSpinBox(self.items, minimum=0, maximum=max(item.quantity, 0)))

    def leaving(self) -> list[tuple[int, int]]:
        spins = [self.items.cellWidget(row, 3) for row in range(len(self.listed))]
        return [(item.id, spin.value()) for item, spin in zip(self.listed, spins) if spin.value() > 0]

    def _save(self) -> None:
        fields = dict(apartment_id=self.apartment.currentData(), purpose=self.purpose.text(),
                      carrier=self.carrier.text(), lines=self.leaving())
        if fields["apartment_id"] is None:
            self.error.show_message(_("No model apartments yet."))
            return
        self._ctx.run_op(self, lambda a, uow: release_slips.request(a, uow, **fields),
                         on_done=lambda _r: self.accept(), on_error=self.errors.show)

