"""Deposits (认购) and contracts (签约): the end of the funnel visit → deposit → contract (VIS-3)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
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
