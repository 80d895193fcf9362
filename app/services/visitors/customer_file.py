"""One customer's file: every contact on one timeline (VIS-1, REC-2), and registrations about to lapse (VIS-4)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.domain.channels import CHANNELS, FOLLOW_UP_METHODS
from app.domain import ownership
from app.errors import NotFound
from app.i18n import _
from app.models.deals import Deal
from app.models.visitors import Call, Customer, FollowUp, OwnershipDecision, Visit, VisitRevision
from app.permissions import Actor, Perm, Role, require, require_any
from app.services import accounts, customers, settings
from app.services.visitors import unit_control
from app.database.uow import UnitOfWork

LAPSING_DAYS = 7


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str  # visit, call, follow_up, ownership, revision, deposit, contract, unit_hold
    who: str
    text: str


@dataclass(frozen=True)
class CustomerTimeline:
    customer_id: int
    name: str
    phone: str  # masked unless the actor may see customers' details (VIS-7)
    owner: str
    owner_valid_until: datetime | None
    visit_count: int
    events: list[TimelineEvent]  # newest first


@dataclass(frozen=True)
class LapsingRow:
    customer_id: int
    name: str
    phone: str
    owner: str
    valid_until: datetime
    days_left: int


def timeline(actor: Actor, uow: UnitOfWork, *, customer_id: int) -> CustomerTimeline:
    """Every visit, call, follow-up, ownership decision, correction and deal of one customer, newest first."""
    require(actor, Perm.SEARCH_VISITOR_LOGS)
    with uow.reading() as conn, Session(bind=conn) as s:  # reads only: no write lock
        customer = s.get(Customer, customer_id)
        if customer is None:
            raise NotFound(_("No such customer."))
        card = customers.card(s, actor, customer, settings.load(s))
        names = accounts.staff_names(s)
        events = sorted(_events(s, customer_id, names), key=lambda e: (e.at, e.kind), reverse=True)
        return CustomerTimeline(card.id, card.name, card.phone, card.owner_name, card.owner_valid_until,
                                card.visit_count, events)


def _events(s, customer_id: int, names: dict[int, str]) -> list[TimelineEvent]:  # type: ignore[no-untyped-def]
    out: list[TimelineEvent] = []
    for v in s.scalars(select(Visit).where(Visit.customer_id == customer_id)):
        text = _("%(name)s, %(n)d people, %(channel)s") % {"name": v.name, "n": v.party_size,
                                                           "channel": _(CHANNELS.get(v.channel, v.channel))}
        text += " · " + (_("Return visit") if v.is_return else _("First visit"))
        if v.intent:
            text += " · " + v.intent
        text += _kept(v.extra)
        out.append(TimelineEvent(v.arrived_at, "visit", names.get(v.consultant_id, ""), text))
    for c in s.scalars(select(Call).where(Call.customer_id == customer_id)):
        text = " · ".join(x for x in (_(CHANNELS.get(c.channel, c.channel)), c.questions, c.intent) if x)
        if c.appointment_at:
            text += " · " + _("appointment %s") % clock.local(c.appointment_at).strftime("%Y-%m-%d %H:%M")
        text += _kept(c.extra)
        out.append(TimelineEvent(c.received_at, "call", names.get(c.consultant_id, ""), text))
    for f in s.scalars(select(FollowUp).where(FollowUp.customer_id == customer_id)):
        out.append(TimelineEvent(f.at, "follow_up", names.get(f.consultant_id, ""),
                                 f"{_(FOLLOW_UP_METHODS.get(f.method, f.method))}: {f.content}"))
    for d in s.scalars(select(OwnershipDecision).where(OwnershipDecision.customer_id == customer_id)):
        reason = _(customers.DECISION_LABEL.get(d.reason, d.reason))
        owner = names.get(d.owner_id, "") if d.owner_id else _("nobody")
        out.append(TimelineEvent(d.decided_at, "ownership", names.get(d.decided_by_id, ""),
                                 _("Owner: %(owner)s (%(reason)s)") % {"owner": owner, "reason": reason}))
    revisions = s.execute(select(VisitRevision, Visit.arrived_at).join(Visit, Visit.id == VisitRevision.visit_id)
                          .where(Visit.customer_id == customer_id))
    for rev, arrived in revisions:
        old = json.loads(rev.values)
        out.append(TimelineEvent(rev.changed_at, "revision", names.get(rev.changed_by_id, ""),
                                 _("Registration of %(day)s corrected: %(reason)s (was: %(old)s)")
                                 % {"day": clock.local(arrived).strftime("%Y-%m-%d"), "reason": rev.reason,
                                    "old": ", ".join(f"{k}={v}" for k, v in old.items())}))
    for deal in s.scalars(select(Deal).where(Deal.customer_id == customer_id)):
        out.append(TimelineEvent(deal.at, deal.kind, names.get(deal.consultant_id, ""),
                                 _("Unit %(unit)s, %(amount)s yuan") % {"unit": deal.unit,
                                                                        "amount": f"{deal.amount_yuan:,}"}
                                 + (f" · {deal.note}" if deal.note else "")))
    for hold in unit_control.customer_holds(s, customer_id):  # 销控 (VIS-8): the request, then the decision
        out.append(TimelineEvent(hold.requested_at, "unit_hold", names.get(hold.requested_by_id, ""),
                                 _("Asked the manager to hold unit %s") % hold.unit))
        if hold.decided_at is not None:
            out.append(TimelineEvent(hold.decided_at, "unit_hold", names.get(hold.decided_by_id or 0, ""),
                                     _("Unit %(unit)s: %(status)s") % {
                                         "unit": hold.unit, "status": _(unit_control.STATUS_LABEL[hold.status])}
                                     + (f" · {hold.note}" if hold.note else "")))
    return out


def _kept(extra: str) -> str:
    """An imported register's columns that no field took (VIS-6), as written: " · 交通工具: 自驾; 置业次数: 首置"."""
    if not extra:
        return ""
    return " · " + "; ".join(f"{header}: {value}" for header, value in json.loads(extra).items())


def lapsing_soon(actor: Actor, uow: UnitOfWork, *, consultant_id: int | None = None, days: int = LAPSING_DAYS,
                 limit: int = 500) -> list[LapsingRow]:
    """Customers whose registration lapses within `days` days, soonest first (VIS-4).

    A consultant sees their own; the supervisor and the manager see everyone's or one consultant's. The
    validity runs from the last contact, which every ownership decision sets, so an indexed range on
    `customers.last_contact_at` finds the candidates; the exact date is then checked with the same
    calendar arithmetic the ownership rule uses.
    """
    require_any(actor, Perm.FOLLOW_UP, Perm.VIEW_FIGURES)
    if actor.role == Role.CONSULTANT:
        consultant_id = actor.id
    now = clock.now()
    with uow.reading() as conn, Session(bind=conn) as s:
        office = settings.load(s)
        low, high = ownership.last_contacts_lapsing_within(now, days, office.ownership_months)
        q = (select(Customer).where(Customer.owner_id.is_not(None), Customer.last_contact_at >= low,
                                    Customer.last_contact_at <= high)
             .order_by(Customer.last_contact_at).limit(limit))
        if consultant_id is not None:
            q = q.where(Customer.owner_id == consultant_id)
        names = accounts.staff_names(s)
        rows = []
        for c in s.scalars(q):
            until = customers.owner_valid_until(c, office)
            if ownership.lapses_within(until, now, days):
                rows.append(LapsingRow(c.id, c.name, customers.shown_phone(actor, c.phone), names.get(c.owner_id, ""),
                                       until, (clock.local(until).date() - clock.today()).days))
        return rows
