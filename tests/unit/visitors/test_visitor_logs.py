"""The visitor logs on a real SQLite file: search, count, paging, a customer's timeline, lapsing registrations."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from app import clock
from app.errors import NotFound, PermissionDenied, ValidationError
from app.services.reception import followups, visits
from app.services.visitors import customer_file, visitor_logs
from app.services.visitors.visitor_logs import COUNT_CAP, LogQuery
from tests.conftest import TEN_AM
from tests.unit.bulk import bulk_visits
from tests.unit.helpers import sign_in, walk_in


def search(office, actor=None, offset=0, **query):
    return visitor_logs.search(actor or office.manager, office.uow(), LogQuery(**query), offset=offset)


def count(office, actor=None, **query) -> int:
    return visitor_logs.count(actor or office.manager, office.uow(), LogQuery(**query))


@pytest.fixture
def desk(office):
    """Three visitors and a caller this morning."""
    a, b, *_ = office.consultants
    sign_in(office, a, b)
    walk_in(office, "13812345678", name="王先生")
    clock.advance(timedelta(minutes=5))
    walk_in(office, "13998765678", name="王丽", channel="internet")
    clock.advance(timedelta(minutes=5))
    walk_in(office, "15011112222", name="李女士")
    clock.advance(timedelta(minutes=5))
    followups.record_call(office.receptionist, office.uow(), phone="13855550000", name="王大伟", channel="phone",
                          consultant_id=a.id)
    return office


def test_search_by_full_phone_VIS1(desk):
    page = search(desk, phone="+86 138-1234-5678")
    assert [(r.kind, r.name, r.phone) for r in page.rows] == [("visit", "王先生", "138 1234 5678")]
    assert count(desk, phone="13812345678") == 1
    assert count(desk, phone="１３８１２３４５６７８") == 1  # every script's digits are the same digits
    assert count(desk, phone="١٣٨") == count(desk, phone="138") == 2


def test_search_by_phone_prefix_VIS1(desk):
    page = search(desk, phone="138")
    assert [(r.kind, r.name) for r in page.rows] == [("call", "王大伟"), ("visit", "王先生")]  # newest first


def test_search_by_last_four_digits_VIS1(desk):
    page = search(desk, phone="5678")
    assert {r.name for r in page.rows} == {"王先生", "王丽"}
    assert count(desk, phone="5678") == 2


def test_search_by_name_finds_visits_and_calls_VIS1(desk):
    assert [r.name for r in search(desk, name="王").rows] == ["王大伟", "王丽", "王先生"]
    assert [r.name for r in search(desk, name="王丽").rows] == ["王丽"]


def test_search_by_consultant_channel_kind_and_first_or_return_VIS1(desk):
    a = desk.consultants[0]
    assert {r.consultant for r in search(desk, consultant_id=a.id).rows} == {a.name}
    assert [r.name for r in search(desk, channel="internet").rows] == ["王丽"]
    assert [r.kind for r in search(desk, kind="call").rows] == ["call"]
    walk_in(desk, "13812345678", name="王先生")  # comes back
    assert [r.name for r in search(desk, is_return=True).rows] == ["王先生"]
    assert len(search(desk, is_return=False).rows) == 3  # first visits only; calls are not visits


def test_search_by_date_range_in_office_days_VIS1(desk):
    today = clock.today()
    assert count(desk, since=today, until=today) == 4
    assert count(desk, until=today - timedelta(days=1)) == 0
    assert count(desk, name="王", since=today) == 3 and count(desk, phone="138", kind="call") == 1
    with pytest.raises(ValidationError):
        search(desk, since=today, until=today - timedelta(days=1))


@pytest.mark.parametrize(("days", "field"), [({"since": date(1, 1, 1)}, "since"), ({"until": date(9999, 12, 31)}, "until"),
                                           ({"since": date(1999, 12, 31)}, "since")])
def test_a_day_outside_the_office_s_window_is_refused_by_every_reader_VIS1(desk, days, field):
    for read in (search, count):
        with pytest.raises(ValidationError, match="超出本案场可记录的日期范围") as refused:
            read(desk, **days)
        assert refused.value.field == field


def test_sorting_by_name_and_consultant_VIS1(desk):
    names = [r.name for r in search(desk, sort="name").rows]
    assert names == sorted(names)
    rows = search(desk, sort="consultant").rows
    consultants = [r.consultant for r in rows]
    assert len(set(consultants)) == 2 and consultants == sorted(consultants, key=consultants.index)  # grouped
    for name in set(consultants):
        times = [r.at for r in rows if r.consultant == name]
        assert times == sorted(times, reverse=True)
    with pytest.raises(ValidationError):
        search(desk, sort="phone")


def test_every_search_pages_the_same_rows_as_the_whole_result_VIS1(desk):
    """A page runs its own statement straight through the driver; the export runs the whole result through
    SQLAlchemy. Both agree on every filter and order, and times come back in UTC as registered."""
    clock.advance(timedelta(minutes=5))
    walk_in(desk, "13812345678", name="王先生")  # comes back
    today = clock.today()
    a = desk.consultants[0]
    for query in (LogQuery(), LogQuery(phone="5678", since=today, until=today), LogQuery(name="王", sort="name"),
                  LogQuery(consultant_id=a.id, sort="consultant"), LogQuery(sort="consultant"),
                  LogQuery(channel="internet"), LogQuery(kind="call"), LogQuery(is_return=False),
                  LogQuery(phone="138", kind="visit", until=today)):
        with desk.uow().reading() as conn:
            whole = [(r.kind, r.id, r.at, r.name, r.consultant) for r in conn.execute(visitor_logs.statement(desk.uow(), query))]
        page = visitor_logs.search(desk.manager, desk.uow(), query)
        assert [(r.kind, r.id, r.at, r.name, r.consultant) for r in page.rows] == whole, query
        middle = visitor_logs.search(desk.manager, desk.uow(), query, offset=1, limit=2)
        assert [(r.kind, r.id) for r in middle.rows] == [w[:2] for w in whole[1:3]], query
    newest = search(desk).rows[0]
    assert (newest.name, newest.at, newest.is_return) == ("王先生", clock.now(), True)
    assert newest.at.utcoffset() == timedelta(0)


def test_a_large_result_is_paged_and_its_count_is_bounded_VIS1(office):
    bulk_visits(office, COUNT_CAP + 500)
    first = search(office)
    assert len(first.rows) == visitor_logs.PAGE
    assert count(office) == COUNT_CAP + 1 and visitor_logs.count_label(count(office)) == "10,000+"
    second = visitor_logs.search(office.manager, office.uow(), LogQuery(), offset=visitor_logs.PAGE)
    both = first.rows + second.rows
    assert len({(r.kind, r.id) for r in both}) == 2 * visitor_logs.PAGE  # no row twice
    assert [r.at for r in both] == sorted((r.at for r in both), reverse=True)
    prefix = count(office, phone="138")
    assert prefix == (COUNT_CAP + 500 + 9) // 10
    assert visitor_logs.count_label(prefix) == f"{prefix:,}"


def test_searches_use_the_indexes_VIS1(office):
    """The plans the speed targets rely on: no full scan of visits for a phone, a name or the first page."""
    if office.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plans; PostgreSQL's planner picks by table statistics")
    bulk_visits(office, 300)
    from sqlalchemy.dialects import sqlite

    def plan(query: LogQuery, *, in_index_order: bool = False) -> str:
        shape, values = visitor_logs._shape_and_values(query)
        stmt = visitor_logs._statement(shape, "merged").params({**values, "limit": 100, "offset": 0})
        sql = str(stmt.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
        with office.engine.connect() as conn:
            steps = [r[-1] for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql))]
        assert "SCAN visits" not in steps and "SCAN calls" not in steps  # never a walk of a whole table
        assert not in_index_order or not any("TEMP B-TREE" in step for step in steps), steps  # no sorting
        return " | ".join(steps)

    assert "ix_customers_phone_tail" in plan(LogQuery(phone="5678"))
    assert "uq_customers_phone" in plan(LogQuery(phone="138"))
    assert "ix_visits_name" in plan(LogQuery(name="客户1", kind="visit"))
    for query in (LogQuery(consultant_id=office.consultants[0].id), LogQuery(sort="consultant")):
        consultant = plan(query, in_index_order=True)
        assert "ix_visits_consultant_arrived" in consultant and "ix_calls_consultant_received" in consultant
    first_page = plan(LogQuery(), in_index_order=True)
    assert "ix_visits_arrived_at" in first_page and "ix_calls_received_at" in first_page
    assert "TEMP B-TREE" not in plan(LogQuery(kind="visit"))  # one arm: straight from the index


def test_where_phones_are_masked_no_prefix_search_spells_a_number_out_VIS7(desk):
    kiosk = replace(desk.supervisor, at_kiosk=True)
    for actor in (desk.receptionist, kiosk):
        for read in (search, count):
            with pytest.raises(ValidationError, match="完整号码或后四位") as refused:
                read(desk, actor, phone="13812")
            assert refused.value.field == "phone"
        assert sorted(r.phone for r in search(desk, actor, phone="5678").rows) == ["138****5678", "139****5678"]
    assert len(search(desk, desk.supervisor, phone="13812").rows) == 1  # who may see customers searches freely


def test_masked_phone_searches_are_limited_per_person_in_a_while_VIS7(desk):
    for n in range(30):
        search(desk, desk.receptionist, phone=f"1381234{n:04d}")
    with pytest.raises(ValidationError, match="查询电话过于频繁"):
        search(desk, desk.receptionist, phone="13812345678")
    assert search(desk, desk.receptionist, phone="13812345678", offset=1).rows == []  # a next page is no new search
    assert len(search(desk, desk.supervisor, phone="13812345678").rows) == 1  # others are not held up
    clock.advance(timedelta(minutes=10))
    assert [r.name for r in search(desk, desk.receptionist, phone="13812345678").rows] == ["王先生"]


def test_phones_are_masked_for_roles_without_customer_access_and_at_the_kiosk_VIS7(desk):
    assert [r.phone for r in search(desk, desk.receptionist, phone="13812345678").rows] == ["138****5678"]
    kiosk = replace(desk.supervisor, at_kiosk=True)
    assert [r.phone for r in search(desk, kiosk, phone="5678").rows] == ["139****5678", "138****5678"]
    assert search(desk, desk.supervisor, phone="13812345678").rows[0].phone == "138 1234 5678"


def test_nonsense_in_the_phone_box_is_refused_with_a_message_VIS1(desk):
    with pytest.raises(ValidationError, match="查电话"):
        search(desk, phone="abc")


def test_cleaner_may_not_search_the_logs_SEC2(office):
    from app.permissions import Actor, Role

    with pytest.raises(PermissionDenied):
        search(office, Actor(99, "保洁", Role.CLEANER))


def test_timeline_shows_every_contact_newest_first_VIS1_REC2(desk):
    a = desk.consultants[0]
    card = walk_in(desk, "13812345678", name="王先生")
    clock.advance(timedelta(minutes=5))
    visits.correct(desk.receptionist, desk.uow(), visit_id=card.visit_id, reason="人数记错", party_size=4)
    clock.advance(timedelta(minutes=5))
    followups.record_follow_up(a, desk.uow(), customer_id=card.customer_id, method="phone", content="约周六看房")
    line = customer_file.timeline(desk.manager, desk.uow(), customer_id=card.customer_id)
    assert line.name == "王先生" and line.phone == "138 1234 5678" and line.visit_count == 2
    kinds = [e.kind for e in line.events]
    assert kinds[0] == "follow_up" and kinds.count("visit") == 2 and "ownership" in kinds and "revision" in kinds
    assert [e.at for e in line.events] == sorted((e.at for e in line.events), reverse=True)
    assert "约周六看房" in line.events[0].text
    revision = next(e for e in line.events if e.kind == "revision")
    assert "人数记错" in revision.text
    masked = customer_file.timeline(desk.receptionist, desk.uow(), customer_id=card.customer_id)
    assert masked.phone == "138****5678"
    with pytest.raises(NotFound):
        customer_file.timeline(desk.manager, desk.uow(), customer_id=999_999)


def test_customers_lapsing_within_seven_days_for_their_owner_and_the_manager_VIS4(office):
    a, b, *_ = office.consultants
    sign_in(office, a, b)
    soon = walk_in(office, "13812345678", name="王先生")  # to a
    walk_in(office, "13912345678", name="李女士")  # to b
    clock.advance(timedelta(days=55))  # two months run out around day 61
    sign_in(office, a)
    fresh = walk_in(office, "15012345678", name="赵先生")  # registered today: lapses in two months
    for actor in (a, office.manager):
        rows = customer_file.lapsing_soon(actor, office.uow())
        names = [r.name for r in rows]
        assert "王先生" in names and "赵先生" not in names
    assert {r.name for r in customer_file.lapsing_soon(a, office.uow())} == {"王先生"}  # a sees only theirs
    assert {r.name for r in customer_file.lapsing_soon(office.manager, office.uow())} == {"王先生", "李女士"}
    row = next(r for r in customer_file.lapsing_soon(office.manager, office.uow()) if r.customer_id == soon.customer_id)
    assert 0 <= row.days_left <= 7 and row.owner == a.name
    assert fresh.customer_id not in {r.customer_id for r in customer_file.lapsing_soon(office.manager, office.uow())}
    with pytest.raises(PermissionDenied):
        customer_file.lapsing_soon(office.receptionist, office.uow())


def test_a_follow_up_renews_the_registration_and_takes_it_off_the_lapsing_list_VIS4(office):
    a = office.consultants[0]
    sign_in(office, a)
    card = walk_in(office, "13812345678", name="王先生")
    clock.advance(timedelta(days=58))
    assert customer_file.lapsing_soon(a, office.uow())
    followups.record_follow_up(a, office.uow(), customer_id=card.customer_id, method="phone", content="还在考虑")
    assert customer_file.lapsing_soon(a, office.uow()) == []


def test_the_clock_fixture_is_monday_morning():
    assert clock.local(clock.now()).replace(tzinfo=None) == TEN_AM
