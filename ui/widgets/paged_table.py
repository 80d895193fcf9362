"""A table model that fetches its rows page by page from a service: a large result is never loaded whole (VIS-1).

The first page arrives with the search (run on the worker); the view asks for more as the person scrolls
(canFetchMore / fetchMore). A row's texts are made when the view first shows it, all its columns at once, and
kept: a page arrives without any formatting, and repainting formats nothing again. A further page is asked for
with `fetch(offset, deliver)`, which may answer at once or later (from the worker): the window never waits, one
page is asked at a time, and a page that arrives after a new search is dropped.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QStyle, QTableView

from app.i18n import _

Index = QModelIndex | QPersistentModelIndex
Fetch = Callable[[int, Callable[[list[Any]], None]], None]
DISPLAY = Qt.ItemDataRole.DisplayRole  # looked up once: the view asks data() for every cell it paints


class PagedTableModel(QAbstractTableModel):
    """Rows are plain objects; `columns` gives each column's header (marked, translated here) and its text."""

    def __init__(self, columns: Sequence[tuple[str, Callable[[Any], str]]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Any] = []
        self._texts: list[list[str] | None] = []  # per row, its columns' texts once shown
        self._fetch: Fetch | None = None
        self._page = 0
        self._exhausted = True
        self._asking = False
        self._generation = 0
        self._new_index = self.createIndex  # bound once: looking it up on each call costs more than the call

    def reset(self, first_page: list[Any], fetch: Fetch | None, page_size: int) -> None:
        """Show a new result: its first page, and `fetch(offset, deliver)` for the pages after it."""
        self.beginResetModel()
        self._generation += 1
        self._rows = list(first_page)
        self._texts = [None] * len(self._rows)
        self._fetch, self._page = fetch, page_size
        self._exhausted = fetch is None or len(first_page) < page_size
        self._asking = False
        self.endResetModel()

    def row(self, r: int) -> Any:
        return self._rows[r]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        # Qt's own asks rowCount and columnCount back through Python for each cell the view paints.
        if 0 <= row < len(self._rows) and 0 <= column < len(self._columns) and not parent.isValid():
            return self._new_index(row, column)
        return QModelIndex()

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if role != DISPLAY:  # the view asks for every role of every cell: most are answered here
            return None
        r = index.row()
        if r < 0:  # an invalid index
            return None
        texts = self._texts[r]
        if texts is None:
            texts = self._make_texts(r)
        return texts[index.column()]

    def texts(self, r: int) -> list[str]:
        """Row r's texts, one per column, as the list shows them."""
        texts = self._texts[r]
        return self._make_texts(r) if texts is None else texts

    def _make_texts(self, r: int) -> list[str]:
        row = self._rows[r]
        texts = self._texts[r] = [text(row) for _header, text in self._columns]
        return texts

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role != DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return _(self._columns[section][0])
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted and not self._asking

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if not self.canFetchMore(parent) or self._fetch is None:
            return
        self._asking = True
        generation = self._generation
        self._fetch(len(self._rows), lambda page: self._deliver(generation, page))

    def _deliver(self, generation: int, page: list[Any]) -> None:
        if generation != self._generation:
            return  # a page of an earlier search
        self._asking = False
        self._exhausted = len(page) < self._page
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self._texts.extend([None] * len(page))
            self.endInsertRows()


def fit_columns(view: QTableView, model: PagedTableModel, rows: int) -> None:
    """Size the columns to the texts of the first `rows` rows, as `view.resizeColumnsToContents()` does with
    `resizeContentsPrecision` rows, at a small part of its cost: Qt asks the style for each cell's size and the
    model for each of its roles, where a plain text's width is its font's advance and the margins Qt's item
    delegate adds (PM_FocusFrameHMargin + 1 each side, and the grid line). No column is narrower than its header.
    """
    view.ensurePolished()  # the style sheet's font, as Qt's own measure does
    metrics = QFontMetricsF(view.font())  # fractional, rounded up as Qt's text layout does
    margins = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1)
    margins += 1 if view.showGrid() else 0
    header = view.horizontalHeader()
    advance = metrics.horizontalAdvance
    shown = [model.texts(r) for r in range(min(rows, model.rowCount()))]
    for c in range(model.columnCount()):
        widest = math.ceil(max((advance(texts[c]) for texts in shown), default=0))
        header.resizeSection(c, max(widest + margins, header.sectionSizeHint(c)))
