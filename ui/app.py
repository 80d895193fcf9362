"""Starting the window: font and style, show the window, then open (create, upgrade) the database and sign in.

The core (SQLAlchemy, the services) is imported only in the second step, after the window has painted.
"""
from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from app import i18n, logs, paths
from app.errors import DomainError
from app.i18n import _
from ui import qt_language


def application() -> QApplication:
    """The QApplication with the bundled CJK font as the default, so no box is ever drawn."""
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    if not qapp.property("salesofficeReady"):
        font_id = QFontDatabase.addApplicationFont(str(paths.font_file()))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if families:
            qapp.setFont(QFont(families[0], 10))
        qapp.setStyleSheet(paths.resource("style.qss").read_text(encoding="utf-8"))
        qapp.setApplicationName("salesoffice")
        qapp.setProperty("salesofficeReady", True)
    return qapp


def station_settings() -> QSettings:
    """This station's own choices (language), kept in the data folder."""
    return QSettings(str(paths.data_dir() / "station.ini"), QSettings.Format.IniFormat)


def db_label(target: str) -> str:
    """What the status bar says: a file's name, or a server's URL without its password."""
    if "://" not in target:
        return Path(target).name
    return logs.hide_passwords(target)


class _FirstPaint(QObject):
    """Quits the program once the window has painted (for the start-up benchmark)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, QApplication.instance().quit)
        return False


def _report_unexpected(exc_type, exc, tb) -> None:  # type: ignore[no-untyped-def]
    """An error no rule foresaw: logged with its traceback, the person sees one calm sentence."""
    from ui import errors

    logging.getLogger("salesoffice").error("unexpected error", exc_info=(exc_type, exc, tb))
    errors.show(None, exc)


def run_window(target: str, *, quit_after_first_paint: bool = False, quit_when_ready: bool = False,
               language: str | None = None, kiosk: bool = False) -> int:
    """Paint the window first, then open the database and fill it: a person sees the window at once."""
    from ui.main_window import MainWindow

    logs.setup_logging()
    sys.excepthook = _report_unexpected
    qapp = application()
    station = station_settings()
    i18n.set_language(language or str(station.value("language", i18n.DEFAULT_LANGUAGE)))
    qt_language.apply(i18n.language())
    window = MainWindow(None, db_label=db_label(target), on_language=lambda code: station.setValue("language", code))
    if kiosk:
        qapp.setStyleSheet(qapp.styleSheet() + paths.resource("kiosk.qss").read_text(encoding="utf-8"))
        window.showFullScreen()
    else:
        window.show()
    if quit_after_first_paint:
        window.installEventFilter(_FirstPaint(window))
        return qapp.exec()
    opened = _Opening(window, target, kiosk=kiosk, quit_when_ready=quit_when_ready)
    QTimer.singleShot(0, opened.run)
    code = qapp.exec()
    opened.close()
    return code if opened.code is None else opened.code


def _who_opens(ctx) -> tuple[bool, object]:  # type: ignore[no-untyped-def]
    """On the worker: the database made ready; whether it has staff yet, and who a demo office opens as."""
    from app.database import schema
    from app.services import accounts

    schema.make_ready(ctx.engine)
    if not accounts.has_staff(ctx.uow()):
        return False, None
    return True, accounts.demo_actor(ctx.uow())


class _Opening(QObject):
    """The second step of the start: open (create, upgrade) the database, sign in, attach the window."""

    def __init__(self, window, target: str, *, kiosk: bool, quit_when_ready: bool) -> None:  # type: ignore[no-untyped-def]
        super().__init__(window)
        self.window, self.target, self.kiosk, self.quit_when_ready = window, target, kiosk, quit_when_ready
        self.ctx = None
        self.code: int | None = None
        self.ready = False  # --quit-when-ready: every start-up read shown

    def run(self) -> None:
        # The core's and the tabs' imports and the tabs' widgets make objects that live as long as the program;
        # the collector's passes over them find next to no garbage yet took a fifth of the start, so it waits
        # until the window is attached (or the opening has failed), then leaves them out.
        gc.disable()
        self._open()

    @staticmethod
    def _collect() -> None:
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    def _open(self) -> None:
        from app.database.engine import make_engine
        from ui.context import UiContext

        # Making the engine connects to nothing; the database is first touched on the worker, so the window
        # keeps painting while a slow disk or a far server answers, or while the schema is upgraded.
        self.ctx = ctx = UiContext(make_engine(self.target), kiosk=self.kiosk)
        ctx.tasks.unexpected_error.connect(self._crashed)
        ctx.tasks.run(lambda: _who_opens(ctx), self._opened, self._refused)

    def _opened(self, found: tuple[bool, object]) -> None:
        ctx = self.ctx
        ctx.tasks.unexpected_error.disconnect(self._crashed)  # from now on the window shows them
        has_staff, actor = found
        if not has_staff:
            self._collect()  # a person types for a while now
            from ui.dialogs.first_run import FirstRunDialog

            first = FirstRunDialog(ctx, self.window)
            if not first.exec():
                return self._stop(0)
            actor = first.actor
        ctx.set_actor(actor)
        self.window.attach(ctx)
        self._collect()
        if ctx.actor is None and not self.window.switch_user():
            return self._stop(0)
        if self.quit_when_ready:
            ctx.tasks.busy_changed.connect(self._maybe_ready)
            self._maybe_ready(False)

    def _maybe_ready(self, busy: bool) -> None:
        # Ready: every read the tabs asked for has come back from the worker and been shown (a result's
        # callbacks run just after `busy_changed`, hence the turn of the event loop); then one more paint.
        if not busy:
            QTimer.singleShot(0, self._quit_if_idle)

    def _quit_if_idle(self) -> None:
        # Two results may come back in one turn of the event loop, each asking: the first that finds the worker
        # idle ends the wait, the other finds nothing left to do.
        if self.ctx.tasks.idle() and not self.ready:
            self.ready = True
            self.ctx.tasks.busy_changed.disconnect(self._maybe_ready)
            self.window.installEventFilter(_FirstPaint(self.window))
            self.window.update()

    def _refused(self, error: DomainError) -> None:
        QMessageBox.critical(self.window, _("Cannot open the database"), str(error))
        self._stop(1)

    def _crashed(self, error: Exception) -> None:
        from ui import errors

        errors.show(self.window, error)
        self._stop(1)

    def _stop(self, code: int) -> None:
        self._collect()
        self.code = code
        QApplication.instance().exit(code)

    def close(self) -> None:
        if self.ctx is not None:
            self.ctx.tasks.wait()
            self.ctx.engine.dispose()
