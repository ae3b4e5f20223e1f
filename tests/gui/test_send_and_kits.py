"""The send dialog speaks plainly and follows the fix; kits can be renamed, emptied, deleted
and sent whole."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from app.core.collections import Collections
from app.gui.item_dialogs import NewKitDialog, SendDialog, subject_for
from app.gui.kits_dialog import KitActions, KitsDialog


def test_subject_names_the_first_title_and_counts_the_rest() -> None:
    assert subject_for(["Price list"]) == "Price list"
    assert subject_for(["Price list", "ROI", "Case study"]) == "Price list (+2 more)"
    assert subject_for([]) == ""


def test_send_dialog_has_a_primary_create_draft_button_and_the_total_size(qtbot) -> None:
    dialog = SendDialog(["Price list", "ROI", "Case"], "Alex Rep", total_size=3 * 1024 * 1024)
    qtbot.addWidget(dialog)
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert button.text() == "Create draft" and button.isDefault()
    assert "3 attachments" in dialog.summary.text() and "3.0 MB" in dialog.summary.text()
    assert dialog.subject.text() == "Price list (+2 more)"


def test_send_errors_are_plain_and_clear_when_fixed(qtbot) -> None:
    dialog = SendDialog(["Price list"], "Alex Rep")
    qtbot.addWidget(dialog)
    dialog._try_accept()
    text = dialog.error.text()
    assert dialog.error.isVisibleTo(dialog) and "e-mail address" in text
    assert "--" not in text  # never a command-line flag
    dialog.recipients.setText("bob@")
    assert "'bob@' is not an e-mail address" in dialog.error.text()  # it follows the typing
    dialog.recipients.setText("bob@customer.example")
    assert not dialog.error.isVisibleTo(dialog) and dialog.error.text() == ""
    dialog.subject.clear()
    dialog._try_accept()
    assert "subject" in dialog.error.text()
    dialog.subject.setText("Prices")
    assert not dialog.error.isVisibleTo(dialog)
    dialog._try_accept()
    assert dialog.result() == SendDialog.DialogCode.Accepted


def test_new_kit_dialog_fits_its_placeholder(qtbot) -> None:
    dialog = NewKitDialog([])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    field = dialog.name
    needed = field.fontMetrics().horizontalAdvance(field.placeholderText())
    assert field.width() > needed


def test_kits_rename_remove_delete(qtbot, demo_window) -> None:
    window = demo_window
    collections = Collections(window.library)
    collections.create_kit("Klinikum")
    for item_id in ("price-list", "roi-calculator"):
        collections.add_to_kit("Klinikum", item_id)
    ops = KitActions(window.library, window.runner, window)
    dialog = KitsDialog(collections.kits(), lambda i: f"title of {i}", ops)
    qtbot.addWidget(dialog)
    assert dialog.current_kit() == "Klinikum" and dialog.item_list.count() == 2

    with qtbot.waitSignal(ops.kits_changed, timeout=10_000):
        ops.rename("Klinikum", "Klinikum kick-off")
    assert collections.kits() == {"Klinikum kick-off": ["price-list", "roi-calculator"]}

    dialog.set_kits(collections.kits())
    dialog.item_list.item(0).setSelected(True)
    assert dialog.remove_button.isEnabled()
    with qtbot.waitSignal(ops.kits_changed, timeout=10_000):
        dialog.remove_selected()
    assert collections.kits() == {"Klinikum kick-off": ["roi-calculator"]}

    dialog.set_kits(collections.kits())
    with qtbot.waitSignal(dialog.send_requested, timeout=1000) as sent:
        dialog.send_button.click()
    assert sent.args == ["Klinikum kick-off", ["roi-calculator"]]

    with qtbot.waitSignal(ops.kits_changed, timeout=10_000):
        dialog.delete_current(confirm=False)
    assert collections.kits() == {}
    dialog.set_kits({})
    assert not dialog.send_button.isEnabled() and "No kits yet" in dialog.empty.text()


def test_renaming_to_a_taken_name_says_so(qtbot, demo_window) -> None:
    window = demo_window
    collections = Collections(window.library)
    collections.create_kit("A")
    collections.create_kit("B")
    ops = KitActions(window.library, window.runner, window)
    with qtbot.waitSignal(ops.error, timeout=10_000) as failed:
        ops.rename("A", "B")
    assert "already a kit" in failed.args[0]
    assert set(collections.kits()) == {"A", "B"}
