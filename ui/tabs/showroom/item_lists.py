"""The model apartments' item lists (物品清单, SHW-1): each apartment's list as it stands or as it stood on a day
chosen; the supervisor adds, changes and takes off items, each change with why, and reads an item's versions."""
from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QInputDialog, QLabel,
                               QLineEdit, QMessageBox, QPushButton, QVBoxLayout, QWidget)

from app import clock
from app.i18n import N_, _
from app.permissions import Perm
from app.services.showroom import item_import, items
from app.services.showroom.items import ApartmentRow, ItemChange, ItemDraft, ItemRow
from ui.context import UiContext
from ui.widgets.forms import TABLE_FILES, ErrorLabel, FieldErrors, date_edit, dialog_layout, fill_table, list_table


def yuan(fen: int) -> str:
    return f"{fen // 100}" if fen % 100 == 0 else f"{fen / 100:.2f}"


class ItemLists(QWidget):
    AREAS = {"showroom"}
    COLUMNS = (N_("Room"), N_("Item"), N_("Brand and model"), N_("Location"), N_("Quantity"), N_("Listed price"),
               N_("Note"))

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("itemLists")
        self._ctx = ctx
        self.flats: list[ApartmentRow] = []
        self.rows: list[ItemRow] = []
        self.apartment = QComboBox(self, objectName="itemApartment")
        self.as_of = date_edit(0, "itemsAsOf", self)
        self.table = list_table(self.COLUMNS, "itemTable")
        self.count = QLabel(self, objectName="itemCount")
        self.add_apartment_button = QPushButton(_("New apartment…"), self, objectName="addApartment")
        self.add_button = QPushButton(_("Add an item…"), self, objectName="addItem")
        self.change_button = QPushButton(_("Change…"), self, objectName="changeItem")
        self.remove_button = QPushButton(_("Take off the list…"), self, objectName="removeItem")
        self.history_button = QPushButton(_("Versions"), self, objectName="itemHistory")
        self.import_button = QPushButton(_("Import item list…"), self, objectName="importItems")
        self.import_box: QMessageBox | None = None  # what the last import said
        self._imported_into = ""  # the apartment to show once the list is read again
        self.error = ErrorLabel(self)
        keeps = ctx.actor is not None and ctx.actor.can(Perm.MANAGE_SHOWROOM)
        for button in (self.add_apartment_button, self.import_button, self.add_button, self.change_button,
                       self.remove_button):
            button.setVisible(keeps)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Model apartment"), self))
        top.addWidget(self.apartment, 1)
        top.addWidget(QLabel(_("As it stood on"), self))
        top.addWidget(self.as_of)
        top.addWidget(self.count)
        top.addStretch()
        top.addWidget(self.add_apartment_button)
        top.addWidget(self.import_button)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.change_button, self.remove_button, self.history_button):
            buttons.addWidget(button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        self.apartment.currentIndexChanged.connect(lambda _i: self.reload_items())
        self.as_of.dateChanged.connect(lambda _d: self.reload_items())
        self.add_apartment_button.clicked.connect(self._add_apartment)
        self.add_button.clicked.connect(self._add)
        self.change_button.clicked.connect(self._change)
        self.remove_button.clicked.connect(self._remove)
        self.history_button.clicked.connect(self._history)
        self.import_button.clicked.connect(self._import)
        ctx.on_change(self, self.AREAS, self.reload)
        self.reload()

    def reload(self) -> None:
        self._ctx.run_op(self, lambda _a, uow: items.apartments(uow), on_done=self._show_apartments,
                         on_error=lambda e: self.error.show_message(str(e)))

    def _show_apartments(self, flats: list[ApartmentRow]) -> None:
        chosen = self.apartment.currentData()
        self.flats = flats
        self.apartment.blockSignals(True)
        self.apartment.clear()
        for flat in flats:
            self.apartment.addItem(flat.name, flat.id)
        index = self.apartment.findText(self._imported_into) if self._imported_into else self.apartment.findData(chosen)
        self._imported_into = ""
        self.apartment.setCurrentIndex(max(index, 0))
        self.apartment.blockSignals(False)
        self.reload_items()

    def reload_items(self) -> None:
        flat = self.apartment.currentData()
        if flat is None:
            self._show_items([])
            return
        day: date = self.as_of.date().toPython()
        as_of = None if day >= clock.today() else datetime.combine(day, time(23, 59, 59), tzinfo=clock.OFFICE_TZ)
        self._ctx.run_op(self, lambda _a, uow: items.item_list(uow, apartment_id=flat, as_of=as_of),
                         on_done=self._show_items, on_error=lambda e: self.error.show_message(str(e)))

    def _show_items(self, rows: list[ItemRow]) -> None:
        self.rows = rows
        fill_table(self.table, [[i.room, i.name, i.spec, i.location, f"{i.quantity} {i.unit}".strip(),
                                 yuan(i.price_fen), i.note] for i in rows])
        self.count.setText(_("%(lines)d lines, %(pieces)d pieces") % {"lines": len(rows),
                                                                      "pieces": sum(i.quantity for i in rows)})

    def _selected(self) -> ItemRow | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            return self.rows[row]
        self.error.show_message(_("Pick an item in the list first."))
        return None

    def _run(self, op) -> None:  # type: ignore[no-untyped-def]
        self.error.show_message("")
        self._ctx.run_op(self, op, on_error=lambda e: self.error.show_message(str(e)))

    def _add_apartment(self) -> None:
        name, ok = QInputDialog.getText(self, _("New apartment…"), _("Name the model apartment, e.g. A户型 三房两厅."))
        if ok:
            self._run(lambda a, uow: items.add_apartment(a, uow, name=name))

    def _add(self) -> None:
        flat = self.apartment.currentData()
        if flat is None:
            self.error.show_message(_("No model apartments yet."))
            return
        ItemDialog(self._ctx, apartment_id=flat, item=None, parent=self).exec()

    def _change(self) -> None:
        item = self._selected()
        if item is not None:
            ItemDialog(self._ctx, apartment_id=self.apartment.currentData(), item=item, parent=self).exec()

    def _remove(self) -> None:
        item = self._selected()
        if item is None:
            return
        reason, ok = QInputDialog.getText(self, _("Take off the list…"),
                                          _("Why is %s taken off the list?") % item.name)
        if ok:
            self._run(lambda a, uow: items.remove_item(a, uow, item_id=item.id, reason=reason))

    def _import(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Import an item list"), "", TABLE_FILES)
        if not path:
            return
        # The apartment shown, or another: typing a new name makes it.
        names = [flat.name for flat in self.flats]
        asked = _("Into which model apartment? A new name makes one.")
        name, ok = QInputDialog.getItem(self, _("Import an item list"), asked, names,
                                        max(self.apartment.currentIndex(), 0), True)
        if not ok:
            return
        self.error.show_message("")
        self._ctx.run_op(self, lambda a, uow: item_import.import_items(a, uow, apartment_name=name, path=path),
                         on_done=self._imported,
                         on_error=lambda e: self._tell(QMessageBox.Icon.Warning, str(e)))

    def _imported(self, result: item_import.ImportResult) -> None:
        index = self.apartment.findText(result.apartment)
        if index >= 0:
            self.apartment.setCurrentIndex(index)
        else:  # a new apartment: shown once the apartments are read again, which the import's news sets off
            self._imported_into = result.apartment
        self._tell(QMessageBox.Icon.Information, result.summary())

    def _tell(self, icon: QMessageBox.Icon, text: str) -> None:
        """What the import did, or why it did nothing, in a box that does not stop the window."""
        box = QMessageBox(icon, _("Import an item list"), text, parent=self)
        box.setObjectName("itemImportMessage")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.import_box = box

    def _history(self) -> None:
        item = self._selected()
        if item is not None:
            self._ctx.run_op(self, lambda _a, uow: items.item_history(uow, item_id=item.id),
                             on_done=lambda changes: HistoryDialog(changes, self).exec(),
                             on_error=lambda e: self.error.show_message(str(e)))


class ItemDialog(QDialog):
    """An item added, or changed with why: the fields as the list prints them."""

    def __init__(self, ctx: UiContext, *, apartment_id: int, item: ItemRow | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("itemDialog")
        self.setWindowTitle(_("Change…") if item else _("Add an item…"))
        self._ctx, self._apartment_id, self._item = ctx, apartment_id, item
        given = {"room": item.room, "name": item.name, "spec": item.spec, "location": item.location,
                 "quantity": str(item.quantity), "unit": item.unit, "price": yuan(item.price_fen),
                 "note": item.note} if item else {}
        labels = {"room": N_("Room"), "name": N_("Item"), "spec": N_("Brand and model"), "location": N_("Location"),
                  "quantity": N_("Quantity"), "unit": N_("Unit"), "price": N_("Listed price"), "note": N_("Note")}
        self.fields = {key: QLineEdit(given.get(key, ""), self, objectName=f"item_{key}") for key in labels}
        self.reason = QLineEdit(self, objectName="item_reason", maxLength=200)
        self.error = ErrorLabel(self)
        self.errors = FieldErrors(self.error, {**self.fields, "reason": self.reason})
        form = QFormLayout()
        for key, label in labels.items():
            form.addRow(_(label), self.fields[key])
        form.addRow(_("Reason"), self.reason)
        dialog_layout(self, form, self.error, self._save)

    def _save(self) -> None:
        draft = ItemDraft(**{key: field.text() for key, field in self.fields.items()})
        reason, item, flat = self.reason.text(), self._item, self._apartment_id
        if item is None:
            op = lambda a, uow: items.add_item(a, uow, apartment_id=flat, draft=draft, reason=reason)  # noqa: E731
        else:
            op = lambda a, uow: items.change_item(a, uow, item_id=item.id, draft=draft, reason=reason)  # noqa: E731
        self._ctx.run_op(self, op, on_done=lambda _row: self.accept(), on_error=self.errors.show)


class HistoryDialog(QDialog):
    """Every version of an item: from when, what it said, who changed it and why."""

    def __init__(self, changes: list[ItemChange], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("itemHistoryDialog")
        self.setWindowTitle(_("Versions"))
        table = list_table((N_("In force from"), N_("Quantity"), N_("Location"), N_("By"), N_("Reason")),
                           "itemHistoryTable")
        fill_table(table, [[clock.local(c.valid_from).strftime("%Y-%m-%d %H:%M"),
                            _("taken off") if c.removed else str(c.quantity), c.row.location, c.by, c.reason]
                           for c in changes])
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        self.resize(760, 360)
