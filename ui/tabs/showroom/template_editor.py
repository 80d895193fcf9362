"""The check templates (SHW-2): the points of each kind of check, one a line, with whether the check counts the
items; the supervisor saves a new version with why, in force from then on (checks already done keep theirs)."""
from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWidget)

from app import clock
from app.domain.showroom_day import KIND_LABEL, CheckKind
from app.i18n import _
from app.permissions import Perm
from app.services.showroom import templates
from app.services.showroom.templates import TemplateRow
from ui.context import UiContext
from ui.widgets.forms import ErrorLabel, FieldErrors


class TemplateEditor(QWidget):
    AREAS = {"showroom"}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templateEditor")
        self._ctx = ctx
        self.current: dict[CheckKind, TemplateRow] = {}
        self.kind = QComboBox(self, objectName="templateKind")
        for kind in CheckKind:
            self.kind.addItem(_(KIND_LABEL[kind]), kind)
        self.version = QLabel(self, objectName="templateVersion")
        self.points = QPlainTextEdit(self, objectName="templatePoints")
        self.count_items = QCheckBox(_("This check counts every item of the list"), self, objectName="templateCounts")
        self.reason = QLineEdit(self, objectName="templateReason", maxLength=200,
                                placeholderText=_("Why the points change"))
        self.save_button = QPushButton(_("Save a new version"), self, objectName="saveTemplate")
        self.error = ErrorLabel(self)
        self.errors = FieldErrors(self.error, {"points": self.points, "reason": self.reason})
        editable = ctx.actor is not None and ctx.actor.can(Perm.MANAGE_SHOWROOM)
        for widget in (self.points, self.count_items, self.reason):
            widget.setEnabled(editable)
        self.save_button.setVisible(editable)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Check"), self))
        top.addWidget(self.kind)
        top.addWidget(self.version, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.reason, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel(_("One point a line, as the sheet prints them:"), self))
        layout.addWidget(self.points, 1)
        layout.addWidget(self.count_items)
        layout.addLayout(bottom)
        layout.addWidget(self.error)
        self.kind.currentIndexChanged.connect(lambda _i: self._fill())
        self.save_button.clicked.connect(self._save)
        ctx.on_change(self, self.AREAS, self.reload)
        self.reload()

    def reload(self) -> None:
        self._ctx.run_op(self, lambda _a, uow: templates.current(uow), on_done=self._show,
                         on_error=lambda e: self.error.show_message(str(e)))

    def _show(self, current: dict[CheckKind, TemplateRow]) -> None:
        self.current = current
        self._fill()

    def _fill(self) -> None:
        template = self.current.get(self.kind.currentData())
        if template is None:
            return
        self.points.setPlainText("\n".join(template.points))
        self.count_items.setChecked(template.count_items)
        if template.version == 1:  # stored on first use, from data/showroom_checks.toml
            self.version.setText(_("Version 1: the defaults a new office starts with"))
        else:
            self.version.setText(_("Version %(version)d, in force since %(since)s")
                                 % {"version": template.version,
                                    "since": clock.local(template.valid_from).strftime("%Y-%m-%d %H:%M")})

    def _save(self) -> None:
        kind, reason = self.kind.currentData(), self.reason.text()
        points = self.points.toPlainText().splitlines()
        count_items = self.count_items.isChecked()
        self.errors.clear()
        self._ctx.run_op(self, lambda a, uow: templates.save(a, uow, kind=kind, points=points,
                                                             count_items=count_items, reason=reason),
                         on_done=lambda _row: self.reason.clear(), on_error=self.errors.show)
