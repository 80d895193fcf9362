"""A form's save that survives a lost connection (SEC-6): the form carries a token, made when it is opened or
cleared and sent with every try of the same save, so a retry never writes the record twice; a save that found
the server gone keeps what was typed and is tried again, by itself, when the server answers."""
from __future__ import annotations

import uuid
from typing import Callable

from PySide6.QtCore import QObject

from app.errors import DomainError, Unreachable
from app.i18n import _
from ui.context import UiContext


class FormSave(QObject):
    """Attributes:
        token: sent with the form's save (the services' `token`); the same until the save succeeds or the
            form is cleared.
        waiting: a save failed because the server could not be reached and waits for it to answer.
    """

    def __init__(self, ctx: UiContext, save: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._save = save
        self.token = str(uuid.uuid4())
        self.waiting = False
        ctx.reachable_changed.connect(self._reachable_changed)

    def begin(self) -> str:
        """A save of the form starts (pressed, or tried again by itself): the token to send with it."""
        self.waiting = False
        return self.token

    def renew(self) -> None:
        """The form was saved or cleared: what it holds next is another record."""
        self.token = str(uuid.uuid4())
        self.waiting = False

    def failed(self, error: DomainError) -> DomainError:
        """The error to show; a lost connection also says that the form waits and saves by itself."""
        self.waiting = isinstance(error, Unreachable)
        if not self.waiting:
            return error
        return Unreachable(_("%s What you typed is kept and will be saved when the connection returns; "
                             "or press the button again.") % error)

    def _reachable_changed(self, reachable: bool) -> None:
        if reachable and self.waiting:
            self._save()
