"""`salesoffice export visits` and `import visits`: the register in and out from the command line (VIS-5, VIS-6)."""
from __future__ import annotations

import csv
import json

import pytest

from app.services import audit
from app.services.reception import rotation, visits
from app.services.reception.visits import Registration
from tests.cli.conftest import query

HEADER = ["来访时间", "类型", "姓名", "手机", "人数", "渠道", "意向", "置业顾问", "备注"]


def db(office) -> str:
    return office.engine.url.render_as_string(hide_password=False)


def visit_rows(office) -> int:
    return query(db(office), "SELECT count(*) FROM visits")[0][0]


def test_export_writes_the_register_with_full_phones_and_audits_why_VIS5(run, office, tmp_path):
    rotation.sign_in(office.receptionist, office.uow(), consultant_id=office.consultants[0].id)
    visits.register(office.receptionist, office.uow(), Registration(name="王先生", phone="13812345678",
                                                                    party_size=2, channel="internet"))
    out = tmp_path / "register.csv"
    result = run("--db", db(office), "export", "visits", "--out", out, "--from", "2026-11-01",
                 "--reason", "营销部月度汇总")
    assert result.code == 0 and "已导出 1 行" in result.out
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == HEADER
    assert rows[1][1:6] == ["来访", "王先生", "13812345678", "2", "网络"]
    [entry] = audit.list_entries(office.manager, office.uow(), action="exports.visitor_register")
    after = json.loads(entry.after)
    assert after["reason"] == "营销部月度汇总" and after["rows"] == 1 and after["by"].startswith("命令行")


def test_export_never_replaces_a_file_unless_told_VIS5(run, office, tmp_path):
    """An existing file, an earlier export or anything else, is kept as it was unless --overwrite is given."""
    out = tmp_path / "register.csv"
    out.write_text("上周的导出，不要覆盖", encoding="utf-8")
    refused = run("--db", db(office), "export", "visits", "--out", out, "--reason", "周报")
    assert refused.code == 1 and "已存在" in refused.err and "--overwrite" in refused.err
    assert out.read_text(encoding="utf-8") == "上周的导出，不要覆盖"
    assert not audit.list_entries(office.manager, office.uow(), action="exports.visitor_register")
    (tmp_path / "归档.csv").mkdir()
    folder = run("--db", db(office), "export", "visits", "--out", tmp_path / "归档.csv", "--reason", "周报")
    assert folder.code == 1 and "是文件夹" in folder.err
    replaced = run("--db", db(office), "export", "visits", "--out", out, "--reason", "周报", "--overwrite")
    assert replaced.code == 0 and out.read_text(encoding="utf-8-sig").startswith("来访时间")


def test_export_needs_a_reason_and_a_real_date_VIS5(run, office, tmp_path):
    out = tmp_path / "register.csv"
    assert run("--db", db(office), "export", "visits", "--out", out).code == 2
    bad_date = run("--db", db(office), "export", "visits", "--out", out, "--from", "2026-02-30", "--reason", "x")
    assert bad_date.code == 2 and "不是 2026-11-23 这样的日期" in bad_date.err
    assert not out.exists()


@pytest.mark.parametrize(("option", "day"), [("--from", "0001-01-01"), ("--to", "9999-12-31"),
                                             ("--from", "1900-01-01")])
def test_export_refuses_a_day_outside_the_office_s_window_naming_the_option_VIS5(run, office, tmp_path, option, day):
    out = tmp_path / "register.xlsx"
    result = run("--db", db(office), "export", "visits", "--out", out, option, day, "--reason", "x")
    assert result.code == 1 and result.err.startswith(f"{option}: ") and day in result.err
    assert "超出本案场可记录的日期范围" in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1 and not out.exists()


def write_register(path, rows):
    with open(path, "w", encoding="gb18030", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(rows)


GOOD = ["2026-11-20 10:05", "来访", "林女士", "139 1234 5678", "2", "朋友介绍", "三房", "李一", ""]
BAD = ["2026-11-20 10:30", "来访", "赵先生", "12345", "1", "路过", "", "李一", ""]


def test_import_is_all_or_nothing_and_names_each_refused_row_VIS6(run, office, tmp_path):
    file = tmp_path / "old.csv"
    write_register(file, [GOOD, BAD])
    before = visit_rows(office)
    result = run("--db", db(office), "import", "visits", file)
    assert result.code == 1
    assert "第 3 行" in result.err and "未导入任何内容" in result.err
    assert visit_rows(office) == before


def test_import_with_skip_invalid_writes_the_good_rows_and_the_rejects_file_VIS6(run, office, tmp_path):
    file, rejects = tmp_path / "old.csv", tmp_path / "rejects.csv"
    write_register(file, [GOOD, BAD])
    before = visit_rows(office)
    result = run("--db", db(office), "import", "visits", file, "--skip-invalid", "--rejects", rejects)
    assert result.code == 0 and "已导入来访 1 次" in result.out and "1 行被拒绝" in result.out
    assert visit_rows(office) == before + 1
    with open(rejects, encoding="utf-8-sig", newline="") as f:
        refused = list(csv.reader(f))
    assert refused[0] == ["行号", "原因", *HEADER] and refused[1][0] == "3"
    assert refused[1][2:] == BAD  # the row itself, to correct and import again
    again = run("--db", db(office), "import", "visits", file, "--skip-invalid")
    assert visit_rows(office) == before + 1  # importing the same file twice adds nothing twice
    assert "第 2 行：已在登记表中" in again.err


def test_rejects_needs_skip_invalid_VIS6(run, office, tmp_path):
    file = tmp_path / "old.csv"
    write_register(file, [GOOD])
    result = run("--db", db(office), "import", "visits", file, "--rejects", tmp_path / "r.csv")
    assert result.code == 2 and "--skip-invalid" in result.err


def test_an_unknown_consultant_is_refused_unless_accounts_are_created_VIS6(run, office, tmp_path):
    file = tmp_path / "old.csv"
    newcomer = ["2026-11-21 15:00", "来访", "钱女士", "137 0000 1111", "1", "网络", "", "孔新人", ""]
    write_register(file, [newcomer, BAD[:7] + ["孔另一位", ""]])
    refused = run("--db", db(office), "import", "visits", file)
    assert refused.code == 1 and "没有名为 孔新人 的置业顾问" in refused.err
    result = run("--db", db(office), "import", "visits", file, "--skip-invalid", "--create-consultants")
    assert result.code == 0 and "已导入来访 1 次" in result.out
    assert "已为办公室尚无账号的置业顾问创建账号，待经理设置密码：孔新人" in result.out
    names = [n for (n,) in query(db(office), "SELECT name FROM staff WHERE role = 'consultant'")]
    assert "孔新人" in names and "孔另一位" not in names  # only for rows that were kept
    [owner] = query(db(office), "SELECT s.name FROM customers c JOIN staff s ON s.id = c.owner_id "
                                "WHERE c.phone = '13700001111'")
    assert owner == ("孔新人",)


def test_only_those_who_manage_staff_may_create_consultants_by_importing_SEC2_VIS6(office, tmp_path):
    import pytest

    from app.errors import PermissionDenied
    from app.services.visitors import register_io

    file = tmp_path / "old.csv"
    write_register(file, [GOOD[:7] + ["孔新人", ""]])
    with pytest.raises(PermissionDenied):
        register_io.import_logs(office.supervisor, office.uow(), path=str(file), create_consultants=True)
    done = register_io.import_logs(office.manager, office.uow(), path=str(file), create_consultants=True)
    assert done.visits == 1 and done.new_consultants == ["孔新人"]


def test_a_binary_file_or_a_missing_one_is_refused_in_plain_words_VIS6(run, office, tmp_path):
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\xff\xfe\x00\x89PNG" * 50)
    before = visit_rows(office)
    result = run("--db", db(office), "import", "visits", binary)
    assert result.code == 1 and "既不是 UTF-8 也不是 GB18030" in result.err and "codec" not in result.err
    missing = run("--db", db(office), "import", "visits", tmp_path / "nope.csv")
    assert missing.code == 1 and "文件或其所在文件夹不存在" in missing.err
    assert visit_rows(office) == before


def test_an_office_register_imports_with_its_own_words_without_asking_VIS6(run, office, tmp_path):
    from tests.unit.visitors.test_register_import_real import office_csv

    file = office_csv(tmp_path)  # title row, 客户姓名/联系电话/来访日期/到访时间…, a blank row, two footer lines
    before = visit_rows(office)
    result = run("--db", db(office), "import", "visits", file)
    assert result.code == 0 and "已导入来访 4 次" in result.out
    assert "已跳过 3 个空行或表尾行" in result.err and "合计：4 组" in result.err
    assert visit_rows(office) == before + 4
    [(extra,)] = query(db(office), "SELECT extra FROM visits WHERE name = '王先生'")
    assert json.loads(extra) == {"序号": "1", "交通工具": "自驾"}


def test_a_register_over_the_size_limit_or_not_a_register_is_refused_VIS6(run, office, tmp_path):
    from app.files.register_file import MAX_BYTES

    huge = tmp_path / "huge.csv"
    with huge.open("wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: no disk, no time
    before = visit_rows(office)
    result = run("--db", db(office), "import", "visits", huge)
    assert result.code == 1 and "最大 200 MB" in result.err and "Traceback" not in result.err
    other = run("--db", db(office), "import", "visits", tmp_path / "register.pdf")
    assert other.code == 1 and "请选择 .csv、.xlsx、.xls 或 .ods 文件。" in other.err
    assert visit_rows(office) == before


def test_on_a_terminal_the_import_says_how_far_it_is_VIS6(run, office, tmp_path, monkeypatch):
    import sys

    from tests.unit.visitors.test_register_import_real import big_register

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    result = run("--db", db(office), "import", "visits", big_register(tmp_path, 3000))
    assert result.code == 0 and "已导入来访 3000 次" in result.out
    assert result.err.count("\r正在导入… ") >= 2 and "\r正在导入… 100%\n" in result.err


def test_an_xlsx_export_on_a_full_disk_says_so_in_one_line_and_leaves_no_file_VIS5(run, office, tmp_path):
    """The file size limit makes every write past 16 KB fail, as a full disk would. An archive left open would
    print its failed close when collected: pytest reports that (an unraisable exception) as a failure."""
    import gc
    import resource
    import signal

    from tests.unit.bulk import bulk_visits

    bulk_visits(office, 2000)
    folder = tmp_path / "stick"
    folder.mkdir()
    limits = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, limits[1]))
    try:
        result = run("--db", db(office), "export", "visits", "--out", folder / "register.xlsx", "--reason", "月报")
        gc.collect()
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limits)
        signal.signal(signal.SIGXFSZ, previous)
    assert result.code == 1 and result.err.strip() == "无法写入 register.xlsx：磁盘已满"
    assert list(folder.iterdir()) == []


def test_registers_saved_as_xls_or_ods_import_from_the_command_line_VIS6(run, office, tmp_path):
    from tests.unit.visitors.test_register_workbooks import office_ods, office_xls

    before = visit_rows(office)
    xls = run("--db", db(office), "import", "visits", office_xls(tmp_path))
    assert xls.code == 0 and "已导入来访 4 次" in xls.out and "已跳过 3 个空行或表尾行" in xls.err
    ods = run("--db", db(office), "import", "visits", office_ods(tmp_path), "--skip-invalid")
    assert ods.code == 0 and "已导入来访 0 次" in ods.out  # the same visits: nothing twice
    assert visit_rows(office) == before + 4


def test_a_hostile_workbook_is_refused_in_one_translated_line_VIS6(run, office, tmp_path):
    from tests.unit.visitors.workbooks import bomb_xlsx, far_cell_xlsx

    before = visit_rows(office)
    bomb = run("--db", db(office), "import", "visits", bomb_xlsx(tmp_path / "bomb.xlsx"))
    assert bomb.code == 1 and "bomb.xlsx 从 1.0 MB 解压后达到 1,024.0 MB 以上" in bomb.err
    far = run("--db", db(office), "import", "visits", far_cell_xlsx(tmp_path / "far.xlsx"))
    assert far.code == 1 and "far.xlsx 的工作表共占 17,179,869,184 个单元格" in far.err
    fake = tmp_path / "fake.xlsx"
    fake.write_text("姓名,手机\n", encoding="utf-8")
    not_zip = run("--db", db(office), "import", "visits", fake)
    assert not_zip.code == 1 and "无法读取 fake.xlsx：它不是 Excel 或 OpenDocument 电子表格" in not_zip.err
    for said in (bomb, far, not_zip):
        assert "Traceback" not in said.err and "zip" not in said.err.replace(".xlsx", "")
    assert visit_rows(office) == before
