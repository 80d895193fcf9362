"""The shift handover page (交接班, SHW-7): what the program lists now (the day's counts, open incidents, work orders
and slips, late and missed checks), who takes over, the outgoing signature; and the handovers made, the one waiting
for whoever is signed in first, acknowledged with their own signature."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
                               QPushButton, QVBoxLayout, QWidget)

from app.i18n import N_, _
from app.services.showroom import handovers, sheets
from app.services.showroom.handovers import HandoverRow, Listing
from ui.context import UiContext
from ui.tabs.showroom.records import save_form
from ui.widgets.forms import ErrorLabel, FieldErrors, dialog_layout, fill_table, list_table, local_datetime
from ui.widgets.signature_pad import SignaturePad


def listing_text(listing: Listing) -> str:
    blocks = []
    for title, lines in listing.sections():
        blocks.append(f"{title}（{len(lines)}）")
        blocks.extend(f"  {line}" for line in lines or [_("none")])
    return "\n".join(blocks)


class HandoverPage(QWidget):
    AREAS = {"showroom"}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="handoverPage")
        self._ctx = ctx
        self.handovers: list[HandoverRow] = []
        self.listing = QPlainTextEdit(self, objectName="handoverListing", readOnly=True)
        self.incoming = QComboBox(self, objectName="handoverIncoming")
        self.note = QLineEdit(self, objectName="handoverNote", maxLength=handovers.MAX_NOTE,
                              placeholderText=_("e.g. keys handed over"))
        self.signature = SignaturePad(self)
        clear = QPushButton(_("Sign again"), self, objectName="clearSignature")
        clear.clicked.connect(self.signature.clear)
        self.hand_over = QPushButton(_("Hand over"), self, objectName="handOver")
        self.hand_over.setMinimumHeight(44)
        self.table = list_table((N_("No."), N_("Made at"), N_("Handed over by"), N_("Taken over by"),
                                 N_("Acknowledged")), "handoverTable")
        self.acknowledge = QPushButton(_("Acknowledge…"), self, objectName="acknowledgeHandover")
        self.acknowledge.setMinimumHeight(44)
        self.print_button = QPushButton(_("Print the record…"), self, objectName="printHandover")
        self.print_button.setMinimumHeight(44)
        self.printed = QLabel(self, objectName="handoverPrinted")
        self.error = ErrorLabel(self)
        self.errors = FieldErrors(self.error, {"incoming": self.incoming, "signature": self.signature,
                                               "note": self.note})
        form = QFormLayout()
        form.addRow(_("Taken over by"), self.incoming)
        form.addRow(_("Note"), self.note)
        pad = QHBoxLayout()
        pad.addWidget(self.signature, 1)
        pad.addWidget(clear)
        pad.addWidget(self.hand_over)
        form.addRow(_("Your signature"), pad)
        top = QHBoxLayout()
        top.addWidget(self.listing, 1)
        side = QVBoxLayout()
        side.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.acknowledge)
        buttons.addWidget(self.print_button)
        side.addLayout(buttons)
        side.addWidget(self.printed)
        top.addLayout(side, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        self.hand_over.clicked.connect(self._hand_over)
        self.acknowledge.clicked.connect(self._acknowledge)
        self.print_button.clicked.connect(self._print)
        self.table.itemSelectionChanged.connect(self._enable)
        ctx.on_change(self, self.AREAS, self.reload)
        ctx.run_op(self, lambda a, uow: handovers.takers(a, uow), on_done=self._add_takers,
                   on_error=lambda e: self.error.show_message(str(e)))
        self._enable()
        self.reload()

    def reload(self) -> None:
        self._ctx.run_op(self, lambda a, uow: (handovers.listing(a, uow), handovers.recent(a, uow)),
                         on_done=self._show, on_error=lambda e: self.error.show_message(str(e)))

    def _add_takers(self, takers) -> None:  # type: ignore[no-untyped-def]
        for member in takers:
            self.incoming.addItem(member.name, member.id)

    def _show(self, found: tuple[Listing, list[HandoverRow]]) -> None:
        listing, self.handovers = found
        self.listing.setPlainText(listing_text(listing))
        fill_table(self.table, [[str(h.number), local_datetime(h.made_at), h.outgoing, h.incoming,
                                 local_datetime(h.acknowledged_at) or _("waiting")] for h in self.handovers])
        self._enable()

    def chosen(self) -> HandoverRow | None:
        row = self.table.currentRow()
        return self.handovers[row] if 0 <= row < len(self.handovers) and self.table.selectedItems() else None

    def _enable(self) -> None:
        chosen, actor = self.chosen(), self._ctx.actor
        self.acknowledge.setEnabled(chosen is not None and actor is not None and chosen.incoming_id == actor.id
                                    and chosen.acknowledged_at is None)
        self.print_button.setEnabled(chosen is not None)

    def _print(self) -> None:
        chosen = self.chosen()
        if chosen is not None:
            save_form(self._ctx, self, self.printed, self.error, sheets.print_handover, chosen.number,
                      f"交接班-{chosen.number}.pdf")

    def _hand_over(self) -> None:
        incoming, strokes, note = self.incoming.currentData(), self.signature.strokes(), self.note.text()
        if incoming is None:
            self.error.show_message(_("Choose who takes over among the staff who do the checks."))
            return

        def done(_made: HandoverRow) -> None:
            self.signature.clear()
            self.note.clear()
            self.errors.clear()

        self._ctx.run_op(self, lambda a, uow: handovers.hand_over(a, uow, incoming_id=incoming, strokes=strokes,
                                                                  note=note), on_done=done, on_error=self.errors.show)

    def _acknowledge(self) -> None:
        chosen = self.chosen()
        if chosen is not None:
            Acknowledge(self._ctx, chosen, self).exec()


class Acknowledge(QDialog):
    """The person taking over reads what was listed and signs for it."""

    def __init__(self, ctx: UiContext, handover: HandoverRow, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="acknowledgeDialog")
        self.setWindowTitle(_("Handover No. %(n)d from %(who)s") % {"n": handover.number, "who": handover.outgoing})
        self._ctx, self._number = ctx, handover.number
        listed = QPlainTextEdit(listing_text(handover.listing), self, readOnly=True)
        self.signature = SignaturePad(self)
        self.error = ErrorLabel(self)
        self.errors = FieldErrors(self.error, {"signature": self.signature})
        form = QFormLayout()
        form.addRow(listed)
        if handover.note:
            form.addRow(_("Note"), QLineEdit(handover.note, self, readOnly=True))
        form.addRow(_("Your signature"), self.signature)
        dialog_layout(self, form, self.error, self._save)
        self.resize(900, 600)

    def _save(self) -> None:
        number, strokes = self._number, self.signature.strokes()
        self._ctx.run_op(self, lambda a, uow: handovers.acknowledge(a, uow, number=number, strokes=strokes),
                         on_done=lambda _r: self.accept(), on_error=self.errors.show)
