"""A table model that fetches its rows page by page from a service: a large result is never loaded whole (VIS-1).

The first page arrives with the search (run on the worker); the view asks for more as the person scrolls
(canFetchMore / fetchMore), and each further page is one short indexed query.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from app.i18n import _

Index = QModelIndex | QPersistentModelIndex


class PagedTableModel(QAbstractTableModel):
    """Rows are plain objects; `columns` gives each column's header (marked, translated here) and its text."""

    def __init__(self, columns: Sequence[tuple[str, Callable[[Any], str]]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Any] = []
        self._fetch: Callable[[int], list[Any]] | None = None
        self._page = 0
        self._exhausted = True

    def reset(self, first_page: list[Any], fetch: Callable[[int], list[Any]] | None, page_size: int) -> None:
        """Show a new result: its first page, and `fetch(offset)` for the pages after it."""
        self.beginResetModel()
        self._rows = list(first_page)
        self._fetch, self._page = fetch, page_size
        self._exhausted = fetch is None or len(first_page) < page_size
        self.endResetModel()

    def row(self, r: int) -> Any:
        return self._rows[r]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self._columns[index.column()][1](self._rows[index.row()])

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return _(self._columns[section][0])
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid() or self._exhausted or self._fetch is None:
            return
        page = self._fetch(len(self._rows))
        self._exhausted = len(page) < self._page
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()
