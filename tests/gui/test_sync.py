"""Background sync from the window: progress, cancel, watched hubs, offline, stale warning."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from app.core.library import Library
from app.core.models import HubState
from app.core.signing import load_public_key
from app.core.timeutil import utcnow
from app.gui.item_data import Badge, load_summaries
from app.gui.sync_controller import Connection
from tests.helpers.collateral import make_text
from tests.helpers.faulty_servers import Fault, FaultyHub


def _state(library: Library) -> tuple[int, dict[str, tuple[int, str]]]:
    items = {s.id: (s.version, s.sha256) for s in load_summaries(library)}
    return library.hub_state().serial, items


@pytest.fixture
def trickling(big_hub) -> Iterator[FaultyHub]:
    """``big_hub`` served over HTTP one byte at a time; its library points at the server."""
    server = FaultyHub(big_hub.hub)
    server.start()
    server.fault = Fault("trickle", "objects", trickle_s=0.0005)
    with Library.open(big_hub.home) as lib:
        lib.configure_hub(server.url, load_public_key(big_hub.pub))
    try:
        yield server
    finally:
        server.stop()


def test_sync_shows_progress_and_can_be_cancelled(qtbot, make_window, big_hub, trickling) -> None:
    """Given a hub with large new files, when the rep syncs and presses Cancel during the
    download, then the progress bar showed, the sync stops, and the library is unchanged.

    The hub is served over HTTP one byte at a time, so the download is still running when
    the click arrives however fast the machine copies files (no race with the fetch threads).
    """
    window = make_window(big_hub.home)
    before = _state(window.library)
    status = window.sync_status

    def downloading(p: object) -> bool:
        return getattr(p, "stage", "") == "download" and getattr(p, "bytes_done", 0) > 0

    with qtbot.waitSignal(window.sync.progress, timeout=20_000, check_params_cb=downloading):
        window.sync_action.trigger()
    assert status.progress.isVisible() and status.cancel.isVisible()
    assert not window.sync_action.isEnabled()
    assert "Downloading" in status.stage.text()
    with qtbot.waitSignal(window.sync.cancelled, timeout=20_000):
        qtbot.mouseClick(status.cancel, Qt.MouseButton.LeftButton)
    assert not status.progress.isVisible() and not status.cancel.isVisible()
    assert window.sync_action.isEnabled()
    assert _state(window.library) == before
    assert window.model.rowCount() == len(before[1])


def test_a_watched_folder_hub_triggers_a_sync(qtbot, make_window, small_hub) -> None:
    """Given the window watching a folder hub, when marketing republishes into it, then a
    sync runs by itself and the new item shows, badged New."""
    window = make_window(small_hub.home)
    qtbot.waitUntil(lambda: window.sync.watch.watching is not None, timeout=10_000)
    make_text(small_hub.src / "Winter promo.txt", "Trade in your old monitors this winter.")
    with qtbot.waitSignal(window.sync.finished, timeout=30_000) as blocker:
        small_hub.republish()
    result = blocker.args[0].result
    assert len(result.new) == 1
    (new_id,) = result.new
    qtbot.waitUntil(lambda: window.model.summary(new_id) is not None, timeout=10_000)
    assert window.model.badges(new_id) == (Badge.NEW,)
    assert "1 new" in window.statusBar().currentMessage()


def test_an_unreachable_hub_shows_offline(qtbot, make_window, small_hub) -> None:
    shutil.move(small_hub.hub, small_hub.hub.with_name("hub-away"))
    window = make_window(small_hub.home)
    with qtbot.waitSignal(window.sync.state_changed, timeout=20_000):
        window.sync.sync_now(quiet=True)
    assert window.sync.connection is Connection.OFFLINE
    assert window.sync_status.connection.text() == "Offline"
    assert not window.error_banner.isVisibleTo(window)  # a timed sync stays quiet offline
    assert window.model.rowCount() == 2  # everything but sync still works


def test_a_library_not_confirmed_for_long_warns(qtbot, make_window, small_hub) -> None:
    with Library.open(small_hub.home) as lib, lib.sessions.begin() as s:
        state = s.get(HubState, 1)
        assert state is not None
        state.last_sync_at = utcnow() - timedelta(days=40)
    window = make_window(small_hub.home)
    assert window.stale_banner.isVisibleTo(window)
    assert "40 days" in window.stale_banner.text.text()
    with qtbot.waitSignal(window.sync.finished, timeout=20_000):
        window.stale_banner.button.click()
    qtbot.waitUntil(lambda: not window.stale_banner.isVisibleTo(window), timeout=10_000)
    assert window.sync.connection is Connection.ONLINE


def test_the_window_applies_the_change_set_of_a_sync(qtbot, make_window, small_hub) -> None:
    """Given the window listing two items, when marketing adds one, rewrites one and
    withdraws the other, and the rep syncs, then only those rows change: one inserted, one
    removed, one replaced - the list is not reset and reloaded."""
    window = make_window(small_hub.home)
    before = {s.id: s for s in window.model.items()}
    (notes,) = [i for i, s in before.items() if s.title.startswith("Field notes")]
    (card,) = [i for i in before if i != notes]
    make_text(small_hub.src / "Winter promo.txt", "Trade in your old monitors this winter.")
    make_text(small_hub.src / "Field notes.txt", "Field notes rewritten for the spring quarter.")
    (small_hub.src / "Battlecard.docx").unlink()
    small_hub.republish()
    resets: list[str] = []
    inserted: list[int] = []
    removed: list[int] = []
    model = window.model
    model.modelReset.connect(lambda: resets.append("reset"))
    model.rowsInserted.connect(lambda _p, first, last: inserted.append(last - first + 1))
    model.rowsRemoved.connect(lambda _p, first, last: removed.append(last - first + 1))

    with qtbot.waitSignal(window.sync.changes_loaded, timeout=30_000) as blocker:
        window.sync.sync_now()
    changes = blocker.args[0]
    (new_id,) = [s.id for s in changes.changed if s.id not in before]
    assert set(changes.removed) == {card}
    assert {s.id for s in changes.changed} == {new_id, notes}
    assert {s.id for s in model.items()} == {notes, new_id}
    assert model.summary(notes) != before[notes]  # the rewritten file's row was replaced
    assert model.badges(new_id) == (Badge.NEW,)
    assert resets == [] and inserted == [1] and removed == [1]
