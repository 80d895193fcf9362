"""Importing and exporting the visitor register through the window (VIS-5, VIS-6): the columns confirmed in a
dialog, a progress dialog with Cancel, the result with skipped lines, kept columns in the customer's file."""
from __future__ import annotations

import csv
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QFileDialog, QInputDialog, QLabel, QProgressDialog, QPushButton

from app.files import register_file
from app.services.visitors import visitor_logs
from app.services.visitors.visitor_logs import LogQuery
from tests.ui.visitors.test_visitors_tab import open_tab
from tests.unit.bulk import bulk_visits

TITLE = "滨江花园项目来访客户登记表"
# 来访日期/到访时间/客户姓名/认知途径/接待顾问 are recognized; 联络方式 is not (the person maps it to 手机);
# 交通工具 has no field and is kept with the visit.
HEADER = ["来访日期", "到访时间", "客户姓名", "联络方式", "来访人数", "认知途径", "接待顾问", "交通工具"]
ROWS = [
    ["2026-11-20", "14:05", "王先生", "138 1234 5678", "2", "朋友介绍", "李一", "自驾"],
    ["2026/11/21", "10:30", "李女士", "13912345678", "1", "路过", "周二", "地铁"],
    ["", "", "", "", "", "", "", ""],
    ["制表人：王芳", "", "", "", "", "", "", ""],
]


def office_register(path, rows=ROWS, header=HEADER):
    """A register as an office keeps it: a title row, then the header on row 3 (a blank line between)."""
    with path.open("w", encoding="gb18030", newline="") as f:
        out = csv.writer(f)
        out.writerow([TITLE] + [""] * (len(header) - 1))
        out.writerow([])
        out.writerow(header)
        out.writerows(rows)
    return path


def choose_file(monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))


def mapping_dialog(qtbot, register):
    qtbot.mouseClick(register.import_, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: register.mapping_dialog is not None and register.mapping_dialog.isVisible())
    return register.mapping_dialog


def model_texts_of_row(model, row):
    return [str(model.index(row, c).data()) for c in range(model.columnCount())]


def visible_progress(tab):
    return [d for d in tab.findChildren(QProgressDialog) if d.isVisible()]


def count(office):
    return visitor_logs.count(office.manager, office.uow(), LogQuery())


def test_an_offices_register_imports_after_its_columns_are_confirmed_and_kept_columns_show_VIS6(
        qtbot, office, make_ctx, tmp_path, monkeypatch):
    tab = open_tab(qtbot, make_ctx(office.manager))
    register = tab.search.register
    choose_file(monkeypatch, office_register(tmp_path / "滨江花园登记表.csv"))
    dialog = mapping_dialog(qtbot, register)
    assert "表头在第 3 行" in dialog.findChild(QLabel, "headerRowLabel").text()
    table = dialog.table
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == HEADER
    assert "王先生" in table.item(2, 1).text() and "李女士" in table.item(2, 1).text()
    fields = {HEADER[i]: combo.currentText() for i, combo in dialog.combos.items()}
    assert fields == {"来访日期": "日期", "到访时间": "时间", "客户姓名": "姓名", "联络方式": "保留为附加信息",
                      "来访人数": "人数", "认知途径": "渠道", "接待顾问": "置业顾问", "交通工具": "保留为附加信息"}
    # Nobody's phone: OK stays off and says what is missing.
    assert not dialog.ok.isEnabled() and dialog.problem.text() == "还需为以下项选择一列：手机"
    phone = dialog.combos[3]
    phone.setCurrentIndex(phone.findText("手机"))
    assert dialog.ok.isEnabled() and dialog.problem.isHidden()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: register.result_box is not None)
    box = register.result_box
    assert "已导入来访 2 条、来电 0 条；新客户 2 位。" in box.text()
    assert "已跳过 2 个空行或表尾行（例如第 7 行：制表人：王芳）。" in box.text()
    box.close()
    qtbot.waitUntil(lambda: tab.search.model.rowCount() == 2)

    model = tab.search.model
    wang = next(r for r in range(2) if "王先生" in model_texts_of_row(model, r))
    assert "2026-11-20 14:05" in model_texts_of_row(model, wang)  # 来访日期 and 到访时间 put together
    tab.search.table.selectRow(wang)
    qtbot.mouseClick(tab.search.open_button, Qt.MouseButton.LeftButton)
    timeline = tab.timeline
    qtbot.waitUntil(lambda: timeline.table.rowCount() >= 1)
    details = [timeline.table.item(r, 3).text() for r in range(timeline.table.rowCount())]
    assert any("交通工具: 自驾" in d for d in details), details


def test_ok_is_off_while_a_field_has_two_columns_and_cancel_imports_nothing_VIS6(
        qtbot, office, make_ctx, tmp_path, monkeypatch):
    tab = open_tab(qtbot, make_ctx(office.manager))
    register = tab.search.register
    choose_file(monkeypatch, office_register(tmp_path / "登记表.csv"))
    dialog = mapping_dialog(qtbot, register)
    for index, field in ((3, "手机"), (7, "手机")):  # 交通工具 taken for the phone as well, by mistake
        dialog.combos[index].setCurrentIndex(dialog.combos[index].findText(field))
    assert not dialog.ok.isEnabled() and dialog.problem.text() == "只能有一列作为“手机”。"
    dialog.combos[2].setCurrentIndex(0)  # and the name kept as extra: the name is missing first
    assert "姓名" in dialog.problem.text() and not dialog.ok.isEnabled()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    qtbot.wait(200)
    assert register.progress_dialog is None and register.result_box is None and count(office) == 0


def test_a_file_without_a_header_is_refused_before_any_dialog_VIS6(qtbot, office, make_ctx, tmp_path, monkeypatch):
    tab = open_tab(qtbot, make_ctx(office.manager))
    register = tab.search.register
    junk = tmp_path / "notes.csv"
    junk.write_text("今天天气不错\n明天再说\n", encoding="utf-8")
    choose_file(monkeypatch, junk)
    qtbot.mouseClick(register.import_, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: register.result_box is not None)
    assert "没有列名行" in register.result_box.text() and register.mapping_dialog is None
    register.result_box.close()


def test_the_file_chooser_offers_xls_and_ods_and_a_libreoffice_register_imports_VIS6(
        qtbot, office, make_ctx, tmp_path, monkeypatch):
    from tests.unit.visitors.test_register_workbooks import office_ods

    tab = open_tab(qtbot, make_ctx(office.manager))
    register = tab.search.register
    offered = []
    path = office_ods(tmp_path)

    def chooser(_parent, _title, _folder, filters):
        offered.append(filters)
        return path, ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", chooser)
    dialog = mapping_dialog(qtbot, register)
    assert all(f"*.{suffix}" in offered[0] for suffix in ("csv", "xlsx", "xls", "ods"))
    assert "表头在第 2 行" in dialog.findChild(QLabel, "headerRowLabel").text()
    assert "13812345678" in dialog.table.item(4, 1).text()  # a phone kept as a number, shown as its digits
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: register.result_box is not None)
    assert "已导入来访 4 条、来电 0 条；新客户 4 位。" in register.result_box.text()
    register.result_box.close()
    assert count(office) == 4


def test_a_zip_bomb_chosen_in_the_window_is_refused_before_any_dialog_VIS6(
        qtbot, office, make_ctx, tmp_path, monkeypatch):
    from tests.unit.visitors.workbooks import bomb_xlsx

    tab = open_tab(qtbot, make_ctx(office.manager))
    register = tab.search.register
    choose_file(monkeypatch, bomb_xlsx(tmp_path / "来访登记.xlsx"))
    qtbot.mouseClick(register.import_, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: register.result_box is not None)
    assert "来访登记.xlsx 从 1.0 MB 解压后达到 1,024.0 MB 以上" in register.result_box.text()
    assert register.mapping_dialog is None
    register.result_box.close()
    assert count(office) == 0


def test_cancelling_a_large_import_once_its_progress_shows_writes_nothing_VIS6(
        qtbot, office, make_ctx, tmp_path, monkeypatch):
    rows = [[f"2026-11-{1 + i % 20:02d}", f"{9 + i % 9}:{i % 60:02d}", f"客户{i}", f"139{i:08d}", "1", "路过", "",
             "自驾"] for i in range(50_000)]
    tab = open_tab(qtbot, make_ctx(office.manager))
    register = tab.search.register
    choose_file(monkeypatch, office_register(tmp_path / "大登记表.csv", rows))
    dialog = mapping_dialog(qtbot, register)
    dialog.combos[3].setCurrentIndex(dialog.combos[3].findData("phone"))
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: register.progress_dialog is not None and register.progress_dialog.isVisible(),
                    timeout=20_000)  # a busy machine
    progress = register.progress_dialog
    assert progress.labelText() == "正在导入登记表…"
    qtbot.waitUntil(lambda: progress.value() > 0, timeout=20_000)
    qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)  # its Cancel

    qtbot.waitUntil(lambda: register.result_box is not None, timeout=20_000)
    assert register.result_box.text() == "已取消导入：未导入任何内容。"
    assert register.progress_dialog is None and not visible_progress(tab)
    assert count(office) == 0
    register.result_box.close()


def test_a_long_export_shows_progress_and_cancelled_leaves_no_file_VIS5(
        qtbot, office, make_ctx, tmp_path, monkeypatch):
    bulk_visits(office, 30_000)
    out = tmp_path / "来访登记表.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("市场部周报", True))
    write = register_file.write

    def slow_disk(path, rows):  # the export lasts seconds whatever the machine: Cancel comes in the middle
        return write(path, (time.sleep(0.1) or row if n % 1000 == 0 else row for n, row in enumerate(rows)))

    monkeypatch.setattr(register_file, "write", slow_disk)
    tab = open_tab(qtbot, make_ctx(office.manager))
    register = tab.search.register
    qtbot.mouseClick(register.export, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: register.progress_dialog is not None and register.progress_dialog.isVisible(),
                    timeout=20_000)
    progress = register.progress_dialog
    assert progress.labelText() == "正在导出登记表…"
    qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: register.result_box is not None, timeout=20_000)
    assert register.result_box.text() == "已取消导出：没有写出文件。" and not visible_progress(tab)
    assert not out.exists() and not [p for p in tmp_path.iterdir() if ".part" in p.name]
    register.result_box.close()


def test_a_short_export_finishes_without_a_progress_dialog_VIS5(qtbot, office, make_ctx, tmp_path, monkeypatch):
    bulk_visits(office, 20)
    out = tmp_path / "来访登记表.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("市场部周报", True))
    tab = open_tab(qtbot, make_ctx(office.manager))
    register = tab.search.register
    qtbot.mouseClick(register.export, Qt.MouseButton.LeftButton)
    progress_seen = []

    def done() -> bool:
        progress_seen.append(bool(visible_progress(tab)))
        return register.result_box is not None

    qtbot.waitUntil(done)
    assert register.result_box.text() == f"已写入 20 行到 {out}" and not any(progress_seen)
    assert out.exists()
    register.result_box.close()


def test_a_wide_register_fits_a_1366_by_768_screen_and_scrolls_VIS6(qtbot):
    from app.files.register_file import Layout
    from ui.tabs.visitors.column_mapping import ColumnMappingDialog

    headers = [*HEADER, "置业次数", "家庭结构", "工作区域", "居住区域", "关注因素", "抗性", "备注说明"]
    sample = [[f"{h}{n}" for h in headers] for n in range(5)]
    dialog = ColumnMappingDialog(Layout(3, headers, {0: "date", 1: "time", 2: "name"}, sample, ["phone"]),
                                 "登记表.xlsx")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() <= 1366 and dialog.height() <= 768 - 60  # a taskbar and the title bar
    assert dialog.table.rowCount() == 15 and dialog.table.verticalScrollBar().maximum() == 0  # all in view
    wider = ColumnMappingDialog(Layout(3, headers * 2, {}, [], ["name", "phone", "visited_at"]), "登记表.xlsx")
    qtbot.addWidget(wider)
    wider.show()
    assert wider.height() == dialog.height() and wider.table.verticalScrollBar().maximum() > 0
    assert wider.problem.text() == "还需为以下项选择一列：姓名、手机、来访时间或日期"


def test_a_failing_export_still_takes_its_progress_dialog_away_VIS5(qtbot, office, make_ctx, tmp_path, monkeypatch):
    from app.services.visitors import register_io

    def broken(actor, uow, query, *, path, reason, progress, cancelled, overwrite):
        progress(1, 2)
        time.sleep(0.8)  # long enough for the progress dialog to show
        raise RuntimeError("a bug")

    monkeypatch.setattr(register_io, "export_logs", broken)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "x.csv"), ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("市场部周报", True))
    ctx = make_ctx(office.manager)
    tab = open_tab(qtbot, ctx)
    register = tab.search.register
    with qtbot.waitSignal(ctx.tasks.unexpected_error, timeout=10_000):
        qtbot.mouseClick(register.export, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(visible_progress(tab)))
    assert register.progress_dialog is None and not visible_progress(tab)


def test_a_calls_kept_column_shows_in_the_customers_file_VIS6(qtbot, office, make_ctx, tmp_path, monkeypatch):
    register_path = office_register(tmp_path / "来电登记.csv", header=["来访时间", "类型", "姓名", "手机", "关注点"],
                                    rows=[["2026-11-22 16:40", "来电", "钱女士", "13612345678", "学区；车位"]])
    tab = open_tab(qtbot, make_ctx(office.manager))
    register = tab.search.register
    choose_file(monkeypatch, register_path)
    dialog = mapping_dialog(qtbot, register)
    assert dialog.ok.isEnabled()  # every needed column recognized; 关注点 kept
    calls = [details for event, details in import_and_open_first(qtbot, tab, dialog, rows=1) if event == "来电"]
    assert len(calls) == 1 and calls[0].endswith("关注点: 学区；车位"), calls


def test_a_column_left_out_is_not_imported_nor_shown_VIS6(qtbot, office, make_ctx, tmp_path, monkeypatch):
    """A register's row numbers (序号) are no visit's information: left out, they are not kept."""
    tab = open_tab(qtbot, make_ctx(office.manager))
    register = tab.search.register
    numbered = [[str(n + 1), *row] if any(row) else ["", *row] for n, row in enumerate(ROWS)]
    choose_file(monkeypatch, office_register(tmp_path / "登记表.csv", rows=numbered, header=["序号", *HEADER]))
    dialog = mapping_dialog(qtbot, register)
    numbers, phone = dialog.combos[0], dialog.combos[4]
    assert numbers.currentText() == "保留为附加信息"
    numbers.setCurrentIndex(numbers.findText("不导入此列"))
    phone.setCurrentIndex(phone.findText("手机"))
    assert dialog.ok.isEnabled()
    details = " ".join(text for _event, text in import_and_open_first(qtbot, tab, dialog, rows=2))
    assert "交通工具" in details and "序号" not in details


def import_and_open_first(qtbot, tab, dialog, rows: int) -> list[tuple[str, str]]:
    """OK the dialog, close the result once `rows` are listed, open the first listed customer's file: its lines'
    (event, details)."""
    register = tab.search.register
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: register.result_box is not None)
    register.result_box.close()
    qtbot.waitUntil(lambda: tab.search.model.rowCount() == rows)  # imported and listed
    tab.search.table.selectRow(0)
    qtbot.mouseClick(tab.search.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.timeline.table.rowCount() >= 1)
    table = tab.timeline.table
    return [(table.item(r, 1).text(), table.item(r, 3).text()) for r in range(table.rowCount())]


def test_a_manager_may_make_accounts_for_the_registers_unknown_consultants_VIS6_SEC2(
        qtbot, office, make_ctx, tmp_path, monkeypatch):
    """接待顾问 孔新人 has no account: refused unless the manager ticks the box; then told to set the PIN."""
    rows = [["2026-11-20", "14:05", "王先生", "13812345678", "2", "朋友介绍", "孔新人", "自驾"]]
    tab = open_tab(qtbot, make_ctx(office.manager))
    register = tab.search.register
    choose_file(monkeypatch, office_register(tmp_path / "登记表.csv", rows=rows))
    dialog = mapping_dialog(qtbot, register)
    dialog.combos[3].setCurrentIndex(dialog.combos[3].findText("手机"))
    box = dialog.findChild(QCheckBox, "createConsultantsBox")
    assert box.isVisible() and not box.isChecked()
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: register.result_box is not None)
    assert "未导入任何数据" in register.result_box.text() and count(office) == 0
    register.result_box.close()
    register.result_box = register.mapping_dialog = None  # the same file again

    dialog = mapping_dialog(qtbot, register)
    dialog.combos[3].setCurrentIndex(dialog.combos[3].findText("手机"))
    dialog.findChild(QCheckBox, "createConsultantsBox").setChecked(True)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: register.result_box is not None)
    assert "已为 孔新人 创建账号" in register.result_box.text() and count(office) == 1
