"""Incidents in the model apartments (突发事件登记, SHW-4): an item missing or damaged (or anything else), the
visitor, the settlement proposed and approved by customer service and by marketing (two people, neither the one
who proposed it), and the visitor's signature on screen or on the printed form."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app import clock, phone as phones, validation
from app.database.uow import UnitOfWork
from app.domain import signature
from app.domain.showroom_flows import INCIDENT, State, Step, incident_state
from app.errors import NotFound, PermissionDenied, ValidationError
from app.i18n import N_, _
from app.models.showroom import Apartment, Incident, ShowroomCheck
from app.permissions import Actor, Perm, require, require_any
from app.services import accounts, customers
from app.services.showroom import items, steps

KIND_LABEL = {"missing": N_("Item missing"), "damaged": N_("Item damaged"), "other": N_("Other")}
SETTLEMENT_LABEL = {"listed": N_("Pays the listed price"), "agreed": N_("Pays an agreed lower amount"),
                    "waived": N_("Waived")}
MAX_WHAT, MAX_NOTE = 500, 200
VIEW = (Perm.SHOWROOM_CHECK, Perm.MANAGE_SHOWROOM, Perm.APPROVE_FOR_SERVICE, Perm.APPROVE_FOR_MARKETING)


@dataclass(frozen=True)
class IncidentRow:
    number: int
    apartment: str
    apartment_id: int
    kind: str
    item_name: str
    quantity: int
    price_fen: int
    what: str
    happened_at: datetime
    visitor_name: str
    visitor_phone: str  # as this actor may see it: masked without the right to customers' details (VIS-7)
    recorded_by: str
    state: State
    settlement: str
    amount_fen: int
    settlement_note: str
    proposed_by_id: int | None
    proposed_by: str
    service_by: str
    marketing_by: str
    signature: signature.Strokes
    signed_at: datetime | None
    signed_on_paper_by: str
    revision: int

    @property
    def listed_fen(self) -> int:
        return self.price_fen * self.quantity


def record(actor: Actor, uow: UnitOfWork, *, apartment_id: int, kind: str, what: str, item_id: int | None = None,
           quantity: object = 0, visitor_name: str = "", visitor_phone: str = "",
           happened_at: datetime | None = None, check_id: int | None = None) -> IncidentRow:
    """Open an incident: for a missing or damaged item, which and how many, at the price listed when it happened."""
    require(actor, Perm.SHOWROOM_CHECK)
    now = clock.now()
    happened_at = happened_at or now
    if kind not in KIND_LABEL:
        raise ValidationError(_("Say whether an item is missing, damaged, or something else happened."), field="kind")
    if happened_at > now or happened_at < now - timedelta(days=7):
        raise ValidationError(_("When it happened is within the last seven days, not in the future."),
                              field="happened_at")
    what = validation.text(what, MAX_WHAT, "what", _("What happened"), missing=N_("Say what happened."))
    name = validation.text(visitor_name, validation.MAX_NAME, "visitor_name", _("Visitor"), squeeze=True)
    phone = phones.normalize(visitor_phone) if visitor_phone.strip() else None
    if phone and not name:
        raise ValidationError(_("Give the visitor's name with the phone."), field="visitor_name")
    listed = None
    if kind != "other":
        if item_id is None:
            raise ValidationError(_("Choose the item that is missing or damaged."), field="item")
        listed = next((i for i in items.item_list(uow, apartment_id=apartment_id, as_of=happened_at)
                       if i.id == item_id), None)
        if listed is None:
            raise NotFound(_("That item is not on this apartment's list."))
        count = validation.count(quantity, "quantity", _("How many"))
        if not 1 <= count <= listed.quantity:
            raise ValidationError(_("How many is from 1 to %d, the number listed.") % listed.quantity,
                                  field="quantity")
    with uow:
        if uow.session.get(Apartment, apartment_id) is None:
            raise NotFound(_("No such model apartment."))
        if check_id is not None and uow.session.get(ShowroomCheck, check_id) is None:
            raise NotFound(_("No such check."))
        incident = Incident(apartment_id=apartment_id, check_id=check_id, kind=kind, item_id=item_id,
                            item_name=listed.name if listed else "", quantity=count if listed else 0,
                            price_fen=listed.price_fen if listed else 0, what=what, happened_at=happened_at,
                            visitor_name=name, visitor_phone=phone, recorded_at=now, recorded_by_id=actor.id)
        uow.session.add(incident)
        uow.session.flush()
        uow.audit(actor.id, "showroom.incident", f"incident:{incident.id}",
                  after={"apartment_id": apartment_id, "kind": kind, "item": incident.item_name,
                         "quantity": incident.quantity, "what": what, "visitor": name})
        uow.commit()
        return _row(actor, uow, incident)


def propose(actor: Actor, uow: UnitOfWork, *, number: int, settlement: str, amount: object = "", note: str = "",
            revision: int | None = None) -> IncidentRow:
    """Propose how it is settled: the listed price, a lower agreed amount (with why), or waived (with why)."""
    require_any(actor, Perm.SHOWROOM_CHECK, Perm.APPROVE_FOR_SERVICE)
    if settlement not in SETTLEMENT_LABEL:
        raise ValidationError(_("Choose how it is settled."), field="settlement")
    note = validation.text(note, MAX_NOTE, "note", _("Why"))
    with uow:
        incident = steps.locked(uow, Incident, number, _("No such incident."))
        listed = incident.price_fen * incident.quantity
        fen = listed
        if settlement == "agreed":
            fen = validation.money_fen(amount, "amount", _("Agreed amount"))
            if not 0 < fen < listed:
                raise ValidationError(_("An agreed amount is more than 0 and less than the listed %s yuan.")
                                      % _yuan(listed), field="amount")
        elif settlement == "waived":
            fen = 0
        elif not listed:
            raise ValidationError(_("Nothing here has a listed price: choose waived."), field="settlement")
        if settlement != "listed" and not note:
            raise ValidationError(_("Say why the listed price is not paid."), field="note")
        if fen and not incident.visitor_name:
            raise ValidationError(_("Name the visitor who pays."), field="visitor_name")
        steps.take(actor, incident, INCIDENT, _state(incident), Step.PROPOSE, asked_by=None, revision=revision)
        incident.settlement, incident.amount_fen, incident.settlement_note = settlement, fen, note
        incident.proposed_by_id = actor.id
        uow.audit(actor.id, "showroom.incident_propose", f"incident:{number}",
                  after={"settlement": settlement, "amount_fen": fen, "note": note})
        uow.commit()
        return _row(actor, uow, incident)


def approve(actor: Actor, uow: UnitOfWork, *, number: int, side: str, revision: int | None = None) -> IncidentRow:
    """Customer service's (`side` "service") or marketing's ("marketing") approval of the settlement proposed; the
    two are given by two people, and neither proposed it (SHW-4)."""
    step = {"service": Step.APPROVE_SERVICE, "marketing": Step.APPROVE_MARKETING}[side]
    require(actor, Perm.APPROVE_FOR_SERVICE if side == "service" else Perm.APPROVE_FOR_MARKETING)
    with uow:
        incident = steps.locked(uow, Incident, number, _("No such incident."))
        other = incident.marketing_by_id if side == "service" else incident.service_by_id
        if other == actor.id:
            raise PermissionDenied(_("Customer service and marketing approve as two people; you approved already."))
        steps.take(actor, incident, INCIDENT, _state(incident), step, asked_by=incident.proposed_by_id,
                   revision=revision)
        now = clock.now()
        if side == "service":
            incident.service_by_id, incident.service_at = actor.id, now
        else:
            incident.marketing_by_id, incident.marketing_at = actor.id, now
        uow.audit(actor.id, f"showroom.incident_{side}", f"incident:{number}",
                  after={"settlement": incident.settlement, "amount_fen": incident.amount_fen})
        uow.commit()
        return _row(actor, uow, incident)


def send_back(actor: Actor, uow: UnitOfWork, *, number: int, reason: str, revision: int | None = None) -> IncidentRow:
    """An approver does not agree: the proposal and any approval are cleared, with why, to be proposed again."""
    require_any(actor, Perm.APPROVE_FOR_SERVICE, Perm.APPROVE_FOR_MARKETING)
    reason = validation.reason(reason)
    with uow:
        incident = steps.locked(uow, Incident, number, _("No such incident."))
        before = {"settlement": incident.settlement, "amount_fen": incident.amount_fen}
        steps.take(actor, incident, INCIDENT, _state(incident), Step.SEND_BACK, asked_by=None, revision=revision)
        incident.settlement, incident.amount_fen, incident.settlement_note = "", 0, ""
        incident.proposed_by_id = incident.service_by_id = incident.marketing_by_id = None
        incident.service_at = incident.marketing_at = None
        uow.audit(actor.id, "showroom.incident_send_back", f"incident:{number}", before=before,
                  after={"reason": reason})
        uow.commit()
        return _row(actor, uow, incident)


def sign(actor: Actor, uow: UnitOfWork, *, number: int, strokes: object = None, on_paper: bool = False,
         revision: int | None = None) -> IncidentRow:
    """The visitor signs the settled incident on screen (`strokes`), or signed the printed form (`on_paper`, the
    staff member's word, kept with their name); an incident with no visitor named is closed without."""
    require_any(actor, Perm.SHOWROOM_CHECK, Perm.APPROVE_FOR_SERVICE)
    with uow:
        incident = steps.locked(uow, Incident, number, _("No such incident."))
        kept = ""
        if incident.visitor_name and not on_paper:
            kept = signature.to_json(signature.checked(strokes))
        steps.take(actor, incident, INCIDENT, _state(incident), Step.SIGN, asked_by=None, revision=revision)
        incident.signature, incident.signed_at = kept, clock.now()
        incident.signed_on_paper_by_id = actor.id if on_paper else None
        uow.audit(actor.id, "showroom.incident_sign", f"incident:{number}",
                  after={"on_paper": on_paper, "settlement": incident.settlement, "amount_fen": incident.amount_fen})
        uow.commit()
        return _row(actor, uow, incident)


def get(actor: Actor | None, uow: UnitOfWork, number: int) -> IncidentRow:
    """One record; `actor` None on the command line, whose user holds the database."""
    if actor is not None:
        require_any(actor, *VIEW)
    with uow:
        incident = uow.session.get(Incident, number)
        if incident is None:
            raise NotFound(_("There is no incident No. %d.") % number)
        return _row(actor, uow, incident)


def listed(actor: Actor, uow: UnitOfWork, *, open_only: bool = True, limit: int = 200) -> list[IncidentRow]:
    """The incidents still open (every one, oldest first), or the newest `limit` of all."""
    require_any(actor, *VIEW)
    stmt = select(Incident)
    stmt = (stmt.where(Incident.signed_at.is_(None)).order_by(Incident.id) if open_only
            else stmt.order_by(Incident.id.desc()).limit(limit))
    with uow:
        names = accounts.staff_names(uow.session)
        flats = dict(uow.session.execute(select(Apartment.id, Apartment.name)).all())
        return [_row(actor, uow, i, names, flats) for i in uow.session.scalars(stmt)]


def on_day(actor: Actor | None, uow: UnitOfWork, *, day: date) -> list[IncidentRow]:
    """The incidents that happened on `day`, in order (`actor` None on the command line)."""
    if actor is not None:
        require_any(actor, *VIEW)
    start, end = clock.day_bounds(day)
    with uow:
        names = accounts.staff_names(uow.session)
        flats = dict(uow.session.execute(select(Apartment.id, Apartment.name)).all())
        found = uow.session.scalars(select(Incident).where(Incident.happened_at >= start, Incident.happened_at < end)
                                    .order_by(Incident.happened_at, Incident.id))
        return [_row(actor, uow, i, names, flats) for i in found]


def _state(incident: Incident) -> State:
    return incident_state(proposed=bool(incident.settlement), service=incident.service_by_id is not None,
                          marketing=incident.marketing_by_id is not None, signed=incident.signed_at is not None)


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


def _row(actor: Actor | None, uow: UnitOfWork, i: Incident, names: dict[int, str] | None = None,
         flats: dict[int, str] | None = None) -> IncidentRow:
    """The incident as this actor may see it; `names` and `flats` given when many rows are made at once."""
    names = names if names is not None else accounts.staff_names(uow.session)
    who = lambda staff_id: names.get(staff_id, "") if staff_id else ""  # noqa: E731
    apartment = flats[i.apartment_id] if flats is not None else uow.session.get(Apartment, i.apartment_id).name
    return IncidentRow(i.id, apartment, i.apartment_id, i.kind, i.item_name, i.quantity, i.price_fen, i.what,
                       i.happened_at, i.visitor_name, customers.shown_phone(actor, i.visitor_phone),
                       who(i.recorded_by_id), _state(i), i.settlement, i.amount_fen, i.settlement_note,
                       i.proposed_by_id, who(i.proposed_by_id), who(i.service_by_id), who(i.marketing_by_id),
                       signature.from_json(i.signature), i.signed_at, who(i.signed_on_paper_by_id), i.revision)
