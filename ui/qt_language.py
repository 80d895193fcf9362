"""Qt's own words (Save, Cancel, OK in standard buttons and dialogs) in the program's language."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

_installed: QTranslator | None = None


def apply(language: str) -> None:
    """Install Qt's catalogue for `language` (shipped with PySide6), replacing the previous one."""
    global _installed
    app = QCoreApplication.instance()
    if app is None:
        return
    if _installed is not None:
        app.removeTranslator(_installed)
        _installed = None
    if language == "en":
        return
    translator = QTranslator(app)
    if translator.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
        _installed = translator
