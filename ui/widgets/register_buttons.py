"""Export the searched register (VIS-5) and import one (VIS-6): the buttons under the visitor logs list."""
from __future__ import annotations

from typing import Callable

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QPushButton, QWidget

from app.i18n import _
from app.permissions import Perm
from app.services import register_io
from app.services.register_io import ExportResult, ImportResult
from app.services.visitor_logs import LogQuery
from ui.context import UiContext

FILES = "CSV / Excel (*.csv *.xlsx)"
SHOWN_REJECTS = 30


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

    def ask_export(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self._owner, _("Export the register to"), "来访登记表.xlsx",
                                                    FILES)
        if not path:
            return
        reason, ok = QInputDialog.getText(self._owner, _("Export"), _("Why is it exported, and for whom?"))
        if not ok:
            return
        query = self._query()
        self._ctx.run_op(self._owner, lambda a, uow: register_io.export_logs(a, uow, query, path=path, reason=reason),
                         on_done=self._exported, on_error=self._failed)

    def ask_import(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self._owner, _("Import a register"), "", FILES)
        if not path:
            return
        self._ctx.run_op(self._owner, lambda a, uow: register_io.import_logs(a, uow, path=path),
                         on_done=self._imported, on_error=self._failed)

    def _exported(self, result: ExportResult) -> None:
        QMessageBox.information(self._owner, _("Export"), _("%(n)d rows written to %(file)s")
                                % {"n": result.rows, "file": result.path})

    def _imported(self, result: ImportResult) -> None:
        if result.written:
            text = _("Imported %(visits)d visits and %(calls)d calls; %(new)d new customers.") % {
                "visits": result.visits, "calls": result.calls, "new": result.new_customers}
        else:
            text = _("Nothing was imported: correct these rows and import the file again.")
        box = QMessageBox(QMessageBox.Icon.Information if result.written else QMessageBox.Icon.Warning,
                          _("Import"), text, parent=self._owner)
        box.setObjectName("importResult")
        if result.rejected:
            lines = [_("Row %(row)d: %(reason)s") % {"row": r.row, "reason": r.reason}
                     for r in result.rejected[:SHOWN_REJECTS]]
            if len(result.rejected) > SHOWN_REJECTS:
                lines.append(_("… and %d more rows") % (len(result.rejected) - SHOWN_REJECTS))
            box.setInformativeText("\n".join(lines))
        box.open()
        self.result_box = box

    def _failed(self, error) -> None:  # type: ignore[no-untyped-def]
        QMessageBox.warning(self._owner, _("Visitor register"), str(error))
