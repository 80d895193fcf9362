"""Follow-ups due every 3 days for visitors and 4 for callers (REC-9), and the hotline call log (REC-10)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app import clock
from app.errors import NotFound, ValidationError
from app.models.visitors import Call, FollowUp
from app.services import customers, settings
from app.services.reception import followups
from tests.unit.helpers import fetch, refused, sign_in, walk_in

TEN_AM = datetime(2026, 11, 23, 10, 0, tzinfo=clock.OFFICE_TZ)


def call(office, phone="13912345678", name="赵先生", consultant=None, **kw):
    return followups.record_call(office.receptionist, office.uow(), phone=phone, name=name,
                                 channel=kw.pop("channel", "internet"),
                                 consultant_id=consultant.id if consultant else None, **kw)


def follow_up(office, consultant, customer_id, content="电话回访，约周六来看样板房", method="phone"):
    return followups.record_follow_up(consultant, office.uow(), customer_id=customer_id, method=method,
                                      content=content)


def due(office, actor=None, **kw):
    return [(r.name, r.owner, r.due_at, r.overdue)
            for r in followups.due(actor or office.receptionist, office.uow(), **kw)]


@pytest.fixture
def book(office):
    """a received the visitor 王先生 at 10:00; b took the call of 赵先生 at 10:00."""
    a, b = office.consultants[:2]
    sign_in(office, a)
    visitor = walk_in(office, "13812345678", name="王先生")
    caller = call(office, consultant=b)
    return visitor, caller


# --- REC-9 ----------------------------------------------------------------------------------------------

def test_visitor_is_due_after_3_days_and_caller_after_4_REC9(office, book):
    a, b = office.consultants[:2]
    clock.advance(timedelta(days=2))
    assert due(office) == []
    clock.advance(timedelta(days=1))
    assert due(office) == [("王先生", a.name, TEN_AM + timedelta(days=3), False)]
    clock.advance(timedelta(days=1))
    assert due(office) == [("王先生", a.name, TEN_AM + timedelta(days=3), True),
                           ("赵先生", b.name, TEN_AM + timedelta(days=4), False)]


def test_a_follow_up_falls_due_in_the_morning_of_its_day_REC9(office, book):
    clock.freeze(datetime(2026, 11, 26, 8, 0))  # due at 10:00 today: listed, not yet overdue
    assert [(name, overdue) for name, _o, _d, overdue in due(office)] == [("王先生", False)]


def test_each_consultant_sees_their_own_due_list_REC9(office, book):
    a, b, c, _d = office.consultants
    clock.advance(timedelta(days=4))
    assert [r[0] for r in due(office, a)] == ["王先生"]
    assert [r[0] for r in due(office, b)] == ["赵先生"]
    assert due(office, c) == []
    assert [r[0] for r in due(office, b, consultant_id=a.id)] == ["赵先生"]  # not someone else's list


def test_manager_and_desk_see_the_whole_office_or_one_consultant_REC9(office, book):
    b = office.consultants[1]
    clock.advance(timedelta(days=4))
    assert [r[0] for r in due(office, office.manager)] == ["王先生", "赵先生"]
    assert [r[0] for r in due(office, office.supervisor, consultant_id=b.id)] == ["赵先生"]
    assert [r.phone for r in followups.due(office.receptionist, office.uow())] == ["138****5678", "139****5678"]


def test_recording_a_follow_up_moves_the_due_date_REC9(office, book):
    a = office.consultants[0]
    visitor, _caller = book
    clock.advance(timedelta(days=4))
    row = follow_up(office, a, visitor.customer_id)
    assert (row.due_at, row.overdue) == (clock.now() + timedelta(days=3), False)
    assert due(office, a) == []
    [saved] = fetch(office, FollowUp)
    assert (saved.consultant_id, saved.method, saved.content, saved.at) == (
        a.id, "phone", "电话回访，约周六来看样板房", clock.now())


def test_caller_who_visits_is_then_followed_up_every_3_days_REC9(office, book):
    b = office.consultants[1]
    _visitor, caller = book
    clock.advance(timedelta(days=1))
    sign_in(office, b)
    walk_in(office, "13912345678", name="赵先生")
    assert follow_up(office, b, caller.customer_id).due_at == clock.now() + timedelta(days=3)


@pytest.mark.parametrize("content", ["", "   "])
def test_follow_up_without_content_is_refused_REC9(office, book, content):
    with refused(office, ValidationError, match="跟进内容") as error:
        follow_up(office, office.consultants[0], book[0].customer_id, content=content)
    assert error.value.field == "content"


def test_follow_up_needs_a_known_method_and_customer_REC9(office, book):
    a = office.consultants[0]
    with refused(office, ValidationError):
        follow_up(office, a, book[0].customer_id, method="pigeon")
    with refused(office, NotFound):
        follow_up(office, a, 999)
    with refused(office, ValidationError):
        follow_up(office, a, book[0].customer_id, content="很" * 1001)


def test_a_new_interval_applies_to_new_contacts_REC9(office, book):
    a = office.consultants[0]
    settings.update(office.manager, office.uow(), {"visitor_follow_up_days": 5, "caller_follow_up_days": 7})
    later = walk_in(office, "13700000001", name="钱女士")
    new_caller = call(office, "13700000002", name="孙先生", consultant=a)
    clock.advance(timedelta(days=4))
    assert [r[0] for r in due(office)] == ["王先生", "赵先生"]  # earlier contacts keep their dates
    assert follow_up(office, a, later.customer_id).due_at == clock.now() + timedelta(days=5)
    assert follow_up(office, a, new_caller.customer_id).due_at == clock.now() + timedelta(days=7)


# --- REC-10 ---------------------------------------------------------------------------------------------

def test_call_log_keeps_channel_questions_intent_consultant_and_appointment_REC10(office):
    b = office.consultants[1]
    visit_at = TEN_AM + timedelta(days=2, hours=4)
    result = call(office, "139 1234 5678", consultant=b, channel="newspaper", questions="有没有三房？首付多少？",
                  intent="三房 100平 300万", appointment_at=visit_at)
    assert (result.consultant, result.appointment_at) == (b.name, visit_at)
    [saved] = fetch(office, Call)
    assert (saved.channel, saved.questions, saved.intent, saved.consultant_id, saved.appointment_at) == (
        "newspaper", "有没有三房？首付多少？", "三房 100平 300万", b.id, visit_at)
    assert (saved.received_at, saved.taken_by_id) == (clock.now(), office.receptionist.id)


def test_new_caller_is_owned_by_the_consultant_named_REC10_REC7(office):
    b = office.consultants[1]
    result = call(office, consultant=b)
    got = customers.lookup_phone(office.manager, office.uow(), "13912345678")
    assert (got.id, got.owner_name, got.visit_count) == (result.customer_id, b.name, 0)


def test_call_without_a_consultant_leaves_the_caller_unowned_REC10(office):
    result = call(office)
    assert result.consultant == ""
    assert customers.lookup_phone(office.manager, office.uow(), "13912345678").owner_name == ""


def test_call_from_an_owned_customer_is_credited_to_the_owner_REC10(office, book):
    a = office.consultants[0]
    assert call(office, "13812345678", name="王先生").consultant == a.name


@pytest.mark.parametrize("offset", [timedelta(0), timedelta(minutes=-1), timedelta(days=-3)])
def test_appointment_in_the_past_is_refused_REC10(office, offset):
    with refused(office, ValidationError, match="将来") as error:
        call(office, consultant=office.consultants[0], appointment_at=clock.now() + offset)
    assert error.value.field == "appointment_at"


@pytest.mark.parametrize("bad", [{"phone": "12345"}, {"name": " "}, {"channel": "tiktok"},
                                 {"questions": "问" * 1001}])
def test_call_with_bad_details_is_refused_and_nothing_is_written_REC10(office, bad):
    with refused(office, ValidationError):
        call(office, **bad)


def test_call_for_someone_who_is_not_a_consultant_is_refused_REC10(office):
    with refused(office, NotFound, match="置业顾问"):
        call(office, consultant=office.receptionist)
