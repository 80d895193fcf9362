"""The day's checklist of a model apartment (SHW-8), built from a real office and read back: the apartment, the
date, every check with its time, every item, the check points and the signature boxes in Chinese, the font
embedded, typed markup printed as typed, and the QR code on the rendered page naming apartment, date and sheet."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from io import BytesIO

import pytest
from pypdf import PdfReader

from app import clock
from app.reports import checklist, styles
from app.services.showroom import items, sheets, templates
from app.services.showroom.items import ItemDraft
from tests.conftest import TEN_AM

DAY = date(2026, 11, 23)


@pytest.fixture
def flat(office):
    clock.freeze(datetime(2026, 11, 22, 17, 0))  # the list made the day before; the sheet shows it at opening
    flat = items.add_apartment(office.supervisor, office.uow(), name="A户型 三房两厅")
    for room, name, spec, quantity in (("客厅", "三人沙发", "顾家 <b>1098</b> & 皮", 1), ("主卧", "床头灯", "", 2),
                                       ("厨房", "咖啡机", "德龙 ECAM", 1)):
        items.add_item(office.supervisor, office.uow(), apartment_id=flat.id,
                       draft=ItemDraft(room=room, name=name, spec=spec, quantity=quantity, unit="件"))
    clock.freeze(TEN_AM)
    return flat


def sheet_text(office, flat) -> tuple[bytes, str]:
    out = BytesIO()
    checklist.build(sheets.checklist_days(office.supervisor, office.uow(), day=DAY), out)
    reader = PdfReader(BytesIO(out.getvalue()))
    return out.getvalue(), "\n".join(page.extract_text() for page in reader.pages)


def test_the_blank_sheet_lists_every_check_item_point_and_signature_box_in_chinese_SHW8(office, flat):
    _pdf, text = sheet_text(office, flat)
    assert "样板房每日检查表" in text and "A户型 三房两厅" in text and "2026-11-23（星期一）" in text
    for check in ("开门盘点", "巡检 1", "巡检 4", "闭门盘点", "10:45", "18:00", "18:30", "07:30"):
        assert check in text, check
    for item in ("三人沙发", "床头灯", "咖啡机", "德龙 ECAM", "2 件"):
        assert item in text, item
    assert "顾家 <b>1098</b> & 皮" in text  # printed as typed, never read as markup
    for point in templates.current(office.uow())["opening"].points:
        assert point[:8] in text.replace("\n", ""), point
    for box in ("开门盘点人", "闭门盘点人", "交班人", "接班人", "主管"):
        assert box in text, box


def test_the_sheet_names_only_the_embedded_font_SHW8(office, flat):
    pdf, _text = sheet_text(office, flat)
    reader = PdfReader(BytesIO(pdf))
    names = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in page["/Resources"]["/Font"].values()}
    assert names and all(styles.FONT in name for name in names), names


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils (pdftoppm), installed by .ci/run")
def test_the_qr_code_on_the_printed_page_names_the_apartment_the_date_and_the_sheet_SHW8(office, flat, tmp_path):
    import zxingcpp
    from PIL import Image

    pdf, _text = sheet_text(office, flat)
    (tmp_path / "sheet.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(tmp_path / "sheet.pdf"),
                    str(tmp_path / "page")], check=True)
    [page] = tmp_path.glob("page*.png")
    [code] = zxingcpp.read_barcodes(Image.open(page))
    assert code.text == f"SO:SHEET:{flat.id}:2026-11-23:1"


def test_the_completed_record_shows_times_who_late_and_missed_counts_problems_incidents_and_signatures_SHW8(
        office, flat, tmp_path):
    from app.domain.showroom_day import SlotState
    from app.permissions import Role
    from app.services.showroom import checks, incidents
    from app.services.showroom.checks import Answer
    from tests.unit.showroom.conftest import SIGNED, staff

    docent = staff(office, "李讲解", Role.DOCENT)
    listed = items.item_list(office.uow(), apartment_id=flat.id)
    lamp = next(i for i in listed if i.name == "床头灯")
    points = templates.current(office.uow())
    clock.freeze(datetime(2026, 11, 23, 9, 50))  # the opening count late, a lamp short
    checks.record(docent, office.uow(), apartment_id=flat.id, day=DAY, slot="opening-1",
                  answers=[Answer(p, "ok") for p in points["opening"].points],
                  counts={i.id: i.quantity - (i.id == lamp.id) for i in listed}, strokes=SIGNED)
    clock.freeze(datetime(2026, 11, 23, 10, 50))
    first, *rest = points["inspection"].points
    checks.record(docent, office.uow(), apartment_id=flat.id, day=DAY, slot="inspection-1",
                  answers=[Answer(first, "problem", "地毯有污渍"), *(Answer(p, "ok") for p in rest)], strokes=SIGNED)
    incidents.record(docent, office.uow(), apartment_id=flat.id, kind="missing", item_id=lamp.id, quantity=1,
                     what="开门盘点少一盏床头灯")
    clock.freeze(datetime(2026, 11, 24, 9, 0))  # printed the next morning: the rest of the day missed
    out = tmp_path / "record.pdf"
    sheets.print_checklist(office.supervisor, office.uow(), day=DAY, out=str(out), filled=True)
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    for expected in ("样板房每日检查记录", "09:50", "迟 50 分钟", "10:50", "李讲解", "漏检", "短 1", "地毯有污渍",
                     "第 1 号", "开门盘点少一盏床头灯", "√", "×"):
        assert expected in text, expected
    [day] = sheets.checklist_days(office.supervisor, office.uow(), day=DAY, filled=True)
    assert day.record["opening-1"].state == SlotState.LATE and day.record["closing-1"].state == SlotState.MISSED
    assert day.record["opening-1"].signature  # drawn back into its box
    blank = BytesIO()
    checklist.build(sheets.checklist_days(office.supervisor, office.uow(), day=DAY), blank)
    assert "李讲解" not in "".join(p.extract_text() for p in PdfReader(BytesIO(blank.getvalue())).pages)
