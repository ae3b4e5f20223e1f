"""The Insights charts (QtCharts), drawn from the report's figures and the window's palette.

Each function returns a new QChart; the view hands it to its QChartView, which owns it.
"""

from __future__ import annotations

import html
from collections import defaultdict
from datetime import date, timedelta

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QDateTimeAxis,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QDateTime, QMargins, Qt, QTime, QTimeZone
from PySide6.QtGui import QColor, QFont, QPalette, QPen

from app.core.report import Headline, ItemUsage, ReportFigures, SearchStat
from app.core.usage.batch import EVENT_KINDS
from app.gui import theme

TOP_N = 10
LABEL_CHARS = 34
KIND_NAMES = {
    "open": "Opens",
    "preview": "Previews",
    "send": "Sends",
    "copy": "Copies",
    "search": "Searches",
    "flag": "Flags",
    "request": "Requests",
}
# distinguishable in light and dark mode (Okabe-Ito, colour-blind safe)
KIND_COLOURS = {
    "open": "#0072B2",
    "preview": "#56B4E9",
    "send": "#009E73",
    "copy": "#999999",
    "search": "#E69F00",
    "flag": "#D55E00",
    "request": "#CC79A7",
}


def elide(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _base_chart(title: str, palette: QPalette) -> QChart:
    chart = QChart()
    chart.setTheme(
        QChart.ChartTheme.ChartThemeDark
        if theme.is_dark(palette)
        else QChart.ChartTheme.ChartThemeLight
    )
    chart.setBackgroundBrush(palette.color(QPalette.ColorRole.Base))
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    font = QFont(chart.titleFont())
    font.setBold(True)
    font.setPointSizeF(max(font.pointSizeF(), 10.0))
    chart.setTitleFont(font)
    chart.setTitle(title)
    chart.setTitleBrush(palette.color(QPalette.ColorRole.Text))
    chart.legend().setLabelColor(palette.color(QPalette.ColorRole.Text))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


def _style_axis(axis: QValueAxis | QBarCategoryAxis | QDateTimeAxis, palette: QPalette) -> None:
    text = palette.color(QPalette.ColorRole.Text)
    axis.setLabelsColor(text)
    grid = theme.mix(palette.color(QPalette.ColorRole.Base), text, 0.15)
    axis.setGridLineColor(grid)
    axis.setLinePenColor(theme.mix(palette.color(QPalette.ColorRole.Base), text, 0.4))


def _count_axis(top: int, palette: QPalette) -> QValueAxis:
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    axis.setMin(0)
    axis.setMax(max(top, 1))
    axis.applyNiceNumbers()
    if axis.max() <= 5:
        axis.setMax(5)
        axis.setTickCount(6)
    _style_axis(axis, palette)
    return axis


def _msecs(day: date) -> float:
    """Noon UTC of ``day``: the axis labels in local time, and noon is the same date in
    every time zone from UTC-11 to UTC+11."""
    moment = QDateTime(QDate(day.year, day.month, day.day), QTime(12, 0), QTimeZone.utc())
    return float(moment.toMSecsSinceEpoch())


def usage_chart(figures: ReportFigures, palette: QPalette) -> QChart:
    """Events per day, one line per kind (days without events count as 0)."""
    chart = _base_chart("Use over time (events per day)", palette)
    per_kind: dict[str, dict[date, int]] = defaultdict(dict)
    for row in figures.daily:
        per_kind[row.kind][row.day] = per_kind[row.kind].get(row.day, 0) + row.events
    days = sorted({row.day for row in figures.daily})
    if not days:
        chart.setTitle("Use over time: no events in this period")
        return chart
    first = min(figures.window.since or days[0], days[0])
    last = max(figures.window.until or days[-1], days[-1])
    span = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    top = 0
    x_axis = QDateTimeAxis()
    x_axis.setFormat("d MMM")
    x_axis.setRange(
        QDateTime.fromMSecsSinceEpoch(int(_msecs(first)), QTimeZone.utc()),
        QDateTime.fromMSecsSinceEpoch(
            int(_msecs(max(last, first + timedelta(days=1)))), QTimeZone.utc()
        ),
    )
    x_axis.setTickCount(_day_ticks((last - first).days))
    _style_axis(x_axis, palette)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    series_list = []
    for kind in sorted(per_kind, key=lambda k: EVENT_KINDS.index(k) if k in EVENT_KINDS else 99):
        series = QLineSeries()
        series.setName(KIND_NAMES.get(kind, kind))
        counts = per_kind[kind]
        for day in span:
            value = counts.get(day, 0)
            top = max(top, value)
            series.append(_msecs(day), value)
        pen = QPen(QColor(KIND_COLOURS.get(kind, "#777777")))
        pen.setWidthF(2.0)
        series.setPen(pen)
        series.setPointsVisible(len(span) <= 31)
        chart.addSeries(series)
        series.attachAxis(x_axis)
        series_list.append(series)
    y_axis = _count_axis(top, palette)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    for series in series_list:
        series.attachAxis(y_axis)
    return chart


def top_items_chart(items: list[ItemUsage], palette: QPalette, n: int = TOP_N) -> QChart:
    """The most used items: opens, previews and sends stacked, the most used at the top."""
    chart = _base_chart(f"Top {n} items (opens, previews, sends)", palette)
    used = [i for i in items if i.uses > 0][:n]
    if not used:
        chart.setTitle("Top items: nothing used in this period")
        return chart
    used.reverse()  # a horizontal category axis lists from the bottom up
    series = QHorizontalStackedBarSeries()
    for name, attr, kind in (
        ("Opens", "opens", "open"),
        ("Previews", "previews", "preview"),
        ("Sends", "sends", "send"),
    ):
        bar = QBarSet(name)
        bar.append([float(getattr(i, attr)) for i in used])
        bar.setColor(QColor(KIND_COLOURS[kind]))
        bar.setBorderColor(QColor(KIND_COLOURS[kind]))
        series.append(bar)
    series.setBarWidth(0.7)
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append(_unique([elide(i.title or i.item_id, 26) for i in used]))
    _style_axis(categories, palette)
    categories.setGridLineVisible(False)
    categories.setTruncateLabels(False)  # the chart makes room for the titles
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories)
    values = _count_axis(max(i.uses for i in used), palette)
    chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(values)
    return chart


def catalogue_chart(headline: Headline, palette: QPalette) -> QChart:
    """Current items used at least once in the period, and those never used."""
    chart = _base_chart("Catalogue use", palette)
    if headline.catalogue_size == 0:
        chart.setTitle("Catalogue use: no current items")
        return chart
    pie = QPieSeries()
    pie.setHoleSize(0.42)
    pie.setPieSize(0.78)
    share = headline.share_never_used
    used = pie.append(f"Used: {headline.items_used} ({1 - share:.0%})", headline.items_used)
    never = pie.append(
        f"Never used: {headline.items_never_used} ({share:.0%})", headline.items_never_used
    )
    used.setColor(QColor(KIND_COLOURS["send"]))
    never.setColor(theme.warning_colour(palette))
    for piece in (used, never):
        piece.setBorderColor(palette.color(QPalette.ColorRole.Base))
        piece.setLabelVisible(False)
    never.setExploded(headline.items_never_used > 0)
    never.setExplodeDistanceFactor(0.06)
    chart.addSeries(pie)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    return chart


def zero_result_chart(searches: list[SearchStat], palette: QPalette, n: int = TOP_N) -> QChart:
    """The searches that most often found nothing: what reps needed and could not find."""
    chart = _base_chart("Top searches that found nothing", palette)
    missing = [s for s in searches if s.zero_result_searches][:n]
    if not missing:
        chart.setTitle("Searches that found nothing: none in this period")
        return chart
    missing.reverse()
    series = QHorizontalBarSeries()
    bar = QBarSet("Searches without a result")
    bar.append([float(s.zero_result_searches) for s in missing])
    colour = QColor(KIND_COLOURS["search"])
    bar.setColor(colour)
    bar.setBorderColor(colour)
    series.append(bar)
    series.setBarWidth(0.7)
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append(_unique([f"“{elide(s.query, LABEL_CHARS - 2)}”" for s in missing]))
    _style_axis(categories, palette)
    categories.setGridLineVisible(False)
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories)
    values = _count_axis(max(s.zero_result_searches for s in missing), palette)
    chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(values)
    chart.legend().hide()
    return chart


def _day_ticks(days: int) -> int:
    """A tick count that lands every tick on a whole day (at most 8 ticks)."""
    if days <= 1:
        return 2
    for ticks in range(min(days + 1, 8), 2, -1):
        if days % (ticks - 1) == 0:
            return ticks
    return 8


def _unique(labels: list[str]) -> list[str]:
    """Category labels as the axis draws them: rich text, so escaped (a search for
    ``<script>`` must show as typed); equal labels would merge, so they are numbered."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        n = seen.get(label, 0)
        seen[label] = n + 1
        out.append(html.escape(label if n == 0 else f"{label} ({n + 1})", quote=False))
    return out
