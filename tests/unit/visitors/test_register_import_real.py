"""Importing the registers real offices keep (VIS-6): a title above the header, their own words for the columns,
date and time apart, Excel date cells, blank rows and footer lines, columns we have no place for."""
from __future__ import annotations

import csv
import json
from datetime import date, datetime, time, timedelta

import pytest

from app import clock
from app.database import driver
from app.errors import ValidationError
from app.models.visitors import Customer, OwnershipDecision, Visit
from app.files import register_file
from app.services.visitors import register_io, visitor_logs
from app.services.visitors.visitor_logs import LogQuery
from tests.conftest import clone, discard
from tests.unit.helpers import audit_entries, fetch, refused

TITLE = "滨江花园项目来访客户登记表"
HEADER = ["序号", "来访日期", "到访时间", "客户姓名", "联系电话", "来访人数", "认知途径", "意向户型", "意向面积",
          "接待顾问", "交通工具", "备注"]
# As typed into a spreadsheet; row 3 is the header, row 4 the first visit.
ROWS = [
    ["1", "2026-11-20", "14:05", "王先生", "138 1234 5678", "2", "朋友介绍", "三房", "120㎡", "李一", "自驾", ""],
    ["2", "2026/11/21", "10:30", "李女士", "13912345678", "1", "抖音", "两房", "", "周二", "地铁", "带小孩"],
    ["", "", "", "", "", "", "", "", "", "", "", ""],
    ["3", "2026-11-22", "9:05", "张先生", "13712345678", "3", "看房团", "", "", "吴三", "", ""],
    ["4", "2026-11-22", "", "赵女士", "13612345678", "2", "路过", "", "", "李一", "", ""],
    ["制表人：王芳", "", "", "", "", "", "", "", "", "", "", ""],
    ["", "合计：4 组", "", "", "", "", "", "", "", "", "", ""],
]


def office_csv(tmp_path, rows=ROWS, encoding="gb18030", name="登记表.csv", header=HEADER):
    path = tmp_path / name
    with path.open("w", encoding=encoding, newline="") as f:
        out = csv.writer(f)
        out.writerow([TITLE] + [""] * (len(header) - 1))
        out.writerow(header)
        out.writerows(rows)
    return str(path)


def office_xlsx(tmp_path, name="登记表.xlsx"):
    """The same register as Excel keeps it: a merged title, date cells, time cells, a date as a serial number."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(HEADER)
    serial = (date(2026, 11, 21) - date(1899, 12, 30)).days
    sheet.append([1, datetime(2026, 11, 20), time(14, 5), "王先生", 13812345678, 2, "朋友介绍", "三房", "120㎡", "李一",
                  "自驾", None])
    sheet.append([2, float(serial), 10.5 / 24, "李女士", "13912345678", 1, "抖音", "两房", None, "周二", "地铁", "带小孩"])
    sheet.append([])
    sheet.append([3, "2026-11-22", "9:05", "张先生", 13712345678, 3, "看房团", None, None, "吴三", None, None])
    sheet.append([4, datetime(2026, 11, 22), None, "赵女士", 13612345678, 2, "路过", None, None, "李一", None, None])
    sheet.append(["制表人：王芳"])
    sheet.append([None, "合计：4 组"])
    book.save(tmp_path / name)
    return str(tmp_path / name)


def visits_by_name(office):
    return {v.name: v for v in fetch(office, Visit)}


def local(visit):
    return clock.local(visit.arrived_at).replace(tzinfo=None)


def test_the_header_is_found_under_the_title_and_its_words_recognized_VIS6(tmp_path):
    layout = register_file.inspect(office_csv(tmp_path))
    assert layout.header_row == 2 and layout.headers == HEADER
    assert layout.mapping == {1: "date", 2: "time", 3: "name", 4: "phone", 5: "party_size", 6: "channel",
                              7: "intent", 8: "intent", 9: "consultant", 11: "note"}
    assert layout.missing == []  # 序号 and 交通工具 are left for the person (or kept as extra)
    assert layout.sample[0][3] == "王先生" and len(layout.sample) == 5
    xlsx = register_file.inspect(office_xlsx(tmp_path))
    assert (xlsx.header_row, xlsx.mapping) == (2, layout.mapping)
    assert xlsx.sample[0][:5] == ["1", "2026-11-20", "14:05", "王先生", "13812345678"]  # cells as Excel shows them


@pytest.mark.parametrize("kind", ["gb18030", "utf-8", "utf-8-sig", "xlsx"])
def test_an_office_register_imports_with_its_own_words_VIS6(office, tmp_path, kind):
    path = office_xlsx(tmp_path) if kind == "xlsx" else office_csv(tmp_path, encoding=kind)
    result = register_io.import_logs(office.manager, office.uow(), path=path)
    assert (result.visits, result.calls, result.new_customers, result.rejected) == (4, 0, 4, [])
    # The blank row and the two footer lines are skipped and said, not refused.
    assert [(s.row, s.text) for s in result.skipped] == [(5, ""), (8, "制表人：王芳"), (9, "合计：4 组")]
    seen = visits_by_name(office)
    assert local(seen["王先生"]) == datetime(2026, 11, 20, 14, 5)  # date and time columns combined
    assert local(seen["李女士"]) == datetime(2026, 11, 21, 10, 30)
    assert local(seen["张先生"]) == datetime(2026, 11, 22, 9, 5)
    assert seen["王先生"].intent == "三房 120㎡" and seen["王先生"].party_size == 2
    assert seen["李女士"].note == "带小孩" and seen["李女士"].channel == "internet"  # 抖音 is the internet
    assert seen["赵女士"].channel == "walk_by"
    # Columns with no place in a visit are kept with it, never dropped.
    assert json.loads(seen["王先生"].extra) == {"序号": "1", "交通工具": "自驾"}
    assert json.loads(seen["李女士"].extra) == {"序号": "2", "交通工具": "地铁"}


def test_an_unknown_channel_word_is_kept_with_the_visit_as_other_VIS6(office, tmp_path):
    register_io.import_logs(office.manager, office.uow(), path=office_csv(tmp_path))
    visit = visits_by_name(office)["张先生"]
    assert visit.channel == "other" and json.loads(visit.extra) == {"序号": "3", "认知途径": "看房团"}


def test_a_row_with_a_date_and_no_time_is_kept_at_midnight_and_says_so_VIS6(office, tmp_path):
    register_io.import_logs(office.manager, office.uow(), path=office_csv(tmp_path))
    visit = visits_by_name(office)["赵女士"]
    assert local(visit) == datetime(2026, 11, 22, 0, 0)
    assert json.loads(visit.extra) == {"序号": "4", "时间": "未登记"}


def test_importing_an_office_register_twice_adds_nothing_VIS6(office, tmp_path):
    path = office_xlsx(tmp_path)
    register_io.import_logs(office.manager, office.uow(), path=path)
    again = register_io.import_logs(office.manager, office.uow(), path=path, all_or_nothing=False)
    assert not again.written and [r.row for r in again.rejected] == [3, 4, 6, 7]
    assert {r.reason for r in again.rejected} == {"已在登记表中"}
    assert len(fetch(office, Visit)) == 4 and len(fetch(office, Customer)) == 4


def test_a_register_exported_and_imported_elsewhere_gives_the_same_rows_VIS5_VIS6(office, template_db, tmp_path):
    from app.database.engine import make_engine, session_factory
    from app.database.uow import UnitOfWork

    register_io.import_logs(office.manager, office.uow(), path=office_xlsx(tmp_path))
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"out.{fmt}"
        register_io.export_logs(office.manager, office.uow(), LogQuery(), path=str(out), reason="迁移到新系统")
        other = clone(template_db, tmp_path, f"other-{fmt}.db")
        engine = make_engine(other)
        try:
            factory = session_factory(engine)
            done = register_io.import_logs(office.manager, UnitOfWork(factory), path=str(out))
            assert (done.visits, done.rejected, done.skipped) == (4, [], [])
            mine = visitor_logs.search(office.manager, office.uow(), LogQuery()).rows
            theirs = visitor_logs.search(office.manager, UnitOfWork(factory), LogQuery()).rows
            facts = lambda rows: [(r.kind, r.at, r.name, r.phone, r.consultant, r.party_size, r.channel,
                                   r.intent, r.is_return, r.note) for r in rows]
            assert facts(theirs) == facts(mine)
        finally:
            engine.dispose()
            discard(other)


def test_a_new_customer_belongs_to_their_first_consultant_and_the_owner_renews_REC7_REC8_REC9_VIS6(office, tmp_path):
    first = office_csv(tmp_path, rows=[
        ["1", "2026-11-20", "10:00", "钱女士", "15012345678", "1", "网络", "", "", "周二", "", ""],
        ["2", "2026-11-18", "10:00", "钱女士", "15012345678", "1", "网络", "", "", "李一", "", ""]])
    register_io.import_logs(office.manager, office.uow(), path=first)
    [customer] = fetch(office, Customer, phone="15012345678")
    assert customer.owner_id == office.consultants[0].id  # 李一 registered her first (18th), whatever the order
    [decision] = fetch(office, OwnershipDecision, customer_id=customer.id)
    assert decision.reason == "first_registration" and decision.owner_id == customer.owner_id
    later = office_csv(tmp_path, name="later.csv", rows=[
        ["1", "2026-11-21", "15:00", "钱女士", "15012345678", "1", "网络", "", "", "李一", "", ""],
        ["2", "2026-11-22", "16:00", "钱女士", "15012345678", "1", "网络", "", "", "周二", "", ""]])
    register_io.import_logs(office.manager, office.uow(), path=later)
    [customer] = fetch(office, Customer, phone="15012345678")
    renewed = datetime(2026, 11, 21, 15, 0, tzinfo=clock.OFFICE_TZ)
    assert customer.owner_id == office.consultants[0].id and customer.visit_count == 4
    assert customer.last_contact_at == renewed  # the owner's visit renews; 周二's on the 22nd does not (REC-8)
    assert customer.next_follow_up_at == renewed + timedelta(days=3)  # REC-9
    assert customer.last_visit_at == datetime(2026, 11, 22, 16, 0, tzinfo=clock.OFFICE_TZ)
    visits = sorted(fetch(office, Visit, customer_id=customer.id), key=lambda v: v.arrived_at)
    assert [v.is_return for v in visits] == [False, True, True, True]


def test_a_column_the_import_does_not_know_is_mapped_in_the_window_VIS6(office, tmp_path):
    header = ["日期", "时间", "称呼", "手机号码", "渠道"]
    path = office_csv(tmp_path, header=header, rows=[["2026-11-20", "11:00", "孙先生", "13512345678", "报纸"]])
    layout = register_file.inspect(path)
    assert layout.missing == ["name"] and 2 not in layout.mapping
    with refused(office, ValidationError, match="缺少"):
        register_io.import_logs(office.manager, office.uow(), path=path)
    with refused(office, ValidationError, match="只能有一列"):
        register_io.import_logs(office.manager, office.uow(), path=path,
                                mapping={**layout.mapping, 2: "name", 3: "name"})
    done = register_io.import_logs(office.manager, office.uow(), path=path, mapping={**layout.mapping, 2: "name"})
    assert done.visits == 1 and visits_by_name(office)["孙先生"].channel == "newspaper"


def test_a_column_left_out_in_the_window_is_neither_a_field_nor_kept_VIS6(office, tmp_path):
    header = ["序号", "日期", "时间", "客户姓名", "手机号码", "交通工具"]
    path = office_csv(tmp_path, header=header, rows=[["1", "2026-11-20", "11:00", "孙先生", "13512345678", "自驾"]])
    layout = register_file.inspect(path)
    register_io.import_logs(office.manager, office.uow(), path=path,
                            mapping={**layout.mapping, 0: register_file.LEFT_OUT})
    assert json.loads(visits_by_name(office)["孙先生"].extra) == {"交通工具": "自驾"}


def test_id_numbers_in_a_register_are_never_kept_with_the_visit_SEC4_VIS6(office, tmp_path):
    """An office's register may list 身份证号码: personal data the program must not hold, whatever the column."""
    header = ["日期", "时间", "客户姓名", "手机号码", "身份证号码", "客户证件", "交通工具"]
    path = office_csv(tmp_path, header=header, rows=[["2026-11-20", "11:00", "孙先生", "13512345678",
                                                      "110101199003071234", "11010119900307123X", "自驾"]])
    layout = register_file.inspect(path)
    assert layout.mapping[4] == register_file.LEFT_OUT  # the window shows it left out
    register_io.import_logs(office.manager, office.uow(), path=path)  # as the command line does
    assert json.loads(visits_by_name(office)["孙先生"].extra) == {"交通工具": "自驾"}


def test_progress_is_told_and_reaches_the_end_VIS6(office, tmp_path):
    path = big_register(tmp_path, 3000)
    told = []
    register_io.import_logs(office.manager, office.uow(), path=path, progress=lambda done, total: told.append(
        (done, total)))
    assert len(told) >= 2 and told[-1][0] == told[-1][1]
    assert [done for done, _total in told] == sorted(done for done, _total in told)


def big_register(tmp_path, rows):
    path = tmp_path / "big.csv"
    start = datetime(2026, 1, 1, 9, 0)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(register_file.COLUMNS)
        for n in range(rows):
            out.writerow([(start + timedelta(minutes=30 * n)).strftime("%Y-%m-%d %H:%M"), "来访", "王先生",
                          f"1390000{n:04d}", 1, "网络", "", "李一", ""])
    return str(path)


def test_a_cancelled_import_leaves_nothing_behind_VIS6(office, tmp_path):
    path = big_register(tmp_path, 3000)
    told = []
    with refused(office, register_io.Cancelled, match="未导入任何内容"):
        register_io.import_logs(office.manager, office.uow(), path=path,
                                progress=lambda done, total: told.append(done), cancelled=lambda: bool(told))
    assert told  # it had begun


def test_an_import_cancelled_while_writing_leaves_nothing_behind_VIS6(office, tmp_path, monkeypatch):
    path = big_register(tmp_path, 3000)
    written = []
    insert_rows = driver.insert_rows
    monkeypatch.setattr(driver, "insert_rows", lambda *a: (insert_rows(*a), written.append(a[1].name)))
    with refused(office, register_io.Cancelled):
        register_io.import_logs(office.manager, office.uow(), path=path, cancelled=lambda: "visits" in written)
    # The first thousand customers and their visits had gone in, then out again.
    assert written == ["customers", "visits", "ownership_decisions"]


def test_a_cancelled_export_leaves_no_file_VIS5(office, tmp_path):
    register_io.import_logs(office.manager, office.uow(), path=big_register(tmp_path, 1200))
    out = tmp_path / "out.csv"
    told = []
    with pytest.raises(register_io.Cancelled, match="没有写出文件"):
        register_io.export_logs(office.manager, office.uow(), LogQuery(), path=str(out), reason="周报",
                                progress=lambda done, total: told.append((done, total)), cancelled=lambda: bool(told))
    assert told == [(0, 1200)] or told[0][1] == 1200
    assert not list(tmp_path.glob("*out*")) and not audit_entries(office, "exports.visitor_register")
    register_io.export_logs(office.manager, office.uow(), LogQuery(), path=str(out), reason="周报",
                            progress=lambda done, total: told.append((done, total)))
    assert told[-1] == (1200, 1200) and out.exists()


def test_the_desk_can_register_a_walk_in_while_a_register_is_being_read_VIS6(office, tmp_path):
    from tests.unit.helpers import sign_in, walk_in

    sign_in(office, office.consultants[1])
    registered = []

    def at_the_desk(done, total):
        if not registered:  # the first report comes while the file is being read and checked
            registered.append(walk_in(office, "13598765432", name="黄女士"))

    done = register_io.import_logs(office.manager, office.uow(), path=big_register(tmp_path, 3000),
                                   progress=at_the_desk)
    assert registered and done.visits == 3000
    assert len(fetch(office, Visit)) == 3001


def test_no_kept_cell_is_lost_to_a_header_used_twice_or_missing_VIS6(office, tmp_path):
    header = ["日期", "时间", "姓名", "手机", "备用", "备用"]
    path = office_csv(tmp_path, header=header, rows=[["2026-11-20", "11:00", "孙先生", "13512345678", "甲", "乙", "丙"]])
    assert register_io.import_logs(office.manager, office.uow(), path=path).rejected == []
    [visit] = fetch(office, Visit)
    assert json.loads(visit.extra) == {"备用": "甲", "备用 (6)": "乙", "第 7 列": "丙"}
    assert visit.channel == "other"  # no 渠道 column: nothing to keep about it
