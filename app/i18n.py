"""One translation mechanism for the window, the printed sheets and the exports: the standard library's gettext.

Source strings are English; resources/locale/<lang>.po holds a language's translations and scripts/setup
compiles it into the .mo this module reads (scripts/compile_catalogues.py). `_` looks the language up at call
time, so switching language needs no restart.
"""
from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path

from app import paths

LANGUAGES = {"zh_CN": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"
SOURCE_LANGUAGE = "en"
DOMAIN = "salesoffice"
_current = DEFAULT_LANGUAGE


def set_language(lang: str) -> None:
    global _current
    _current = lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def language() -> str:
    return _current


def compiled_catalogue(lang: str) -> Path:
    return paths.resource("locale", lang, "LC_MESSAGES", f"{DOMAIN}.mo")


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The language's compiled catalogue; the source language is the strings themselves."""
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    path = compiled_catalogue(lang)
    try:
        with path.open("rb") as f:
            return gettext.GNUTranslations(f)
    except FileNotFoundError:
        # A program that silently spoke English to Chinese staff would be worse than one that stops.
        raise FileNotFoundError(f"The translations are not compiled ({path} is missing): run scripts/setup.") from None


def _(message: str) -> str:
    """Translate now. The empty string stays empty: gettext would answer with the catalogue's header (a unit, a
    channel or a label left blank would show it)."""
    return translations(_current).gettext(message) if message else message


def N_(message: str) -> str:
    """Mark for translation; translated where it is shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current).ngettext(singular, plural, n)
