"""What a rep does to items: open, show in folder, copy, drag out, favourite, kits, send, flag,
request. One QAction per verb, shared by the detail pane, the context menu and the keyboard.

Each verb is a small operation: file work (hash check, mail draft) on the io lane, the journal
and collection writes on the write lane, the outcome back on the GUI thread. An action is
enabled only when it can work for the current selection; nothing is a dead button.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QObject, QUrl, Signal
from PySide6.QtGui import QAction, QClipboard, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu, QWidget

from app.core.collections import Collections
from app.core.errors import SatchelError
from app.core.itconfig import ITConfig
from app.core.library import Library
from app.core.mail_draft import build_draft
from app.core.models import Item
from app.core.opener import open_native
from app.core.settings import load_settings
from app.core.timeutil import utcnow
from app.core.usage.journal import Journal
from app.gui import icons
from app.gui.item_data import ItemSummary
from app.gui.item_dialogs import (
    FlagDialog,
    FlagRequest,
    MaterialRequest,
    NewKitDialog,
    RequestDialog,
    SendDialog,
    SendRequest,
)
from app.gui.library_model import LibraryModel
from app.gui.share_guard import ShareGuard
from app.gui.workers import Lane, TaskRunner

log = logging.getLogger(__name__)

Opener = Callable[[Path], None]


def reveal_in_folder(path: Path) -> None:
    """Show ``path`` in the system's file manager (selected where the system allows it)."""
    if sys.platform.startswith("win"):
        subprocess.Popen(["explorer", f"/select,{path}"])  # noqa: S603, S607
    elif sys.platform == "darwin":
        subprocess.Popen(["open", "-R", str(path)])  # noqa: S603, S607
    else:
        open_native(path.parent)


def file_mime(paths: Sequence[Path]) -> QMimeData:
    """Files as the clipboard and drag-and-drop carry them (URLs, plus GNOME's copy list)."""
    mime = QMimeData()
    urls = [QUrl.fromLocalFile(str(p)) for p in paths]
    mime.setUrls(urls)
    mime.setText("\n".join(str(p) for p in paths))
    gnome = "copy\n" + "\n".join(u.toString() for u in urls)
    mime.setData("x-special/gnome-copied-files", gnome.encode("utf-8"))
    return mime


class ItemActions(QObject):
    """See the module docstring."""

    message = Signal(str)  # a transient status message
    error = Signal(str)  # one sentence the rep can act on
    used = Signal(str)  # an item was opened, previewed or sent (use counts)
    favourites_changed = Signal()
    kits_changed = Signal()
    kits_loaded = Signal(dict)  # name -> item ids, after every reload
    recorded = Signal(str)  # an event kind was written to the journal

    def __init__(
        self,
        library: Library,
        runner: TaskRunner,
        model: LibraryModel,
        window: QWidget,
        *,
        opener: Opener = open_native,
        reveal: Opener = reveal_in_folder,
        clipboard: QClipboard | None = None,
        it_config: Callable[[], ITConfig | None] = lambda: None,
    ) -> None:
        super().__init__(window)
        self.guard = ShareGuard(window, it_config)
        self._library = library
        self._runner = runner
        self._model = model
        self._window = window
        self._opener = opener
        self._reveal = reveal
        self._clipboard = clipboard
        self._ids: list[str] = []
        self._kits: dict[str, list[str]] = {}
        self._query = ""

        def make(text: str, icon: str, tip: str, slot: Callable[[], None]) -> QAction:
            action = QAction(icons.icon(icon), text, window)
            action.setData(icon)
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.triggered.connect(slot)
            return action

        self.open = make("&Open", "open", "Open in its own program", self.open_selected)
        self.open.setShortcuts([QKeySequence("Ctrl+O")])
        self.reveal = make(
            "Show in &folder", "folder", "Show the file in the file manager", self.reveal_selected
        )
        self.copy = make(
            "&Copy file", "copy", "Copy the file to paste it elsewhere", self.copy_selected
        )
        self.copy.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.favourite = make(
            "&Favourite", "star", "Add to or remove from your favourites", self.toggle_favourite
        )
        self.favourite.setCheckable(True)
        self.favourite.setShortcut(QKeySequence("Ctrl+D"))
        self.add_to_kit = make("Add to &kit", "kit", "Add to a meeting kit", self._kit_menu_popup)
        self.kit_menu = QMenu(window)
        self.add_to_kit.setMenu(self.kit_menu)
        self.send = make("&Send…", "send", "E-mail to a prospect as a draft", self.send_selected)
        self.send.setShortcut(QKeySequence("Ctrl+E"))
        self.flag = make("F&lag…", "flag", "Tell marketing what is wrong", self.flag_selected)
        self.request = make(
            "&Request material…",
            "request",
            "Ask marketing for material that is missing",
            self.request_material,
        )
        self.all = [
            self.open,
            self.reveal,
            self.copy,
            self.favourite,
            self.add_to_kit,
            self.send,
            self.flag,
        ]
        self._rebuild_kit_menu()
        self.set_selection([])

    # ------------------------------------------------------------ state

    def set_selection(self, ids: Sequence[str]) -> None:
        self._ids = list(ids)
        one, some = len(self._ids) == 1, bool(self._ids)
        self.open.setEnabled(some)
        self.reveal.setEnabled(one)
        self.copy.setEnabled(some)
        self.send.setEnabled(some)
        self.flag.setEnabled(one)
        self.add_to_kit.setEnabled(some)
        self.favourite.setEnabled(some)
        self.favourite.setChecked(one and self._model.is_favourite(self._ids[0]))
        self.favourite.setIcon(icons.icon("star-filled" if self.favourite.isChecked() else "star"))

    def set_kits(self, kits: dict[str, list[str]]) -> None:
        self._kits = {k: list(v) for k, v in kits.items()}
        self._rebuild_kit_menu()
        self.kits_loaded.emit(self._kits)

    def set_query(self, query: str) -> None:
        """The current search (prefills a material request)."""
        self._query = query

    def refresh_icons(self) -> None:
        """Re-tint the icons (the palette changed)."""
        for action in [*self.all, self.request]:
            name = action.data()
            if isinstance(name, str):
                action.setIcon(icons.icon(name))
        self.set_selection(self._ids)
        self._rebuild_kit_menu()

    def selection(self) -> list[str]:
        return list(self._ids)

    # ------------------------------------------------------------ helpers

    def _fail(self, exc: BaseException) -> None:
        if isinstance(exc, SatchelError):
            self.error.emit(str(exc))
        else:
            log.error("action failed", exc_info=exc)
            self.error.emit(f"That did not work ({type(exc).__name__}); details are in the log.")

    def _record(
        self, kind: str, item: Item | None = None, data: dict[str, Any] | None = None
    ) -> None:
        journal = Journal(self._library)
        self._runner.submit(
            Lane.WRITE,
            lambda: journal.record(kind, item=item, data=data),
            on_done=lambda _e: self.recorded.emit(kind),
            on_error=self._fail,
        )

    def _verified(
        self, ids: Sequence[str], then: Callable[[list[tuple[Item, Path]]], None]
    ) -> None:
        """Hash-check the items' files on the io lane, then call ``then`` on the GUI thread."""
        library = self._library
        wanted = list(dict.fromkeys(ids))

        def work() -> list[tuple[Item, Path]]:
            out = []
            for item_id in wanted:
                item = library.item(item_id)
                out.append((item, library.verified_path(item)))
            return out

        self._runner.submit(Lane.IO, work, on_done=then, on_error=self._fail)

    # ------------------------------------------------------------ verbs

    def open_selected(self) -> None:
        self.open_items(self._ids)

    def open_items(self, ids: Sequence[str]) -> None:
        def opened(files: list[tuple[Item, Path]]) -> None:
            for item, path in files:
                try:
                    self._opener(path)
                except SatchelError:
                    self.error.emit(
                        f"No program on this computer opens {item.filename}; "
                        "use Show in folder or Copy file instead."
                    )
                    return
                except OSError as exc:
                    self.error.emit(f"{item.title} could not be opened: {exc.strerror or exc}.")
                    return
                self._record("open", item)
                self._model.bump_use(item.id)
                self.used.emit(item.id)
            if files:
                self.message.emit(
                    f"Opened {files[0][0].title}"
                    if len(files) == 1
                    else f"Opened {len(files)} items"
                )

        if ids:
            self._verified(ids, opened)

    def reveal_selected(self) -> None:
        def show(files: list[tuple[Item, Path]]) -> None:
            try:
                self._reveal(files[0][1])
            except (SatchelError, OSError) as exc:
                self.error.emit(str(exc))

        if self._ids:
            self._verified(self._ids[:1], show)

    def summaries(self, ids: Sequence[str]) -> list[ItemSummary]:
        found = (self._model.summary(i) for i in dict.fromkeys(ids))
        return [s for s in found if s is not None]

    def may_go_out(self, ids: Sequence[str], verb: str) -> bool:
        """Internal items among ``ids``: the rep confirms, or IT's configuration refuses."""
        return self.guard.allow(self.summaries(ids), verb)

    def copy_selected(self) -> None:
        if not self.may_go_out(self._ids, "copy"):
            return

        def copied(files: list[tuple[Item, Path]]) -> None:
            clipboard = self._clipboard or QGuiApplication.clipboard()
            clipboard.setMimeData(file_mime([p for _i, p in files]))
            for item, _path in files:
                self._record("copy", item, {"how": "copy"})
            self.message.emit(f"Copied {len(files)} file(s); paste into a mail, chat or folder.")

        if self._ids:
            self._verified(self._ids, copied)

    def record_drag(self, ids: Sequence[str]) -> None:
        """Items were dragged out of the app (the drop was accepted)."""
        library = self._library
        journal = Journal(library)

        def work() -> int:
            items = [library.item(i) for i in dict.fromkeys(ids)]
            for item in items:
                journal.record("copy", item=item, data={"how": "drag"})
            return len(items)

        self._runner.submit(
            Lane.WRITE, work, on_done=lambda _n: self.recorded.emit("copy"), on_error=self._fail
        )

    def record_preview(self, item_id: str, location: object) -> None:
        """The preview stayed on screen: a "preview" event (for every type of file)."""
        library = self._library
        journal = Journal(library)
        data = {"location": location if isinstance(location, int) else None}
        self._runner.submit(
            Lane.WRITE,
            lambda: journal.record("preview", item=library.item(item_id), data=data),
            on_done=lambda _r: self.recorded.emit("preview"),
            on_error=lambda exc: log.warning("preview not recorded: %s", exc),
        )
        self._model.bump_use(item_id)

    def toggle_favourite(self) -> None:
        if not self._ids:
            return
        on = not self._model.is_favourite(self._ids[0])
        ids = list(self._ids)
        for item_id in ids:
            self._model.set_favourite(item_id, on)  # shown at once; written in the background
        self.set_selection(self._ids)
        collections = Collections(self._library)

        def work() -> None:
            for item_id in ids:
                collections.set_favourite(item_id, on)

        self._runner.submit(
            Lane.WRITE, work, on_done=lambda _r: self.favourites_changed.emit(), on_error=self._fail
        )

    def _rebuild_kit_menu(self) -> None:
        menu = self.kit_menu
        menu.clear()
        for name in self._kits:
            action = menu.addAction(icons.icon("kit"), name)
            action.triggered.connect(lambda _c=False, n=name: self.add_selection_to_kit(n))
        if self._kits:
            menu.addSeparator()
        new = menu.addAction(icons.icon("request"), "New kit…")
        new.triggered.connect(self.new_kit_with_selection)

    def _kit_menu_popup(self) -> None:
        parent = self._window
        self.kit_menu.popup(parent.mapToGlobal(parent.rect().center()))

    def add_selection_to_kit(self, name: str, *, create: bool = False) -> None:
        ids = list(self._ids)
        if not ids:
            return
        collections = Collections(self._library)

        def work() -> None:
            if create:
                collections.create_kit(name)
            for item_id in ids:
                collections.add_to_kit(name, item_id)

        def done(_r: object) -> None:
            self.message.emit(f"Added {len(ids)} item(s) to the kit “{name}”.")
            self.kits_changed.emit()

        self._runner.submit(Lane.WRITE, work, on_done=done, on_error=self._fail)

    def new_kit_with_selection(self) -> None:
        dialog = NewKitDialog(list(self._kits), self._window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_selection_to_kit(dialog.value(), create=True)

    def send_selected(self) -> None:
        self.send_ids(self._ids)

    def send_ids(self, ids: Sequence[str]) -> None:
        """Ask for recipients and subject, then write the draft (a kit sends all its items)."""
        summaries = self.summaries(ids)
        if not summaries or not self.guard.allow(summaries, "send"):
            return
        settings = load_settings(self._library)
        dialog = SendDialog(
            [s.title for s in summaries],
            settings.rep_name,
            self._window,
            total_size=sum(s.size for s in summaries),
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.send_items([s.id for s in summaries], dialog.value())

    def send_items(self, ids: Sequence[str], request: SendRequest) -> None:
        """Write the draft into ``<home>/outbox``, open it, record one send per item."""
        library = self._library

        def build() -> tuple[Path, list[Item]]:
            items = [library.item(i) for i in dict.fromkeys(ids)]
            files = [(library.verified_path(i), i.filename) for i in items]
            sender = load_settings(library).rep_email or None
            draft = build_draft(
                files,
                to=request.recipients,
                subject=request.subject,
                body=request.message,
                sender=sender,
            )
            out = library.paths.home / "outbox" / f"draft-{utcnow():%Y%m%d-%H%M%S-%f}.eml"
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = out.with_name(f".{out.name}.tmp")
            tmp.write_bytes(draft)
            tmp.replace(out)
            return out, items

        def built(result: tuple[Path, list[Item]]) -> None:
            out, items = result
            journal = Journal(library)
            data = {
                "send_id": str(uuid.uuid4()),
                "recipients": request.recipients,
                "account": request.account,
            }
            self._runner.submit(
                Lane.WRITE,
                lambda: journal.record_many("send", items, data),
                on_done=lambda _e: self.recorded.emit("send"),
                on_error=self._fail,
            )
            for item in items:
                self._model.bump_use(item.id)
                self.used.emit(item.id)
            try:
                self._opener(out)
            except (SatchelError, OSError):
                self.error.emit(
                    f"The draft is saved as {out.name} in the outbox folder, but no mail program "
                    "opened it; open that file from your mail program."
                )
                return
            self.message.emit(f"Draft with {len(items)} attachment(s) opened in your mail program.")

        self._runner.submit(Lane.IO, build, on_done=built, on_error=self._fail)

    def flag_selected(self) -> None:
        if len(self._ids) != 1:
            return
        summary = self._model.summary(self._ids[0])
        dialog = FlagDialog(summary.title if summary else self._ids[0], self._window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.flag_item(self._ids[0], dialog.value())

    def flag_item(self, item_id: str, request: FlagRequest) -> None:
        library = self._library

        def work() -> None:
            Journal(library).flag(library.item(item_id), request.reason, request.note)

        def done(_result: object) -> None:
            self.recorded.emit("flag")
            self.message.emit("Flag noted; marketing gets it at the next sync.")

        self._runner.submit(Lane.WRITE, work, on_done=done, on_error=self._fail)

    def request_material(self) -> None:
        dialog = RequestDialog(self._query.strip(), self._window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.submit_request(dialog.value())

    def submit_request(self, request: MaterialRequest) -> None:
        journal = Journal(self._library)

        def done(_result: object) -> None:
            self.recorded.emit("request")
            self.message.emit("Request sent to marketing at the next sync.")

        self._runner.submit(
            Lane.WRITE,
            lambda: journal.request(request.text, request.account, request.needed_by),
            on_done=done,
            on_error=self._fail,
        )
