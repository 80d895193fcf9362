"""Compile each resources/locale/<lang>.po into the .mo that app.i18n reads.

Run by scripts/setup and by the tests before they start (tests/conftest.py), so an edited .po counts at once
and a fresh clone needs nothing more. Every run compiles (a few hundredths of a second); each .mo is replaced
whole, so a program starting meanwhile reads the old one or the new one, never half of one.
"""
from __future__ import annotations

import os

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app import i18n, paths


def compile_all() -> None:
    for po in sorted(paths.resource("locale").glob("*.po")):
        with po.open("rb") as f:
            catalogue = read_po(f, locale=po.stem)
        mo = i18n.compiled_catalogue(po.stem)
        mo.parent.mkdir(parents=True, exist_ok=True)
        temporary = mo.with_name(f"{mo.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as out:
            write_mo(out, catalogue)
        temporary.replace(mo)


if __name__ == "__main__":
    compile_all()
