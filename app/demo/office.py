"""A demo office in an empty database: staff of every role, the water bar, months of history, and a morning.

The set-up and today's morning go through the services, as a real office's would (audited, rotation
logged); only the bulk history is written directly (see history.py). The same seed gives the same office.
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import Engine, func, select

from app import clock, phone as phones
from app.database import schema
from app.config import OfficeSettings, parse_clock_time
from app.database.engine import session_factory
from app.demo import history, showroom, vocab
from app.errors import Conflict, ValidationError
from app.i18n import _
from app.models.office import SettingValue
from app.models.staff import Staff
from app.models.visitors import Customer, Visit
from app.permissions import Actor, Role
from app.services import accounts
from app.services.reception import bar, rotation, visits as desk
from app.services.visitors import unit_control
from app.database.uow import UnitOfWork

MAX_VISITORS = 5_000_000
MAX_DAYS = 3650
WALK_INS_TODAY = 6
SIGNED_IN_TODAY = 5
SEATED_AT = ("A1", "VIP1")  # the last walk-ins of the morning are still at the water bar
MakeUow = Callable[[], UnitOfWork]


@dataclass(frozen=True)
class DemoSummary:
    staff: int
    customers: int
    visits: int
    calls: int
    follow_ups: int
    signed_in_as: str  # the receptionist the window opens as
    seconds: float


def create(engine: Engine, *, visitors: int = 5000, days: int = 180, seed: int = 1,
           progress: Callable[[str], object] = lambda _step: None, showroom_days: int = showroom.DAYS) -> DemoSummary:
    """Fill an empty database with a demo office whose history ends today; refuses a database in use.

    `progress` hears a line at each step, for a person waiting on a large office. The model apartments' checks go
    back `showroom_days` (a benchmark's year of them; at most `days`: the apartments are furnished before).
    """
    started = time.perf_counter()
    if not 0 <= visitors <= MAX_VISITORS:
        raise ValidationError(_("A demo office has 0 to %d visits.") % MAX_VISITORS, field="visitors")
    if not 2 <= days <= MAX_DAYS:
        raise ValidationError(_("A demo office's history spans 2 to %d days.") % MAX_DAYS, field="days")
    _refuse_if_used(engine)
    schema.upgrade(engine)
    rng = random.Random(seed)
    phone_salt = rng.randrange(100_000_000)
    today, now = clock.today(), clock.now()
    first_day = today - timedelta(days=days - 1)
    factory = session_factory(engine)
    uow: MakeUow = lambda: UnitOfWork(factory)  # noqa: E731  (one unit of work per operation)

    progress(_("Staff accounts and the water bar…"))
    with clock.frozen(clock.at_office(first_day - timedelta(days=1), 10)):  # the office opened before its history
        staff = _hire(uow)
        for name, vip in vocab.TABLES:
            bar.add_table(staff[Role.MANAGER][0], uow(), name=name, is_vip_room=vip)
    walk_ins = min(visitors, WALK_INS_TODAY)
    cast = history.Cast(tuple(a.id for a in staff[Role.CONSULTANT]), tuple(a.id for a in staff[Role.RECEPTIONIST]),
                        staff[Role.MANAGER][0].id)
    progress(_("%(visits)d visits over %(days)d days…") % {"visits": visitors - walk_ins, "days": days - 1})
    with engine.begin() as conn:
        past = history.write_history(conn, rng, cast, visits=visitors - walk_ins, first_day=first_day,
                                     last_day=today - timedelta(days=1), until=now, phone_salt=phone_salt)
    progress(_("Model apartments and their checks…"))
    # A generator of their own: the visitors and the desk's morning stay what the seed made them before.
    showroom.create(uow, engine.begin, random.Random(seed + 1), docents=[a.id for a in staff[Role.DOCENT]],
                    night_watch=staff[Role.SECURITY][0].id, made_at=clock.at_office(first_day - timedelta(days=1), 10),
                    today=today, now=now, days=showroom_days)
    showroom.records(uow, random.Random(seed + 2), showroom.Crew(
        staff[Role.DOCENT], staff[Role.SECURITY][0], staff[Role.SUPERVISOR][0], staff[Role.MANAGER][0],
        staff[Role.ENGINEERING_LEAD][0]), today=today, now=now, days=showroom_days)
    receptionist = staff[Role.RECEPTIONIST][0]
    progress(_("This morning at the desk…"))
    _morning(uow, rng, receptionist, staff[Role.CONSULTANT], walk_ins, past.customers, phone_salt, now)
    _ask_for_a_unit(uow, staff[Role.CONSULTANT][0])

    with uow() as work:
        work.session.merge(SettingValue(key=accounts.DEMO_SIGN_IN_KEY, value=str(receptionist.id)))
        customers = work.session.scalar(select(func.count()).select_from(Customer))
        total_visits = work.session.scalar(select(func.count()).select_from(Visit))
        work.audit(None, "demo.create", "database",
                   after={"visits": total_visits, "days": days, "seed": seed, "sign_in": receptionist.id})
        work.commit()
    return DemoSummary(sum(len(v) for v in staff.values()), customers, total_visits, past.calls, past.follow_ups,
                       receptionist.name, time.perf_counter() - started)


def _ask_for_a_unit(uow: MakeUow, consultant: Actor) -> None:
    """A request waiting on the manager's unit control page (VIS-8): a consultant's latest customer, a free unit."""
    with uow() as work:
        customer_id = work.session.scalar(select(Customer.id).where(Customer.owner_id == consultant.id)
                                          .order_by(Customer.id.desc()).limit(1))
    if customer_id is not None:
        unit_control.request_hold(consultant, uow(), customer_id=customer_id, unit=vocab.REQUESTED_UNIT,
                                  note=vocab.REQUESTED_UNIT_NOTE)


def _refuse_if_used(engine: Engine) -> None:
    if schema.ensure_supported(engine) is None:
        return  # no tables yet
    with engine.connect() as conn:
        used = any(conn.execute(select(column).limit(1)).first() is not None
                   for column in (Staff.id, Customer.id, Visit.id))
    if used:
        raise Conflict(_("This database already holds an office's data: a demo office is only made in a new, "
                         "empty database."))


def _hire(uow: MakeUow) -> dict[Role, list[Actor]]:
    """Every role of vocab.STAFF, each with their own salted PIN hash; the manager comes first."""
    staff: dict[Role, list[Actor]] = {role: [] for role in Role}
    manager: Actor | None = None
    for name, role in vocab.STAFF:
        row = accounts.create_staff(manager, uow(), name=name, role=role, pin=vocab.PIN)
        actor = Actor(row.id, row.name, row.role)
        manager = manager or actor
        staff[role].append(actor)
    return staff


def _morning(uow: MakeUow, rng: random.Random, receptionist: Actor, consultants: list[Actor], walk_ins: int,
             known: int, phone_salt: int, now: datetime) -> None:
    """Today so far: consultants sign in to the rotation, walk-ins are registered and leave; while the office
    is open, the latest two parties still sit at the water bar. Every step runs at its own moment, in order.
    """
    start, end, open_now = _morning_hours(now)
    minute = timedelta(minutes=1)
    schedule: list[tuple[datetime, int, Callable[[], object]]] = []
    visit_of: dict[int, int] = {}  # walk-in number -> visit id, once registered

    def at(moment: datetime, action: Callable[[], object]) -> None:
        schedule.append((moment.replace(microsecond=0), len(schedule), action))

    def register(i: int, registration: desk.Registration) -> None:
        visit_of[i] = desk.register(receptionist, uow(), registration).visit_id

    def seat(i: int, registration: desk.Registration, table_id: int) -> None:
        bar.seat(receptionist, uow(), table_id=table_id, party=registration.name,
                 party_size=registration.party_size, visit_id=visit_of[i])
        bar.serve(receptionist, uow(), table_id=table_id, item="tea", quantity=registration.party_size)

    def leave(i: int) -> None:
        desk.mark_left(receptionist, uow(), visit_id=visit_of[i])

    present = rng.sample(consultants, min(SIGNED_IN_TODAY, len(consultants)))
    for i, consultant in enumerate(present):
        at(start + 2 * i * minute, partial(rotation.sign_in, receptionist, uow(), consultant_id=consultant.id))
    registrations = _walk_ins(uow, rng, present, consultants, walk_ins, known, phone_salt)
    tables = [t.table_id for t in bar.tables(receptionist, uow()) if t.name in SEATED_AT] if open_now else []
    seats = dict(zip(range(len(registrations) - len(tables), len(registrations)), tables))  # the latest parties
    first = start + 12 * minute  # after the sign-ins
    for i, registration in enumerate(registrations):
        arrived = first + (end - first) * (i + 1) / (len(registrations) + 1)
        at(arrived, partial(register, i, registration))
        if i in seats:
            at(arrived + minute, partial(seat, i, registration, seats[i]))
        elif arrived + 45 * minute < end:
            at(arrived + 45 * minute, partial(leave, i))

    for moment, _seq, action in sorted(schedule, key=lambda item: item[:2]):
        with clock.frozen(moment):
            action()


def _morning_hours(now: datetime) -> tuple[datetime, datetime, bool]:
    """From opening to now (or closing); the last 40 minutes when the demo is made before the office opens.

    Also says whether the office is open now, when parties can still be sitting at the bar.
    """
    today, office = clock.today(), OfficeSettings()
    opening, closing = parse_clock_time(office.open_time), parse_clock_time(office.close_time)
    close_at = clock.at_office(today, closing.hour, closing.minute)
    start, end = clock.at_office(today, opening.hour, opening.minute), min(now, close_at)
    if end - start < timedelta(minutes=40):
        start = max(clock.day_bounds(today)[0] + timedelta(minutes=1), end - timedelta(minutes=40))
    return start, end, now < close_at


def _walk_ins(uow: MakeUow, rng: random.Random, present: list[Actor], consultants: list[Actor], count: int,
              known: int, phone_salt: int) -> list[desk.Registration]:
    """Today's walk-ins: two regulars when the history has them, then new faces with new phones."""
    registrations = _regulars(uow, present, consultants)[:count]
    while len(registrations) < count:
        registrations.append(desk.Registration(
            name=vocab.person_name(rng), phone=phones.display(vocab.mobile(known + len(registrations), phone_salt)),
            party_size=rng.choices(vocab.PARTY_SIZES, weights=vocab.PARTY_WEIGHTS)[0],
            channel=rng.choices(history.CHANNEL_CODES, weights=list(vocab.CHANNEL_WEIGHTS.values()))[0],
            intent=vocab.intent(rng)))
    return registrations


def _regulars(uow: MakeUow, present: list[Actor], consultants: list[Actor]) -> list[desk.Registration]:
    """One customer whose consultant is in today, one whose consultant is away (a colleague receives them on
    the owner's behalf, REC-5); each as they registered last time."""
    away = [c.id for c in consultants if c not in present]
    recent = clock.now() - timedelta(days=30)  # still registered to their consultant (REC-8)
    found = []
    with uow() as work:
        for owners in ([c.id for c in present], away):
            customer = work.session.scalar(
                select(Customer).where(Customer.owner_id.in_(owners), Customer.has_visited.is_(True),
                                       Customer.last_contact_at >= recent).order_by(Customer.id.desc()).limit(1))
            if customer is None:
                continue
            last = work.session.execute(select(Visit.channel, Visit.intent, Visit.party_size)
                                        .where(Visit.customer_id == customer.id)
                                        .order_by(Visit.id.desc()).limit(1)).one()
            found.append(desk.Registration(name=customer.name, phone=customer.phone or "",
                                           party_size=last.party_size, channel=last.channel, intent=last.intent))
    return found
