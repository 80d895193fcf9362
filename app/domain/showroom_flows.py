"""The showroom's workflows as data (SHW-4, SHW-5, SHW-6): each one's states, the steps allowed from each and who
may take them, and a pure function that refuses the rest. The services load, call `next_state`, store and audit."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.errors import PermissionDenied, ValidationError
from app.i18n import N_, _
from app.permissions import Actor, Perm, require_any


class State(StrEnum):
    # an incident (突发事件)
    RECORDED = "recorded"
    PROPOSED = "proposed"
    SERVICE_APPROVED = "service_approved"
    MARKETING_APPROVED = "marketing_approved"
    SETTLED = "settled"
    CLOSED = "closed"
    # a work order (维修单) and a release slip (放行条)
    REQUESTED = "requested"
    APPROVED = "approved"
    REFUSED = "refused"
    ENTERED = "entered"
    DONE = "done"
    RELEASED = "released"


class Step(StrEnum):
    PROPOSE = "propose"
    APPROVE_SERVICE = "approve_service"
    APPROVE_MARKETING = "approve_marketing"
    SEND_BACK = "send_back"
    SIGN = "sign"
    APPROVE = "approve"
    REFUSE = "refuse"
    ENTER = "enter"
    ACCEPT = "accept"
    RELEASE = "release"


STATE_LABEL = {
    State.RECORDED: N_("Settlement to propose"), State.PROPOSED: N_("Awaiting both approvals"),
    State.SERVICE_APPROVED: N_("Awaiting marketing's approval"),
    State.MARKETING_APPROVED: N_("Awaiting customer service's approval"),
    State.SETTLED: N_("Awaiting the visitor's signature"), State.CLOSED: N_("Closed"),
    State.REQUESTED: N_("Awaiting approval"), State.APPROVED: N_("Approved"), State.REFUSED: N_("Refused"),
    State.ENTERED: N_("Workers in"), State.DONE: N_("Done"), State.RELEASED: N_("Let out"),
}
STEP_LABEL = {
    Step.PROPOSE: N_("propose a settlement"), Step.APPROVE_SERVICE: N_("approve for customer service"),
    Step.APPROVE_MARKETING: N_("approve for marketing"), Step.SEND_BACK: N_("send the settlement back"),
    Step.SIGN: N_("the visitor's signature"), Step.APPROVE: N_("approve"), Step.REFUSE: N_("refuse"),
    Step.ENTER: N_("record the entry"), Step.ACCEPT: N_("check the work done"), Step.RELEASE: N_("let out"),
}


@dataclass(frozen=True)
class Flow:
    name: str
    steps: dict[tuple[State, Step], tuple[State, tuple[Perm, ...]]]
    approvals: frozenset[Step]  # steps that nobody takes on what they asked for themselves


_AWAITING = (State.PROPOSED, State.SERVICE_APPROVED, State.MARKETING_APPROVED)
INCIDENT = Flow("incident", {
    (State.RECORDED, Step.PROPOSE): (State.PROPOSED, (Perm.SHOWROOM_CHECK, Perm.APPROVE_FOR_SERVICE)),
    (State.PROPOSED, Step.APPROVE_SERVICE): (State.SERVICE_APPROVED, (Perm.APPROVE_FOR_SERVICE,)),
    (State.PROPOSED, Step.APPROVE_MARKETING): (State.MARKETING_APPROVED, (Perm.APPROVE_FOR_MARKETING,)),
    (State.SERVICE_APPROVED, Step.APPROVE_MARKETING): (State.SETTLED, (Perm.APPROVE_FOR_MARKETING,)),
    (State.MARKETING_APPROVED, Step.APPROVE_SERVICE): (State.SETTLED, (Perm.APPROVE_FOR_SERVICE,)),
    **{(state, Step.SEND_BACK): (State.RECORDED, (Perm.APPROVE_FOR_SERVICE, Perm.APPROVE_FOR_MARKETING))
       for state in _AWAITING},
    (State.SETTLED, Step.SIGN): (State.CLOSED, (Perm.SHOWROOM_CHECK, Perm.APPROVE_FOR_SERVICE)),
}, frozenset({Step.APPROVE_SERVICE, Step.APPROVE_MARKETING}))
WORK_ORDER = Flow("work_order", {
    (State.REQUESTED, Step.APPROVE): (State.APPROVED, (Perm.APPROVE_WORK_ORDER,)),
    (State.REQUESTED, Step.REFUSE): (State.REFUSED, (Perm.APPROVE_WORK_ORDER,)),
    (State.APPROVED, Step.ENTER): (State.ENTERED, (Perm.SHOWROOM_CHECK,)),
    (State.ENTERED, Step.ACCEPT): (State.DONE, (Perm.SHOWROOM_CHECK,)),
}, frozenset({Step.APPROVE, Step.REFUSE}))
RELEASE_SLIP = Flow("release_slip", {
    (State.REQUESTED, Step.APPROVE): (State.APPROVED, (Perm.APPROVE_FOR_SERVICE,)),
    (State.REQUESTED, Step.REFUSE): (State.REFUSED, (Perm.APPROVE_FOR_SERVICE,)),
    (State.APPROVED, Step.RELEASE): (State.RELEASED, (Perm.SHOWROOM_CHECK,)),
}, frozenset({Step.APPROVE, Step.REFUSE}))


def next_state(flow: Flow, state: State, step: Step, actor: Actor, *, asked_by: int | None = None) -> State:
    """Where `step` takes a record in `state`, or refused: a step that cannot follow, an actor without the right,
    an approval of one's own request."""
    try:
        target, perms = flow.steps[(state, step)]
    except KeyError:
        raise ValidationError(_("“%(step)s” cannot be done now: the record is “%(state)s”.")
                              % {"step": _(STEP_LABEL[step]), "state": _(STATE_LABEL[state])}) from None
    require_any(actor, *perms)
    if step in flow.approvals and asked_by == actor.id:
        raise PermissionDenied(_("Nobody approves what they asked for themselves."))
    return target


def incident_state(*, proposed: bool, service: bool, marketing: bool, signed: bool) -> State:
    """An incident's state from what has been recorded on it."""
    if signed:
        return State.CLOSED
    if not proposed:
        return State.RECORDED
    if service and marketing:
        return State.SETTLED
    return State.SERVICE_APPROVED if service else State.MARKETING_APPROVED if marketing else State.PROPOSED


def work_order_state(*, decision: str, entered: bool, completed: bool) -> State:
    if decision == "refused":
        return State.REFUSED
    if decision != "approved":
        return State.REQUESTED
    return State.DONE if completed else State.ENTERED if entered else State.APPROVED


def slip_state(*, decision: str, released: bool) -> State:
    if decision == "refused":
        return State.REFUSED
    if decision != "approved":
        return State.REQUESTED
    return State.RELEASED if released else State.APPROVED


OPEN = frozenset({State.RECORDED, State.PROPOSED, State.SERVICE_APPROVED, State.MARKETING_APPROVED, State.SETTLED,
                  State.REQUESTED, State.APPROVED, State.ENTERED})  # what a handover lists as still open
