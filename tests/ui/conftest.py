"""Fixtures for window tests: the real QApplication setup (bundled font, style) and a context on the office."""
from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QLabel, QLineEdit, QListWidget,
                               QTableWidget, QWidget)

from ui.app import application
from ui.context import UiContext

FULL_MOBILE = re.compile(r"1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}")


@pytest.fixture
def make_ctx(qapp, office):
    """A UiContext on the office, signed in as whoever the test names."""
    application()
    made: list[UiContext] = []

    def make(actor):
        ctx = UiContext(office.engine)
        ctx.actor = actor
        made.append(ctx)
        return ctx

    yield make
    # A result handed back may announce a change, and a page then reads again: wait until nothing is running and
    # every result has been handed back, so no read is left holding a connection when the database goes.
    for _turn in range(100):
        for ctx in made:
            ctx.tasks.wait()
        QApplication.processEvents()
        if all(ctx.tasks.idle() for ctx in made):
            break


def texts(root: QWidget) -> list[str]:
    """Every text a person could read in a widget tree."""
    found = []
    for w in [root, *root.findChildren(QWidget)]:
        if isinstance(w, (QLabel, QAbstractButton, QLineEdit)):
            found.append(w.text())
        elif isinstance(w, QComboBox):
            found.extend(w.itemText(i) for i in range(w.count()))
        elif isinstance(w, QListWidget):
            found.extend(w.item(i).text() for i in range(w.count()))
        elif isinstance(w, QTableWidget):
            found.extend(w.item(r, c).text() for r in range(w.rowCount()) for c in range(w.columnCount())
                         if w.item(r, c))
    return found
