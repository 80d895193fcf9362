"""Shift handover through the services (SHW-7): what is listed automatically, the outgoing signature, the
acknowledgement by the person named to take over."""
from __future__ import annotations

from app import clock
from app.errors import PermissionDenied, ValidationError
from app.permissions import Role
from app.services.showroom import checks, handovers, incidents, work_orders
from tests.unit.helpers import refused
from tests.unit.showroom.conftest import SIGNED, at, item_of, staff
from tests.unit.showroom.test_checks import all_ok, counts_of


def test_the_handover_lists_the_counts_open_records_and_late_checks_and_both_sign_SHW7(office, flat, docent):
    guard = staff(office, "保安老周", Role.SECURITY)
    clock.freeze(at(9, 5))
    checks.record(docent, office.uow(), apartment_id=flat.id, day=clock.today(), slot="opening-1",
                  answers=all_ok(office, "opening"), counts=counts_of(office, flat), strokes=SIGNED)
    clock.freeze(at(15))
    incidents.record(docent, office.uow(), apartment_id=flat.id, kind="damaged",
                     item_id=item_of(office, flat, "抱枕").id, quantity=1, what="抱枕被划破", visitor_name="林女士")
    work_orders.request(docent, office.uow(), apartment_id=flat.id, what="灯不亮", planned_at=at(19))
    clock.freeze(at(18, 50))  # the closing count not done in its time: missed
    listing = handovers.listing(docent, office.uow())
    assert [(c["check"], c["by"]) for c in listing.counts] == [("开门盘点", "李讲解")]
    assert [i["what"] for i in listing.incidents] == ["抱枕被划破"]
    assert [o["what"] for o in listing.work_orders] == ["灯不亮"]
    assert ("闭门盘点", "missed") in [(c["check"], c["state"]) for c in listing.checks]
    made = handovers.hand_over(docent, office.uow(), incoming_id=guard.id, strokes=SIGNED, note="钥匙已交")
    assert (made.outgoing, made.incoming, made.acknowledged_at) == ("李讲解", "保安老周", None)
    assert handovers.recent(guard, office.uow())[0].number == made.number  # waiting for him, first
    done = handovers.acknowledge(guard, office.uow(), number=made.number, strokes=SIGNED)
    assert done.acknowledged_at == clock.now() and done.incoming_signature
    assert done.listing == listing  # what was signed, as it stood


def test_only_the_person_named_acknowledges_and_a_handover_needs_both_signatures_SHW7(office, flat, docent):
    guard = staff(office, "保安老周", Role.SECURITY)
    with refused(office, ValidationError):
        handovers.hand_over(docent, office.uow(), incoming_id=guard.id, strokes=[])
    with refused(office, ValidationError):
        handovers.hand_over(docent, office.uow(), incoming_id=docent.id, strokes=SIGNED)
    with refused(office, PermissionDenied):  # a consultant does not take over the apartments
        handovers.hand_over(office.consultants[0], office.uow(), incoming_id=guard.id, strokes=SIGNED)
    made = handovers.hand_over(docent, office.uow(), incoming_id=guard.id, strokes=SIGNED)
    with refused(office, PermissionDenied):
        handovers.acknowledge(office.supervisor, office.uow(), number=made.number, strokes=SIGNED)
    with refused(office, ValidationError):
        handovers.acknowledge(guard, office.uow(), number=made.number, strokes=None)
