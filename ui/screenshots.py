"""`salesoffice screenshots --out DIR`: the main window with each tab, rendered offscreen to DIR/<objectName>.png."""
from __future__ import annotations

import os
from pathlib import Path

from app.errors import DomainError
from app.i18n import _
from app.permissions import Actor, Role
from app.services import accounts


def render(target: str, out_dir: str) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.database.schema import open_database
    from ui.app import application, db_label
    from ui.context import UiContext
    from ui.main_window import MainWindow

    application()
    try:
        engine = open_database(target)
    except DomainError as e:
        print(e)
        return 1
    ctx = UiContext(engine)
    # The window as the demo receptionist sees it, else as the manager: rendering needs no PIN because
    # whoever runs this command already holds the database.
    actor = accounts.demo_actor(ctx.uow())
    if actor is None:
        managers = accounts.list_staff(ctx.uow(), role=Role.MANAGER)
        if not managers:
            print(_("This database has no staff yet."))
            return 1
        actor = Actor(managers[0].id, managers[0].name, managers[0].role)
    ctx.set_actor(actor)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    window = MainWindow(ctx, db_label=db_label(target))
    window.resize(1366, 740)
    window.show()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        settle(ctx)
        path = out / f"{window.tabs.widget(index).objectName()}.png"
        window.grab().save(str(path))
        print(path)
    window.close()
    ctx.tasks.wait()
    QApplication.processEvents()
    engine.dispose()
    return 0


def settle(ctx) -> None:  # type: ignore[no-untyped-def]
    """Let queued database work finish and its results reach the widgets."""
    from PySide6.QtWidgets import QApplication

    for _round in range(5):
        ctx.tasks.wait()
        QApplication.processEvents()
