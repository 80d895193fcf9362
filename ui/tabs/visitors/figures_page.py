"""Figures for a chosen period: traffic per day, week or month (VIS-2) and the funnel visit → deposit → contract
(VIS-3), each as a chart and a table. QtCharts is imported with this module, which the tab loads when first shown."""
from __future__ import annotations

from PySide6.QtCharts import (QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QLineSeries,
                              QStackedBarSeries, QValueAxis)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QTabWidget,
                               QTableWidget, QVBoxLayout, QWidget)

from app.i18n import N_, _
from app.services.visitors import figures
from app.services.visitors.figures import FunnelRow, Traffic
from ui.context import UiContext
from ui.widgets.forms import ErrorLabel, date_edit, fill_table, list_table

FORMATS = {"day": "%m-%d", "week": "%m-%d", "month": "%Y-%m"}
# Distinct, printable colours for up to ten series (the chart theme's own run pale after six).
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf")


def _combo(name: str, items: dict[str, str]) -> QComboBox:
    box = QComboBox(objectName=name)
    for code, label in items.items():
        box.addItem(_(label), code)
    return box


def _chart_view(name: str) -> QChartView:
    view = QChartView(objectName=name)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(260)
    return view


def _new_chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


class FiguresPage(QWidget):
    AREAS = {"visits", "calls", "deals"}

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figuresPage")
        self._ctx = ctx
        self.since = date_edit(29, "figuresSince")
        self.until = date_edit(0, "figuresUntil")
        self.period = _combo("figuresPeriod", figures.PERIODS)
        self.split = _combo("figuresSplit", figures.TRAFFIC_BY)
        self.funnel_by = _combo("funnelBy", figures.FUNNEL_BY)
        self.show_button = QPushButton(_("Show"), objectName="showFiguresButton")
        self.error = ErrorLabel(self)
        self.traffic_chart = _chart_view("trafficChart")
        self.traffic_table = QTableWidget(objectName="trafficTable")
        self.funnel_chart = _chart_view("funnelChart")
        self.funnel_table = list_table((N_("Consultant or channel"), N_("Visitors"), N_("Deposits"),
                                        N_("Contracts"), N_("Deposits per visitor"), N_("Contracts per deposit")),
                                       "funnelTable")
        self.pages = QTabWidget(objectName="figuresPages")
        self.pages.addTab(self._pair(self.traffic_chart, self.traffic_table), _("Traffic"))
        self.pages.addTab(self._pair(self.funnel_chart, self.funnel_table), _("Funnel"))
        bar = QHBoxLayout()
        for w in (QLabel(_("From")), self.since, QLabel(_("to")), self.until, QLabel(_("Traffic per")), self.period,
                  QLabel(_("split by")), self.split, QLabel(_("Funnel per")), self.funnel_by):
            bar.addWidget(w)
        bar.addStretch()
        bar.addWidget(self.show_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        self.show_button.clicked.connect(self.reload)
        for box in (self.period, self.split, self.funnel_by):
            box.currentIndexChanged.connect(lambda _i: self.reload())
        ctx.on_change(self, self.AREAS, self.reload)
        self.reload()

    @staticmethod
    def _pair(chart: QWidget, table: QWidget) -> QSplitter:
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(chart)
        split.addWidget(table)
        split.setSizes([300, 240])
        return split

    def reload(self) -> None:
        self.error.show_message("")
        since, until = self.since.date().toPython(), self.until.date().toPython()
        period, split, by = self.period.currentData(), self.split.currentData(), self.funnel_by.currentData()
        failed = lambda e: self.error.show_message(str(e))  # noqa: E731
        self._ctx.run_op(self, lambda a, uow: figures.traffic(a, uow, since=since, until=until, period=period,
                                                              by=split),
                         on_done=self._show_traffic, on_error=failed)
        self._ctx.run_op(self, lambda a, uow: figures.funnel(a, uow, since=since, until=until, by=by),
                         on_done=self._show_funnel, on_error=failed)

    # -- traffic ------------------------------------------------------------------------------------
    def _show_traffic(self, t: Traffic) -> None:
        labels = [d.strftime(FORMATS[t.period]) for d in t.buckets]
        chart = _new_chart(_("Visits per %s, calls beside them") % _(figures.PERIODS[t.period]).lower())
        bars = QStackedBarSeries()
        for i, s in enumerate(t.series):
            bar_set = QBarSet(s.label)
            bar_set.setColor(QColor(PALETTE[i % len(PALETTE)]))
            bar_set.append([float(n) for n in s.counts])
            bars.append(bar_set)
        chart.addSeries(bars)
        calls = QLineSeries()
        calls.setName(_("Calls received"))
        for i, n in enumerate(t.calls):
            calls.append(i, n)
        chart.addSeries(calls)
        x = QBarCategoryAxis()
        x.append(labels)
        x.setLabelsAngle(-90 if len(labels) > 16 else 0)
        y = QValueAxis()
        y.setLabelFormat("%d")
        y.setRange(0, max([*t.visits, *t.calls, 1]) * 1.1)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for series in (bars, calls):
            series.attachAxis(x)
            series.attachAxis(y)
        self.traffic_chart.setChart(chart)
        headers = [_("Period"), *[s.label for s in t.series], _("Visits"), _("Calls received")]
        self.traffic_table.setColumnCount(len(headers))
        self.traffic_table.setHorizontalHeaderLabels(headers)
        rows = [[labels[i], *[str(s.counts[i]) for s in t.series], str(t.visits[i]), str(t.calls[i])]
                for i in range(len(labels))]
        rows.append([_("Total"), *[str(sum(s.counts)) for s in t.series], str(sum(t.visits)), str(sum(t.calls))])
        fill_table(self.traffic_table, rows)

    # -- funnel -------------------------------------------------------------------------------------
    def _show_funnel(self, rows: list[FunnelRow]) -> None:
        chart = _new_chart(_("Visit → deposit (认购) → contract (签约)"))
        series = QBarSeries()
        stages = ((_("Visitors"), lambda r: r.visitors), (_("Deposits"), lambda r: r.deposits),
                  (_("Contracts"), lambda r: r.contracts))
        for i, (label, pick) in enumerate(stages):
            bar_set = QBarSet(label)
            bar_set.setColor(QColor(PALETTE[i]))
            bar_set.append([float(pick(r)) for r in rows])
            series.append(bar_set)
        chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append([r.label for r in rows])
        y = QValueAxis()
        y.setLabelFormat("%d")
        y.setRange(0, max([r.visitors for r in rows] + [1]) * 1.1)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
        self.funnel_chart.setChart(chart)
        fill_table(self.funnel_table, [[r.label, str(r.visitors), str(r.deposits), str(r.contracts),
                                        _rate(r.deposits, r.visitors), _rate(r.contracts, r.deposits)] for r in rows])


def _rate(part: int, whole: int) -> str:
    """A ratio of the period's counts, as the monthly report has it (a contract may follow last month's deposit)."""
    return f"{100 * part / whole:.1f}%" if whole else "—"
