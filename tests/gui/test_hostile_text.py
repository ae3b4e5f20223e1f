"""Catalog text is text in the window, and a damaged index does not break search.

An item whose DOCX title property is ``<b>BOLD</b><img src=x>`` (with HTML in its
description, tags and change note too) is published, synced and shown: the detail pane, the
list, its tooltips and the version history show the characters as typed - nothing bold, no
image. What a widget *renders* is checked the way Qt decides it: plain text as is, rich text
through a QTextDocument.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui  # mightBeRichText lives in QtGui's namespace
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel

from app.gui.library_model import Roles
from tests.gui.conftest import _point_at
from tests.helpers.collateral import make_docx, make_text
from tests.helpers.hubs import publish_folder, sync_home

TITLE = "<b>BOLD</b><img src=x>"
DESCRIPTION = "<i>italic</i> & <a href='http://evil.example'>link</a>"
TAG = "<u>Under</u>"
NOTE = "<s>struck</s> <img src=y>"


def rendered(text: str, fmt: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What a label (or tooltip) with ``text`` in ``fmt`` shows."""
    rich = fmt == Qt.TextFormat.RichText or (
        fmt == Qt.TextFormat.AutoText and QtGui.mightBeRichText(text)
    )
    if not rich:
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def shows(label: QLabel) -> str:
    return rendered(label.text(), label.textFormat())


@pytest.fixture
def hostile_home(tmp_path: Path) -> Path:
    from app.core.signing import generate_key, write_key_pair

    key = tmp_path / "keys" / "marketing.key"
    pub = write_key_pair(generate_key(), key)
    src, hub, home = tmp_path / "src", tmp_path / "hub", tmp_path / "home"
    make_docx(src / "Markup.docx", ["Markup boldword inside"], title=TITLE)
    make_text(src / "plain.txt", "An ordinary item.")
    (src / "satchel.toml").write_text(
        '["Markup.docx"]\n'
        'id = "markup"\n'
        f"description = '''{DESCRIPTION}'''\n"
        f'tags = {{ product = ["{TAG}"] }}\n'
        f'change_note = "{NOTE}"\n',
        encoding="utf-8",
    )
    publish_folder(src, hub, key)
    sync_home(home, hub, pub)
    _point_at(home, hub, pub)
    return home


def test_catalog_html_shows_as_typed(qtbot, make_window, hostile_home: Path) -> None:
    window = make_window(hostile_home)
    index = window.proxy.mapFromSource(window.model.index_of("markup"))
    assert index.data(Qt.ItemDataRole.DisplayRole) == TITLE  # the list paints it as text
    tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert rendered(tooltip).splitlines()[:2] == [TITLE, DESCRIPTION]

    window.results.setCurrentIndex(index)
    detail = window.detail
    qtbot.waitUntil(lambda: detail.item_id == "markup")
    assert shows(detail.title) == TITLE
    assert detail.title.textFormat() == Qt.TextFormat.PlainText
    assert shows(detail.description) == DESCRIPTION
    assert TAG in shows(detail.tags)  # a rich table whose values are escaped
    assert "<" not in shows(detail.meta) and "<" not in shows(detail.badges)

    qtbot.waitUntil(lambda: detail.versions.topLevelItemCount() == 1)
    row = detail.versions.topLevelItem(0)
    assert row.text(2) == NOTE  # tree items paint plain text
    assert rendered(row.toolTip(2)) == NOTE

    from app.gui.item_dialogs import FlagDialog

    dialog = FlagDialog(TITLE, window)
    qtbot.addWidget(dialog)
    about = [w for w in dialog.findChildren(QLabel) if TITLE in w.text()]
    assert about and all(shows(w) == f"Tell marketing what is wrong with “{TITLE}”." for w in about)


def test_error_banner_shows_messages_as_typed(qtbot, make_window, hostile_home: Path) -> None:
    window = make_window(hostile_home)
    message = f"The local copy of '{TITLE}' was changed outside Satchel and was removed."
    window._show_error(message)
    assert rendered(window.error_banner.text.text(), window.error_banner.text.textFormat()) == (
        message
    )


@pytest.mark.expect_log("the search index could not be read", logger="app.core")
def test_search_survives_an_index_damaged_under_the_window(
    qtbot, make_window, hostile_home: Path
) -> None:
    """The index was opened by the window; then every file of it turns to garbage (in
    place, as a disk error would). Searching rebuilds it and answers; no error shown."""
    window = make_window(hostile_home)
    folder = hostile_home / "index"
    live = folder / (folder / "CURRENT").read_text(encoding="utf-8").strip()
    for f in live.iterdir():
        if f.is_file():
            size = f.stat().st_size
            with f.open("r+b") as fh:
                fh.write(os.urandom(size))
    with qtbot.waitSignal(window.search.results, timeout=20_000) as blocker:
        qtbot.keyClicks(window.search_field, "boldword")
    outcome = blocker.args[0]
    assert outcome.request.query == "boldword"
    first = window.proxy.index(0, 0)
    assert first.data(Roles.ID) == "markup"
    assert not window.error_banner.isVisible()
