"""Opening and applying Settings for the main window: the rep's settings and hub on the write
lane, then re-watch and sync; the appearance (System / Light / Dark) live, as it is chosen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from app.core.hub import normalise_location
from app.core.settings import save_settings
from app.gui import appearance, icons
from app.gui.it_presets import effective_rep
from app.gui.settings_dialog import SettingsChange, SettingsDialog
from app.gui.window_layout import fit_to_screen
from app.gui.workers import Lane

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow


def make_dialog(window: MainWindow) -> SettingsDialog:
    """The Settings dialog for the window's library, sized to its screen."""
    state = window.library.hub_state()
    dialog = SettingsDialog(
        rep=window.rep,
        location=state.location,
        is_demo=bool(state.is_demo),
        pinned=window.library.trusted_key(),
        watch_mode=window.settings.watch_mode(),
        it=window.it,
        appearance=window.settings.appearance(),
        preview_appearance=lambda mode: set_appearance(window, mode),
        parent=window,
    )
    fit_to_screen(dialog)
    return dialog


def open_settings(window: MainWindow) -> None:
    dialog = make_dialog(window)
    if dialog.exec() == SettingsDialog.DialogCode.Accepted:
        apply_settings(window, dialog.value())


def apply_settings(window: MainWindow, change: SettingsChange) -> None:
    """Save the rep's settings and the hub (write lane), then re-watch and sync."""
    library = window.library
    window.settings.set_watch_mode(change.watch_mode)
    set_appearance(window, change.appearance, remember=True)

    def work() -> None:
        save_settings(library, change.rep)
        if change.hub_changed:
            location = normalise_location(change.location) if change.location else None
            library.configure_hub(location, change.key)

    def done(_r: object) -> None:
        window.rep = effective_rep(change.rep, window.it, interval_chosen=True)
        window.refresh_status()
        window.sync.set_interval(window.rep.sync_interval_min)
        window.watch_hub()
        window.flash("Settings saved.")
        window.settings_applied.emit()
        if change.hub_changed:
            window.sync.sync_now()
        window.reload()

    window.runner.submit(Lane.WRITE, work, on_done=done, on_error=window.show_failure)


def set_appearance(window: MainWindow, mode: str, *, remember: bool = False) -> None:
    """System / Light / Dark, applied to the whole app at once."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        appearance.apply(app, mode)
    if remember:
        window.settings.set_appearance(mode)


def follow_scheme(window: MainWindow) -> None:
    """The platform switched light/dark: follow it when the rep chose "system"."""
    app = QApplication.instance()
    if window.settings.appearance() == "system" and isinstance(app, QApplication):
        appearance.follow_system(app)
    retint(window)


def retint(window: MainWindow) -> None:
    """The palette changed: icons are drawn again in its text colour."""
    icons.clear_cache()
    window.item_actions.refresh_icons()
    window.item_menus.refresh_icons()
    window.chrome.refresh_icons()
    window.results.viewport().update()
