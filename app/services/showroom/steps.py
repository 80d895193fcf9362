"""What every step on an incident, a work order or a release slip shares: the record read under the showroom's lock,
a page shown before someone else's step refused, the workflow asked where the step leads."""
from __future__ import annotations

from typing import TypeVar

from app.database.uow import UnitOfWork
from app.domain.showroom_flows import Flow, State, Step, next_state
from app.errors import Conflict, NotFound
from app.i18n import _
from app.permissions import Actor
from app.services.showroom.items import LOCK

Record = TypeVar("Record")


def locked(uow: UnitOfWork, model: type[Record], record_id: int, missing: str) -> Record:
    """The record, read after taking the showroom's lock: two stations stepping at once take turns."""
    uow.one_at_a_time(LOCK)
    row = uow.session.get(model, record_id)
    if row is None:
        raise NotFound(missing)
    return row


def take(actor: Actor, row: object, flow: Flow, state: State, step: Step, *, asked_by: int | None,
         revision: int | None) -> State:
    """The state `step` leads to; `revision` is the one the person saw (None from the command line), and a step
    on a record changed since is refused rather than taken on what they did not see."""
    if revision is not None and row.revision != revision:  # type: ignore[attr-defined]
        raise Conflict(_("Someone changed this record meanwhile; look at it again before going on."))
    target = next_state(flow, state, step, actor, asked_by=asked_by)
    row.revision += 1  # type: ignore[attr-defined]
    return target
