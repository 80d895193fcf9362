"""Form helpers: show a domain error next to its field, and a banner for the rest."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from app.errors import DomainError


class ErrorLabel(QLabel):
    """A red sentence under a form; empty and hidden when all is well."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorLabel")
        self.setWordWrap(True)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


class FieldErrors:
    """Marks the widget a DomainError names (by its `field`) and shows the message."""

    def __init__(self, label: ErrorLabel, fields: dict[str, QWidget]) -> None:
        self._label, self._fields = label, fields

    def show(self, error: DomainError) -> None:
        self.clear()
        widget = self._fields.get(error.field or "")
        if widget is not None:
            widget.setProperty("invalid", True)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
            widget.setFocus()
        self._label.show_message(str(error))

    def clear(self) -> None:
        for widget in self._fields.values():
            if widget.property("invalid"):
                widget.setProperty("invalid", False)
                widget.style().unpolish(widget)
                widget.style().polish(widget)
        self._label.show_message("")


def local_time(dt) -> str:  # type: ignore[no-untyped-def]
    """A stored UTC time as the office reads it."""
    from app import clock

    return clock.local(dt).strftime("%H:%M") if dt else ""


def local_datetime(dt) -> str:  # type: ignore[no-untyped-def]
    from app import clock

    return clock.local(dt).strftime("%Y-%m-%d %H:%M") if dt else ""
