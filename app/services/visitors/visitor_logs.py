"""The visitor logs (来访记录): search every visit and call, page through the result, count it (VIS-1).

Each search is one indexed query, portable to PostgreSQL (no SQLite-only functions):
- full phone: `customers.phone = ?` (unique index); phone prefix: the range `phone >= '138' AND phone < '139'`;
  last four digits: `customers.phone_tail = ?` (indexed); name prefix: the range on `visits.name` /
  `customers.name` (indexed, migration 0002); the result is ordered by `arrived_at DESC, id DESC`, which the
  arrival index gives without sorting. Visits and calls are two arms of one UNION ALL, merged in time order.
  Sorting by consultant walks the (consultant, time) indexes (migration 0003); by name, the name indexes.
- Paging is LIMIT/OFFSET on that indexed order: a person scrolls a few thousand rows at most, and each page
  stays a short index walk. The two arms are merged in order as they are read (see _statement).
- The count is its own operation, asked right after the first page: it stops at COUNT_CAP + 1 rows per arm
  (a bounded index walk, never a count of a million rows) and the window then says "10,000+".
- A page's statement is compiled once per shape of query and run straight through the driver
  (UnitOfWork.rows: no Session, no ORM or Core work per row); the count runs through a read-only connection
  (UnitOfWork.reading, never waiting for a writer).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy import (Boolean, Integer, Select, String, bindparam, cast, func, literal_column, null, select,
                        type_coerce, union_all)

from app import clock, validation
from app import phone as phones
from app.errors import ValidationError
from app.i18n import _
from app.models.base import StoredUTC
from app.models.staff import Staff
from app.models.visitors import Call, Customer, Visit
from app.permissions import Actor, Perm, require
from app.database.uow import UnitOfWork
from app.domain.rate import SlidingWindow
from app.services import settings

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


class LogRow(NamedTuple):  # a tuple: a page of them is made in a blink (the window waits on it)
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


def _phone_terms(text: str) -> tuple[str, dict[str, object]]:
    """How the typed phone is searched and with what: four digits are the last four, else a prefix or a whole
    phone. ("tail", {"phone_tail": "5678"}), ("whole", {"phone": …}) or ("prefix", {"phone_low": …, …})."""
    digits = _DIGITS.sub("", validation.ascii_digits(text))
    if text.strip().startswith("+86") or text.strip().startswith("0086"):
        digits = phones.normalize(text)
    if not (digits.isascii() and digits.isdigit()):
        raise ValidationError(_("Search a phone by its digits: the whole number, its first digits or its last four."),
                              field="phone")
    if len(digits) == 4:
        return "tail", {"phone_tail": digits}
    if len(digits) >= 11:
        return "whole", {"phone": phones.normalize(digits)}
    low, high = prefix_range(digits)
    return "prefix", {"phone_low": low, "phone_high": high}


def _check(uow: UnitOfWork, q: LogQuery) -> None:
    """What a query may ask, checked before any use: the days it names inside the office's window of dates."""
    if q.sort not in SORTS:
        raise ValidationError(_("Sort by time, name or consultant."), field="sort")
    if q.kind is not None and q.kind not in KINDS:
        raise ValidationError(_("Search visits, calls or both."), field="kind")
    if q.since and q.until and q.since > q.until:
        raise ValidationError(_("The first day comes after the last day."), field="since")
    if q.since is not None or q.until is not None:
        with uow:
            window = settings.record_window(uow.session)
        for day, field, label in ((q.since, "since", _("The first day")), (q.until, "until", _("The last day"))):
            if day is not None:
                validation.record_day(day, window, field, label)


@dataclass(frozen=True)
class _Shape:
    """Which filters a query uses, without their values: the statements are built once per shape (a handful in
    use), with every value a named parameter, so that a search runs a statement compiled once."""

    phone: str | None  # "tail", "whole", "prefix" or None
    name: bool
    consultant: bool
    channel: bool
    kind: str | None
    is_return: bool  # only first or only return visits (the value is a parameter)
    since: bool
    until: bool
    sort: str


def _shape_and_values(q: LogQuery) -> tuple[_Shape, dict[str, object]]:
    """The query's shape and its parameters' values (the query checked by _check)."""
    values: dict[str, object] = {}
    phone = None
    if q.phone.strip():
        phone, terms = _phone_terms(q.phone)
        values.update(terms)
    if q.name.strip():
        values["name_low"], values["name_high"] = prefix_range(q.name.strip())
    if q.consultant_id is not None:
        values["consultant_id"] = q.consultant_id
    if q.channel:
        values["channel"] = q.channel
    if q.is_return is not None:
        values["is_return"] = q.is_return
    if q.since is not None:
        values["since"] = clock.day_bounds(q.since)[0]
    if q.until is not None:
        values["until"] = clock.day_bounds(q.until)[1]
    return _Shape(phone, bool(q.name.strip()), q.consultant_id is not None, bool(q.channel), q.kind,
                  q.is_return is not None, q.since is not None, q.until is not None, q.sort), values


def _arms(shape: _Shape, *, columns: bool = True) -> list[Select]:
    """One SELECT for visits and one for calls, each with the filters that apply to it."""
    arms = []
    consultant = func.coalesce(Staff.name, literal_column("''")).label("consultant")
    # The consultant's id is there for the order by consultant only (a UNION's ORDER BY names its columns).
    by_consultant = shape.sort == "consultant"
    if shape.kind in (None, "visit"):
        arm = (select(cast(literal_column("'visit'"), String).label("kind"), Visit.id.label("id"),
                      type_coerce(Visit.arrived_at, StoredUTC).label("at"), Visit.name.label("name"), Customer.phone.label("phone"),
                      consultant, Visit.party_size.label("party_size"), Visit.channel.label("channel"),
                      Visit.intent.label("intent"), Visit.is_return.label("is_return"),
                      Visit.customer_id.label("customer_id"), Visit.note.label("note"),
                      *([Visit.consultant_id.label("consultant_id")] if by_consultant else []))
               if columns else select(Visit.id))
        arm = arm.select_from(Visit)
        if columns or shape.phone:
            arm = arm.join(Customer, Customer.id == Visit.customer_id)
        if columns:
            arm = arm.outerjoin(Staff, Staff.id == Visit.consultant_id)
        arm = _where(arm, shape, Visit.arrived_at, Visit.name, Visit.consultant_id, Visit.channel)
        arms.append(arm.where(Visit.is_return == bindparam("is_return", type_=Boolean)) if shape.is_return else arm)
    if shape.kind in (None, "call") and not shape.is_return:
        arm = (select(cast(literal_column("'call'"), String).label("kind"), Call.id.label("id"),
                      type_coerce(Call.received_at, StoredUTC).label("at"), Customer.name.label("name"), Customer.phone.label("phone"),
                      consultant, cast(null(), Integer).label("party_size"), Call.channel.label("channel"),
                      Call.intent.label("intent"), cast(null(), Boolean).label("is_return"),
                      Call.customer_id.label("customer_id"), Call.questions.label("note"),
                      *([Call.consultant_id.label("consultant_id")] if by_consultant else []))
               if columns else select(Call.id))
        arm = arm.select_from(Call)
        if columns or shape.phone or shape.name:
            arm = arm.join(Customer, Customer.id == Call.customer_id)
        if columns:
            arm = arm.outerjoin(Staff, Staff.id == Call.consultant_id)
        arms.append(_where(arm, shape, Call.received_at, Customer.name, Call.consultant_id, Call.channel))
    return arms


def _where(arm: Select, shape: _Shape, at, name, consultant_id, channel) -> Select:  # type: ignore[no-untyped-def]
    if shape.phone == "tail":
        arm = arm.where(Customer.phone_tail == bindparam("phone_tail", type_=String))
    elif shape.phone == "whole":
        arm = arm.where(Customer.phone == bindparam("phone", type_=String))
    elif shape.phone == "prefix":
        arm = arm.where(Customer.phone >= bindparam("phone_low", type_=String),
                        Customer.phone < bindparam("phone_high", type_=String))
    if shape.name:
        arm = arm.where(name >= bindparam("name_low", type_=String), name < bindparam("name_high", type_=String))
    if shape.consultant:
        arm = arm.where(consultant_id == bindparam("consultant_id", type_=Integer))
    if shape.channel:
        arm = arm.where(channel == bindparam("channel", type_=String))
    if shape.since:
        arm = arm.where(at >= bindparam("since", type_=at.type))
    if shape.until:
        arm = arm.where(at < bindparam("until", type_=at.type))
    return arm


def _order(sort: str, cols) -> list:  # type: ignore[no-untyped-def]
    newest = [cols.at.desc(), cols.id.desc()]
    if sort == "name":
        return [cols.name, *newest]
    if sort == "consultant":
        # Grouped by consultant (the newest account first), each newest first: a backward walk of the
        # (consultant, time) index, where ordering by the consultant's name would sort the whole register.
        return [cols.consultant_id.desc(), *newest]
    return newest


def search(actor: Actor, uow: UnitOfWork, query: LogQuery, *, offset: int = 0, limit: int = PAGE) -> LogPage:
    """A page of the visits and calls that match, newest first (or by name or consultant).

    The page's statement is compiled once per shape of query and run straight through the driver
    (UnitOfWork.rows): the person waits on it while typing, and a Core execution alone would cost several
    times the query itself on a page of a few rows.
    """
    require(actor, Perm.SEARCH_VISITOR_LOGS)
    _check(uow, query)
    shape, values = _shape_and_values(query)
    if shape.phone is not None and not actor.can(Perm.VIEW_CUSTOMERS):
        _guard_masked_search(actor, shape.phone, counted=offset == 0)  # further pages of a search are free
    stmt = _statement(shape, "merged" if uow.dialect.name == "sqlite" else "armed")
    if stmt is None:
        return LogPage([], offset)
    rows = uow.rows(stmt, {**values, "offset": offset, "limit": limit, "arm_rows": offset + limit})
    shown = phones.display if actor.can(Perm.VIEW_CUSTOMERS) else phones.mask
    for row in rows:
        row[4] = shown(row[4])  # masked unless the actor may see customers' details (VIS-7)
    if shape.sort == "consultant":
        for row in rows:
            del row[12]  # the consultant's id
    return LogPage(list(map(LogRow._make, rows)), offset)


# Where phones are masked (the kiosk, roles without customers' details), a phone is searched by what the mask
# shows (the last four) or by the whole number, never by its first digits: which prefixes find someone would
# spell a masked number out digit by digit. And only so many searches in a while, so that guessing the four
# hidden digits of a number takes days, not minutes (VIS-7).
MASKED_SEARCHES = SlidingWindow(30, timedelta(minutes=10))


def _guard_masked_search(actor: Actor, phone_term: str, *, counted: bool) -> None:
    if phone_term == "prefix":
        raise ValidationError(_("Here phones are masked: search a phone by its whole number or its last four "
                                "digits."), field="phone")
    if counted and not MASKED_SEARCHES.allow(actor.id, clock.now()):
        raise ValidationError(_("Too many phone searches in a short while at a masked desk; try again in a few "
                                "minutes, or ask a colleague who may see customers' details."), field="phone")


def statement(uow: UnitOfWork, query: LogQuery) -> Select | None:
    """The whole ordered result as one statement with its values (for the export), after the same checks."""
    _check(uow, query)
    shape, values = _shape_and_values(query)
    stmt = _statement(shape, "whole")
    return stmt.params(values) if stmt is not None else None


@cache  # one per shape of query in use (a bounded set): each compiled once for the driver (UnitOfWork.rows)
def _statement(shape: _Shape, form: str) -> Select | None:
    """The ordered statement for a shape of query: "whole" (every row), or a page (LIMIT :limit OFFSET :offset)
    whose two arms are "merged" in order by the database or "armed".

    Armed, each arm first takes its own top `arm_rows` (offset + limit) rows in the result's order, straight
    from its index, and only those are merged: PostgreSQL would otherwise join and sort every row of both tables
    for the first page (it plans a UNION's ORDER BY after the UNION). SQLite merges a UNION ALL's arms, each in
    its index's order, as it reads them (MERGE (UNION ALL)): there the plain union is the shorter walk.
    """
    arms = _arms(shape)
    if not arms:
        return None
    paged = form != "whole"
    if len(arms) == 1:
        stmt = arms[0].order_by(*_order(shape.sort, arms[0].selected_columns))
    else:
        if form == "armed":
            rows = bindparam("arm_rows", type_=Integer)
            arms = [select(arm.order_by(*_order(shape.sort, arm.selected_columns)).limit(rows).subquery())
                    for arm in arms]
        if form == "merged":
            union = union_all(*arms)
            stmt = union.order_by(*_order(shape.sort, union.selected_columns))
        else:
            log = union_all(*arms).subquery("log")
            stmt = select(log).order_by(*_order(shape.sort, log.c))
    if paged:
        stmt = stmt.limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer))
    return stmt


def count(actor: Actor, uow: UnitOfWork, query: LogQuery) -> int:
    """How many visits and calls match, counted up to COUNT_CAP + 1: a bounded index walk, never a million rows."""
    require(actor, Perm.SEARCH_VISITOR_LOGS)
    _check(uow, query)
    shape, values = _shape_and_values(query)
    if shape.phone is not None and not actor.can(Perm.VIEW_CUSTOMERS):
        _guard_masked_search(actor, shape.phone, counted=False)  # the search beside it is counted
    total = 0
    with uow.reading() as conn:
        for arm in _arms(shape, columns=False):
            total += conn.execute(select(func.count()).select_from(arm.limit(COUNT_CAP + 1).subquery()),
                                  values).scalar_one()
    return min(total, COUNT_CAP + 1)


def count_label(n: int) -> str:
    """"1,234" or "10,000+": what the window shows above the list."""
    return f"{COUNT_CAP:,}+" if n > COUNT_CAP else f"{n:,}"


