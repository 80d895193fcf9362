"""The only place for fonts and styles of printed sheets: the bundled CJK font, embedded in every PDF."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from reportlab.graphics.shapes import STATE_DEFAULTS
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import SimpleDocTemplate

from app import paths

FONT = "WenQuanYiMicroHei"


@lru_cache(maxsize=None)
def register_font() -> str:
    """Register the bundled WenQuanYi Micro Hei (TrueType outlines, so reportlab embeds a subset)."""
    pdfmetrics.registerFont(TTFont(FONT, str(paths.font_file()), subfontIndex=0))
    # A drawing (a QR code) starts from reportlab's default state, which names Helvetica: a font no sheet uses and
    # none embeds. Its default is ours instead, so a PDF names only the embedded font.
    STATE_DEFAULTS["fontName"] = FONT
    return FONT


@lru_cache(maxsize=None)
def paragraph(size: float = 10.5, *, leading: float | None = None, centred: bool = False) -> ParagraphStyle:
    return ParagraphStyle(f"p{size}{centred}", fontName=register_font(), fontSize=size,
                          leading=leading or size * 1.4, alignment=TA_CENTER if centred else 0,
                          wordWrap="CJK")


def title() -> ParagraphStyle:
    return paragraph(16, centred=True)


def a4_document(out: Path | BinaryIO, *, title: str) -> SimpleDocTemplate:
    register_font()
    return SimpleDocTemplate(out if not isinstance(out, Path) else str(out), pagesize=A4, title=title,
                             leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm,
                             initialFontName=FONT)
