"""Walk-in registration at the desk: contact and form checks (REC-1), corrections as revisions (REC-2),
recognizing a returning visitor by phone (REC-3) and masked phones at the kiosk (VIS-7)."""
from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import timedelta

import pytest

from app import clock
from app.errors import Conflict, NotFound, ValidationError
from app.models.visitors import Customer, Visit
from app.services import customers
from app.services.reception import visits
from tests.unit.helpers import assert_chinese, audit_entries, fetch, refused, sign_in, walk_in


@pytest.fixture
def desk(office):
    """Two consultants signed in, so a registration fails only for what the desk typed."""
    sign_in(office, *office.consultants[:2])
    return office


# --- REC-1: contact and form ---------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["138 1234 5678", "+86 13812345678", "138-1234-5678", "0086 138 1234 5678",
                                   "+86 138-1234-5678", " 13812345678 "])
def test_mobile_as_typed_is_stored_normalized_and_recognized_REC1(desk, typed):
    result = walk_in(desk, typed)
    [customer] = fetch(desk, Customer)
    assert customer.phone == "13812345678" and customer.phone_tail == "5678"
    assert customers.lookup_phone(desk.receptionist, desk.uow(), "13812345678").id == result.customer_id


def test_the_same_mobile_typed_another_way_is_the_same_customer_REC1_REC3(desk):
    first = walk_in(desk, "138 1234 5678")
    again = walk_in(desk, "+86 138-1234-5678")
    assert again.customer_id == first.customer_id and again.is_return
    assert len(fetch(desk, Customer)) == 1


@pytest.mark.parametrize("typed, stored", [("010-12345678", "01012345678"), ("0755 1234 5678", "075512345678"),
                                           ("(0755)12345678", "075512345678")])
def test_landline_with_area_code_is_accepted_REC1(desk, typed, stored):
    walk_in(desk, typed)
    assert [c.phone for c in fetch(desk, Customer)] == [stored]


@pytest.mark.parametrize("typed", ["12345", "2381234567", "1381234567a", "12812345678", "138123456789",
                                   "abcdefghijk", "一三八一二三四五六七八", "+86", "0000000000", "00 1234 5678"])
def test_bad_phone_is_refused_in_chinese_and_nothing_is_written_REC1(desk, typed):
    with refused(desk, ValidationError) as error:
        walk_in(desk, typed)
    assert error.value.field == "phone"


def test_visitor_who_declines_a_phone_is_registered_with_that_fact_REC1(desk):
    result = walk_in(desk, "", name="李女士", contact_declined=True)
    [customer] = fetch(desk, Customer)
    assert (customer.name, customer.phone, customer.contact_declined) == ("李女士", None, True)
    assert result.consultant_id == desk.consultants[0].id
    assert [v.phone for v in visits.todays_visits(desk.receptionist, desk.uow())] == [""]


def test_two_visitors_who_decline_are_two_customers_REC1(desk):
    one = walk_in(desk, "", name="李女士", contact_declined=True)
    two = walk_in(desk, "", name="李女士", contact_declined=True)
    assert one.customer_id != two.customer_id and not two.is_return


def test_a_phone_given_wins_over_the_declined_tick_REC1(desk):
    walk_in(desk, "13812345678", contact_declined=True)
    [customer] = fetch(desk, Customer)
    assert (customer.phone, customer.contact_declined) == ("13812345678", False)


def test_no_phone_and_no_declined_tick_is_refused_REC1(desk):
    with refused(desk, ValidationError, match="拒留电话") as error:
        walk_in(desk, "  ")
    assert error.value.field == "phone"


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_name_is_refused_REC1(desk, name):
    with refused(desk, ValidationError, match="先生"):
        walk_in(desk, name=name)


def test_surname_with_xiansheng_is_a_name_and_spaces_are_tidied_REC1(desk):
    walk_in(desk, name="  欧阳  女士 ")
    assert [c.name for c in fetch(desk, Customer)] == ["欧阳 女士"]


@pytest.mark.parametrize("size", [0, -1, 999, "abc", "", "2.5"])
def test_impossible_party_size_is_refused_REC1(desk, size):
    with refused(desk, ValidationError, match="来访人数") as error:
        walk_in(desk, party_size=size)
    assert error.value.field == "party_size"


def test_party_size_typed_as_text_is_accepted_REC1(desk):
    walk_in(desk, party_size=" 3 ")
    assert [v.party_size for v in fetch(desk, Visit)] == [3]


def test_five_thousand_character_note_is_refused_REC1(desk):
    with refused(desk, ValidationError, match="1000") as error:
        walk_in(desk, note="很" * 5000)
    assert error.value.field == "note"


@pytest.mark.parametrize("field", ["note", "intent"])
def test_an_id_number_typed_at_the_desk_is_refused_and_nothing_is_written_SEC4(desk, field):
    with refused(desk, ValidationError, match="似乎有身份证号") as error:
        walk_in(desk, **{field: "身份证 11010119900307123X"})
    assert error.value.field == field


def test_unknown_channel_is_refused_REC1(desk):
    with refused(desk, ValidationError, match="认知途径"):
        walk_in(desk, channel="tiktok")


def test_registration_saves_what_the_desk_typed_REC1(desk):
    walk_in(desk, "13812345678", name="王先生", party_size=3, channel="friend", intent="三房 120平",
            note="带小孩")
    [visit] = fetch(desk, Visit)
    assert (visit.party_size, visit.channel, visit.intent, visit.note, visit.is_return) == (
        3, "friend", "三房 120平", "带小孩", False)
    assert visit.registered_by_id == desk.receptionist.id and visit.consultant_id == desk.consultants[0].id
    assert visit.arrived_at == clock.now()


def test_leaving_time_is_recorded_once_REC1(desk):
    visit = walk_in(desk)
    clock.advance(timedelta(minutes=50))
    visits.mark_left(desk.receptionist, desk.uow(), visit_id=visit.visit_id)
    assert [v.left_at for v in visits.todays_visits(desk.receptionist, desk.uow())] == [clock.now()]
    with refused(desk, Conflict, match="已离开"):
        visits.mark_left(desk.receptionist, desk.uow(), visit_id=visit.visit_id)


# --- REC-2: corrections are revisions ------------------------------------------------------------------

def correct(office, visit_id, reason="登记有误", actor=None, **changes):
    return visits.correct(actor or office.supervisor, office.uow(), visit_id=visit_id, reason=reason, **changes)


@pytest.mark.parametrize("reason", ["", "   "])
def test_correction_without_a_reason_is_refused_REC2(desk, reason):
    visit = walk_in(desk)
    with refused(desk, ValidationError, match="原因"):
        correct(desk, visit.visit_id, reason=reason, party_size=4)


def test_correction_keeps_the_old_values_with_who_when_and_why_REC2(desk):
    visit = walk_in(desk, party_size=2, channel="walk_by")
    registered_at = clock.now()
    clock.advance(timedelta(minutes=30))
    row = correct(desk, visit.visit_id, reason="实际来了四位", party_size=4, channel="friend")
    assert (row.party_size, row.channel, row.revision) == (4, "friend", 2)

    old, current = visits.history(desk.receptionist, desk.uow(), visit_id=visit.visit_id)
    assert (old.revision, old.values["party_size"], old.values["channel"]) == (1, 2, "walk_by")
    assert (old.changed_by, old.changed_at, old.reason) == (desk.receptionist.name, registered_at, "登记")
    assert (current.revision, current.values["party_size"], current.values["channel"]) == (2, 4, "friend")
    assert (current.changed_by, current.changed_at, current.reason) == (
        desk.supervisor.name, clock.now(), "实际来了四位")
    assert [v.party_size for v in visits.todays_visits(desk.receptionist, desk.uow())] == [4]


def test_every_correction_adds_a_revision_oldest_first_REC2(desk):
    visit = walk_in(desk, name="王先生")
    correct(desk, visit.visit_id, reason="听错了", name="黄先生")
    clock.advance(timedelta(minutes=5))
    correct(desk, visit.visit_id, reason="补全名字", actor=desk.receptionist, name="黄建国")
    rows = visits.history(desk.receptionist, desk.uow(), visit_id=visit.visit_id)
    assert [(r.revision, r.values["name"], r.changed_by, r.reason) for r in rows] == [
        (1, "王先生", desk.receptionist.name, "登记"),
        (2, "黄先生", desk.supervisor.name, "听错了"),
        (3, "黄建国", desk.receptionist.name, "补全名字"),
    ]


@pytest.mark.parametrize("same", [{"party_size": 1}, {"party_size": "1", "channel": "walk_by"}, {}])
def test_a_correction_that_changes_nothing_is_refused_REC2(desk, same):
    visit = walk_in(desk, party_size=1, channel="walk_by")
    with refused(desk, ValidationError, match="没有任何修改"):
        correct(desk, visit.visit_id, **same)


def test_correction_is_checked_like_a_registration_REC2(desk):
    visit = walk_in(desk)
    with refused(desk, ValidationError, match="来访人数"):
        correct(desk, visit.visit_id, party_size=0)
    with refused(desk, ValidationError):
        correct(desk, visit.visit_id, consultant_id=desk.consultants[1].id)


def test_correcting_an_unknown_visit_is_refused_REC2(desk):
    with refused(desk, NotFound):
        correct(desk, 999, party_size=2)


def test_correction_is_audited_with_before_and_after_REC2_SEC3(desk):
    visit = walk_in(desk, party_size=2)
    correct(desk, visit.visit_id, reason="实际来了四位", party_size=4)
    [entry] = audit_entries(desk, "visits.correct")
    assert entry.actor_id == desk.supervisor.id and entry.target == f"visit:{visit.visit_id}"
    assert '"party_size": 2' in entry.before
    assert '"party_size": 4' in entry.after and "实际来了四位" in entry.after


# --- REC-3 / VIS-7: a returning visitor recognized by phone --------------------------------------------

def test_known_phone_shows_owner_visit_count_and_last_visit_REC3(desk):
    a = desk.consultants[0]
    walk_in(desk, "13812345678", name="林女士")
    clock.advance(timedelta(days=1))
    sign_in(desk, *desk.consultants[1:3])
    walk_in(desk, "13812345678", name="林女士")
    card = customers.lookup_phone(desk.receptionist, desk.uow(), "138 1234 5678")
    assert (card.name, card.owner_name, card.visit_count, card.last_visit_at) == ("林女士", a.name, 2, clock.now())


def test_unknown_phone_is_a_new_visitor_REC3(desk):
    walk_in(desk, "13812345678")
    assert customers.lookup_phone(desk.receptionist, desk.uow(), "13912345678") is None


def test_a_phone_is_looked_up_while_another_station_is_saving_REC3(desk):
    if desk.path is None:
        pytest.skip("SQLite's write lock")
    walk_in(desk, "13812345678")
    other = sqlite3.connect(desk.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another station holds the write lock, in the middle of a save
    try:
        assert customers.lookup_phone(desk.receptionist, desk.uow(), "13812345678").name == "王先生"
    finally:
        other.rollback()
        other.close()


def test_looking_up_a_bad_phone_says_why_REC3(desk):
    with pytest.raises(ValidationError) as error:
        customers.lookup_phone(desk.receptionist, desk.uow(), "12345")
    assert_chinese(error.value)


def test_receptionist_sees_a_masked_phone_REC3_VIS7(desk):
    walk_in(desk, "13812345678")
    assert customers.lookup_phone(desk.receptionist, desk.uow(), "13812345678").phone == "138****5678"
    assert [v.phone for v in visits.todays_visits(desk.receptionist, desk.uow())] == ["138****5678"]


@pytest.mark.parametrize("who", ["consultant", "manager", "supervisor"])
def test_staff_with_customer_access_see_the_full_phone_REC3_VIS7(desk, who):
    walk_in(desk, "13812345678")
    actor = desk.consultants[0] if who == "consultant" else getattr(desk, who)
    assert customers.lookup_phone(actor, desk.uow(), "13812345678").phone == "138 1234 5678"
    assert [v.phone for v in visits.todays_visits(actor, desk.uow())] == ["138 1234 5678"]


@pytest.mark.parametrize("who", ["consultant", "manager"])
def test_at_the_kiosk_everyone_sees_masked_phones_VIS7(desk, who):
    walk_in(desk, "13812345678")
    actor = replace(desk.consultants[0] if who == "consultant" else desk.manager, at_kiosk=True)
    assert customers.lookup_phone(actor, desk.uow(), "13812345678").phone == "138****5678"


def test_landline_is_masked_after_its_area_code_VIS7(desk):
    walk_in(desk, "0755 1234 5678")
    assert customers.lookup_phone(desk.receptionist, desk.uow(), "075512345678").phone == "0755****5678"


def test_a_later_visit_under_another_name_leaves_the_earlier_registration_as_it_was_REC2(desk):
    first = walk_in(desk, "13812345678", name="王先生")
    clock.advance(timedelta(hours=1))
    walk_in(desk, "13812345678", name="王建国")
    earlier, later = sorted(visits.todays_visits(desk.manager, desk.uow()), key=lambda v: v.arrived_at)
    assert (earlier.id, earlier.name, later.name) == (first.visit_id, "王先生", "王建国")
    assert visits.history(desk.manager, desk.uow(), visit_id=first.visit_id)[-1].values["name"] == "王先生"
    [rename] = audit_entries(desk, "customers.rename")
    assert "王先生" in rename.before and "王建国" in rename.after


def test_correcting_the_name_of_one_visit_leaves_the_other_visits_alone_REC2(desk):
    first = walk_in(desk, "13812345678", name="王先生")
    second = walk_in(desk, "13812345678", name="王先生")
    visits.correct(desk.supervisor, desk.uow(), visit_id=second.visit_id, reason="客户更正姓名", name="汪先生")
    names = {v.id: v.name for v in visits.todays_visits(desk.manager, desk.uow())}
    assert names == {first.visit_id: "王先生", second.visit_id: "汪先生"}
    assert customers.lookup_phone(desk.manager, desk.uow(), "13812345678").name == "汪先生"
