"""A form saved at most once (SEC-6): its token stored with the record, and a retry answered from the store."""
from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import typing
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import delete
from sqlalchemy.orm import Session

from app import clock
from app.models.audit import SavedForm

T = TypeVar("T")

# How long a form's save is remembered: a station retries within minutes of the network returning.
KEEP_SAVED_FORMS = timedelta(days=7)


class SavedBefore(Exception):
    """The form's token is stored: it was saved before, and `answer` is that save's result as JSON."""

    def __init__(self, answer: str) -> None:
        super().__init__(answer)
        self.answer = answer


def encode(answer: object) -> str:
    plain = dataclasses.asdict(answer) if dataclasses.is_dataclass(answer) else answer  # type: ignore[arg-type]
    return json.dumps(plain, ensure_ascii=False, default=lambda v: v.isoformat())  # datetimes; StrEnums are str


def fingerprint(action: str, request: object) -> str:
    return hashlib.sha256(f"{action}\n{encode(request)}".encode()).hexdigest()


def decode(kind: type[T] | None, data: Any) -> T:
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


def remember(session: Session, token: str, action: str, fingerprint: str, answer: object) -> None:
    """Store the form's token with what its save answered, in the save's transaction."""
    now = clock.now()
    # Forms retried within minutes: older tokens go, one indexed delete riding on a save.
    session.execute(delete(SavedForm).where(SavedForm.saved_at < now - KEEP_SAVED_FORMS))
    session.add(SavedForm(token=token, action=action, saved_at=now,
                          result=json.dumps({"request": fingerprint, "answer": json.loads(encode(answer))},
                                            ensure_ascii=False)))
