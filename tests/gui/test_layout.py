"""At home on a laptop: everything fits a 1366x768 screen (100 % and 125 %) and a 1920x1080
one, no button label is cut, a half-screen window folds instead of cutting words, and the
panes do not jump when the selection changes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QFont, QFontMetrics

from app.gui.item_delegate import elide_words
from tests.conftest import REPO
from tests.gui.conftest import copy_demo


def _probe(home: Path, tmp_path: Path, width: int, height: int, scale: float) -> dict:
    config = tmp_path / f"screen-{width}x{height}.json"
    config.write_text(
        json.dumps(
            {
                "synchronousWindowSystemEvents": False,
                "windowFrameMargins": False,
                "screens": [
                    {
                        "name": "probe",
                        "x": 0,
                        "y": 0,
                        "width": width,
                        "height": height,
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": 1,
                    }
                ],
            }
        )
    )
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    env["QT_SCALE_FACTOR"] = str(scale)
    env["HOME"] = str(tmp_path)  # QSettings of the probe land here, never in a real profile
    done = subprocess.run(
        [sys.executable, "-m", "tests.gui.layout_probe", str(home)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("width", "height", "scale"),
    [(1366, 768, 1.0), (1366, 768, 1.25), (1920, 1080, 1.0)],
    ids=["1366x768", "1366x768@125%", "1920x1080"],
)
def test_every_window_fits_the_screen_and_no_label_is_cut(
    demo_template: Path, tmp_path: Path, width: int, height: int, scale: float
) -> None:
    home = copy_demo(demo_template, tmp_path / "home")
    found = _probe(home, tmp_path, width, height, scale)
    assert set(found) >= {"main", "insights", "settings", "send", "kits", "new kit"}
    assert {name: problems for name, problems in found.items() if problems} == {}


def _select(window, item_id: str) -> None:
    index = window.proxy.mapFromSource(window.model.index_of(item_id))
    window.results.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)


def test_panes_do_not_move_with_the_selection(qtbot, demo_window) -> None:
    window = demo_window
    window.resize(1366, 740)
    qtbot.waitUntil(lambda: window.width() == 1366)
    sizes = None
    for item_id in ("hospital-pricing-2026", "price-list", "roi-calculator", "battlecard-helix"):
        _select(window, item_id)
        qtbot.waitUntil(lambda i=item_id: window.detail.item_id == i)
        if sizes is None:
            sizes = window.splitter.sizes()
        assert window.splitter.sizes() == sizes
    window.results.selectionModel().clearSelection()
    assert window.splitter.sizes() == sizes


def test_a_half_screen_window_folds_instead_of_cutting(qtbot, demo_window) -> None:
    window = demo_window
    _select(window, "hospital-pricing-2026")
    window.resize(683, 740)
    qtbot.waitUntil(lambda: window.width() <= 700)
    assert not window.sidebar.isVisible()  # filters fold away; the toolbar brings them back
    assert not window.panes.filters_action.isChecked()
    bar = window.detail.action_bar
    qtbot.waitUntil(lambda: bar.more.isVisible())
    assert bar.folded(), "some actions are in the More menu"
    for button in bar.buttons:
        if button.isVisible():
            assert button.width() >= button.sizeHint().width()
    assert [a.text() for a in bar.more_menu.actions()] == [a.text() for a in bar.folded()]
    window.panes.details_action.setChecked(False)
    assert not window.detail.isVisible()  # the detail pane collapses on demand
    window.resize(1366, 740)
    qtbot.waitUntil(lambda: window.sidebar.isVisible())


def test_titles_are_cut_between_words(qtbot) -> None:
    metrics = QFontMetrics(QFont())
    title = "Case study: Klinikum Sankt Anna cut night alarms by half"
    width = metrics.horizontalAdvance("Case study: Klinikum Sa")
    cut = elide_words(metrics, title, width)
    assert cut == "Case study…" or cut == "Case study: Klinikum…"
    assert metrics.horizontalAdvance(cut) <= width
    assert elide_words(metrics, "Short", 500) == "Short"


def test_notices_share_one_row(qtbot) -> None:
    from app.gui.banners import Banner, BannerArea

    area = BannerArea()
    qtbot.addWidget(area)
    error, demo = area.add(Banner(area, warning=True)), area.add(Banner(area))
    area.show()
    demo.show_message("Demo library")
    assert demo.isVisible() and not demo.next.isVisible()
    error.show_message("The hub cannot be reached.", button="Dismiss")
    assert error.isVisible() and not demo.isVisible()  # the most important one shows
    assert error.next.isVisible() and error.next.text().startswith("1 of 2")
    error.next.click()
    assert demo.isVisible() and not error.isVisible() and demo.next.text().startswith("2 of 2")
    error.hide()  # dismissed: the other one stays, alone
    assert demo.isVisible() and not demo.next.isVisible()
    demo.hide()
    assert not area.isVisible()
