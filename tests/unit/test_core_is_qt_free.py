"""The core (app/) never imports Qt or the window, and the command line does not load the report libraries."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_IMPORTABLE = {"app.database.migrations.env"}  # runs only inside Alembic
DESK_SERVICES = ["app.services." + m for m in ("accounts", "audit", "customers", "settings")] + [
    "app.services.reception." + m for m in ("bar", "followups", "rotation", "visits")]

PROBE = """
import importlib, json, pkgutil, sys
import app
wanted = sys.argv[1:] or [m.name for m in pkgutil.walk_packages(app.__path__, "app.")]
skip = set(json.loads(sys.stdin.read()))
done = []
for name in wanted:
    if name not in skip:
        importlib.import_module(name)
        done.append(name)
print(json.dumps({"imported": done, "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def import_in_fresh_python(*modules: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, *modules], input=json.dumps(sorted(NOT_IMPORTABLE)),
                         cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout)


def test_every_core_module_imports_without_qt():
    result = import_in_fresh_python()
    expected = {".".join(p.relative_to(ROOT).with_suffix("").parts) for p in ROOT.joinpath("app").rglob("*.py")
                if p.parent.joinpath("__init__.py").exists()}
    expected = {m.removesuffix(".__init__") for m in expected} - NOT_IMPORTABLE - {"app"}
    assert set(result["imported"]) == expected
    assert not {"PySide6", "shiboken6", "qtawesome", "ui"} & set(result["modules"])


def test_command_line_and_desk_services_do_not_load_report_libraries():
    cli = ["app.cli"]
    result = import_in_fresh_python(*cli, *DESK_SERVICES)
    assert result["imported"] == [*cli, *DESK_SERVICES]
    assert not {"reportlab", "openpyxl", "PySide6"} & set(result["modules"])


def test_the_window_starts_without_the_report_libraries_or_alembic():
    out = subprocess.run([sys.executable, "-c", "import json, sys, ui.main_window; "
                          "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    loaded = set(json.loads(out.stdout))
    assert "PySide6" in loaded
    assert not {"reportlab", "openpyxl", "alembic"} & loaded
