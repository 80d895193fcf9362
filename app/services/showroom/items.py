"""The model apartments and their item lists (物品清单, SHW-1): every change kept as a version with who, when and
why, so that the list of any day can be read back as it was."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select

from app import clock, validation
from app.errors import Conflict, NotFound, ValidationError
from app.i18n import N_, _
from app.models.showroom import Apartment, ItemVersion, ShowroomItem
from app.permissions import Actor, Perm, require
from app.database.uow import UnitOfWork
from app.services import accounts

# Held by the showroom's writes that look before they write (a name, an item's newest version, a check, a template's
# newest version): on PostgreSQL two stations would otherwise both look before either writes.
LOCK = "showroom"
MAX_APARTMENT, MAX_ROOM, MAX_ITEM, MAX_SPEC, MAX_UNIT, MAX_LOCATION, MAX_NOTE = 40, 20, 60, 80, 10, 60, 1000


@dataclass(frozen=True)
class ApartmentRow:
    id: int
    name: str


@dataclass(frozen=True)
class ItemDraft:
    """An item as typed in the form or read from an office's list: checked by `checked`."""

    room: str
    name: str
    quantity: object
    spec: str = ""
    unit: str = ""
    location: str = ""
    price: object = ""  # yuan, as people write it
    note: str = ""


@dataclass(frozen=True)
class ItemRow:
    id: int
    room: str
    name: str
    spec: str
    quantity: int
    unit: str
    location: str
    price_fen: int
    note: str
    version: int


@dataclass(frozen=True)
class ItemChange:
    """One version of an item: what it said from `valid_from` on, who made it and why."""

    version: int
    valid_from: datetime
    quantity: int
    removed: bool
    by: str
    reason: str
    row: ItemRow


def add_apartment(actor: Actor, uow: UnitOfWork, *, name: str) -> ApartmentRow:
    require(actor, Perm.MANAGE_SHOWROOM)
    name = apartment_name(name)
    with uow:
        uow.one_at_a_time(LOCK)  # the name looked for, then written: never twice at once
        if uow.session.scalar(select(Apartment.id).where(Apartment.name == name)) is not None:
            raise Conflict(_("There is already a model apartment called %s.") % name, field="name")
        apartment = Apartment(name=name, active=True, created_at=clock.now())
        uow.session.add(apartment)
        uow.session.flush()
        uow.audit(actor.id, "showroom.apartment_add", f"apartment:{apartment.id}", after={"name": name})
        uow.commit()
        return ApartmentRow(apartment.id, name)


def apartment_name(name: str) -> str:
    """A model apartment's name as kept: spaces squeezed, at most MAX_APARTMENT characters."""
    return validation.text(name, MAX_APARTMENT, "name", _("Model apartment"), squeeze=True,
                           missing=N_("Name the model apartment, e.g. A户型 三房两厅."))


def apartments(uow: UnitOfWork) -> list[ApartmentRow]:
    with uow.reading() as conn:
        return [ApartmentRow(*row) for row in conn.execute(
            select(Apartment.id, Apartment.name).where(Apartment.active.is_(True)).order_by(Apartment.name))]


def checked(draft: ItemDraft) -> dict[str, object]:
    """The item's fields as kept, each checked with the field named."""
    return {
        "room": validation.text(draft.room, MAX_ROOM, "room", _("Room"), squeeze=True,
                                missing=N_("Say which room the item is in, e.g. 客厅.")),
        "name": validation.text(draft.name, MAX_ITEM, "name", _("Item"), squeeze=True,
                                missing=N_("Name the item.")),
        "spec": validation.text(draft.spec, MAX_SPEC, "spec", _("Brand and model"), squeeze=True),
        "quantity": validation.count(draft.quantity, "quantity", _("Quantity")),
        "unit": validation.text(draft.unit, MAX_UNIT, "unit", _("Unit"), squeeze=True),
        "location": validation.text(draft.location, MAX_LOCATION, "location", _("Location"), squeeze=True),
        "price_fen": validation.money_fen(draft.price, "price", _("Listed price")),
        "note": validation.text(draft.note, MAX_NOTE, "note", _("Note")),
    }


def add_item(actor: Actor, uow: UnitOfWork, *, apartment_id: int, draft: ItemDraft, reason: str = "") -> ItemRow:
    """Put an item on an apartment's list (its first version)."""
    require(actor, Perm.MANAGE_SHOWROOM)
    fields = checked(draft)
    reason = validation.text(reason, validation.MAX_REASON, "reason", _("Reason"))
    with uow:
        if uow.session.get(Apartment, apartment_id) is None:
            raise NotFound(_("No such model apartment."))
        now = clock.now()
        item = ShowroomItem(apartment_id=apartment_id, created_at=now)
        uow.session.add(item)
        uow.session.flush()
        version = new_version(uow, item.id, 1, now, actor, reason, fields)
        uow.audit(actor.id, "showroom.item_add", f"item:{item.id}", after={**fields, "reason": reason})
        uow.commit()
        return _row(version)


def change_item(actor: Actor, uow: UnitOfWork, *, item_id: int, draft: ItemDraft, reason: str) -> ItemRow:
    """A new version of an item (moved, recounted, repriced), with why; the old one stays for the days it held."""
    require(actor, Perm.MANAGE_SHOWROOM)
    fields = checked(draft)
    reason = validation.reason(reason)
    with uow:
        uow.one_at_a_time(LOCK)  # the newest version read, then the next written
        current = _current(uow, item_id)
        before = {k: getattr(current, k) for k in fields}
        if before == fields:
            raise ValidationError(_("Nothing was changed."))
        version = new_version(uow, item_id, current.version + 1, clock.now(), actor, reason, fields)
        uow.audit(actor.id, "showroom.item_change", f"item:{item_id}", before=before,
                  after={**fields, "reason": reason})
        uow.commit()
        return _row(version)


def remove_item(actor: Actor, uow: UnitOfWork, *, item_id: int, reason: str) -> None:
    """Take an item off the list (broken beyond repair, moved to another apartment), with why."""
    require(actor, Perm.MANAGE_SHOWROOM)
    reason = validation.reason(reason)
    with uow:
        uow.one_at_a_time(LOCK)
        current = _current(uow, item_id)
        fields = {k: getattr(current, k) for k in ("room", "name", "spec", "unit", "location", "price_fen", "note")}
        new_version(uow, item_id, current.version + 1, clock.now(), actor, reason, {**fields, "quantity": 0},
                    removed=True)
        uow.audit(actor.id, "showroom.item_remove", f"item:{item_id}", before={"quantity": current.quantity},
                  after={"reason": reason})
        uow.commit()


def follow_movement(uow: UnitOfWork, by: Actor, *, item_id: int, change: int, reason: str) -> ItemRow:
    """Inside the caller's transaction (holding LOCK; the caller checked `by`'s permission): the item's next version
    with `change` more or fewer, so the list follows an item let out or brought back (SHW-6). Fewer than there are
    is refused."""
    current = _current(uow, item_id)
    if current.quantity + change < 0:
        raise ValidationError(_("Only %(n)d of %(item)s are on the list.") % {"n": current.quantity,
                                                                             "item": current.name}, field="quantity")
    fields = {k: getattr(current, k) for k in ("room", "name", "spec", "unit", "location", "price_fen", "note")}
    version = new_version(uow, item_id, current.version + 1, clock.now(), by, reason,
                       {**fields, "quantity": current.quantity + change})
    return _row(version)


def item_list(uow: UnitOfWork, *, apartment_id: int, as_of: datetime | None = None) -> list[ItemRow]:
    """An apartment's list as it stood at `as_of` (now when None), by room and name."""
    with uow:
        return [_row(v) for v in uow.session.scalars(listed(apartment_id, as_of or clock.now()))]


def listed(apartment_id: int, at: datetime) -> Select[tuple[ItemVersion]]:
    """The versions in force at `at` of the items on an apartment's list, by room and name."""
    newest = (select(ItemVersion.item_id, func.max(ItemVersion.version).label("version"))
              .join(ShowroomItem, ShowroomItem.id == ItemVersion.item_id)
              .where(ShowroomItem.apartment_id == apartment_id, ItemVersion.valid_from <= at)
              .group_by(ItemVersion.item_id).subquery())
    return (select(ItemVersion).join(newest, (newest.c.item_id == ItemVersion.item_id)
                                     & (newest.c.version == ItemVersion.version))
            .where(ItemVersion.removed.is_(False)).order_by(ItemVersion.room, ItemVersion.name, ItemVersion.item_id))


def item_history(uow: UnitOfWork, *, item_id: int) -> list[ItemChange]:
    """Every version of an item, oldest first, with who made it and why."""
    with uow:
        names = accounts.staff_names(uow.session)
        versions = uow.session.scalars(select(ItemVersion).where(ItemVersion.item_id == item_id)
                                       .order_by(ItemVersion.version)).all()
        if not versions:
            raise NotFound(_("No such item."))
        return [ItemChange(v.version, v.valid_from, v.quantity, v.removed, names.get(v.changed_by_id or 0, ""),
                           v.reason, _row(v)) for v in versions]


def _current(uow: UnitOfWork, item_id: int) -> ItemVersion:
    current = uow.session.scalar(select(ItemVersion).where(ItemVersion.item_id == item_id)
                                 .order_by(ItemVersion.version.desc()).limit(1))
    if current is None:
        raise NotFound(_("No such item."))
    if current.removed:
        raise Conflict(_("This item was taken off the list."))
    return current


def new_version(uow: UnitOfWork, item_id: int, number: int, at: datetime, by: Actor | None, reason: str,
                fields: dict[str, object], *, removed: bool = False) -> ItemVersion:
    """An item's version `number`, written in the caller's transaction, which checked who may; `by` is None on the
    command line."""
    version = ItemVersion(item_id=item_id, version=number, valid_from=at, removed=removed,
                          changed_by_id=by.id if by else None, reason=reason, **fields)
    uow.session.add(version)
    uow.session.flush()
    return version


def _row(v: ItemVersion) -> ItemRow:
    return ItemRow(v.item_id, v.room, v.name, v.spec, v.quantity, v.unit, v.location, v.price_fen, v.note, v.version)
