"""Export (VIS-5) and import (VIS-6) of the visitor register as CSV and XLSX, on a real database."""
from __future__ import annotations

import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import text

from app import clock
from app.errors import PermissionDenied, ValidationError
from app.files import register_file
from app.services.reception import followups
from app.services.visitors import register_io, visitor_logs
from app.services.visitors.visitor_logs import LogQuery
from tests.unit.helpers import audit_entries, refused, sign_in, walk_in

HEADER = ",".join(register_file.COLUMNS)


@pytest.fixture
def desk(office):
    sign_in(office, office.consultants[0])
    walk_in(office, "13812345678", name="王先生", intent="=HYPERLINK(\"http://x\")", note="@楼层")
    clock.advance(timedelta(minutes=5))
    followups.record_call(office.receptionist, office.uow(), phone="13955556666", name="赵先生", channel="phone",
                          questions="-价格多少")
    return office


def export(office, tmp_path, name, actor=None, reason="市场部周报", **query):
    return register_io.export_logs(actor or office.manager, office.uow(), LogQuery(**query),
                                   path=str(tmp_path / name), reason=reason)


def write_csv(tmp_path, lines, encoding="utf-8", name="in.csv"):
    path = tmp_path / name
    path.write_bytes(("\n".join([HEADER, *lines]) + "\n").encode(encoding))
    return str(path)


def test_csv_export_has_the_import_columns_and_defuses_formulas_VIS5(desk, tmp_path):
    result = export(desk, tmp_path, "register.csv")
    assert result.rows == 2
    text = (tmp_path / "register.csv").read_text(encoding="utf-8-sig").splitlines()
    assert text[0] == HEADER
    assert text[1].startswith("2026-11-23 10:05,来电,赵先生,13955556666,,来电,")
    assert ",'-价格多少" in text[1]  # would be a formula: written as text
    assert "'=HYPERLINK" in text[2] and ",'@楼层" in text[2]
    assert not [f for f in tmp_path.iterdir() if f.name.startswith(".")]  # no half file left


def test_xlsx_export_stores_risky_text_as_strings_never_formulas_VIS5(desk, tmp_path):
    from openpyxl import load_workbook

    export(desk, tmp_path, "register.xlsx")
    with zipfile.ZipFile(tmp_path / "register.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    rows = list(load_workbook(tmp_path / "register.xlsx").worksheets[0].iter_rows(values_only=True))
    assert rows[0] == register_file.COLUMNS
    assert rows[2][6] == "=HYPERLINK(\"http://x\")" and rows[2][4] == 1 and rows[2][3] == "13812345678"


def test_every_export_records_who_when_why_and_what_VIS5(desk, tmp_path):
    export(desk, tmp_path, "register.csv", phone="138")
    [entry] = audit_entries(desk, "exports.visitor_register")
    assert entry.actor_id == desk.manager.id and "市场部周报" in entry.after and '"phone": "138"' in entry.after
    with refused(desk, ValidationError):
        export(desk, tmp_path, "again.csv", reason=" ")
    assert not (tmp_path / "again.csv").exists()
    with pytest.raises(PermissionDenied):
        export(desk, tmp_path, "x.csv", actor=desk.receptionist)


def test_an_exported_register_imported_again_adds_nothing_twice_VIS5_VIS6(desk, tmp_path):
    clock.advance(timedelta(seconds=17, microseconds=250))  # the register keeps seconds, the file minutes
    walk_in(desk, "13700001111", name="孙先生")
    export(desk, tmp_path, "register.xlsx")
    export(desk, tmp_path, "register.csv")
    again = register_io.import_logs(desk.manager, desk.uow(), path=str(tmp_path / "register.csv"))
    assert [r.row for r in again.rejected] == [2, 3, 4] and not again.written  # all already in the register
    assert {r.reason for r in again.rejected} == {"已在登记表中"}
    xlsx = register_io.import_logs(desk.manager, desk.uow(), path=str(tmp_path / "register.xlsx"))
    assert len(xlsx.rejected) == 3 and not xlsx.written


def test_import_csv_in_utf8_with_bom_and_gb18030_VIS6(office, tmp_path):
    lines = ["2026-11-20 10:00,来访,王先生,138 1234 5678,2,网络,三房,李一,'=1+1",
             "2026-11-21 15:30,来电,王先生,13812345678,,来电,,李一,问价格"]
    for encoding, name in (("utf-8-sig", "bom.csv"), ("utf-8", "plain.csv"), ("gb18030", "gbk.csv")):
        path = write_csv(tmp_path, lines, encoding, name)
        layout = register_file.inspect(path)
        assert layout.headers == list(register_file.COLUMNS) and layout.missing == []
        assert layout.sample[0][2] == "王先生" and layout.sample[0][8] == "=1+1"
    result = register_io.import_logs(office.manager, office.uow(), path=str(tmp_path / "gbk.csv"))
    assert (result.visits, result.calls, result.new_customers, result.rejected) == (1, 1, 1, [])
    page = visitor_logs.search(office.manager, office.uow(), LogQuery(phone="5678"))
    assert [(r.kind, r.name, r.consultant, r.channel) for r in page.rows] == [
        ("call", "王先生", "李一", "phone"), ("visit", "王先生", "李一", "internet")]
    [entry] = audit_entries(office, "imports.visitor_register")
    assert entry.actor_id == office.manager.id and '"visits": 1' in entry.after


def test_import_is_all_or_nothing_and_names_each_bad_row_VIS6(office, tmp_path):
    path = write_csv(tmp_path, [
        "2026-11-20 10:00,来访,王先生,13812345678,2,网络,,李一,",
        "2026-11-20 11:00,来访,李女士,138****5678,2,网络,,李一,",
        "昨天,来访,赵先生,13912345678,2,网络,,李一,",
        "",
        "2026-11-20 12:00,来访,孙先生,13712345678,2,电视,,不认识,",
        "2026-11-20 13:00,上门,周先生,13612345678,2,网络,,,",
    ])
    with refused(office):  # nothing written: not even the good first row
        result = register_io.import_logs(office.manager, office.uow(), path=path)
        assert [r.row for r in result.rejected] == [3, 4, 6, 7]
        raise ValidationError("拒绝")  # so that `refused` sees an error after checking the tables
    reasons = {r.row: r.reason for r in result.rejected}
    assert "手机" in reasons[3] or "电话" in reasons[3]
    assert "2026-11-23 14:30" in reasons[4]
    assert "不认识" in reasons[6]  # an unknown channel word is kept (other), an unknown consultant is not
    assert "来访" in reasons[7]
    partial = register_io.import_logs(office.manager, office.uow(), path=path, all_or_nothing=False)
    assert (partial.visits, [r.row for r in partial.rejected]) == (1, [3, 4, 6, 7])


def test_import_refuses_a_file_without_the_columns_or_in_another_format_VIS6(office, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("时间,姓名\n2026-11-20,王先生\n", encoding="utf-8")
    with refused(office, ValidationError, match="缺少"):
        register_io.import_logs(office.manager, office.uow(), path=str(bad))
    with refused(office, ValidationError, match="xlsx"):
        register_io.import_logs(office.manager, office.uow(), path=str(tmp_path / "register.txt"))
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a zip")
    with refused(office, ValidationError, match="junk.xlsx"):
        register_io.import_logs(office.manager, office.uow(), path=str(junk))
    with pytest.raises(PermissionDenied):
        register_io.import_logs(office.supervisor, office.uow(), path=str(bad))


def test_import_of_an_xlsx_gives_new_customers_to_their_first_consultant_REC7_VIS6(office, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(register_file.COLUMNS))
    sheet.append([clock.local(clock.now() - timedelta(days=3)).replace(tzinfo=None), "来访", "钱女士",
                  "15012345678", 3, "朋友介绍", "两房", "周二", None])
    sheet.append(["2026-11-21 09:30", "来访", "钱女士", 15012345678, 2, "friend", "", "吴三", ""])
    book.save(tmp_path / "paper.xlsx")
    result = register_io.import_logs(office.manager, office.uow(), path=str(tmp_path / "paper.xlsx"))
    assert (result.visits, result.new_customers) == (2, 1)
    rows = visitor_logs.search(office.manager, office.uow(), LogQuery(phone="15012345678")).rows
    assert [(r.consultant, r.is_return, r.party_size) for r in rows] == [("吴三", True, 2), ("周二", False, 3)]
    from app.services import customers

    card = customers.lookup_phone(office.receptionist, office.uow(), "15012345678")
    assert card.owner_name == "周二" and card.visit_count == 2


def test_an_export_never_fails_on_control_characters_already_stored_VIS5(desk, tmp_path):
    """Text stored before the rule on control characters existed still exports: shown as �, the rest intact."""
    with desk.uow() as uow:
        uow.session.execute(text("UPDATE visits SET note = :n"), {"n": "钥匙在\x1b前台\x07"})
        uow.session.commit()
    from openpyxl import load_workbook

    export(desk, tmp_path, "register.xlsx")
    rows = list(load_workbook(tmp_path / "register.xlsx").worksheets[0].iter_rows(values_only=True))
    assert "钥匙在\ufffd前台\ufffd" in [row[8] for row in rows]


def test_an_imported_row_with_a_control_character_is_named_and_nothing_imported_VIS6(office, tmp_path):
    path = write_csv(tmp_path, ["2026-11-20 10:00,来访,王先生,13812345678,2,路过,,,好",
                                "2026-11-20 11:00,来访,李\x1b女士,13912345678,1,路过,,,"])
    done = register_io.import_logs(office.manager, office.uow(), path=path)
    assert [(r.row, r.reason) for r in done.rejected] == [(3, "姓名含有无法保存的控制字符（U+001B）；请去掉后重新输入。")]
    assert visitor_logs.count(office.manager, office.uow(), LogQuery()) == 0
