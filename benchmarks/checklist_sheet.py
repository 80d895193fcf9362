"""One model apartment's daily checklist (SHW-8) against a minimal reportlab document holding the same table and
QR code, built in the same process; then the month's sheets of the demo's 3 apartments in one PDF against 93
single minimal documents.

Ours: `sheets.checklist_days` (the sheet's data read from the demo office of benchmarks/out/demo_small.db) and
`checklist.build` into memory, as `salesoffice print checklist` does. Baseline: a SimpleDocTemplate with the
embedded Chinese font, one Table of the apartment's item lines (the same texts) and a QrCodeWidget, built into
memory. Alternating, medians; **target at most 2×** (aim 1.3×) for one sheet; the month is reported.

    .venv/bin/python benchmarks/checklist_sheet.py
"""
from __future__ import annotations

import statistics
import sys
import time
from datetime import timedelta
from io import BytesIO

# _common first: it puts the repository on sys.path
from _common import alternate, demo_database, describe, machine, verdict

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table

from app import clock
from app.database.engine import make_engine, session_factory
from app.database.uow import UnitOfWork
from app.reports import checklist, styles
from app.services.showroom import sheets

ROUNDS, WARM_UP = 15, 2
TARGET, AIM = 2.0, 1.3


def ours(uow, day, apartment) -> bytes:  # type: ignore[no-untyped-def]
    out = BytesIO()
    checklist.build(sheets.checklist_days(None, uow, day=day, apartment=apartment), out)
    return out.getvalue()


def minimal(sheet: checklist.ChecklistDay) -> bytes:
    out = BytesIO()
    doc = styles.a4_document(out, title="x")
    qr = QrCodeWidget(checklist.qr_text(sheet.apartment_id, sheet.day, 1))
    drawing = Drawing(24 * mm, 24 * mm)
    drawing.add(qr)
    rows = [[i.room, i.name, i.spec, i.location, str(i.quantity), "", ""] for i in sheet.items]
    table = Table(rows)
    table.setStyle([("FONTNAME", (0, 0), (-1, -1), styles.register_font())])
    doc.build([Paragraph(sheet.apartment, styles.title()), drawing, table])
    return out.getvalue()


def main() -> int:
    db = demo_database("demo_small.db", 200)
    engine = make_engine(db)
    uow = UnitOfWork(session_factory(engine))
    today = clock.today()
    [first, *_rest] = sheets.checklist_days(None, uow, day=today)
    for _ in range(WARM_UP):
        ours(uow, today, first.apartment)
        minimal(first)
    times = alternate([first], lambda s: ours(uow, today, s.apartment), minimal, ROUNDS)
    print(f"\nOne apartment's daily checklist ({len(first.items)} item lines), {ROUNDS} rounds, alternating "
          f"({machine()})")
    print(describe("salesoffice checklist (read + build)", times["ours"], "ms", 1000))
    print(describe("minimal reportlab table + QR", times["baseline"], "ms", 1000))
    ratio = statistics.median(times["ours"]) / statistics.median(times["baseline"])

    days = [today - timedelta(days=n) for n in range(31)]
    started = time.perf_counter()
    month = [sheet for day in days for sheet in sheets.checklist_days(None, uow, day=day)]
    out = BytesIO()
    checklist.build(month, out)
    whole = time.perf_counter() - started
    started = time.perf_counter()
    for sheet in month:
        minimal(sheet)
    singles = time.perf_counter() - started
    print(f"\nThe month: {len(month)} sheets in one PDF ({len(out.getvalue()) // 1024} KB) {whole:.2f} s; "
          f"{len(month)} single minimal documents {singles:.2f} s; ratio {whole / singles:.2f}× (reported)")
    engine.dispose()
    print("One sheet:", end=" ")
    return verdict(ratio, TARGET, AIM)


if __name__ == "__main__":
    sys.exit(main())
