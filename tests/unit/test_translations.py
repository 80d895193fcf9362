"""Every string marked for translation in app/ and ui/ has a Chinese translation: staff never see English."""
from __future__ import annotations

import ast
from pathlib import Path

from app import i18n

ROOT = Path(__file__).resolve().parents[2]
MARKERS = {"_", "N_", "ngettext"}


def marked_strings() -> set[str]:
    found: set[str] = set()
    for path in [*ROOT.joinpath("app").rglob("*.py"), *ROOT.joinpath("ui").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    return found


def test_every_marked_string_has_a_chinese_translation():
    catalogue = i18n.catalogue("zh_CN")
    missing = sorted(s for s in marked_strings() if s not in catalogue)
    assert not missing, "add to resources/locale/zh_CN.po:\n" + "\n".join(
        f'msgid "{m}"\nmsgstr ""\n' for m in missing)


def test_translations_keep_their_placeholders():
    import re

    placeholder = re.compile(r"%(?:\(\w+\))?[sd]")
    for msgid, forms in i18n.catalogue("zh_CN").items():
        for form in forms:
            assert sorted(placeholder.findall(form)) == sorted(placeholder.findall(msgid)), msgid


def test_language_switch_applies_at_once():
    i18n.set_language("en")
    assert i18n._("Reception") == "Reception"
    i18n.set_language("zh_CN")
    assert i18n._("Reception") == "前台接待"
