"""Shared fixtures: a real SQLite file upgraded by the real migrations, a small staffed office, a frozen clock."""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Tests never touch the user's real data folder.
os.environ["SALESOFFICE_DATA"] = tempfile.mkdtemp(prefix="salesoffice-tests-")

import pytest  # noqa: E402

from app import clock, i18n  # noqa: E402
from app.db import make_engine, session_factory  # noqa: E402
from app.permissions import Actor, Role  # noqa: E402
from app.uow import UnitOfWork  # noqa: E402

PIN = "2468"
TEN_AM = datetime(2026, 11, 23, 10, 0)  # a Monday, office time


@dataclass
class Office:
    """A staffed office on a real database file."""

    path: Path
    engine: object
    manager: Actor
    supervisor: Actor
    receptionist: Actor
    consultants: list[Actor]

    def uow(self) -> UnitOfWork:
        return UnitOfWork(session_factory(self.engine))


def _build_template(path: Path) -> None:
    from app import schema
    from app.services import accounts, bar

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
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    clock.freeze(TEN_AM)
    path = tmp_path_factory.mktemp("template") / "office.db"
    _build_template(path)
    clock.freeze(None)
    return path


@pytest.fixture(autouse=True)
def _fresh_state():
    clock.freeze(TEN_AM)
    i18n.set_language("zh_CN")
    yield
    clock.freeze(None)
    i18n.set_language("zh_CN")


@pytest.fixture
def office(template_db: Path, tmp_path: Path) -> Office:
    from app.services import accounts

    path = tmp_path / "office.db"
    shutil.copy(template_db, path)
    engine = make_engine(path)
    staff = accounts.list_staff(UnitOfWork(session_factory(engine)))
    actors = [Actor(s.id, s.name, s.role) for s in staff]
    by_role = lambda r: [a for a in actors if a.role == r]  # noqa: E731
    yield Office(path, engine, by_role(Role.MANAGER)[0], by_role(Role.SUPERVISOR)[0], by_role(Role.RECEPTIONIST)[0],
                 sorted(by_role(Role.CONSULTANT), key=lambda a: a.id))
    engine.dispose()
