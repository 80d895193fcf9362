"""Customers, their visits, calls, follow-ups, ownership decisions and registration revisions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), index=True)  # searched by name (VIS-1)
    phone: Mapped[str | None] = mapped_column(String(16))
    # Last four digits in their own indexed column: the desk asks for "the one ending 5678" all day.
    phone_tail: Mapped[str | None] = mapped_column(String(4), index=True)
    contact_declined: Mapped[bool] = mapped_column(default=False)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    owned_since: Mapped[datetime | None]
    # Ownership runs from the last contact by the owner (REC-8); follow-ups are due from it (REC-9).
    last_contact_at: Mapped[datetime | None] = mapped_column(index=True)  # lapsing soon (VIS-4)
    next_follow_up_at: Mapped[datetime | None] = mapped_column(index=True)
    has_visited: Mapped[bool] = mapped_column(default=False)
    visit_count: Mapped[int] = mapped_column(default=0)
    last_visit_at: Mapped[datetime | None]
    family_of_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    relation: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime]

    __table_args__ = (Index("uq_customers_phone", "phone", unique=True),)


class Visit(Base):
    __tablename__ = "visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    # The name as given at this visit: a later visit or a correction never rewrites it (REC-2).
    name: Mapped[str] = mapped_column(String(40), index=True)  # searched by name (VIS-1)
    consultant_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))  # indexed with arrived_at below
    # Set when a colleague receives the customer while their owner is away (REC-5).
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    party_size: Mapped[int]
    channel: Mapped[str] = mapped_column(String(20))
    intent: Mapped[str] = mapped_column(String(200), default="")
    is_return: Mapped[bool] = mapped_column(default=False)
    arrived_at: Mapped[datetime] = mapped_column(index=True)
    left_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(Text, default="")
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    revision: Mapped[int] = mapped_column(default=1)
    # Columns of an imported register that have no place here, as a JSON object {header: text} (VIS-6).
    extra: Mapped[str] = mapped_column(Text, default="", server_default="")

    # One consultant's visits, newest first, straight from the index (VIS-1).
    __table_args__ = (Index("ix_visits_consultant_arrived", "consultant_id", "arrived_at"),)


class VisitRevision(Base):
    """An old version of a registration: never overwritten, only superseded (REC-2)."""

    __tablename__ = "visit_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id"), index=True)
    revision: Mapped[int]
    values: Mapped[str] = mapped_column(Text)  # JSON of the registration as it was
    changed_at: Mapped[datetime]
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    reason: Mapped[str] = mapped_column(String(200))


class Call(Base):
    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    consultant_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))  # indexed with received_at below
    channel: Mapped[str] = mapped_column(String(20))
    questions: Mapped[str] = mapped_column(Text, default="")
    intent: Mapped[str] = mapped_column(String(200), default="")
    appointment_at: Mapped[datetime | None]
    received_at: Mapped[datetime] = mapped_column(index=True)
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    extra: Mapped[str] = mapped_column(Text, default="", server_default="")  # as Visit.extra

    __table_args__ = (Index("ix_calls_consultant_received", "consultant_id", "received_at"),)


class FollowUp(Base):
    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    consultant_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime]
    method: Mapped[str] = mapped_column(String(20))
    content: Mapped[str] = mapped_column(Text)


class OwnershipDecision(Base):
    """Every 判客 with its reason (REC-7, REC-8)."""

    __tablename__ = "ownership_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    previous_owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    reason: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
