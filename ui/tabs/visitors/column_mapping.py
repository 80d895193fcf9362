"""Before a register is imported (VIS-6): what each of the file's columns holds, as the person confirms it.

Each column shows its header and a few values from under it, with a choice of field; the columns the file's
words already name come chosen. A column left to "keep as extra information" is kept with each visit and shown
in the customer's file. OK stays off while a needed field has no column or a field has two.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QHeaderView, QLabel,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from app.i18n import N_, _
from app.files import register_file
from app.files.register_file import Layout
from ui.widgets.forms import ErrorLabel

# The fields in the words of a register; in Chinese these are the columns of our own export (FIELDS).
FIELD_LABEL = {
    "visited_at": N_("Visit date and time"),
    "date": N_("Visit date"),
    "time": N_("Visit time of day"),
    "kind": N_("Visit or call"),
    "name": N_("Name"),
    "phone": N_("Mobile number"),
    "party_size": N_("People"),
    "channel": N_("Channel"),
    "intent": N_("Intent"),
    "consultant": N_("Consultant"),
    "note": N_("Note"),
}
SAMPLES = 3
SAMPLE_CHARS = 24


def field_label(key: str) -> str:
    """The field's label in the current language (`_(FIELD_LABEL["date"])` would give Babel "date" to translate)."""
    return _(FIELD_LABEL[key])


class ColumnMappingDialog(QDialog):
    """`mapping()` gives column index -> register_file.FIELDS key for the columns given a field."""

    def __init__(self, layout: Layout, file_name: str, parent: QWidget | None = None, *,
                 may_create_consultants: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("columnMappingDialog")
        self.setWindowTitle(_("Import a register: its columns"))
        self._layout = layout
        intro = QLabel(_("%(file)s: the column names are on row %(row)d. Choose what each column holds; a column "
                         "kept as extra information is shown with the visit in the customer's file, a column left "
                         "out is not imported.")
                       % {"file": file_name, "row": layout.header_row}, objectName="headerRowLabel")
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 3, objectName="columnMappingTable")
        self.table.setHorizontalHeaderLabels([_("Column in the file"), _("Values under it"), _("Import as")])
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the combos take the focus, not the cells
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.combos: dict[int, QComboBox] = {}
        for index in self._columns():
            self._add_row(index)
        self.problem = ErrorLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Import"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addWidget(self.table, 1)
        # For those who manage staff: a consultant the file names and the office has no account for is refused,
        # unless an account is made (SEC-2: the PIN is set by a manager afterwards).
        self.create_consultants = QCheckBox(_("Make an account for each consultant in the file the office does not "
                                              "have yet (a manager then sets their PIN)"),
                                            objectName="createConsultantsBox")
        self.create_consultants.setVisible(may_create_consultants)
        box.addWidget(self.create_consultants)
        box.addWidget(self.problem)
        box.addWidget(self.buttons)
        self.resize(820, 620)  # within a 1366×768 screen; the table scrolls for a wide register
        self._check()

    def mapping(self) -> dict[int, str]:
        return {index: combo.currentData() for index, combo in self.combos.items() if combo.currentData()}

    def _columns(self) -> list[int]:
        """The columns to show: every one with a header or a value (a spreadsheet's empty ones left out)."""
        layout = self._layout
        return [i for i in range(len(layout.headers)) if layout.headers[i] or self._samples(i)]

    def _samples(self, index: int) -> list[str]:
        values = [row[index] for row in self._layout.sample if index < len(row) and row[index]]
        return [v if len(v) <= SAMPLE_CHARS else v[:SAMPLE_CHARS] + "…" for v in values[:SAMPLES]]

    def _add_row(self, index: int) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(register_file.column_name(self._layout.headers, index)))
        samples = QTableWidgetItem("  |  ".join(self._samples(index)))
        samples.setToolTip("\n".join(self._samples(index)))
        self.table.setItem(row, 1, samples)
        combo = QComboBox(objectName=f"columnField{index}")
        combo.addItem(_("Keep as extra information"), "")
        combo.addItem(_("Leave out (not imported)"), register_file.LEFT_OUT)
        for key in register_file.FIELDS:
            combo.addItem(field_label(key), key)
        chosen = self._layout.mapping.get(index)
        if chosen:
            combo.setCurrentIndex(combo.findData(chosen))
        combo.currentIndexChanged.connect(self._check)
        self.table.setCellWidget(row, 2, combo)
        self.combos[index] = combo

    @staticmethod
    def _needed(key: str) -> str:
        if key == "visited_at":  # a date column (with or without a time column) does as well
            return _("%(moment)s or %(date)s") % {"moment": field_label(key), "date": field_label("date")}
        return field_label(key)

    def _check(self) -> None:
        """OK only when every needed field has a column and no single field has two."""
        mapping = self.mapping()
        twice = register_file.chosen_twice(mapping)
        missing = register_file.missing(mapping)
        if missing:
            text = _("Choose a column for: %s") % "、".join(self._needed(key) for key in missing)
        elif twice:
            text = _("Only one column can be %s.") % "、".join(field_label(key) for key in twice)
        else:
            text = ""
        self.problem.show_message(text)
        self.ok.setEnabled(not text)
