"""Live updates between stations: what another station saved appears here within a few seconds.

Every change is audited, so a station polls the newest audit id (a one-row read) on the worker thread;
when it has moved, the areas of the new entries — less this station's own, already announced — go out
as `data_changed`, and each widget redraws only what it shows. Forms being typed into are never touched:
only lists and panels reload.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from app.services import changes
from ui.context import UiContext

log = logging.getLogger(__name__)


class LiveUpdates(QObject):
    INTERVAL_MS = 1000

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._seen = 0
        # Busy until the newest change so far is known: only what comes after it is news. Read on the worker,
        # as every poll is, so that the window never waits on the database.
        self._busy = True
        self._timer = QTimer(self, interval=self.INTERVAL_MS)
        self._timer.timeout.connect(self.poll)
        self._timer.start()
        ctx.tasks.run(lambda: changes.latest(ctx.uow()), self._start, lambda _e: self._done())

    def poll(self) -> None:
        if self._busy:
            return
        self._busy = True
        after = self._seen
        self._ctx.tasks.run(lambda: self._read(after), self._arrived, lambda _e: self._done())

    def _read(self, after: int) -> tuple[int, dict[int, str]] | None:
        """The newest change's id and the new changes' areas; None when the database cannot be reached (the
        server down, the network pulled): the window then says so once, instead of an error every second."""
        try:
            latest = changes.latest(self._ctx.uow())
            if latest <= after:
                return latest, {}
            return latest, changes.since(self._ctx.uow(), after)
        except Exception:  # noqa: BLE001 — any failure to read means: not reachable now
            log.warning("live updates: the database cannot be reached", exc_info=True)
            return None

    def _arrived(self, read: tuple[int, dict[int, str]] | None) -> None:
        self._done()
        self._ctx.set_reachable(read is not None)
        if read is None:
            return
        latest, entries = read
        if latest < self._seen:
            # A backup was restored (here or at another station): the log goes on from the backup's newest entry,
            # so from there on its changes are news again, or none would be until it passed the old number.
            self._seen = latest
            return
        if not entries:
            return
        self._seen = max(self._seen, *entries)
        theirs = {area for entry_id, area in entries.items() if not self._ctx.is_own_change(entry_id)}
        if theirs:
            self._ctx.data_changed.emit(frozenset(theirs))

    def _start(self, latest: int) -> None:
        self._seen = latest
        self._done()

    def _done(self) -> None:
        self._busy = False


