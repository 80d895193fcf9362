"""The office's settings: only managers change them, every value is checked, every change audited."""
from __future__ import annotations

import json

import pytest

from app.config import OfficeSettings
from app.errors import PermissionDenied, ValidationError
from app.services import settings
from tests.unit.helpers import audit_entries, refused


def update(office, actor=None, **changes):
    return settings.update(actor or office.manager, office.uow(), changes)


def current(office):
    return settings.current(office.uow())


def test_a_new_office_uses_the_figures_of_the_rules(office):
    assert current(office) == OfficeSettings()
    assert (current(office).refill_minutes, current(office).ownership_months) == (20, 2)


def test_manager_changes_settings_and_they_are_kept(office):
    after = update(office, refill_minutes="30", open_time="8:30", ownership_months=3)
    assert (after.refill_minutes, after.open_time, after.ownership_months) == (30, "08:30", 3)
    assert current(office) == after


@pytest.mark.parametrize("role", ["receptionist", "supervisor"])
def test_only_managers_change_settings_SEC2(office, role):
    with refused(office, PermissionDenied, match="设置"):
        update(office, getattr(office, role), refill_minutes=30)


def test_consultant_cannot_change_settings_SEC2(office):
    with refused(office, PermissionDenied):
        update(office, office.consultants[0], ownership_months=12)


@pytest.mark.parametrize("key, value, bounds", [
    ("refill_minutes", 4, "5 到 120"), ("refill_minutes", 121, "5 到 120"),
    ("ownership_months", 0, "1 到 24"), ("ownership_months", 25, "1 到 24"),
    ("visitor_follow_up_days", -3, "1 到 30"), ("lockout_attempts", 2, "3 到 20"),
])
def test_out_of_range_value_is_refused_in_chinese(office, key, value, bounds):
    with refused(office, ValidationError, match=bounds) as error:
        update(office, **{key: value})
    assert error.value.field == key


@pytest.mark.parametrize("value", ["abc", "1.5", "", "二十"])
def test_non_numeric_value_is_refused_in_chinese(office, value):
    with refused(office, ValidationError, match="整数"):
        update(office, refill_minutes=value)


@pytest.mark.parametrize("value", ["25:00", "9点", "09:60", "9", "abc"])
def test_a_time_that_is_not_a_clock_time_is_refused(office, value):
    with refused(office, ValidationError, match="09:00"):
        update(office, open_time=value)


@pytest.mark.parametrize("changes", [{"open_time": "19:00"}, {"close_time": "08:00"}, {"open_time": "18:00"},
                                     {"open_time": "18:00", "close_time": "09:00"}])
def test_opening_after_closing_is_refused(office, changes):
    with refused(office, ValidationError, match="开放时间"):
        update(office, **changes)


def test_moving_both_times_together_is_accepted(office):
    after = update(office, open_time="19:00", close_time="22:00")
    assert (after.open_time, after.close_time) == ("19:00", "22:00")


def test_unknown_setting_is_refused(office):
    with refused(office, ValidationError):
        update(office, coffee_strength=3)


def test_one_bad_value_refuses_the_whole_change(office):
    with refused(office, ValidationError):
        update(office, refill_minutes=30, ownership_months=99)
    assert current(office).refill_minutes == 20


def test_each_change_is_audited_with_before_and_after_SEC3(office):
    update(office, refill_minutes=30, ownership_months=2, close_time="18:30")
    entries = audit_entries(office, "settings.change")
    assert [(e.target, json.loads(e.before), json.loads(e.after), e.actor_id) for e in entries] == [
        ("setting:refill_minutes", {"refill_minutes": "20"}, {"refill_minutes": "30"}, office.manager.id),
        ("setting:close_time", {"close_time": "18:00"}, {"close_time": "18:30"}, office.manager.id),
    ]  # ownership_months did not change: no entry
