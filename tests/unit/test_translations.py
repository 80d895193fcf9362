"""Every string marked for translation in app/ and ui/ has a Chinese translation: staff never see English.

The strings are extracted by Babel as `pybabel extract -F babel.cfg` does (its mapping, its keywords only), and
compared with the catalogue resources/locale/zh_CN.po, which the program reads compiled (app.i18n).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from app import i18n

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "resources" / "locale" / "zh_CN.po"


def strings_in_code() -> dict[str, list[str]]:
    """Each string marked with _, N_ or ngettext (its singular) -> where it is marked."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    found: dict[str, list[str]] = {}
    for path, line, message, _comments, _context in extract_from_dir(ROOT, method_map, options_map, keywords={}):
        singular = message if isinstance(message, str) else message[0]
        found.setdefault(singular, []).append(f"{path}:{line}")
    return found


def chinese_catalogue() -> Catalog:
    with PO.open("rb") as f:
        return read_po(f, locale="zh_CN")


def translated(catalogue: Catalog) -> dict[str, str]:
    """msgid -> its Chinese (the first form of a plural), for the entries the compiled catalogue keeps."""
    entries = {}
    for message in catalogue:
        text = message.string if isinstance(message.string, str) else message.string[0]
        if message.id and text and not message.fuzzy:
            entries[message.id if isinstance(message.id, str) else message.id[0]] = text
    return entries


def test_every_string_in_the_code_has_a_chinese_translation():
    chinese = translated(chinese_catalogue())
    missing = {s: where for s, where in strings_in_code().items() if s not in chinese}
    assert not missing, "add to resources/locale/zh_CN.po (a fuzzy entry counts as missing):\n" + "\n".join(
        f'#: {" ".join(where)}\nmsgid "{s}"\nmsgstr ""\n' for s, where in sorted(missing.items()))


def test_the_catalogue_holds_no_entry_the_code_no_longer_uses():
    in_code = strings_in_code()
    stale = sorted(message.id for message in chinese_catalogue()
                   if message.id and (message.id if isinstance(message.id, str) else message.id[0]) not in in_code)
    assert not stale, "remove from resources/locale/zh_CN.po (no longer in app/ or ui/):\n" + "\n".join(
        f'msgid "{s}"' for s in stale)


def test_translations_keep_their_placeholders():
    placeholder = re.compile(r"%(?:\(\w+\))?[sd]")
    wrong = [msgid for msgid, text in translated(chinese_catalogue()).items()
             if sorted(placeholder.findall(text)) != sorted(placeholder.findall(msgid))]
    assert not wrong, "placeholders differ from the English in:\n" + "\n".join(wrong)


def test_the_program_shows_what_the_catalogue_says():
    """The compiled catalogue the program reads is the .po as it is now, every entry of it."""
    differ = [msgid for msgid, text in translated(chinese_catalogue()).items() if i18n._(msgid) != text]
    assert not differ, "the compiled catalogue is out of date: run scripts/setup\n" + "\n".join(differ)


def test_language_switch_applies_at_once():
    i18n.set_language("en")
    assert i18n._("Reception") == "Reception"
    i18n.set_language("zh_CN")
    assert i18n._("Reception") == "前台接待"


def test_without_compiled_translations_the_program_says_to_run_setup(monkeypatch, tmp_path):
    monkeypatch.setattr(i18n, "compiled_catalogue", lambda lang: tmp_path / "missing.mo")
    i18n.translations.cache_clear()
    try:
        with pytest.raises(FileNotFoundError, match="run scripts/setup"):
            i18n._("Reception")
    finally:
        i18n.translations.cache_clear()
