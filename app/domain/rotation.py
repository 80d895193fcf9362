"""The rotation queue (轮位) rebuilt by replaying the day's events (REC-4, REC-5, REC-6).

The log is the truth and the queue is derived, so any moment of the day can be replayed exactly.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from app.i18n import N_


class Kind(StrEnum):
    SIGN_IN = "sign_in"      # joins the back of the queue
    SIGN_OUT = "sign_out"    # leaves the queue (away); signing in again joins the back
    ASSIGN = "assign"        # received a new walk-in: head moves to the back (REC-4)
    OWNER = "owner"          # received their own returning customer: no turn used (REC-5)
    ON_BEHALF = "on_behalf"  # received a colleague's customer while the owner is away: no turn used (REC-5)
    REFUSE = "refuse"        # refused or avoided a visitor: loses the next two turns (REC-6)
    SKIP = "skip"            # a lost turn being served: moved to the back without a visitor


KIND_LABEL = {
    Kind.SIGN_IN: N_("signed in"),
    Kind.SIGN_OUT: N_("signed out"),
    Kind.ASSIGN: N_("received a new walk-in"),
    Kind.OWNER: N_("received own customer"),
    Kind.ON_BEHALF: N_("received a customer for an absent colleague"),
    Kind.REFUSE: N_("refused a visitor"),
    Kind.SKIP: N_("turn skipped"),
}

TURNS_LOST_ON_REFUSAL = 2


@dataclass(frozen=True)
class Event:
    kind: Kind
    consultant_id: int


@dataclass
class Queue:
    """Consultants in the order they receive the next walk-in; penalties are turns still to lose."""

    order: list[int] = field(default_factory=list)
    penalties: dict[int, int] = field(default_factory=dict)

    def apply(self, event: Event) -> None:
        cid = event.consultant_id
        if event.kind == Kind.SIGN_IN and cid not in self.order:
            self.order.append(cid)
        elif event.kind == Kind.SIGN_OUT and cid in self.order:
            self.order.remove(cid)
        elif event.kind in (Kind.ASSIGN, Kind.SKIP) and cid in self.order:
            self.order.remove(cid)
            self.order.append(cid)
            if event.kind == Kind.SKIP:
                self.penalties[cid] = self.penalties.get(cid, 0) - 1
        elif event.kind == Kind.REFUSE:
            self.penalties[cid] = self.penalties.get(cid, 0) + TURNS_LOST_ON_REFUSAL

    def plan_next(self) -> list[Event]:
        """The events that hand the next walk-in out: lost turns served first, then the assignment.

        Empty when nobody is in the queue.
        """
        trial = Queue(list(self.order), dict(self.penalties))
        planned: list[Event] = []
        while trial.order:
            head = trial.order[0]
            event = Event(Kind.SKIP if trial.penalties.get(head, 0) > 0 else Kind.ASSIGN, head)
            trial.apply(event)
            planned.append(event)
            if event.kind == Kind.ASSIGN:
                return planned
        return []

    def turns_lost(self, consultant_id: int) -> int:
        return max(0, self.penalties.get(consultant_id, 0))


def replay(events: list[Event]) -> Queue:
    queue = Queue()
    for event in events:
        queue.apply(event)
    return queue
