"""Hostile and broken workbooks (VIS-6): a zip bomb, a part that holds more than it says, a cell far away, a
file that is not what its name says, one cut short. Each is refused at once in a translated sentence naming the
file, nothing is imported, and reading it never takes the station's memory (calamine reads a sheet whole)."""
from __future__ import annotations

import csv
import json
import random
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from app.errors import ValidationError
from app.files import register_file, workbook_guard
from app.services.visitors import register_io
from tests.unit.helpers import refused
from tests.unit.visitors.test_register_import_real import office_xlsx
from tests.unit.visitors.workbooks import (FIXTURES, bomb_xlsx, far_cell_xlsx, lying_xlsx, sheet_xml, write_ods,
                                           write_zip, xlsx_parts)

ROOT = Path(__file__).resolve().parents[3]


def importing(office, path):
    return register_io.import_logs(office.manager, office.uow(), path=str(path))


def far_cell_ods(path: Path) -> Path:
    """Under 1 KB of content.xml: a header, then one filled cell repeated across every column of a million rows."""
    with zipfile.ZipFile(write_ods(path, [["姓名", "手机"]])) as z:
        content = z.read("content.xml")
    far = (b'<table:table-row table:number-rows-repeated="1048575"><table:table-cell office:value-type="string" '
           b'table:number-columns-repeated="16384"><text:p>x</text:p></table:table-cell></table:table-row>')
    return write_zip(path, {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                            "content.xml": content.replace(b"</table:table>", far + b"</table:table>")},
                     stored=("mimetype",))


def test_a_zip_bomb_is_refused_at_once_naming_the_file_and_nothing_is_imported_VIS6(office, tmp_path):
    bomb = bomb_xlsx(tmp_path / "来访登记.xlsx")  # 1 MB that unpacks to 1 GB
    assert bomb.stat().st_size < 2 * 2**20
    started = time.perf_counter()
    with refused(office, ValidationError, match=r"来访登记\.xlsx 从 1\.0 MB 解压后达到 1,024\.0 MB 以上.*未读取"):
        importing(office, bomb)
    assert time.perf_counter() - started < 1  # the archive's table of contents says it: nothing is unpacked


def test_a_part_that_holds_more_than_it_declares_is_refused_as_damaged_VIS6(office, tmp_path):
    liar = lying_xlsx(tmp_path / "liar.xlsx")  # declares 2,000 bytes, holds 64 MB
    started = time.perf_counter()
    with refused(office, ValidationError, match=r"无法读取 liar\.xlsx：文件已损坏"):
        importing(office, liar)
    assert time.perf_counter() - started < 1  # unpacked no further than it declares


@pytest.mark.parametrize("far", ["xlsx", "xls", "ods"])
def test_a_cell_far_away_is_refused_before_the_sheet_is_read_VIS6(office, tmp_path, far):
    path = {"xlsx": lambda: far_cell_xlsx(tmp_path / "远.xlsx"),  # 600 bytes: a cell at XFD1048576
            "xls": lambda: Path(shutil.copy(FIXTURES / "far_cell.xls", tmp_path / "远.xls")),  # IV65536
            "ods": lambda: far_cell_ods(tmp_path / "远.ods")}[far]()
    started = time.perf_counter()
    with refused(office, ValidationError, match=rf"远\.{far} 的工作表共占 [\d,]+ 个单元格.*一次最多能读取 1,500,000 个"):
        importing(office, path)
    assert time.perf_counter() - started < 1


def test_hostile_workbooks_never_take_the_stations_memory_VIS6(tmp_path):
    """Read in a process of its own, whose peak memory is its own: under 300 MB. (Its VmHWM: getrusage's peak
    would count the pytest process it was forked from.)"""
    files = [bomb_xlsx(tmp_path / "bomb.xlsx"), lying_xlsx(tmp_path / "liar.xlsx"),
             far_cell_xlsx(tmp_path / "far.xlsx"), far_cell_xlsx(tmp_path / "near_far.xlsx", "Z1000000"),
             Path(shutil.copy(FIXTURES / "far_cell.xls", tmp_path / "far.xls")), far_cell_ods(tmp_path / "far.ods")]
    script = (
        "import re, sys\n"
        "from app.errors import ValidationError\n"
        "from app.files import register_file\n"
        "for path in sys.argv[1:]:\n"
        "    try:\n"
        "        register_file.inspect(path)\n"
        "    except ValidationError as e:\n"
        "        print(e)\n"
        "with open('/proc/self/status') as f:\n"
        "    print(int(re.search(r'VmHWM:\\s*(\\d+) kB', f.read()).group(1)) // 1024)\n")
    done = subprocess.run([sys.executable, "-c", script, *map(str, files)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=True)
    *said, peak = done.stdout.splitlines()
    assert len(said) == len(files) and all(("bomb" in s and "解压后" in s) or "已损坏" in s or "单元格" in s
                                            for s in said), said
    assert int(peak) < 300, f"{peak} MB"


def test_a_register_with_more_cells_than_can_be_read_at_once_says_how_to_import_it_VIS6(office, tmp_path,
                                                                                       monkeypatch):
    monkeypatch.setattr(workbook_guard, "MAX_CELLS", 40)  # the real limit, 1.5 million cells, takes long to make
    path = office_xlsx(tmp_path)  # 9 rows of 12 columns
    with refused(office, ValidationError, match=r"登记表\.xlsx 的工作表共占 108 个单元格.*拆成几个较小的文件，或另存为 CSV"):
        importing(office, path)


def test_cells_without_their_place_are_placed_as_the_reader_places_them_VIS6(office, tmp_path):
    # A writer may leave out a cell's `r`: the cell follows the one before it, on the row its <row r> says.
    def row(number: str, *texts: str) -> str:
        return f'<row r="{number}">' + "".join(f'<c t="inlineStr"><is><t>{t}</t></is></c>' for t in texts) + "</row>"

    header = [("A1", "来访时间"), ("B1", "姓名"), ("C1", "手机")]
    sheet = sheet_xml([]).replace(b"<sheetData>", ("<sheetData>" + row("1", "来访时间", "姓名", "手机")
                                                   + row("2", "2026-11-20 10:05", "林女士", "13912345678")).encode())
    plain = write_zip(tmp_path / "plain.xlsx", xlsx_parts(sheet))
    assert importing(office, plain).visits == 1
    # 20 cells without their place on row 1,048,576: a grid of 21 million cells.
    far = sheet_xml(header).replace(b"</sheetData>", b'<row r="1048576">' + b"<c><v>1</v></c>" * 20
                                    + b"</row></sheetData>")
    with refused(office, ValidationError, match=r"far\.xlsx 的工作表共占 20,971,520 个单元格"):
        importing(office, write_zip(tmp_path / "far.xlsx", xlsx_parts(far)))


@pytest.mark.parametrize(("name", "content", "said"), [
    ("text.xlsx", b"\xe5\xa7\x93\xe5\x90\x8d,\xe6\x89\x8b\xe6\x9c\xba\n", "它不是 Excel 或 OpenDocument 电子表格"),
    ("picture.ods", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "它不是 Excel 或 OpenDocument 电子表格"),
    ("letter.xlsx", "docx", "它不是 Excel 或 OpenDocument 电子表格"),  # a Word file renamed: a zip, not a workbook
    ("cut.xlsx", "cut", "文件已损坏（不完整或被改动过）"),  # an upload or a copy broken off half way
    ("cut.xls", "cut xls", "文件已损坏（不完整或被改动过）"),
    ("empty.xlsx", b"PK\x05\x06" + b"\x00" * 18, "它不是 Excel 或 OpenDocument 电子表格"),  # an empty zip
], ids=lambda v: v if isinstance(v, str) and "." in v else "")
def test_a_file_that_is_not_the_workbook_its_name_says_is_named_in_plain_words_VIS6(office, tmp_path, name,
                                                                                   content, said):
    path = tmp_path / name
    if content == "docx":
        write_zip(path, {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    elif content == "cut":
        path.write_bytes(Path(office_xlsx(tmp_path)).read_bytes()[:3000])
    elif content == "cut xls":
        path.write_bytes((FIXTURES / "office_register.xls").read_bytes()[:1500])
    else:
        path.write_bytes(content)
    with refused(office, ValidationError) as info:
        importing(office, path)
    message = str(info.value)
    assert message.startswith(f"无法读取 {name}：") and said in message
    for english in ("zip", "File is not", "EOCD", "Error", "invalid"):  # never the library's own words
        assert english not in message


def test_a_csv_saved_in_gbk_by_excel_or_wps_on_a_chinese_windows_imports_VIS6(office, tmp_path):
    path = tmp_path / "登记表.csv"
    with path.open("w", encoding="gbk", newline="") as f:  # 'CSV (逗号分隔)': the system's code page, GBK
        out = csv.writer(f)
        out.writerow(["滨江花园项目来访客户登记表"])
        out.writerow(["来访时间", "客户姓名", "联系电话", "认知途径", "交通工具"])
        out.writerow(["2026-11-20 14:05", "欧阳先生", "13812345678", "朋友介绍", "自驾"])
    done = importing(office, path)
    assert done.visits == 1 and done.rejected == []
    from app.models.visitors import Visit
    from tests.unit.helpers import fetch

    [visit] = fetch(office, Visit)
    assert visit.name == "欧阳先生" and json.loads(visit.extra) == {"交通工具": "自驾"}


def test_a_csv_cell_too_long_to_read_is_said_in_plain_words_VIS6(office, tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("来访时间,姓名,手机\n2026-11-20 14:05,\"" + "长" * 200_000 + "\",13812345678\n", encoding="utf-8")
    with refused(office, ValidationError, match=r"无法读取 long\.csv：它不是电子表格软件写出的 CSV 文本") as info:
        importing(office, path)
    assert "field" not in str(info.value)


def test_the_guard_says_what_a_good_workbook_holds_VIS6(tmp_path):
    # What is read by what it holds: an .xls named .xlsx is an .xls.
    assert workbook_guard.check(Path(office_xlsx(tmp_path))) == "xlsx"
    assert workbook_guard.check(FIXTURES / "office_register.xls") == "xls"
    assert workbook_guard.check(write_ods(tmp_path / "a.ods", [["姓名", "手机"]])) == "ods"
    assert register_file.read_format_of("a.ODS") == "ods"


@pytest.mark.parametrize("far_cell", [
    b'<c s="0" r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>',  # its place not first
    b"<c r='XFD1048576' t='inlineStr'><is><t>x</t></is></c>",  # in single quotes
    b'<c r = "XFD1048576" t="inlineStr"><is><t>x</t></is></c>',  # spaced
    b'<c\nr="XFD1048576" t="inlineStr"><is><t>x</t></is></c>',  # on a line of its own
    b'<x:c r="XFD1048576" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c>',  # with a namespace's prefix
], ids=["not-first", "quotes", "spaced", "newline", "prefixed"])
def test_a_far_cell_written_any_way_xml_allows_is_found_VIS6(office, tmp_path, far_cell):
    sheet = sheet_xml([("A1", "姓名"), ("B1", "手机")]).replace(
        b"</sheetData>", b'<row r="1048576">' + far_cell + b"</row></sheetData>")
    with refused(office, ValidationError, match="far.xlsx 的工作表共占"):
        importing(office, write_zip(tmp_path / "far.xlsx", xlsx_parts(sheet)))


def test_an_archive_that_seems_one_kind_is_checked_as_either_VIS6(office, tmp_path):
    # An .xlsx that carries a content.xml too is still checked as an .xlsx (and the content.xml as an .ods).
    parts = xlsx_parts(sheet_xml([("A1", "姓名"), ("B1", "手机"), ("XFD1048576", "x")]))
    parts["content.xml"] = b"<office:document-content/>"
    with refused(office, ValidationError, match="both.xlsx 的工作表共占"):
        importing(office, write_zip(tmp_path / "both.xlsx", parts))


def test_a_picture_in_a_workbook_is_no_tag_VIS6(office, tmp_path):
    # A picture's bytes may hold a '<' and then megabytes without a '>': not a tag, and the register imports.
    parts = xlsx_parts(sheet_xml([("A1", "来访时间"), ("B1", "姓名"), ("C1", "手机"), ("A2", "2026-11-20 10:05"),
                                  ("B2", "林女士"), ("C2", "13912345678")]))
    picture = random.Random(7).randbytes(3 * 2**20).replace(b">", b"=")  # 3 MB, no '>' in it
    parts["xl/media/image1.bmp"] = b"BM<" + picture
    assert importing(office, write_zip(tmp_path / "picture.xlsx", parts)).visits == 1
