"""Start-up on a demo office of 100,000 visits: process start to the main window's first paint, and to the desk
showing its data.

Baselines: for the first paint, a bare PySide6 QMainWindow with a QTabWidget (bare_window.py); for the desk, a bare
window that reads today's visits with the standard library's sqlite3 and shows them in a QTableWidget, until that
table has painted (bare_desk.py). All are timed as whole subprocesses (interpreter start included), offscreen,
alternating, after a warm-up each. Then: which heavy modules `import ui.main_window` pulls, and where a start's
import time goes.

    .venv/bin/python benchmarks/startup.py
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter

from _common import ROOT, demo_database, describe, machine, verdict

ROUNDS, WARM_UPS = 7, 1
TARGET, AIM = 1.5, 1.2  # first paint against the bare window
DESK_TARGET, DESK_AIM = 3.0, 2.0  # the desk showing its data against the bare window showing today's visits
HEAVY = ("sqlalchemy", "alembic", "reportlab", "openpyxl", "qtawesome", "psycopg", "argon2", "platformdirs",
         "PySide6.QtCharts", "PySide6.QtPdf", "PySide6.QtPdfWidgets")
NOT_AT_START = ("reportlab", "openpyxl", "alembic")  # DESIGN.md: imported when first used


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Wall time of a whole subprocess, and its stderr; a failure stops the benchmark."""
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed, done.stderr


def imported_by(module: str, env: dict[str, str]) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def import_times(stderr: str) -> dict[str, int]:
    """Each module's own import time (µs), from the lines `-X importtime` writes."""
    times = {}
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "imported package" not in line:
            self_us, _cumulative, name = line[len("import time:"):].split("|")
            times[name.strip()] = int(self_us)
    return times


def heavy_in(modules: set[str]) -> list[str]:
    return [m for m in HEAVY if m in modules]


def main() -> int:
    db = demo_database("demo100k.db", 100_000)
    with tempfile.TemporaryDirectory(prefix="salesoffice-bench-") as data:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SALESOFFICE_DATA": data}
        # An installed program runs from compiled bytecode: the warm-up writes it, as the first start would.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        ours = [sys.executable, "-m", "ui", "--db", str(db), "--quit-after-first-paint"]
        # Beside the first paint: until the tabs show their data, read from the 100k-visit database.
        ready = [sys.executable, "-m", "ui", "--db", str(db), "--quit-when-ready"]
        bare = [sys.executable, str(ROOT / "benchmarks" / "bare_window.py")]
        desk = [sys.executable, str(ROOT / "benchmarks" / "bare_desk.py"), str(db)]
        times: dict[str, list[float]] = {"ours": [], "bare": [], "ready": [], "desk": []}
        for i in range(WARM_UPS + ROUNDS):
            for name, cmd in (("bare", bare), ("ours", ours), ("desk", desk), ("ready", ready)):
                elapsed, _stderr = run(cmd, env)
                if i >= WARM_UPS:
                    times[name].append(elapsed)
        window_modules = imported_by("ui.main_window", env)
        _elapsed, traced = run([sys.executable, "-X", "importtime", *ours[1:]], env)

    print(f"\nStart-up to first paint, {ROUNDS} rounds each, alternating, after {WARM_UPS} warm-up each ({machine()})")
    print(describe("bare QMainWindow + QTabWidget", times["bare"], "ms", 1000))
    print(describe("salesoffice, 100k-visit demo", times["ours"], "ms", 1000))
    print(describe("bare window + today's visits", times["desk"], "ms", 1000))
    print(describe("salesoffice, desk shows data", times["ready"], "ms", 1000))

    print(f"\nHeavy modules `import ui.main_window` pulls: {', '.join(heavy_in(window_modules)) or 'none'}")
    per_module = import_times(traced)
    started = set(per_module)
    print(f"Heavy modules a start imports: {', '.join(heavy_in(started)) or 'none'}")
    per_package: Counter[str] = Counter()  # own times summed per top-level package: the parts add up to the whole
    for name, us in per_module.items():
        per_package[name.split(".")[0]] += us
    total = sum(per_package.values())
    print(f"\nImport time of one start (-X importtime, own time per top-level package): {total / 1000:.0f} ms")
    for name, us in per_package.most_common(10):
        print(f"  {name:<24} {us / 1000:7.1f} ms  {100 * us / total:4.1f} %")

    unwanted = [m for m in NOT_AT_START if m in window_modules or m in started]
    ratio = statistics.median(times["ours"]) / statistics.median(times["bare"])
    fastest = min(times["ours"]) / min(times["bare"])
    desk = statistics.median(times["ready"]) / statistics.median(times["desk"])
    print(f"\n(ratios of the minimums, less sensitive to a busy machine: first paint {fastest:.2f}×, "
          f"desk {min(times['ready']) / min(times['desk']):.2f}×)")
    print(f"(the desk against the bare window's first paint: "
          f"{statistics.median(times['ready']) / statistics.median(times['bare']):.2f}×, reported)")
    print("First paint:", end=" ")
    status = verdict(ratio, TARGET, AIM)
    print("The desk shows data:", end=" ")
    status = max(status, verdict(desk, DESK_TARGET, DESK_AIM))
    if unwanted:
        print(f"MISSED: the start imports {', '.join(unwanted)}, which must wait until first used.", file=sys.stderr)
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
