"""Unit of work: one transaction per operation, rolled back unless committed; audit entries ride along."""
from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Self, TypeVar

from sqlalchemy import Connection, Dialect, Select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.database import audit_chain, driver, saved_forms
from app.database.driver_errors import REFUSED, problem
from app.database.saved_forms import SavedBefore
from app.errors import Conflict, ValidationError
from app.i18n import _
from app.models.audit import SavedForm

T = TypeVar("T")

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
                raise problem(e, _("The database could not save the change: %s")) from e
            if stored is not None:
                self.session.close()
                raise SavedBefore(stored.result)
        return self

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        self.session.close()  # anything not committed is rolled back
        if isinstance(exc, REFUSED):
            # Refused before the commit (locked by another station, read-only file, full disk, the server gone):
            # said, not a crash.
            raise problem(exc, _("The database could not save the change: %s")) from exc

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
        self._form = (token, action, saved_forms.fingerprint(action, request))
        try:
            return save()
        except SavedBefore as earlier:
            stored = json.loads(earlier.answer)
            if stored["request"] != self._form[2]:
                raise Conflict(_("This form was already saved as it was when the connection dropped; the changes "
                                 "made since were not saved. Correct the saved record if they matter.")) from None
            return saved_forms.decode(answer, stored["answer"])
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
            raise problem(e, _("Cannot open the database: %s")) from e

    def first_row(self, statement: Select[Any], params: dict[str, Any]) -> Any | None:
        """The first row of a hot, indexed read (the desk's phone look-up) straight through the driver
        (app.database.driver), as attributes by name; None when there is none."""
        try:
            return driver.first_row(self._factory.kw["bind"], statement, params)
        except (OperationalError, self.dialect.loaded_dbapi.Error) as e:
            raise problem(e, _("Cannot open the database: %s")) from e

    @property
    def dialect(self) -> Dialect:
        """The database's dialect: a read may pick the statement its planner walks best."""
        return self._factory.kw["bind"].dialect

    def rows(self, statement: Select[Any], params: dict[str, Any]) -> list[list[Any]]:
        """Every row of a hot, indexed read (a page of a list someone waits on) straight through the driver, as
        lists of values in column order. `statement` must be built once (its bound parameters named, their
        values in `params`), not per call."""
        try:
            return driver.rows(self._factory.kw["bind"], statement, params)
        except (OperationalError, self.dialect.loaded_dbapi.Error) as e:
            raise problem(e, _("Cannot open the database: %s")) from e

    def commit(self, answer: object = None) -> None:
        """Commit; a form saved through once() stores `answer` (what the save returns) with its token."""
        if self._form is not None:
            self._remember(answer)
        try:
            self.session.commit()
        except REFUSED as e:
            raise problem(e, _("The database could not save the change: %s")) from e
        except IntegrityError:
            if self._form is None:
                raise
            # Another attempt with the same token committed first (a retry racing a slow first try): its
            # result stands and this one's work is rolled back.
            self.session.rollback()
            stored = self.session.get(SavedForm, self._form[0])
            if stored is None:
                raise
            raise SavedBefore(stored.result) from None
        self.changes |= self._pending
        self.written += self._pending_ids
        self._pending, self._pending_ids = set(), []

    def _remember(self, answer: object) -> None:
        token, action, fingerprint = self._form  # type: ignore[misc]
        saved_forms.remember(self.session, token, action, fingerprint, answer)

    def one_at_a_time(self, work: str) -> None:
        """Hold `work` until this transaction ends, waiting while another station's transaction holds it: work that
        checks what is already there before it writes (an import's duplicates) then sees what the other wrote.
        SQLite needs nothing more: a transaction that writes holds the file's one write lock from its first
        statement (BEGIN IMMEDIATE)."""
        if self.dialect.name == "postgresql":
            self.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:work))"), {"work": work})

    def touch(self, area: str) -> None:
        self._pending.add(area)

    def audit(self, actor_id: int | None, action: str, target: str, *,
              before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
        """Append a chained audit entry in this transaction (SEC-3); the action's area counts as changed."""
        self.touch(action.split(".", 1)[0])
        self._pending_ids.append(audit_chain.append(self.session, actor_id, action, target,
                                                    before=before, after=after))
