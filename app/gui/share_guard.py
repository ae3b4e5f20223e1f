"""Internal material stays inside: Send, Copy and drag-out of an internal item ask first,
naming it ("'Competitor battlecard' is for internal use only. Send anyway?"), and are refused
where IT's configuration sets ``block_internal_send``. The rule itself is
:mod:`app.core.sharing`; this is its dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QMessageBox, QWidget

from app.core.itconfig import ITConfig
from app.core.sharing import Shareable, internal_items, named, send_blocked

VERBS = {"send": "Send", "copy": "Copy", "drag": "Drag out"}


def warning_text(items: Sequence[Shareable], verb: str) -> str:
    internal = internal_items(items)
    be = "is" if len(internal) == 1 else "are"
    return f"{named(internal)} {be} for internal use only. {VERBS.get(verb, verb)} anyway?"


def refusal_text(items: Sequence[Shareable]) -> str:
    internal = internal_items(items)
    be = "is" if len(internal) == 1 else "are"
    return (
        f"{named(internal)} {be} for internal use only, and your IT configuration does not "
        "allow handing internal items to customers."
    )


class ShareGuard:
    """Asks (or refuses) before internal items leave the app. ``it_config`` is read each time,
    so a changed IT file applies at once."""

    def __init__(self, parent: QWidget, it_config: Callable[[], ITConfig | None]) -> None:
        self._parent = parent
        self._it_config = it_config
        self.last_question: QMessageBox | None = None  # the open question, for tests

    def allow(self, items: Sequence[Shareable], verb: str) -> bool:
        """True when ``items`` may go out: none is internal, or the rep confirmed."""
        if not internal_items(items):
            return True
        box = QMessageBox(self._parent)
        box.setWindowTitle("Internal material")
        box.setIcon(QMessageBox.Icon.Warning)
        self.last_question = box
        try:
            if send_blocked(self._it_config()):
                box.setText(refusal_text(items))
                box.setStandardButtons(QMessageBox.StandardButton.Ok)
                box.exec()
                return False
            box.setText(warning_text(items, verb))
            go = box.addButton(f"{VERBS.get(verb, verb)} anyway", QMessageBox.ButtonRole.AcceptRole)
            cancel = box.addButton(QMessageBox.StandardButton.Cancel)
            box.setDefaultButton(cancel)
            box.setEscapeButton(cancel)
            box.exec()
            return box.clickedButton() is go
        finally:
            self.last_question = None
            box.deleteLater()
