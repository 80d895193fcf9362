"""The demo office's past: months of visits, calls and follow-ups, written in bulk.

First a plan is drawn in compact arrays (who came when, who received them), because a customer's row
can only be written once all their visits are known; then every table is written with SQLAlchemy Core
executemany in batches. A million visits take a few minutes at most, where ORM objects would take far
longer. The numbering is explicit (1, 2, 3 …) so that visits can name their customers before any id is
read back.
"""
from __future__ import annotations

import random
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from itertools import accumulate, islice

from sqlalchemy import Connection, Table, insert, text

from app import clock
from app.config import OfficeSettings, parse_clock_time
from app.demo import vocab
from app.domain import ownership
from app.models.deals import Deal
from app.models.visitors import Call, Customer, FollowUp, OwnershipDecision, Visit

BATCH = 20_000
RETURN_SHARE = 0.3  # visits by a customer who came before
CALLS_PER_VISIT = 0.2
NEW_CALLER_SHARE = 0.4  # calls from someone the office does not know yet
FOLLOW_UP_CHANCE = 0.5  # a visit followed up within days …
FOLLOW_UP_AGAIN = 0.35  # … and again, now and then
APPOINTMENT_CHANCE = 0.4  # calls that end with an appointment to visit (REC-10)
DEPOSIT_CHANCE = 0.25  # a customer who came back pays a deposit (认购) days after their last visit …
CONTRACT_CHANCE = 0.7  # … and most sign the contract (签约) a week or two later (VIS-3)
UNITS = 30 * 2 * 31 * 4  # 30 buildings, 2 entrances, floors 2 to 32, 4 flats a floor
DAY = 86_400

CHANNEL_CODES = tuple(vocab.CHANNEL_WEIGHTS)
METHOD_CODES = tuple(vocab.FOLLOW_UP_METHOD_WEIGHTS)


@dataclass(frozen=True)
class Cast:
    consultants: tuple[int, ...]
    receptionists: tuple[int, ...]
    manager: int


@dataclass(frozen=True)
class HistoryCounts:
    customers: int
    visits: int
    calls: int
    follow_ups: int


@dataclass
class _Plan:
    """Everything drawn before writing; one entry per customer, visit, call and follow-up."""

    open_at: list[int]  # each day's opening, UTC seconds
    minutes_open: int
    owner: array = field(default_factory=lambda: array("l"))  # per customer: staff id
    first: array = field(default_factory=lambda: array("q"))  # first contact, UTC seconds
    last_visit: array = field(default_factory=lambda: array("q"))  # 0: never visited
    last_contact: array = field(default_factory=lambda: array("q"))
    visits_made: array = field(default_factory=lambda: array("l"))
    channel: bytearray = field(default_factory=bytearray)  # index into CHANNEL_CODES
    visit_at: list[int] = field(default_factory=list)
    visit_day: array = field(default_factory=lambda: array("l"))
    visit_customer: array = field(default_factory=lambda: array("l"))
    visit_is_return: bytearray = field(default_factory=bytearray)
    call_at: list[int] = field(default_factory=list)
    call_customer: array = field(default_factory=lambda: array("l"))
    follow_ups: list[tuple[int, int]] = field(default_factory=list)  # (at, customer)
    names: list[str] = field(default_factory=list)  # per customer, drawn when the customers are written

    def new_customer(self, owner: int, at: int, channel: int) -> int:
        self.owner.append(owner)
        self.first.append(at)
        self.last_visit.append(0)
        self.last_contact.append(at)
        self.visits_made.append(0)
        self.channel.append(channel)
        return len(self.owner) - 1


def write_history(conn: Connection, rng: random.Random, cast: Cast, *, visits: int, first_day: date,
                  last_day: date, until: datetime, phone_salt: int) -> HistoryCounts:
    """Draw and write `visits` visits over the office days first_day..last_day; nothing after `until`."""
    plan = _draw(rng, cast, visits, first_day, last_day, int(until.timestamp()))
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA cache_size=-262144")  # 256 MB: the phone index is filled in random order
    office = OfficeSettings()
    _insert(conn, Customer.__table__, _customers(rng, plan, phone_salt, office))
    _insert(conn, OwnershipDecision.__table__, _decisions(plan, cast))
    _insert(conn, Visit.__table__, _visits(rng, plan, cast))
    _insert(conn, Call.__table__, _calls(rng, plan, cast))
    _insert(conn, FollowUp.__table__, _follow_ups(rng, plan))
    _insert(conn, Deal.__table__, _deals(rng, plan, cast, int(until.timestamp())))
    # Each sold or reserved unit was confirmed free by the manager before its deposit (销控, VIS-8).
    conn.execute(text("INSERT INTO unit_holds (unit, customer_id, status, requested_by_id, requested_at, "
                      "decided_by_id, decided_at, note) SELECT unit, customer_id, 'confirmed', MIN(consultant_id), "
                      "MIN(at), :manager, MIN(at), '' FROM deals GROUP BY unit, customer_id"),
                 {"manager": cast.manager})
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA cache_size=-2000")
    if conn.dialect.name == "postgresql":
        # Rows were numbered here, so the id sequences must be moved past them for the desk's inserts.
        for table in ("customers", "ownership_decisions", "visits", "calls", "follow_ups", "deals", "unit_holds"):
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"))
    return HistoryCounts(len(plan.owner), len(plan.visit_at), len(plan.call_at), len(plan.follow_ups))


# -- drawing --------------------------------------------------------------------------------------------------

def _draw(rng: random.Random, cast: Cast, visits: int, first_day: date, last_day: date, until: int) -> _Plan:
    office = OfficeSettings()
    opening, closing = parse_clock_time(office.open_time), parse_clock_time(office.close_time)
    days = [first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1)]
    plan = _Plan(open_at=[int(clock.at_office(d, opening.hour, opening.minute).timestamp()) for d in days],
                 minutes_open=(closing.hour - opening.hour) * 60 + closing.minute - opening.minute)
    day_cum = list(accumulate(vocab.WEEKDAY_WEIGHTS[d.weekday()] for d in days))
    minute_cum = list(accumulate(vocab.HOUR_WEIGHTS[min(m // 60, len(vocab.HOUR_WEIGHTS) - 1)]
                                 for m in range(plan.minutes_open)))
    plan.visit_at = _moments(rng, visits, plan, day_cum, minute_cum)
    plan.call_at = _moments(rng, int(visits * CALLS_PER_VISIT), plan, day_cum, minute_cum)
    receivers = rng.choices(cast.consultants, k=visits + len(plan.call_at))
    channels = rng.choices(range(len(CHANNEL_CODES)), weights=list(vocab.CHANNEL_WEIGHTS.values()),
                           k=visits + len(plan.call_at))

    # Visits and calls in time order; a returning customer is one known before that day.
    day, known_before_today, v, c = 0, 0, 0, 0
    for n in range(visits + len(plan.call_at)):
        is_visit = c >= len(plan.call_at) or (v < visits and plan.visit_at[v] <= plan.call_at[c])
        at = plan.visit_at[v] if is_visit else plan.call_at[c]
        while day + 1 < len(days) and at >= plan.open_at[day + 1]:
            day, known_before_today = day + 1, len(plan.owner)
        if is_visit:
            if known_before_today and rng.random() < RETURN_SHARE:
                customer = _someone_recent(rng, known_before_today)
            else:
                customer = plan.new_customer(receivers[n], at, channels[n])
            plan.visit_day.append(day)
            plan.visit_customer.append(customer)
            plan.visit_is_return.append(plan.visits_made[customer] > 0)
            plan.visits_made[customer] += 1
            plan.last_visit[customer] = at
            _touch(plan, customer, at)
            _plan_follow_ups(rng, plan, customer, day, until)
            v += 1
        else:
            if known_before_today and rng.random() >= NEW_CALLER_SHARE:
                customer = _someone_recent(rng, known_before_today)
            else:
                customer = plan.new_customer(receivers[n], at, channels[n])
            plan.call_customer.append(customer)
            _touch(plan, customer, at)
            c += 1
    plan.follow_ups.sort()
    return plan


def _moments(rng: random.Random, count: int, plan: _Plan, day_cum: list[float], minute_cum: list[float]) -> list[int]:
    """`count` moments in opening hours, busier at weekends and at the day's peaks, in time order."""
    days = rng.choices(range(len(day_cum)), cum_weights=day_cum, k=count)
    minutes = rng.choices(range(plan.minutes_open), cum_weights=minute_cum, k=count)
    return sorted(plan.open_at[d] + m * 60 + rng.randrange(60) for d, m in zip(days, minutes))


def _someone_recent(rng: random.Random, known: int) -> int:
    """Most customers come back within weeks: counted back from the newest, with a long tail."""
    back = int(rng.expovariate(1.0) * max(1.0, known * 0.15))
    return max(0, known - 1 - back)


def _touch(plan: _Plan, customer: int, at: int) -> None:
    if at > plan.last_contact[customer]:
        plan.last_contact[customer] = at


def _plan_follow_ups(rng: random.Random, plan: _Plan, customer: int, day: int, until: int) -> None:
    """The owner's calls and messages in the days after a visit, never later than `until`."""
    if rng.random() >= FOLLOW_UP_CHANCE:
        return
    offset = rng.randint(1, 4)
    while True:
        at = plan.open_at[day] + offset * DAY + rng.randrange(plan.minutes_open) * 60
        if at >= until:
            return
        plan.follow_ups.append((at, customer))
        _touch(plan, customer, at)
        if rng.random() >= FOLLOW_UP_AGAIN:
            return
        offset += rng.randint(3, 7)


# -- writing --------------------------------------------------------------------------------------------------

def _utc(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


def _insert(conn: Connection, table: Table, rows: Iterable[dict[str, object]]) -> None:
    statement = insert(table)
    iterator: Iterator[dict[str, object]] = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        conn.execute(statement, batch)


def _customers(rng: random.Random, plan: _Plan, phone_salt: int,
               office: OfficeSettings) -> Iterator[dict[str, object]]:
    for i in range(len(plan.owner)):
        phone = vocab.mobile(i, phone_salt)
        visited = plan.visits_made[i] > 0
        last_contact = _utc(plan.last_contact[i])
        plan.names.append(vocab.person_name(rng))
        yield {"id": i + 1, "name": plan.names[i], "phone": phone, "phone_tail": phone[-4:],
               "contact_declined": False, "owner_id": plan.owner[i], "owned_since": _utc(plan.first[i]),
               "last_contact_at": last_contact,
               "next_follow_up_at": ownership.next_follow_up(last_contact, visited=visited,
                                                             visitor_days=office.visitor_follow_up_days,
                                                             caller_days=office.caller_follow_up_days),
               "has_visited": visited, "visit_count": plan.visits_made[i],
               "last_visit_at": _utc(plan.last_visit[i]) if visited else None, "family_of_id": None,
               "relation": "", "created_at": _utc(plan.first[i])}


def _decisions(plan: _Plan, cast: Cast) -> Iterator[dict[str, object]]:
    """Each customer's first registration (判客, REC-7), decided at the desk."""
    for i in range(len(plan.owner)):
        yield {"id": i + 1, "customer_id": i + 1, "owner_id": plan.owner[i], "previous_owner_id": None,
               "reason": "first_registration", "note": "", "decided_at": _utc(plan.first[i]),
               "decided_by_id": cast.receptionists[i % len(cast.receptionists)]}


def _visits(rng: random.Random, plan: _Plan, cast: Cast) -> Iterator[dict[str, object]]:
    codes = CHANNEL_CODES
    for i, at in enumerate(plan.visit_at):
        day = plan.visit_day[i]
        customer = plan.visit_customer[i]
        closing = plan.open_at[day] + plan.minutes_open * 60
        yield {"id": i + 1, "customer_id": customer + 1, "name": plan.names[customer],
               "consultant_id": plan.owner[customer], "on_behalf_of_id": None,
               "party_size": rng.choices(vocab.PARTY_SIZES, weights=vocab.PARTY_WEIGHTS)[0],
               "channel": codes[plan.channel[customer]], "intent": vocab.intent(rng),
               "is_return": bool(plan.visit_is_return[i]), "arrived_at": _utc(at),
               "left_at": _utc(min(at + rng.randint(20, 90) * 60, closing)), "note": "",
               "registered_by_id": cast.receptionists[day % len(cast.receptionists)], "revision": 1}


def _calls(rng: random.Random, plan: _Plan, cast: Cast) -> Iterator[dict[str, object]]:
    for i, at in enumerate(plan.call_at):
        customer = plan.call_customer[i]
        appointment = None
        if rng.random() < APPOINTMENT_CHANCE:
            appointment = _utc((at + rng.randint(1, 5) * DAY) // 3600 * 3600)  # on the hour, days later
        yield {"id": i + 1, "customer_id": customer + 1, "consultant_id": plan.owner[customer],
               "channel": CHANNEL_CODES[plan.channel[customer]], "questions": rng.choice(vocab.CALL_QUESTIONS),
               "intent": vocab.intent(rng), "appointment_at": appointment, "received_at": _utc(at),
               "taken_by_id": cast.receptionists[i % len(cast.receptionists)]}


def _follow_ups(rng: random.Random, plan: _Plan) -> Iterator[dict[str, object]]:
    weights = list(vocab.FOLLOW_UP_METHOD_WEIGHTS.values())
    for i, (at, customer) in enumerate(plan.follow_ups):
        yield {"id": i + 1, "customer_id": customer + 1, "consultant_id": plan.owner[customer], "at": _utc(at),
               "method": rng.choices(METHOD_CODES, weights=weights)[0], "content": rng.choice(vocab.FOLLOW_UPS)}


def _deals(rng: random.Random, plan: _Plan, cast: Cast, until: int) -> Iterator[dict[str, object]]:
    """Deposits and contracts of returning customers, each on a unit of its own, never after `until`."""
    number = 0
    for customer in range(len(plan.owner)):
        if plan.visits_made[customer] < 2 or rng.random() >= DEPOSIT_CHANCE:
            continue
        deposit_at = plan.last_visit[customer] + rng.randint(0, 3) * DAY + rng.randint(0, 3600)
        if deposit_at > until:
            continue
        if number == UNITS:
            return  # the estate is sold out: a unit is never sold twice (VIS-8)
        building, rest = divmod(number, 2 * 31 * 4)
        entrance, rest = divmod(rest, 31 * 4)
        floor, room = divmod(rest, 4)
        unit = f"{building + 1}-{entrance + 1}-{floor + 2}{room + 1:02d}"
        number += 1
        steps = [("deposit", deposit_at, rng.choice((20_000, 50_000, 100_000)))]
        contract_at = deposit_at + rng.randint(7, 20) * DAY
        if contract_at <= until and rng.random() < CONTRACT_CHANCE:
            steps.append(("contract", contract_at, rng.randint(150, 600) * 10_000))
        for kind, at, amount in steps:
            yield {"customer_id": customer + 1, "kind": kind, "unit": unit, "amount_yuan": amount,
                   "consultant_id": plan.owner[customer], "channel": CHANNEL_CODES[plan.channel[customer]],
                   "at": _utc(at), "note": "", "recorded_by_id": plan.owner[customer], "recorded_at": _utc(at)}
