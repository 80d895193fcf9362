"""Release slips through the services (SHW-6): nothing leaves without one approved by customer service; at the door
the scanned code shows the slip; letting out logs each item with time and quantity and the list follows."""
from __future__ import annotations

import pytest

from app import clock
from app.domain.showroom_flows import State
from app.errors import NotFound, PermissionDenied, ValidationError
from app.services.showroom import items, release_slips
from tests.unit.helpers import refused
from tests.unit.showroom.conftest import at, item_of


@pytest.fixture
def slip(office, flat, docent):
    clock.freeze(at(18, 20))
    pillow = item_of(office, flat, "抱枕").id
    return release_slips.request(docent, office.uow(), apartment_id=flat.id, purpose="送洗", carrier="保洁公司 刘",
                                 lines=[(pillow, 2)])


def test_an_approved_slip_lets_its_items_out_and_the_list_follows_with_each_movement_SHW6(office, flat, slip,
                                                                                        docent):
    assert (slip.number, slip.state, [(line.name, line.quantity) for line in slip.lines]) == (1, State.REQUESTED,
                                                                                           [("抱枕", 2)])
    release_slips.decide(office.supervisor, office.uow(), number=1, approve=True)
    clock.freeze(at(18, 40))
    at_door = release_slips.scan(docent, office.uow(), "SO:SLIP:1")
    assert (at_door.state, at_door.carrier) == (State.APPROVED, "保洁公司 刘")
    assert release_slips.release(docent, office.uow(), number=1).state == State.RELEASED
    assert item_of(office, flat, "抱枕").quantity == 2
    [out] = release_slips.movements(docent, office.uow(), apartment_id=flat.id)
    assert (out.direction, out.quantity, out.at, out.slip, out.by) == ("out", 2, at(18, 40), 1, "李讲解")
    history = items.item_history(office.uow(), item_id=item_of(office, flat, "抱枕").id)
    assert history[-1].reason == "第 1 号放行条"
    clock.freeze(at(10, days=2))
    release_slips.bring_back(docent, office.uow(), item_id=item_of(office, flat, "抱枕").id, quantity=2, slip=1)
    assert item_of(office, flat, "抱枕").quantity == 4
    assert [m.direction for m in release_slips.movements(docent, office.uow(), apartment_id=flat.id)] == ["in",
                                                                                                         "out"]


def test_a_slip_not_approved_lets_nothing_out_and_nobody_approves_their_own_SHW6(office, slip, docent):
    with refused(office, ValidationError, match="现在不能"):
        release_slips.release(docent, office.uow(), number=1)
    with refused(office, PermissionDenied):
        release_slips.decide(docent, office.uow(), number=1, approve=True)


def test_a_refused_slip_shows_as_refused_at_the_door_SHW6(office, slip, docent):
    release_slips.decide(office.supervisor, office.uow(), number=1, approve=False, note="送洗改到周一")
    assert release_slips.scan(docent, office.uow(), "SO:SLIP:1").state == State.REFUSED
    with refused(office, ValidationError):
        release_slips.release(docent, office.uow(), number=1)


def test_a_slip_for_more_than_listed_or_an_unknown_item_is_refused_SHW6(office, flat, docent):
    pillow = item_of(office, flat, "抱枕").id
    for lines in ([(pillow, 5)], [(pillow, 3), (pillow, 2)], [(9999, 1)], [(pillow, "-1")], [(pillow, 0)], []):
        with refused(office, ValidationError):
            release_slips.request(docent, office.uow(), apartment_id=flat.id, purpose="送修", carrier="刘",
                                  lines=lines)


def test_a_code_of_something_else_or_of_no_slip_is_refused_at_the_door_SHW6(office, slip, docent):
    for scanned in ("SO:SHEET:1:2026-11-23:1", "hello", ""):
        with pytest.raises(ValidationError):
            release_slips.scan(docent, office.uow(), scanned)
    with pytest.raises(NotFound):
        release_slips.scan(docent, office.uow(), "SO:SLIP:42")
