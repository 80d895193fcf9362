"""The rotation queue on whole simulated days (REC-4, REC-5, REC-6)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app import clock
from app.domain.rotation import Kind
from app.errors import Conflict
from app.services.reception import rotation, visits
from app.services.reception.visits import Registration


def sign_in_all(office, consultants):
    for c in consultants:
        rotation.sign_in(office.receptionist, office.uow(), consultant_id=c.id)


def walk_in(office, phone, name="王先生", **kw):
    return visits.register(office.receptionist, office.uow(), Registration(name=name, phone=phone, **kw))


def test_walk_ins_go_round_in_sign_in_order_REC4(office):
    a, b, c, _d = office.consultants
    sign_in_all(office, [b, a, c])
    served = [walk_in(office, f"1380000000{i}").consultant_id for i in range(7)]
    assert served == [b.id, a.id, c.id, b.id, a.id, c.id, b.id]
    assert [e.consultant_id for e in rotation.queue_view(office.manager, office.uow()).entries] == [a.id, c.id, b.id]


def test_queue_starts_empty_each_day_and_missed_turns_are_not_made_up_REC4(office):
    a, b, _c, _d = office.consultants
    sign_in_all(office, [a, b])
    walk_in(office, "13800000001")  # a served, b's turn is next
    clock.advance(timedelta(days=1))
    assert rotation.queue_view(office.manager, office.uow()).entries == ()
    with pytest.raises(Conflict):
        walk_in(office, "13800000002")
    sign_in_all(office, [a, b])
    assert walk_in(office, "13800000003").consultant_id == a.id


def test_returning_customer_goes_to_owner_without_using_a_turn_REC5(office):
    a, b, c, _d = office.consultants
    sign_in_all(office, [a, b, c])
    first = walk_in(office, "13912345678", name="林女士")
    assert first.consultant_id == a.id
    again = walk_in(office, "139 1234 5678", name="林女士")
    assert (again.consultant_id, again.route, again.is_return) == (a.id, Kind.OWNER, True)
    # b is still at the head: the owner's visit used nobody's turn
    assert rotation.queue_view(office.manager, office.uow()).head.consultant_id == b.id


def test_colleague_receives_on_behalf_of_an_absent_owner_without_using_a_turn_REC5(office):
    a, b, c, _d = office.consultants
    sign_in_all(office, [a, b, c])
    walk_in(office, "13912345678", name="林女士")  # a owns
    rotation.sign_out(office.receptionist, office.uow(), consultant_id=a.id, reason="外出")
    again = walk_in(office, "13912345678", name="林女士")
    assert again.route == Kind.ON_BEHALF and again.consultant_id == b.id and again.owner_name == a.name
    assert rotation.queue_view(office.manager, office.uow()).head.consultant_id == b.id
    assert visits.todays_visits(office.receptionist, office.uow())[0].on_behalf_of == a.name


def test_refusal_skips_two_turns_and_is_logged_REC6(office):
    a, b, c, _d = office.consultants
    sign_in_all(office, [a, b, c])
    first = walk_in(office, "13800000001")
    assert first.consultant_id == a.id
    passed = visits.refuse(office.receptionist, office.uow(), visit_id=first.visit_id, reason="不想接待")
    assert passed.consultant_id == b.id
    # queue now c, a (2 turns to lose), b: a is passed over on the next two rounds, then served again
    served = [walk_in(office, f"1370000000{i}").consultant_id for i in range(6)]
    assert served == [c.id, b.id, c.id, b.id, c.id, a.id]
    log = rotation.day_log(office.manager, office.uow())
    kinds = [line.kind for line in log]
    assert kinds.count(Kind.SKIP) == 2 and kinds.count(Kind.REFUSE) == 1
    refusal = next(line for line in log if line.kind == Kind.REFUSE)
    assert refusal.reason == "不想接待" and refusal.consultant == a.name


def test_refused_visitor_goes_to_the_new_consultant_as_owner_REC6_REC7(office):
    a, b, _c, _d = office.consultants
    sign_in_all(office, [a, b])
    first = walk_in(office, "13800000001")
    visits.refuse(office.receptionist, office.uow(), visit_id=first.visit_id, reason="忙")
    again = walk_in(office, "13800000001")
    assert again.consultant_id == b.id and again.route == Kind.OWNER


def test_refusal_with_nobody_else_signed_in_changes_nothing_REC6(office):
    a = office.consultants[0]
    sign_in_all(office, [a])
    first = walk_in(office, "13800000001")
    before = rotation.day_log(office.manager, office.uow())
    with pytest.raises(Conflict):
        visits.refuse(office.receptionist, office.uow(), visit_id=first.visit_id, reason="忙")
    assert rotation.day_log(office.manager, office.uow()) == before


def test_day_log_replays_the_queue_after_every_change_REC6(office):
    a, b, _c, _d = office.consultants
    sign_in_all(office, [a, b])
    walk_in(office, "13800000001")
    log = rotation.day_log(office.manager, office.uow())
    assert [line.queue_after for line in log] == [(a.name,), (a.name, b.name), (b.name, a.name)]
    assert log[-1].visit_id is not None


def test_next_with_nobody_signed_in_is_refused_and_writes_nothing_REC4(office):
    with pytest.raises(Conflict, match="没有"):
        walk_in(office, "13800000001")
    assert visits.todays_visits(office.receptionist, office.uow()) == []


def test_a_whole_simulated_day_REC4_REC5_REC6(office):
    """Morning sign-ins, a late arrival, walk-ins, an owner's customer, a refusal, a consultant leaving."""
    a, b, c, d = office.consultants
    sign_in_all(office, [a, b, c])
    got = [walk_in(office, "13100000001").consultant_id, walk_in(office, "13100000002").consultant_id]
    assert got == [a.id, b.id]
    sign_in_all(office, [d])  # late: joins the back (queue c, a, b, d)
    assert walk_in(office, "13100000001").route == Kind.OWNER  # a's customer is back
    third = walk_in(office, "13100000003")
    assert third.consultant_id == c.id
    visits.refuse(office.receptionist, office.uow(), visit_id=third.visit_id, reason="躲避")  # a receives it
    rotation.sign_out(office.receptionist, office.uow(), consultant_id=b.id, reason="午饭")
    # queue: d, c(2 lost), a
    got = [walk_in(office, f"1320000000{i}").consultant_id for i in range(4)]
    assert got == [d.id, a.id, d.id, a.id]
    assert [e.consultant_id for e in rotation.queue_view(office.manager, office.uow()).entries] == [d.id, c.id, a.id]
