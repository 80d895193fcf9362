"""A signature drawn on screen (a docent's, a visitor's): strokes of points in the box, each normalised to 0-1, so
it prints sharp at any size and a test can tell it is there (SHW-2, SHW-4, SHW-7)."""
from __future__ import annotations

import json
import math

from app.errors import ValidationError
from app.i18n import _

MAX_POINTS = 5000  # a signature is a few hundred points; more is not a signature
Strokes = list[list[tuple[float, float]]]


def checked(strokes: object, field: str = "signature") -> Strokes:
    """The strokes as kept (rounded to a ten-thousandth of the box), or refused: nothing drawn, a dot, points
    outside the box, or a scribble of more than 5,000 points."""
    if not isinstance(strokes, (list, tuple)):
        raise ValidationError(_("Sign in the box."), field=field)
    kept: Strokes = []
    total = 0
    for stroke in strokes:
        if not isinstance(stroke, (list, tuple)):
            raise ValidationError(_("Sign in the box."), field=field)
        points = []
        for point in stroke:
            try:
                x, y = (float(v) for v in point)
            except (TypeError, ValueError):
                raise ValidationError(_("Sign in the box."), field=field) from None
            if not (math.isfinite(x) and math.isfinite(y) and 0 <= x <= 1 and 0 <= y <= 1):
                raise ValidationError(_("The signature goes outside its box; sign again."), field=field)
            points.append((round(x, 4), round(y, 4)))
        total += len(points)
        if points:
            kept.append(points)
    if total > MAX_POINTS:
        raise ValidationError(_("The signature is too long; clear it and sign again."), field=field)
    if not any(len(stroke) >= 2 for stroke in kept):
        raise ValidationError(_("Sign in the box."), field=field)
    return kept


def to_json(strokes: Strokes) -> str:
    return json.dumps(strokes, separators=(",", ":"))


def from_json(text: str) -> Strokes:
    return [[(x, y) for x, y in stroke] for stroke in json.loads(text)] if text else []
