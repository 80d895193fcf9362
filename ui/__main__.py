"""The `salesoffice` command: subcommands go to app.cli; with none, the window opens."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from app import cli

    return cli.main(argv if argv is not None else sys.argv[1:], open_window=_open_window, screenshots=_screenshots)


def _open_window(target: str, **options: object) -> int:
    from ui.app import run_window

    return run_window(target, **options)  # type: ignore[arg-type]


def _screenshots(target: str, out_dir: str) -> int:
    from ui.screenshots import render

    return render(target, out_dir)


if __name__ == "__main__":
    sys.exit(main())
