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
MessageId = str | tuple[str, str]  # a plain string, or ngettext's (singular, plural)


def strings_in_code() -> dict[MessageId, list[str]]:
    """Each string marked with _, N_ or ngettext -> where it is marked."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    found: dict[MessageId, list[str]] = {}
    for path, line, message, _comments, _context in extract_from_dir(ROOT, method_map, options_map, keywords={}):
        found.setdefault(message, []).append(f"{path}:{line}")
    return found


def chinese_catalogue() -> Catalog:
    with PO.open("rb") as f:
        return read_po(f, locale="zh_CN")


def translated(catalogue: Catalog) -> dict[MessageId, str]:
    """Message id -> its Chinese (Chinese has one plural form), for the entries the compiled catalogue keeps."""
    entries = {}
    for message in catalogue:
        text = message.string if isinstance(message.string, str) else message.string[0]
        if message.id and text and not message.fuzzy:
            entries[message.id] = text
    return entries


def msgids(message: MessageId) -> str:
    """The message as a .po entry starts."""
    if isinstance(message, str):
        return f'msgid "{message}"'
    return f'msgid "{message[0]}"\nmsgid_plural "{message[1]}"'


def blank_entry(message: MessageId, where: list[str]) -> str:
    msgstr = "msgstr" if isinstance(message, str) else "msgstr[0]"
    return f'#: {" ".join(where)}\n{msgids(message)}\n{msgstr} ""\n'


def test_every_string_in_the_code_has_a_chinese_translation():
    chinese = translated(chinese_catalogue())
    missing = {m: where for m, where in strings_in_code().items() if m not in chinese}
    assert not missing, "add to resources/locale/zh_CN.po (a fuzzy entry counts as missing):\n" + "\n".join(
        blank_entry(m, where) for m, where in sorted(missing.items(), key=str))


def test_no_string_is_translated_twice():
    """Two entries for one string: the compiled catalogue keeps one of them, so the other is silently lost."""
    from collections import Counter

    ids = Counter(line for line in PO.read_text(encoding="utf-8").splitlines() if line.startswith('msgid "'))
    assert [line for line, n in ids.items() if n > 1 and line != 'msgid ""'] == []


def test_the_catalogue_holds_no_entry_the_code_no_longer_uses():
    in_code = strings_in_code()
    stale = [message.id for message in chinese_catalogue() if message.id and message.id not in in_code]
    assert not stale, "remove from resources/locale/zh_CN.po (no longer in app/ or ui/):\n" + "\n".join(
        map(msgids, stale))


def test_translations_keep_their_placeholders():
    placeholder = re.compile(r"%(?:\(\w+\))?[sd]")
    wrong = [m for m, text in translated(chinese_catalogue()).items()
             if sorted(placeholder.findall(text)) != sorted(placeholder.findall(m if isinstance(m, str) else m[1]))]
    assert not wrong, "placeholders differ from the English in:\n" + "\n".join(map(str, wrong))


def test_the_program_shows_what_the_catalogue_says():
    """The compiled catalogue the program reads is the .po as it is now, every entry of it."""
    differ = [m for m, text in translated(chinese_catalogue()).items()
              if (i18n._(m) if isinstance(m, str) else i18n.ngettext(*m, 2)) != text]
    assert not differ, "the compiled catalogue is out of date: run scripts/setup\n" + "\n".join(map(str, differ))


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


def test_an_empty_text_translates_to_nothing_not_to_the_catalogue_s_header():
    from app.i18n import _

    assert _("") == ""
