"""What the printed sheets share: text printed as typed, the QR code, the grid of a table, a section's title, a
signature drawn back from its strokes into its box, the page number."""
from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from app.domain.signature import Strokes
from app.i18n import _
from app.reports import styles


def text(value: str, size: float = 9) -> Paragraph:
    """Text as typed: markup and ampersands print as characters, never read as reportlab's tags."""
    return Paragraph(escape(value), styles.paragraph(size))


def cell(value: str, fits: int, size: float = 9) -> str | Paragraph:
    """A table cell: plain text when it fits its column (drawn as is: a table never reads markup in a string), a
    wrapping paragraph when it is longer. Most cells fit, and a paragraph costs many times a string."""
    return value if len(value) <= fits else text(value, size)


def qr(code: str, size: float = 24 * mm) -> Drawing:
    widget = QrCodeWidget(code, barBorder=2)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def section(title: str) -> Paragraph:
    return Paragraph(escape(title), styles.paragraph(11))


def grid(rows: int) -> TableStyle:
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), styles.register_font()),
                       ("FONTSIZE", (0, 0), (-1, -1), 9),
                       ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                       ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.88, 0.88, 0.88)),
                       ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                       *[("BACKGROUND", (0, r), (-1, r), colors.Color(0.96, 0.96, 0.96))
                         for r in range(2, rows, 2)]])


class Signature(Flowable):
    """A signature drawn on screen, drawn back as lines in its box (STYLE §14); an empty box to sign on paper."""

    def __init__(self, strokes: Strokes, width: float = 60 * mm, height: float = 20 * mm) -> None:
        super().__init__()
        self.strokes, self.width, self.height = strokes, width, height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setLineWidth(1)
        for stroke in self.strokes:
            # The pad's y grows downwards, the page's upwards.
            points = [(x * self.width, (1 - y) * self.height) for x, y in stroke]
            canvas.lines([(*a, *b) for a, b in zip(points, points[1:])])


def header(title: str, number_line: str, code: str | None = None) -> list[Flowable]:
    """A form's title and number, and its QR code at the right when it has one."""
    left = [Paragraph(escape(title), styles.title()), Spacer(1, 2 * mm), text(number_line, 11)]
    table = Table([[left, qr(code) if code else ""]], colWidths=[152 * mm, 28 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [table, Spacer(1, 4 * mm)]


def fields(pairs: list[tuple[str, str]]) -> Table:
    """A form's filled-in fields: what on the left, as typed on the right."""
    table = Table([[label, text(value, 10)] for label, value in pairs], colWidths=[40 * mm, 140 * mm])
    style = grid(len(pairs))
    style.add("BACKGROUND", (0, 0), (0, -1), colors.Color(0.93, 0.93, 0.93))
    style.add("BACKGROUND", (1, 0), (1, -1), colors.white)
    table.setStyle(style)
    return table


def signatures(boxes: list[tuple[str, Strokes, str]]) -> Table:
    """Signature boxes: who signs, the signature (drawn back, or blank to sign on the printed form), name and time."""
    width = 180 * mm / len(boxes)
    rows = [[label for label, _strokes, _below in boxes],
            [Signature(strokes, width - 4 * mm, 18 * mm) for _label, strokes, _below in boxes],
            [below for _label, _strokes, below in boxes]]
    table = Table(rows, colWidths=[width] * len(boxes), rowHeights=[7 * mm, 22 * mm, 7 * mm])
    table.setStyle(grid(3))
    return table


def footer(canvas, doc) -> None:  # type: ignore[no-untyped-def]
    canvas.saveState()
    canvas.setFont(styles.register_font(), 8)
    canvas.drawRightString(195 * mm, 8 * mm, _("Page %d") % doc.page)
    canvas.restoreState()
