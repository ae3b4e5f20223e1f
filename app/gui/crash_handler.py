"""Uncaught errors never make the app vanish: the two kinds of error, each handled its way.

* A :class:`~app.core.errors.SatchelError` (the rep can act on it: a full disk, a hub that
  is offline) that nobody caught is shown as a plain message.
* Anything else is our bug: the traceback and the diagnostics go into a crash report
  (:func:`app.core.crash.write_crash_report`) and a dialog says where it is.

:meth:`CrashHandler.install` sets ``sys.excepthook`` (PySide6 hands exceptions raised in
slots and event handlers to it) and ``threading.excepthook``; :meth:`CrashHandler.report`
takes a worker's exception that reached the window unhandled. Dialogs are always shown
later from the event loop, never from inside the hook (it may run in a worker thread or in
the middle of painting).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from app.core.crash import crash_report_text, write_crash_report
from app.core.diagnostics import diagnostics_text
from app.core.errors import SatchelError
from app.core.library import Library
from app.gui.crash_dialog import CrashDialog, bring_to_front, open_folder, problem_box

log = logging.getLogger(__name__)

MAX_REPORTS = 10  # per session: an error repeated on every repaint must not fill the disk

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class CrashHandler(QObject):
    """See the module docstring. Create it on the GUI thread, after the QApplication."""

    crash_reported = Signal(object)  # Path, or None when the report could not be written
    dialog_shown = Signal(object)  # the CrashDialog or QMessageBox now on screen
    _post = Signal(str, object, object)  # kind, message or text, path

    def __init__(
        self,
        home: Path,
        *,
        toolkit: str = "",
        library: Callable[[], Library | None] = lambda: None,
        window: Callable[[], QWidget | None] = lambda: None,
        folder_opener: Callable[[Path], None] = open_folder,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._home = home
        self._toolkit = toolkit
        self._library = library
        self._window = window
        self._folder_opener = folder_opener
        self._reports = 0
        self._lock = threading.Lock()
        self._previous: tuple[Any, Any] | None = None
        self.dialog: CrashDialog | QMessageBox | None = None
        self._post.connect(self._show, Qt.ConnectionType.QueuedConnection)

    # ------------------------------------------------------------ hooks

    def install(self) -> None:
        if self._previous is None:
            self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def _excepthook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.handle(exc_type, exc, tb)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    # ------------------------------------------------------------ handling

    def report(self, exc: BaseException) -> None:
        """A worker's exception that no one handled (TaskRunner.failed)."""
        self.handle(type(exc), exc, exc.__traceback__)

    def handle(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        """Any thread. Never raises: a failing crash handler would hide the first error."""
        try:
            if isinstance(exc, SatchelError):
                log.info("uncaught problem shown to the rep: %s", exc)
                self._emit("problem", str(exc), None)
                return
            with self._lock:
                self._reports += 1
                over = self._reports > MAX_REPORTS
            if over:
                log.error(
                    "another unexpected error (no more reports this session)",
                    exc_info=(exc_type, exc, tb),
                )
                return
            path, text = self._write((exc_type, exc, tb))
            self._emit("crash", text, path)
        except Exception:  # the last resort: the console
            sys.__excepthook__(exc_type, exc, tb)

    def _write(self, info: ExcInfo) -> tuple[Path | None, str]:
        library = self._library()
        try:
            path = write_crash_report(self._home, *info, toolkit=self._toolkit, library=library)
        except OSError:
            diagnostics = diagnostics_text(self._home, toolkit=self._toolkit, library=library)
            return None, crash_report_text(*info, diagnostics, when=datetime.now().astimezone())
        return path, path.read_text(encoding="utf-8")

    def _emit(self, kind: str, text: str, path: Path | None) -> None:
        try:
            self._post.emit(kind, text, path)
        except RuntimeError:  # the app is gone (an error during exit): the console then
            print(text, file=sys.stderr)

    # ------------------------------------------------------------ showing (GUI thread)

    @Slot(str, object, object)
    def _show(self, kind: str, text: object, path: object) -> None:
        if kind == "crash":
            self.crash_reported.emit(path)
        if self.dialog is not None and self.dialog.isVisible():
            return  # one dialog at a time; the report is written either way
        parent = self._window()
        if kind == "crash":
            dialog: CrashDialog | QMessageBox = CrashDialog(
                str(text),
                path if isinstance(path, Path) else None,
                log_dir=self._home / "logs",
                folder_opener=self._folder_opener,
                parent=parent,
            )
        else:
            dialog = problem_box(str(text), parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(self._forget)
        self.dialog = dialog
        bring_to_front(dialog)
        self.dialog_shown.emit(dialog)

    @Slot()
    def _forget(self) -> None:
        self.dialog = None
