"""Who owns a customer (判客): first registration, family members and friends (REC-7), validity, lapse and
claims (REC-8), each decision kept with its reason."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app import clock
from app.domain.rotation import Kind
from app.errors import Conflict, NotFound, ValidationError
from app.i18n import _
from app.services import customers, settings
from app.services.reception import followups, rotation
from tests.unit.helpers import audit_entries, refused, sign_in, walk_in

PHONE = "13812345678"
# Two months after the registration at 10:00 on 23 November (REC-8 default).
VALID_UNTIL = datetime(2027, 1, 23, 10, 0, tzinfo=clock.OFFICE_TZ)


def said(reason: str) -> str:
    """The reason of a decision as the history shows it (in Chinese)."""
    return _(customers.DECISION_LABEL[reason])


FIRST, FAMILY, LAPSED = said("first_registration"), said("family"), said("lapsed")
LAPSED_CLAIM, CLAIM = said("lapsed_claim"), said("claim")


@pytest.fixture
def owned(office):
    """Consultants a and b signed in; a receives 林女士 (PHONE) and owns her."""
    a, b = office.consultants[:2]
    sign_in(office, a, b)
    first = walk_in(office, PHONE, name="林女士")
    assert first.consultant_id == a.id
    return first


def card(office, phone=PHONE, actor=None):
    return customers.lookup_phone(actor or office.manager, office.uow(), phone)


def history(office, customer_id):
    return [(d.reason, d.owner, d.previous_owner)
            for d in customers.ownership_history(office.receptionist, office.uow(), customer_id=customer_id)]


def claim(office, consultant, customer_id):
    return customers.claim(consultant, office.uow(), customer_id=customer_id)


def past_validity(office, *signing_in):
    """Jump one day past the two months and start a new day's rotation with `signing_in`."""
    clock.freeze(VALID_UNTIL + timedelta(days=1))
    sign_in(office, *signing_in)


# --- REC-7 ----------------------------------------------------------------------------------------------

def test_first_consultant_to_register_owns_the_customer_REC7(office, owned):
    a = office.consultants[0]
    got = card(office)
    assert (got.owner_name, got.owner_valid_until) == (a.name, VALID_UNTIL)
    assert history(office, owned.customer_id) == [(FIRST, a.name, "")]


def test_a_later_call_to_another_consultant_does_not_take_the_customer_REC7(office, owned):
    a, b = office.consultants[:2]
    followups.record_call(office.receptionist, office.uow(), phone=PHONE, name="林女士", channel="phone",
                          consultant_id=b.id)
    assert card(office).owner_name == a.name
    assert history(office, owned.customer_id) == [(FIRST, a.name, "")]


@pytest.mark.parametrize("relation", ["spouse", "parent", "sibling", "child"])
def test_family_member_goes_to_the_same_owner_without_using_a_turn_REC7(office, owned, relation):
    a, b = office.consultants[:2]
    family = walk_in(office, "13900000002", name="林先生", family_phone="138 1234 5678", relation=relation)
    assert (family.consultant_id, family.route, family.owner_name) == (a.id, Kind.OWNER, a.name)
    assert rotation.queue_view(office.manager, office.uow()).head.consultant_id == b.id
    got = card(office, "13900000002")
    assert (got.owner_name, got.family_of_id) == (a.name, owned.customer_id)
    assert history(office, family.customer_id) == [(FAMILY, a.name, "")]


def test_family_member_of_an_absent_owner_is_received_on_their_behalf_REC7_REC5(office, owned):
    a, b = office.consultants[:2]
    rotation.sign_out(office.receptionist, office.uow(), consultant_id=a.id, reason="看房")
    family = walk_in(office, "13900000002", name="林先生", family_phone=PHONE, relation="spouse")
    assert (family.route, family.consultant_id, family.owner_name) == (Kind.ON_BEHALF, b.id, a.name)


def test_friend_brought_along_is_a_new_customer_in_rotation_REC7(office, owned):
    b = office.consultants[1]
    friend = walk_in(office, "13900000003", name="陈女士", channel="friend")
    assert (friend.consultant_id, friend.route, friend.is_return) == (b.id, Kind.ASSIGN, False)
    assert friend.customer_id != owned.customer_id
    assert card(office, "13900000003").family_of_id is None
    assert history(office, friend.customer_id) == [(FIRST, b.name, "")]


def test_family_phone_nobody_has_is_refused_and_nothing_is_written_REC7(office, owned):
    with refused(office, NotFound, match="家属电话") as error:
        walk_in(office, "13900000002", family_phone="13700000000", relation="spouse")
    assert error.value.field == "family_phone"


def test_family_link_needs_a_relation_REC7(office, owned):
    with refused(office, ValidationError, match="亲属关系"):
        walk_in(office, "13900000002", family_phone=PHONE, relation="friend")


def test_visitor_cannot_be_their_own_family_REC7(office, owned):
    with refused(office, ValidationError):
        walk_in(office, PHONE, family_phone=PHONE, relation="spouse")


def test_family_of_a_lapsed_customer_goes_through_rotation_REC7_REC8(office, owned):
    a, b = office.consultants[:2]
    past_validity(office, b, a)
    family = walk_in(office, "13900000002", name="林先生", family_phone=PHONE, relation="spouse")
    assert (family.route, family.consultant_id) == (Kind.ASSIGN, b.id)


# --- REC-8 ----------------------------------------------------------------------------------------------

def test_lapsed_customer_is_reassigned_through_rotation_and_both_decisions_are_kept_REC8(office, owned):
    a, b = office.consultants[:2]
    past_validity(office, b, a)
    back = walk_in(office, PHONE, name="林女士")
    assert (back.route, back.consultant_id, back.owner_name, back.is_return) == (Kind.ASSIGN, b.id, b.name, True)
    assert history(office, owned.customer_id) == [
        (FIRST, a.name, ""),
        (LAPSED, "", a.name),
        (LAPSED_CLAIM, b.name, ""),
    ]


def test_customer_is_still_owned_on_the_last_day_of_validity_REC8(office, owned):
    a, b = office.consultants[:2]
    clock.freeze(VALID_UNTIL - timedelta(minutes=1))
    sign_in(office, b, a)
    back = walk_in(office, PHONE, name="林女士")
    assert (back.route, back.consultant_id) == (Kind.OWNER, a.id)


def test_claim_before_the_registration_lapses_names_the_owner_and_date_REC8(office, owned):
    a, b = office.consultants[:2]
    clock.freeze(VALID_UNTIL - timedelta(days=1))
    with refused(office, Conflict) as error:
        claim(office, b, owned.customer_id)
    assert a.name in str(error.value) and "2027-01-23" in str(error.value)


def test_owner_claiming_their_own_customer_is_refused_REC8(office, owned):
    with refused(office, Conflict, match="已在你名下"):
        claim(office, office.consultants[0], owned.customer_id)


def test_another_consultant_may_claim_after_the_lapse_REC8(office, owned):
    a, _b, c, _d = office.consultants
    clock.freeze(VALID_UNTIL + timedelta(minutes=1))
    got = claim(office, c, owned.customer_id)
    assert (got.owner_name, got.owner_valid_until) == (c.name, datetime(2027, 3, 23, 10, 1, tzinfo=clock.OFFICE_TZ))
    assert history(office, owned.customer_id)[1:] == [(LAPSED, "", a.name), (CLAIM, c.name, "")]
    lapse, taken = audit_entries(office, "customers.ownership")[-2:]
    assert lapse.actor_id == c.id and f'"owner_id": {a.id}' in lapse.before and '"reason": "lapsed"' in lapse.after
    assert taken.actor_id == c.id and f'"owner_id": {c.id}' in taken.after and '"reason": "claim"' in taken.after


def test_unowned_caller_may_be_claimed_at_once_REC8(office):
    c = office.consultants[2]
    call = followups.record_call(office.receptionist, office.uow(), phone=PHONE, name="林女士", channel="phone")
    assert claim(office, c, call.customer_id).owner_name == c.name
    assert history(office, call.customer_id) == [(CLAIM, c.name, "")]


def test_follow_up_by_the_owner_renews_the_registration_REC8(office, owned):
    a, b = office.consultants[:2]
    clock.advance(timedelta(days=45))
    followups.record_follow_up(a, office.uow(), customer_id=owned.customer_id, method="phone", content="约周末看房")
    renewed_until = datetime(2027, 3, 7, 10, 0, tzinfo=clock.OFFICE_TZ)  # 2 months after 7 January
    assert card(office).owner_valid_until == renewed_until
    clock.freeze(VALID_UNTIL + timedelta(days=10))
    with refused(office, Conflict, match="2027-03-07"):
        claim(office, b, owned.customer_id)


def test_follow_up_by_someone_else_does_not_renew_the_registration_REC8(office, owned):
    b = office.consultants[1]
    clock.advance(timedelta(days=45))
    followups.record_follow_up(b, office.uow(), customer_id=owned.customer_id, method="phone", content="问问进展")
    assert card(office).owner_valid_until == VALID_UNTIL
    clock.freeze(VALID_UNTIL + timedelta(days=1))
    assert claim(office, b, owned.customer_id).owner_name == b.name


def test_the_validity_period_is_a_manager_setting_REC8(office):
    a, b = office.consultants[:2]
    settings.update(office.manager, office.uow(), {"ownership_months": 3})
    sign_in(office, a, b)
    walk_in(office, PHONE)
    assert card(office).owner_valid_until == datetime(2027, 2, 23, 10, 0, tzinfo=clock.OFFICE_TZ)
    clock.freeze(VALID_UNTIL + timedelta(days=1))
    with refused(office, Conflict):
        claim(office, b, card(office).id)


def test_month_end_registration_lapses_at_the_end_of_the_shorter_month_REC8(office):
    a = office.consultants[0]
    clock.freeze(datetime(2026, 12, 31, 10, 0))
    sign_in(office, a)
    walk_in(office, PHONE)
    assert card(office).owner_valid_until == datetime(2027, 2, 28, 10, 0, tzinfo=clock.OFFICE_TZ)


def test_lapsed_customer_who_calls_goes_to_the_consultant_named_and_the_lapse_is_kept_REC8_REC10(office, owned):
    b = office.consultants[1]
    clock.freeze(VALID_UNTIL + timedelta(days=1))
    followups.record_call(office.receptionist, office.uow(), phone=PHONE, name="林女士", channel="phone",
                          consultant_id=b.id)
    assert card(office).owner_name == b.name
    assert [reason for reason, _owner, _previous in history(office, owned.customer_id)] == [
        FIRST, LAPSED, LAPSED_CLAIM]


def test_a_call_taken_for_nobody_does_not_revive_a_lapsed_registration_REC8(office, owned):
    b = office.consultants[1]
    clock.freeze(VALID_UNTIL + timedelta(days=1))
    followups.record_call(office.receptionist, office.uow(), phone=PHONE, name="林女士", channel="phone")
    assert claim(office, b, owned.customer_id).owner_name == b.name
