"""Registers as offices save them (VIS-6): Excel 97-2003 (.xls, and what WPS templates save), LibreOffice (.ods)
and Excel (.xlsx), all read by one reader, give the same rows, the same cells shown and the same row numbers."""
from __future__ import annotations

import json
import shutil
from datetime import date, datetime, time, timedelta

import pytest

from app.errors import ValidationError
from app.files import register_file
from app.models.visitors import Visit
from app.services.visitors import register_io
from tests.unit.helpers import fetch, refused
from tests.unit.visitors.test_register_import_real import HEADER, TITLE, local, office_xlsx, visits_by_name
from tests.unit.visitors.workbooks import FIXTURES, write_ods

# The register of office_xlsx as LibreOffice keeps it: date, time and date-time cells, phones as numbers.
ODS_ROWS = [
    [TITLE],
    HEADER,
    [1, date(2026, 11, 20), time(14, 5), "王先生", 13812345678, 2, "朋友介绍", "三房", "120㎡", "李一", "自驾", None],
    [2, datetime(2026, 11, 21, 10, 30), None, "李女士", "13912345678", 1, "抖音", "两房", None, "周二", "地铁", "带小孩"],
    [],
    [3, "2026-11-22", "9:05", "张先生", 13712345678, 3, "看房团", None, None, "吴三", None, None],
    [4, date(2026, 11, 22), None, "赵女士", 13612345678, 2, "路过", None, None, "李一", None, None],
    ["制表人：王芳"],
    [None, "合计：4 组"],
]


def office_ods(tmp_path, name="登记表.ods"):
    return str(write_ods(tmp_path / name, ODS_ROWS, title_span=len(HEADER)))


def office_xls(tmp_path, name="登记表.xls"):
    """Made by tests/fixtures/make_xls.py: the same register as Excel 97-2003 or WPS saves it."""
    return str(shutil.copy(FIXTURES / "office_register.xls", tmp_path / name))


SAVED = {
    "xlsx": office_xlsx,
    "xls": office_xls,
    "ods": office_ods,
    "xls named .xlsx": lambda tmp_path: office_xls(tmp_path, "登记表.xlsx"),  # as some WPS versions save it
}


@pytest.mark.parametrize("kind", SAVED)
def test_a_register_saved_by_excel_wps_or_libreoffice_shows_its_cells_as_the_sheet_does_VIS6(tmp_path, kind):
    layout = register_file.inspect(SAVED[kind](tmp_path))
    assert layout.header_row == 2 and layout.headers == HEADER
    assert layout.mapping == {1: "date", 2: "time", 3: "name", 4: "phone", 5: "party_size", 6: "channel",
                              7: "intent", 8: "intent", 9: "consultant", 11: "note"}
    # A phone kept as a number shows its digits, a date cell its day, a time cell its minute: as the sheet shows.
    assert layout.sample[0][:6] == ["1", "2026-11-20", "14:05", "王先生", "13812345678", "2"]
    assert layout.sample[2][:5] == ["3", "2026-11-22", "9:05", "张先生", "13712345678"]


@pytest.mark.parametrize("kind", SAVED)
def test_a_register_saved_by_excel_wps_or_libreoffice_imports_the_same_visits_VIS6(office, tmp_path, kind):
    result = register_io.import_logs(office.manager, office.uow(), path=SAVED[kind](tmp_path))
    assert (result.visits, result.calls, result.new_customers, result.rejected) == (4, 0, 4, [])
    # Rows are numbered as the spreadsheet numbers them: the blank row 5 and the footer lines 8 and 9 skipped.
    assert [(s.row, s.text) for s in result.skipped] == [(5, ""), (8, "制表人：王芳"), (9, "合计：4 组")]
    seen = visits_by_name(office)
    assert local(seen["王先生"]) == datetime(2026, 11, 20, 14, 5)
    assert local(seen["李女士"]) == datetime(2026, 11, 21, 10, 30)  # a serial day and a fraction, or a date-time
    assert local(seen["张先生"]) == datetime(2026, 11, 22, 9, 5)
    assert local(seen["赵女士"]) == datetime(2026, 11, 22, 0, 0)
    assert seen["王先生"].party_size == 2 and seen["张先生"].party_size == 3
    assert seen["王先生"].intent == "三房 120㎡" and seen["李女士"].note == "带小孩"
    assert json.loads(seen["王先生"].extra) == {"序号": "1", "交通工具": "自驾"}
    assert json.loads(seen["赵女士"].extra) == {"序号": "4", "时间": "未登记"}


def test_phones_kept_as_numbers_are_stored_as_the_same_customers_as_typed_ones_REC1_VIS6(office, tmp_path):
    from app.models.visitors import Customer

    register_io.import_logs(office.manager, office.uow(), path=office_ods(tmp_path))
    assert sorted(c.phone for c in fetch(office, Customer)) == ["13612345678", "13712345678", "13812345678",
                                                                 "13912345678"]
    again = register_io.import_logs(office.manager, office.uow(), path=office_xls(tmp_path), all_or_nothing=False)
    assert not again.written and {r.reason for r in again.rejected} == {"已在登记表中"}  # the same rows, as .xls


def test_a_sheet_that_starts_lower_and_further_right_keeps_the_sheets_row_numbers_VIS6(office, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet["C3"] = "来访时间"
    sheet["D3"] = "姓名"
    sheet["E3"] = "手机"
    sheet["F3"] = "交通工具"
    sheet.append([None, None, datetime(2026, 11, 20, 9, 30), "林女士", 13912345678, "地铁"])  # row 4
    sheet.append([None, None, datetime(2026, 11, 20, 9, 45), "周先生", 12345, None])  # row 5: not a phone
    book.save(tmp_path / "lower.xlsx")
    path = str(tmp_path / "lower.xlsx")
    layout = register_file.inspect(path)
    assert layout.header_row == 3 and layout.headers[2:] == ["来访时间", "姓名", "手机", "交通工具"]
    result = register_io.import_logs(office.manager, office.uow(), path=path)
    [rejected] = result.rejected
    assert rejected.row == 5 and "11 位" in rejected.reason and fetch(office, Visit) == []
    good = register_io.import_logs(office.manager, office.uow(), path=path, all_or_nothing=False)
    [visit] = fetch(office, Visit)
    assert good.visits == 1 and json.loads(visit.extra) == {"交通工具": "地铁"}


def test_an_empty_workbook_is_said_to_be_empty_VIS6(office, tmp_path):
    from openpyxl import Workbook

    Workbook().save(tmp_path / "blank.xlsx")
    with refused(office, ValidationError, match="文件是空的"):
        register_io.import_logs(office.manager, office.uow(), path=str(tmp_path / "blank.xlsx"))
    with refused(office, ValidationError, match="文件是空的"):
        register_io.import_logs(office.manager, office.uow(), path=str(write_ods(tmp_path / "blank.ods", [])))


def test_a_time_written_as_a_duration_reads_as_the_time_of_day_VIS6():
    # LibreOffice keeps a time cell as a duration (PT14H05M00S); Excel's [h]:mm cells come the same way.
    assert register_file.text(timedelta(hours=14, minutes=5)) == "14:05"
    assert register_file.clock_time(timedelta(hours=9, minutes=5, seconds=30)) == (time(9, 5, 30),
                                                                                     timedelta(seconds=1))
    assert register_file.clock_time(timedelta(hours=14, minutes=5)) == (time(14, 5), timedelta(minutes=1))
    with pytest.raises(ValueError):
        register_file.clock_time(timedelta(hours=30))  # 30 hours is no time of day
    with pytest.raises(ValueError):
        register_file.moment(timedelta(hours=14))  # nor a day


def test_an_xls_whose_workbook_is_small_enough_for_the_mini_stream_imports_VIS6(office, tmp_path):
    """Excel pads a workbook to 4,096 bytes; other programs may not, and a compound file keeps a smaller stream in
    its mini stream. The check before reading follows it there, as calamine does."""
    import python_calamine

    from app.files.workbook_guard import _Compound
    from tests.unit.visitors.workbooks import biff_records, compound_file

    with (FIXTURES / "office_register.xls").open("rb") as f:
        compound = _Compound(f)
        entries = list(compound.entries())
        _name, _kind, start, size = next(e for e in entries if e[0] == "Workbook")
        stream = b"".join(compound.stream_bytes(entries, start, size))
    small = compound_file(tmp_path / "small.xls", biff_records(stream))
    with python_calamine.CalamineWorkbook.from_path(str(small)) as book:  # a compound file calamine reads
        assert book.get_sheet_by_index(0).height == 9
    result = register_io.import_logs(office.manager, office.uow(), path=str(small))
    assert (result.visits, result.rejected) == (4, [])
