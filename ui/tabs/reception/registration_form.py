"""The walk-in registration form: phone first (REC-1, REC-3), then the party, then who receives them."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QFrame, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from app.domain.channels import CHANNELS, RELATIONS
from app.domain.rotation import Kind
from app.errors import DomainError
from app.i18n import _
from app.services import customers
from app.services.reception import visits
from app.services.customers import CustomerCard
from app.services.reception.visits import Registration, VisitResult
from ui.context import UiContext
from ui.tabs.reception.form_save import FormSave
from ui.widgets.forms import ErrorLabel, FieldErrors, local_datetime


class RegistrationForm(QGroupBox):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(_("Register a walk-in"), parent)
        self.setObjectName("registrationForm")
        self._ctx = ctx
        self.saving = FormSave(ctx, self._submit, self)  # registers the party once, however often it is tried
        self.phone = QLineEdit(objectName="phoneField", placeholderText=_("Mobile or landline, e.g. 138 1234 5678"))
        self.phone.setMaxLength(20)
        self.declined = QCheckBox(_("Declined to give a phone"), objectName="declinedBox")
        self.card = QLabel(objectName="customerCard", wordWrap=True)
        self.card.setFrameShape(QFrame.Shape.StyledPanel)
        self.card.hide()
        self.name = QLineEdit(objectName="nameField", placeholderText=_("e.g. 王先生"))
        self.name.setMaxLength(40)
        self.party_size = QSpinBox(objectName="partySizeField", minimum=1, maximum=visits.MAX_PARTY, value=1)
        self.channel = QComboBox(objectName="channelField")
        for code, label in CHANNELS.items():
            self.channel.addItem(_(label), code)
        self.intent = QLineEdit(objectName="intentField", placeholderText=_("Unit type, area, budget"))
        self.intent.setMaxLength(visits.MAX_INTENT)
        self.is_return = QCheckBox(_("Return visit"), objectName="returnBox")
        self.family_phone = QLineEdit(objectName="familyPhoneField",
                                      placeholderText=_("Phone of a registered family member (optional)"))
        self.relation = QComboBox(objectName="relationField")
        self.relation.addItem("", "")
        for code, label in RELATIONS.items():
            self.relation.addItem(_(label), code)
        self.note = QLineEdit(objectName="noteField")
        self.note.setMaxLength(visits.MAX_NOTE)
        self.submit = QPushButton(_("Register and call a consultant"), objectName="registerButton")
        self.submit.setMinimumHeight(48)
        self.clear_button = QPushButton(_("Clear"), objectName="clearButton")
        self.error = ErrorLabel(self)
        self.result = QLabel(objectName="callBanner", wordWrap=True)
        self.result.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.result.hide()
        self.errors = FieldErrors(self.error, {
            "phone": self.phone, "name": self.name, "party_size": self.party_size, "channel": self.channel,
            "intent": self.intent, "note": self.note, "family_phone": self.family_phone,
            "relation": self.relation})

        family_row = QHBoxLayout()
        family_row.addWidget(self.family_phone, 2)
        family_row.addWidget(self.relation, 1)
        form = QFormLayout()
        form.addRow(_("Phone"), self.phone)
        form.addRow("", self.declined)
        form.addRow("", self.card)
        form.addRow(_("Name"), self.name)
        form.addRow(_("Party size"), self.party_size)
        form.addRow(_("Heard of us by"), self.channel)
        form.addRow(_("Intent"), self.intent)
        form.addRow("", self.is_return)
        form.addRow(_("Family of"), family_row)
        form.addRow(_("Note"), self.note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.submit, 3)
        buttons.addWidget(self.clear_button, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addWidget(self.result)

        # Look the phone up as soon as it is complete, so the desk sees a returning customer first (REC-3).
        self._lookup_timer = QTimer(self, singleShot=True, interval=300)
        self._lookup_timer.timeout.connect(self._lookup)
        self.phone.textChanged.connect(lambda _t: self._lookup_timer.start())
        self.declined.toggled.connect(self._declined_toggled)
        self.submit.clicked.connect(self._submit)
        self.clear_button.clicked.connect(self.clear)

    def _declined_toggled(self, on: bool) -> None:
        self.phone.setEnabled(not on)
        if on:
            self.phone.clear()

    def _lookup(self) -> None:
        text = self.phone.text()
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) < 10:  # a landline with a short area code (010 1234567) has 10 digits
            self._show_card(None)
            return
        self._ctx.run_op(self, lambda actor, uow: customers.lookup_phone(actor, uow, text),
                         on_done=self._show_card, on_error=lambda _e: self._show_card(None))

    def _show_card(self, card: CustomerCard | None) -> None:
        if card is None:
            self.card.hide()
            self.card.clear()
            return
        owner = card.owner_name or _("nobody (lapsed)")
        if card.owner_name and card.owner_valid_until:
            owner += " " + _("(valid until %s)") % local_datetime(card.owner_valid_until)[:10]
        self.card.setText(_("Returning customer %(name)s · consultant: %(owner)s · visits: %(n)d · last visit: %(last)s")
                          % {"name": card.name, "owner": owner, "n": card.visit_count,
                             "last": local_datetime(card.last_visit_at) or "—"})
        self.card.show()
        if not self.name.text():
            self.name.setText(card.name)
        self.is_return.setChecked(card.visit_count > 0)

    def registration(self) -> Registration:
        return Registration(
            name=self.name.text(), phone=self.phone.text(), contact_declined=self.declined.isChecked(),
            party_size=self.party_size.value(), channel=self.channel.currentData(), intent=self.intent.text(),
            note=self.note.text(), is_return=True if self.is_return.isChecked() else None,
            family_phone=self.family_phone.text(),
            relation=self.relation.currentData())

    def _submit(self) -> None:
        self.errors.clear()
        reg, token = self.registration(), self.saving.begin()
        self.submit.setEnabled(False)
        self._ctx.run_op(self, lambda actor, uow: visits.register(actor, uow, reg, token=token),
                         on_done=self._registered, on_error=self._failed)

    def _failed(self, error: DomainError) -> None:
        self.submit.setEnabled(True)
        self.errors.show(self.saving.failed(error))

    def _registered(self, result: VisitResult) -> None:
        self.submit.setEnabled(True)
        how = {Kind.ASSIGN: _("next in rotation"), Kind.OWNER: _("their own customer"),
               Kind.ON_BEHALF: _("on behalf of %s") % result.owner_name}[result.route]
        self.result.setText(_("Please call %(name)s to receive the visitor (%(how)s).")
                            % {"name": result.consultant_name, "how": how})
        self.result.show()
        self.clear(keep_result=True)

    def clear(self, keep_result: bool = False) -> None:
        for field in (self.phone, self.name, self.intent, self.family_phone, self.note):
            field.clear()
        self.declined.setChecked(False)
        self.is_return.setChecked(False)
        self.party_size.setValue(1)
        self.channel.setCurrentIndex(0)
        self.relation.setCurrentIndex(0)
        self._show_card(None)
        self.errors.clear()
        self.saving.renew()
        if not keep_result:
            self.result.hide()
        self.phone.setFocus()
