"""The reception desk through the window, as the receptionist uses it."""
from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from app import clock
from app.models.bar import BarServing
from app.services.reception import bar, rotation, visits
from app.services.reception.visits import Registration
from tests.unit.helpers import fetch
from tests.ui.conftest import FULL_MOBILE, texts
from ui.tabs.reception.tab import ReceptionTab


def open_tab(qtbot, make_ctx, actor):
    ctx = make_ctx(actor)
    tab = ReceptionTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1366, 700)
    tab.show()
    return ctx, tab


def sign_in(office, *consultants):
    for c in consultants:
        rotation.sign_in(office.receptionist, office.uow(), consultant_id=c.id)


def test_walk_in_registered_through_the_form_calls_the_head_of_the_queue_REC4(qtbot, office, make_ctx):
    a, b, *_ = office.consultants
    sign_in(office, a, b)
    _ctx, tab = open_tab(qtbot, make_ctx, office.receptionist)
    qtbot.waitUntil(lambda: tab.rotation.queue.count() == 2)
    form = tab.form
    qtbot.keyClicks(form.phone, "138 1234 5678")
    form.name.insert("王先生")  # Chinese comes from the input method, not key presses
    form.party_size.setValue(3)
    form.channel.setCurrentIndex(form.channel.findData("internet"))
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.result.isVisible())
    assert f"请 {a.name} 接待" in form.result.text()
    assert form.phone.text() == "" and form.name.text() == ""  # ready for the next party
    qtbot.waitUntil(lambda: tab.rotation.queue.item(0).text().endswith(b.name))
    qtbot.waitUntil(lambda: tab.visits.table.rowCount() == 1)
    assert tab.visits.table.item(0, 1).text() == "王先生"
    saved = visits.todays_visits(office.manager, office.uow())
    assert [(v.phone, v.party_size, v.channel) for v in saved] == [("138 1234 5678", 3, "internet")]


def test_bad_phone_is_shown_next_to_the_field_and_nothing_is_saved_REC1(qtbot, office, make_ctx):
    sign_in(office, office.consultants[0])
    _ctx, tab = open_tab(qtbot, make_ctx, office.receptionist)
    form = tab.form
    qtbot.keyClicks(form.phone, "12345")
    form.name.insert("王先生")  # Chinese comes from the input method, not key presses
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.error.isVisible())
    assert "手机号为 11 位" in form.error.text() or "不是有效的电话号码" in form.error.text()
    assert form.phone.property("invalid") is True
    assert form.name.text() == "王先生"  # what was typed is kept
    assert visits.todays_visits(office.manager, office.uow()) == []


def test_no_phone_without_the_declined_box_is_refused_then_declined_is_accepted_REC1(qtbot, office, make_ctx):
    sign_in(office, office.consultants[0])
    _ctx, tab = open_tab(qtbot, make_ctx, office.receptionist)
    form = tab.form
    form.name.insert("李女士")  # Chinese comes from the input method, not key presses
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.error.isVisible())
    assert "客户拒留电话" in form.error.text()
    form.declined.setChecked(True)
    qtbot.mouseClick(form.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.result.isVisible())
    assert not form.error.isVisible()


def test_known_phone_shows_the_returning_customer_before_assigning_REC3(qtbot, office, make_ctx):
    a = office.consultants[0]
    sign_in(office, a)
    visits.register(office.receptionist, office.uow(), Registration(name="林女士", phone="13912345678"))
    _ctx, tab = open_tab(qtbot, make_ctx, office.receptionist)
    qtbot.keyClicks(tab.form.phone, "139-1234-5678")
    qtbot.waitUntil(lambda: tab.form.card.isVisible(), timeout=3000)
    card = tab.form.card.text()
    assert "林女士" in card and a.name in card and "来访 1 次" in card
    assert tab.form.name.text() == "林女士" and tab.form.is_return.isChecked()


def test_refusal_from_todays_list_passes_the_visitor_on_REC6(qtbot, office, make_ctx, monkeypatch):
    a, b, *_ = office.consultants
    sign_in(office, a, b)
    visits.register(office.receptionist, office.uow(), Registration(name="王先生", phone="13812345678"))
    _ctx, tab = open_tab(qtbot, make_ctx, office.receptionist)
    qtbot.waitUntil(lambda: tab.visits.table.rowCount() == 1)
    monkeypatch.setattr("ui.tabs.reception.todays_visits.QInputDialog.getText", lambda *a, **k: ("不接", True))
    tab.visits.table.selectRow(0)
    qtbot.mouseClick(tab.visits.refuse_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.visits.table.item(0, 5).text() == b.name)
    qtbot.waitUntil(lambda: "还需轮空 2 轮" in " ".join(texts(tab.rotation)))


def test_signing_a_consultant_in_puts_them_at_the_back_of_the_queue_REC4(qtbot, office, make_ctx):
    a, b, *_ = office.consultants
    sign_in(office, a)
    _ctx, tab = open_tab(qtbot, make_ctx, office.receptionist)
    qtbot.waitUntil(lambda: tab.rotation.queue.count() == 1)
    tab.rotation.away.setCurrentIndex(tab.rotation.away.findData(b.id))
    qtbot.mouseClick(tab.rotation.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.rotation.queue.count() == 2)
    assert tab.rotation.queue.item(1).text() == f"2. {b.name}"
    assert a.name in tab.rotation.head.text()


def test_water_bar_reminds_a_refill_after_20_minutes_REC11(qtbot, office, make_ctx):
    bar.seat(office.receptionist, office.uow(), table_id=1, party="王先生一家", party_size=3)
    _ctx, tab = open_tab(qtbot, make_ctx, office.receptionist)
    panel = tab.water_bar
    tab.pages.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: len(panel.cards) == 3)
    assert not panel.reminder.isVisible()
    clock.advance(timedelta(minutes=21))
    panel.check_refills()
    assert panel.reminder.isVisible() and "A1" in panel.reminder.text()
    refill = panel.cards[0].findChild(type(tab.form.submit), "refillButton")
    qtbot.mouseClick(refill, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(refill, Qt.MouseButton.LeftButton)  # pressed twice for one reminder: one refill (SEC-6)
    qtbot.waitUntil(lambda: not panel.reminder.isVisible())
    assert len(fetch(office, BarServing, is_refill=True)) == 1


def test_kiosk_never_shows_a_full_mobile_number_VIS7(qtbot, office, make_ctx):
    sign_in(office, office.consultants[0])
    visits.register(office.receptionist, office.uow(), Registration(name="王先生", phone="13812345678"))
    bar.seat(office.receptionist, office.uow(), table_id=1, party="王先生", party_size=1)
    _ctx, tab = open_tab(qtbot, make_ctx, office.receptionist)
    qtbot.waitUntil(lambda: tab.visits.table.rowCount() == 1)
    for page in range(tab.pages.count()):
        tab.pages.setCurrentIndex(page)
    shown = texts(tab)
    assert "138****5678" in shown
    assert not [t for t in shown if FULL_MOBILE.search(t)]


def test_at_the_kiosk_even_a_manager_sees_masked_phones_VIS7(qtbot, office, make_ctx):
    from ui.context import UiContext

    sign_in(office, office.consultants[0])
    visits.register(office.receptionist, office.uow(), Registration(name="王先生", phone="13812345678"))
    ctx = UiContext(office.engine, kiosk=True)
    ctx.set_actor(office.manager)
    tab = ReceptionTab(ctx)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.visits.table.rowCount() == 1)
    assert tab.visits.table.item(0, 2).text() == "138****5678"
    assert not [t for t in texts(tab) if FULL_MOBILE.search(t)]
    ctx.tasks.wait()


def test_correction_needs_a_reason_and_the_history_shows_the_old_values_and_ownership_REC2_REC8(
        qtbot, office, make_ctx, monkeypatch):
    from PySide6.QtWidgets import QDialogButtonBox

    from ui.tabs.reception.todays_visits import CorrectionDialog, HistoryDialog

    a = office.consultants[0]
    sign_in(office, a)
    visits.register(office.receptionist, office.uow(), Registration(name="王先生", phone="13812345678", party_size=2))
    ctx, tab = open_tab(qtbot, make_ctx, office.receptionist)
    qtbot.waitUntil(lambda: tab.visits.table.rowCount() == 1)
    dialog = CorrectionDialog(ctx, tab.visits.rows[0])
    qtbot.addWidget(dialog)
    dialog.party_size.setValue(3)
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.error.isHidden())
    assert "请填写原因" in dialog.error.text()
    dialog.reason.insert("实为三位")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == CorrectionDialog.DialogCode.Accepted)
    qtbot.waitUntil(lambda: tab.visits.table.item(0, 3).text() == "3")

    shown = []
    monkeypatch.setattr(HistoryDialog, "exec", lambda self: shown.append(self))
    tab.visits.table.selectRow(0)
    qtbot.mouseClick(tab.visits.history_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown))  # read on the worker
    history = shown[0]
    rows = [[history.table.item(r, c).text() for c in range(history.table.columnCount())]
            for r in range(history.table.rowCount())]
    assert [r[4:6] for r in rows] == [["王先生", "2"], ["王先生", "3"]]
    assert rows[1][2] == office.receptionist.name and rows[1][3] == "实为三位"
    assert history.decisions.item(0, 1).text() == a.name and history.decisions.item(0, 3).text() == "首次登记"


def test_follow_ups_due_are_listed_per_consultant_with_overdue_marked_REC9(qtbot, office, make_ctx):
    a, b, *_ = office.consultants
    sign_in(office, a, b)
    visits.register(office.receptionist, office.uow(), Registration(name="王先生", phone="13812345678"))
    visits.register(office.receptionist, office.uow(), Registration(name="林女士", phone="13912345678"))
    clock.advance(timedelta(days=4))  # due after 3 days: both overdue by now
    _ctx, tab = open_tab(qtbot, make_ctx, office.receptionist)
    panel = tab.follow_ups
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2)
    assert {panel.table.item(r, 4).text() for r in range(2)} == {"已逾期"}
    panel.consultant.setCurrentIndex(panel.consultant.findData(b.id))
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1)
    assert panel.table.item(0, 1).text() == "林女士" and panel.table.item(0, 3).text() == b.name


def test_an_idle_station_locks_itself_SEC1(qtbot, office, make_ctx, monkeypatch):
    from ui.dialogs.sign_in import SignInDialog
    from ui.main_window import MainWindow

    from app.services import settings

    settings.update(office.manager, office.uow(), {"kiosk_idle_minutes": 2})
    ctx = make_ctx(office.receptionist)
    window = MainWindow(ctx, db_label="office.db")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window._idle.interval() == 2 * 60_000)  # the setting, read on the worker
    qtbot.waitUntil(ctx.tasks.idle)
    monkeypatch.setattr(SignInDialog, "exec", lambda self: 0)
    window._idle.setInterval(50)
    window._idle.start()
    qtbot.waitUntil(lambda: ctx.actor is None, timeout=3000)
    assert window.tabs.count() == 0 and window.who.text() == "未登录"


def test_a_known_landline_with_a_short_area_code_is_recognized_too_REC3(qtbot, office, make_ctx):
    sign_in(office, office.consultants[0])
    visits.register(office.receptionist, office.uow(), Registration(name="周先生", phone="010-1234567"))
    _ctx, tab = open_tab(qtbot, make_ctx, office.receptionist)
    qtbot.keyClicks(tab.form.phone, "010 1234567")
    qtbot.waitUntil(lambda: tab.form.card.isVisible(), timeout=3000)
    assert "周先生" in tab.form.card.text()


def test_the_days_log_shows_each_event_with_the_queue_after_it_REC6(qtbot, office, make_ctx, monkeypatch):
    from ui.tabs.reception.rotation_panel import DayLogDialog

    a, b, *_ = office.consultants
    sign_in(office, a, b)
    visits.register(office.receptionist, office.uow(), Registration(name="王先生", phone="13812345678"))
    _ctx, tab = open_tab(qtbot, make_ctx, office.receptionist)
    shown = []
    monkeypatch.setattr(DayLogDialog, "exec", lambda self: shown.append(self))
    qtbot.mouseClick(tab.findChild(type(tab.form.submit), "rotationLog"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(shown))  # read on the worker
    table = shown[0].table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]
    assert len(rows) == 3 and rows[-1][1] == a.name and rows[-1][4].startswith(b.name)  # a took the walk-in
