"""The parts of the Insights window: the period choice, a headline tile, a chart view."""

from __future__ import annotations

import enum
from datetime import date
from pathlib import Path

from PySide6.QtCharts import QChartView
from PySide6.QtCore import QDate
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.gui.plain_text import plain_label


class Period(enum.Enum):
    ALL = ("All recorded usage", None)
    DAYS_7 = ("Last 7 days", 7)
    DAYS_30 = ("Last 30 days", 30)
    DAYS_90 = ("Last 90 days", 90)
    CUSTOM = ("Custom range", None)

    @property
    def label(self) -> str:
        return str(self.value[0])

    @property
    def days(self) -> int | None:
        days = self.value[1]
        return None if days is None else int(days)


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class Tile(QFrame):
    """One headline figure: a big number over its caption."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value = plain_label(QLabel("–", self))
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.value.setFont(font)
        self.caption = QLabel(caption, self)
        self.detail = plain_label(QLabel("", self))  # may name an item or a query
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(0)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        layout.addWidget(self.detail)
        self.setAccessibleName(caption)

    def set_value(self, value: str, detail: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.setAccessibleDescription(f"{value} {detail}".strip())


def chart_view(name: str, parent: QWidget) -> QChartView:
    view = QChartView(parent)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setAccessibleName(
        {
            "usage": "Use over time",
            "top": "Top items",
            "pie": "Catalogue use",
            "zero": "Searches that found nothing",
        }[name]
    )
    view.setMinimumSize(240, 160)  # four fit a laptop's 614 px at 125 %
    view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return view


def record_view(title: str, parent: QWidget) -> QTableView:
    """A read-only, sortable table of report records, one row per record."""
    view = QTableView(parent)
    view.setAccessibleName(title)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def choose_hub_folder(parent: QWidget, start: str) -> str:
    """The folder the user picked, or "" when cancelled."""
    return QFileDialog.getExistingDirectory(parent, "Choose the hub folder", start)


def choose_report_db(parent: QWidget) -> str:
    path, _filter = QFileDialog.getOpenFileName(
        parent,
        "Choose a report database",
        str(Path.home()),
        "Report databases (report.db *.db *.sqlite);;All files (*)",
    )
    return path
