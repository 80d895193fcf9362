"""The day's rotation (轮位) as a log of events; the queue is what replaying them gives (REC-4..6)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class RotationDay(Base):
    """One row a day; writers lock it so two stations pressing "next" are served one after the other."""

    __tablename__ = "rotation_days"

    day: Mapped[date] = mapped_column(primary_key=True)
    events: Mapped[int] = mapped_column(default=0)


class RotationEvent(Base):
    __tablename__ = "rotation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(ForeignKey("rotation_days.day"), index=True)
    seq: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    consultant_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id"))
    reason: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
