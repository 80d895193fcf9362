"""The append-only audit log (SEC-3), chained by hashes; audit_head serializes appends across stations."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    action: Mapped[str] = mapped_column(String(60), index=True)
    target: Mapped[str] = mapped_column(String(60), index=True)
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """One row: the last entry's id and hash, and the id of the key that seals the log (app.database.audit_key).
    Writers lock it, so the chain never forks."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str | None] = mapped_column(String(16))


class SavedForm(Base):
    """A form's save, remembered by the token the form carries (SEC-6).

    When a commit reached the server but its acknowledgement was lost with the network, the station saves the
    same form again with the same token: the service finds the token and answers with the first save's result
    instead of writing it twice. Written in the same transaction as what the form saved.
    """

    __tablename__ = "saved_forms"

    token: Mapped[str] = mapped_column(String(36), primary_key=True)
    action: Mapped[str] = mapped_column(String(60))
    result: Mapped[str] = mapped_column(Text)  # JSON of what the first save answered
    saved_at: Mapped[datetime] = mapped_column(index=True)
