"""What the desktop app remembers for itself (QSettings): window layout, sort order, how to watch
the hub, and the "new since last sync" baseline per library. The rep's own settings (name,
interval, …) live in the library (app.core.settings) so the CLI and the GUI agree.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from app.gui.item_data import Baseline

APPEARANCE_MODES = ("system", "light", "dark")
WATCH_MODES = {"auto": None, "native": False, "polling": True}


class GuiSettings:
    """A thin typed face over one QSettings (pass a file-backed one in tests)."""

    def __init__(self, home: Path, settings: QSettings | None = None) -> None:
        self.qsettings = settings or QSettings()
        digest = hashlib.sha1(str(home.resolve()).encode("utf-8"), usedforsecurity=False)
        self._library_group = f"library-{digest.hexdigest()[:12]}"

    def _bytes(self, key: str) -> QByteArray | None:
        value = self.qsettings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def _str(self, key: str, default: str) -> str:
        value = self.qsettings.value(key, default)
        return value if isinstance(value, str) else default

    def _int(self, key: str, default: int) -> int:
        try:
            return int(str(self.qsettings.value(key, default)))
        except ValueError:
            return default

    # window ------------------------------------------------------------------
    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def splitter(self) -> QByteArray | None:
        return self._bytes("window/splitter")

    def save_window(self, geometry: QByteArray, state: QByteArray, splitter: QByteArray) -> None:
        self.qsettings.setValue("window/geometry", geometry)
        self.qsettings.setValue("window/state", state)
        self.qsettings.setValue("window/splitter", splitter)

    # list --------------------------------------------------------------------
    def sort_mode(self, default: str) -> str:
        return self._str("list/sort", default)

    def set_sort_mode(self, value: str) -> None:
        self.qsettings.setValue("list/sort", value)

    # appearance --------------------------------------------------------------
    def appearance(self) -> str:
        """One of "system", "light" or "dark"."""
        mode = self._str("view/appearance", "system")
        return mode if mode in APPEARANCE_MODES else "system"

    def set_appearance(self, mode: str) -> None:
        self.qsettings.setValue("view/appearance", mode if mode in APPEARANCE_MODES else "system")

    def detail_collapsed(self) -> bool:
        return self._str("view/detail_collapsed", "false") == "true"

    def set_detail_collapsed(self, collapsed: bool) -> None:
        self.qsettings.setValue("view/detail_collapsed", "true" if collapsed else "false")

    # hub watching ------------------------------------------------------------
    def watch_mode(self) -> str:
        mode = self._str("hub/watch_mode", "auto")
        return mode if mode in WATCH_MODES else "auto"

    def set_watch_mode(self, mode: str) -> None:
        self.qsettings.setValue("hub/watch_mode", mode if mode in WATCH_MODES else "auto")

    def watch_polling(self) -> bool | None:
        """None: decide by the folder (network share or not); True/False: forced."""
        return WATCH_MODES[self.watch_mode()]

    # per library -------------------------------------------------------------
    def baseline(self) -> Baseline | None:
        group = self._library_group
        if not self.qsettings.contains(f"{group}/baseline_serial"):
            return None
        return Baseline(
            serial=self._int(f"{group}/baseline_serial", 0),
            at_serial=self._int(f"{group}/baseline_at_serial", 0),
        )

    def set_baseline(self, baseline: Baseline) -> None:
        group = self._library_group
        self.qsettings.setValue(f"{group}/baseline_serial", baseline.serial)
        self.qsettings.setValue(f"{group}/baseline_at_serial", baseline.at_serial)

    def sync(self) -> None:
        self.qsettings.sync()
