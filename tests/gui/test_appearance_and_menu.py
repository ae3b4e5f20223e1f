"""Appearance (System / Light / Dark, live), a visible focus ring, the Item menu and its
shortcuts from the search box, the zero-result state, and the internal-material guard."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox, QToolButton, QWidget
from sqlalchemy import select

from app.core.itconfig import ITConfig
from app.core.models import Event
from app.gui import appearance, settings_flow, theme
from app.gui.item_dialogs import SendDialog


def _app() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


def _select(window, *ids: str) -> None:
    selection = window.results.selectionModel()
    selection.clearSelection()
    for item_id in ids:
        index = window.proxy.mapFromSource(window.model.index_of(item_id))
        selection.select(index, QItemSelectionModel.SelectionFlag.Select)


def _when_modal(qtbot, act) -> list[QWidget]:
    """Run ``act(modal)`` on the next modal window (a dialog's own event loop is running)."""
    seen: list[QWidget] = []

    def check() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(20, check)
            return
        seen.append(modal)
        act(modal)

    QTimer.singleShot(0, check)
    return seen


def test_appearance_switches_live_and_cancel_restores(qtbot, demo_window) -> None:
    window = demo_window
    window.set_appearance("dark", remember=True)
    assert theme.is_dark(_app().palette())
    assert isinstance(_app().style(), appearance.FocusStyle)
    assert window.settings.appearance() == "dark"
    window.set_appearance("light", remember=True)
    assert not theme.is_dark(_app().palette())

    dialog = settings_flow.make_dialog(window)
    qtbot.addWidget(dialog)
    dialog.appearance.setCurrentIndex(dialog.appearance.findData("dark"))
    assert theme.is_dark(_app().palette())  # applied as it is chosen
    dialog.reject()
    assert not theme.is_dark(_app().palette())  # Cancel puts the old one back
    assert window.settings.appearance() == "light"


def _ring_pixels(button: QToolButton) -> int:
    image: QImage = button.grab().toImage()
    ring = button.palette().color(QPalette.ColorRole.Highlight)
    count = 0
    for x in range(image.width()):
        for y in (1, 2, image.height() - 2, image.height() - 3):
            colour = QColor(image.pixel(x, y))
            if abs(colour.red() - ring.red()) + abs(colour.blue() - ring.blue()) < 60:
                count += 1
    return count


def test_keyboard_focus_draws_a_ring(qtbot, demo_window) -> None:
    window = demo_window
    for mode in ("light", "dark"):
        window.set_appearance(mode)
        _select(window, "price-list")
        button = window.detail.action_bar.buttons[0]
        qtbot.waitUntil(button.isVisible)
        window.results.setFocus()
        without = _ring_pixels(button)
        button.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(button.hasFocus)
        assert _ring_pixels(button) > without + 20, mode


def test_ctrl_e_in_the_search_box_sends_the_top_hit(qtbot, demo_window) -> None:
    window = demo_window
    window.focus_search()
    qtbot.keyClicks(window.search_field, "price list")
    qtbot.waitUntil(lambda: window.detail.item_id == "price-list", timeout=10_000)
    assert window.search_field.hasFocus()
    seen = _when_modal(qtbot, lambda modal: modal.reject())
    with qtbot.waitSignal(window.item_actions.send.triggered, timeout=5000):
        qtbot.keyClick(window.search_field, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(seen))
    assert isinstance(seen[0], SendDialog)
    assert window.search_field.text() == "price list"  # the field did not take the key


def test_item_menu_lists_the_verbs_with_shortcuts(demo_window) -> None:
    menu = demo_window.item_menus.item_menu
    entries = {
        a.text().replace("&", "").rstrip("…"): a.shortcut().toString() for a in menu.actions()
    }
    assert entries["Open"] == "Ctrl+O"
    assert entries["Preview"] == "Ctrl+P"
    assert entries["Send"] == "Ctrl+E"
    assert entries["Copy file"] == "Ctrl+Shift+C"
    assert entries["Favourite"] == "Ctrl+D"
    assert "Add to kit" in entries and entries["Flag"] == "Ctrl+Shift+R"


def test_zero_results_offer_the_request_with_the_query(qtbot, demo_window) -> None:
    window = demo_window
    window.resize(1366, 740)
    window.search_field.setText("zzqx hovercraft")
    qtbot.waitUntil(lambda: window.list_stack.currentWidget() is window.empty_state, timeout=10_000)
    state = window.empty_state
    assert "zzqx hovercraft" in state.headline.text()
    assert state.request.isVisible() and "zzqx hovercraft" in state.request.text()
    assert not window.results_header.request.isVisible()  # one Request button, not two
    window.resize(683, 740)
    qtbot.waitUntil(lambda: window.width() <= 700)
    assert state.request.width() >= state.request.sizeHint().width()  # never a cut label
    seen = _when_modal(qtbot, lambda modal: modal.reject())
    state.request.click()
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0].what.toPlainText() == "zzqx hovercraft"
    window.search_field.setText("pricing")
    qtbot.waitUntil(lambda: window.list_stack.currentWidget() is window.results, timeout=10_000)


def _events(library, kind: str) -> list[Event]:
    with library.sessions() as s:
        return list(s.scalars(select(Event).where(Event.kind == kind)).all())


def test_sending_an_internal_item_asks_first_naming_it(qtbot, demo_window) -> None:
    window = demo_window
    assert window.model.summary("battlecard-helix").internal
    assert "Internal" in [b.value for b in window.model.badges("battlecard-helix")]
    _select(window, "battlecard-helix")
    qtbot.waitUntil(lambda: window.detail.item_id == "battlecard-helix")
    assert "Internal use only" in window.detail.badges.text()

    texts: list[str] = []

    def cancel(modal: QWidget) -> None:
        assert isinstance(modal, QMessageBox)
        texts.append(modal.text())
        modal.reject()

    seen = _when_modal(qtbot, cancel)
    window.item_actions.send.trigger()
    qtbot.waitUntil(lambda: bool(texts))
    assert texts[0] == "“Battlecard: Helix Monitoring” is for internal use only. Send anyway?"
    assert len(seen) == 1  # cancelled: no send dialog followed
    assert _events(window.library, "send") == []


def test_confirmed_copy_of_an_internal_item_is_recorded_as_internal(qtbot, demo_window) -> None:
    window = demo_window
    _select(window, "battlecard-helix")

    def go(modal: QWidget) -> None:
        assert isinstance(modal, QMessageBox)
        (anyway,) = [b for b in modal.buttons() if b.text() == "Copy anyway"]
        anyway.click()

    _when_modal(qtbot, go)
    with qtbot.waitSignal(window.item_actions.recorded, timeout=10_000):
        window.item_actions.copy.trigger()
    (event,) = _events(window.library, "copy")
    assert event.item_id == "battlecard-helix" and event.data.get("internal") is True
    QApplication.clipboard().clear()  # offscreen Qt crashes at exit holding file URLs


def test_it_can_refuse_internal_items_outright(qtbot, demo_window) -> None:
    window = demo_window
    window.it = ITConfig(block_internal_send=True)
    _select(window, "battlecard-helix", "price-list")
    texts: list[str] = []

    def ok(modal: QWidget) -> None:
        assert isinstance(modal, QMessageBox)
        assert [b.text().replace("&", "") for b in modal.buttons()] == ["OK"]
        texts.append(modal.text())
        modal.accept()

    _when_modal(qtbot, ok)
    window.item_actions.send.trigger()
    qtbot.waitUntil(lambda: bool(texts))
    assert "“Battlecard: Helix Monitoring” is for internal use only" in texts[0]
    assert "IT configuration does not allow" in texts[0]
    assert _events(window.library, "send") == []


def test_dragging_an_internal_item_out_asks_first(qtbot, demo_window) -> None:
    window = demo_window
    assert window.results.may_drag is not None
    assert window.results.may_drag(["price-list"])  # shareable: no question
    texts: list[str] = []

    def cancel(modal: QWidget) -> None:
        assert isinstance(modal, QMessageBox)
        texts.append(modal.text())
        modal.reject()

    _when_modal(qtbot, cancel)
    assert not window.results.may_drag(["battlecard-meridian", "price-list"])
    assert texts == ["“Battlecard: Meridian HealthSys” is for internal use only. Drag out anyway?"]
