"""The hotline call log (来电登记, REC-10): the goal of a call is an appointment to visit."""
from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDateTime, QTimeZone
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateTimeEdit, QFormLayout, QLabel, QLineEdit, QPlainTextEdit,
                               QPushButton, QVBoxLayout, QWidget)

from app import clock
from app.domain.channels import CHANNELS
from app.i18n import _
from app.services.reception import followups
from app.services.reception.followups import CallResult
from ui.context import UiContext
from ui.tabs.reception.form_save import FormSave
from ui.widgets.forms import ErrorLabel, FieldErrors, add_consultants, local_datetime


class CallsPanel(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callsPanel")
        self._ctx = ctx
        self.saving = FormSave(ctx, self._save, self)  # logs the call once, however often it is tried
        self.phone = QLineEdit(objectName="callPhoneField", maxLength=20)
        self.name = QLineEdit(objectName="callNameField", maxLength=40, placeholderText=_("e.g. 王先生"))
        self.channel = QComboBox(objectName="callChannelField")
        for code, label in CHANNELS.items():
            self.channel.addItem(_(label), code)
        self.questions = QPlainTextEdit(objectName="callQuestionsField")
        self.questions.setMaximumHeight(70)
        self.intent = QLineEdit(objectName="callIntentField", maxLength=200,
                                placeholderText=_("Unit type, area, budget"))
        self.consultant = QComboBox(objectName="callConsultantField")
        self.consultant.addItem(_("(the customer's consultant)"), None)
        add_consultants(ctx, self.consultant)
        self.has_appointment = QCheckBox(_("Appointment to visit"), objectName="appointmentBox")
        self.appointment = QDateTimeEdit(objectName="appointmentField", calendarPopup=True)
        self.appointment.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.appointment.setTimeZone(QTimeZone(clock.OFFICE_TZ.key.encode()))
        self.appointment.setEnabled(False)
        self.has_appointment.toggled.connect(self.appointment.setEnabled)
        self.save = QPushButton(_("Save call"), objectName="saveCallButton")
        self.save.setMinimumHeight(40)
        self.error = ErrorLabel(self)
        self.result = QLabel(objectName="callResult", wordWrap=True)
        self.errors = FieldErrors(self.error, {"phone": self.phone, "name": self.name, "channel": self.channel,
                                               "questions": self.questions, "intent": self.intent,
                                               "consultant": self.consultant, "appointment_at": self.appointment})
        form = QFormLayout()
        form.addRow(_("Caller's phone"), self.phone)
        form.addRow(_("Name"), self.name)
        form.addRow(_("Heard of us by"), self.channel)
        form.addRow(_("Questions"), self.questions)
        form.addRow(_("Intent"), self.intent)
        form.addRow(_("Consultant"), self.consultant)
        form.addRow(self.has_appointment, self.appointment)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.save)
        layout.addWidget(self.error)
        layout.addWidget(self.result)
        layout.addStretch()
        self.save.clicked.connect(self._save)
        self._reset_appointment()

    def _reset_appointment(self) -> None:
        tomorrow = clock.local(clock.now() + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
        self.appointment.setDateTime(QDateTime.fromSecsSinceEpoch(int(tomorrow.timestamp())))

    def _save(self) -> None:
        self.errors.clear()
        appointment = None
        if self.has_appointment.isChecked():
            appointment = self.appointment.dateTime().toPython()
            appointment = appointment.replace(tzinfo=clock.OFFICE_TZ) if appointment.tzinfo is None else appointment
        values = dict(phone=self.phone.text(), name=self.name.text(), channel=self.channel.currentData(),
                      questions=self.questions.toPlainText(), intent=self.intent.text(),
                      consultant_id=self.consultant.currentData(), appointment_at=appointment,
                      token=self.saving.begin())
        self._ctx.run_op(self, lambda a, uow: followups.record_call(a, uow, **values), on_done=self._saved,
                         on_error=lambda e: self.errors.show(self.saving.failed(e)))

    def _saved(self, result: CallResult) -> None:
        self.saving.renew()
        text = _("Call saved.")
        if result.consultant:
            text += " " + _("Consultant: %s.") % result.consultant
        if result.appointment_at:
            text += " " + _("Appointment: %s.") % local_datetime(result.appointment_at)
        self.result.setText(text)
        for field in (self.phone, self.name, self.intent):
            field.clear()
        self.questions.clear()
        self.has_appointment.setChecked(False)
        self._reset_appointment()
