"""Deposits (认购) and contracts (签约) recorded for a customer: the end of the funnel (VIS-3).

A deal is recorded only on a unit the manager has confirmed free and held for that customer (销控, VIS-8:
app.services.visitors.unit_control); a unit under contract is never deposited or signed again.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app import clock, validation
from app.errors import Conflict, NotFound, ValidationError
from app.i18n import N_, _
from app.models.deals import Deal
from app.models.visitors import Call, Customer, Visit
from app.permissions import Actor, Perm, Role, require
from app.services.visitors import unit_control
from app.services.reception.visits import MAX_NOTE
from app.database.uow import UnitOfWork

KINDS = {"deposit": N_("Deposit (认购)"), "contract": N_("Contract (签约)")}
MAX_AMOUNT = 2_000_000_000  # yuan; fits a 32-bit integer column on every database


@dataclass(frozen=True)
class DealRow:
    id: int
    customer_id: int
    kind: str
    unit: str
    amount_yuan: int
    consultant_id: int | None
    channel: str
    at: datetime


def record_deposit(actor: Actor, uow: UnitOfWork, *, customer_id: int, unit: str, amount_yuan: int,
                   at: datetime | None = None, note: str = "") -> DealRow:
    """A customer pays a deposit on a unit (认购)."""
    require(actor, Perm.RECORD_DEAL)
    return _record(actor, uow, "deposit", customer_id, unit, amount_yuan, at, note)


def record_contract(actor: Actor, uow: UnitOfWork, *, customer_id: int, unit: str, amount_yuan: int,
                    at: datetime | None = None, note: str = "") -> DealRow:
    """A customer signs the contract for a unit (签约)."""
    require(actor, Perm.RECORD_DEAL)
    return _record(actor, uow, "contract", customer_id, unit, amount_yuan, at, note)


def _checked(unit: str, amount_yuan: object, at: datetime | None) -> tuple[str, int, datetime]:
    unit = unit_control.check_unit(unit)
    try:
        amount = int(str(amount_yuan).replace(",", "").strip())
    except ValueError:
        raise ValidationError(_("The amount is a whole number of yuan."), field="amount") from None
    if not 0 < amount <= MAX_AMOUNT:
        raise ValidationError(_("The amount must be more than 0 yuan."), field="amount")
    now = clock.now()
    if at is None:
        at = now
    elif at.tzinfo is None:
        at = at.replace(tzinfo=clock.OFFICE_TZ)
    if at > now:
        raise ValidationError(_("A deal cannot be dated in the future."), field="at")
    return unit, amount, at


def _record(actor: Actor, uow: UnitOfWork, kind: str, customer_id: int, unit: str, amount_yuan: object,
            at: datetime | None, note: str) -> DealRow:
    unit, amount, at = _checked(unit, amount_yuan, at)
    note = validation.text(note, MAX_NOTE, "note", _("Note"))
    with uow:
        s = uow.session
        customer = s.get(Customer, customer_id)
        if customer is None:
            raise NotFound(_("No such customer."))
        hold = unit_control.held_for(s, unit)
        if hold is None:
            raise Conflict(_("Unit %s is not held for this customer: ask the manager to confirm it is free first "
                             "(unit control).") % unit, field="unit")
        if hold.customer_id != customer_id:
            raise Conflict(_("Unit %s is held for another customer.") % unit, field="unit")
        for other in s.scalars(select(Deal).where(Deal.unit == unit)):
            if other.kind == "contract":
                raise Conflict(_("Unit %s is already sold.") % unit, field="unit")
            if kind == "deposit":
                raise Conflict(_("This customer already holds unit %s.") % unit, field="unit")
        consultant_id = actor.id if actor.role == Role.CONSULTANT else customer.owner_id
        deal = Deal(customer_id=customer_id, kind=kind, unit=unit, amount_yuan=amount, consultant_id=consultant_id,
                    channel=_first_channel(s, customer_id), at=at, note=note, recorded_by_id=actor.id,
                    recorded_at=clock.now())
        s.add(deal)
        s.flush()
        uow.audit(actor.id, f"deals.{kind}", f"customer:{customer_id}",
                  after={"deal_id": deal.id, "unit": unit, "amount_yuan": amount, "consultant_id": consultant_id,
                         "at": at})
        uow.touch("customers")
        uow.commit()
        return DealRow(deal.id, customer_id, kind, unit, amount, consultant_id, deal.channel, deal.at)


def _first_channel(s, customer_id: int) -> str:  # type: ignore[no-untyped-def]
    """How the customer first came: their first visit's channel, else their first call's."""
    for model, at in ((Visit, Visit.arrived_at), (Call, Call.received_at)):
        channel = s.scalar(select(model.channel).where(model.customer_id == customer_id).order_by(at).limit(1))
        if channel:
            return channel
    return "other"
