"""The visitor logs (来访记录): search every visit and call, page through the result, count it (VIS-1).

Each search is one indexed query, portable to PostgreSQL (no SQLite-only functions):
- full phone: `customers.phone = ?` (unique index); phone prefix: the range `phone >= '138' AND phone < '139'`;
  last four digits: `customers.phone_tail = ?` (indexed); name prefix: the range on `visits.name` /
  `customers.name` (indexed, migration 0002); the result is ordered by `arrived_at DESC, id DESC`, which the
  arrival index gives without sorting. Visits and calls are two arms of one UNION ALL, merged in time order.
  Sorting by consultant walks the (consultant, time) indexes (migration 0003); by name, the name indexes.
- Paging is LIMIT/OFFSET on that indexed order: a person scrolls a few thousand rows at most, and each page
  stays a short index walk. Each arm takes its own top rows before the two are merged (see _statement).
- The count is its own operation, asked right after the first page: it stops at COUNT_CAP + 1 rows per arm
  (a bounded index walk, never a count of a million rows) and the window then says "10,000+".
- Reads go through a read-only connection (UnitOfWork.reading: no Session, never waiting for a writer) and
  come back as Core rows (no ORM work per row).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import (Boolean, Integer, Select, String, and_, bindparam, cast, func, literal_column, null, select,
                        union_all)

from app import clock, phone as phones
from app.errors import ValidationError
from app.i18n import _
from app.models.staff import Staff
from app.models.visitors import Call, Customer, Visit
from app.permissions import Actor, Perm, require
from app.uow import UnitOfWork

COUNT_CAP = 10_000
PAGE = 100
SORTS = ("time", "name", "consultant")
KINDS = ("visit", "call")
_DIGITS = re.compile(r"[\s\-()（）.+]")


@dataclass(frozen=True)
class LogQuery:
    """What the person searches for; every field is optional (VIS-1).

    `phone`: a whole number, its first digits, or exactly four digits (the last four).
    `name`: the beginning of the name given at the visit (or of the caller's name).
    `since`/`until`: office days, both included. `is_return`: first (False) or return (True) visits only.
    """

    phone: str = ""
    name: str = ""
    consultant_id: int | None = None
    channel: str | None = None
    kind: str | None = None  # "visit", "call" or None for both
    is_return: bool | None = None
    since: date | None = None
    until: date | None = None
    sort: str = "time"


@dataclass(frozen=True)
class LogRow:
    kind: str  # "visit" or "call"
    id: int
    at: datetime
    name: str
    phone: str  # shown form: masked unless the actor may see customers' details (VIS-7)
    consultant: str
    party_size: int | None  # None for a call
    channel: str
    intent: str
    is_return: bool | None  # None for a call
    customer_id: int
    note: str  # the visit's note, or the caller's questions


@dataclass(frozen=True)
class LogPage:
    rows: list[LogRow]
    offset: int


def prefix_range(prefix: str) -> tuple[str, str]:
    """Bounds of every string starting with `prefix`: '138' -> ('138', '139'). Indexed on both databases."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


def phone_filter(text: str):  # type: ignore[no-untyped-def]
    """The condition on customers for what was typed: four digits are the last four, else a prefix or a whole phone."""
    digits = _DIGITS.sub("", text)
    if text.strip().startswith("+86") or text.strip().startswith("0086"):
        digits = phones.normalize(text)
    if not digits.isdigit():
        raise ValidationError(_("Search a phone by its digits: the whole number, its first digits or its last four."),
                              field="phone")
    if len(digits) == 4:
        return Customer.phone_tail == digits
    if len(digits) >= 11:
        return Customer.phone == phones.normalize(digits)
    low, high = prefix_range(digits)
    return and_(Customer.phone >= low, Customer.phone < high)


def _check(q: LogQuery) -> None:
    if q.sort not in SORTS:
        raise ValidationError(_("Sort by time, name or consultant."), field="sort")
    if q.kind is not None and q.kind not in KINDS:
        raise ValidationError(_("Search visits, calls or both."), field="kind")
    if q.since and q.until and q.since > q.until:
        raise ValidationError(_("The first day comes after the last day."), field="since")


def _arms(q: LogQuery, *, columns: bool = True) -> list[Select]:
    """One SELECT for visits and one for calls, each with the filters that apply to it."""
    arms = []
    consultant = Staff.name.label("consultant")
    if q.kind in (None, "visit"):
        arm = (select(cast(literal_column("'visit'"), String).label("kind"), Visit.id.label("id"), Visit.arrived_at.label("at"),
                      Visit.name.label("name"), Customer.phone.label("phone"), consultant,
                      Visit.party_size.label("party_size"), Visit.channel.label("channel"),
                      Visit.intent.label("intent"),
                      Visit.is_return.label("is_return"), Visit.customer_id.label("customer_id"),
                      Visit.note.label("note"), Visit.consultant_id.label("consultant_id"))
               if columns else select(Visit.id))
        arm = arm.select_from(Visit)
        if columns or q.phone.strip():
            arm = arm.join(Customer, Customer.id == Visit.customer_id)
        if columns:
            arm = arm.outerjoin(Staff, Staff.id == Visit.consultant_id)
        arms.append(_where(arm, q, Visit.arrived_at, Visit.name, Visit.consultant_id, Visit.channel)
                    .where(*([Visit.is_return == q.is_return] if q.is_return is not None else [])))
    if q.kind in (None, "call") and q.is_return is None:
        arm = (select(cast(literal_column("'call'"), String).label("kind"), Call.id.label("id"), Call.received_at.label("at"),
                      Customer.name.label("name"), Customer.phone.label("phone"), consultant,
                      cast(null(), Integer).label("party_size"), Call.channel.label("channel"),
                      Call.intent.label("intent"), cast(null(), Boolean).label("is_return"),
                      Call.customer_id.label("customer_id"), Call.questions.label("note"),
                      Call.consultant_id.label("consultant_id"))
               if columns else select(Call.id))
        arm = arm.select_from(Call)
        if columns or q.phone.strip() or q.name.strip():
            arm = arm.join(Customer, Customer.id == Call.customer_id)
        if columns:
            arm = arm.outerjoin(Staff, Staff.id == Call.consultant_id)
        arms.append(_where(arm, q, Call.received_at, Customer.name, Call.consultant_id, Call.channel))
    return arms


def _where(arm: Select, q: LogQuery, at, name, consultant_id, channel) -> Select:  # type: ignore[no-untyped-def]
    if q.phone.strip():
        arm = arm.where(phone_filter(q.phone))
    if q.name.strip():
        low, high = prefix_range(q.name.strip())
        arm = arm.where(name >= low, name < high)
    if q.consultant_id is not None:
        arm = arm.where(consultant_id == q.consultant_id)
    if q.channel:
        arm = arm.where(channel == q.channel)
    if q.since is not None:
        arm = arm.where(at >= clock.day_bounds(q.since)[0])
    if q.until is not None:
        arm = arm.where(at < clock.day_bounds(q.until)[1])
    return arm


def _order(q: LogQuery, cols) -> list:  # type: ignore[no-untyped-def]
    newest = [cols.at.desc(), cols.id.desc()]
    if q.sort == "name":
        return [cols.name, *newest]
    if q.sort == "consultant":
        # Grouped by consultant (the newest account first), each newest first: a backward walk of the
        # (consultant, time) index, where ordering by the consultant's name would sort the whole register.
        return [cols.consultant_id.desc(), *newest]
    return newest


def search(actor: Actor, uow: UnitOfWork, query: LogQuery, *, offset: int = 0, limit: int = PAGE) -> LogPage:
    """A page of the visits and calls that match, newest first (or by name or consultant)."""
    require(actor, Perm.SEARCH_VISITOR_LOGS)
    stmt = _statement(query)
    if stmt is None:
        return LogPage([], offset)
    with uow.reading() as conn:  # never waits for another station's write
        rows = conn.execute(stmt.offset(offset).limit(limit), {"arm_rows": offset + limit}).all()
    shown = phones.display if actor.can(Perm.VIEW_CUSTOMERS) else phones.mask
    return LogPage([LogRow(kind, id_, at, name, shown(phone), consultant or "", party, channel, intent,
                           None if is_return is None else bool(is_return), customer_id, note)
                    for kind, id_, at, name, phone, consultant, party, channel, intent, is_return, customer_id, note,
                    _consultant_id in rows], offset)


def statement(query: LogQuery) -> Select | None:
    """The whole ordered result as one statement (for the export), after the same checks as a search."""
    return _statement(query, paged=False)


@lru_cache(maxsize=64)
def _statement(query: LogQuery, paged: bool = True) -> Select | None:
    """The ordered statement for a query; kept, so paging through one result does not rebuild it.

    Paged, with visits and calls both, each arm first takes its own top `arm_rows` (offset + limit) rows in
    the result's order, straight from its index, and only those are merged: PostgreSQL would otherwise join
    and sort every row of both tables for the first page (it plans a UNION's ORDER BY after the UNION).
    """
    _check(query)
    arms = _arms(query)
    if not arms:
        return None
    if len(arms) == 1:
        return arms[0].order_by(*_order(query, arms[0].selected_columns))
    if paged:
        rows = bindparam("arm_rows", type_=Integer)
        arms = [select(arm.order_by(*_order(query, arm.selected_columns)).limit(rows).subquery()) for arm in arms]
    log = union_all(*arms).subquery("log")
    return select(log).order_by(*_order(query, log.c))


def count(actor: Actor, uow: UnitOfWork, query: LogQuery) -> int:
    """How many visits and calls match, counted up to COUNT_CAP + 1: a bounded index walk, never a million rows."""
    require(actor, Perm.SEARCH_VISITOR_LOGS)
    _check(query)
    total = 0
    with uow.reading() as conn:
        for arm in _arms(query, columns=False):
            total += conn.execute(select(func.count()).select_from(arm.limit(COUNT_CAP + 1).subquery())).scalar_one()
    return min(total, COUNT_CAP + 1)


def count_label(n: int) -> str:
    """"1,234" or "10,000+": what the window shows above the list."""
    return f"{COUNT_CAP:,}+" if n > COUNT_CAP else f"{n:,}"


