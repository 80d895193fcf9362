"""Shift handover (交接班, SHW-7): the program lists the day's counts and every open incident, work order and release
slip and every overdue or missed check; the outgoing person signs for what was listed, and the person taking over
acknowledges it with their own signature. What was listed is kept as it stood, so the record shows what was signed."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app import clock, validation
from app.database.uow import UnitOfWork
from app.domain import signature
from app.domain.showroom_day import STATE_LABEL as SLOT_STATE_LABEL, CheckKind, SlotState
from app.domain.showroom_flows import STATE_LABEL as FLOW_STATE_LABEL
from app.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.i18n import _
from app.models.showroom import Handover
from app.models.staff import Staff
from app.permissions import GRANTS, Actor, Perm, Role, require
from app.services import accounts
from app.services.showroom import checks, incidents, items, release_slips, work_orders

MAX_NOTE = 400
RECENT = timedelta(hours=24)  # missed checks listed: those due in the last day


@dataclass(frozen=True)
class Listing:
    """What a handover lists, as plain values (kept as JSON with the handover)."""

    counts: list[dict]     # apartment, check, at, by, problems
    checks: list[dict]     # apartment, check, due, state (overdue, missed)
    incidents: list[dict]  # number, apartment, what, state
    work_orders: list[dict]
    slips: list[dict]

    def sections(self) -> list[tuple[str, list[str]]]:
        """What was listed as titled sections of lines, in the language in use: for the screen and the paper."""
        def at(iso: str) -> str:
            return clock.local(datetime.fromisoformat(iso)).strftime("%m-%d %H:%M")

        def state(code: str) -> str:
            return _(SLOT_STATE_LABEL.get(code) or FLOW_STATE_LABEL[code])  # type: ignore[call-overload]

        def records(rows: list[dict]) -> list[str]:
            number = _("No. %d")
            return [" · ".join((number % r["number"], r["apartment"], r["what"], state(r["state"]))) for r in rows]

        counts = [f"{c['apartment']} · {c['check']} · {at(c['at'])} {c['by']}"
                  + (" · " + _("%d problems") % c["problems"] if c["problems"] else "") for c in self.counts]
        late = [f"{c['apartment']} · {c['check']} · {at(c['due'])} · {state(c['state'])}" for c in self.checks]
        return [(_("The day's counts"), counts), (_("Checks overdue or missed"), late),
                (_("Open incidents"), records(self.incidents)), (_("Open work orders"), records(self.work_orders)),
                (_("Release slips not yet let out"), records(self.slips))]

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Listing":
        return cls(**json.loads(text))


@dataclass(frozen=True)
class HandoverRow:
    number: int
    made_at: datetime
    outgoing: str
    incoming_id: int
    incoming: str
    listing: Listing
    note: str
    outgoing_signature: signature.Strokes
    acknowledged_at: datetime | None
    incoming_signature: signature.Strokes


def listing(actor: Actor, uow: UnitOfWork, *, now: datetime | None = None) -> Listing:
    """What a handover made now lists (SHW-7)."""
    require(actor, Perm.SHOWROOM_CHECK)
    now = now or clock.now()
    today = clock.local(now).date()
    counts, late = [], []
    for day in (today - timedelta(days=1), today):
        for flat in checks.day_view(actor, uow, day=day, now=now):
            for view in flat.slots:
                if view.slot.kind in (CheckKind.OPENING, CheckKind.CLOSING) and view.done_at and day == today:
                    counts.append({"apartment": flat.apartment.name, "check": view.slot.title,
                                   "at": view.done_at.isoformat(), "by": view.done_by, "problems": view.problems})
                recent_miss = view.state == SlotState.MISSED and view.slot.due >= now - RECENT
                if view.state == SlotState.OVERDUE or recent_miss:
                    late.append({"apartment": flat.apartment.name, "check": view.slot.title,
                                 "due": view.slot.due.isoformat(), "state": str(view.state)})
    return Listing(
        counts, late,
        [{"number": i.number, "apartment": i.apartment, "what": i.what, "state": str(i.state)}
         for i in incidents.listed(actor, uow)],
        [{"number": o.number, "apartment": o.apartment, "what": o.what, "state": str(o.state)}
         for o in work_orders.listed(actor, uow)],
        [{"number": s.number, "apartment": s.apartment, "what": s.purpose, "state": str(s.state)}
         for s in release_slips.listed(actor, uow)])


def takers(actor: Actor, uow: UnitOfWork) -> list[accounts.StaffRow]:
    """Who may take over: staff who do the checks, other than the one handing over."""
    require(actor, Perm.SHOWROOM_CHECK)
    return [s for s in accounts.list_staff(uow) if s.id != actor.id and Perm.SHOWROOM_CHECK in GRANTS[Role(s.role)]]


def hand_over(actor: Actor, uow: UnitOfWork, *, incoming_id: int, strokes: object, note: str = "") -> HandoverRow:
    """The outgoing person signs for what is listed now, naming who takes over."""
    require(actor, Perm.SHOWROOM_CHECK)
    if incoming_id == actor.id:
        raise ValidationError(_("The person taking over is someone else."), field="incoming")
    kept = signature.to_json(signature.checked(strokes))
    note = validation.text(note, MAX_NOTE, "note", _("Note"))
    listed = listing(actor, uow)
    with uow:
        incoming = uow.session.get(Staff, incoming_id)
        if incoming is None or not incoming.active or Perm.SHOWROOM_CHECK not in GRANTS[Role(incoming.role)]:
            raise NotFound(_("Choose who takes over among the staff who do the checks."))
        handover = Handover(made_at=clock.now(), outgoing_id=actor.id, incoming_id=incoming_id,
                            listed=listed.to_json(), note=note, outgoing_signature=kept)
        uow.session.add(handover)
        uow.session.flush()
        uow.audit(actor.id, "showroom.handover", f"handover:{handover.id}",
                  after={"incoming": incoming_id, "open_incidents": len(listed.incidents),
                         "open_work_orders": len(listed.work_orders), "late_checks": len(listed.checks)})
        uow.commit()
        return _row(uow, handover)


def acknowledge(actor: Actor, uow: UnitOfWork, *, number: int, strokes: object) -> HandoverRow:
    """The person taking over signs that they received what was listed."""
    require(actor, Perm.SHOWROOM_CHECK)
    kept = signature.to_json(signature.checked(strokes))
    with uow:
        uow.one_at_a_time(items.LOCK)
        handover = uow.session.get(Handover, number)
        if handover is None:
            raise NotFound(_("There is no handover No. %d.") % number)
        if handover.incoming_id != actor.id:
            raise PermissionDenied(_("Only the person named to take over acknowledges this handover."))
        if handover.acknowledged_at is not None:
            raise Conflict(_("This handover was acknowledged already."))
        handover.acknowledged_at, handover.incoming_signature = clock.now(), kept
        uow.audit(actor.id, "showroom.handover_ack", f"handover:{number}")
        uow.commit()
        return _row(uow, handover)


def get(actor: Actor | None, uow: UnitOfWork, number: int) -> HandoverRow:
    """One record; `actor` None on the command line, whose user holds the database."""
    if actor is not None:
        require(actor, Perm.SHOWROOM_CHECK)
    with uow:
        handover = uow.session.get(Handover, number)
        if handover is None:
            raise NotFound(_("There is no handover No. %d.") % number)
        return _row(uow, handover)


def recent(actor: Actor, uow: UnitOfWork, *, limit: int = 50) -> list[HandoverRow]:
    """The newest handovers, those still waiting for this actor's acknowledgement first."""
    require(actor, Perm.SHOWROOM_CHECK)
    with uow:
        rows = uow.session.scalars(select(Handover).order_by(Handover.id.desc()).limit(limit)).all()
        waiting = uow.session.scalars(select(Handover).where(Handover.incoming_id == actor.id,
                                                             Handover.acknowledged_at.is_(None))).all()
        kept = sorted({h.id: h for h in [*rows, *waiting]}.values(),
                      key=lambda h: (h.incoming_id != actor.id or h.acknowledged_at is not None, -h.id))
        return [_row(uow, h) for h in kept]


def _row(uow: UnitOfWork, h: Handover) -> HandoverRow:
    names = accounts.staff_names(uow.session)
    return HandoverRow(h.id, h.made_at, names.get(h.outgoing_id, ""), h.incoming_id, names.get(h.incoming_id, ""),
                       Listing.from_json(h.listed), h.note, signature.from_json(h.outgoing_signature),
                       h.acknowledged_at, signature.from_json(h.incoming_signature))
