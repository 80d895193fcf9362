"""What a person types is cleaned the same way wherever it is typed, and refused with a sentence that says what
to enter (REC-1: a surname with 先生/女士 is a name)."""
from __future__ import annotations

import pytest

from app import validation
from app.errors import ValidationError


def test_a_visitors_name_has_its_spaces_squeezed_and_a_surname_is_enough_REC1():
    assert validation.visitor_name("  王   先生 ") == "王 先生"
    assert validation.visitor_name("林女士") == "林女士"


def test_an_empty_or_too_long_name_is_refused_with_what_to_enter_REC1():
    with pytest.raises(ValidationError, match="先生") as empty:
        validation.visitor_name("   ")
    assert empty.value.field == "name"
    with pytest.raises(ValidationError, match="40"):
        validation.visitor_name("王" * 41)


def test_a_staff_name_keeps_its_inner_spaces_as_typed():
    assert validation.staff_name(" 王  芳 ") == "王  芳"
    with pytest.raises(ValidationError, match="员工姓名"):
        validation.staff_name("")


def test_a_reason_is_needed_and_at_most_200_characters():
    assert validation.reason(" 顾问拒接 ") == "顾问拒接"
    with pytest.raises(ValidationError, match="原因"):
        validation.reason(" ")
    with pytest.raises(ValidationError, match="200"):
        validation.reason("因" * 201)


def test_an_optional_text_may_be_empty_but_not_longer_than_its_limit():
    assert validation.text("  ", 10, "note", "备注") == ""
    with pytest.raises(ValidationError, match="备注太长：最多 10 个字") as long:
        validation.text("字" * 11, 10, "note", "备注")
    assert long.value.field == "note"
