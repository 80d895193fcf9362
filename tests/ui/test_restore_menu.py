"""Restore from the window's Data menu (SEC-5): a manager's action, since it replaces everyone's accounts and rights
(SEC-2); after it, whoever comes next signs in with the restored accounts."""
from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from app.database import backup
from app.permissions import Role
from app.services import accounts
from tests.cli.conftest import staff_names
from ui.dialogs.sign_in import SignInDialog
from ui.main_window import MainWindow


def _restore_action(window: MainWindow) -> QAction:
    return window.findChild(QAction, "restore")


def test_only_a_manager_finds_restore_in_the_menu_SEC2_SEC5(qtbot, office, make_ctx):
    for actor, enabled in [(office.manager, True), (office.supervisor, False), (office.receptionist, False)]:
        window = MainWindow(make_ctx(actor), db_label="office.db")
        qtbot.addWidget(window)
        assert _restore_action(window).text() == "恢复备份…"
        assert _restore_action(window).isEnabled() is enabled, actor.role


def test_a_manager_restores_from_the_menu_and_everyone_signs_in_again_SEC5(qtbot, office, make_ctx, monkeypatch,
                                                                          tmp_path):
    saved = tmp_path / ("saved.db" if office.path else "saved.dump")
    backup.backup(office.manager, office.engine, saved)
    accounts.create_staff(office.manager, office.uow(), name="备份之后入职", role=Role.CONSULTANT, pin="1357")
    ctx = make_ctx(office.manager)
    window = MainWindow(ctx, db_label="office.db")
    qtbot.addWidget(window)
    asked, told = [], []
    monkeypatch.setattr("ui.main_window.QFileDialog.getOpenFileName",
                        lambda parent, title, folder, pattern: (str(saved), pattern))
    monkeypatch.setattr("ui.main_window.QMessageBox.question",
                        lambda parent, title, text: asked.append(text) or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr("ui.main_window.QMessageBox.information", lambda parent, title, text: told.append(text))
    monkeypatch.setattr(SignInDialog, "exec", lambda self: 0)  # nobody signs in again here

    _restore_action(window).trigger()
    qtbot.waitUntil(lambda: bool(told), timeout=30000)

    assert "员工账号及其权限也会变成备份里的" in asked[0]
    assert "已恢复" in told[0]
    assert ctx.actor is None and window.who.text() == "未登录"
    assert "备份之后入职" not in staff_names(office)
