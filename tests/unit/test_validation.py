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


@pytest.mark.parametrize("typed", ["王\x1b先生", "王先生\x00", "\x07铃", "a\x0bb", "王\ud800"])
def test_control_characters_are_refused_with_the_field_named_REC1(typed):
    with pytest.raises(ValidationError, match="控制字符") as error:
        validation.text(typed, 200, "note", "备注")
    assert error.value.field == "note" and str(error.value).startswith("备注含有")
    with pytest.raises(ValidationError, match="^姓名含有"):
        validation.visitor_name(typed)


def test_tabs_and_line_breaks_are_text():
    assert validation.text("一楼\t样板间\r\n二楼", 200, "note", "备注") == "一楼\t样板间\r\n二楼"


@pytest.mark.parametrize("typed", ["\u200b", " \u200b\ufeff ", "\u2028", "\u3000"])
def test_text_that_shows_nothing_counts_as_empty(typed):
    assert validation.text(typed, 200, "note", "备注") == ""
    with pytest.raises(ValidationError, match="原因"):
        validation.reason(typed)


@pytest.mark.parametrize("typed", ["身份证 110101199003071234 已复印", "11010119900307123X", "证件号:11010119900307123x",
                                   "１１０１０１１９９００３０７１２３４"])
def test_a_resident_id_number_in_any_free_text_is_refused_with_the_field_named_SEC4(typed):
    with pytest.raises(ValidationError, match="似乎有身份证号") as refused:
        validation.text(typed, 1000, "note", "备注")
    assert refused.value.field == "note" and "备注" in str(refused.value)


@pytest.mark.parametrize("typed", ["13812345678", "卡号 6222021234567890123", "3-1-1502 总价 4500000",
                                   "订单 1101011990030712345"])
def test_numbers_that_are_not_an_id_number_are_kept_SEC4(typed):
    assert validation.text(typed, 1000, "note", "备注") == typed


@pytest.mark.parametrize(("typed", "counted"), [("3", 3), (" 12 ", 12), ("３", 3), (7, 7), (7.0, 7), ("0", 0)])
def test_a_count_is_a_whole_number_in_any_script_s_digits_SHW1(typed, counted):
    assert validation.count(typed, "quantity", "数量") == counted


@pytest.mark.parametrize("typed", ["-1", "2.5", 2.5, "两", "", "1e3", True, "10000"])
def test_a_negative_fractional_or_wordy_count_is_refused_with_the_field_named_SHW1(typed):
    with pytest.raises(ValidationError, match="数量") as refused:
        validation.count(typed, "quantity", "数量")
    assert refused.value.field == "quantity"


@pytest.mark.parametrize(("typed", "fen"), [("1280", 128000), ("1,280.50", 128050), ("¥1280", 128000),
                                            ("1280元", 128000), (1280.5, 128050), (99, 9900), ("0.5", 50), ("", 0)])
def test_a_price_is_yuan_as_people_write_it_kept_in_fen_SHW1(typed, fen):
    assert validation.money_fen(typed, "price", "单价") == fen


@pytest.mark.parametrize("typed", ["-5", "12.345", "一千", "1280 元 左右", "100000001"])
def test_a_price_that_is_no_amount_is_refused_SHW1(typed):
    with pytest.raises(ValidationError, match="单价"):
        validation.money_fen(typed, "price", "单价")
