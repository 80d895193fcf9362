"""Importing an office's own item list (物品清单) into a model apartment (SHW-1): the lists offices really keep — a
title above the header, their words for the columns, the 区域 cell merged over its room's rows, numbers typed as
text or as numbers, signatures and totals under the rows — and every refusal leaving the list as it was."""
from __future__ import annotations

import csv
import json
from datetime import timedelta

import pytest

from app import clock
from app.errors import PermissionDenied, ValidationError
from app.services.showroom import item_import, items
from tests.unit.helpers import audit_entries, refused, snapshot
from tests.unit.visitors.workbooks import bomb_xlsx, write_ods

TITLE = "滨江花园 A户型样板房物品清单"
HEADER = ["序号", "区域", "物品名称", "品牌", "规格型号", "数量", "单位", "单价（元）", "备注"]
# As typed in a spreadsheet: row 1 the title, row 2 blank, row 3 the header; the rooms' cells merged (only the
# first of a room's rows holds its name).
ROWS = [
    [1, "客厅", "三人沙发", "顾家", "1098", 1, "张", 12800, ""],
    [2, "", "抱枕", "", "", 4, "个", 90.5, "灰色"],
    [3, "主卧", "床头灯", "欧普", "", 2, "盏", "680", ""],
    [4, "", "装饰画", "", "60×90", 2, "幅", "", "床头上方"],
]
FOOTERS = [["合计", "", "", "", "", 9, "", "", ""], ["盘点人：王芳", "", "", "", "审核：李四", "", "", "", ""]]
AS_TEXT = [  # the same rows as people type them into a CSV
    ["1", "客厅", "三人沙发", "顾家", "1098", "1", "张", "12,800.00", ""],
    ["2", "", "抱枕", "", "", "４", "个", "￥90.50", "灰色"],
    ["3", "主卧", "床头灯", "欧普", "", " 2 ", "盏", "680元", ""],
    ["4", "", "装饰画", "", "60×90", "2", "幅", "", "床头上方"],
]
LISTED = [("主卧", "床头灯", "欧普", 2, "盏", 68_000, ""), ("主卧", "装饰画", "60×90", 2, "幅", 0, "床头上方"),
          ("客厅", "三人沙发", "顾家 1098", 1, "张", 1_280_000, ""), ("客厅", "抱枕", "", 4, "个", 9_050, "灰色")]
FLAT = "A户型 三房两厅"


def write_xlsx(path, rows=ROWS, header=HEADER, footers=FOOTERS):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append([])
    sheet.append(header)
    for row in [*rows, *footers]:
        sheet.append(row)
    sheet.merge_cells("B4:B5")  # 客厅 over its two rows
    sheet.merge_cells("B6:B7")
    book.save(path)
    return str(path)


def write_csv(path, rows=AS_TEXT, header=HEADER, encoding="utf-8-sig", footers=FOOTERS):
    with open(path, "w", encoding=encoding, newline="") as f:
        out = csv.writer(f)
        out.writerow([TITLE] + [""] * (len(header) - 1))
        out.writerow([""] * len(header))
        out.writerows([header, *rows, *([str(c) for c in row] for row in footers)])
    return str(path)


def listed(office, name=FLAT):
    flat = next(f for f in items.apartments(office.uow()) if f.name == name)
    return [(i.room, i.name, i.spec, i.quantity, i.unit, i.price_fen, i.note)
            for i in items.item_list(office.uow(), apartment_id=flat.id)]


def run(office, path, name=FLAT, actor=None):
    return item_import.import_items(actor or office.supervisor, office.uow(), apartment_name=name, path=path)


def test_an_office_s_xlsx_list_under_its_title_makes_the_apartment_and_its_items_SHW1(office, tmp_path):
    done = run(office, write_xlsx(tmp_path / "物品清单.xlsx"))
    assert (done.created, done.added, done.changed, done.unchanged, done.not_in_file) == (True, 4, 0, 0, 0)
    assert done.summary() == "已新建样板房 A户型 三房两厅，导入 物品清单.xlsx 中的 4 项物品。"
    assert listed(office) == LISTED  # the merged 区域 fills its rows; 品牌 and 规格型号 make the brand and model
    [entry] = audit_entries(office, "showroom.item_import")
    assert entry.actor_id == office.supervisor.id
    assert json.loads(entry.after)["file"] == "物品清单.xlsx" and json.loads(entry.after)["added"] == 4


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_a_csv_with_numbers_typed_as_text_reads_the_same_SHW1(office, tmp_path, encoding):
    """UTF-8 with BOM (what Excel's "CSV UTF-8" saves) and GB18030 (what Excel on a Chinese Windows saves)."""
    run(office, write_csv(tmp_path / "物品清单.csv", encoding=encoding))
    assert listed(office) == LISTED


def test_an_ods_list_as_libreoffice_saves_it_reads_the_same_SHW1(office, tmp_path):
    ods = write_ods(tmp_path / "物品清单.ods", [[TITLE], [], HEADER, *ROWS, *FOOTERS], title_span=len(HEADER))
    run(office, str(ods))
    assert listed(office) == LISTED


def test_importing_the_same_file_again_changes_nothing_and_says_so_SHW1(office, tmp_path):
    path = write_xlsx(tmp_path / "物品清单.xlsx")
    run(office, path)
    before = snapshot(office)
    again = run(office, path)
    assert (again.created, again.added, again.changed, again.unchanged) == (False, 0, 0, 4)
    assert again.summary() == "没有变化：A户型 三房两厅 的清单与 物品清单.xlsx 一致（4 项）。"
    assert snapshot(office) == before  # not even an audit entry
    assert listed(office) == LISTED


def test_a_changed_quantity_is_a_new_version_naming_the_file_and_items_not_in_it_stay_SHW1(office, tmp_path):
    run(office, write_xlsx(tmp_path / "物品清单.xlsx"))
    clock.advance(timedelta(days=1))
    recount = [row[:] for row in ROWS[:2]]
    recount[1][5] = 3  # one cushion gone
    done = run(office, write_xlsx(tmp_path / "复盘.xlsx", rows=recount))
    assert (done.added, done.changed, done.unchanged, done.not_in_file) == (0, 1, 1, 2)
    assert "2 项在清单上但不在文件中，保持不变" in done.summary()
    assert ("客厅", "抱枕", "", 3, "个", 9_050, "灰色") in listed(office) and len(listed(office)) == 4
    cushion = next(i for i in items.item_list(office.uow(), apartment_id=items.apartments(office.uow())[0].id)
                   if i.name == "抱枕")
    history = items.item_history(office.uow(), item_id=cushion.id)
    assert [(h.version, h.quantity, h.by, h.reason) for h in history] == [
        (1, 4, "钱主管", "导入 物品清单.xlsx"), (2, 3, "钱主管", "导入 复盘.xlsx")]


def test_a_file_without_a_price_column_keeps_the_prices_on_the_list_SHW1(office, tmp_path):
    run(office, write_xlsx(tmp_path / "物品清单.xlsx"))
    header = [h for h in HEADER if h != "单价（元）"]
    rows = [[c for i, c in enumerate(row) if i != 7] for row in ROWS]
    done = run(office, write_xlsx(tmp_path / "盘点.xlsx", rows=rows, header=header, footers=[]))
    assert (done.changed, done.unchanged) == (0, 4) and listed(office) == LISTED


@pytest.mark.parametrize(("cell", "column", "said"), [
    (5, "-1", "数量应为整数"), (5, "1.5", "数量应为整数"), (5, "两", "数量应为整数"), (5, 2.5, "数量应为整数"),
    (7, "很贵", "以元计的金额"), (7, "-5", "以元计的金额"), (2, "", "请填写物品名称"),
])
def test_one_bad_row_is_named_with_its_number_and_column_and_nothing_is_imported_SHW1(office, tmp_path, cell, column,
                                                                                      said):
    run(office, write_xlsx(tmp_path / "物品清单.xlsx"))
    bad = [row[:] for row in ROWS]
    bad[2][cell] = column  # row 6 of the sheet: 主卧's 床头灯
    path = write_xlsx(tmp_path / "改过.xlsx", rows=bad)
    with refused(office, ValidationError, match=rf"第 6 行「{HEADER[cell]}」列：.*{said}.*未导入任何内容"):
        run(office, path, name="B户型")  # neither B户型 made nor anything changed
    assert [f.name for f in items.apartments(office.uow())] == [FLAT]


def test_every_bad_row_is_counted_and_an_item_listed_twice_is_refused_SHW1(office, tmp_path):
    bad = [*ROWS, [5, "主卧", "床头灯", "欧普", "", 1, "盏", 680, ""]]
    bad[0] = [1, "客厅", "三人沙发", "顾家", "1098", "一张", "张", 12800, ""]
    with refused(office, ValidationError, match=r"第 4 行「数量」列.*另有 1 行也被拒绝"):
        run(office, write_xlsx(tmp_path / "物品清单.xlsx", rows=bad))
    twice = write_xlsx(tmp_path / "重复.xlsx", rows=[*ROWS, [5, "主卧", "床头灯", "欧普", "", 1, "盏", 680, ""]])
    with refused(office, ValidationError, match="第 8 行再次列出 主卧 床头灯 欧普（首次在第 6 行）"):
        run(office, twice)


def test_a_column_twice_or_a_needed_column_missing_is_refused_naming_it_SHW1(office, tmp_path):
    twice = write_csv(tmp_path / "两个数量.csv", header=[*HEADER[:6], "数量", *HEADER[7:]])
    with refused(office, ValidationError, match=r"只能有一列作为“数量”.*第 3 行.*数量、数量"):
        run(office, twice)
    no_room = write_csv(tmp_path / "无区域.csv", header=["序号", "", *HEADER[2:]])
    with refused(office, ValidationError, match="文件缺少列：区域（表头在第 3 行"):
        run(office, no_room)
    prose = tmp_path / "随便.csv"
    prose.write_text("\n".join(f"第 {n} 行随便写的字" for n in range(30)), encoding="utf-8")
    with refused(office, ValidationError, match=r"前 20 行中没有列名行（如 区域、物品名称、数量）"):
        run(office, str(prose))


def test_a_file_that_cannot_be_read_is_refused_in_one_sentence_SHW1(office, tmp_path):
    utf16 = write_csv(tmp_path / "utf16.csv", encoding="utf-16")
    with refused(office, ValidationError, match="无法读取 utf16.csv"):
        run(office, utf16)
    with refused(office, ValidationError, match="解压后达到 1,024.0 MB 以上"):
        run(office, str(bomb_xlsx(tmp_path / "炸弹.xlsx")))
    (tmp_path / "清单.docx").write_bytes(b"PK")
    with refused(office, ValidationError, match=r"\.csv、\.xlsx、\.xls 或 \.ods"):
        run(office, str(tmp_path / "清单.docx"))


def test_an_apartment_name_too_long_or_empty_is_refused_before_the_file_is_read_SHW1(office, tmp_path):
    path = write_xlsx(tmp_path / "物品清单.xlsx")
    with refused(office, ValidationError, match="样板房太长：最多 40 个字"):
        run(office, path, name="很" * 41)
    with refused(office, ValidationError, match="请填写样板房名称"):
        run(office, path, name="  ")


def test_only_who_keeps_the_lists_imports_one_SHW1_SEC2(office, tmp_path):
    path = write_xlsx(tmp_path / "物品清单.xlsx")
    with refused(office, PermissionDenied):
        run(office, path, actor=office.receptionist)
