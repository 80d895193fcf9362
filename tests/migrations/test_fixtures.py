"""Upgrades from every earlier schema: each released schema version has a small database in fixtures/ (made by
make_fixtures.py, which says how to add one); each is brought to the newest schema and must keep its data.

On SQLite the fixture file itself is upgraded (as `db upgrade` does in an office); on PostgreSQL its rows
are moved into a new database made at the fixture's version, which is then upgraded (as `db copy` does),
so the migrations run from every version on both databases (SEC-6).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app import cli
from app.database import audit_key, schema
from app.database.audit_chain import UNSEALED_REVISIONS
from app.database.copy import copy_database
from app.database.engine import make_engine, session_factory
from app.models import Base
from app.permissions import Role
from app.services import accounts, customers
from app.services.reception import rotation, visits
from app.services.reception.visits import Registration
from app.database.uow import UnitOfWork
from tests import backend
from tests.migrations.make_fixtures import FIXTURES, PIN, SINCE, key_of

FILES = sorted(FIXTURES.glob("*.sqlite"))


def test_every_released_schema_version_has_its_fixture():
    released = schema.known_revisions() - {schema.head_revision()}
    missing = sorted(released - {f.stem for f in FILES})
    assert not missing, f"add tests/migrations/fixtures/<rev>.sqlite (see make_fixtures.py) for: {missing}"
    assert set(SINCE) >= released, "make_fixtures.SINCE must know the rows of every released revision"


def _counts(engine) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, inspect, select

    with engine.connect() as conn:
        present = set(inspect(conn).get_table_names())
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in Base.metadata.sorted_tables if t.name in present}


@pytest.mark.parametrize("fixture", FILES, ids=[f.stem for f in FILES])
def test_a_database_of_every_earlier_schema_upgrades_to_the_newest_with_its_data_SEC6(fixture: Path, tmp_path: Path,
                                                                                     empty_db: str, capsys,
                                                                                     monkeypatch):
    keyed = fixture.stem not in UNSEALED_REVISIONS
    if keyed:  # this station holds the key the fixture's log was written with, as an office's stations do
        shutil.copy(key_of(fixture.stem), tmp_path / "audit.key")
        monkeypatch.setenv(audit_key.ENV, str(tmp_path / "audit.key"))
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)  # the kept file is never opened itself
    old = make_engine(path)
    assert schema.current_revision(old) == fixture.stem
    before = _counts(old)
    if backend.ON_POSTGRES:
        target = empty_db
        copied_to = make_engine(target)
        copy_database(old, copied_to)
        copied_to.dispose()  # its connection closed now, not left to the garbage collector
    else:
        target = str(path)
        assert schema.upgrade(old) is not None  # the file was backed up before the upgrade
    old.dispose()

    engine = make_engine(target)
    try:
        report = schema.check(engine)
        assert report.ok, report.problems
        assert report.revision == schema.head_revision()
        after = _counts(engine)
        # The log written before the key is sealed by one keyed entry, then one per account with its PIN's
        # digest (SEC-3); nothing else is added or lost.
        sealing = 0 if keyed else 1 + before["staff"]
        assert {k: v for k, v in after.items() if k in before} == {**before, "audit_log": before["audit_log"] + sealing}
        assert report.audit_entries == before["audit_log"] + sealing

        uow = lambda: UnitOfWork(session_factory(engine))  # noqa: E731
        desk = accounts.sign_in(uow(), staff_id=2, pin=PIN)
        assert desk.role == Role.RECEPTIONIST and desk.name == "孙前台"
        card = customers.lookup_phone(desk, uow(), "13812345678")
        assert (card.name, card.owner_name, card.visit_count) == ("王先生", "李一", 2)
        assert [r.values["party_size"] for r in visits.history(desk, uow(), visit_id=1)] == [1, 2]
        # The office goes on: today's desk work after the upgrade, new ids after the old.
        rotation.sign_in(desk, uow(), consultant_id=3)
        result = visits.register(desk, uow(), Registration(name="赵女士", phone="13700000000"))
        assert result.visit_id == before["visits"] + 1 and result.consultant_name == "李一"
    finally:
        engine.dispose()

    assert cli.main(["--db", target, "db", "check"]) == 0
    assert capsys.readouterr().out.startswith("OK")
