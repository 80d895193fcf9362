"""Export the searched register (VIS-5) and import one (VIS-6): the buttons under the visitor logs list.

An import first shows the file's columns to be confirmed (column_mapping.py beside it). Both run on the worker
with a progress dialog that appears when the work takes more than a moment, and can be cancelled: a cancelled
import writes nothing, a cancelled export leaves no file.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QProgressDialog, QPushButton, QWidget

from app.i18n import _
from app.permissions import Actor, Perm
from app.files import register_file
from app.files.register_file import Layout
from app.services.visitors import register_io
from app.services.visitors.register_io import ExportResult, ImportResult
from app.services.visitors.visitor_logs import LogQuery
from app.database.uow import UnitOfWork
from ui.context import UiContext
from ui.tabs.visitors.column_mapping import ColumnMappingDialog
from ui.tasks import Progress
from ui.widgets.forms import TABLE_FILES

FILES = "CSV / Excel (*.csv *.xlsx)"  # what an export writes
SHOWN_REJECTS = 30
PROGRESS_AFTER_MS = 500  # quick work shows no progress dialog at all

# An operation told how to report progress and how to hear a cancel: op(actor, uow, progress, cancelled).
LongOp = Callable[[Actor, UnitOfWork, Callable[[int, int], None], Callable[[], bool]], Any]


class RegisterButtons:
    """The export and import buttons, each only for those allowed; `query()` gives what is searched now."""

    def __init__(self, ctx: UiContext, owner: QWidget, query: Callable[[], LogQuery]) -> None:
        self._ctx, self._owner, self._query = ctx, owner, query
        actor = ctx.actor
        self.export = QPushButton(_("Export…"), objectName="exportRegisterButton")
        self.import_ = QPushButton(_("Import…"), objectName="importRegisterButton")
        self.export.setVisible(bool(actor and actor.can(Perm.EXPORT_REGISTER)))
        self.import_.setVisible(bool(actor and actor.can(Perm.IMPORT_REGISTER)))
        self.export.clicked.connect(self.ask_export)
        self.import_.clicked.connect(self.ask_import)
        self.mapping_dialog: ColumnMappingDialog | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.result_box: QMessageBox | None = None

    def ask_export(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self._owner, _("Export the register to"), "来访登记表.xlsx",
                                                    FILES)
        if not path:
            return
        reason, ok = QInputDialog.getText(self._owner, _("Export"), _("Why is it exported, and for whom?"))
        if not ok:
            return
        query = self._query()
        self._run_long(_("Writing the register…"),
                       lambda a, uow, progress, cancelled: register_io.export_logs(
                           a, uow, query, path=path, reason=reason, progress=progress, cancelled=cancelled,
                           overwrite=True),  # the save dialog asked before replacing a file
                       self._exported)

    def ask_import(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self._owner, _("Import a register"), "", TABLE_FILES)
        if not path:
            return
        # Reading the first rows of a file on a slow share is still file work: off the GUI thread.
        self._ctx.run_op(self._owner, lambda _a, _uow: register_file.inspect(path),
                         on_done=lambda layout: self._confirm_columns(path, layout), on_error=self._failed)

    def _confirm_columns(self, path: str, layout: Layout) -> None:
        actor = self._ctx.actor
        dialog = ColumnMappingDialog(layout, Path(path).name, self._owner,
                                     may_create_consultants=bool(actor and actor.can(Perm.MANAGE_STAFF)))
        dialog.accepted.connect(lambda: self._import(path, dialog.mapping(), dialog.create_consultants.isChecked()))
        dialog.finished.connect(dialog.deleteLater)
        self.mapping_dialog = dialog
        dialog.open()

    def _import(self, path: str, mapping: dict[int, str], create_consultants: bool) -> None:
        self._run_long(_("Importing the register…"),
                       lambda a, uow, progress, cancelled: register_io.import_logs(
                           a, uow, path=path, mapping=mapping, create_consultants=create_consultants,
                           progress=progress, cancelled=cancelled),
                       self._imported)

    def _run_long(self, label: str, op: LongOp, on_done: Callable[[Any], None]) -> None:
        """Run `op` on the worker behind a progress dialog with a Cancel button, shown only if it takes a while."""
        progress = Progress()  # no parent: it outlives a window closed meanwhile, as the worker still tells it
        dialog = QProgressDialog(label, _("Cancel"), 0, 1000, self._owner)
        dialog.setObjectName("registerProgress")
        dialog.setWindowTitle(_("Visitor register"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(PROGRESS_AFTER_MS)
        dialog.setMinimumWidth(420)
        dialog.setValue(0)  # starts the timer that shows it
        progress.changed.connect(dialog.setValue)
        dialog.canceled.connect(progress.cancel)

        def ended() -> None:
            progress.deleteLater()
            if shiboken6.isValid(dialog):  # gone with its window when that closed first
                dialog.canceled.disconnect(progress.cancel)
                dialog.reset()
                dialog.hide()
                dialog.deleteLater()
                self.progress_dialog = None

        # `ended` comes by a queued signal, so it runs on the GUI thread before the result is shown.
        progress.ended.connect(ended)
        self.progress_dialog = dialog
        self._ctx.run_op(self._owner, lambda a, uow: progress.around(
            lambda: op(a, uow, progress.report, progress.cancelled)), on_done=on_done, on_error=self._failed)

    def _exported(self, result: ExportResult) -> None:
        self._tell(QMessageBox.Icon.Information, _("Export"), _("%(n)d rows written to %(file)s")
                   % {"n": result.rows, "file": result.path})

    def _imported(self, result: ImportResult) -> None:
        if result.written:
            text = _("Imported %(visits)d visits and %(calls)d calls; %(new)d new customers.") % {
                "visits": result.visits, "calls": result.calls, "new": result.new_customers}
        else:
            text = _("Nothing was imported: correct these rows and import the file again.")
        if result.skipped:
            text += "\n" + _skipped(result)
        if result.new_consultants:
            text += "\n" + _("Accounts made for %s: set their PINs in Staff accounts.") % "、".join(
                result.new_consultants)
        details = ""
        if result.rejected:
            lines = [_("Row %(row)d: %(reason)s") % {"row": r.row, "reason": r.reason}
                     for r in result.rejected[:SHOWN_REJECTS]]
            if len(result.rejected) > SHOWN_REJECTS:
                lines.append(_("… and %d more rows") % (len(result.rejected) - SHOWN_REJECTS))
            details = "\n".join(lines)
        self._tell(QMessageBox.Icon.Information if result.written else QMessageBox.Icon.Warning, _("Import"), text,
                   details)

    def _failed(self, error) -> None:  # type: ignore[no-untyped-def]
        self._tell(QMessageBox.Icon.Warning, _("Visitor register"), str(error))

    def _tell(self, icon: QMessageBox.Icon, title: str, text: str, details: str = "") -> None:
        """A message that does not stop the window (the result of work that ran on its own)."""
        box = QMessageBox(icon, title, text, parent=self._owner)
        box.setObjectName("registerMessage")
        if details:
            box.setInformativeText(details)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.result_box = box


def _skipped(result: ImportResult) -> str:
    """The blank rows and footer lines passed over, with one footer as an example (制表人：王芳)."""
    example = next((s for s in result.skipped if s.text), None)
    if example is None:
        return _("Skipped %d blank rows.") % len(result.skipped)
    return _("Skipped %(n)d blank or footer rows (e.g. row %(row)d: %(text)s).") % {
        "n": len(result.skipped), "row": example.row, "text": example.text}
