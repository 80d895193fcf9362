"""Walk-in registration at the desk (REC-1..7), refusal (REC-6) and corrections as revisions (REC-2)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app import clock, phone as phones, validation
from app.domain.channels import CHANNELS, RELATIONS
from app.domain.rotation import Event, Kind
from app.errors import Conflict, NotFound, ValidationError
from app.i18n import _
from app.models.staff import Staff
from app.models.visitors import Customer, Visit, VisitRevision
from app.permissions import Actor, Perm, require
from app.services import accounts, customers, settings
from app.services.reception import rotation
from app.database.uow import UnitOfWork

MAX_PARTY = 50
MAX_NOTE = 1000
MAX_INTENT = 200


@dataclass(frozen=True)
class Registration:
    """What the desk fills in for a walk-in party."""

    name: str
    phone: str = ""
    contact_declined: bool = False
    party_size: int = 1
    channel: str = "walk_by"
    intent: str = ""
    note: str = ""
    is_return: bool | None = None  # None: decided from the customer's history
    family_phone: str = ""  # an existing customer this visitor is immediate family of (REC-7)
    relation: str = ""


@dataclass(frozen=True)
class VisitResult:
    visit_id: int
    customer_id: int
    consultant_id: int
    consultant_name: str
    route: Kind  # ASSIGN (rotation), OWNER, ON_BEHALF
    owner_name: str
    is_return: bool


@dataclass(frozen=True)
class VisitRow:
    id: int
    arrived_at: datetime
    left_at: datetime | None
    name: str
    phone: str
    party_size: int
    channel: str
    intent: str
    note: str
    is_return: bool
    consultant: str
    on_behalf_of: str
    revision: int
    customer_id: int


@dataclass(frozen=True)
class RevisionRow:
    revision: int
    values: dict[str, object]
    changed_at: datetime | None
    changed_by: str
    reason: str


CORRECTABLE = ("name", "party_size", "channel", "intent", "note", "is_return")


def check_party_size(value: object) -> int:
    try:
        size = int(str(value).strip())
    except ValueError:
        raise ValidationError(_("Party size is a number of people."), field="party_size") from None
    if not 1 <= size <= MAX_PARTY:
        raise ValidationError(_("Party size must be between 1 and %d.") % MAX_PARTY, field="party_size")
    return size


def check_channel(channel: str) -> str:
    if channel not in CHANNELS:
        raise ValidationError(_("Choose how the visitor heard of the project."), field="channel")
    return channel


def _validated(reg: Registration) -> tuple[Registration, str | None, str | None]:
    name = validation.visitor_name(reg.name)
    normalized = None
    if reg.phone.strip():
        normalized = phones.normalize(reg.phone)
    elif not reg.contact_declined:
        raise ValidationError(_("Enter a phone number, or tick “declined to give a phone”."), field="phone")
    family = None
    if reg.family_phone.strip():
        family = phones.normalize(reg.family_phone)
        if reg.relation not in RELATIONS:
            raise ValidationError(_("Choose how the visitor is related to that customer."), field="relation")
        if family == normalized:
            raise ValidationError(_("A visitor cannot be their own family member."), field="family_phone")
    clean = Registration(name=name, phone=normalized or "", contact_declined=normalized is None,
                         party_size=check_party_size(reg.party_size), channel=check_channel(reg.channel),
                         intent=validation.text(reg.intent, MAX_INTENT, "intent", _("Intent")),
                         note=validation.text(reg.note, MAX_NOTE, "note", _("Note")), is_return=reg.is_return,
                         family_phone=family or "", relation=reg.relation if family else "")
    return clean, normalized, family


def register(actor: Actor, uow: UnitOfWork, reg: Registration, *, token: str | None = None) -> VisitResult:
    """Register a walk-in party and call the consultant who receives them, in one transaction.

    The form's `token` makes a retried save (the network came back) answer with the first one's result
    instead of registering the party twice (SEC-6).
    """
    require(actor, Perm.REGISTER_VISIT)
    reg, normalized, family_phone = _validated(reg)
    return uow.once(token, "visits.register", VisitResult,
                    lambda: _register(actor, uow, reg, normalized, family_phone), request=reg)


def _register(actor: Actor, uow: UnitOfWork, reg: Registration, normalized: str | None,
              family_phone: str | None) -> VisitResult:
    with uow:
        s = uow.session
        now = clock.now()
        office = settings.load(s)
        day = rotation.lock_day(s, clock.today())  # first: registrations and "next" are served one at a time
        customer = customers.find_by_phone(s, normalized) if normalized else None
        family = None
        if family_phone:
            family = customers.find_by_phone(s, family_phone)
            if family is None:
                raise NotFound(_("No customer has the family member's phone number."), field="family_phone")
        is_new = customer is None
        if customer is None:
            customer = Customer(name=reg.name, phone=normalized, phone_tail=normalized[-4:] if normalized else None,
                                contact_declined=normalized is None, created_at=now)
            if family is not None:
                customer.family_of_id, customer.relation = family.id, reg.relation
            s.add(customer)
            s.flush()
        elif customer.name != reg.name:
            uow.audit(actor.id, "customers.rename", f"customer:{customer.id}", before={"name": customer.name},
                      after={"name": reg.name})
            customer.name = reg.name  # the latest name given; earlier visits keep theirs (REC-2)

        previous_owner = customer.owner_id
        owner_id = customers.valid_owner(customer, office, now)
        if previous_owner is not None and owner_id is None:
            customers.decide(uow, actor, customer, None, "lapsed")
        if is_new and family is not None:
            owner_id = customers.valid_owner(family, office, now)
            if owner_id is not None:
                customers.decide(uow, actor, customer, owner_id, "family", _("family of customer #%d") % family.id)

        is_return = reg.is_return if reg.is_return is not None else customer.visit_count > 0
        visit = Visit(customer_id=customer.id, name=reg.name, party_size=reg.party_size, channel=reg.channel,
                      intent=reg.intent, is_return=is_return, arrived_at=now, note=reg.note,
                      registered_by_id=actor.id)
        s.add(visit)
        s.flush()

        queue = rotation.current_queue(s, day.day)
        if owner_id is not None and owner_id in queue.order:
            route, consultant_id = Kind.OWNER, owner_id
            rotation.append(s, day, actor, Event(Kind.OWNER, owner_id), visit_id=visit.id)
        elif owner_id is not None:
            if not queue.order:
                raise Conflict(_("The customer's consultant is away and nobody else is signed in."),
                               field="consultant")
            route, consultant_id = Kind.ON_BEHALF, queue.order[0]
            visit.on_behalf_of_id = owner_id
            rotation.append(s, day, actor, Event(Kind.ON_BEHALF, consultant_id), visit_id=visit.id,
                            reason=_("owner %s is away") % s.get(Staff, owner_id).name)
        else:
            route, consultant_id = Kind.ASSIGN, rotation.take_next(s, day, actor, visit_id=visit.id)
            customers.decide(uow, actor, customer, consultant_id,
                             "lapsed_claim" if previous_owner is not None else "first_registration")
        visit.consultant_id = consultant_id

        customer.visit_count += 1
        customer.last_visit_at = now
        customers.touch_contact(customer, office, visited=True)
        s.flush()
        uow.audit(actor.id, "visits.register", f"visit:{visit.id}", after=_visit_values(visit))
        uow.touch("rotation")
        uow.touch("customers")
        names = accounts.staff_names(s)
        result = VisitResult(visit.id, customer.id, consultant_id, names[consultant_id], route,
                             names.get(customer.owner_id, ""), is_return)
        uow.commit(result)
        return result


def refuse(actor: Actor, uow: UnitOfWork, *, visit_id: int, reason: str) -> VisitResult:
    """The consultant called refused or avoided the visitor: two turns lost, the next one receives (REC-6)."""
    require(actor, Perm.ROTATION)
    reason = validation.reason(reason)
    with uow:
        s = uow.session
        visit = s.get(Visit, visit_id)
        if visit is None:
            raise NotFound(_("No such visit."))
        day = rotation.lock_day(s, clock.today())
        if clock.local(visit.arrived_at).date() != day.day:
            raise Conflict(_("Only today's visitors can be passed to another consultant."))
        refuser = visit.consultant_id
        rotation.append(s, day, actor, Event(Kind.REFUSE, refuser), visit_id=visit.id, reason=reason)
        consultant_id = rotation.take_next(s, day, actor, visit_id=visit.id)
        if consultant_id == refuser:
            raise Conflict(_("No other consultant is signed in to receive this visitor."), field="consultant")
        visit.consultant_id = consultant_id
        visit.on_behalf_of_id = None
        customer = s.get(Customer, visit.customer_id)
        if customer.owner_id == refuser and customer.owned_since and customer.owned_since >= visit.arrived_at:
            customers.decide(uow, actor, customer, consultant_id, "refused", reason)
        uow.audit(actor.id, "visits.refuse", f"visit:{visit.id}", before={"consultant_id": refuser},
                  after={"consultant_id": consultant_id, "reason": reason})
        uow.touch("rotation")
        uow.commit()
        names = accounts.staff_names(s)
        return VisitResult(visit.id, customer.id, consultant_id, names[consultant_id], Kind.ASSIGN,
                           names.get(customer.owner_id, ""), visit.is_return)


def _visit_values(visit: Visit) -> dict[str, object]:
    return {"name": visit.name, "party_size": visit.party_size, "channel": visit.channel, "intent": visit.intent,
            "note": visit.note, "is_return": visit.is_return}


def correct(actor: Actor, uow: UnitOfWork, *, visit_id: int, reason: str, expected_revision: int | None = None,
            **changes: object) -> VisitRow:
    """A correction is a new revision; the old values stay with who, when and why (REC-2).

    `expected_revision` is the revision the person was looking at: if another station corrected the
    registration meanwhile, this one is refused rather than silently overwriting theirs.
    """
    require(actor, Perm.CORRECT_VISIT)
    reason = validation.reason(reason)
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise ValidationError(_("These fields cannot be corrected: %s") % ", ".join(sorted(unknown)))
    clean: dict[str, object] = {}
    for key, value in changes.items():
        if key == "name":
            clean[key] = validation.visitor_name(str(value))
        elif key == "party_size":
            clean[key] = check_party_size(value)
        elif key == "channel":
            clean[key] = check_channel(str(value))
        elif key == "intent":
            clean[key] = validation.text(str(value), MAX_INTENT, "intent", _("Intent"))
        elif key == "note":
            clean[key] = validation.text(str(value), MAX_NOTE, "note", _("Note"))
        else:
            if not isinstance(value, bool):
                raise ValidationError(_("Say yes or no: is it a return visit?"), field="is_return")
            clean[key] = value
    with uow:
        s = uow.session
        visit = s.get(Visit, visit_id)
        if visit is None:
            raise NotFound(_("No such visit."))
        if expected_revision is not None and visit.revision != expected_revision:
            raise Conflict(_("Someone else corrected this registration meanwhile. Close this window and open the "
                             "registration again; what you typed is still here to copy."))
        customer = s.get(Customer, visit.customer_id)
        before = _visit_values(visit)
        clean = {k: v for k, v in clean.items() if before[k] != v}
        if not clean:
            raise ValidationError(_("Nothing was changed."))
        s.add(VisitRevision(visit_id=visit.id, revision=visit.revision, values=json.dumps(before, ensure_ascii=False),
                            changed_at=clock.now(), changed_by_id=actor.id, reason=reason))
        for key, value in clean.items():
            setattr(visit, key, value)
        if "name" in clean and customer.name == before["name"]:
            customer.name = clean["name"]  # the customer is known by the corrected name from now on
        visit.revision += 1
        s.flush()
        uow.audit(actor.id, "visits.correct", f"visit:{visit.id}", before=before,
                  after={**_visit_values(visit), "reason": reason})
        uow.commit()
        return _row(s, actor, visit, customer)


def history(actor: Actor, uow: UnitOfWork, *, visit_id: int) -> list[RevisionRow]:
    """Every revision of a registration, oldest first, the current one last."""
    require(actor, Perm.REGISTER_VISIT)
    with uow:
        s = uow.session
        visit = s.get(Visit, visit_id)
        if visit is None:
            raise NotFound(_("No such visit."))
        names = accounts.staff_names(s)
        revisions = list(s.scalars(select(VisitRevision).where(VisitRevision.visit_id == visit_id)
                                   .order_by(VisitRevision.revision)))
        # Revision n's values were replaced by the change recorded with it; the first came from the desk.
        rows, author, when, why = [], names.get(visit.registered_by_id, ""), visit.arrived_at, _("registered")
        for rev in revisions:
            rows.append(RevisionRow(rev.revision, json.loads(rev.values), when, author, why))
            author, when, why = names.get(rev.changed_by_id, ""), rev.changed_at, rev.reason
        rows.append(RevisionRow(visit.revision, _visit_values(visit),
                                when, author, why))
        return rows


def _row(s, actor: Actor, visit: Visit, customer: Customer) -> VisitRow:  # type: ignore[no-untyped-def]
    names = accounts.staff_names(s)
    return VisitRow(visit.id, visit.arrived_at, visit.left_at, visit.name,
                    customers.shown_phone(actor, customer.phone), visit.party_size, visit.channel, visit.intent,
                    visit.note, visit.is_return, names.get(visit.consultant_id, ""),
                    names.get(visit.on_behalf_of_id, ""), visit.revision, visit.customer_id)


def todays_visits(actor: Actor, uow: UnitOfWork) -> list[VisitRow]:
    require(actor, Perm.REGISTER_VISIT)
    start, end = clock.day_bounds(clock.today())
    with uow:
        s = uow.session
        rows = s.execute(select(Visit, Customer).join(Customer, Customer.id == Visit.customer_id)
                         .where(Visit.arrived_at >= start, Visit.arrived_at < end)
                         .order_by(Visit.arrived_at.desc(), Visit.id.desc()))  # newest first, whatever the clock
        return [_row(s, actor, v, c) for v, c in rows]


def mark_left(actor: Actor, uow: UnitOfWork, *, visit_id: int) -> None:
    require(actor, Perm.REGISTER_VISIT)
    with uow:
        visit = uow.session.get(Visit, visit_id)
        if visit is None:
            raise NotFound(_("No such visit."))
        if visit.left_at is not None:
            raise Conflict(_("This visitor has already left."))
        visit.left_at = clock.now()
        uow.audit(actor.id, "visits.left", f"visit:{visit.id}", after={"left_at": visit.left_at.isoformat()})
        uow.commit()
