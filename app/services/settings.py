"""The office's settings: read for every rule that uses a figure, changed by managers (audited)."""
from __future__ import annotations

from dataclasses import fields, replace
from datetime import date

from sqlalchemy import ScalarSelect, select
from sqlalchemy.orm import Session

from app import clock
from app.config import BY_KEY, OfficeSettings, parse_clock_time
from app.domain import dates
from app.errors import ValidationError
from app.i18n import _
from app.models.office import SettingValue
from app.permissions import Actor, Perm, require
from app.database.uow import UnitOfWork


def load(session: Session) -> OfficeSettings:
    stored = {row.key: row.value for row in session.scalars(select(SettingValue))}
    return replace(OfficeSettings(), **{f.name: value(f.name, stored[f.name])
                                        for f in fields(OfficeSettings) if f.name in stored})


def stored(key: str) -> ScalarSelect[str | None]:
    """One setting's stored text as a scalar subquery, to read it in the same statement as other data."""
    return select(SettingValue.value).where(SettingValue.key == key).scalar_subquery()


def value(key: str, text: str | None) -> int | str:
    """A setting's value from its stored text; its default when it was never changed (text is None)."""
    default = BY_KEY[key].default
    if text is None:
        return default
    return int(text) if isinstance(default, int) else text


def record_window(session: Session) -> tuple[date, date]:
    """The days a record or a search may name, from today and the office's earliest year."""
    return dates.record_window(clock.today(), load(session).earliest_year)


def current(uow: UnitOfWork) -> OfficeSettings:
    with uow:
        return load(uow.session)


def _validated(key: str, value: object) -> str:
    setting = BY_KEY.get(key)
    if setting is None:
        raise ValidationError(_("Unknown setting: %s") % key)
    if isinstance(setting.default, int):
        try:
            number = int(str(value).strip())
        except ValueError:
            raise ValidationError(_("%s must be a whole number.") % _(setting.title), field=key) from None
        if not setting.minimum <= number <= setting.maximum:
            raise ValidationError(_("%(title)s must be between %(lo)d and %(hi)d.")
                                  % {"title": _(setting.title), "lo": setting.minimum, "hi": setting.maximum},
                                  field=key)
        return str(number)
    try:
        return parse_clock_time(str(value)).strftime("%H:%M")
    except ValueError:
        raise ValidationError(_("%s must be a time such as 09:00.") % _(setting.title), field=key) from None


def update(actor: Actor, uow: UnitOfWork, changes: dict[str, object]) -> OfficeSettings:
    """Change several settings at once; all are checked before any is written."""
    require(actor, Perm.CHANGE_SETTINGS)
    checked = {key: _validated(key, value) for key, value in changes.items()}
    with uow:
        before = load(uow.session)
        if parse_clock_time(checked.get("open_time", before.open_time)) >= parse_clock_time(
                checked.get("close_time", before.close_time)):
            raise ValidationError(_("Opening time must be before closing time."), field="open_time")
        for key, value in checked.items():
            old = str(getattr(before, key))
            if old == value:
                continue
            uow.session.merge(SettingValue(key=key, value=value))
            uow.audit(actor.id, "settings.change", f"setting:{key}", before={key: old}, after={key: value})
        uow.session.flush()
        after = load(uow.session)
        uow.commit()
        return after
