"""The model apartments' item lists (SHW-1): versions with who, when and why; any day's list as it was."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app import clock
from app.errors import Conflict, PermissionDenied, ValidationError
from app.services.showroom import items
from app.services.showroom.items import ItemDraft
from tests.unit.helpers import audit_entries, refused

SOFA = ItemDraft(room="客厅", name="三人沙发", quantity="1", spec="顾家 1098", unit="张", location="电视墙对面",
                 price="12,800")


@pytest.fixture
def flat(office):
    return items.add_apartment(office.supervisor, office.uow(), name=" A户型  三房两厅 ")


def test_an_apartment_s_list_keeps_each_item_with_room_quantity_location_and_price_SHW1(office, flat):
    assert flat.name == "A户型 三房两厅"
    sofa = items.add_item(office.supervisor, office.uow(), apartment_id=flat.id, draft=SOFA)
    items.add_item(office.supervisor, office.uow(), apartment_id=flat.id,
                   draft=ItemDraft(room="主卧", name="床头灯", quantity="２", unit="盏", price=680))
    listed = items.item_list(office.uow(), apartment_id=flat.id)
    assert [(i.room, i.name, i.quantity) for i in listed] == [("主卧", "床头灯", 2), ("客厅", "三人沙发", 1)]
    assert (sofa.price_fen, sofa.spec, sofa.location, sofa.version) == (1_280_000, "顾家 1098", "电视墙对面", 1)
    [entry] = audit_entries(office, "showroom.item_add")[:1]
    assert entry.actor_id == office.supervisor.id


def test_every_change_is_a_version_and_any_day_s_list_reads_as_it_was_SHW1(office, flat):
    sofa = items.add_item(office.supervisor, office.uow(), apartment_id=flat.id, draft=SOFA)
    monday = clock.now()
    clock.advance(timedelta(days=1))
    items.change_item(office.supervisor, office.uow(), item_id=sofa.id,
                      draft=ItemDraft(**{**SOFA.__dict__, "quantity": 2}), reason="加了一张同款")
    clock.advance(timedelta(days=1))
    items.remove_item(office.manager, office.uow(), item_id=sofa.id, reason="搬到B户型")
    assert items.item_list(office.uow(), apartment_id=flat.id) == []
    assert [i.quantity for i in items.item_list(office.uow(), apartment_id=flat.id, as_of=monday)] == [1]
    history = items.item_history(office.uow(), item_id=sofa.id)
    assert [(h.version, h.quantity, h.removed, h.by, h.reason) for h in history] == [
        (1, 1, False, "钱主管", ""), (2, 2, False, "钱主管", "加了一张同款"), (3, 0, True, "赵经理", "搬到B户型")]
    with pytest.raises(Conflict, match="已从清单移除"):
        items.change_item(office.supervisor, office.uow(), item_id=sofa.id, draft=SOFA, reason="放回去")


@pytest.mark.parametrize(("draft", "field"), [
    (ItemDraft(room="", name="沙发", quantity=1), "room"),
    (ItemDraft(room="客厅", name=" ", quantity=1), "name"),
    (ItemDraft(room="客厅", name="沙发", quantity="-1"), "quantity"),
    (ItemDraft(room="客厅", name="沙发", quantity="1.5"), "quantity"),
    (ItemDraft(room="客厅", name="沙发", quantity="一"), "quantity"),
    (ItemDraft(room="客厅", name="沙发", quantity=1, price="很贵"), "price"),
    (ItemDraft(room="客厅", name="沙发\x00", quantity=1), "name"),
])
def test_a_bad_item_is_refused_with_the_field_named_and_nothing_kept_SHW1(office, flat, draft, field):
    with refused(office, ValidationError) as error:
        items.add_item(office.supervisor, office.uow(), apartment_id=flat.id, draft=draft)
    assert error.value.field == field


def test_a_change_needs_a_reason_and_a_change_SHW1(office, flat):
    sofa = items.add_item(office.supervisor, office.uow(), apartment_id=flat.id, draft=SOFA)
    with refused(office, ValidationError, match="原因"):
        items.change_item(office.supervisor, office.uow(), item_id=sofa.id, draft=SOFA, reason=" ")
    with refused(office, ValidationError, match="没有任何修改"):
        items.change_item(office.supervisor, office.uow(), item_id=sofa.id, draft=SOFA, reason="核对")


def test_only_the_supervisor_and_the_manager_keep_the_lists_and_two_apartments_differ_in_name_SEC2_SHW1(office,
                                                                                                        flat):
    with refused(office, PermissionDenied):
        items.add_item(office.receptionist, office.uow(), apartment_id=flat.id, draft=SOFA)
    with refused(office, Conflict, match="已有"):
        items.add_apartment(office.manager, office.uow(), name="A户型 三房两厅")
