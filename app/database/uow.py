"""Unit of work: one transaction per operation, rolled back unless committed; audit entries ride along."""
from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import typing
import uuid
from collections import namedtuple
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, NamedTuple, Self, TypeVar

from sqlalchemy import Connection, Dialect, Select, delete, select
from sqlalchemy.exc import IntegrityError, InternalError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app import clock
from app.database import schema
from app.database.engine import insert_if_missing
from app.errors import Conflict, DatabaseProblem, Unreachable, ValidationError
from app.i18n import _
from app.models.audit import AuditEntry, AuditHead, SavedForm

T = TypeVar("T")

GENESIS = "0" * 64


class _DriverPlan(NamedTuple):
    statement: Select[Any]  # held, so that its id is never reused by another statement while cached
    sql: str
    order: tuple[str, ...] | None  # parameter names in order for positional drivers (SQLite), else None
    defaults: dict[str, Any]  # values bound in the statement itself
    converters: list[Callable[[Any], Any] | None]
    row: type
    binds: dict[str, Callable[[Any], Any]]  # parameters' own conversions, e.g. an aware time to naive UTC
    converted: tuple[tuple[int, Callable[[Any], Any]], ...]  # (column, conversion) of the columns that have one
    names: tuple[str, ...]  # the parameters the statement takes (a named driver is given exactly these)


_plans: dict[tuple[int, str], _DriverPlan] = {}


def _driver_plan(statement: Select[Any], dialect: Dialect) -> _DriverPlan:
    key = (id(statement), dialect.name)  # for module constants: a statement built per call would pile up here
    if key not in _plans:
        compiled = statement.compile(dialect=dialect)
        columns = list(statement.selected_columns)
        converters = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]
        binds = {name: bind.type.dialect_impl(dialect).bind_processor(dialect)
                 for name, bind in compiled.binds.items()}
        _plans[key] = _DriverPlan(
            statement, compiled.string, tuple(compiled.positiontup) if compiled.positional else None,
            {k: v for k, v in compiled.construct_params(_check=False).items() if v is not None},
            converters, namedtuple("Row", [c.key for c in columns]),  # type: ignore[misc]
            {name: process for name, process in binds.items() if process is not None},
            tuple((i, convert) for i, convert in enumerate(converters) if convert is not None),
            tuple(compiled.construct_params(_check=False)))
    return _plans[key]
# What a database says when it refuses a write: locked, read-only (a file, or a PostgreSQL standby), disk full,
# the server gone; serialization failures too.
REFUSED = (OperationalError, InternalError)


# How long a form's save is remembered: a station retries within minutes of the network returning.
KEEP_SAVED_FORMS = timedelta(days=7)


def _problem(e: Exception, words: str) -> DatabaseProblem:
    """The error to show for a refused or failed database call: Unreachable when the server could not be
    reached or the connection was lost (a form then saves again later), else DatabaseProblem."""
    if schema.is_unreachable(e):
        return Unreachable(_("The database server cannot be reached: it is stopped, or the network is down."))
    return DatabaseProblem(words % getattr(e, "orig", e))


class _SavedBefore(Exception):
    """The form's token is stored: it was saved before, and `answer` is that save's result as JSON."""

    def __init__(self, answer: str) -> None:
        super().__init__(answer)
        self.answer = answer


def _encode(answer: object) -> str:
    plain = dataclasses.asdict(answer) if dataclasses.is_dataclass(answer) else answer  # type: ignore[arg-type]
    return json.dumps(plain, ensure_ascii=False, default=lambda v: v.isoformat())  # datetimes; StrEnums are str


def _fingerprint(action: str, request: object) -> str:
    return hashlib.sha256(f"{action}\n{_encode(request)}".encode()).hexdigest()


def _decode(kind: type[T] | None, data: Any) -> T:
    """A result rebuilt from its JSON: a dataclass's datetime and enum fields come back as such."""
    if kind is None or not dataclasses.is_dataclass(kind):
        return data
    hints = typing.get_type_hints(kind)
    values = {}
    for name, value in data.items():
        hint = hints[name]
        for option in typing.get_args(hint) or (hint,):  # `datetime | None` or `datetime`
            if value is None or not isinstance(option, type):
                continue
            if issubclass(option, datetime):
                value = datetime.fromisoformat(value)
            elif issubclass(option, enum.Enum):
                value = option(value)
        values[name] = value
    return kind(**values)


def entry_hash(prev_hash: str, *, at: str, actor_id: int | None, action: str, target: str, before: str, after: str) -> str:
    payload = json.dumps([prev_hash, at, actor_id, action, target, before, after], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def to_json(values: dict[str, Any] | None) -> str:
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str) if values else ""


class UnitOfWork:
    """`with uow:` opens a session; leaving without commit() rolls everything back.

    `changes` names the areas (e.g. "visits", "rotation") that committed work touched, so screens redraw
    only what changed; `written` holds the ids of the audit entries it committed, so that a station can
    tell its own changes from other stations' in the change feed.
    """

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory
        self.changes: set[str] = set()
        self.written: list[int] = []
        self._pending: set[str] = set()
        self._pending_ids: list[int] = []
        self._form: tuple[str, str, str] | None = None  # (token, action, request's fingerprint) saved once

    def __enter__(self) -> Self:
        self.session = self._factory()
        self._pending, self._pending_ids = set(), []
        if self._form is not None:
            try:
                # First in the transaction (on SQLite it holds the write lock from here on).
                stored = self.session.get(SavedForm, self._form[0])
            except REFUSED as e:
                self.session.close()
                raise _problem(e, _("The database could not save the change: %s")) from e
            if stored is not None:
                self.session.close()
                raise _SavedBefore(stored.result)
        return self

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        self.session.close()  # anything not committed is rolled back
        if isinstance(exc, REFUSED):
            # Refused before the commit (locked by another station, read-only file, full disk, the server gone):
            # said, not a crash.
            raise _problem(exc, _("The database could not save the change: %s")) from exc

    def once(self, token: str | None, action: str, answer: type[T] | None, save: Callable[[], T], *,
             request: object = None) -> T:
        """Save a form at most once (SEC-6): `save()` opens this unit of work and commits it.

        `token` is made by the form when it is opened or cleared, and sent again when the save is retried
        (the network came back, the button pressed again). A token already stored answers with the first
        save's result, rebuilt as `answer`, and writes nothing; else the token is stored in the same
        transaction as the work, so a commit whose acknowledgement was lost is never done twice.
        `request` is what the form asked for (checked values): a retry with other values, the form changed
        after a save whose answer was lost, is refused rather than answered as if it had been saved.
        """
        if token is None:
            return save()
        try:
            token = str(uuid.UUID(token))
        except ValueError:
            raise ValidationError(_("The form's save token is not valid; close the form and open it again.")) \
                from None
        self._form = (token, action, _fingerprint(action, request))
        try:
            return save()
        except _SavedBefore as earlier:
            stored = json.loads(earlier.answer)
            if stored["request"] != self._form[2]:
                raise Conflict(_("This form was already saved as it was when the connection dropped; the changes "
                                 "made since were not saved. Correct the saved record if they matter.")) from None
            return _decode(answer, stored["answer"])
        finally:
            self._form = None

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for an operation that only reads: no Session, and a read-only transaction, which on
        SQLite begins deferred and never waits for a writer. Closed (rolled back) when the block ends."""
        try:
            with self._factory.kw["bind"].connect() as conn:
                yield conn.execution_options(readonly=True)
        except OperationalError as e:
            raise _problem(e, _("Cannot open the database: %s")) from e

    def first_row(self, statement: Select[Any], params: dict[str, Any]) -> Any | None:
        """The first row of a hot, indexed read, straight through the database driver.

        For the reads a person waits on while typing (the desk's phone look-up): the statement is compiled
        once per database, and per call only the pool and the driver work, which is several times faster
        than a Core execution. Values come back converted by their column types, as attributes by name.
        """
        engine = self._factory.kw["bind"]
        plan = _driver_plan(statement, engine.dialect)
        try:
            conn = engine.raw_connection()
            try:
                cursor = conn.cursor()
                values = {**plan.defaults, **params}
                cursor.execute(plan.sql, [values[n] for n in plan.order] if plan.order is not None else values)
                row = cursor.fetchone()
            finally:
                conn.close()  # back to the pool, rolled back
        except (OperationalError, engine.dialect.loaded_dbapi.Error) as e:
            raise _problem(e, _("Cannot open the database: %s")) from e
        if row is None:
            return None
        return plan.row(*(convert(v) if convert else v for convert, v in zip(plan.converters, row)))

    @property
    def dialect(self) -> Dialect:
        """The database's dialect: a read may pick the statement its planner walks best."""
        return self._factory.kw["bind"].dialect

    def rows(self, statement: Select[Any], params: dict[str, Any]) -> list[list[Any]]:
        """Every row of a hot, indexed read (a page of a list someone waits on), straight through the driver as
        `first_row`. `statement` must be built once (its bound parameters named, their values in `params`), not
        per call. Each row is a list of its values in column order, converted by their column types."""
        engine = self._factory.kw["bind"]
        plan = _driver_plan(statement, engine.dialect)
        values = {**plan.defaults, **params}
        for name, process in plan.binds.items():
            if name in values:
                values[name] = process(values[name])
        try:
            conn = engine.raw_connection()
            try:
                cursor = conn.cursor()
                cursor.execute(plan.sql, [values[n] for n in plan.order] if plan.order is not None
                               else {n: values[n] for n in plan.names})
                rows = [list(row) for row in cursor.fetchall()]
            finally:
                conn.close()  # back to the pool, rolled back
        except (OperationalError, engine.dialect.loaded_dbapi.Error) as e:
            raise _problem(e, _("Cannot open the database: %s")) from e
        for i, convert in plan.converted:  # column by column: most columns need no conversion
            for row in rows:
                row[i] = convert(row[i])
        return rows

    def commit(self, answer: object = None) -> None:
        """Commit; a form saved through once() stores `answer` (what the save returns) with its token."""
        if self._form is not None:
            self._remember(answer)
        try:
            self.session.commit()
        except REFUSED as e:
            raise _problem(e, _("The database could not save the change: %s")) from e
        except IntegrityError:
            if self._form is None:
                raise
            # Another attempt with the same token committed first (a retry racing a slow first try): its
            # result stands and this one's work is rolled back.
            self.session.rollback()
            stored = self.session.get(SavedForm, self._form[0])
            if stored is None:
                raise
            raise _SavedBefore(stored.result) from None
        self.changes |= self._pending
        self.written += self._pending_ids
        self._pending, self._pending_ids = set(), []

    def _remember(self, answer: object) -> None:
        token, action, fingerprint = self._form  # type: ignore[misc]
        now = clock.now()
        # Forms retried within minutes: older tokens go, one indexed delete riding on a save.
        self.session.execute(delete(SavedForm).where(SavedForm.saved_at < now - KEEP_SAVED_FORMS))
        self.session.add(SavedForm(token=token, action=action, saved_at=now,
                                   result=json.dumps({"request": fingerprint, "answer": json.loads(_encode(answer))},
                                                     ensure_ascii=False)))

    def touch(self, area: str) -> None:
        self._pending.add(area)

    def audit(self, actor_id: int | None, action: str, target: str, *,
              before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
        """Append a chained audit entry in this transaction (SEC-3); the action's area counts as changed."""
        self.touch(action.split(".", 1)[0])
        # The first entry of a new database: two stations may race to make the head row; one insert gives way.
        insert_if_missing(self.session, AuditHead.__table__, id=1, last_id=0, last_hash=GENESIS)
        head = self.session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()
        at = clock.now()
        b, a = to_json(before), to_json(after)
        digest = entry_hash(head.last_hash, at=at.isoformat(timespec="microseconds"), actor_id=actor_id,
                            action=action, target=target, before=b, after=a)
        entry = AuditEntry(id=head.last_id + 1, at=at, actor_id=actor_id, action=action, target=target,
                           before=b, after=a, prev_hash=head.last_hash, hash=digest)
        self.session.add(entry)
        head.last_id, head.last_hash = entry.id, digest
        self._pending_ids.append(entry.id)
        self.session.flush()
