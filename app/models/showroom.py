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
