"""A signature drawn on screen is strokes in its box (SHW-2, SHW-4, SHW-7)."""
from __future__ import annotations

import pytest

from app.domain import signature
from app.errors import ValidationError

NAME = [[(0.1, 0.5), (0.2, 0.4), (0.3, 0.6)], [(0.5, 0.5), (0.6, 0.55)]]


def test_strokes_are_kept_rounded_and_read_back_from_json_SHW2():
    kept = signature.checked([[(0.123456, 0.5), (0.2, 0.4)]])
    assert kept == [[(0.1235, 0.5), (0.2, 0.4)]]
    assert signature.from_json(signature.to_json(signature.checked(NAME))) == NAME


@pytest.mark.parametrize(("strokes", "said"), [
    ([], "请在框内签名"), ([[(0.5, 0.5)]], "请在框内签名"), ("a", "请在框内签名"), ([[("x", 1)]], "请在框内签名"),
    ([[(0.1, 0.1), (1.2, 0.5)]], "超出"), ([[(0.1, 0.1), (float("nan"), 0.5)]], "超出"),
    ([[(0.5, 0.5)] * 5001], "太长"),
])
def test_nothing_drawn_a_dot_or_a_scribble_outside_the_box_is_refused_SHW2(strokes, said):
    with pytest.raises(ValidationError, match=said) as refused:
        signature.checked(strokes)
    assert refused.value.field == "signature"
