"""The library's state as the rep sees it: online or offline, last sync, item count, sync
progress with Cancel, the date of the library's catalog, and the demo, "not confirmed for N
days" and "catalog past its valid-until" banners."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from app.core.settings import RepSettings
from app.core.sync import SyncProgress
from app.core.timeutil import utcnow
from app.gui.banners import Banner, SyncStatus
from app.gui.item_data import HubInfo
from app.gui.plain_text import shown_literally
from app.gui.sync_controller import Connection, SyncController

DEMO_TEXT = (
    "<b>Demo library</b> — connect your company's hub in Settings. Until then you are looking "
    "at sample collateral of a fictional company."
)


def stale_days(hub: HubInfo, rep: RepSettings) -> int | None:
    """Days since a sync last confirmed the library, when that is more than the rep allows."""
    last = hub.last_sync_at
    if hub.is_demo or not hub.location or last is None:
        return None
    age = utcnow() - last
    return age.days if age > timedelta(days=max(1, rep.stale_after_days)) else None


class StatusPresenter(QObject):
    def __init__(
        self,
        *,
        sync: SyncController,
        status: SyncStatus,
        sync_action: QAction,
        demo_banner: Banner,
        stale_banner: Banner,
        freshness_banner: Banner | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._sync, self._status, self._action = sync, status, sync_action
        self._demo, self._stale = demo_banner, stale_banner
        self._freshness = freshness_banner
        self._hub: HubInfo | None = None
        self._rep = RepSettings()
        sync.started.connect(self._started)
        sync.progress.connect(self._progress)
        for ended in (sync.finished, sync.failed, sync.cancelled):
            ended.connect(self._ended)
        sync.state_changed.connect(self.refresh)
        status.cancel_requested.connect(sync.cancel)

    def update(self, hub: HubInfo, rep: RepSettings) -> None:
        self._hub, self._rep = hub, rep
        self.refresh()

    def refresh(self) -> None:
        conn = self._sync.connection
        online = {Connection.ONLINE: True, Connection.OFFLINE: False, Connection.FAILED: False}
        # the last message may quote the hub's words: a tooltip would take them for markup
        tip = shown_literally(self._sync.last_message)
        self._status.set_connection(conn.value, online.get(conn), tip)
        hub = self._hub
        self._status.set_last_sync(hub.last_sync_at if hub else None)
        if hub is None:
            return
        if hub.is_demo:
            self._demo.show_message(DEMO_TEXT, button="Connect your hub…", rich=True)
        else:
            self._demo.hide()
        freshness = hub.freshness
        self._status.set_catalog_date(freshness.label(), freshness.line())
        if self._freshness is not None:
            # the signed catalog is past its valid-until: a warning, never a lock-out
            warning = None if hub.is_demo else freshness.warning()
            if warning is None:
                self._freshness.hide()
            else:
                self._freshness.show_message(warning, button="Sync now")
        days = stale_days(hub, self._rep)
        if days is None:
            self._stale.hide()
        else:
            self._stale.show_message(
                f"This library has not been confirmed by a sync for {days} days; some items "
                "may be out of date. Sync when you are online.",
                button="Sync now",
            )

    def _started(self) -> None:
        self._action.setEnabled(False)
        self._status.set_busy()

    def _progress(self, progress: object) -> None:
        if isinstance(progress, SyncProgress):
            self._status.set_progress(progress)

    def _ended(self, *_args: object) -> None:
        self._action.setEnabled(True)
        self._status.set_idle()
