"""What every step on an incident, a work order or a release slip shares: the record read under the showroom's lock,
a page shown before someone else's step refused, the workflow asked where the step leads; and the approval or
refusal that work orders and release slips share."""
from __future__ import annotations

from typing import Callable, TypeVar

from app import clock, validation
from app.database.uow import UnitOfWork
from app.domain.showroom_flows import Flow, State, Step, next_state
from app.errors import Conflict, NotFound, ValidationError
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


MAX_DECISION_NOTE = 200


def decide(by: Actor, uow: UnitOfWork, model: type[Record], number: int, *, flow: Flow,
           state: Callable[[Record], State], approve: bool, note: str, revision: int | None, missing: str,
           why_refused: str, action: str) -> Record:
    """An approval or a refusal (with why) of a request a row records in `decision`, `decided_at`, `decided_by_id`
    and `decision_note` — a work order's, a release slip's — never by whoever asked (`requested_by_id`). Taken in
    the caller's `with uow:` after it checked `by`'s permission; audited as `<action>_approved` or `<action>_refused`;
    the caller commits."""
    note = validation.text(note, MAX_DECISION_NOTE, "note", _("Note"))
    if not approve and not note:
        raise ValidationError(why_refused, field="note")
    row = locked(uow, model, number, missing)
    take(by, row, flow, state(row), Step.APPROVE if approve else Step.REFUSE,
         asked_by=row.requested_by_id, revision=revision)  # type: ignore[attr-defined]
    row.decision = "approved" if approve else "refused"  # type: ignore[attr-defined]
    row.decided_at, row.decided_by_id, row.decision_note = clock.now(), by.id, note  # type: ignore[attr-defined]
    uow.audit(by.id, f"{action}_{row.decision}", f"{action.split('.')[1]}:{number}",  # type: ignore[attr-defined]
              after={"note": note})
    return row
