"""Bridges :class:`app.core.hub.watch.HubWatcher` (a plain thread) into Qt with a signal."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.core.errors import HubError
from app.core.hub import parse_location
from app.core.hub.watch import DEFAULT_POLL_INTERVAL_S, DEFAULT_SETTLE_S, HubWatcher

log = logging.getLogger(__name__)


def folder_of(location: str | None) -> Path | None:
    """The hub's folder, or None for an http(s) hub, none at all, or one that names no hub."""
    if not location:
        return None
    try:
        return parse_location(location).folder
    except HubError:
        return None


class HubWatchBridge(QObject):
    """Emits :attr:`catalog_changed` (connect it queued) when a watched folder hub republishes."""

    catalog_changed = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        settle_s: float = DEFAULT_SETTLE_S,
        poll_interval_s: float = DEFAULT_POLL_INTERVAL_S,
    ) -> None:
        super().__init__(parent)
        self._settle_s = settle_s
        self._poll_interval_s = poll_interval_s
        self._watcher: HubWatcher | None = None
        self._key: tuple[Path, bool | None] | None = None

    @property
    def watching(self) -> Path | None:
        return None if self._watcher is None else self._watcher.hub_dir

    @property
    def uses_polling(self) -> bool:
        return self._watcher is not None and self._watcher.uses_polling

    def watch(self, location: str | None, polling: bool | None = None) -> bool:
        """Watch ``location`` if it is a folder hub (stops any earlier watch). True if watching."""
        folder = folder_of(location)
        if folder is None:
            self.stop()
            return False
        key = (folder, polling)
        if self._watcher is not None and self._key == key and self._watcher.running:
            return True
        self.stop()
        watcher = HubWatcher(
            folder,
            self._on_catalog,
            settle_s=self._settle_s,
            polling=polling,
            poll_interval_s=self._poll_interval_s,
        )
        if not watcher.start():
            return False
        self._watcher, self._key = watcher, key
        return True

    def stop(self) -> None:
        watcher, self._watcher, self._key = self._watcher, None, None
        if watcher is not None:
            watcher.stop()

    def _on_catalog(self) -> None:  # on the watcher's thread
        log.info("hub catalog changed; asking for a sync")
        self.catalog_changed.emit()
