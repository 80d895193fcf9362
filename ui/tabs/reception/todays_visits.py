"""Today's registrations: pass a refused visitor on (REC-6), correct as a revision (REC-2), mark leaving."""
from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QHBoxLayout, QInputDialog, QLabel, QLineEdit,
                               QPushButton, QSpinBox, QVBoxLayout, QWidget)

from app.domain.channels import CHANNELS
from app.i18n import N_, _
from app.services import customers
from app.services.reception import visits
from app.services.customers import DecisionRow
from app.services.reception.visits import RevisionRow, VisitRow
from ui.context import UiContext
from ui.widgets.forms import (ErrorLabel, FieldErrors, dialog_layout, fill_table, list_table, local_datetime,
                              local_time)


class TodaysVisits(QWidget):
    AREAS = {"visits", "rotation"}
    COLUMNS = (N_("Arrived"), N_("Name"), N_("Phone"), N_("People"), N_("Heard of us by"), N_("Consultant"),
               N_("Left"))

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("todaysVisits")
        self._ctx = ctx
        self.rows: list[VisitRow] = []
        self.table = list_table(self.COLUMNS, "todaysVisitsTable")
        self.refuse_button = QPushButton(_("Refused: pass on"), objectName="refuseButton")
        self.correct_button = QPushButton(_("Correct…"), objectName="correctButton")
        self.history_button = QPushButton(_("History"), objectName="historyButton")
        self.left_button = QPushButton(_("Has left"), objectName="leftButton")
        self.error = ErrorLabel(self)
        buttons = QHBoxLayout()
        for b in (self.refuse_button, self.correct_button, self.history_button, self.left_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        self.refuse_button.clicked.connect(self._refuse)
        self.correct_button.clicked.connect(self._correct)
        self.history_button.clicked.connect(self._history)
        self.left_button.clicked.connect(self._left)
        ctx.on_change(self, self.AREAS, self.reload)
        self.reload()

    def reload(self) -> None:
        self._ctx.run_op(self, lambda a, uow: visits.todays_visits(a, uow), on_done=self._show,
                         on_error=lambda e: self.error.show_message(str(e)))

    def _show(self, rows: list[VisitRow]) -> None:
        self.rows = rows
        fill_table(self.table, [[local_time(v.arrived_at), v.name, v.phone, str(v.party_size),
                                 _(CHANNELS.get(v.channel, "")),
                                 v.consultant + (" " + _("(for %s)") % v.on_behalf_of if v.on_behalf_of else ""),
                                 local_time(v.left_at)] for v in rows])

    def selected(self) -> VisitRow | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            return self.rows[row]
        self.error.show_message(_("Pick a visit in the list first."))
        return None

    def _run(self, op) -> None:  # type: ignore[no-untyped-def]
        self.error.show_message("")
        self._ctx.run_op(self, op, on_error=lambda e: self.error.show_message(str(e)))

    def _refuse(self) -> None:
        visit = self.selected()
        if visit is None:
            return
        reason, ok = QInputDialog.getText(self, _("Refused: pass on"),
                                          _("Why did %s not receive the visitor?") % visit.consultant)
        if ok:
            self._run(lambda a, uow: visits.refuse(a, uow, visit_id=visit.id, reason=reason))

    def _left(self) -> None:
        visit = self.selected()
        if visit is not None:
            self._run(lambda a, uow: visits.mark_left(a, uow, visit_id=visit.id))

    def _correct(self) -> None:
        visit = self.selected()
        if visit is not None:
            CorrectionDialog(self._ctx, visit, self).exec()

    def _history(self) -> None:
        visit = self.selected()
        if visit is None:
            return
        ctx = self._ctx  # read on the worker: a click never freezes the window on a slow or gone server

        def read(actor, uow):  # type: ignore[no-untyped-def]
            return (visits.history(actor, uow, visit_id=visit.id),
                    customers.ownership_history(actor, ctx.uow(), customer_id=visit.customer_id))

        ctx.run_op(self, read, on_done=lambda found: HistoryDialog(*found, self).exec(),
                   on_error=lambda e: self.error.show_message(str(e)))


class CorrectionDialog(QDialog):
    """A correction never overwrites: it needs a reason and becomes a new revision (REC-2)."""

    def __init__(self, ctx: UiContext, visit: VisitRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("correctionDialog")
        self.setWindowTitle(_("Correct a registration"))
        self._ctx, self._visit = ctx, visit
        self.name = QLineEdit(visit.name, objectName="nameField", maxLength=40)
        self.party_size = QSpinBox(objectName="partySizeField", minimum=1, maximum=visits.MAX_PARTY,
                                   value=visit.party_size)
        self.channel = QComboBox(objectName="channelField")
        for code, label in CHANNELS.items():
            self.channel.addItem(_(label), code)
        self.channel.setCurrentIndex(max(0, self.channel.findData(visit.channel)))
        self.intent = QLineEdit(visit.intent, objectName="intentField", maxLength=visits.MAX_INTENT)
        self.note = QLineEdit(visit.note, objectName="noteField", maxLength=visits.MAX_NOTE)
        self.reason = QLineEdit(objectName="reasonField", placeholderText=_("Why is it corrected? (required)"))
        self.error = ErrorLabel(self)
        self.errors = FieldErrors(self.error, {"name": self.name, "party_size": self.party_size,
                                               "channel": self.channel, "intent": self.intent, "note": self.note,
                                               "reason": self.reason})
        form = QFormLayout()
        for label, widget in [(_("Name"), self.name), (_("Party size"), self.party_size),
                              (_("Heard of us by"), self.channel), (_("Intent"), self.intent),
                              (_("Note"), self.note), (_("Reason"), self.reason)]:
            form.addRow(label, widget)
        dialog_layout(self, form, self.error, self._save)

    def _save(self) -> None:
        changes = {"name": self.name.text(), "party_size": self.party_size.value(),
                   "channel": self.channel.currentData(), "intent": self.intent.text(), "note": self.note.text()}
        old = {"name": self._visit.name, "party_size": self._visit.party_size, "channel": self._visit.channel,
               "intent": self._visit.intent, "note": self._visit.note}
        changes = {k: v for k, v in changes.items() if v != old[k]}
        reason, visit_id, seen = self.reason.text(), self._visit.id, self._visit.revision
        self._ctx.run_op(self, lambda a, uow: visits.correct(a, uow, visit_id=visit_id, reason=reason,
                                                             expected_revision=seen, **changes),
                         on_done=lambda _row: self.accept(), on_error=self.errors.show)


class HistoryDialog(QDialog):
    """Every version of a registration with who changed it, when and why (REC-2), and every decision
    on who owns the customer (REC-8)."""

    FIELDS = (("name", N_("Name")), ("party_size", N_("Party size")), ("channel", N_("Heard of us by")),
              ("intent", N_("Intent")), ("note", N_("Note")))
    COLUMNS = (N_("Revision"), N_("When"), N_("By"), N_("Why"), *(label for _key, label in FIELDS))
    OWNERSHIP_COLUMNS = (N_("When"), N_("Owner"), N_("Previous owner"), N_("Why"), N_("Note"))

    def __init__(self, rows: list[RevisionRow], decisions: list[DecisionRow],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle(_("History of the registration"))
        self.table = list_table(self.COLUMNS, "historyTable")
        fill_table(self.table, [[str(rev.revision), local_datetime(rev.changed_at), rev.changed_by, rev.reason,
                                 *(self._shown(key, rev.values.get(key, "")) for key, _label in self.FIELDS)]
                                for rev in rows])
        self.decisions = list_table(self.OWNERSHIP_COLUMNS, "ownershipTable")
        fill_table(self.decisions, [[local_datetime(d.decided_at), d.owner, d.previous_owner, d.reason, d.note]
                                    for d in decisions])
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Versions of this registration")))
        layout.addWidget(self.table)
        layout.addWidget(QLabel(_("Who owns the customer (判客)")))
        layout.addWidget(self.decisions)
        self.resize(900, 520)

    @staticmethod
    def _shown(key: str, value: object) -> str:
        return _(CHANNELS[value]) if key == "channel" and value in CHANNELS else str(value)
