"""What the benchmarks share: where they run, the demo databases they need, and how figures are printed."""
from __future__ import annotations

import contextlib
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"  # git-ignored: demo databases and anything else generated
if str(ROOT) not in sys.path:
    sys.path.insert(1, str(ROOT))  # a script run as benchmarks/x.py imports app from this checkout


def demo_database(name: str, visitors: int) -> Path:
    """benchmarks/out/<name>, a demo office of `visitors` visits, made by the program itself when missing or of
    another schema than the program's, and reused."""
    return cached_database(name, f"{visitors:,} visits", lambda part: subprocess.run(
        [sys.executable, "-m", "ui", "--db", str(part), "demo", "--visitors", str(visitors)],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL))


def cached_database(name: str, what: str, make: Callable[[Path], object]) -> Path:
    """benchmarks/out/<name>, made by `make(path)` (`what` it holds, said while it is made) when missing or of
    another schema than the program's, and reused."""
    from app.database.schema import SCHEMA_HEAD

    path = OUT / name
    if path.is_file() and _schema_of(path) == SCHEMA_HEAD:
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    for stale in (part, path):  # an interrupted attempt, an office of another schema
        for file in (stale, stale.with_name(stale.name + "-wal"), stale.with_name(stale.name + "-shm")):
            file.unlink(missing_ok=True)
    print(f"Making {path.relative_to(ROOT)} ({what}, schema {SCHEMA_HEAD}); this happens once…", flush=True)
    started = time.perf_counter()
    make(part)
    os.replace(part, path)
    print(f"  made in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def _schema_of(path: Path) -> str | None:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        try:
            return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        except sqlite3.Error:
            return None


def machine() -> str:
    """The conditions of a run: figures taken while other work loads the machine are slower and noisier."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, load average {load}, Python {sys.version.split()[0]}"


def describe(label: str, samples: list[float], unit: str, scale: float) -> str:
    """One line: the median, min and mean of `samples` (seconds) in `unit` (seconds × scale)."""
    return (f"{label:<34} median {statistics.median(samples) * scale:9.1f} {unit}   "
            f"min {min(samples) * scale:9.1f} {unit}   mean {statistics.fmean(samples) * scale:9.1f} {unit}   "
            f"(n={len(samples)})")


def plans(conn: sqlite3.Connection, statements: list[tuple[str, tuple]]) -> list[str]:
    """EXPLAIN QUERY PLAN of each statement, one line per step."""
    lines = []
    for sql, params in statements:
        lines.append("  " + " ".join(sql.split())[:110])
        lines += [f"    {row[3]}" for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
    return lines


def check_plans(service: list[str], baseline: list[str], indexes: tuple[str, ...] | list[str], what: str = "") -> int:
    """Print the service's and the baseline's query plans; 1, with a MISSED line, when either does not use every
    one of `indexes` (`what` names the query in that line)."""
    status = 0
    for label, plan in (("service", service), ("baseline", baseline)):
        print(f"Query plan of the {label}:")
        print("\n".join(plan))
        for index in indexes:
            if not any(index in line for line in plan):
                print(f"MISSED: the {label}{what} does not use the index {index}.", file=sys.stderr)
                status = 1
    return status


def alternate(cases: list, ours, baseline, rounds: int) -> dict[str, list[float]]:
    """Time `ours(case)` and `baseline(case)` for every case, `rounds` times, alternating which goes first."""
    times: dict[str, list[float]] = {"ours": [], "baseline": []}
    for r in range(rounds):
        for i, case in enumerate(cases):
            pair = (("ours", ours), ("baseline", baseline))
            for name, run in pair if (i + r) % 2 == 0 else reversed(pair):
                started = time.perf_counter()
                run(case)
                times[name].append(time.perf_counter() - started)
    return times


def verdict(ratio: float, target: float, aim: float | None = None) -> int:
    """Print the ratio against the target; the exit status says whether it was met."""
    aim_text = f", aim {aim:.1f}×" if aim is not None else ""
    print(f"RATIO {ratio:.2f}× (target at most {target:.1f}×{aim_text})")
    if ratio > target:
        print(f"MISSED: {ratio:.2f}× is above the target of {target:.1f}×.", file=sys.stderr)
        return 1
    print("OK: within the target.")
    return 0
