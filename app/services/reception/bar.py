"""The water bar (REC-11): seat a party, serve, offer a refill every 20 minutes, clear the table."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app import clock
from app.errors import Conflict, NotFound, ValidationError
from app.i18n import N_, _
from app.models.bar import BarSeating, BarServing, BarTable
from app.models.visitors import Visit
from app.permissions import Actor, Perm, require
from app.services import settings
from app.services.reception.visits import check_party_size
from app.database.uow import UnitOfWork

MENU = {
    "tea": N_("Tea"),
    "coffee": N_("Coffee"),
    "water": N_("Water"),
    "juice": N_("Juice"),
    "fruit": N_("Fruit plate"),
    "pastry": N_("Pastry"),
}


@dataclass(frozen=True)
class TableState:
    table_id: int
    name: str
    is_vip_room: bool
    seating_id: int | None
    party: str
    party_size: int
    seated_at: datetime | None
    refill_due_at: datetime | None
    served: tuple[str, ...]

    @property
    def free(self) -> bool:
        return self.seating_id is None

    def refill_due(self, now: datetime) -> bool:
        return self.refill_due_at is not None and now >= self.refill_due_at


def tables(actor: Actor, uow: UnitOfWork) -> list[TableState]:
    """Every table and VIP room with the party seated there and when their refill is due."""
    require(actor, Perm.WATER_BAR)
    with uow:
        s = uow.session
        interval = timedelta(minutes=settings.load(s).refill_minutes)
        seated = {st.table_id: st for st in s.scalars(select(BarSeating).where(BarSeating.left_at.is_(None)))}
        served: dict[int, list[str]] = {}
        if seated:
            for sv in s.scalars(select(BarServing).where(BarServing.seating_id.in_([st.id for st in seated.values()]))
                                .order_by(BarServing.id)):
                served.setdefault(sv.seating_id, []).append(f"{_(MENU.get(sv.item, sv.item))}×{sv.quantity}")
        out = []
        for t in s.scalars(select(BarTable).order_by(BarTable.is_vip_room, BarTable.id)):
            st = seated.get(t.id)
            out.append(TableState(t.id, t.name, t.is_vip_room, st.id if st else None, st.party if st else "",
                                  st.party_size if st else 0, st.seated_at if st else None,
                                  st.last_refill_at + interval if st else None,
                                  tuple(served.get(st.id, [])) if st else ()))
        return out


def seat(actor: Actor, uow: UnitOfWork, *, table_id: int, party: str, party_size: int,
         visit_id: int | None = None, token: str | None = None) -> None:
    """Seat a party; the dialog's `token` makes a retried save (the network came back) a no-op (SEC-6)."""
    require(actor, Perm.WATER_BAR)
    party = " ".join(party.split())
    if not party:
        raise ValidationError(_("Say who is seated (a name or the consultant's guests)."), field="party")
    if len(party) > 60:
        raise ValidationError(_("Keep the party's name under 60 characters."), field="party")
    size = check_party_size(party_size)
    uow.once(token, "bar.seat", None, lambda: _seat(actor, uow, table_id, party, size, visit_id),
             request=(table_id, party, size, visit_id))


def _seat(actor: Actor, uow: UnitOfWork, table_id: int, party: str, size: int, visit_id: int | None) -> None:
    with uow:
        s = uow.session
        table = s.get(BarTable, table_id)
        if table is None:
            raise NotFound(_("No such table."))
        if visit_id is not None and s.get(Visit, visit_id) is None:
            raise NotFound(_("No such visit."))
        if s.scalar(select(BarSeating.id).where(BarSeating.table_id == table_id, BarSeating.left_at.is_(None))):
            raise Conflict(_("%s is taken; clear it first.") % table.name)
        now = clock.now()
        seating = BarSeating(table_id=table_id, visit_id=visit_id, party=party, party_size=size, seated_at=now,
                             last_refill_at=now, seated_by_id=actor.id)
        s.add(seating)
        s.flush()
        uow.audit(actor.id, "bar.seat", f"table:{table.id}", after={"party": party, "party_size": size})
        uow.commit()


def _open_seating(s, table_id: int) -> BarSeating:  # type: ignore[no-untyped-def]
    seating = s.scalar(select(BarSeating).where(BarSeating.table_id == table_id, BarSeating.left_at.is_(None)))
    if seating is None:
        raise Conflict(_("Nobody is seated at this table."))
    return seating


def _check_quantity(value: object) -> int:
    try:
        quantity = int(str(value).strip())
    except ValueError:
        quantity = 0
    if not 1 <= quantity <= 50:
        raise ValidationError(_("Quantity must be between 1 and 50."), field="quantity")
    return quantity


def serve(actor: Actor, uow: UnitOfWork, *, table_id: int, item: str, quantity: int = 1,
          refill: bool = False, token: str | None = None) -> None:
    """Record what was served; a refill restarts the table's 20-minute reminder. The dialog's `token` makes a
    retried save (the network came back) a no-op (SEC-6)."""
    require(actor, Perm.WATER_BAR)
    if item not in MENU:
        raise ValidationError(_("Choose something from the menu."), field="item")
    quantity = _check_quantity(quantity)
    uow.once(token, "bar.serve", None, lambda: _serve(actor, uow, table_id, item, quantity, refill),
             request=(table_id, item, quantity, refill))


def _serve(actor: Actor, uow: UnitOfWork, table_id: int, item: str, quantity: int, refill: bool) -> None:
    with uow:
        s = uow.session
        seating = _open_seating(s, table_id)
        now = clock.now()
        s.add(BarServing(seating_id=seating.id, item=item, quantity=quantity, is_refill=refill, at=now,
                         served_by_id=actor.id))
        if refill:
            seating.last_refill_at = now
        uow.audit(actor.id, "bar.serve", f"table:{table_id}", after={"item": item, "quantity": quantity,
                                                                      "refill": refill})
        uow.commit()


def clear(actor: Actor, uow: UnitOfWork, *, table_id: int) -> None:
    """The party left: the table is cleared and reset (REC-11)."""
    require(actor, Perm.WATER_BAR)
    with uow:
        seating = _open_seating(uow.session, table_id)
        seating.left_at = clock.now()
        uow.audit(actor.id, "bar.clear", f"table:{table_id}", after={"seating_id": seating.id})
        uow.commit()


def add_table(actor: Actor, uow: UnitOfWork, *, name: str, is_vip_room: bool = False, seats: int = 4) -> int:
    require(actor, Perm.CHANGE_SETTINGS)
    name = name.strip()
    if not name or len(name) > 20:
        raise ValidationError(_("A table name has 1 to 20 characters."), field="name")
    with uow:
        if uow.session.scalar(select(BarTable.id).where(BarTable.name == name)):
            raise Conflict(_("There is already a table called %s.") % name)
        table = BarTable(name=name, is_vip_room=is_vip_room, seats=seats)
        uow.session.add(table)
        uow.session.flush()
        uow.audit(actor.id, "bar.add_table", f"table:{table.id}", after={"name": name, "vip": is_vip_room})
        uow.commit()
        return table.id
