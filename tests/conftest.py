"""Shared fixtures: a real database upgraded by the real migrations, a small staffed office, a frozen clock.

The database is a SQLite file, or a database of its own on a PostgreSQL server when SALESOFFICE_TEST_DB
names one (tests/backend.py; SEC-6).
"""
from __future__ import annotations

import os
import runpy
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Tests never touch the user's real data folder.
os.environ["SALESOFFICE_DATA"] = tempfile.mkdtemp(prefix="salesoffice-tests-")
# One audit key for the whole run (SEC-3), wherever a test puts its data folder: the office template is sealed
# with it, and the command line and the window started by the tests read it too (a test's subprocess imports
# this module again: it keeps the key it was given). Tests of the key unset it.
if "salesoffice-key-" not in os.environ.get("SALESOFFICE_AUDIT_KEY", ""):
    os.environ["SALESOFFICE_AUDIT_KEY"] = str(Path(tempfile.mkdtemp(prefix="salesoffice-key-")) / "audit.key")
# The program reads the compiled translations: compile them from the .po before anything is translated, so the
# tests, and the program they start in subprocesses, see the .po as it is now (not as at the last set-up).
runpy.run_path(str(Path(__file__).resolve().parents[1] / "scripts" / "compile_catalogues.py"), run_name="__main__")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402
from hypothesis.configuration import set_hypothesis_home_dir  # noqa: E402

from app import clock, i18n  # noqa: E402
from app.database.engine import make_engine, session_factory  # noqa: E402
from app.permissions import Actor, Role  # noqa: E402
from app.database.uow import UnitOfWork  # noqa: E402
from tests import backend  # noqa: E402

# Property tests: the same examples on every run (a failure in CI is a failure at the desk, not a fluke), no
# example database and no cache written into the tree, and no deadline, which a busy machine would miss.
set_hypothesis_home_dir(tempfile.mkdtemp(prefix="salesoffice-hypothesis-"))
settings.register_profile("salesoffice", derandomize=True, database=None, deadline=None, max_examples=100)
settings.load_profile("salesoffice")

PIN = "2468"
TEN_AM = datetime(2026, 11, 23, 10, 0)  # a Monday, office time


@dataclass
class Office:
    """A staffed office on a real database: `db` is what --db takes; `path` its file (None on PostgreSQL)."""

    db: str
    engine: object
    manager: Actor
    supervisor: Actor
    receptionist: Actor
    consultants: list[Actor]

    def uow(self) -> UnitOfWork:
        return UnitOfWork(session_factory(self.engine))

    @property
    def path(self) -> Path | None:
        return None if backend.ON_POSTGRES else Path(self.db)


def clone(template: str, tmp_path: Path, name: str = "office.db") -> str:
    """A new database holding what `template` holds; give it back with `discard` after the test."""
    if backend.ON_POSTGRES:
        return backend.copy_of(template, tmp_path)
    target = tmp_path / name
    shutil.copy(template, target)
    return str(target)


def discard(target: str) -> None:
    if backend.ON_POSTGRES:
        backend.done_with(target)


def pytest_report_header(config: pytest.Config) -> str:
    return f"salesoffice database: {backend.NAME}"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    backend.drop_leftovers()


@pytest.fixture
def empty_db(tmp_path: Path) -> str:
    """A new, empty database on the backend under test (what --db takes)."""
    target = backend.new_database(tmp_path, "new.db")
    yield target
    backend.drop_database(target)


def _build_template(path: str) -> None:
    from app.database import schema
    from app.services import accounts
    from app.services.reception import bar

    engine = make_engine(path)
    schema.upgrade(engine)
    uow = lambda: UnitOfWork(session_factory(engine))  # noqa: E731
    boss = accounts.create_staff(None, uow(), name="赵经理", role=Role.MANAGER, pin=PIN)
    manager = Actor(boss.id, boss.name, boss.role)
    for name, role in [("钱主管", Role.SUPERVISOR), ("孙前台", Role.RECEPTIONIST), ("李一", Role.CONSULTANT),
                       ("周二", Role.CONSULTANT), ("吴三", Role.CONSULTANT), ("郑四", Role.CONSULTANT)]:
        accounts.create_staff(manager, uow(), name=name, role=role, pin=PIN)
    for name, vip in [("A1", False), ("A2", False), ("VIP1", True)]:
        bar.add_table(manager, uow(), name=name, is_vip_room=vip)
    engine.dispose()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The staffed office, built once a session; each test gets a copy (clone)."""
    clock.freeze(TEN_AM)
    target = backend.new_database(tmp_path_factory.mktemp("template"))
    _build_template(target)
    clock.freeze(None)
    yield target
    backend.drop_database(target)


@pytest.fixture(autouse=True)
def _fresh_state(monkeypatch):
    from app.services.visitors import visitor_logs

    clock.freeze(TEN_AM)
    i18n.set_language("zh_CN")
    # Each test a program of its own: no masked searches counted yet (the count lives as long as the program).
    masked = visitor_logs.MASKED_SEARCHES
    monkeypatch.setattr(visitor_logs, "MASKED_SEARCHES", type(masked)(masked.limit, masked.window))
    yield
    clock.freeze(None)
    i18n.set_language("zh_CN")


@pytest.fixture
def office(template_db: str, tmp_path: Path) -> Office:
    from app.services import accounts

    path = clone(template_db, tmp_path)
    engine = make_engine(path)
    if backend.ON_POSTGRES:  # a server database reused from another test: what a station saw of that one goes
        from app.database import anchors

        anchors.reset(engine, None)
    staff = accounts.list_staff(UnitOfWork(session_factory(engine)))
    actors = [Actor(s.id, s.name, s.role) for s in staff]
    by_role = lambda r: [a for a in actors if a.role == r]  # noqa: E731
    yield Office(path, engine, by_role(Role.MANAGER)[0], by_role(Role.SUPERVISOR)[0], by_role(Role.RECEPTIONIST)[0],
                 sorted(by_role(Role.CONSULTANT), key=lambda a: a.id))
    engine.dispose()
    discard(path)
