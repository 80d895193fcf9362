"""Small steps the service tests share: sign consultants in, register a walk-in, look at what was written."""
from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import select, text

from app.errors import DomainError
from app.models import Base
from app.models.audit import AuditEntry
from app.services.reception import rotation, visits
from app.services.visitors import unit_control
from app.services.reception.visits import Registration
from tests import backend

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def sign_in(office, *consultants):
    for c in consultants:
        rotation.sign_in(office.receptionist, office.uow(), consultant_id=c.id)


def walk_in(office, phone="13812345678", name="王先生", *, actor=None, **kw) -> visits.VisitResult:
    return visits.register(actor or office.receptionist, office.uow(), Registration(name=name, phone=phone, **kw))


def hold_unit(office, customer_id: int, unit: str, *, asked_by=None) -> None:
    """A consultant asks for the unit and the manager confirms it is free (销控, VIS-8): deals may follow."""
    hold = unit_control.request_hold(asked_by or office.manager, office.uow(), customer_id=customer_id, unit=unit)
    unit_control.confirm_hold(office.manager, office.uow(), hold_id=hold.id)


def snapshot(office) -> dict[str, list[tuple]]:
    """Every row of every table: compared before and after a refused operation, nothing may have changed."""
    uow = office.uow()
    with uow:
        return {t.name: [tuple(r) for r in uow.session.execute(select(t).order_by(*t.primary_key.columns))]
                for t in Base.metadata.sorted_tables}


def fetch(office, model, **where):
    """The saved rows of one model, oldest first, as the database holds them."""
    uow = office.uow()
    with uow:
        q = select(model).filter_by(**where).order_by(*model.__table__.primary_key.columns)
        return list(uow.session.scalars(q))


def audit_entries(office, action: str | None = None) -> list[AuditEntry]:
    return fetch(office, AuditEntry, **({"action": action} if action else {}))


def raw_sql(office, sql: str, *params) -> None:
    """Change the data behind the program's back, as someone with a database browser would: plain SQL,
    no services, no audit. `?` marks the parameters; it runs on SQLite and PostgreSQL alike."""
    statement, values = backend.named(sql, params)
    with office.engine.begin() as conn:
        conn.execute(text(statement), values)


def assert_chinese(error) -> None:
    assert CHINESE.search(str(error)), f"message shown in English: {error}"


@contextmanager
def refused(office, error: type[DomainError] = DomainError, match: str | None = None):
    """The operation inside fails with a Chinese message and leaves every table as it was."""
    before = snapshot(office)
    with pytest.raises(error, match=match) as info:
        yield info
    assert_chinese(info.value)
    after = snapshot(office)
    changed = [table for table, rows in before.items() if after[table] != rows]
    assert not changed, f"refused, yet these tables changed: {changed}"
