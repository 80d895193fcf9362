"""`salesoffice import items FILE --apartment NAME`: an office's item list brought in from the command line (SHW-1)."""
from __future__ import annotations

import json

from tests.cli.conftest import query
from tests.unit.showroom.test_item_import import write_csv, write_xlsx


def db(office) -> str:
    return office.engine.url.render_as_string(hide_password=False)


def listed(office) -> list[tuple]:
    return query(db(office), "SELECT a.name, v.room, v.name, v.quantity, v.version, v.reason "
                             "FROM showroom_item_versions v JOIN showroom_items i ON i.id = v.item_id "
                             "JOIN apartments a ON a.id = i.apartment_id ORDER BY v.id")


def test_import_items_makes_the_apartment_and_a_second_run_says_nothing_changed_SHW1(run, office, tmp_path):
    path = write_xlsx(tmp_path / "物品清单.xlsx")
    first = run("--db", db(office), "import", "items", path, "--apartment", "A户型 三房两厅")
    assert first.code == 0, first.err
    assert first.out.strip() == "已新建样板房 A户型 三房两厅，导入 物品清单.xlsx 中的 4 项物品。"
    assert [row[:5] for row in listed(office)][:2] == [("A户型 三房两厅", "客厅", "三人沙发", 1, 1),
                                                       ("A户型 三房两厅", "客厅", "抱枕", 4, 1)]
    [(after,)] = query(db(office), "SELECT after FROM audit_log WHERE action = 'showroom.item_import'")
    assert json.loads(after)["by"].startswith("命令行，系统用户")
    again = run("--db", db(office), "import", "items", path, "--apartment", "A户型  三房两厅")
    assert again.code == 0 and again.out.strip() == "没有变化：A户型 三房两厅 的清单与 物品清单.xlsx 一致（4 项）。"
    assert len(listed(office)) == 4


def test_import_items_in_english_says_what_it_changed_SHW1(run, office, tmp_path):
    run("--db", db(office), "import", "items", write_xlsx(tmp_path / "list.xlsx"), "--apartment", "A")
    rows = [["1", "客厅", "三人沙发", "顾家", "1098", "2", "张", "12800", ""]]
    result = run("--db", db(office), "--language", "en", "import", "items",
                 write_csv(tmp_path / "recount.csv", rows=rows, encoding="gb18030"), "--apartment", "A")
    assert result.code == 0, result.err
    assert result.out.strip() == ("A: 0 items added, 1 changed (each a new version), 0 unchanged. 3 items on the list "
                                  "are not in the file; they are left as they are.")
    assert listed(office)[-1][3:] == (2, 2, "Imported from recount.csv")


def test_a_bad_row_is_one_line_naming_it_and_nothing_is_imported_SHW1(run, office, tmp_path):
    rows = [["1", "客厅", "三人沙发", "顾家", "1098", "1.5", "张", "12800", ""]]
    result = run("--db", db(office), "import", "items", write_csv(tmp_path / "清单.csv", rows=rows),
                 "--apartment", "B户型")
    assert result.code == 1 and "Traceback" not in result.err
    assert result.err.strip() == "第 4 行「数量」列：数量应为整数，例如 3。 未导入任何内容。"
    assert query(db(office), "SELECT count(*) FROM apartments") == [(0,)]


def test_an_apartment_name_too_long_is_said_with_its_option_SHW1(run, office, tmp_path):
    result = run("--db", db(office), "import", "items", write_csv(tmp_path / "清单.csv"), "--apartment", "长" * 41)
    assert result.code == 1 and result.err.strip() == "--apartment: 样板房太长：最多 40 个字。"
    assert run("--db", db(office), "import", "items", tmp_path / "清单.csv").code == 2  # --apartment is needed
    assert query(db(office), "SELECT count(*) FROM apartments") == [(0,)]
