"""Water bar: tables and VIP rooms, the parties seated there and what they were served (REC-11)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class BarTable(Base):
    __tablename__ = "bar_tables"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20), unique=True)
    is_vip_room: Mapped[bool] = mapped_column(default=False)
    seats: Mapped[int] = mapped_column(default=4)


class BarSeating(Base):
    __tablename__ = "bar_seatings"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("bar_tables.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"))
    party: Mapped[str] = mapped_column(String(60))
    party_size: Mapped[int]
    seated_at: Mapped[datetime]
    last_refill_at: Mapped[datetime]
    left_at: Mapped[datetime | None] = mapped_column(index=True)
    seated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class BarServing(Base):
    __tablename__ = "bar_servings"

    id: Mapped[int] = mapped_column(primary_key=True)
    seating_id: Mapped[int] = mapped_column(ForeignKey("bar_seatings.id"), index=True)
    item: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int]
    is_refill: Mapped[bool] = mapped_column(default=False)
    at: Mapped[datetime]
    served_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
