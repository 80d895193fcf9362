"""The window as a whole: PIN sign-in by touch, switching user, settings for managers, language."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from app.services import audit, settings
from tests.conftest import PIN
from ui.dialogs.settings import SettingsDialog
from ui.dialogs.sign_in import SignInDialog
from ui.main_window import MainWindow


def press_pin(qtbot, dialog, pin):
    for digit in pin:
        qtbot.mouseClick(dialog.findChild(QPushButton, f"pinKey_{digit}"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.findChild(QPushButton, "pinKey_OK"), Qt.MouseButton.LeftButton)


def click_save(qtbot, dialog):
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)


def pick(qtbot, dialog, actor):
    qtbot.waitUntil(lambda: dialog.staff_buttons.button(actor.id) is not None)  # the staff are read on the worker
    qtbot.mouseClick(dialog.staff_buttons.button(actor.id), Qt.MouseButton.LeftButton)


def test_sign_in_by_touch_with_the_pin_pad_SEC1(qtbot, office, make_ctx):
    dialog = SignInDialog(make_ctx(None))
    qtbot.addWidget(dialog)
    pick(qtbot, dialog, office.receptionist)
    press_pin(qtbot, dialog, PIN)
    qtbot.waitUntil(lambda: dialog.result() == SignInDialog.DialogCode.Accepted)
    assert dialog.actor == office.receptionist


def test_wrong_pins_say_tries_left_then_lock_the_account_SEC1(qtbot, office, make_ctx):
    dialog = SignInDialog(make_ctx(None))
    qtbot.addWidget(dialog)
    pick(qtbot, dialog, office.receptionist)
    press_pin(qtbot, dialog, "0000")
    qtbot.waitUntil(lambda: "再错 4 次" in dialog.error.text())
    assert dialog.pad.field.text() == ""
    for left in (3, 2, 1):
        press_pin(qtbot, dialog, "0000")
        qtbot.waitUntil(lambda: f"再错 {left} 次" in dialog.error.text())
    press_pin(qtbot, dialog, "0000")
    qtbot.waitUntil(lambda: "锁定 15 分钟" in dialog.error.text())
    dialog.error.show_message("")
    press_pin(qtbot, dialog, PIN)  # the right PIN no longer opens it
    qtbot.waitUntil(lambda: "锁定" in dialog.error.text())
    assert dialog.actor is None


def test_pin_before_picking_a_name_asks_for_the_name_SEC1(qtbot, office, make_ctx):
    dialog = SignInDialog(make_ctx(None))
    qtbot.addWidget(dialog)
    press_pin(qtbot, dialog, PIN)
    assert dialog.error.text() == "请先点选你的名字。"


def test_window_shows_who_is_signed_in_and_the_reception_tab_SEC2(qtbot, office, make_ctx):
    window = MainWindow(make_ctx(office.receptionist), db_label="office.db")
    qtbot.addWidget(window)
    assert "孙前台" in window.who.text() and "前台接待" in window.who.text()
    assert "office.db" in window.where.text()
    assert window.tabs.widget(0).objectName() == "receptionTab"
    settings_action = window.findChild(type(window.menuBar().actions()[0]), "officeSettings")
    assert not settings_action.isEnabled()  # a receptionist cannot change the office's settings


def test_signing_out_empties_the_window_SEC1(qtbot, office, make_ctx, monkeypatch):
    ctx = make_ctx(office.receptionist)
    window = MainWindow(ctx, db_label="office.db")
    qtbot.addWidget(window)
    monkeypatch.setattr(SignInDialog, "exec", lambda self: 0)  # nobody signs in again
    window.sign_out()
    assert ctx.actor is None and window.tabs.count() == 0
    assert window.who.text() == "未登录"


def test_manager_changes_the_refill_interval_and_it_is_audited(qtbot, office, make_ctx):
    ctx = make_ctx(office.manager)
    dialog = SettingsDialog(ctx, settings.current(office.uow()))
    qtbot.addWidget(dialog)
    assert dialog.fields["refill_minutes"].text() == "20 分钟" and dialog.fields["earliest_year"].text() == "2000"
    assert dialog.sizeHint().width() < 1000  # fits a 1366-wide kiosk screen
    dialog.fields["refill_minutes"].setValue(15)
    click_save(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.result() == SettingsDialog.DialogCode.Accepted)
    assert settings.current(office.uow()).refill_minutes == 15
    entries = audit.list_entries(office.manager, office.uow(), action="settings.change")
    assert entries and '"refill_minutes": "15"' in entries[0].after


def test_opening_after_closing_time_is_refused_in_the_dialog(qtbot, office, make_ctx):
    from PySide6.QtCore import QTime

    dialog = SettingsDialog(make_ctx(office.manager), settings.current(office.uow()))
    qtbot.addWidget(dialog)
    dialog.fields["open_time"].setTime(QTime(19, 0))
    click_save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.error.isHidden())
    assert "开放时间必须早于关闭时间" in dialog.error.text()
    assert settings.current(office.uow()).open_time == "09:00"


def test_language_switch_applies_to_the_open_window_without_restart(qtbot, office, make_ctx):
    window = MainWindow(make_ctx(office.receptionist), db_label="office.db")
    qtbot.addWidget(window)
    assert window.tabs.tabText(0) == "前台接待"
    window.set_language("en")
    assert window.tabs.tabText(0) == "Reception desk"
    assert window.reception.form.submit.text() == "Register and call a consultant"
    window.set_language("zh_CN")
    assert window.reception.form.submit.text() == "登记并呼叫顾问"


def test_manager_adds_a_consultant_who_can_then_sign_in_SEC1(qtbot, office, make_ctx):
    from app.services import accounts
    from ui.dialogs.staff import StaffDialog

    dialog = StaffDialog(make_ctx(office.manager))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0)  # read on the worker
    before = dialog.table.rowCount()
    dialog.name.insert("冯新")  # Chinese comes from the input method, not key presses
    dialog.role.setCurrentIndex(dialog.role.findData("consultant"))
    qtbot.keyClicks(dialog.pin, "13579")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == before + 1)
    new = next(s for s in accounts.list_staff(office.uow()) if s.name == "冯新")
    assert accounts.sign_in(office.uow(), staff_id=new.id, pin="13579").name == "冯新"


def test_a_short_pin_is_refused_in_the_staff_dialog_SEC1(qtbot, office, make_ctx):
    from ui.dialogs.staff import StaffDialog

    dialog = StaffDialog(make_ctx(office.manager))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0)  # read on the worker
    before = dialog.table.rowCount()
    dialog.name.insert("冯新")
    qtbot.keyClicks(dialog.pin, "12")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.error.isHidden())
    assert "4 到 8 位数字" in dialog.error.text() and dialog.table.rowCount() == before


def test_a_receptionist_changes_her_own_pin_from_the_account_menu_giving_the_current_one_SEC1(
        qtbot, office, make_ctx, monkeypatch):
    from app.services import accounts
    from ui.dialogs.change_pin import ChangePinDialog

    shown = []
    monkeypatch.setattr(ChangePinDialog, "exec", lambda dialog: shown.append(dialog) or dialog.show())
    window = MainWindow(make_ctx(office.receptionist), db_label="office.db")
    qtbot.addWidget(window)
    window.findChild(QAction, "changeMyPin").trigger()
    [dialog] = shown
    qtbot.keyClicks(dialog.old_pin, "0000")
    qtbot.keyClicks(dialog.pin, "97531")
    qtbot.keyClicks(dialog.pin_again, "97531")
    click_save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.error.isHidden())
    assert "再错 4 次" in dialog.error.text() and dialog.old_pin.text() == ""  # counted as a wrong sign-in
    qtbot.keyClicks(dialog.old_pin, PIN)
    click_save(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.result() == ChangePinDialog.DialogCode.Accepted)
    assert accounts.sign_in(office.uow(), staff_id=office.receptionist.id, pin="97531").name == "孙前台"


def test_qt_standard_buttons_follow_the_language(qtbot, office, make_ctx):
    window = MainWindow(make_ctx(office.manager), db_label="office.db")
    qtbot.addWidget(window)
    window.set_language("zh_CN")
    dialog = SettingsDialog(window.ctx, settings.current(office.uow()))
    qtbot.addWidget(dialog)
    assert dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).text() == "保存"
    window.set_language("en")
    dialog = SettingsDialog(window.ctx, settings.current(office.uow()))
    qtbot.addWidget(dialog)
    assert dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).text() == "Save"
    window.set_language("zh_CN")


def test_backup_from_the_menu_writes_a_checked_copy_SEC5(qtbot, office, make_ctx, monkeypatch, tmp_path):
    from tests.backend import ON_POSTGRES

    window = MainWindow(make_ctx(office.manager), db_label="office.db")
    qtbot.addWidget(window)
    suffix = ".dump" if ON_POSTGRES else ".db"
    out = tmp_path / f"copy{suffix}"
    asked = []
    monkeypatch.setattr("ui.main_window.QFileDialog.getSaveFileName",
                        lambda parent, title, name, pattern: asked.append((name, pattern)) or (str(out), pattern))
    told = []
    monkeypatch.setattr("ui.main_window.QMessageBox.information", lambda parent, title, text: told.append(text))
    window.backup()
    qtbot.waitUntil(lambda: bool(told), timeout=20000)
    assert asked[0][0].endswith(suffix) and asked[0][1] == f"数据库备份 (*{suffix})"
    assert out.is_file() and str(out) in told[0]
