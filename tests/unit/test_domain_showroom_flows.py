"""The showroom's workflows as data (SHW-4, SHW-5, SHW-6): the whole table walked — every step allowed reaches its
state for someone with the right, every other (state, step) pair is refused, approvals of one's own request too."""
from __future__ import annotations

import pytest

from app.domain.showroom_flows import (INCIDENT, RELEASE_SLIP, WORK_ORDER, State, Step, incident_state,
                                       next_state, slip_state, work_order_state)
from app.errors import PermissionDenied, ValidationError
from app.permissions import GRANTS, Actor, Role

FLOWS = [INCIDENT, WORK_ORDER, RELEASE_SLIP]


def someone_with(perms) -> Actor:
    role = next(r for r in Role if GRANTS[r] & set(perms))
    return Actor(99, "某人", role)


def someone_without(perms) -> Actor:
    role = next(r for r in Role if not GRANTS[r] & set(perms))
    return Actor(98, "某人", role)


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.name)
def test_every_step_of_the_table_reaches_its_state_and_every_other_pair_is_refused_SHW4_SHW5_SHW6(flow):
    for state in State:
        for step in Step:
            if (state, step) in flow.steps:
                target, perms = flow.steps[(state, step)]
                assert next_state(flow, state, step, someone_with(perms), asked_by=1) == target
                with pytest.raises(PermissionDenied):
                    next_state(flow, state, step, someone_without(perms), asked_by=1)
            else:
                with pytest.raises(ValidationError):
                    next_state(flow, state, step, Actor(1, "经理", Role.MANAGER))


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.name)
def test_nobody_takes_an_approval_on_what_they_asked_for_SHW4_SHW5_SHW6(flow):
    for (state, step), (_target, perms) in flow.steps.items():
        if step in flow.approvals:
            actor = someone_with(perms)
            with pytest.raises(PermissionDenied):
                next_state(flow, state, step, actor, asked_by=actor.id)


def test_the_states_read_from_what_is_recorded_SHW4_SHW5_SHW6():
    assert incident_state(proposed=False, service=False, marketing=False, signed=False) == State.RECORDED
    assert incident_state(proposed=True, service=False, marketing=True, signed=False) == State.MARKETING_APPROVED
    assert incident_state(proposed=True, service=True, marketing=True, signed=False) == State.SETTLED
    assert incident_state(proposed=True, service=True, marketing=True, signed=True) == State.CLOSED
    assert work_order_state(decision="", entered=False, completed=False) == State.REQUESTED
    assert work_order_state(decision="approved", entered=True, completed=False) == State.ENTERED
    assert work_order_state(decision="refused", entered=False, completed=False) == State.REFUSED
    assert slip_state(decision="approved", released=True) == State.RELEASED
