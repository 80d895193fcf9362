"""Customers and who owns them (判客, REC-3, REC-7, REC-8)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from app import clock, phone as phones
from app.config import OfficeSettings
from app.domain import ownership
from app.errors import Conflict, NotFound
from app.i18n import N_, _
from app.models.staff import Staff
from app.models.visitors import Customer, OwnershipDecision
from app.permissions import Actor, Perm, require
from app.services import accounts, settings
from app.database.uow import UnitOfWork

DECISION_LABEL = {
    "first_registration": N_("first to register the customer"),
    "family": N_("family member of an owned customer"),
    "lapsed": N_("registration lapsed: no follow-up within the validity period"),
    "lapsed_claim": N_("lapsed customer received in rotation"),
    "claim": N_("claimed an unowned or lapsed customer"),
    "refused": N_("first consultant refused the visitor"),
}


@dataclass(frozen=True)
class CustomerCard:
    """What the desk sees about a phone before assigning anyone (REC-3)."""

    id: int
    name: str
    phone: str  # shown form: masked unless the actor may see customers' details (VIS-7)
    owner_id: int | None
    owner_name: str
    owner_valid_until: datetime | None
    visit_count: int
    last_visit_at: datetime | None
    family_of_id: int | None


@dataclass(frozen=True)
class DecisionRow:
    decided_at: datetime
    owner: str
    previous_owner: str
    reason: str
    note: str


def shown_phone(actor: Actor | None, normalized: str | None) -> str:
    """In full for those with the right to customers' details and on the command line (actor None: its user holds
    the database), masked for everyone else (VIS-7)."""
    return phones.display(normalized) if actor is None or actor.can(Perm.VIEW_CUSTOMERS) else phones.mask(normalized)


def owner_valid_until(customer: Customer, office: OfficeSettings) -> datetime | None:
    return _valid_until(customer, office.ownership_months)


def _valid_until(customer: Customer | Row[Any], months: int) -> datetime | None:
    return ownership.valid_until(owner_id=customer.owner_id, last_contact=customer.last_contact_at,
                                 owned_since=customer.owned_since, created_at=customer.created_at, months=months)


def valid_owner(customer: Customer, office: OfficeSettings, now: datetime) -> int | None:
    """The owner while the registration is valid (REC-8), else None."""
    return ownership.valid_owner(customer.owner_id, owner_valid_until(customer, office), now)


def decide(uow: UnitOfWork, decided_by: Actor | None, customer: Customer, owner_id: int | None, reason: str,
           note: str = "") -> None:
    """Record a 判客 with its reason, apply it, and audit it (REC-8, SEC-3).

    A step inside an operation that has already checked its permission, not an operation itself.
    """
    session, now = uow.session, clock.now()
    actor_id = decided_by.id if decided_by else None
    uow.audit(actor_id, "customers.ownership", f"customer:{customer.id}",
              before={"owner_id": customer.owner_id}, after={"owner_id": owner_id, "reason": reason, "note": note})
    session.add(OwnershipDecision(customer_id=customer.id, owner_id=owner_id, previous_owner_id=customer.owner_id,
                                  reason=reason, note=note, decided_at=now, decided_by_id=actor_id))
    customer.owner_id = owner_id
    customer.owned_since = now if owner_id is not None else None
    if owner_id is not None:
        customer.last_contact_at = now
    session.flush()


def find_by_phone(session: Session, normalized: str) -> Customer | None:
    return session.scalar(select(Customer).where(Customer.phone == normalized))


def card(session: Session, actor: Actor, customer: Customer, office: OfficeSettings) -> CustomerCard:
    owner = session.get(Staff, customer.owner_id) if customer.owner_id else None
    return CustomerCard(customer.id, customer.name, shown_phone(actor, customer.phone), customer.owner_id,
                        owner.name if owner else "", owner_valid_until(customer, office), customer.visit_count,
                        customer.last_visit_at, customer.family_of_id)


# Everything the desk's card shows about a phone, in one statement: the customer, the owner's name and the
# setting the registration's validity depends on. Built once; SQLAlchemy caches its compiled form.
_CARD_BY_PHONE = (
    select(Customer.id, Customer.name, Customer.phone, Customer.owner_id, Staff.name.label("owner_name"),
           Customer.last_contact_at, Customer.owned_since, Customer.created_at, Customer.visit_count,
           Customer.last_visit_at, Customer.family_of_id,
           settings.stored("ownership_months").label("ownership_months"))
    .outerjoin(Staff, Staff.id == Customer.owner_id)
    .where(Customer.phone == bindparam("phone")))


def lookup_phone(actor: Actor, uow: UnitOfWork, raw_phone: str) -> CustomerCard | None:
    """A returning visitor recognized by phone: owner, visits, last visit (REC-3). None for a new phone.

    The desk looks a phone up as soon as it is typed, so this reads in one indexed statement, without a
    Session and without taking the write lock (benchmarks/phone_lookup.py).
    """
    require(actor, Perm.REGISTER_VISIT)
    normalized = phones.normalize(raw_phone)
    row = uow.first_row(_CARD_BY_PHONE, {"phone": normalized})
    if row is None:
        return None
    months = int(settings.value("ownership_months", row.ownership_months))
    return CustomerCard(row.id, row.name, shown_phone(actor, row.phone), row.owner_id, row.owner_name or "",
                        _valid_until(row, months), row.visit_count, row.last_visit_at, row.family_of_id)


def touch_contact(customer: Customer, office: OfficeSettings, *, visited: bool) -> None:
    """A visit or follow-up renews ownership and sets the next follow-up (REC-8, REC-9)."""
    now = clock.now()
    customer.last_contact_at = now
    if visited:
        customer.has_visited = True
    customer.next_follow_up_at = ownership.next_follow_up(now, visited=customer.has_visited,
                                                          visitor_days=office.visitor_follow_up_days,
                                                          caller_days=office.caller_follow_up_days)


def claim(actor: Actor, uow: UnitOfWork, *, customer_id: int) -> CustomerCard:
    """A consultant takes an unowned or lapsed customer (REC-8)."""
    require(actor, Perm.CLAIM_CUSTOMER)
    with uow:
        office = settings.load(uow.session)
        # Locked: two consultants claiming the same customer at once are served in turn (REC-8, SEC-6).
        customer = uow.session.get(Customer, customer_id, with_for_update=True)
        if customer is None:
            raise NotFound(_("No such customer."))
        owner = valid_owner(customer, office, clock.now())
        if owner == actor.id:
            raise Conflict(_("You already own this customer."))
        if owner is not None:
            until = owner_valid_until(customer, office)
            raise Conflict(_("This customer is registered to %(name)s until %(date)s.")
                           % {"name": uow.session.get(Staff, owner).name,
                              "date": clock.local(until).strftime("%Y-%m-%d")})
        previous = customer.owner_id
        if previous is not None:
            decide(uow, actor, customer, None, "lapsed")
        decide(uow, actor, customer, actor.id, "claim")
        uow.commit()
        return card(uow.session, actor, customer, office)


def ownership_history(actor: Actor, uow: UnitOfWork, *, customer_id: int) -> list[DecisionRow]:
    require(actor, Perm.REGISTER_VISIT)
    with uow:
        names = accounts.staff_names(uow.session)
        rows = uow.session.scalars(select(OwnershipDecision).where(OwnershipDecision.customer_id == customer_id)
                                   .order_by(OwnershipDecision.id))
        return [DecisionRow(d.decided_at, names.get(d.owner_id, ""), names.get(d.previous_owner_id, ""),
                            _(DECISION_LABEL.get(d.reason, d.reason)), d.note) for d in rows]

