"""Unit control (销控, VIS-8): a unit is held for a customer only after the manager confirms it is free.

A consultant asks to hold a unit for their customer; the manager sees the request with the unit's state and
confirms it (the unit is free) or declines it with a reason. A deposit (认购) and a contract (签约) are
recorded only on a unit held for that customer (app.services.visitors.deals). A confirmed hold ends only when the
manager releases it (the customer withdrew), never once the unit is under contract. The database allows one
confirmed hold per unit, so two stations confirming the same unit at once cannot both succeed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import clock, validation
from app.errors import Conflict, NotFound
from app.i18n import N_, _
from app.models.deals import Deal, UnitHold
from app.models.visitors import Customer
from app.permissions import Actor, Perm, require
from app.services import accounts
from app.database.uow import UnitOfWork
from app.validation import MAX_REASON

STATUS_LABEL = {
    "requested": N_("Waiting for the manager"),
    "confirmed": N_("Held"),
    "declined": N_("Declined"),
    "released": N_("Released"),
}
MAX_UNIT = 40


@dataclass(frozen=True)
class HoldRow:
    id: int
    unit: str
    customer_id: int
    customer: str
    status: str
    requested_by: str
    requested_at: datetime
    decided_by: str
    decided_at: datetime | None
    note: str
    unit_state: str  # for a request: what else holds the unit now ("" when it is free)


def check_unit(unit: str) -> str:
    """A unit as the sales table writes it (3-1-1502): spaces squeezed, not empty, not too long."""
    return validation.text(unit, MAX_UNIT, "unit", "", squeeze=True, missing=N_("Enter the unit, e.g. 3-1-1502."),
                           too_long=N_("A unit has at most %(n)d characters."))


def held_for(s: Session, unit: str) -> UnitHold | None:
    """The confirmed hold on `unit`, if any."""
    return s.scalar(select(UnitHold).where(UnitHold.unit == unit, UnitHold.status == "confirmed"))


def _sold(s: Session, unit: str) -> bool:
    return s.scalar(select(Deal.id).where(Deal.unit == unit, Deal.kind == "contract").limit(1)) is not None


def _taken(s: Session, unit: str, customer_id: int) -> str:
    """Why `unit` cannot be held for `customer_id` now, or "" when it is free."""
    if _sold(s, unit):
        return _("Unit %s is already sold.") % unit
    hold = held_for(s, unit)
    if hold is None:
        return ""
    if hold.customer_id == customer_id:
        return _("Unit %s is already held for this customer.") % unit
    return _("Unit %(unit)s is held for another customer (%(name)s).") % {
        "unit": unit, "name": s.get(Customer, hold.customer_id).name}


def request_hold(actor: Actor, uow: UnitOfWork, *, customer_id: int, unit: str, note: str = "") -> HoldRow:
    """A consultant asks the manager to hold `unit` for a customer (申请销控)."""
    require(actor, Perm.RECORD_DEAL)
    unit = check_unit(unit)
    note = validation.text(note, MAX_REASON, "note", _("Note"))
    with uow:
        s = uow.session
        if s.get(Customer, customer_id) is None:
            raise NotFound(_("No such customer."))
        taken = _taken(s, unit, customer_id)
        if taken:
            raise Conflict(taken, field="unit")
        asked = select(UnitHold.id).where(UnitHold.unit == unit, UnitHold.customer_id == customer_id,
                                          UnitHold.status == "requested")
        if s.scalar(asked) is not None:
            raise Conflict(_("The manager has already been asked to hold unit %s for this customer.") % unit,
                           field="unit")
        hold = UnitHold(unit=unit, customer_id=customer_id, status="requested", requested_by_id=actor.id,
                        requested_at=clock.now(), note=note)
        s.add(hold)
        s.flush()
        uow.audit(actor.id, "units.request", f"unit_hold:{hold.id}",
                  after={"unit": unit, "customer_id": customer_id, "note": note})
        uow.commit()
        return _row(s, hold, accounts.staff_names(s))


def confirm_hold(actor: Actor, uow: UnitOfWork, *, hold_id: int) -> HoldRow:
    """The manager has checked the sales table: the unit is free, and is now held for the customer."""
    require(actor, Perm.CONFIRM_UNIT)
    with uow:
        s = uow.session
        hold = _open_request(s, hold_id)
        taken = _taken(s, hold.unit, hold.customer_id)
        if taken:
            raise Conflict(taken)
        unit = hold.unit
        hold.status, hold.decided_by_id, hold.decided_at = "confirmed", actor.id, clock.now()
        try:
            s.flush()
        except IntegrityError:  # another station confirmed the same unit a moment ago
            raise Conflict(_("Unit %s was just confirmed for another customer at another station.") % unit) \
                from None
        uow.audit(actor.id, "units.confirm", f"unit_hold:{hold.id}",
                  after={"unit": hold.unit, "customer_id": hold.customer_id})
        uow.commit()
        return _row(s, hold, accounts.staff_names(s))


def decline_hold(actor: Actor, uow: UnitOfWork, *, hold_id: int, reason: str) -> HoldRow:
    """The manager refuses the request, saying why (sold, kept back, held for someone else…)."""
    require(actor, Perm.CONFIRM_UNIT)
    reason = _reason(reason, N_("Say why the request is declined."))
    with uow:
        s = uow.session
        hold = _open_request(s, hold_id)
        return _end(uow, actor, hold, "declined", reason)


def release_hold(actor: Actor, uow: UnitOfWork, *, hold_id: int, reason: str) -> HoldRow:
    """The customer withdrew: the unit is free again. A unit under contract is never released here."""
    require(actor, Perm.CONFIRM_UNIT)
    reason = _reason(reason, N_("Say why the unit is released (e.g. the customer withdrew)."))
    with uow:
        s = uow.session
        hold = s.get(UnitHold, hold_id)
        if hold is None or hold.status != "confirmed":
            raise Conflict(_("This unit is no longer held; the list has been refreshed."))
        if _sold(s, hold.unit):
            raise Conflict(_("Unit %s is under contract: it cannot be released.") % hold.unit)
        return _end(uow, actor, hold, "released", reason)


def requests(actor: Actor, uow: UnitOfWork) -> list[HoldRow]:
    """Requests waiting for the manager, oldest first, each with what holds its unit now."""
    require(actor, Perm.CONFIRM_UNIT)
    return _list(uow, UnitHold.status == "requested", UnitHold.requested_at)


def held(actor: Actor, uow: UnitOfWork) -> list[HoldRow]:
    """Units held now (the sales table's reserved and sold units), by unit."""
    require(actor, Perm.CONFIRM_UNIT)
    return _list(uow, UnitHold.status == "confirmed", UnitHold.unit)


def customer_holds(s: Session, customer_id: int) -> list[UnitHold]:
    return list(s.scalars(select(UnitHold).where(UnitHold.customer_id == customer_id)))


def _list(uow: UnitOfWork, where, order) -> list[HoldRow]:  # type: ignore[no-untyped-def]
    with uow.reading() as conn, Session(bind=conn) as s:
        names = accounts.staff_names(s)
        # Each hold with its customer in one query: `_row` then finds the customer in the session, not by a query
        # per row (an estate sold out is thousands of held units).
        holds = s.execute(select(UnitHold, Customer).join(Customer, Customer.id == UnitHold.customer_id)
                          .where(where).order_by(order)).all()
        return [_row(s, hold, names) for hold, _customer in holds]


def _open_request(s: Session, hold_id: int) -> UnitHold:
    hold = s.get(UnitHold, hold_id)
    if hold is None:
        raise NotFound(_("No such request."))
    if hold.status != "requested":
        raise Conflict(_("This request has already been decided; the list has been refreshed."))
    return hold


def _reason(text: str, missing: str) -> str:
    return validation.text(text, MAX_REASON, "reason", _("Reason"), missing=missing)


def _end(uow: UnitOfWork, actor: Actor, hold: UnitHold, status: str, reason: str) -> HoldRow:
    s = uow.session
    before = hold.status
    hold.status, hold.decided_by_id, hold.decided_at = status, actor.id, clock.now()
    hold.note = f"{hold.note} · {reason}" if hold.note else reason
    uow.audit(actor.id, f"units.{'decline' if status == 'declined' else 'release'}", f"unit_hold:{hold.id}",
              before={"status": before}, after={"unit": hold.unit, "customer_id": hold.customer_id,
                                                "reason": reason})
    uow.commit()
    return _row(s, hold, accounts.staff_names(s))


def _row(s: Session, hold: UnitHold, names: dict[int, str]) -> HoldRow:
    state = _taken(s, hold.unit, hold.customer_id) if hold.status == "requested" else ""
    return HoldRow(hold.id, hold.unit, hold.customer_id, s.get(Customer, hold.customer_id).name, hold.status,
                   names.get(hold.requested_by_id, ""), hold.requested_at, names.get(hold.decided_by_id or 0, ""),
                   hold.decided_at, hold.note, state)
