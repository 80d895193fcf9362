"""Showroom upkeep (样板房管理): the model apartments, their item lists kept as versions (SHW-1), the check
templates kept as versions, and the checks of each day (SHW-2, SHW-3, SHW-9)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Apartment(Base):
    """A furnished model apartment (样板房), e.g. "A户型 三房两厅"."""

    __tablename__ = "apartments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]


class ShowroomItem(Base):
    """One line of an apartment's item list (物品清单); what it says lives in its versions, the newest in force."""

    __tablename__ = "showroom_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    apartment_id: Mapped[int] = mapped_column(ForeignKey("apartments.id"), index=True)
    created_at: Mapped[datetime]


class ItemVersion(Base):
    """An item as it was from `valid_from` until its next version: who changed it, when and why (SHW-1). A version
    with `quantity` 0 and `removed` set takes the item off the list; the list of any day is read back from these."""

    __tablename__ = "showroom_item_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("showroom_items.id"))
    version: Mapped[int]
    valid_from: Mapped[datetime]
    room: Mapped[str] = mapped_column(String(20))        # 客厅, 主卧, 厨房 …
    name: Mapped[str] = mapped_column(String(60))
    spec: Mapped[str] = mapped_column(String(80), default="")  # brand, model, size
    quantity: Mapped[int]
    unit: Mapped[str] = mapped_column(String(10), default="")  # 件, 套, 个 …
    location: Mapped[str] = mapped_column(String(60), default="")  # where in the room
    price_fen: Mapped[int] = mapped_column(default=0)  # the listed price a damage is settled at, in fen
    note: Mapped[str] = mapped_column(Text, default="")
    removed: Mapped[bool] = mapped_column(default=False)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    reason: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (UniqueConstraint("item_id", "version"), Index("ix_showroom_item_versions_valid",
                                                                    "item_id", "valid_from"))


class TemplateVersion(Base):
    """The points of one kind of check from `valid_from` on (SHW-2), as the supervisor saved them."""

    __tablename__ = "check_template_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    version: Mapped[int]
    valid_from: Mapped[datetime]
    points: Mapped[str] = mapped_column(Text)  # JSON list of the points' texts
    count_items: Mapped[bool]
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    reason: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (UniqueConstraint("kind", "version"),)


class ShowroomCheck(Base):
    """A check done: which apartment, which day and slot (inspection-2, patrol-5), when it was done (on the floor,
    perhaps written on paper) and when and by whom it was entered, against which template version; the answers,
    the counts and the signature (strokes) as JSON."""

    __tablename__ = "showroom_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    apartment_id: Mapped[int] = mapped_column(ForeignKey("apartments.id"))
    day: Mapped[date] = mapped_column(Date)
    slot: Mapped[str] = mapped_column(String(16))
    template_id: Mapped[int] = mapped_column(ForeignKey("check_template_versions.id"))
    done_at: Mapped[datetime]
    done_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    entered_at: Mapped[datetime]
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    answers: Mapped[str] = mapped_column(Text)    # JSON: [{"point": …, "answer": "ok"|"problem"|"na", "note": …}]
    counts: Mapped[str] = mapped_column(Text, default="")  # JSON: {item id: counted}, for a counting check
    signature: Mapped[str] = mapped_column(Text)  # JSON strokes, normalised to 0-1
    problems: Mapped[int] = mapped_column(default=0)  # points answered "problem" and items short: for the lists

    __table_args__ = (UniqueConstraint("apartment_id", "day", "slot"),
                      Index("ix_showroom_checks_day", "day", "apartment_id"))


class Incident(Base):
    """An item missing or damaged, or anything else that happened in an apartment (突发事件, SHW-4): the visitor,
    the item at its listed price, the settlement proposed and approved by customer service and by marketing, and
    the visitor's signature (strokes on screen, or a staff member's word that it was signed on the printed form).
    Numbered 1, 2, 3 … by `id`."""

    __tablename__ = "showroom_incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    apartment_id: Mapped[int] = mapped_column(ForeignKey("apartments.id"), index=True)
    check_id: Mapped[int | None] = mapped_column(ForeignKey("showroom_checks.id"))
    kind: Mapped[str] = mapped_column(String(10))  # missing, damaged, other
    item_id: Mapped[int | None] = mapped_column(ForeignKey("showroom_items.id"))
    item_name: Mapped[str] = mapped_column(String(60), default="")  # as listed when it happened
    quantity: Mapped[int] = mapped_column(default=0)
    price_fen: Mapped[int] = mapped_column(default=0)  # the listed price of one, when it happened
    what: Mapped[str] = mapped_column(Text)
    happened_at: Mapped[datetime]
    visitor_name: Mapped[str] = mapped_column(String(40), default="")
    visitor_phone: Mapped[str | None] = mapped_column(String(20))
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    settlement: Mapped[str] = mapped_column(String(10), default="")  # "", listed, agreed, waived
    amount_fen: Mapped[int] = mapped_column(default=0)
    settlement_note: Mapped[str] = mapped_column(String(200), default="")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    service_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))  # customer service's approval
    service_at: Mapped[datetime | None]
    marketing_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))  # marketing's approval
    marketing_at: Mapped[datetime | None]
    signature: Mapped[str] = mapped_column(Text, default="")  # the visitor's strokes
    signed_at: Mapped[datetime | None]
    signed_on_paper_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    revision: Mapped[int] = mapped_column(default=1)  # a step taken on a page shown earlier is refused


class WorkOrder(Base):
    """Maintenance in a model apartment (维修单, SHW-5): asked for, approved by the engineering lead (or refused),
    the entry recorded (when, who, what was brought in), the completion checked by the attendant."""

    __tablename__ = "work_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    apartment_id: Mapped[int] = mapped_column(ForeignKey("apartments.id"), index=True)
    check_id: Mapped[int | None] = mapped_column(ForeignKey("showroom_checks.id"))
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("showroom_incidents.id"))
    what: Mapped[str] = mapped_column(Text)
    planned_at: Mapped[datetime]  # when the workers are to enter
    urgent: Mapped[bool] = mapped_column(default=False)
    urgent_reason: Mapped[str] = mapped_column(String(200), default="")
    requested_at: Mapped[datetime]
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    decision: Mapped[str] = mapped_column(String(10), default="")  # "", approved, refused
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decision_note: Mapped[str] = mapped_column(String(200), default="")
    entered_at: Mapped[datetime | None]
    workers: Mapped[str] = mapped_column(String(200), default="")
    materials: Mapped[str] = mapped_column(String(400), default="")
    entry_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    completed_at: Mapped[datetime | None]
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    completion_ok: Mapped[bool | None]
    completion_note: Mapped[str] = mapped_column(String(200), default="")
    revision: Mapped[int] = mapped_column(default=1)


class ReleaseSlip(Base):
    """A release slip (放行条, SHW-6): what may leave an apartment and why, approved by customer service; its QR
    is scanned at the door, where the items are let out and the item list follows."""

    __tablename__ = "release_slips"

    id: Mapped[int] = mapped_column(primary_key=True)
    apartment_id: Mapped[int] = mapped_column(ForeignKey("apartments.id"), index=True)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))
    purpose: Mapped[str] = mapped_column(String(200))
    carrier: Mapped[str] = mapped_column(String(40))  # who carries the items out
    requested_at: Mapped[datetime]
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    decision: Mapped[str] = mapped_column(String(10), default="")  # "", approved, refused
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decision_note: Mapped[str] = mapped_column(String(200), default="")
    released_at: Mapped[datetime | None]  # let out at the door
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    revision: Mapped[int] = mapped_column(default=1)


class ReleaseLine(Base):
    """An item and how many on a release slip."""

    __tablename__ = "release_slip_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    slip_id: Mapped[int] = mapped_column(ForeignKey("release_slips.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("showroom_items.id"))
    item_name: Mapped[str] = mapped_column(String(60))
    quantity: Mapped[int]


class ItemMovement(Base):
    """An item in or out of an apartment, with time and quantity (SHW-6); out only on a released slip. The item
    list follows by a new version of the item naming the movement."""

    __tablename__ = "showroom_item_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("showroom_items.id"), index=True)
    direction: Mapped[str] = mapped_column(String(3))  # in, out
    quantity: Mapped[int]
    at: Mapped[datetime]
    slip_id: Mapped[int | None] = mapped_column(ForeignKey("release_slips.id"))
    note: Mapped[str] = mapped_column(String(200), default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))


class Handover(Base):
    """A shift handover (交接班, SHW-7): what was listed when it was made (the counts, open incidents, work orders
    and slips, overdue and missed checks, as JSON), the outgoing person's signature, and the incoming person's
    acknowledgement with theirs."""

    __tablename__ = "showroom_handovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    made_at: Mapped[datetime]
    outgoing_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    incoming_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    listed: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(String(400), default="")
    outgoing_signature: Mapped[str] = mapped_column(Text)
    acknowledged_at: Mapped[datetime | None]
    incoming_signature: Mapped[str] = mapped_column(Text, default="")
