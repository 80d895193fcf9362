"""Release slips (放行条, SHW-6): nothing leaves a model apartment without one. A slip lists items of one apartment
and how many, says why and who carries them, is approved by customer service, and prints with a QR code; scanned at
the door it shows whether it is approved and what it lets out. Letting the items out logs each movement with time
and quantity, and the item list follows; items brought back are logged the same way."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app import clock, validation
from app.database.uow import UnitOfWork
from app.domain.showroom_flows import RELEASE_SLIP, State, Step, slip_state
from app.errors import NotFound, ValidationError
from app.i18n import N_, _
from app.models.showroom import Apartment, ItemMovement, ReleaseLine, ReleaseSlip, ShowroomItem, WorkOrder
from app.permissions import Actor, Perm, require, require_any
from app.services import accounts
from app.services.showroom import items, steps

MAX_PURPOSE, MAX_NOTE = 200, 200
VIEW = (Perm.SHOWROOM_CHECK, Perm.MANAGE_SHOWROOM, Perm.APPROVE_FOR_SERVICE)
_CODE = re.compile(r"SO:SLIP:([0-9]{1,9})")


def code(number: int) -> str:
    """What the slip's QR code says; a USB scanner types it into the door's search field."""
    return f"SO:SLIP:{number}"


@dataclass(frozen=True)
class SlipLine:
    item_id: int
    name: str
    quantity: int


@dataclass(frozen=True)
class SlipRow:
    number: int
    apartment: str
    apartment_id: int
    work_order: int | None
    purpose: str
    carrier: str
    lines: list[SlipLine]
    requested_at: datetime
    requested_by_id: int
    requested_by: str
    state: State
    decided_by: str
    decided_at: datetime | None
    decision_note: str
    released_at: datetime | None
    released_by: str
    revision: int


@dataclass(frozen=True)
class Movement:
    at: datetime
    item: str
    direction: str  # in, out
    quantity: int
    slip: int | None
    note: str
    by: str


def request(actor: Actor, uow: UnitOfWork, *, apartment_id: int, purpose: str, carrier: str,
            lines: list[tuple[int, object]], work_order: int | None = None) -> SlipRow:
    """Ask for a slip: items of this apartment's list and how many of each, at most as many as are listed."""
    require(actor, Perm.SHOWROOM_CHECK)
    purpose = validation.text(purpose, MAX_PURPOSE, "purpose", _("Why they leave"),
                              missing=N_("Say why the items leave, e.g. 送修 or 换季更换."))
    carrier = validation.text(carrier, validation.MAX_NAME, "carrier", _("Carried out by"), squeeze=True,
                              missing=N_("Write who carries the items out."))
    if not lines:
        raise ValidationError(_("Add at least one item to the slip."), field="lines")
    listed = {i.id: i for i in items.item_list(uow, apartment_id=apartment_id)}
    wanted: dict[int, int] = {}
    for item_id, quantity in lines:
        item = listed.get(item_id)
        if item is None:
            raise ValidationError(_("An item on the slip is not on this apartment's list."), field="lines")
        wanted[item_id] = wanted.get(item_id, 0) + validation.count(quantity, "lines", item.name)
    for item_id, quantity in wanted.items():
        if not 1 <= quantity <= listed[item_id].quantity:
            raise ValidationError(_("%(item)s: from 1 to %(n)d, the number listed.")
                                  % {"item": listed[item_id].name, "n": listed[item_id].quantity}, field="lines")
    with uow:
        if uow.session.get(Apartment, apartment_id) is None:
            raise NotFound(_("No such model apartment."))
        if work_order is not None and uow.session.get(WorkOrder, work_order) is None:
            raise NotFound(_("There is no work order No. %d.") % work_order)
        slip = ReleaseSlip(apartment_id=apartment_id, work_order_id=work_order, purpose=purpose, carrier=carrier,
                           requested_at=clock.now(), requested_by_id=actor.id)
        uow.session.add(slip)
        uow.session.flush()
        uow.session.add_all(ReleaseLine(slip_id=slip.id, item_id=item_id, item_name=listed[item_id].name,
                                        quantity=quantity) for item_id, quantity in wanted.items())
        uow.audit(actor.id, "showroom.slip", f"slip:{slip.id}",
                  after={"apartment_id": apartment_id, "purpose": purpose, "carrier": carrier,
                         "lines": {listed[k].name: v for k, v in wanted.items()}})
        uow.commit()
        return _row(uow, slip)


def decide(actor: Actor, uow: UnitOfWork, *, number: int, approve: bool, note: str = "",
           revision: int | None = None) -> SlipRow:
    """Customer service approves the slip, or refuses it with why; never one they asked for."""
    require(actor, Perm.APPROVE_FOR_SERVICE)
    with uow:
        slip = steps.decide(actor, uow, ReleaseSlip, number, flow=RELEASE_SLIP, state=_state, approve=approve,
                            note=note, revision=revision, missing=_("No such release slip."),
                            why_refused=_("Say why the slip is refused."), action="showroom.slip")
        uow.commit()
        return _row(uow, slip)


def release(actor: Actor, uow: UnitOfWork, *, number: int, revision: int | None = None) -> SlipRow:
    """At the door: the approved slip's items go out; each is logged and the item list follows."""
    require(actor, Perm.SHOWROOM_CHECK)
    with uow:
        slip = steps.locked(uow, ReleaseSlip, number, _("No such release slip."))
        steps.take(actor, slip, RELEASE_SLIP, _state(slip), Step.RELEASE, asked_by=None, revision=revision)
        now = clock.now()
        slip.released_at, slip.released_by_id = now, actor.id
        reason = _("Release slip No. %d") % number
        for line in _lines(uow, number):
            items.follow_movement(uow, actor, item_id=line.item_id, change=-line.quantity, reason=reason)
            uow.session.add(ItemMovement(item_id=line.item_id, direction="out", quantity=line.quantity, at=now,
                                         slip_id=number, recorded_by_id=actor.id))
        uow.audit(actor.id, "showroom.slip_released", f"slip:{number}", after={"at": now.isoformat()})
        uow.commit()
        return _row(uow, slip)


def bring_back(actor: Actor, uow: UnitOfWork, *, item_id: int, quantity: object, note: str = "",
               slip: int | None = None) -> items.ItemRow:
    """Items brought into an apartment (back from repair, or new): logged, and the list follows."""
    require(actor, Perm.SHOWROOM_CHECK)
    count = validation.count(quantity, "quantity", _("How many"))
    if count < 1:
        raise ValidationError(_("How many is at least 1."), field="quantity")
    note = validation.text(note, MAX_NOTE, "note", _("Note"))
    with uow:
        uow.one_at_a_time(items.LOCK)
        if uow.session.get(ShowroomItem, item_id) is None:
            raise NotFound(_("No such item."))
        if slip is not None and uow.session.get(ReleaseSlip, slip) is None:
            raise NotFound(_("No such release slip."))
        reason = _("Brought back on release slip No. %d") % slip if slip else (note or _("Brought in"))
        row = items.follow_movement(uow, actor, item_id=item_id, change=count, reason=reason[:validation.MAX_REASON])
        uow.session.add(ItemMovement(item_id=item_id, direction="in", quantity=count, at=clock.now(), slip_id=slip,
                                     note=note, recorded_by_id=actor.id))
        uow.audit(actor.id, "showroom.item_in", f"item:{item_id}", after={"quantity": count, "slip": slip,
                                                                         "note": note})
        uow.commit()
        return row


def scan(actor: Actor, uow: UnitOfWork, scanned: str) -> SlipRow:
    """What a code scanned at the door says: the slip, whatever its state (the screen says whether it lets out)."""
    require_any(actor, *VIEW)
    match = _CODE.fullmatch(validation.ascii_digits(scanned).strip())
    if match is None:
        raise ValidationError(_("This code is not a release slip's."), field="code")
    return get(actor, uow, int(match.group(1)))


def get(actor: Actor | None, uow: UnitOfWork, number: int) -> SlipRow:
    """One record; `actor` None on the command line, whose user holds the database."""
    if actor is not None:
        require_any(actor, *VIEW)
    with uow:
        slip = uow.session.get(ReleaseSlip, number)
        if slip is None:
            raise NotFound(_("There is no release slip No. %d.") % number)
        return _row(uow, slip)


def listed(actor: Actor, uow: UnitOfWork, *, open_only: bool = True, limit: int = 200) -> list[SlipRow]:
    """Slips not yet let out or refused (oldest first), or the newest `limit` of all."""
    require_any(actor, *VIEW)
    stmt = select(ReleaseSlip)
    stmt = (stmt.where(ReleaseSlip.released_at.is_(None), ReleaseSlip.decision != "refused")
            .order_by(ReleaseSlip.id) if open_only else stmt.order_by(ReleaseSlip.id.desc()).limit(limit))
    with uow:
        slips = uow.session.scalars(stmt).all()
        lines: dict[int, list[SlipLine]] = {s.id: [] for s in slips}
        for line in uow.session.scalars(select(ReleaseLine).where(ReleaseLine.slip_id.in_(lines))
                                        .order_by(ReleaseLine.id)):
            lines[line.slip_id].append(SlipLine(line.item_id, line.item_name, line.quantity))
        names = accounts.staff_names(uow.session)
        flats = dict(uow.session.execute(select(Apartment.id, Apartment.name)).all())
        return [_row(uow, s, names, flats, lines[s.id]) for s in slips]


def movements(actor: Actor, uow: UnitOfWork, *, apartment_id: int, limit: int = 200) -> list[Movement]:
    """The newest movements in and out of an apartment."""
    require_any(actor, *VIEW)
    item_names = {i.id: i.name for i in items.item_list(uow, apartment_id=apartment_id)}
    with uow:
        names = accounts.staff_names(uow.session)
        rows = uow.session.execute(
            select(ItemMovement, ShowroomItem.id).join(ShowroomItem, ShowroomItem.id == ItemMovement.item_id)
            .where(ShowroomItem.apartment_id == apartment_id).order_by(ItemMovement.at.desc()).limit(limit)).all()
        return [Movement(m.at, item_names.get(item_id, "?"), m.direction, m.quantity, m.slip_id, m.note,
                         names.get(m.recorded_by_id, "")) for m, item_id in rows]


def _lines(uow: UnitOfWork, number: int) -> list[ReleaseLine]:
    return list(uow.session.scalars(select(ReleaseLine).where(ReleaseLine.slip_id == number)
                                    .order_by(ReleaseLine.id)))


def _state(slip: ReleaseSlip) -> State:
    return slip_state(decision=slip.decision, released=slip.released_at is not None)


def _row(uow: UnitOfWork, s: ReleaseSlip, names: dict[int, str] | None = None, flats: dict[int, str] | None = None,
         lines: list[SlipLine] | None = None) -> SlipRow:
    """The slip as shown; `names`, `flats` and `lines` given when many slips are made at once (one read each)."""
    names = names if names is not None else accounts.staff_names(uow.session)
    who = lambda staff_id: names.get(staff_id, "") if staff_id else ""  # noqa: E731
    if lines is None:
        lines = [SlipLine(line.item_id, line.item_name, line.quantity) for line in _lines(uow, s.id)]
    apartment = flats[s.apartment_id] if flats is not None else uow.session.get(Apartment, s.apartment_id).name
    return SlipRow(s.id, apartment, s.apartment_id, s.work_order_id, s.purpose,
                   s.carrier, lines, s.requested_at, s.requested_by_id, who(s.requested_by_id), _state(s),
                   who(s.decided_by_id), s.decided_at, s.decision_note, s.released_at, who(s.released_by_id),
                   s.revision)
