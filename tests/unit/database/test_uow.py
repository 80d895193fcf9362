"""The unit of work: nothing is kept unless committed, and `changes` names only what committed work touched."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from app.database import audit_chain
from app.database.engine import make_engine, session_factory
from app.errors import Conflict, DatabaseProblem
from app.models.office import SettingValue
from app.services import settings
from app.services.reception import bar, visits
from app.services.reception.visits import Registration
from app.database.uow import UnitOfWork
from tests.unit.helpers import assert_chinese, audit_entries, snapshot, sign_in


def add_setting(uow, value="45"):
    uow.session.add(SettingValue(key="refill_minutes", value=value))
    uow.audit(None, "settings.change", "setting:refill_minutes", after={"refill_minutes": value})


def test_uncommitted_work_is_rolled_back(office):
    before = snapshot(office)
    uow = office.uow()
    with uow:
        add_setting(uow)
    assert settings.current(office.uow()).refill_minutes == 20
    assert snapshot(office) == before
    assert uow.changes == set()


def test_work_is_rolled_back_on_error(office):
    before = snapshot(office)
    uow = office.uow()
    with pytest.raises(RuntimeError):
        with uow:
            add_setting(uow)
            uow.session.flush()
            raise RuntimeError("power cut")
    assert snapshot(office) == before
    assert uow.changes == set()


def test_committed_work_is_kept_with_its_audit_entry(office):
    uow = office.uow()
    with uow:
        add_setting(uow)
        uow.commit()
    assert settings.current(office.uow()).refill_minutes == 45
    assert audit_entries(office)[-1].action == "settings.change"
    assert audit_chain.verify_chain(office.engine).problems == []


def test_a_rolled_back_audit_entry_leaves_no_gap_in_the_chain(office):
    uow = office.uow()
    with uow:
        add_setting(uow, "45")
    uow = office.uow()
    with uow:
        add_setting(uow, "50")
        uow.commit()
    entries = audit_entries(office)
    assert [e.id for e in entries] == list(range(1, len(entries) + 1))
    assert '"50"' in entries[-1].after
    assert audit_chain.verify_chain(office.engine).problems == []


def test_changes_name_the_areas_of_committed_work_only(office):
    uow = office.uow()
    with uow:
        uow.audit(None, "bar.seat", "table:1")
        uow.commit()
    with uow:
        uow.audit(None, "visits.register", "visit:1")  # not committed
    assert uow.changes == {"bar"}


def test_a_registration_reports_visits_rotation_and_customers(office):
    sign_in(office, office.consultants[0])
    uow = office.uow()
    visits.register(office.receptionist, uow, Registration(name="王先生", phone="13812345678"))
    assert uow.changes == {"visits", "rotation", "customers"}


def test_a_refused_operation_reports_no_change(office):
    uow = office.uow()
    with pytest.raises(Conflict):
        visits.register(office.receptionist, uow, Registration(name="王先生", phone="13812345678"))  # nobody in
    with pytest.raises(Conflict):
        bar.serve(office.receptionist, uow, table_id=1, item="tea")  # nobody seated
    assert uow.changes == set()


def test_a_write_the_database_refuses_is_reported_and_not_counted(office):
    engine = make_engine(office.db)  # its own connection: the setting must not outlive the test
    uow = UnitOfWork(session_factory(engine))
    # As a read-only file, a full disk or a PostgreSQL standby would.
    read_only = "PRAGMA query_only = ON" if office.path else "SET TRANSACTION READ ONLY"
    with pytest.raises(DatabaseProblem) as error:
        with uow:
            uow.session.execute(text(read_only))
            add_setting(uow)
            uow.commit()
    engine.dispose()
    assert_chinese(error.value)
    assert "attempt to write" not in str(error.value) and "read-only" not in str(error.value)  # SQLite's English
    assert uow.changes == set()
    assert settings.current(office.uow()).refill_minutes == 20
