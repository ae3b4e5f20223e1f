"""Meeting kits the rep can tend: rename, delete, remove items, send the whole kit.

:class:`KitActions` does the writes (write lane, outcome by signal); :class:`KitsDialog` is the
window onto them: kits on the left, the chosen kit's items on the right.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.collections import Collections
from app.core.errors import SatchelError
from app.core.library import Library
from app.gui import icons
from app.gui.item_dialogs import NewKitDialog
from app.gui.plain_text import plain_label
from app.gui.workers import Lane, TaskRunner

ID_ROLE = Qt.ItemDataRole.UserRole


class KitActions(QObject):
    """Rename, delete and remove-from-kit, written on the write lane."""

    kits_changed = Signal()
    message = Signal(str)
    error = Signal(str)

    def __init__(self, library: Library, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._runner = runner

    def _write(self, work: Callable[[Collections], None], done_text: str) -> None:
        collections = Collections(self._library)

        def done(_r: object) -> None:
            self.message.emit(done_text)
            self.kits_changed.emit()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, SatchelError):
                self.error.emit(str(exc))
            else:
                self.error.emit(f"The kit could not be changed ({type(exc).__name__}).")

        self._runner.submit(Lane.WRITE, lambda: work(collections), on_done=done, on_error=failed)

    def rename(self, name: str, new_name: str) -> None:
        self._write(lambda c: c.rename_kit(name, new_name), f"Renamed the kit to “{new_name}”.")

    def delete(self, name: str) -> None:
        self._write(lambda c: c.delete_kit(name), f"Deleted the kit “{name}”.")

    def remove(self, name: str, ids: Sequence[str]) -> None:
        wanted = list(ids)

        def work(c: Collections) -> None:
            for item_id in wanted:
                c.remove_from_kit(name, item_id)

        self._write(work, f"Removed {len(wanted)} item(s) from the kit “{name}”.")


class KitsDialog(QDialog):
    """See the module docstring. ``set_kits`` refreshes it after every change."""

    send_requested = Signal(str, list)  # kit name, item ids

    def __init__(
        self,
        kits: dict[str, list[str]],
        title_of: Callable[[str], str | None],
        ops: KitActions,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Meeting kits")
        self.setAccessibleName("Meeting kits")
        self._title_of = title_of
        self._ops = ops
        self._kits: dict[str, list[str]] = {}
        self.kit_list = QListWidget(self)
        self.kit_list.setAccessibleName("Kits")
        self.kit_list.currentRowChanged.connect(self._kit_chosen)
        self.item_list = QListWidget(self)
        self.item_list.setAccessibleName("Items in the kit")
        self.item_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.item_list.itemSelectionChanged.connect(self._update_buttons)
        self.empty = plain_label(QLabel(self))
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.rename_button = QPushButton("Rename…", self)
        self.rename_button.clicked.connect(self.rename_current)
        self.delete_button = QPushButton("Delete kit…", self)
        self.delete_button.clicked.connect(self.delete_current)
        self.remove_button = QPushButton(icons.icon("cancel"), "Remove from kit", self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.send_button = QPushButton(icons.icon("send"), "Send whole kit…", self)
        self.send_button.clicked.connect(self.send_current)
        self.send_button.setDefault(True)

        left = QVBoxLayout()
        left.addWidget(QLabel("Kits", self))
        left.addWidget(self.kit_list, 1)
        kit_row = QHBoxLayout()
        kit_row.addWidget(self.rename_button)
        kit_row.addWidget(self.delete_button)
        left.addLayout(kit_row)
        right = QVBoxLayout()
        right.addWidget(QLabel("Items", self))
        right.addWidget(self.item_list, 1)
        right.addWidget(self.empty)
        item_row = QHBoxLayout()
        item_row.addWidget(self.remove_button)
        item_row.addStretch(1)
        item_row.addWidget(self.send_button)
        right.addLayout(item_row)
        panes = QHBoxLayout()
        panes.addLayout(left, 2)
        panes.addLayout(right, 3)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(panes, 1)
        layout.addWidget(close)
        self.resize(640, 400)
        self.set_kits(kits)

    # ------------------------------------------------------------ state

    def current_kit(self) -> str | None:
        row = self.kit_list.currentItem()
        return None if row is None else str(row.data(ID_ROLE))

    def set_kits(self, kits: dict[str, list[str]]) -> None:
        """Show ``kits`` (name -> item ids), keeping the chosen kit when it still exists."""
        keep = self.current_kit()
        self._kits = {k: list(v) for k, v in kits.items()}
        self.kit_list.blockSignals(True)
        self.kit_list.clear()
        for name, ids in self._kits.items():
            row = QListWidgetItem(icons.icon("kit"), f"{name}  ({len(ids)})")
            row.setData(ID_ROLE, name)
            self.kit_list.addItem(row)
        self.kit_list.blockSignals(False)
        names = list(self._kits)
        self.kit_list.setCurrentRow(names.index(keep) if keep in names else (0 if names else -1))
        self._kit_chosen()

    def _kit_chosen(self, *_args: object) -> None:
        name = self.current_kit()
        self.item_list.clear()
        for item_id in self._kits.get(name or "", []):
            row = QListWidgetItem(self._title_of(item_id) or f"{item_id} (withdrawn)")
            row.setData(ID_ROLE, item_id)
            self.item_list.addItem(row)
        if name is None:
            self.empty.setText("No kits yet. Select items and choose Add to kit → New kit….")
        else:
            self.empty.setText("This kit is empty. Add items to it from the list.")
        self.empty.setVisible(self.item_list.count() == 0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_kit = self.current_kit() is not None
        self.rename_button.setEnabled(has_kit)
        self.delete_button.setEnabled(has_kit)
        self.remove_button.setEnabled(bool(self.item_list.selectedItems()))
        self.send_button.setEnabled(self.item_list.count() > 0)

    def selected_item_ids(self) -> list[str]:
        return [str(i.data(ID_ROLE)) for i in self.item_list.selectedItems()]

    # ------------------------------------------------------------ verbs

    def rename_current(self) -> None:
        name = self.current_kit()
        if name is None:
            return
        dialog = NewKitDialog(list(self._kits), self, current=name)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.value() != name:
            self._ops.rename(name, dialog.value())

    def delete_current(self, *, confirm: bool = True) -> None:
        name = self.current_kit()
        if name is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self,
                "Delete the kit?",
                f"Delete the kit “{name}”? Its items stay in the library.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._ops.delete(name)

    def remove_selected(self) -> None:
        name, ids = self.current_kit(), self.selected_item_ids()
        if name is not None and ids:
            self._ops.remove(name, ids)

    def send_current(self) -> None:
        name = self.current_kit()
        if name is not None and self._kits.get(name):
            self.send_requested.emit(name, list(self._kits[name]))
