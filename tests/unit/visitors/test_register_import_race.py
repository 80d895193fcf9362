"""Two stations importing the same register at the same moment (VIS-6): whatever the interleaving, every row is
written once. The stations are two processes; a barrier makes both finish checking the file for rows already in
the register before either writes, the interleaving that once wrote every row twice."""
from __future__ import annotations

import csv
import multiprocessing as mp

import pytest
from sqlalchemy import func, select

from app.database.engine import make_engine, session_factory
from app.database.uow import UnitOfWork
from app.files import register_file
from app.models.visitors import Visit
from app.services.visitors import register_io

ROWS = 300


def _register(path) -> str:
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(register_file.COLUMNS)
        for n in range(ROWS):
            out.writerow([f"2026-11-{1 + n % 20:02d} {9 + n % 8}:{n % 60:02d}", "来访", f"客{n}",
                          f"139{n:08d}", "1", "路过", "", "", ""])
    return str(path)


def _station(url: str, path: str, all_or_nothing: bool, barrier, results) -> None:  # type: ignore[no-untyped-def]
    checked = register_io._checked_rows

    def checked_then_wait(*args, **kwargs):  # type: ignore[no-untyped-def]
        found = checked(*args, **kwargs)
        barrier.wait(timeout=60)  # both stations have checked; neither has written
        return found

    register_io._checked_rows = checked_then_wait
    engine = make_engine(url)
    try:
        done = register_io.import_logs(None, UnitOfWork(session_factory(engine)), path=path,
                                       all_or_nothing=all_or_nothing)
        results.put((done.visits, len(done.rejected), {r.reason for r in done.rejected}))
    except Exception as e:  # the test fails on it, with what it was
        results.put(repr(e))
    finally:
        engine.dispose()


@pytest.mark.parametrize("all_or_nothing", [True, False], ids=["all or nothing", "skip invalid"])
def test_the_same_register_imported_twice_at_once_is_written_once_VIS6(office, tmp_path, all_or_nothing):
    url = office.engine.url.render_as_string(hide_password=False)
    path = _register(tmp_path / "register.csv")
    office.engine.dispose()
    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    stations = [ctx.Process(target=_station, args=(url, path, all_or_nothing, barrier, results)) for _ in range(2)]
    for station in stations:
        station.start()
    outcomes = sorted((results.get(timeout=120) for _ in stations), key=str)
    for station in stations:
        station.join(timeout=60)
    assert outcomes == [(0, ROWS, {"已在登记表中"}), (ROWS, 0, set())]
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Visit)) == ROWS
    engine.dispose()
