"""Today's rotation of consultants (轮位, REC-4..6): sign in and out, hand out walk-ins, log every change."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.database.engine import insert_if_missing
from app.domain.rotation import Event, Kind, Queue, replay
from app.errors import Conflict, NotFound
from app.i18n import _
from app.models.rotation import RotationDay, RotationEvent
from app.models.staff import Staff
from app.permissions import Actor, Perm, Role, require, require_any
from app.database.uow import UnitOfWork


@dataclass(frozen=True)
class QueueEntry:
    consultant_id: int
    name: str
    turns_lost: int


@dataclass(frozen=True)
class QueueView:
    day: date
    entries: tuple[QueueEntry, ...]
    away: tuple[QueueEntry, ...]  # consultants not in the queue today

    @property
    def head(self) -> QueueEntry | None:
        return self.entries[0] if self.entries else None


@dataclass(frozen=True)
class LogLine:
    seq: int
    at: datetime
    kind: Kind
    consultant: str
    reason: str
    visit_id: int | None
    queue_after: tuple[str, ...]  # the queue as it stood after this event: the replay


def lock_day(session: Session, day: date) -> RotationDay:
    """Take the day's row for writing: stations that press "next" together are served in turn."""
    # The day's first event: two stations may both find no row; the second insert gives way, then waits.
    insert_if_missing(session, RotationDay.__table__, day=day, events=0)
    return session.execute(select(RotationDay).where(RotationDay.day == day).with_for_update()).scalar_one()


def _events(session: Session, day: date) -> list[RotationEvent]:
    return list(session.scalars(select(RotationEvent).where(RotationEvent.day == day).order_by(RotationEvent.seq)))


def current_queue(session: Session, day: date) -> Queue:
    return replay([Event(Kind(e.kind), e.consultant_id) for e in _events(session, day)])


def append(session: Session, day_row: RotationDay, actor: Actor, event: Event, *, visit_id: int | None = None,
           reason: str = "") -> None:
    day_row.events += 1
    session.add(RotationEvent(day=day_row.day, seq=day_row.events, kind=str(event.kind),
                              consultant_id=event.consultant_id, visit_id=visit_id, reason=reason,
                              at=clock.now(), actor_id=actor.id))


def take_next(session: Session, day_row: RotationDay, actor: Actor, *, visit_id: int | None) -> int:
    """Hand a new walk-in to the head of the queue (serving lost turns first); returns the consultant."""
    planned = current_queue(session, day_row.day).plan_next()
    if not planned:
        raise Conflict(_("No consultant is signed in to the rotation today."), field="consultant")
    for event in planned:
        reason = _("lost turn after a refusal") if event.kind == Kind.SKIP else ""
        append(session, day_row, actor, event, visit_id=visit_id if event.kind == Kind.ASSIGN else None,
               reason=reason)
    return planned[-1].consultant_id


def _consultant(session: Session, consultant_id: int) -> Staff:
    staff = session.get(Staff, consultant_id)
    if staff is None or not staff.active or staff.role != Role.CONSULTANT:
        raise NotFound(_("No such sales consultant."), field="consultant")
    return staff


def sign_in(actor: Actor, uow: UnitOfWork, *, consultant_id: int) -> QueueView:
    require(actor, Perm.ROTATION)
    with uow:
        _consultant(uow.session, consultant_id)
        day = lock_day(uow.session, clock.today())
        if consultant_id in current_queue(uow.session, day.day).order:
            raise Conflict(_("This consultant is already in today's queue."))
        append(uow.session, day, actor, Event(Kind.SIGN_IN, consultant_id))
        uow.audit(actor.id, "rotation.sign_in", f"staff:{consultant_id}")
        uow.commit()
    return queue_view(actor, uow)


def sign_out(actor: Actor, uow: UnitOfWork, *, consultant_id: int, reason: str = "") -> QueueView:
    require(actor, Perm.ROTATION)
    with uow:
        _consultant(uow.session, consultant_id)
        day = lock_day(uow.session, clock.today())
        if consultant_id not in current_queue(uow.session, day.day).order:
            raise Conflict(_("This consultant is not in today's queue."))
        append(uow.session, day, actor, Event(Kind.SIGN_OUT, consultant_id), reason=reason.strip()[:200])
        uow.audit(actor.id, "rotation.sign_out", f"staff:{consultant_id}", after={"reason": reason.strip()[:200]})
        uow.commit()
    return queue_view(actor, uow)


def queue_view(actor: Actor, uow: UnitOfWork, day: date | None = None) -> QueueView:
    require_any(actor, Perm.REGISTER_VISIT, Perm.ROTATION)
    day = day or clock.today()
    with uow:
        queue = current_queue(uow.session, day)
        consultants = {s.id: s.name for s in uow.session.scalars(
            select(Staff).where(Staff.role == str(Role.CONSULTANT), Staff.active.is_(True)).order_by(Staff.id))}
        entries = tuple(QueueEntry(cid, consultants.get(cid, "?"), queue.turns_lost(cid)) for cid in queue.order)
        away = tuple(QueueEntry(cid, name, queue.turns_lost(cid)) for cid, name in consultants.items()
                     if cid not in queue.order)
        return QueueView(day, entries, away)


def day_log(actor: Actor, uow: UnitOfWork, day: date | None = None) -> list[LogLine]:
    """Every change of the day's queue with its reason, and the queue after it (REC-6)."""
    require_any(actor, Perm.REGISTER_VISIT, Perm.ROTATION)
    day = day or clock.today()
    with uow:
        names = dict(uow.session.execute(select(Staff.id, Staff.name)).all())  # also those since switched off
        queue, lines = Queue(), []
        for e in _events(uow.session, day):
            queue.apply(Event(Kind(e.kind), e.consultant_id))
            lines.append(LogLine(e.seq, e.at, Kind(e.kind), names.get(e.consultant_id, "?"), e.reason, e.visit_id,
                                 tuple(names.get(c, "?") for c in queue.order)))
        return lines

