"""A model apartment with two items, the check templates stored, and the staff of the showroom's workflows."""
from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from app import clock
from app.permissions import Role
from app.services import accounts
from app.services.showroom import items, templates
from app.services.showroom.items import ItemDraft
from tests.conftest import PIN

SIGNED = [[(0.1, 0.5), (0.3, 0.4), (0.5, 0.6)]]


def at(hour: int, minute: int = 0, days: int = 0) -> datetime:
    return datetime.combine(clock.today() + timedelta(days=days), time(hour, minute), tzinfo=clock.OFFICE_TZ)


def staff(office, name: str, role: Role):
    row = accounts.create_staff(office.manager, office.uow(), name=name, role=role, pin=PIN)
    return accounts.sign_in(office.uow(), staff_id=row.id, pin=PIN)


@pytest.fixture
def flat(office):
    clock.freeze(at(7, 30))  # the list made before the day's first check
    flat = items.add_apartment(office.supervisor, office.uow(), name="A户型")
    for name, quantity, price in (("三人沙发", 1, "12800"), ("抱枕", 4, "90")):
        items.add_item(office.supervisor, office.uow(), apartment_id=flat.id,
                       draft=ItemDraft(room="客厅", name=name, quantity=quantity, price=price))
    templates.current(office.uow())  # the defaults stored on first use, as the tab's first look does
    return flat


@pytest.fixture
def docent(office):
    return staff(office, "李讲解", Role.DOCENT)


@pytest.fixture
def engineer(office):
    return staff(office, "陈工", Role.ENGINEERING_LEAD)


def item_of(office, flat, name: str):
    return next(i for i in items.item_list(office.uow(), apartment_id=flat.id) if i.name == name)
