"""One worker thread for database work; results come back to the GUI thread by signal.

After Anki's taskman: serialized access to the database, the op never touches widgets, success and
failure run on the GUI thread. A busy indicator shows only when work takes longer than half a second.
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from app.errors import DomainError

log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class Progress(QObject):
    """How far a long operation is, told from the worker thread, and the person's wish to stop it.

    Pass `report` and `cancelled` to the operation (they run on the worker) and run it inside `around`;
    `changed(permille)` and `ended()` reach the GUI thread by queued signals, since this object lives there, and
    `ended` arrives before the operation's result or error. `cancel()` is called from the GUI thread.
    """

    changed = Signal(int)  # 0 to 1000: a share, so a file's size in bytes never overflows a Qt int
    ended = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop = threading.Event()

    def report(self, done: int, total: int) -> None:
        self.changed.emit(min(1000, 1000 * done // total) if total > 0 else 0)

    def cancel(self) -> None:
        self._stop.set()

    def cancelled(self) -> bool:
        return self._stop.is_set()

    def around(self, fn: Callable[[], Any]) -> Any:
        """Run `fn` (on the worker) and tell `ended` however it ends, a bug included."""
        try:
            return fn()
        finally:
            self.ended.emit()


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as e:  # reported on the GUI thread
            self.signals.failed.emit(e)
        else:
            self.signals.done.emit(result)


class TaskRunner(QObject):
    """Runs callables one at a time off the GUI thread."""

    busy_changed = Signal(bool)
    unexpected_error = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._running = 0
        self._jobs: dict[int, _Job] = {}
        self._busy_timer = QTimer(self, singleShot=True, interval=500)
        self._busy_timer.timeout.connect(lambda: self.busy_changed.emit(True))

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[DomainError], None] | None = None) -> None:
        job = _Job(fn)
        # The job (and its signals object) lives until it reports. The callbacks name it by key, not by itself:
        # a job in a reference cycle would be left to the garbage collector, which may run on the worker thread
        # and delete the signals object there.
        key = id(job)
        self._jobs[key] = job

        def finish() -> None:
            del self._jobs[key]
            self._running -= 1
            if not self._running:
                self._busy_timer.stop()
                self.busy_changed.emit(False)

        def done(result: object) -> None:
            finish()
            if on_done is not None:
                on_done(result)

        def failed(error: Exception) -> None:
            finish()
            if isinstance(error, DomainError) and on_error is not None:
                on_error(error)
            elif isinstance(error, DomainError):
                self.unexpected_error.emit(error)
            else:
                log.error("operation failed", exc_info=(type(error), error, error.__traceback__))
                self.unexpected_error.emit(error)

        job.signals.done.connect(done)
        job.signals.failed.connect(failed)
        self._running += 1
        self._busy_timer.start()
        self._pool.start(job)

    def idle(self) -> bool:
        """No work queued or running, and every result handed back."""
        return not self._running

    def wait(self, msecs: int = 10000) -> bool:
        return self._pool.waitForDone(msecs)
