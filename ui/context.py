"""What a tab needs, passed in, never global: the signed-in actor, a way to run an operation, change news."""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QObject, Signal
from sqlalchemy import Engine

from app.database.engine import session_factory
from app.errors import DomainError, Unreachable
from app.permissions import Actor
from app.database.uow import UnitOfWork
from ui.tasks import TaskRunner


class _ChangeListener(QObject):
    """Calls back when committed work changed one of `areas`; a child of the widget it serves, so the connection
    ends when that widget is deleted (a tab rebuilt after a sign-in or a language switch), where a lambda's
    connection would outlive it and call into a deleted widget."""

    def __init__(self, owner: QObject, areas: frozenset[str], callback: Callable[[], None]) -> None:
        super().__init__(owner)
        self._areas, self._callback = areas, callback

    def changed(self, areas: frozenset[str]) -> None:
        if areas & self._areas:
            self._callback()


class UiContext(QObject):
    """Signals:
        data_changed(frozenset[str]): areas ("visits", "rotation", "bar" …) that committed work changed.
        actor_changed(object): someone signed in (an Actor) or out (None).
        reachable_changed(bool): the database stopped or started answering (a shared server, a network).
    """

    data_changed = Signal(object)
    actor_changed = Signal(object)
    reachable_changed = Signal(bool)

    def __init__(self, engine: Engine, *, kiosk: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.kiosk = kiosk
        self._factory = session_factory(engine)
        self.actor: Actor | None = None
        self.tasks = TaskRunner(self)
        self._own_changes: set[int] = set()  # audit ids this station wrote and already announced
        self.reachable = True

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self._factory)

    def set_actor(self, actor: Actor | None) -> None:
        """Whoever signs in at the kiosk works with the kiosk's limits (VIS-7)."""
        self.actor = replace(actor, at_kiosk=self.kiosk) if actor is not None else None
        self.actor_changed.emit(self.actor)

    def on_change(self, owner: QObject, areas: set[str] | frozenset[str], callback: Callable[[], None]) -> None:
        """Call `callback` whenever committed work changed one of `areas`, for as long as `owner` lives."""
        self.data_changed.connect(_ChangeListener(owner, frozenset(areas), callback).changed)

    def set_reachable(self, reachable: bool) -> None:
        if reachable != self.reachable:
            self.reachable = reachable
            self.reachable_changed.emit(reachable)

    def is_own_change(self, audit_id: int) -> bool:
        """True once for each change this station made itself (the live feed then skips it)."""
        if audit_id in self._own_changes:
            self._own_changes.discard(audit_id)
            return True
        return False

    def run_op(self, owner: QObject, op: Callable[[Actor, UnitOfWork], Any], *,
               on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[DomainError], None] | None = None) -> None:
        """Run `op(actor, uow)` on the worker for the widget `owner`; announce the areas it changed.

        The callbacks are dropped when `owner` is gone by the time the result arrives (a tab rebuilt
        after a language switch, a dialog closed), but the change is still announced. An operation that
        finds the server gone turns the window's banner on (and one that succeeds, off): it is said there,
        and a form waiting to save saves again when the server answers (SEC-6).
        """
        actor, uow = self.actor, self.uow()

        def finished(result: Any) -> None:
            self._own_changes.update(uow.written)
            self.set_reachable(True)
            if on_done is not None and shiboken6.isValid(owner):
                on_done(result)
            if uow.changes:
                self.data_changed.emit(frozenset(uow.changes))

        def failed(error: DomainError) -> None:
            if isinstance(error, Unreachable):
                self.set_reachable(False)
            if on_error is not None:
                if shiboken6.isValid(owner):
                    on_error(error)
            elif not isinstance(error, Unreachable):  # the banner says that one
                self.tasks.unexpected_error.emit(error)

        self.tasks.run(lambda: op(actor, uow), finished, failed)
