"""The window of dates an office keeps (app/domain/dates.py): a pure rule, no database."""
from __future__ import annotations

from datetime import date

from app.domain.dates import add_months, record_window


def test_the_window_runs_from_the_earliest_year_to_ten_years_ahead():
    assert record_window(date(2026, 12, 7), 2000) == (date(2000, 1, 1), date(2036, 12, 7))


def test_ten_years_after_a_29_february_is_the_28th():
    assert record_window(date(2028, 2, 29), 2000)[1] == date(2038, 2, 28)


def test_months_are_added_to_days_as_to_times():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
