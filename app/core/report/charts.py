"""The report's charts as PNG files, drawn with matplotlib's Agg canvas (no display).

Only the object-oriented API is used (no pyplot), so charts can be drawn from a worker
thread. Every chart renders with no data too: it then says so instead of failing.
Labels come from reps and marketing; they are drawn as plain text, never as math.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.report.figures import ReportFigures

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

CHART_FILES = {
    "usage_over_time": "usage-over-time.png",
    "top_items": "top-items.png",
    "catalogue_use": "catalogue-use.png",
    "zero_result_searches": "searches-without-results.png",
}
TOP_N = 15
LABEL_CHARS = 48
KIND_COLOURS = {
    "open": "#1f77b4",
    "preview": "#17becf",
    "send": "#2ca02c",
    "copy": "#bcbd22",
    "search": "#9467bd",
    "flag": "#d62728",
    "request": "#ff7f0e",
}
DPI = 100
BAR_CHART_DAYS = 92  # beyond this, a stacked area reads better than thin bars
MAX_CHART_DAYS = 3 * 366


def _label(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _private_matplotlib_cache() -> None:
    """matplotlib caches fonts in ~/.cache unless told otherwise: keep it in a temp folder."""
    if "matplotlib" in sys.modules or os.environ.get("MPLCONFIGDIR"):
        return
    folder = tempfile.mkdtemp(prefix="satchel-mpl-")
    atexit.register(shutil.rmtree, folder, True)
    os.environ["MPLCONFIGDIR"] = folder


@contextmanager
def _plain_text() -> Iterator[None]:
    _private_matplotlib_cache()
    import matplotlib

    with warnings.catch_warnings(), matplotlib.rc_context({"text.parse_math": False}):
        # a rep's query in a script the font lacks must not stop the report
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from", category=UserWarning)
        yield


def _new_figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _no_data(ax: Axes, title: str, hint: str) -> None:
    ax.set_title(title, loc="left", fontsize=13)
    ax.set_axis_off()
    ax.text(0.5, 0.55, "No data yet", ha="center", va="center", fontsize=18, color="#666666")
    ax.text(0.5, 0.38, hint, ha="center", va="center", fontsize=10, color="#888888", wrap=True)


def _save(fig: Figure, path: Path) -> Path:
    fig.savefig(path, format="png", dpi=DPI)
    return path


# complexity: the window clamped (clock skew), kinds stacked
def usage_over_time(figures: ReportFigures, path: Path, today: date | None = None) -> Path:
    fig = _new_figure(10, 4.2)
    ax = fig.add_subplot()
    title = "Events per day, by kind"
    # a device with a wrong clock must not stretch the chart over centuries
    tomorrow = date.max if today is None else today + timedelta(days=1)  # clock skew
    last_day = min(figures.window.until or date.max, tomorrow)
    if last_day == date.max:
        last_day = max((d.day for d in figures.daily), default=date.min)
    first_day = last_day - timedelta(days=MAX_CHART_DAYS - 1)
    daily = [d for d in figures.daily if first_day <= d.day <= last_day]
    if not daily:
        _no_data(ax, title, "Usage appears here once reps' apps have synced.")
        return _save(fig, path)
    first = min(d.day for d in daily)
    last = max(d.day for d in daily)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    index = {day: n for n, day in enumerate(days)}
    kinds = [k for k in KIND_COLOURS if any(d.kind == k for d in daily)]
    kinds += sorted({d.kind for d in daily} - set(kinds))
    series = {kind: [0] * len(days) for kind in kinds}
    for d in daily:
        series[d.kind][index[d.day]] += d.events
    colours = [KIND_COLOURS.get(kind, "#7f7f7f") for kind in kinds]
    x = list(range(len(days)))
    if len(days) <= BAR_CHART_DAYS:
        bottom = [0] * len(days)
        for kind, colour in zip(kinds, colours, strict=True):
            ax.bar(x, series[kind], bottom=bottom, width=0.85, label=kind, color=colour)
            bottom = [b + h for b, h in zip(bottom, series[kind], strict=True)]
    else:
        ax.stackplot(x, *[series[k] for k in kinds], labels=kinds, colors=colours)
        ax.set_xlim(0, len(days) - 1)
    step = max(1, len(days) // 12)
    ticks = list(range(0, len(days), step))
    ax.set_xticks(ticks, [_day_label(days[t], len(days)) for t in ticks], rotation=45, ha="right")
    ax.set_ylabel("events")
    ax.set_title(title, loc="left", fontsize=13)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, path)


def _day_label(day: date, span: int) -> str:
    return day.strftime("%d %b" if span <= 200 else "%d %b %Y")


def top_items(figures: ReportFigures, path: Path) -> Path:
    used = [i for i in figures.items if i.uses > 0][:TOP_N]
    fig = _new_figure(10, max(3.0, 0.38 * len(used) + 1.4))
    ax = fig.add_subplot()
    title = f"Top {len(used) or TOP_N} items by opens, previews and sends"
    if not used:
        _no_data(ax, title, "No item has been opened, previewed or sent in this period.")
        return _save(fig, path)
    used.reverse()  # matplotlib draws the first bar at the bottom
    labels = [_label(i.title or i.item_id) for i in used]
    rows = list(range(len(used)))
    left = [0] * len(used)
    for name, values in (
        ("opens", [i.opens for i in used]),
        ("previews", [i.previews for i in used]),
        ("sends", [i.sends for i in used]),
    ):
        colour = KIND_COLOURS[name.removesuffix("s")]
        ax.barh(rows, values, left=left, label=name, color=colour, height=0.7)
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(rows, labels, fontsize=9)
    ax.set_xlabel("times used")
    ax.set_title(title, loc="left", fontsize=13)
    ax.legend(fontsize=8, loc="lower right", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, path)


def catalogue_use(figures: ReportFigures, path: Path) -> Path:
    head = figures.headline
    fig = _new_figure(6, 4.2)
    ax = fig.add_subplot()
    title = "Current catalogue: used vs never used"
    if head.catalogue_size == 0:
        _no_data(ax, title, "The hub's catalogue has no current items.")
        return _save(fig, path)
    values = [head.items_used, head.items_never_used]
    labels = [f"used ({head.items_used})", f"never used ({head.items_never_used})"]
    shown = [(v, lab, c) for v, lab, c in zip(values, labels, ("#2ca02c", "#d62728"), strict=True)]
    shown = [s for s in shown if s[0] > 0]
    ax.pie(
        [s[0] for s in shown],
        labels=[s[1] for s in shown],
        colors=[s[2] for s in shown],
        autopct="%1.0f%%",
        startangle=90,
        counterclock=False,
        wedgeprops={"linewidth": 1, "edgecolor": "white"},
    )
    ax.set_title(title, loc="left", fontsize=13)
    ax.set_aspect("equal")
    return _save(fig, path)


def zero_result_searches(figures: ReportFigures, path: Path) -> Path:
    misses = figures.zero_result_queries()[:TOP_N]
    fig = _new_figure(10, max(3.0, 0.38 * len(misses) + 1.4))
    ax = fig.add_subplot()
    title = "Top searches that found nothing"
    if not misses:
        _no_data(ax, title, "Every search in this period found something.")
        return _save(fig, path)
    misses.reverse()
    rows = list(range(len(misses)))
    ax.barh(rows, [s.zero_result_searches for s in misses], color="#9467bd", height=0.7)
    ax.set_yticks(rows, [_label(s.query) for s in misses], fontsize=9)
    ax.set_xlabel("searches with no result")
    ax.set_title(title, loc="left", fontsize=13)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, path)


def write_charts(
    figures: ReportFigures, folder: Path, today: date | None = None
) -> dict[str, Path]:
    """Draw every chart into ``folder``; returns chart name -> PNG path.

    ``today`` bounds the usage-over-time chart (at most three years up to it).
    """
    drawers: dict[str, Callable[[ReportFigures, Path], Path]] = {
        "usage_over_time": lambda f, p: usage_over_time(f, p, today),
        "top_items": top_items,
        "catalogue_use": catalogue_use,
        "zero_result_searches": zero_result_searches,
    }
    with _plain_text():
        return {name: draw(figures, folder / CHART_FILES[name]) for name, draw in drawers.items()}
