"""How the window tells a person that something went wrong: one calm sentence, details in the log."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import DomainError
from app.i18n import _


def message_for(error: BaseException) -> str:
    if isinstance(error, DomainError):
        return str(error)
    if isinstance(error, OSError):  # the file system's refusal: a sentence, not "something unexpected"
        from app.errors import file_problem

        return str(file_problem(error))
    from app import logs

    return _("Something unexpected went wrong; nothing was saved. Details are in the log: %s") % logs.log_file()


def show(parent: QWidget | None, error: BaseException) -> None:
    QMessageBox.warning(parent, _("Error"), message_for(error))
