"""What a rep does to items: every action works and is recorded in the journal."""

from __future__ import annotations

import email
from email import policy

from PySide6.QtGui import QGuiApplication
from sqlalchemy import select

from app.core.collections import Collections
from app.core.models import Event
from app.gui.item_data import local_file
from app.gui.item_dialogs import (
    FlagDialog,
    FlagRequest,
    MaterialRequest,
    NewKitDialog,
    SendDialog,
    SendRequest,
)


def _events(library, kind: str) -> list[Event]:
    with library.sessions() as s:
        return list(s.scalars(select(Event).where(Event.kind == kind)).all())


def _select(window, *ids: str) -> None:
    from PySide6.QtCore import QItemSelectionModel

    sel = window.results.selectionModel()
    sel.clearSelection()
    for item_id in ids:
        index = window.proxy.mapFromSource(window.model.index_of(item_id))
        sel.select(index, QItemSelectionModel.SelectionFlag.Select)
    assert window.results.selected_ids() == sorted(
        ids, key=lambda i: window.proxy.mapFromSource(window.model.index_of(i)).row()
    )


def test_open_records_and_counts(qtbot, demo_window, opened) -> None:
    window = demo_window
    _select(window, "roi-calculator")
    with qtbot.waitSignal(window.item_actions.recorded, timeout=10_000):
        window.item_actions.open.trigger()
    summary = window.model.summary("roi-calculator")
    assert opened.paths == [local_file(window.library, summary)]
    assert [e.item_id for e in _events(window.library, "open")] == ["roi-calculator"]
    assert window.model.use_count("roi-calculator") == 1


def test_copy_puts_the_file_on_the_clipboard(qtbot, demo_window) -> None:
    window = demo_window
    _select(window, "roi-calculator")
    with qtbot.waitSignal(window.item_actions.recorded, timeout=10_000):
        window.item_actions.copy.trigger()
    mime = QGuiApplication.clipboard().mimeData()
    assert [u.toLocalFile() for u in mime.urls()] == [
        str(local_file(window.library, window.model.summary("roi-calculator")))
    ]
    (event,) = _events(window.library, "copy")
    assert event.data == {"how": "copy"}
    QGuiApplication.clipboard().clear()  # offscreen Qt crashes at exit holding file URLs


def test_drag_out_is_recorded_as_a_copy(qtbot, demo_window) -> None:
    window = demo_window
    with qtbot.waitSignal(window.item_actions.recorded, timeout=10_000):
        window.results.dragged_out.emit(["price-list"])
    (event,) = _events(window.library, "copy")
    assert event.item_id == "price-list" and event.data == {"how": "drag"}


def test_send_writes_a_draft_opens_it_and_records(qtbot, demo_window, opened) -> None:
    window = demo_window
    request = SendRequest(["cfo@klinikum.example"], "Klinikum Sankt Anna", "Pricing", "Hello")
    with qtbot.waitSignal(window.item_actions.recorded, timeout=10_000):
        window.item_actions.send_items(["price-list", "roi-calculator"], request)
    (draft,) = opened.paths
    assert draft.parent == window.library.paths.home / "outbox"
    message = email.message_from_bytes(draft.read_bytes(), policy=policy.default)
    assert message["X-Unsent"] == "1"
    names = sorted(p.get_filename() for p in message.iter_attachments())
    assert names == ["Northwind Price List.xlsx", "ROI Calculator.xlsx"]
    events = _events(window.library, "send")
    assert sorted(e.item_id for e in events) == ["price-list", "roi-calculator"]
    assert {e.data["send_id"] for e in events}.__len__() == 1
    assert events[0].data["recipients"] == ["cfo@klinikum.example"]
    assert events[0].data["account"] == "Klinikum Sankt Anna"


def test_flag_and_request(qtbot, demo_window) -> None:
    window = demo_window
    with qtbot.waitSignal(window.item_actions.recorded, timeout=10_000):
        window.item_actions.flag_item("price-list", FlagRequest("outdated", "2027 prices are out"))
    (flag,) = _events(window.library, "flag")
    assert flag.data == {"reason": "outdated", "note": "2027 prices are out"}
    with qtbot.waitSignal(window.item_actions.recorded, timeout=10_000):
        window.item_actions.submit_request(
            MaterialRequest("case study for German hospitals", "Klinikum", "2026-12-01")
        )
    (request,) = _events(window.library, "request")
    assert request.data["text"] == "case study for German hospitals"
    assert request.data["needed_by"] == "2026-12-01"


def test_add_to_a_new_kit_shows_it_in_the_sidebar(qtbot, demo_window) -> None:
    window = demo_window
    _select(window, "price-list", "roi-calculator")
    with qtbot.waitSignal(window.snapshot_applied, timeout=10_000):
        window.item_actions.add_selection_to_kit("Klinikum kick-off", create=True)
    assert Collections(window.library).kits() == {
        "Klinikum kick-off": ["price-list", "roi-calculator"]
    }
    names = [a.text() for a in window.item_actions.kit_menu.actions()]
    assert "Klinikum kick-off" in names
    from app.gui.library_model import Scope

    window.sidebar.select_scope(Scope.KIT, "Klinikum kick-off")
    assert window.proxy.rowCount() == 2


def test_dialogs_check_their_input(qtbot) -> None:
    send = SendDialog(["Price list"], "Alex Rep")
    qtbot.addWidget(send)
    send.recipients.setText("not an address")
    send._try_accept()
    assert send.error.isVisibleTo(send) and "not an e-mail address" in send.error.text()
    send.recipients.setText("a@b.example; c@d.example")
    send._try_accept()
    assert send.result() == SendDialog.DialogCode.Accepted
    assert send.value().recipients == ["a@b.example", "c@d.example"]
    assert "Alex Rep" in send.value().message

    flag = FlagDialog("Price list")
    qtbot.addWidget(flag)
    flag.reason.setCurrentIndex(flag.reason.findData("incorrect"))
    flag._try_accept()
    assert "note" in flag.error.text()

    kit = NewKitDialog(["Existing"])
    qtbot.addWidget(kit)
    kit.name.setText("existing")
    kit._try_accept()
    assert "already a kit" in kit.error.text()


def test_actions_follow_the_selection(demo_window) -> None:
    window = demo_window
    actions = window.item_actions
    window.results.selectionModel().clearSelection()
    assert not any(a.isEnabled() for a in actions.all)
    assert actions.request.isEnabled()
    _select(window, "price-list", "roi-calculator")
    assert actions.open.isEnabled() and actions.send.isEnabled() and actions.copy.isEnabled()
    assert not actions.flag.isEnabled() and not actions.reveal.isEnabled()
