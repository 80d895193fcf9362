"""Starting the window: font and style, open (and create or upgrade) the database, sign in, show."""
from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from app import i18n, paths
from app.db import make_engine, sqlite_path, to_url
from app.errors import DomainError
from app.i18n import _
from app.services import accounts
from ui import qt_language
from ui.context import UiContext


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
    path = sqlite_path(to_url(target))
    if path is not None:
        return path.name
    from sqlalchemy.engine import make_url

    return make_url(target).render_as_string(hide_password=True)


def open_database(target: str):  # type: ignore[no-untyped-def]
    """The engine of a database ready for use: created or upgraded (with a backup) when needed."""
    from app import schema

    engine = make_engine(target)
    if not schema.is_current(engine):
        schema.upgrade(engine)
    return engine


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


def run_window(target: str, *, quit_after_first_paint: bool = False, language: str | None = None,
               kiosk: bool = False) -> int:
    from app import logs
    from ui.main_window import MainWindow

    logs.setup_logging()
    sys.excepthook = _report_unexpected
    qapp = application()
    station = station_settings()
    i18n.set_language(language or str(station.value("language", i18n.DEFAULT_LANGUAGE)))
    qt_language.apply(i18n.language())
    try:
        engine = open_database(target)
    except DomainError as e:
        QMessageBox.critical(None, _("Cannot open the database"), str(e))
        return 1
    ctx = UiContext(engine, kiosk=kiosk)
    if not accounts.has_staff(ctx.uow()):
        from ui.dialogs.first_run import FirstRunDialog

        first = FirstRunDialog(ctx)
        if not first.exec():
            return 0
        ctx.set_actor(first.actor)
    else:
        ctx.set_actor(accounts.demo_actor(ctx.uow()))
    window = MainWindow(ctx, db_label=db_label(target),
                        on_language=lambda code: station.setValue("language", code))
    if quit_after_first_paint:
        watcher = _FirstPaint(window)
        window.installEventFilter(watcher)
    if kiosk:
        qapp.setStyleSheet(qapp.styleSheet() + paths.resource("kiosk.qss").read_text(encoding="utf-8"))
        window.showFullScreen()
    else:
        window.show()
    if ctx.actor is None and not quit_after_first_paint and not window.switch_user():
        return 0
    code = qapp.exec()
    ctx.tasks.wait()
    engine.dispose()
    return code


