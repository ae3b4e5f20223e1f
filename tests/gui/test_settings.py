"""Settings persist; the first run installs the demo; connecting a real hub replaces it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize

from app.core.library import Library
from app.core.settings import RepSettings, load_settings
from app.gui.library_model import SortMode
from app.gui.settings_dialog import SettingsChange, SettingsDialog


def test_settings_and_layout_persist_across_windows(qtbot, make_window, demo_home) -> None:
    window = make_window(demo_home)
    rep = RepSettings("Alex Rep", "alex@northwind.example", True, 45, 7)
    change = SettingsChange(rep=rep, watch_mode="polling", location=None, key=None)
    with qtbot.waitSignal(window.settings_applied, timeout=10_000):
        window.apply_settings(change)
    window.resize(760, 700)  # inside the 800x800 offscreen screen
    window.splitter.setSizes([160, 330, 270])
    sizes = window.splitter.sizes()
    window.apply_sort(SortMode.NEWEST)
    window.close()

    again = make_window(demo_home)
    assert load_settings(again.library) == rep
    assert again.rep == rep
    assert again.settings.watch_mode() == "polling"
    assert again.size() == QSize(760, 700)
    assert again.splitter.sizes() == sizes
    assert again.proxy.sort_mode is SortMode.NEWEST
    assert again.sort_box.currentText() == "Newest"


def test_first_run_installs_the_demo_in_the_background(qtbot, make_window, tmp_path) -> None:
    window = make_window(tmp_path / "fresh", wait=False)
    assert window.setup_banner.isVisibleTo(window)
    assert window.setup_banner.progress.isVisibleTo(window)
    with qtbot.waitSignals([window.setup_finished, window.snapshot_applied], timeout=60_000):
        pass
    assert not window.setup_banner.isVisibleTo(window)
    assert window.demo_banner.isVisibleTo(window)
    assert "Demo library" in window.demo_banner.text.text()
    assert window.demo_banner.button.text() == "Connect your hub…"
    assert window.model.rowCount() == 26


def test_the_dialog_connects_a_real_hub(qtbot, make_window, demo_home, small_hub) -> None:
    """Given the demo library, when the rep enters the company hub and marketing's key in
    Settings, then the key's fingerprint shows, and after the sync the demo is gone."""
    window = make_window(demo_home)
    dialog = SettingsDialog(
        rep=load_settings(window.library),
        location=window.library.hub_state().location,
        is_demo=True,
        pinned=window.library.trusted_key(),
        watch_mode="auto",
    )
    qtbot.addWidget(dialog)
    assert dialog.location.text() == ""  # the demo hub is not offered as "your hub"
    dialog._try_accept()
    assert not dialog.error.isVisible() or dialog.result() == SettingsDialog.DialogCode.Accepted
    dialog.location.setText(str(small_hub.hub))
    dialog._try_accept()
    assert "public key" in dialog.error.text()
    dialog.key_path.setText(str(small_hub.pub))
    dialog._key_typed()
    from app.core.signing import load_public_key

    fingerprint = load_public_key(small_hub.pub).fingerprint
    assert fingerprint in dialog.fingerprint.text()
    dialog._try_accept()
    change = dialog.value()
    assert change.location == str(Path(small_hub.hub).resolve())
    with qtbot.waitSignal(window.sync.finished, timeout=30_000):
        window.apply_settings(change)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=10_000)
    assert not window.demo_banner.isVisibleTo(window)
    with Library.open(demo_home) as lib:
        assert lib.hub_state().is_demo is False
        assert lib.trusted_key() is not None and lib.trusted_key().fingerprint == fingerprint
