"""The office's settings for managers: the figures the rules use (open hours, intervals, lockout)."""
from __future__ import annotations

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QDialog, QFormLayout, QSpinBox, QTimeEdit, QWidget

from app.config import SETTINGS, OfficeSettings
from app.i18n import _
from app.services import settings
from ui.context import UiContext
from ui.widgets.forms import ErrorLabel, FieldErrors, dialog_layout


class SettingsDialog(QDialog):
    def __init__(self, ctx: UiContext, current: OfficeSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(_("Office settings"))
        self._ctx = ctx
        self.fields: dict[str, QSpinBox | QTimeEdit] = {}
        form = QFormLayout()
        for s in SETTINGS:
            value = getattr(current, s.key)
            if isinstance(s.default, int):
                field: QSpinBox | QTimeEdit = QSpinBox(minimum=s.minimum, maximum=s.maximum, value=value)
                field.setSuffix(" " + _(s.unit) if s.unit else "")
            else:
                field = QTimeEdit(QTime.fromString(value, "HH:mm"))
                field.setDisplayFormat("HH:mm")
            field.setObjectName(f"setting_{s.key}")
            self.fields[s.key] = field
            form.addRow(_(s.title), field)
        self.error = ErrorLabel(self)
        self.errors = FieldErrors(self.error, dict(self.fields))
        dialog_layout(self, form, self.error, self._save)

    def values(self) -> dict[str, object]:
        return {key: f.value() if isinstance(f, QSpinBox) else f.time().toString("HH:mm")
                for key, f in self.fields.items()}

    def _save(self) -> None:
        changes = self.values()
        self._ctx.run_op(self, lambda a, uow: settings.update(a, uow, changes), on_done=lambda _s: self.accept(),
                         on_error=self.errors.show)
