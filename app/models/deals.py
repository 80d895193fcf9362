"""Deposits (认购) and contracts (签约): the end of the funnel visit → deposit → contract (VIS-3); unit holds (VIS-8)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Deal(Base):
    """One step of a sale: a deposit on a unit, or the contract for it."""

    __tablename__ = "deals"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "deposit" or "contract"
    unit: Mapped[str] = mapped_column(String(40), index=True)  # e.g. 3-1-1502
    amount_yuan: Mapped[int]
    # Who sold it, and the channel the customer came by (their first visit), kept for the funnel by channel.
    consultant_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime]


class UnitHold(Base):
    """Unit control (销控, VIS-8): a consultant asks to hold a unit for a customer; the manager confirms it is free.

    status: "requested" → "confirmed" or "declined"; a confirmed hold ends "released" (the customer withdrew) or
    stays confirmed under the deposit and the contract. At most one confirmed hold per unit, enforced by the
    database itself, so two stations confirming the same unit at once cannot both succeed.
    """

    __tablename__ = "unit_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit: Mapped[str] = mapped_column(String(40), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    requested_at: Mapped[datetime]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("uq_unit_holds_confirmed_unit", "unit", unique=True,
                            sqlite_where=text("status = 'confirmed'"),
                            postgresql_where=text("status = 'confirmed'")),)
