"""Two stations on one database: what one saves appears on the other within 3 seconds (SEC-6)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.database.engine import make_engine, session_factory
from app.services.reception import rotation, visits
from app.services.reception.visits import Registration
from app.database.uow import UnitOfWork
from ui.main_window import MainWindow
from ui.tabs.reception.todays_visits import CorrectionDialog


def other_station(office):
    """A second station: its own engine and connections on the same database."""
    engine = make_engine(office.engine.url.render_as_string(hide_password=False))
    return engine, (lambda: UnitOfWork(session_factory(engine)))


def test_a_registration_at_another_station_appears_here_within_3_seconds_SEC6(qtbot, office, make_ctx):
    window = MainWindow(make_ctx(office.receptionist), db_label="office.db")
    qtbot.addWidget(window)
    tab = window.reception
    engine, uow = other_station(office)
    rotation.sign_in(office.supervisor, uow(), consultant_id=office.consultants[0].id)
    qtbot.waitUntil(lambda: tab.rotation.queue.count() == 1, timeout=3000)
    visits.register(office.supervisor, uow(), Registration(name="王先生", phone="13812345678"))
    qtbot.waitUntil(lambda: tab.visits.table.rowCount() == 1, timeout=3000)
    assert tab.visits.table.item(0, 1).text() == "王先生"
    engine.dispose()


def test_an_update_from_another_station_never_clears_a_form_being_typed_SEC6(qtbot, office, make_ctx):
    window = MainWindow(make_ctx(office.receptionist), db_label="office.db")
    qtbot.addWidget(window)
    form = window.reception.form
    qtbot.keyClicks(form.phone, "139")
    form.name.insert("林女士")
    engine, uow = other_station(office)
    rotation.sign_in(office.supervisor, uow(), consultant_id=office.consultants[0].id)
    qtbot.waitUntil(lambda: window.reception.rotation.queue.count() == 1, timeout=3000)
    assert (form.phone.text(), form.name.text()) == ("139", "林女士")
    engine.dispose()


def test_a_correction_clashing_with_another_stations_says_so_and_keeps_the_typing_SEC6(qtbot, office, make_ctx):
    rotation.sign_in(office.receptionist, office.uow(), consultant_id=office.consultants[0].id)
    visit = visits.register(office.receptionist, office.uow(), Registration(name="王先生", phone="13812345678"))
    ctx = make_ctx(office.receptionist)
    [row] = visits.todays_visits(office.receptionist, office.uow())
    dialog = CorrectionDialog(ctx, row)
    qtbot.addWidget(dialog)
    visits.correct(office.supervisor, office.uow(), visit_id=visit.visit_id, reason="另一台", party_size=4)
    dialog.party_size.setValue(3)
    dialog.reason.insert("实为三位")
    qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.error.isHidden())
    assert "其他工作站刚刚更正了这条登记" in dialog.error.text()
    assert dialog.party_size.value() == 3 and dialog.reason.text() == "实为三位"
    assert visits.todays_visits(office.manager, office.uow())[0].party_size == 4


def test_a_database_that_stops_answering_shows_one_banner_until_it_answers_again_SEC6(
        qtbot, office, make_ctx, monkeypatch):
    from app.services import changes

    window = MainWindow(make_ctx(office.receptionist), db_label="office.db")
    qtbot.addWidget(window)
    form = window.reception.form
    form.name.insert("林女士")
    real = changes.latest

    def unreachable(uow):
        raise ConnectionError("server closed the connection unexpectedly")

    shown = []
    monkeypatch.setattr("ui.errors.QMessageBox.warning", lambda *a: shown.append(a))
    monkeypatch.setattr(changes, "latest", unreachable)
    qtbot.waitUntil(lambda: not window.banner.isHidden(), timeout=3000)
    assert "数据库没有响应" in window.banner.text()
    qtbot.wait(1500)  # polls go on failing: still one banner, no dialog
    assert shown == [] and form.name.text() == "林女士"
    monkeypatch.setattr(changes, "latest", real)
    qtbot.waitUntil(lambda: window.banner.isHidden(), timeout=3000)


def test_a_rebuilt_tab_leaves_no_listener_behind_that_calls_into_deleted_widgets_SEC6(qtbot, office, make_ctx):
    """A sign-in or a language switch rebuilds the tabs; the change news must then reach only the new ones."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from ui.tabs.reception.tab import ReceptionTab
    from ui.tabs.visitors.tab import VisitorsTab

    ctx = make_ctx(office.manager)
    for tab in (ReceptionTab(ctx), VisitorsTab(ctx)):
        tab.deleteLater()
    ctx.tasks.wait()
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # deleted now, as the window's rebuild does
    ctx.data_changed.emit(frozenset({"visits", "calls", "rotation", "bar", "units", "customers"}))
    ctx.tasks.busy_changed.emit(True)  # nothing listens any more: no error, nothing to wait for
    assert ctx.tasks.wait()


def test_after_a_restore_at_another_station_its_changes_appear_here_again_SEC5_SEC6(qtbot, office, make_ctx,
                                                                                  tmp_path):
    """The restored log numbers its entries from the backup's newest on: lower than what this station saw."""
    from app.database import backup

    saved = tmp_path / ("saved.db" if office.path else "saved.dump")
    backup.backup(None, office.engine, saved)
    for consultant in office.consultants:  # entries the restore takes away again
        rotation.sign_in(office.receptionist, office.uow(), consultant_id=consultant.id)
    window = MainWindow(make_ctx(office.receptionist), db_label="office.db")
    qtbot.addWidget(window)
    tab = window.reception
    qtbot.waitUntil(lambda: tab.rotation.queue.count() == len(office.consultants), timeout=3000)
    engine, uow = other_station(office)
    backup.restore(None, engine, saved)
    qtbot.wait(1500)  # the window notices the shorter log
    rotation.sign_in(office.supervisor, uow(), consultant_id=office.consultants[0].id)
    qtbot.waitUntil(lambda: tab.rotation.queue.count() == 1, timeout=3000)
    engine.dispose()
