"""Figures for the manager: traffic per day, week or month (VIS-2), the funnel visit → deposit → contract (VIS-3).

Each figure is one GROUP BY query. Buckets are office days, weeks (Monday first) or months. They are
computed in Python as UTC boundaries and the query puts each row in its bucket with a balanced CASE over
those boundaries (log2(n) comparisons per row): plain SQL on SQLite and PostgreSQL alike, no date function
of either database, and the office's time zone is applied exactly.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, literal_column, select, union_all

from app import clock, validation
from app.domain.channels import CHANNELS
from app.errors import ValidationError
from app.i18n import N_, _
from app.models.deals import Deal
from app.models.staff import Staff
from app.models.visitors import Call, Visit
from app.permissions import Actor, Perm, require
from app.database.uow import UnitOfWork
from app.services import settings

PERIODS = {"day": N_("Day"), "week": N_("Week"), "month": N_("Month")}
TRAFFIC_BY = {"channel": N_("Channel"), "consultant": N_("Consultant"), "return": N_("First or return")}
FUNNEL_BY = {"consultant": N_("Consultant"), "channel": N_("Channel")}
MAX_BUCKETS = 400


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    counts: tuple[int, ...]  # one per bucket


@dataclass(frozen=True)
class Traffic:
    period: str
    buckets: tuple[date, ...]  # first day of each bucket
    series: tuple[Series, ...]  # visits, one series per channel, consultant, or first/return
    calls: tuple[int, ...]  # calls per bucket, beside the visits

    @property
    def visits(self) -> tuple[int, ...]:
        return tuple(sum(col) for col in zip(*(s.counts for s in self.series))) if self.series else \
            (0,) * len(self.buckets)


@dataclass(frozen=True)
class FunnelRow:
    key: str
    label: str
    visitors: int  # distinct customers who visited in the period
    deposits: int  # distinct customers with a deposit (认购) in the period
    contracts: int  # distinct customers with a contract (签约) in the period


def bucket_starts(since: date, until: date, period: str) -> list[date]:
    if period not in PERIODS:
        raise ValidationError(_("Choose days, weeks or months."), field="period")
    if since > until:
        raise ValidationError(_("The first day comes after the last day."), field="since")
    if period == "day":
        first = since
    elif period == "week":
        first = since - timedelta(days=since.weekday())
    else:
        first = since.replace(day=1)
    starts = [first]
    while True:
        d = starts[-1]
        nxt = (d + timedelta(days=1) if period == "day" else d + timedelta(days=7) if period == "week"
               else (d.replace(day=28) + timedelta(days=4)).replace(day=1))
        if nxt > until:
            return starts
        starts.append(nxt)
        if len(starts) > MAX_BUCKETS:
            raise ValidationError(_("That period is too long for this view: choose weeks or months."),
                                  field="period")


def bucket_of(column, bounds: list[datetime]):  # type: ignore[no-untyped-def]
    """The index of the bucket a time falls in: a balanced CASE over the buckets' UTC starts."""

    def node(lo: int, hi: int):  # type: ignore[no-untyped-def]
        if hi - lo == 1:
            return literal_column(str(lo))
        mid = (lo + hi) // 2
        return case((column < bounds[mid], node(lo, mid)), else_=node(mid, hi))

    return node(0, len(bounds))


def _window(uow: UnitOfWork, since: date, until: date) -> tuple[datetime, datetime]:
    """The UTC bounds of the days asked for, each day first checked inside the office's window of dates."""
    with uow:
        window = settings.record_window(uow.session)
    validation.record_day(since, window, "since", _("The first day"))
    validation.record_day(until, window, "until", _("The last day"))
    return clock.day_bounds(since)[0], clock.day_bounds(until)[1]


def traffic(actor: Actor, uow: UnitOfWork, *, since: date, until: date, period: str = "day",
            by: str = "channel") -> Traffic:
    """Visits per bucket split by channel, consultant or first/return; calls per bucket beside them (VIS-2)."""
    require(actor, Perm.VIEW_FIGURES)
    if by not in TRAFFIC_BY:
        raise ValidationError(_("Split the traffic by channel, consultant or first or return visit."), field="by")
    start, end = _window(uow, since, until)
    starts = bucket_starts(since, until, period)
    bounds = [clock.day_bounds(d)[0] for d in starts]
    key = {"channel": Visit.channel, "consultant": Visit.consultant_id, "return": Visit.is_return}[by]
    inner = (select(bucket_of(Visit.arrived_at, bounds).label("b"), key.label("k"))
             .where(Visit.arrived_at >= start, Visit.arrived_at < end).subquery())
    calls_inner = (select(bucket_of(Call.received_at, bounds).label("b"))
                   .where(Call.received_at >= start, Call.received_at < end).subquery())
    with uow.reading() as s:
        counts: dict[object, list[int]] = {}
        for b, k, n in s.execute(select(inner.c.b, inner.c.k, func.count()).group_by(inner.c.b, inner.c.k)):
            counts.setdefault(k, [0] * len(starts))[int(b)] += n
        calls = [0] * len(starts)
        for b, n in s.execute(select(calls_inner.c.b, func.count()).group_by(calls_inner.c.b)):
            calls[int(b)] += n
        labels = _labels(s, by)
    series = [Series(str(k), labels(k), tuple(v)) for k, v in counts.items()]
    series.sort(key=lambda x: -sum(x.counts))
    return Traffic(period, tuple(starts), tuple(series), tuple(calls))


def _labels(s, by: str):  # type: ignore[no-untyped-def]
    if by == "consultant":
        names = dict(s.execute(select(Staff.id, Staff.name)).all())
        return lambda k: names.get(k, "") if k is not None else _("Nobody")
    if by == "return":
        return lambda k: _("Return visit") if k else _("First visit")
    return lambda k: _(CHANNELS.get(k, k or ""))


def funnel(actor: Actor, uow: UnitOfWork, *, since: date, until: date, by: str = "consultant") -> list[FunnelRow]:
    """Distinct customers who visited, paid a deposit and signed, per consultant or channel (VIS-3).

    One GROUP BY over the period's visits and deals together. A deal counts for the consultant who sold it and
    the channel by which the customer first came.
    """
    require(actor, Perm.VIEW_FIGURES)
    if by not in FUNNEL_BY:
        raise ValidationError(_("Show the funnel per consultant or per channel."), field="by")
    if since > until:
        raise ValidationError(_("The first day comes after the last day."), field="since")
    start, end = _window(uow, since, until)
    vkey, dkey = (Visit.consultant_id, Deal.consultant_id) if by == "consultant" else (Visit.channel, Deal.channel)
    stages = union_all(
        select(vkey.label("k"), literal_column("'visit'").label("stage"), Visit.customer_id.label("c"))
        .where(Visit.arrived_at >= start, Visit.arrived_at < end),
        select(dkey.label("k"), Deal.kind.label("stage"), Deal.customer_id.label("c"))
        .where(Deal.at >= start, Deal.at < end),
    ).subquery()
    with uow.reading() as s:
        found: dict[object, dict[str, int]] = {}
        q = select(stages.c.k, stages.c.stage, func.count(stages.c.c.distinct())).group_by(stages.c.k, stages.c.stage)
        for k, stage, n in s.execute(q):
            found.setdefault(k, {})[stage] = n
        labels = _labels(s, by)
    rows = [FunnelRow(str(k), labels(k), v.get("visit", 0), v.get("deposit", 0), v.get("contract", 0))
            for k, v in found.items()]
    rows.sort(key=lambda r: (-r.visitors, r.label))
    return rows
