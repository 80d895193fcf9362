"""A lost connection in the middle of a save (SEC-6): the form keeps what was typed, says it will be saved when the
connection returns, and then saves by itself (or when the button is pressed again) — never twice.

The connection is cut inside the database layer the program uses (SQLAlchemy events), so these run on SQLite and
PostgreSQL alike; tests/unit/database/test_network_loss.py cuts a real TCP connection to a server."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from app.database.engine import make_engine
from app.models.bar import BarSeating
from app.models.rotation import RotationEvent
from app.models.visitors import Call, Visit
from app.services.reception import bar, rotation
from tests.unit.helpers import fetch
from ui.main_window import MainWindow
from ui.tabs.reception.calls_panel import CallsPanel
from ui.tabs.reception.registration_form import RegistrationForm
from ui.tabs.reception.water_bar import SeatDialog

LOST = "server closed the connection unexpectedly"


def _fill(form: RegistrationForm) -> None:
    form.phone.insert("13812345678")
    form.name.insert("王先生")
    form.intent.insert("三居室")


def _kept(form: RegistrationForm) -> bool:
    return (form.phone.text(), form.name.text(), form.intent.text()) == ("13812345678", "王先生", "三居室")


def _lose_the_first_commit_answer(ctx) -> None:  # type: ignore[no-untyped-def]
    """The station's next commit reaches the database, but its answer is lost on the way back."""
    lost = []

    @event.listens_for(ctx._factory, "after_commit")
    def _answer_lost(_session) -> None:  # type: ignore[no-untyped-def]
        if not lost:
            lost.append(True)
            raise OperationalError("COMMIT", None, Exception(LOST), connection_invalidated=True)


def _visits_seen_from_another_station(office) -> int:  # type: ignore[no-untyped-def]
    engine = make_engine(office.engine.url.render_as_string(hide_password=False))
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(Visit)).scalar_one()
    finally:
        engine.dispose()


@pytest.mark.parametrize("retry", ["server answers again", "button pressed again"])
def test_a_registration_whose_answer_was_lost_is_kept_and_saved_again_once_SEC6(qtbot, office, make_ctx, retry):
    """The commit reached the database but its answer never came back: the retry with the form's token finds it."""
    rotation.sign_in(office.receptionist, office.uow(), consultant_id=office.consultants[0].id)
    ctx = make_ctx(office.receptionist)
    form = RegistrationForm(ctx)
    qtbot.addWidget(form)
    _lose_the_first_commit_answer(ctx)
    _fill(form)
    token = form.saving.token
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.error.isHidden(), timeout=5000)
    assert "无法连接数据库服务器" in form.error.text() and "连接恢复后会自动保存" in form.error.text()
    assert _kept(form) and form.submit.isEnabled() and form.result.isHidden()
    assert not ctx.reachable  # the window's banner is on
    assert len(fetch(office, Visit)) == 1  # the first try did reach the database

    if retry == "server answers again":
        ctx.set_reachable(True)
    else:
        qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.result.isHidden(), timeout=5000)
    assert "李一" in form.result.text() and form.error.isHidden()
    assert form.name.text() == "" and form.saving.token != token  # a new, empty form
    assert len(fetch(office, Visit)) == 1 and len(fetch(office, RotationEvent, kind="assign")) == 1


def test_a_server_gone_before_the_save_shows_the_banner_and_the_form_saves_itself_when_it_returns_SEC6(
        qtbot, office, make_ctx):
    """Every call to the database fails while the server is gone; the window's poller notices its return."""
    rotation.sign_in(office.receptionist, office.uow(), consultant_id=office.consultants[0].id)
    window = MainWindow(make_ctx(office.receptionist), db_label="office.db")
    qtbot.addWidget(window)
    form, todays = window.reception.form, window.reception.visits
    down = []

    @event.listens_for(office.engine, "before_cursor_execute")
    def _cut(*_args) -> None:  # type: ignore[no-untyped-def]
        if down:
            raise office.engine.dialect.loaded_dbapi.OperationalError(LOST)

    _fill(form)
    down.append(True)
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.error.isHidden(), timeout=5000)
    assert "连接恢复后会自动保存" in form.error.text() and _kept(form)
    qtbot.waitUntil(lambda: not window.banner.isHidden(), timeout=3000)
    qtbot.wait(1500)  # the poller keeps failing: the form waits, nothing is written
    assert _kept(form) and _visits_seen_from_another_station(office) == 0

    down.clear()  # the server is back
    qtbot.waitUntil(lambda: not form.result.isHidden(), timeout=5000)
    assert "李一" in form.result.text() and form.name.text() == ""
    qtbot.waitUntil(lambda: window.banner.isHidden(), timeout=3000)
    qtbot.waitUntil(lambda: todays.table.rowCount() == 1, timeout=3000)
    assert len(fetch(office, Visit)) == 1


def test_a_call_whose_answer_was_lost_is_logged_once_when_the_server_answers_again_SEC6(qtbot, office, make_ctx):
    ctx = make_ctx(office.receptionist)
    panel = CallsPanel(ctx)
    qtbot.addWidget(panel)
    _lose_the_first_commit_answer(ctx)
    panel.phone.insert("13712345678")
    panel.name.insert("赵先生")
    panel.questions.insertPlainText("问二期开盘时间")
    qtbot.mouseClick(panel.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.error.isHidden(), timeout=5000)
    assert "连接恢复后会自动保存" in panel.error.text()
    assert (panel.phone.text(), panel.name.text(), panel.questions.toPlainText()) == ("13712345678", "赵先生",
                                                                                     "问二期开盘时间")
    ctx.set_reachable(True)
    qtbot.waitUntil(lambda: panel.name.text() == "", timeout=5000)
    assert panel.result.text() and panel.error.isHidden()
    assert len(fetch(office, Call)) == 1


def test_a_seating_whose_answer_was_lost_closes_its_dialog_once_the_server_answers_again_SEC6(qtbot, office,
                                                                                             make_ctx):
    ctx = make_ctx(office.receptionist)
    table = bar.tables(office.receptionist, office.uow())[0]
    dialog = SeatDialog(ctx, table)
    qtbot.addWidget(dialog)
    dialog.show()
    _lose_the_first_commit_answer(ctx)
    dialog.party.insert("王先生一家")
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.error.isHidden(), timeout=5000)
    assert "连接恢复后会自动保存" in dialog.error.text()
    assert dialog.isVisible() and dialog.party.text() == "王先生一家"
    ctx.set_reachable(True)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=5000)
    assert len(fetch(office, BarSeating)) == 1  # not refused as "taken" by its own first try, not seated twice


def test_a_seating_cancelled_while_the_server_is_gone_is_not_saved_when_it_returns_SEC6(qtbot, office, make_ctx):
    ctx = make_ctx(office.receptionist)
    dialog = SeatDialog(ctx, bar.tables(office.receptionist, office.uow())[0])
    qtbot.addWidget(dialog)
    dialog.show()
    down = [True]

    @event.listens_for(office.engine, "before_cursor_execute")
    def _cut(*_args) -> None:  # type: ignore[no-untyped-def]
        if down:
            raise office.engine.dialect.loaded_dbapi.OperationalError(LOST)

    dialog.party.insert("王先生一家")
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "连接恢复后会自动保存" in dialog.error.text(), timeout=5000)
    dialog.reject()
    down.clear()
    ctx.set_reachable(True)
    qtbot.wait(300)
    ctx.tasks.wait()
    assert fetch(office, BarSeating) == []
