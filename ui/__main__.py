"""The `salesoffice` command: subcommands go to app.cli; with none, the window opens."""
from __future__ import annotations

import gc
import sys


def main(argv: list[str] | None = None) -> int:
    from app import cli

    return cli.main(argv if argv is not None else sys.argv[1:], open_window=_open_window, screenshots=_screenshots)


def _open_window(target: str, **options: object) -> int:
    # Imports make objects that live as long as the program, among which the collector's rounds find next to
    # no garbage yet took a fifth of the start: it waits until the imports are done, then leaves them out.
    gc.disable()
    try:
        _import_core()
        from ui.app import run_window
    finally:
        gc.freeze()
        gc.enable()
    return run_window(target, **options)  # type: ignore[arg-type]


def _screenshots(target: str, out_dir: str) -> int:
    from ui.screenshots import render

    return render(target, out_dir)


def _import_core() -> None:
    """Import the Qt-free core (SQLAlchemy, the models) before PySide6, to start faster.

    Once PySide6 is loaded, its import hook reads the source of every module imported after it (looking for
    `from __feature__`); importing SQLAlchemy's few hundred modules first saves about 60 ms of each start.
    """
    import sqlalchemy.orm  # noqa: F401

    import app.models
    import app.schema
    import app.uow  # noqa: F401


if __name__ == "__main__":
    sys.exit(main())
