"""Hotline calls (REC-10) and follow-ups with the due and overdue lists (REC-9)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app import clock, phone as phones, validation
from app.domain.channels import FOLLOW_UP_METHODS
from app.errors import NotFound, ValidationError
from app.i18n import _
from app.models.staff import Staff
from app.models.visitors import Call, Customer, FollowUp
from app.permissions import Actor, Perm, Role, require, require_any
from app.services import customers, settings
from app.services.reception import rotation
from app.services.reception.visits import MAX_INTENT, MAX_NOTE, check_channel
from app.database.uow import UnitOfWork


@dataclass(frozen=True)
class CallResult:
    call_id: int
    customer_id: int
    consultant: str
    appointment_at: datetime | None


@dataclass(frozen=True)
class DueRow:
    customer_id: int
    name: str
    phone: str
    owner: str
    due_at: datetime
    overdue: bool
    has_visited: bool


def _consultant_id(s, consultant_id: int | None) -> int | None:  # type: ignore[no-untyped-def]
    if consultant_id is None:
        return None
    staff = s.get(Staff, consultant_id)
    if staff is None or staff.role != Role.CONSULTANT or not staff.active:
        raise NotFound(_("No such sales consultant."), field="consultant")
    return consultant_id


def record_call(actor: Actor, uow: UnitOfWork, *, phone: str, name: str, channel: str, questions: str = "",
                intent: str = "", consultant_id: int | None = None, appointment_at: datetime | None = None,
                token: str | None = None) -> CallResult:
    """Log a hotline call; a new caller is registered to the consultant who took it (REC-10, REC-7).

    The form's `token` makes a retried save answer with the first one's result instead of logging the call
    twice (SEC-6).
    """
    require(actor, Perm.RECORD_CALL)
    normalized = phones.normalize(phone)
    name = validation.visitor_name(name)
    channel = check_channel(channel)
    questions = validation.text(questions, MAX_NOTE, "questions", _("Questions"))
    intent = validation.text(intent, MAX_INTENT, "intent", _("Intent"))
    now = clock.now()
    if appointment_at is not None and appointment_at.tzinfo is None:
        appointment_at = appointment_at.replace(tzinfo=clock.OFFICE_TZ)  # as the desk reads the clock
    if appointment_at is not None and appointment_at <= now:
        raise ValidationError(_("The appointment must be in the future."), field="appointment_at")
    return uow.once(token, "calls.record", CallResult, lambda: _record_call(
        actor, uow, normalized, name, channel, questions, intent, consultant_id, appointment_at, now),
        request=(normalized, name, channel, questions, intent, consultant_id, appointment_at))


def _record_call(actor: Actor, uow: UnitOfWork, normalized: str, name: str, channel: str, questions: str,
                 intent: str, consultant_id: int | None, appointment_at: datetime | None,
                 now: datetime) -> CallResult:
    with uow:
        s = uow.session
        # Served one at a time with registrations, as the desk's register is: two stations taking the same new
        # caller (or a walk-in and a call) make one customer with one owner, on PostgreSQL too (REC-7, SEC-6).
        rotation.lock_day(s, clock.today())
        office = settings.load(s)
        consultant_id = _consultant_id(s, consultant_id)
        customer = customers.find_by_phone(s, normalized)
        if customer is None:
            customer = Customer(name=name, phone=normalized, phone_tail=normalized[-4:], created_at=now)
            s.add(customer)
            s.flush()
        owner = customers.valid_owner(customer, office, now)
        lapsed = owner is None and customer.owner_id is not None
        if lapsed:
            # Decided now, as at the desk: otherwise this contact would renew the old registration (REC-8).
            customers.decide(uow, actor, customer, None, "lapsed")
        if owner is None and consultant_id is not None:
            customers.decide(uow, actor, customer, consultant_id, "lapsed_claim" if lapsed else "first_registration")
            owner = consultant_id
        taker = consultant_id or owner
        call = Call(customer_id=customer.id, consultant_id=taker, channel=channel, questions=questions,
                    intent=intent, appointment_at=appointment_at, received_at=now, taken_by_id=actor.id)
        s.add(call)
        customers.touch_contact(customer, office, visited=False)
        s.flush()
        uow.audit(actor.id, "calls.record", f"call:{call.id}",
                  after={"customer_id": customer.id, "channel": channel, "consultant_id": taker,
                         "appointment_at": appointment_at})
        uow.touch("customers")
        result = CallResult(call.id, customer.id, s.get(Staff, taker).name if taker else "", appointment_at)
        uow.commit(result)
        return result


def record_follow_up(actor: Actor, uow: UnitOfWork, *, customer_id: int, method: str, content: str) -> DueRow:
    """Record what was said; the next follow-up falls due 3 (visitor) or 4 (caller) days later (REC-9)."""
    require(actor, Perm.FOLLOW_UP)
    if method not in FOLLOW_UP_METHODS:
        raise ValidationError(_("Choose how the customer was contacted."), field="method")
    content = validation.text(content, MAX_NOTE, "content", _("Follow-up"))
    if not content:
        raise ValidationError(_("Write down what was said."), field="content")
    with uow:
        s = uow.session
        office = settings.load(s)
        customer = s.get(Customer, customer_id)
        if customer is None:
            raise NotFound(_("No such customer."))
        s.add(FollowUp(customer_id=customer.id, consultant_id=actor.id, at=clock.now(), method=method,
                       content=content))
        if customer.owner_id in (None, actor.id) or actor.role != Role.CONSULTANT:
            # Only the owner's own contact (or a supervisor's) keeps the registration alive (REC-8).
            customers.touch_contact(customer, office, visited=False)
        s.flush()
        uow.audit(actor.id, "customers.follow_up", f"customer:{customer.id}",
                  after={"method": method, "content": content})
        uow.commit()
        return _due_row(s, actor, customer, {})


def _due_row(s, actor: Actor, c: Customer, names: dict[int, str]) -> DueRow:  # type: ignore[no-untyped-def]
    if c.owner_id is not None and c.owner_id not in names:
        names[c.owner_id] = s.get(Staff, c.owner_id).name
    start, _end = clock.day_bounds(clock.today())
    return DueRow(c.id, c.name, customers.shown_phone(actor, c.phone), names.get(c.owner_id, ""),
                  c.next_follow_up_at, c.next_follow_up_at < start, c.has_visited)


def due(actor: Actor, uow: UnitOfWork, *, consultant_id: int | None = None, limit: int = 500) -> list[DueRow]:
    """Follow-ups due by the end of today, overdue first; a consultant sees their own customers."""
    require_any(actor, Perm.FOLLOW_UP, Perm.REGISTER_VISIT)
    if actor.role == Role.CONSULTANT:
        consultant_id = actor.id
    _start, end = clock.day_bounds(clock.today())
    with uow:
        s = uow.session
        q = (select(Customer).where(Customer.next_follow_up_at < end, Customer.owner_id.is_not(None))
             .order_by(Customer.next_follow_up_at).limit(limit))
        if consultant_id is not None:
            q = q.where(Customer.owner_id == consultant_id)
        names: dict[int, str] = {}
        return [_due_row(s, actor, c, names) for c in s.scalars(q)]
