"""Starting the program: the window paints first, then the database opens and the tabs fill."""
from __future__ import annotations

import sys

import pytest

from ui import app as start


@pytest.fixture(autouse=True)
def _keep_excepthook(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)


def test_the_window_opens_signed_in_on_a_demo_database_and_shows_its_tabs(qapp, office, monkeypatch):
    from app.models.office import SettingValue
    from app.services.accounts import DEMO_SIGN_IN_KEY

    with office.uow() as uow:
        uow.session.add(SettingValue(key=DEMO_SIGN_IN_KEY, value=str(office.receptionist.id)))
        uow.commit()
    shown = []
    monkeypatch.setattr(start._Opening, "close", lambda self: shown.append(
        [self.window.tabs.widget(i).objectName() for i in range(self.window.tabs.count())]) or
        self.ctx.tasks.wait())
    url = office.engine.url.render_as_string(hide_password=False)
    assert start.run_window(url, quit_when_ready=True) == 0
    assert shown == [["receptionTab", "visitorsTab"]]


def test_a_file_that_is_not_a_database_is_said_in_a_message_and_the_program_ends(qapp, tmp_path, monkeypatch):
    bad = tmp_path / "notes.db"
    bad.write_text("不是数据库" * 100, encoding="utf-8")
    said = []
    monkeypatch.setattr(start.QMessageBox, "critical", lambda parent, title, text: said.append((title, text)))
    assert start.run_window(str(bad)) == 1
    assert said and said[0][0] == "无法打开数据库" and "无法打开数据库" in said[0][1]
    assert bad.read_text(encoding="utf-8").startswith("不是数据库")


def test_the_first_paint_needs_no_database_library(qapp):
    import subprocess

    code = ("import sys; from ui.app import application; from ui.main_window import MainWindow; "
            "application(); w = MainWindow(None, db_label='x.db'); w.show(); "
            "print(sorted(m for m in ('sqlalchemy', 'app.services', 'argon2') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    assert out.stdout.strip() == "[]"
