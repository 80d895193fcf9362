"""The visitor logs tab (来访记录): search, a customer's file, follow-ups due and registrations lapsing, figures,
and the manager's unit control (销控)."""
from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.i18n import _
from app.permissions import Perm
from ui.context import UiContext
from ui.tabs.visitors.visit_search import VisitSearch
from ui.widgets.lazy_pages import LazyPages


def may_see(actor) -> bool:  # type: ignore[no-untyped-def]
    """Who gets the tab: whoever may search the logs, away from the kiosk, which keeps to the reception desk
    (DESIGN.md: the kiosk is the front desk's public screen)."""
    return actor is not None and not actor.at_kiosk and actor.can(Perm.SEARCH_VISITOR_LOGS)


Content = TypeVar("Content", bound=QWidget)


def _fill(box: QWidget, content: Content) -> Content:
    """`content`, made inside `box`, fills it."""
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(content)
    return content


class VisitorsTab(QWidget):
    """The search page is built at once; the other pages when first looked at (QtCharts loads only then)."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("visitorsTab")
        self._ctx = ctx
        actor = ctx.actor
        self.due: QWidget | None = None
        self.figures: QWidget | None = None
        self.units: QWidget | None = None
        # Each widget is made inside its final parent: with the application's style sheet, moving a made widget
        # into another restyles all it holds, which took a third of the tab's making. So the search is made in an
        # empty page already in its place.
        self.pages = _fill(self, QTabWidget(self, objectName="visitorsPages"))
        page = QWidget()
        self.pages.addTab(page, _("Search visits and calls"))
        self.search = _fill(page, VisitSearch(ctx, page))
        lazy = LazyPages(self.pages, self)
        lazy.add(_("Follow-ups and lapsing registrations"), VisitorsTab._build_due)
        self._figures_index = -1
        if actor is not None and actor.can(Perm.VIEW_FIGURES):
            self._figures_index = lazy.add(_("Figures"), VisitorsTab._build_figures)
        if actor is not None and actor.can(Perm.CONFIRM_UNIT):
            lazy.add(_("Unit control (销控)"), VisitorsTab._build_units)
        self.search.customer_opened.connect(self.open_customer)

    def _build_due(self) -> QWidget:
        from ui.tabs.visitors.due_lapsing import DueAndLapsing

        self.due = DueAndLapsing(self._ctx, self)
        self.due.customer_opened.connect(self.open_customer)
        return self.due

    def _build_figures(self) -> QWidget:
        from ui.tabs.visitors.figures_page import FiguresPage

        self.figures = FiguresPage(self._ctx, self)
        return self.figures

    def _build_units(self) -> QWidget:
        from ui.tabs.visitors.unit_control_page import UnitControlPage

        self.units = UnitControlPage(self._ctx, self)
        self.units.customer_opened.connect(self.open_customer)
        return self.units

    def show_figures(self) -> None:
        if self._figures_index >= 0:
            self.pages.setCurrentIndex(self._figures_index)

    def open_customer(self, customer_id: int) -> None:
        from ui.tabs.visitors.customer_timeline import CustomerTimelineDialog

        dialog = CustomerTimelineDialog(self._ctx, customer_id, self)
        dialog.open()
        self.timeline = dialog
