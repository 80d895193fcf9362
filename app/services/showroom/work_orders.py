"""Work orders for maintenance in the model apartments (维修单, SHW-5): asked for, approved by the engineering lead
before anyone enters (nobody approves their own), the entry recorded — when, who, what was brought in — and the
work checked by the attendant. Work is done outside open hours unless it is marked urgent, with why."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app import clock, validation
from app.config import parse_clock_time
from app.database.uow import UnitOfWork
from app.domain.showroom_flows import WORK_ORDER, State, Step, work_order_state
from app.errors import NotFound, ValidationError
from app.i18n import N_, _
from app.models.showroom import Apartment, Incident, ShowroomCheck, WorkOrder
from app.permissions import Actor, Perm, require, require_any
from app.services import accounts, settings
from app.services.showroom import steps

MAX_WHAT, MAX_WORKERS, MAX_MATERIALS, MAX_NOTE = 500, 200, 400, 200
VIEW = (Perm.SHOWROOM_CHECK, Perm.MANAGE_SHOWROOM, Perm.APPROVE_WORK_ORDER)
PLANNED_AHEAD = timedelta(days=60)


@dataclass(frozen=True)
class WorkOrderRow:
    number: int
    apartment: str
    apartment_id: int
    what: str
    planned_at: datetime
    urgent: bool
    urgent_reason: str
    requested_at: datetime
    requested_by_id: int
    requested_by: str
    state: State
    decided_by: str
    decision_note: str
    entered_at: datetime | None
    workers: str
    materials: str
    completed_at: datetime | None
    completed_by: str
    completion_note: str
    revision: int


def in_open_hours(uow: UnitOfWork, at: datetime) -> bool:
    """Whether `at` falls in the model apartments' open hours of its day (SHW-5)."""
    office = settings.current(uow)
    local = clock.local(at).time()
    return parse_clock_time(office.open_time) <= local < parse_clock_time(office.close_time)


def _urgency(open_hours: bool, urgent: bool, what: str) -> None:
    if open_hours and not urgent:
        raise ValidationError(_("%s falls in open hours: work then is marked urgent, with why; otherwise choose a "
                                "time outside open hours.") % what, field="planned_at")


def request(actor: Actor, uow: UnitOfWork, *, apartment_id: int, what: str, planned_at: datetime,
            urgent: bool = False, urgent_reason: str = "", check_id: int | None = None,
            incident_id: int | None = None) -> WorkOrderRow:
    """Ask for maintenance: what is to be done and when the workers are to enter."""
    require(actor, Perm.SHOWROOM_CHECK)
    now = clock.now()
    what = validation.text(what, MAX_WHAT, "what", _("Work to do"), missing=N_("Say what is to be repaired."))
    reason = validation.text(urgent_reason, MAX_NOTE, "urgent_reason", _("Why urgent"))
    if urgent and not reason:
        raise ValidationError(_("Say why the work cannot wait until the apartments are closed."),
                              field="urgent_reason")
    if not now - timedelta(hours=1) <= planned_at <= now + PLANNED_AHEAD:
        raise ValidationError(_("The workers enter from now to 60 days ahead."), field="planned_at")
    _urgency(in_open_hours(uow, planned_at), urgent, _("The time planned"))
    with uow:
        if uow.session.get(Apartment, apartment_id) is None:
            raise NotFound(_("No such model apartment."))
        for model, key in ((ShowroomCheck, check_id), (Incident, incident_id)):
            if key is not None and uow.session.get(model, key) is None:
                raise NotFound(_("The check or incident this work order comes from is not there."))
        order = WorkOrder(apartment_id=apartment_id, check_id=check_id, incident_id=incident_id, what=what,
                          planned_at=planned_at, urgent=urgent, urgent_reason=reason if urgent else "",
                          requested_at=now, requested_by_id=actor.id)
        uow.session.add(order)
        uow.session.flush()
        uow.audit(actor.id, "showroom.work_order", f"work_order:{order.id}",
                  after={"apartment_id": apartment_id, "what": what, "planned_at": planned_at.isoformat(),
                         "urgent": urgent, "urgent_reason": order.urgent_reason})
        uow.commit()
        return _row(uow, order)


def decide(actor: Actor, uow: UnitOfWork, *, number: int, approve: bool, note: str = "",
           revision: int | None = None) -> WorkOrderRow:
    """The engineering lead approves the work order, or refuses it with why; never one they asked for."""
    require(actor, Perm.APPROVE_WORK_ORDER)
    with uow:
        order = steps.decide(actor, uow, WorkOrder, number, flow=WORK_ORDER, state=_state, approve=approve,
                             note=note, revision=revision, missing=_("No such work order."),
                             why_refused=_("Say why the work order is refused."), action="showroom.work_order")
        uow.commit()
        return _row(uow, order)


def record_entry(actor: Actor, uow: UnitOfWork, *, number: int, workers: str, materials: str = "",
                 entered_at: datetime | None = None, revision: int | None = None) -> WorkOrderRow:
    """The attendant lets the workers in on an approved work order: when, who, and what they brought in."""
    require(actor, Perm.SHOWROOM_CHECK)
    now = clock.now()
    entered_at = entered_at or now
    workers = validation.text(workers, MAX_WORKERS, "workers", _("Workers"), squeeze=True,
                              missing=N_("Write who entered (names, or company and how many)."))
    materials = validation.text(materials, MAX_MATERIALS, "materials", _("Materials brought in"))
    if not now - timedelta(hours=12) <= entered_at <= now:
        raise ValidationError(_("The entry is recorded within 12 hours, not ahead of time."), field="entered_at")
    open_hours = in_open_hours(uow, entered_at)  # read before the transaction that writes
    with uow:
        order = steps.locked(uow, WorkOrder, number, _("No such work order."))
        _urgency(open_hours, order.urgent, _("This entry"))
        steps.take(actor, order, WORK_ORDER, _state(order), Step.ENTER, asked_by=None, revision=revision)
        order.entered_at, order.workers, order.materials, order.entry_by_id = entered_at, workers, materials, actor.id
        uow.audit(actor.id, "showroom.work_order_entry", f"work_order:{number}",
                  after={"entered_at": entered_at.isoformat(), "workers": workers, "materials": materials})
        uow.commit()
        return _row(uow, order)


def accept(actor: Actor, uow: UnitOfWork, *, number: int, note: str = "", revision: int | None = None) -> WorkOrderRow:
    """The attendant checks the work done and the apartment left as it was."""
    require(actor, Perm.SHOWROOM_CHECK)
    note = validation.text(note, MAX_NOTE, "note", _("Note"))
    with uow:
        order = steps.locked(uow, WorkOrder, number, _("No such work order."))
        steps.take(actor, order, WORK_ORDER, _state(order), Step.ACCEPT, asked_by=None, revision=revision)
        order.completed_at, order.completed_by_id, order.completion_ok = clock.now(), actor.id, True
        order.completion_note = note
        uow.audit(actor.id, "showroom.work_order_done", f"work_order:{number}", after={"note": note})
        uow.commit()
        return _row(uow, order)


def get(actor: Actor, uow: UnitOfWork, number: int) -> WorkOrderRow:
    require_any(actor, *VIEW)
    with uow:
        order = uow.session.get(WorkOrder, number)
        if order is None:
            raise NotFound(_("There is no work order No. %d.") % number)
        return _row(uow, order)


def listed(actor: Actor, uow: UnitOfWork, *, open_only: bool = True, limit: int = 200) -> list[WorkOrderRow]:
    """Work orders not yet done or refused (oldest first), or the newest `limit` of all."""
    require_any(actor, *VIEW)
    stmt = select(WorkOrder)
    stmt = (stmt.where(WorkOrder.completed_at.is_(None), WorkOrder.decision != "refused").order_by(WorkOrder.id)
            if open_only else stmt.order_by(WorkOrder.id.desc()).limit(limit))
    with uow:
        names = accounts.staff_names(uow.session)
        flats = dict(uow.session.execute(select(Apartment.id, Apartment.name)).all())
        return [_row(uow, o, names, flats) for o in uow.session.scalars(stmt)]


def _state(order: WorkOrder) -> State:
    return work_order_state(decision=order.decision, entered=order.entered_at is not None,
                            completed=order.completed_at is not None)


def _row(uow: UnitOfWork, o: WorkOrder, names: dict[int, str] | None = None,
         flats: dict[int, str] | None = None) -> WorkOrderRow:
    names = names if names is not None else accounts.staff_names(uow.session)
    who = lambda staff_id: names.get(staff_id, "") if staff_id else ""  # noqa: E731
    apartment = flats[o.apartment_id] if flats is not None else uow.session.get(Apartment, o.apartment_id).name
    return WorkOrderRow(o.id, apartment, o.apartment_id, o.what, o.planned_at, o.urgent, o.urgent_reason,
                        o.requested_at, o.requested_by_id, who(o.requested_by_id), _state(o), who(o.decided_by_id),
                        o.decision_note, o.entered_at, o.workers, o.materials, o.completed_at,
                        who(o.completed_by_id), o.completion_note, o.revision)
