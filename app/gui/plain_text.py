"""Catalog text is text: what the hub (or a document's own properties) says is never markup.

Qt guesses: a QLabel, a QMessageBox and every tooltip show their text as rich text when it
*looks* like HTML (``Qt::mightBeRichText``), so a title ``<b>BOLD</b><img src=x>`` would
render bold and try to load an image. Labels that show titles, descriptions, tags, notes,
file names, change notes, reasons - or error messages that may quote them - are therefore
made plain (:func:`plain_label`), and text that goes where Qt only guesses (tooltips, the
shared banners, message boxes) is handed over as rich text that shows the original
literally (:func:`shown_literally`). Deliberate rich text escapes what it embeds with
``html.escape``.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def plain_label(label: QLabel) -> QLabel:
    """Make ``label`` show its text as plain text, whatever it looks like; returns it."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def shown_literally(text: str) -> str:
    """``text`` as rich text that displays exactly ``text`` (line breaks kept), for places
    that guess whether text is rich: tooltips, banners, message boxes. Empty stays empty, so
    an empty tooltip still hides the tooltip."""
    if not text:
        return ""
    lines = html.escape(text, quote=False).splitlines() or [""]
    return "<qt>" + "<br>".join(lines) + "</qt>"  # <qt>: rich text for certain
