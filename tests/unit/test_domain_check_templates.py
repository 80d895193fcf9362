"""The check templates (SHW-2): the shipped defaults load, and a template as saved is checked."""
from __future__ import annotations

import pytest

from app import paths
from app.domain import check_templates
from app.domain.showroom_day import CheckKind
from app.errors import ValidationError


def test_the_shipped_defaults_give_every_kind_of_check_its_points_from_the_manuals_SHW2():
    templates = check_templates.parse(paths.defaults("showroom_checks.toml").read_text(encoding="utf-8"))
    assert set(templates) == set(CheckKind)
    assert templates[CheckKind.OPENING].count_items and templates[CheckKind.CLOSING].count_items
    assert not templates[CheckKind.INSPECTION].count_items
    assert any("22 分贝" in p for p in templates[CheckKind.OPENING].points)  # the music's set volume
    assert any("门窗" in p for p in templates[CheckKind.PATROL].points)


@pytest.mark.parametrize(("text", "said"), [
    ('[[check]]\nkind = "opening"\npoints = ["灯光"]\n', "没有模板"),  # the other kinds missing
    ('[[check]]\nkind = "sauna"\npoints = ["x"]\n', "sauna"),
    ("[[check]\n", "无法读取"),
])
def test_a_defaults_file_that_is_wrong_is_said_so_SHW2(text, said):
    with pytest.raises(ValidationError, match=said):
        check_templates.parse(text)


@pytest.mark.parametrize(("points", "said"), [([], "1 到 40"), (["灯光", "灯光 "], "重复"), (["x" * 121], "120"),
                                              (["灯\x1b光"], "控制字符")])
def test_a_template_as_saved_has_1_to_40_distinct_readable_points_SHW2(points, said):
    with pytest.raises(ValidationError, match=said):
        check_templates.checked(CheckKind.INSPECTION, points, False)
