"""One translation mechanism for the window, the printed sheets and the exports.

Source strings are English; resources/locale/<lang>.po holds the translations. The catalogue is read
straight from the .po file (a few hundred entries), so no compile step stands between an edit and the
program. `_` looks the language up at call time, so switching language needs no restart.
"""
from __future__ import annotations

import ast
import re
from functools import lru_cache

from app import paths

LANGUAGES = {"zh_CN": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"
_current = DEFAULT_LANGUAGE


def set_language(lang: str) -> None:
    global _current
    _current = lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def language() -> str:
    return _current


_ENTRY = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?)\s+(".*")\s*$')


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, list[str]]:
    """msgid -> translations (one, or one per plural form) from the language's .po file."""
    path = paths.resource("locale", f"{lang}.po")
    if not path.exists():
        return {}
    entries: dict[str, list[str]] = {}
    current: dict[str, str] = {}
    key = ""

    def flush() -> None:
        msgid = current.get("msgid", "")
        forms = [current[k] for k in sorted(current) if k.startswith("msgstr")]
        if msgid and any(forms):
            entries[msgid] = forms
        current.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = _ENTRY.match(line)
        if m:
            if m.group(1) in ("msgid", "msgctxt") and "msgstr" in "".join(current):
                flush()
            key = m.group(1)
            current[key] = ast.literal_eval(m.group(2))
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
    flush()
    return entries


def _(message: str) -> str:
    """Translate now."""
    forms = catalogue(_current).get(message)
    return forms[0] if forms else message


def N_(message: str) -> str:
    """Mark for translation; translated where it is shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    forms = catalogue(_current).get(singular)
    if forms:
        # Chinese has one form; English-style catalogues have two.
        return forms[0] if len(forms) == 1 or n == 1 else forms[1]
    return singular if n == 1 else plural
