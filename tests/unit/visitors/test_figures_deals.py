"""Traffic (VIS-2), the funnel visit → deposit → contract (VIS-3) and recording deals, on a real SQLite file."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from app import clock
from app.errors import Conflict, PermissionDenied, ValidationError
from app.services.reception import followups
from app.services.visitors import deals, figures
from tests.unit.bulk import bulk_visits
from tests.unit.helpers import audit_entries, hold_unit, refused, sign_in, walk_in


def test_traffic_per_day_by_channel_with_calls_beside_VIS2(office):
    a = office.consultants[0]
    sign_in(office, a)
    walk_in(office, "13812345678", name="王先生", channel="internet")
    walk_in(office, "13912345678", name="李女士", channel="internet")
    walk_in(office, "15012345678", name="赵先生", channel="friend")
    followups.record_call(office.receptionist, office.uow(), phone="13700000000", name="周先生", channel="phone")
    today = clock.today()
    t = figures.traffic(office.manager, office.uow(), since=today - timedelta(days=29), until=today, period="day")
    assert len(t.buckets) == 30 and t.buckets[-1] == today
    by_label = {s.label: s.counts for s in t.series}
    assert by_label["网络"][-1] == 2 and by_label["朋友介绍"][-1] == 1
    assert t.visits[-1] == 3 and sum(t.visits) == 3
    assert t.calls[-1] == 1 and sum(t.calls) == 1


def test_traffic_buckets_are_office_days_weeks_and_months_VIS2(office):
    bulk_visits(office, 600, days=85)  # one visit every 3.4 hours over 85 days
    today = clock.today()
    since = today - timedelta(days=89)
    daily = figures.traffic(office.manager, office.uow(), since=since, until=today, period="day", by="consultant")
    weekly = figures.traffic(office.manager, office.uow(), since=since, until=today, period="week", by="return")
    monthly = figures.traffic(office.manager, office.uow(), since=since, until=today, period="month")
    assert sum(daily.visits) == sum(weekly.visits) == sum(monthly.visits) == 600
    assert all(d.weekday() == 0 for d in weekly.buckets)
    assert all(d.day == 1 for d in monthly.buckets)
    assert {s.label for s in daily.series} == {c.name for c in office.consultants}
    assert {s.label for s in weekly.series} == {"首访", "复访"}
    first_return = {s.label: sum(s.counts) for s in weekly.series}
    assert first_return["复访"] == 120  # every fifth


def test_a_visit_at_half_past_midnight_office_time_counts_on_that_office_day_VIS2(office):
    sign_in(office, office.consultants[0])
    clock.freeze(clock.at_office(date(2026, 11, 23), 0, 30).astimezone(clock.OFFICE_TZ))  # 16:30 UTC the day before
    walk_in(office, "13812345678")
    t = figures.traffic(office.manager, office.uow(), since=date(2026, 11, 22), until=date(2026, 11, 23))
    assert t.visits == (0, 1)


def test_funnel_per_consultant_and_channel_VIS3(office):
    a, b, *_ = office.consultants
    sign_in(office, a, b)
    first = walk_in(office, "13812345678", name="王先生", channel="internet")  # to a
    walk_in(office, "13912345678", name="李女士", channel="friend")  # to b
    walk_in(office, "15012345678", name="赵先生", channel="internet")  # to a
    hold_unit(office, first.customer_id, "3-1-1502", asked_by=a)
    deals.record_deposit(a, office.uow(), customer_id=first.customer_id, unit="3-1-1502", amount_yuan=50000)
    deals.record_contract(a, office.uow(), customer_id=first.customer_id, unit="3-1-1502", amount_yuan=3_200_000)
    today = clock.today()
    rows = {r.label: r for r in figures.funnel(office.manager, office.uow(), since=today, until=today)}
    assert (rows[a.name].visitors, rows[a.name].deposits, rows[a.name].contracts) == (2, 1, 1)
    assert (rows[b.name].visitors, rows[b.name].deposits, rows[b.name].contracts) == (1, 0, 0)
    channels = {r.label: r for r in figures.funnel(office.manager, office.uow(), since=today, until=today,
                                                   by="channel")}
    assert (channels["网络"].visitors, channels["网络"].deposits, channels["网络"].contracts) == (2, 1, 1)
    last_month = figures.funnel(office.manager, office.uow(), since=today - timedelta(days=40),
                                until=today - timedelta(days=10))
    assert last_month == []


def test_a_unit_is_never_held_or_sold_twice_VIS8(office):
    a, b, *_ = office.consultants
    sign_in(office, a, b)
    one = walk_in(office, "13812345678", name="王先生")
    two = walk_in(office, "13912345678", name="李女士")
    with refused(office, Conflict, match="销控"):  # not confirmed free by the manager yet
        deals.record_deposit(a, office.uow(), customer_id=one.customer_id, unit="3-1-1502", amount_yuan=50000)
    hold_unit(office, one.customer_id, "3-1-1502", asked_by=a)
    deals.record_deposit(a, office.uow(), customer_id=one.customer_id, unit="3-1-1502", amount_yuan=50000)
    with refused(office, Conflict, match="另一位客户"):
        deals.record_deposit(b, office.uow(), customer_id=two.customer_id, unit="3-1-1502", amount_yuan=50000)
    deals.record_contract(a, office.uow(), customer_id=one.customer_id, unit="3-1-1502", amount_yuan=3_000_000)
    with refused(office, Conflict, match="已售"):
        deals.record_contract(a, office.uow(), customer_id=one.customer_id, unit="3-1-1502", amount_yuan=3_000_000)


def test_a_deal_is_audited_and_bad_input_refused_SEC3(office):
    a = office.consultants[0]
    sign_in(office, a)
    card = walk_in(office, "13812345678")
    hold_unit(office, card.customer_id, "1-1-101", asked_by=a)
    with refused(office, ValidationError):
        deals.record_deposit(a, office.uow(), customer_id=card.customer_id, unit=" ", amount_yuan=100)
    with refused(office, ValidationError):
        deals.record_deposit(a, office.uow(), customer_id=card.customer_id, unit="1-1-101", amount_yuan="五万")
    with refused(office, ValidationError):
        deals.record_deposit(a, office.uow(), customer_id=card.customer_id, unit="1-1-101", amount_yuan=100,
                             at=clock.now() + timedelta(days=1))
    row = deals.record_deposit(a, office.uow(), customer_id=card.customer_id, unit="1-1-101", amount_yuan="50,000")
    assert row.amount_yuan == 50000 and row.consultant_id == a.id and row.channel == "walk_by"
    [entry] = audit_entries(office, "deals.deposit")
    assert entry.actor_id == a.id and "1-1-101" in entry.after


def test_figures_are_for_the_supervisor_and_manager_only_SEC2(office):
    today = clock.today()
    with pytest.raises(PermissionDenied):
        figures.traffic(office.consultants[0], office.uow(), since=today, until=today)
    with pytest.raises(PermissionDenied):
        figures.funnel(office.receptionist, office.uow(), since=today, until=today)
    figures.funnel(office.supervisor, office.uow(), since=today, until=today)


def test_a_period_too_long_for_days_is_refused_VIS2(office):
    today = clock.today()
    with pytest.raises(ValidationError):
        figures.traffic(office.manager, office.uow(), since=today - timedelta(days=800), until=today)
    figures.traffic(office.manager, office.uow(), since=today - timedelta(days=800), until=today, period="month")


@pytest.mark.parametrize("since", [date(1, 1, 1), date(1999, 12, 31)])
def test_figures_refuse_a_day_outside_the_office_s_window_VIS2(office, since):
    for period in ("day", "month"):
        with pytest.raises(ValidationError, match="开始日期 .* 超出本案场可记录的日期范围"):
            figures.traffic(office.manager, office.uow(), since=since, until=since, period=period)
    with pytest.raises(ValidationError, match="结束日期 9999-12-31 超出"):
        figures.funnel(office.manager, office.uow(), since=clock.today(), until=date(9999, 12, 31))
