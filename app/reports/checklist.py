"""The day's checklist of one model apartment (样板房每日检查表, SHW-8): the sheet the docent and the night watch carry
on the floor. Every check of the day with its time and a box for when it was done and who signed; every item of
the list with its expected quantity and a box for each count; each kind of check's points to tick; the
signatures; and a QR code naming the apartment, the date and the sheet, so that the sheet that comes back is
opened for entry by scanning it. A4, Chinese in the embedded font, readable in black and white.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from app import clock
from app.domain.showroom_day import KIND_LABEL, STATE_LABEL, CheckKind, Slot, SlotState
from app.domain.signature import Strokes
from app.i18n import _
from app.reports import components, styles

WEEKDAYS = "一二三四五六日"
BOX = "□"


@dataclass(frozen=True)
class SheetItem:
    room: str
    name: str
    spec: str
    location: str
    quantity: int
    unit: str
    id: int = 0


@dataclass(frozen=True)
class DoneCheck:
    """How one check of the day went, for the completed record (`--filled`): its state, when and by whom, how late,
    its answers by point, its counts by item, the signature's strokes. A check not done has its state only."""

    state: SlotState
    done_at: datetime | None = None
    by: str = ""
    late_minutes: int = 0
    answers: dict[str, tuple[str, str]] = field(default_factory=dict)  # point -> (ok/problem/na, note)
    counts: dict[int, int] = field(default_factory=dict)  # item id -> counted
    signature: Strokes = field(default_factory=list)


@dataclass(frozen=True)
class ChecklistDay:
    """What one apartment's sheet of one day shows, read by the service."""

    apartment_id: int
    apartment: str
    day: date
    slots: list[Slot]
    points: dict[CheckKind, tuple[str, ...]]
    items: list[SheetItem]
    printed_at: datetime
    sheet: int = 1  # the day's checklist; other sheets of the day (the handover) have other numbers
    record: dict[str, DoneCheck] | None = None  # the completed record: each slot's check by its key
    incidents: tuple[str, ...] = ()  # the day's incidents, one line each, on the completed record


def qr_text(apartment_id: int, day: date, sheet: int) -> str:
    """What the sheet's QR code says: short and stable, read back by `parse_qr`."""
    return f"SO:SHEET:{apartment_id}:{day.isoformat()}:{sheet}"


def build(days: list[ChecklistDay], out: Path | BinaryIO) -> None:
    """One sheet per apartment and day, each starting on a new page: blank for the floor, or the completed record
    when the days carry one."""
    filled = any(d.record is not None for d in days)
    doc = styles.a4_document(out, title=_title(filled))
    story: list[Flowable] = []
    for n, data in enumerate(days):
        if n:
            story.append(PageBreak())
        story += [*_header(data), *_checks(data), *_items(data), *_points(data), *_incidents(data), _signatures()]
    doc.build(story, onFirstPage=components.footer, onLaterPages=components.footer)


def _header(data: ChecklistDay) -> list[Flowable]:
    day = f"{data.day.isoformat()}（星期{WEEKDAYS[data.day.weekday()]}）"
    how = (_("The completed record, as entered.") if data.record is not None
           else _("Mark only what is not in order; everything not marked is as printed."))
    printed = _("Printed %s") % clock.local(data.printed_at).strftime("%Y-%m-%d %H:%M")
    left = [Paragraph(escape(_title(data.record is not None)), styles.title()), Spacer(1, 2 * mm),
            components.text(_("Model apartment: %(name)s    Date: %(day)s") % {"name": data.apartment, "day": day},
                            11),
            components.text(f"{how}    {printed}", 8)]
    table = Table([[left, components.qr(qr_text(data.apartment_id, data.day, data.sheet))]],
                  colWidths=[152 * mm, 28 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("FONTNAME", (0, 0), (-1, -1), styles.register_font())]))
    return [table, Spacer(1, 3 * mm)]


def _title(filled: bool) -> str:
    return _("Model apartment daily record") if filled else _("Model apartment daily checklist")


def _at(moment: datetime) -> str:
    return clock.local(moment).strftime("%H:%M")


def _done(data: ChecklistDay, slot: Slot, signature_width: float) -> list[object]:
    """The "done at" and "signed by" cells: blank on the floor's sheet; on the record, when and how late (or that it
    was missed), who, and their signature drawn back."""
    check = data.record.get(slot.key) if data.record is not None else None
    if check is None:
        return ["", ""]
    if check.done_at is None:
        return [_(STATE_LABEL[check.state]), ""]
    when = _at(check.done_at) + (" " + _("(%d min late)") % check.late_minutes if check.late_minutes else "")
    signed = Table([[check.by, components.Signature(check.signature, signature_width, 7 * mm)]],
                   colWidths=[16 * mm, signature_width + 2 * mm])
    signed.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), styles.register_font()),
                                ("FONTSIZE", (0, 0), (-1, -1), 8),
                                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [components.cell(when, 6, 8), signed]


def _checks(data: ChecklistDay) -> list[Flowable]:
    """The day's checks: when due, late after, a box for the time done and for who signed."""
    day = [s for s in data.slots if s.kind != CheckKind.PATROL]
    rows = [[_("Check"), _("Due at"), _("Late after"), _("Done at"), _("Signed by")]]
    for slot in day:
        rows.append([slot.title, _at(slot.due), _at(slot.late_after), *_done(data, slot, 34 * mm)])
    table = Table(rows, colWidths=[40 * mm, 24 * mm, 24 * mm, 36 * mm, 56 * mm], repeatRows=1)
    table.setStyle(components.grid(len(rows)))
    patrol = [s for s in data.slots if s.kind == CheckKind.PATROL]
    half = (len(patrol) + 1) // 2
    night = [[_("Night patrol"), _("Done at"), _("Signed by"), _("Night patrol"), _("Done at"), _("Signed by")]]
    for left, right in zip(patrol[:half], patrol[half:] + [None] * (2 * half - len(patrol))):
        night.append([_at(left.due), *_done(data, left, 20 * mm)]
                     + ([_at(right.due), *_done(data, right, 20 * mm)] if right is not None else ["", "", ""]))
    night_table = Table(night, colWidths=[22 * mm, 26 * mm, 42 * mm] * 2, repeatRows=1)
    night_table.setStyle(components.grid(len(night)))
    return [components.section(_("The day's checks")), table, Spacer(1, 3 * mm),
            components.section(_("Night patrol, every hour")), night_table, Spacer(1, 4 * mm)]


def _items(data: ChecklistDay) -> list[Flowable]:
    """Every item with its expected quantity and a box for the opening and the closing count."""
    rows: list[list[object]] = [[_("Room"), _("Item"), _("Brand and model"), _("Location"), _("Expected"),
                                 _("Opening count"), _("Closing count")]]
    record = data.record or {}
    opening, closing = (record.get(f"{kind}-1") for kind in (CheckKind.OPENING, CheckKind.CLOSING))
    for item in data.items:
        rows.append([components.cell(item.room, 6), components.cell(item.name, 12), components.cell(item.spec, 12, 8),
                     components.cell(item.location, 10, 8), f"{item.quantity} {item.unit}".strip(),
                     _counted(opening, item), _counted(closing, item)])
    if len(rows) == 1:
        rows.append([components.text(_("No items on this apartment's list yet.")), "", "", "", "", "", ""])
    table = Table(rows, colWidths=[18 * mm, 38 * mm, 34 * mm, 30 * mm, 18 * mm, 21 * mm, 21 * mm], repeatRows=1)
    table.setStyle(components.grid(len(rows)))
    return [components.section(_("Item list (%d lines)") % len(data.items)), table, Spacer(1, 4 * mm)]


def _counted(check: DoneCheck | None, item: SheetItem) -> str:
    """What the count found of an item, marked when short; blank when not counted (or on the floor's sheet)."""
    if check is None or item.id not in check.counts:
        return ""
    counted = check.counts[item.id]
    return f"{counted}" + (" " + _("short %d") % (item.quantity - counted) if counted < item.quantity else "")


MARK = {"ok": "√", "problem": "×", "na": "—"}


def _points(data: ChecklistDay) -> list[Flowable]:
    """Each kind of check's points, a box per check of that kind to mark a problem."""
    flows: list[Flowable] = [components.section(_("Check points: mark a problem with × and write what it is"))]
    counts = {kind: sum(1 for s in data.slots if s.kind == kind) for kind in CheckKind}
    for kind in (CheckKind.OPENING, CheckKind.INSPECTION, CheckKind.CLOSING, CheckKind.PATROL):
        # The night's rounds are signed in their own table: its points are what each round looks at, no boxes.
        columns = 0 if kind == CheckKind.PATROL else counts[kind]
        label = _("Night patrol: each round looks at") if kind == CheckKind.PATROL else _(KIND_LABEL[kind])
        head = [label] + ([f"{n}" for n in range(1, columns + 1)] if columns > 1 else [BOX] * columns)
        rows: list[list[object]] = [head]
        for point in data.points.get(kind, ()):
            rows.append([components.cell(point, 36)] + [_mark(data, f"{kind}-{n}", point)
                                                        for n in range(1, columns + 1)])
        widths = [180 * mm - columns * 12 * mm] + [12 * mm] * columns
        table = Table(rows, colWidths=widths, repeatRows=1)
        style = components.grid(len(rows))
        style.add("ALIGN", (1, 0), (-1, -1), "CENTER")
        table.setStyle(style)
        flows += [KeepTogether([table]), Spacer(1, 2 * mm)]
    if data.record is not None:
        found = [f"{slot.title} {_at(slot.due)} · {point}：{note}" for slot in data.slots
                 for point, (answer, note) in getattr(data.record.get(slot.key), "answers", {}).items()
                 if answer == "problem"]
        flows += [components.section(_("Problems found (%d)") % len(found)),
                  *[components.text("· " + line, 9) for line in found or [_("none")]], Spacer(1, 2 * mm)]
    return flows


def _mark(data: ChecklistDay, key: str, point: str) -> str:
    """A point's box: empty on the floor's sheet; on the record √ in order, × a problem, — not applicable, and
    blank for a check not done."""
    if data.record is None:
        return BOX
    check = data.record.get(key)
    answer = check.answers.get(point) if check is not None else None
    return MARK.get(answer[0], "") if answer else ""


def _incidents(data: ChecklistDay) -> list[Flowable]:
    if data.record is None:
        return []
    return [components.section(_("Incidents (%d)") % len(data.incidents)),
            *[components.text("· " + line, 9) for line in data.incidents or (_("none"),)], Spacer(1, 2 * mm)]


def _signatures() -> Flowable:
    names = [_("Opening count by"), _("Closing count by"), _("Handed over by"), _("Taken over by"),
             _("Supervisor")]
    table = Table([names, [""] * len(names)], colWidths=[36 * mm] * len(names), rowHeights=[7 * mm, 16 * mm])
    table.setStyle(components.grid(2))
    return KeepTogether([Spacer(1, 3 * mm), components.section(_("Signatures")), table])
