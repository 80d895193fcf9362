"""The window: one tab per area, menus, a status bar saying who is signed in, where the data is, the time.

It can paint before the database is open (`MainWindow(None, …)`, then `attach(ctx)`), so that a person sees
the window at once while the core loads; that is why the core and the tabs are imported where first used.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (QApplication, QFileDialog, QLabel, QMainWindow, QMessageBox, QTabWidget, QVBoxLayout,
                               QWidget)

import app
from app import clock, i18n
from app.config import OfficeSettings
from app.i18n import _
from app.permissions import ROLE_LABEL, Perm
from ui import errors, qt_language

if TYPE_CHECKING:
    from ui.context import UiContext


class MainWindow(QMainWindow):
    def __init__(self, ctx: UiContext | None, *, db_label: str,
                 on_language=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.setObjectName("mainWindow")
        self.ctx: UiContext | None = None
        self._db_label = db_label
        self._on_language = on_language
        self.tabs = QTabWidget(objectName="mainTabs")
        # Said once, at the top, while the database does not answer; what is typed in the forms stays there.
        self.banner = QLabel(objectName="connectionBanner", wordWrap=True)
        self.banner.hide()
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.banner)
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.who = QLabel(objectName="statusWho")
        self.where = QLabel(objectName="statusDatabase")
        self.when = QLabel(objectName="statusClock")
        for label in (self.who, self.where):
            self.statusBar().addWidget(label)
        self.statusBar().addPermanentWidget(self.when)
        self._clock = QTimer(self, interval=20_000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        # The office's figure is read on the worker each time someone signs in; meanwhile the last one read.
        self._idle = QTimer(self, singleShot=True, interval=OfficeSettings().kiosk_idle_minutes * 60_000)
        self._idle.timeout.connect(self.lock)
        self._daily = QTimer(self, interval=3_600_000)
        self._daily.timeout.connect(self.daily_backup)
        self.resize(1366, 740)
        if ctx is not None:
            self.attach(ctx)
        else:
            self.rebuild()

    def attach(self, ctx: UiContext) -> None:
        """Work on this database from now on: tabs, live updates, idle lock, daily backup."""
        from ui.live import LiveUpdates

        self.ctx = ctx
        QApplication.instance().installEventFilter(self)
        # Methods, not lambdas: Qt drops a method's connection when its window is deleted, a lambda's never.
        ctx.actor_changed.connect(self._actor_changed)
        ctx.tasks.unexpected_error.connect(self._unexpected)
        ctx.reachable_changed.connect(self._show_reachable)
        ctx.tasks.busy_changed.connect(self._show_busy)
        self.live = LiveUpdates(ctx, self)  # other stations' changes redraw this one's lists
        # The daily automatic backup (SEC-5): a minute after start, then every hour it checks for today's copy.
        self._daily.start()
        QTimer.singleShot(60_000, self.daily_backup)
        self.rebuild()

    @property
    def actor(self):  # type: ignore[no-untyped-def]
        return self.ctx.actor if self.ctx is not None else None

    # -- building -------------------------------------------------------------------------------
    def rebuild(self) -> None:
        """(Re)create menus and tabs: after sign-in and when the language changes."""
        self.setWindowTitle(_("Sales office desk") + " · 案场通")
        self._build_menus()
        current = self.tabs.currentIndex()
        while self.tabs.count():
            page = self.tabs.widget(0)
            self.tabs.removeTab(0)
            page.deleteLater()
        if self.actor is not None:
            from ui.tabs.reception.tab import ReceptionTab
            from ui.tabs.visitors.tab import VisitorsTab, may_see

            # The desk for those who work it: a docent or the night watch signing in at the kiosk for the showroom's
            # checks would otherwise meet a refusal from each of its panels.
            if self.actor.can(Perm.REGISTER_VISIT):
                self.reception = ReceptionTab(self.ctx, self.tabs)
                self.tabs.addTab(self.reception, _("Reception desk"))
            if may_see(self.actor):  # at the kiosk with phones masked (VIS-7)
                self.tabs.addTab(VisitorsTab(self.ctx, self.tabs), _("Visitor logs"))
            if self.actor.can(Perm.SHOWROOM_CHECK) or self.actor.can(Perm.MANAGE_SHOWROOM):
                from ui.tabs.showroom.tab import ShowroomTab  # imported only where it is shown

                self.tabs.addTab(ShowroomTab(self.ctx, self.tabs), _("Model apartments"))
            elif self.actor.can(Perm.APPROVE_WORK_ORDER):  # the engineering lead: the work orders only (SHW-5)
                from ui.tabs.showroom.work_orders_page import WorkOrdersPage

                self.tabs.addTab(WorkOrdersPage(self.ctx, self.tabs), _("Work orders"))
            self.tabs.setCurrentIndex(max(0, current))
        elif self.ctx is None:
            opening = QLabel(_("Opening the database…"), objectName="openingLabel")
            opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.tabs.addTab(opening, _("Sales office desk"))
        self._tick()
        self._restart_idle_timer()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.clear()
        actor = self.actor
        account = bar.addMenu(_("&Account"))
        self._add(account, _("Switch user…"), self.switch_user, "switchUser")
        self._add(account, _("Sign out"), self.sign_out, "signOut")
        self._add(account, _("Change my PIN…"), self.change_my_pin, "changeMyPin", enabled=actor is not None)
        account.addSeparator()
        self._add(account, _("Quit"), self.close, "quit")
        data = bar.addMenu(_("&Data"))
        self._add(data, _("Back up now…"), self.backup, "backup", enabled=bool(actor and actor.can(Perm.BACKUP)))
        # It replaces everyone's data and rights with the backup's: a manager's action (the service checks too).
        self._add(data, _("Restore a backup…"), self.restore, "restore", enabled=bool(actor and actor.can(Perm.RESTORE)))
        office = bar.addMenu(_("&Settings"))
        self._add(office, _("Office settings…"), self.open_settings, "officeSettings",
                  enabled=bool(actor and actor.can(Perm.CHANGE_SETTINGS)))
        self._add(office, _("Staff accounts…"), self.open_staff, "staffAccounts",
                  enabled=bool(actor and actor.can(Perm.MANAGE_STAFF)))
        language = bar.addMenu(_("&Language"))
        group = QActionGroup(self)
        for code, label in i18n.LANGUAGES.items():
            action = self._add(language, label, lambda _c=False, c=code: self.set_language(c), f"lang_{code}")
            action.setCheckable(True)
            action.setChecked(code == i18n.language())
            group.addAction(action)
        help_menu = bar.addMenu(_("&Help"))
        self._add(help_menu, _("About"), self.about, "about")

    def _add(self, menu, text: str, slot, name: str, *, enabled: bool = True) -> QAction:  # type: ignore[no-untyped-def]
        action = menu.addAction(text)
        action.setObjectName(name)
        action.setEnabled(enabled)
        action.triggered.connect(slot)
        return action

    def _tick(self) -> None:
        actor = self.actor
        if actor is not None:
            self.who.setText(_("Signed in: %(name)s (%(role)s)") % {"name": actor.name,
                                                                    "role": _(ROLE_LABEL[actor.role])})
        else:
            self.who.setText(_("Nobody is signed in") if self.ctx is not None else _("Opening the database…"))
        self.where.setText(_("Database: %s") % self._db_label)
        self.when.setText(clock.local(clock.now()).strftime("%Y-%m-%d %H:%M"))

    # -- actions ------------------------------------------------------------------------------------
    def switch_user(self) -> bool:
        from ui.dialogs.sign_in import SignInDialog

        if self.ctx is None:
            return False
        dialog = SignInDialog(self.ctx, self)
        if dialog.exec() and dialog.actor is not None:
            self.ctx.set_actor(dialog.actor)
            return True
        return False

    def sign_out(self) -> None:
        if self.ctx is not None:
            self.ctx.set_actor(None)
            self.switch_user()

    def lock(self) -> None:
        """An idle station locks: whoever comes next signs in (SEC-1)."""
        if self.actor is not None:
            self.sign_out()

    def set_language(self, code: str) -> None:
        i18n.set_language(code)
        qt_language.apply(i18n.language())
        if self._on_language is not None:
            self._on_language(code)
        self.rebuild()

    def open_settings(self) -> None:
        from app.services import settings

        self.ctx.run_op(self, lambda _actor, uow: settings.current(uow), on_done=self._show_settings)

    def _show_settings(self, current: OfficeSettings) -> None:
        from ui.dialogs.settings import SettingsDialog

        SettingsDialog(self.ctx, current, self).exec()
        self._restart_idle_timer()

    def change_my_pin(self) -> None:
        from ui.dialogs.change_pin import ChangePinDialog

        ChangePinDialog(self.ctx, self).exec()
        self._restart_idle_timer()

    def open_staff(self) -> None:
        from ui.dialogs.staff import StaffDialog

        StaffDialog(self.ctx, self).exec()
        self.rebuild()  # new consultants appear in the rotation and call lists

    def backup(self) -> None:
        from app.database import backup  # imported when used: keeps start-up light

        name = backup.suggested_name(self.ctx.engine)
        target, _filter = QFileDialog.getSaveFileName(self, _("Back up to"), name,
                                                      _("Database backup (*%s)") % name[name.rindex("."):])
        if not target:
            return
        self.ctx.run_op(self, lambda a, uow: backup.backup(a, self.ctx.engine, target),
                        on_done=lambda path: QMessageBox.information(self, _("Backup"),
                                                                     _("Backup saved to %s") % path),
                        on_error=lambda e: QMessageBox.warning(self, _("Backup"), str(e)))

    def restore(self) -> None:
        from app.database import backup  # imported when used: keeps start-up light

        name = backup.suggested_name(self.ctx.engine)
        source, _filter = QFileDialog.getOpenFileName(self, _("Restore from"), "",
                                                      _("Database backup (*%s)") % name[name.rindex("."):])
        if not source:
            return
        sure = QMessageBox.question(
            self, _("Restore"),
            _("Replace all of the office's data with the backup %s? Staff accounts and their rights become the "
              "backup's too, and everyone signs in again. The backup is checked first, and the data as it is now "
              "is kept.") % source)
        if sure != QMessageBox.StandardButton.Yes:
            return
        self.ctx.run_op(self, lambda a, uow: backup.restore(a, self.ctx.engine, source), on_done=self._restored,
                        on_error=lambda e: QMessageBox.warning(self, _("Restore"), str(e)))

    def _restored(self, done) -> None:  # type: ignore[no-untyped-def]
        told = [_("Restored the data of %s.") % done.source]
        if done.safety_copy is not None:
            told.append(_("The data as it was before is kept in %s") % done.safety_copy)
        QMessageBox.information(self, _("Restore"), "\n".join(told))
        self.sign_out()  # accounts and rights are now the backup's: whoever comes next signs in with them

    def about(self) -> None:
        QMessageBox.about(self, _("About"), _("Sales office desk (案场通) version %s") % app.__version__)

    def _actor_changed(self, _actor: object) -> None:
        self.rebuild()

    def _show_busy(self, busy: bool) -> None:
        self.statusBar().showMessage(_("Working…") if busy else "")

    def _show_reachable(self, reachable: bool) -> None:
        self.banner.setText(_("The database does not answer (server or network). What you type is kept, and a form "
                              "you saved meanwhile saves itself once this line has gone — nothing is saved twice."))
        self.banner.setVisible(not reachable)

    def _unexpected(self, error: Exception) -> None:
        errors.show(self, error)

    def daily_backup(self) -> None:
        from app.database import daily_backup
        from app.services import settings

        ctx = self.ctx

        def run() -> bool:  # on the worker, the settings' read with it
            return daily_backup.run(ctx.engine, keep_days=settings.current(ctx.uow()).backup_keep_days)

        ctx.tasks.run(run, lambda made: self.statusBar().showMessage(_("Today's automatic backup is saved."), 10_000)
                      if made else None,
                      lambda e: self.statusBar().showMessage(_("The daily automatic backup failed: %s") % e))

    # -- idle lock ----------------------------------------------------------------------------------
    def _restart_idle_timer(self) -> None:
        if self.actor is None:
            self._idle.stop()
            return
        from app.services import settings

        self._idle.start()
        # A database that cannot be read keeps the figure last read (at first the default).
        self.ctx.run_op(self, lambda _actor, uow: settings.current(uow).kiosk_idle_minutes,
                        on_done=self._set_idle_minutes, on_error=lambda _e: None)

    def _set_idle_minutes(self, minutes: int) -> None:
        self._idle.setInterval(minutes * 60_000)
        if self.actor is not None:  # nobody signed out meanwhile
            self._idle.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin):
            if self._idle.isActive():
                self._idle.start()
        return False
