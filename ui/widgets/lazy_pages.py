"""Pages of a tab made when first looked at: a tab opens with only what it shows first, and a page nobody opens
never reads the database (a far server answers each read slowly)."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QTabWidget, QWidget


class LazyPages(QObject):
    """Holds the builders of `pages`' pages not yet made. A child of the tab it serves, which it hands to each
    builder: no Python reference from here to the tab, so no cycle keeps a closed tab for the garbage collector,
    which may run on the worker thread and must not delete widgets there."""

    def __init__(self, pages: QTabWidget, tab: QWidget) -> None:
        super().__init__(tab)
        self._pages = pages
        self._builders: dict[int, Callable[[Any], QWidget]] = {}
        pages.currentChanged.connect(self._build)

    def add(self, label: str, builder: Callable[[Any], QWidget]) -> int:
        """A page under `label`, made by `builder(tab)` when first shown (pass the class's function, not a bound
        method)."""
        index = self._pages.addTab(QWidget(), label)
        self._builders[index] = builder
        return index

    def _build(self, index: int) -> None:
        builder = self._builders.pop(index, None)
        if builder is None:
            return
        label = self._pages.tabText(index)
        page = builder(self.parent())
        self._pages.blockSignals(True)
        self._pages.widget(index).deleteLater()
        self._pages.removeTab(index)
        self._pages.insertTab(index, page, label)
        self._pages.setCurrentIndex(index)
        self._pages.blockSignals(False)
