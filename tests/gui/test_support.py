"""Shipping it: IT's locked settings, diagnostics, crash reports, About, and the smoke mode
packaged builds are checked with."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from email.message import Message
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from app import __version__
from app.core.crash import write_crash_report
from app.core.db import SCHEMA_VERSION
from app.core.diagnostics import diagnostics_text, problem_lines, strip_credentials
from app.core.errors import HubUnreachableError
from app.core.itconfig import load_it_config
from app.core.library import Library
from app.core.licences import bundled_licences, licence_of
from app.core.settings import RepSettings
from app.core.signing import load_public_key
from app.core.usage.journal import Journal
from app.gui.about_dialog import AboutDialog, toolkit_version
from app.gui.crash_dialog import CrashDialog
from app.gui.crash_handler import CrashHandler
from app.gui.settings_dialog import SettingsDialog
from tests.conftest import REPO

NOTE = "NOTE-7f3a: the 2024 prices are wrong"


def _it_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> Path:
    path = tmp_path / "it" / "satchel.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    monkeypatch.setenv("SATCHEL_CONFIG", str(path))
    return path


# ------------------------------------------------------------------ IT's configuration


def test_values_it_locked_are_read_only(qtbot, small_hub, tmp_path, monkeypatch) -> None:
    """Given IT's file locks the hub, the key and the interval, when the rep opens Settings,
    then those fields are read-only with a tooltip naming the file, and OK keeps IT's values."""
    path = _it_config(
        tmp_path,
        monkeypatch,
        f'hub = "{small_hub.hub}"\ntrusted_key = "{small_hub.pub}"\nsync_interval_min = 45\n'
        'locked = ["hub", "trusted_key", "sync_interval_min"]\n',
    )
    config = load_it_config()
    dialog = SettingsDialog(
        rep=RepSettings(), location=None, is_demo=True, pinned=None, watch_mode="auto", it=config
    )
    qtbot.addWidget(dialog)
    tip = f"Set by your IT department ({path})"
    assert dialog.location.isReadOnly() and dialog.location.text() == str(small_hub.hub)
    assert dialog.key_path.isReadOnly() and not dialog.pick_key.isEnabled()
    assert dialog.interval.isReadOnly() and dialog.interval.value() == 45
    assert not dialog.browse.isEnabled()
    assert {w.toolTip() for w in dialog.locked_fields()} == {tip}
    assert dialog.it_note.isVisibleTo(dialog) and str(path) in dialog.it_note.text()
    fingerprint = load_public_key(small_hub.pub).fingerprint
    assert fingerprint in dialog.fingerprint.text()
    assert "IT department" in dialog.fingerprint.text()
    dialog._try_accept()
    change = dialog.value()
    assert change.location == str(small_hub.hub.resolve())
    assert change.key is not None and change.key.fingerprint == fingerprint


def test_it_presets_are_defaults_the_rep_may_change(qtbot, tmp_path, monkeypatch) -> None:
    _it_config(tmp_path, monkeypatch, "sync_interval_min = 90\n")
    dialog = SettingsDialog(
        rep=RepSettings(sync_interval_min=90),
        location=None,
        is_demo=True,
        pinned=None,
        watch_mode="auto",
        it=load_it_config(),
    )
    qtbot.addWidget(dialog)
    assert not dialog.interval.isReadOnly() and dialog.locked_fields() == []
    assert not dialog.it_note.isVisibleTo(dialog)


def test_a_first_run_with_it_presets_syncs_the_company_hub(
    qtbot, make_window, small_hub, tmp_path, monkeypatch
) -> None:
    """Given IT preset the hub, the key and a 45-minute interval, when the app starts on an
    empty library, then it syncs the company hub (not the demo) and uses IT's interval."""
    _it_config(
        tmp_path,
        monkeypatch,
        f'hub = "{small_hub.hub}"\ntrusted_key = "{small_hub.pub}"\nsync_interval_min = 45\n',
    )
    window = make_window(tmp_path / "fresh", wait=False)
    assert window.rep.sync_interval_min == 45
    assert not window.demo_setup.running
    with qtbot.waitSignal(window.sync.finished, timeout=30_000):
        pass
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=10_000)
    with Library.open(tmp_path / "fresh") as lib:
        state = lib.hub_state()
        assert state.location == str(small_hub.hub) and not state.is_demo


# ------------------------------------------------------------------ diagnostics


def _log_lines(home: Path) -> None:
    logs = home / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    lines = [f"2026-05-0{n % 9 + 1} 10:00:00,000 INFO app.core.sync: fine {n}" for n in range(5)]
    lines += [f"2026-05-02 10:00:{n:02d},000 WARNING app.core.hub: slow hub {n}" for n in range(25)]
    lines.append("2026-05-03 11:00:00,000 ERROR app.core.hub: https://bob:hunter2@hub.example/x/")
    (logs / "satchel.log").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_diagnostics_report_what_support_needs_and_no_secrets(small_hub) -> None:
    """Given a library with a pinned key, a flag with a note and a hub URL with a password,
    then the report names versions, folders, key, sync and the last 20 warnings, and holds
    no note, no password and no private key."""
    home = small_hub.home
    _log_lines(home)
    with Library.open(home) as lib:
        item = lib.items()[0]
        Journal(lib).flag(item, "outdated", NOTE)
        Journal(lib).search("secret project zebra", 0)
        lib.configure_hub("https://bob:hunter2@hub.example/hub/?token=abc", None)
        text = diagnostics_text(home, toolkit=toolkit_version(), library=lib)
        fingerprint = lib.trusted_key().fingerprint
    assert f"Satchel:           {__version__}" in text
    assert "PySide6 6." in text and sys.version.split()[0] in text
    assert f"Library folder:    {home}" in text and str(home / "logs") in text
    assert f"Database schema:   {SCHEMA_VERSION} (this app: {SCHEMA_VERSION})" in text
    assert "Hub:               https://hub.example/hub/?…" in text
    assert f"Pinned key:        {fingerprint}" in text
    assert "Last sync:" in text and "never" not in text.split("Last sync:")[1].splitlines()[0]
    assert "Items:             2 current" in text
    assert "Pending events:    2 waiting for upload" in text
    tail = text.split("warnings and errors in the log:")[1].strip().splitlines()
    assert len(tail) == 20 and "https://hub.example/x/" in tail[-1]
    assert "slow hub 6" in tail[0] and "INFO" not in text
    for secret in (NOTE, "secret project zebra", "hunter2", "token=abc", "PRIVATE KEY"):
        assert secret not in text
    assert strip_credentials("see http://u:p@h/x?q=1 now") == "see http://h/x?… now"


def test_diagnostics_without_a_library_still_report(tmp_path) -> None:
    text = diagnostics_text(tmp_path / "nothing-here")
    assert f"Satchel:           {__version__}" in text
    assert "no library database yet" in text and "(none)" in text
    assert not (tmp_path / "nothing-here").exists()
    assert problem_lines(tmp_path) == []


def test_copy_diagnostics_puts_the_report_on_the_clipboard(qtbot, demo_window) -> None:
    with qtbot.waitSignal(demo_window.menus.diagnostics_copied, timeout=10_000) as blocker:
        demo_window.menus.diagnostics_action.trigger()
    assert f"Satchel:           {__version__}" in blocker.args[0]
    assert QGuiApplication.clipboard().text() == blocker.args[0]
    assert "Demo library:      yes" in blocker.args[0]


# ------------------------------------------------------------------ crash reports


class _Folders:
    def __init__(self) -> None:
        self.opened: list[Path] = []

    def __call__(self, path: Path) -> None:
        self.opened.append(path)


@pytest.fixture
def crash_handler(qtbot, small_hub):
    folders = _Folders()
    library = Library.open(small_hub.home)
    handler = CrashHandler(
        small_hub.home,
        toolkit=toolkit_version(),
        library=lambda: library,
        folder_opener=folders,
    )
    handler.folders = folders  # type: ignore[attr-defined]
    handler.install()
    yield handler
    handler.uninstall()
    if handler.dialog is not None:
        handler.dialog.close()
    library.close()


def _raise_in_slot() -> None:
    raise ValueError("boom in a slot")


@pytest.mark.expect_log("unexpected error|crash report written", logger="app.core.crash")
@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_writes_a_crash_report_and_says_so(
    qtbot, crash_handler, small_hub, caplog
) -> None:
    """Given the crash handler, when a slot raises something unexpected, then a crash report
    with the traceback and the diagnostics is written to logs/ and a dialog says where."""
    with Library.open(small_hub.home) as lib:
        Journal(lib).flag(lib.items()[0], "other", NOTE)
    with qtbot.waitSignal(crash_handler.dialog_shown, timeout=10_000) as blocker:
        QTimer.singleShot(0, _raise_in_slot)
    dialog = blocker.args[0]
    assert isinstance(dialog, CrashDialog) and dialog.isVisible()
    (report,) = (small_hub.home / "logs").glob("crash-*.txt")
    assert dialog.path == report
    assert report.name[len("crash-") :].replace("-", "").removesuffix(".txt").isdigit()
    text = report.read_text(encoding="utf-8")
    assert "ValueError: boom in a slot" in text and "_raise_in_slot" in text
    assert "Satchel diagnostics" in text and "Pinned key:" in text
    assert NOTE not in text
    assert "it did not expect" in dialog.message.text() and str(report) in dialog.message.text()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == text
    dialog.folder_button.click()
    assert crash_handler.folders.opened == [report.parent]
    dialog.close()
    logged = [r for r in caplog.records if r.name == "app.core.crash"]
    assert logged[0].exc_info is not None and logged[0].exc_info[0] is ValueError
    assert logged[-1].getMessage() == f"crash report written to {report}"


@pytest.mark.expect_log("unexpected error|crash report written", logger="app.core.crash")
@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_worker_thread_is_reported_too(qtbot, crash_handler, small_hub) -> None:
    def work() -> None:
        raise KeyError("lost in a thread")

    with qtbot.waitSignal(crash_handler.dialog_shown, timeout=10_000) as blocker:
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
    assert isinstance(blocker.args[0], CrashDialog)
    assert "KeyError: 'lost in a thread'" in blocker.args[0].report_text
    blocker.args[0].close()


@pytest.mark.qt_no_exception_capture
def test_a_problem_the_rep_can_fix_is_a_plain_message(qtbot, crash_handler, small_hub) -> None:
    def offline() -> None:
        raise HubUnreachableError("The hub folder is not reachable.")

    with qtbot.waitSignal(crash_handler.dialog_shown, timeout=10_000) as blocker:
        QTimer.singleShot(0, offline)
    box = blocker.args[0]
    assert isinstance(box, QMessageBox) and box.text() == "The hub folder is not reachable."
    box.close()
    assert not list((small_hub.home / "logs").glob("crash-*.txt"))


@pytest.mark.expect_log("unexpected error|crash report written", logger="app.core.crash")
def test_a_crash_report_is_written_without_qt(tmp_path) -> None:
    try:
        raise RuntimeError("core bug")
    except RuntimeError as exc:
        first = write_crash_report(tmp_path, type(exc), exc, exc.__traceback__)
        second = write_crash_report(tmp_path, type(exc), exc, exc.__traceback__)
    assert first != second and first.parent == second.parent == tmp_path / "logs"
    assert "RuntimeError: core bug" in first.read_text(encoding="utf-8")


# ------------------------------------------------------------------ About and licences


def test_about_lists_the_bundled_libraries_and_the_key(qtbot, demo_window) -> None:
    dialog = demo_window.menus.open_about()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, AboutDialog)
    names = dialog.library_names()
    assert "whoosh3" in names and "PySide6-Essentials" in names and "SQLAlchemy" in names
    licences = {r.name: r.licence for r in bundled_licences()}
    assert licences["whoosh3"] == "BSD-2-Clause"
    assert "LGPL" in licences["PySide6-Essentials"]
    assert "LGPLv3" in dialog.qt_notice.text() and "download.qt.io" in dialog.qt_notice.text()
    fingerprint = demo_window.library.trusted_key().fingerprint
    assert fingerprint in dialog.fingerprint.text()
    assert f"Satchel {__version__}" in dialog.title.text()
    dialog.close()


def test_licence_names_come_from_metadata() -> None:
    def meta(**fields: object) -> Message:
        m = Message()
        for key, value in fields.items():
            values = value if isinstance(value, list) else [value]
            for v in values:
                m[key.replace("_", "-")] = str(v)
        return m

    assert licence_of(meta(License_Expression="MIT", License="BSD")) == "MIT"
    assert licence_of(meta(License="Apache-2.0")) == "Apache-2.0"
    long_text = "License agreement for matplotlib\n" + "x" * 500
    classifier = "License :: OSI Approved :: Python Software Foundation License"
    assert licence_of(meta(License=long_text, Classifier=[classifier])) == (
        "Python Software Foundation License"
    )
    assert licence_of(meta(License=long_text)) == "License agreement for matplotlib"
    assert licence_of(meta()) == "not declared"


# ------------------------------------------------------------------ smoke mode


def test_smoke_mode_exits_when_the_window_is_ready(demo_home, tmp_path) -> None:
    """``SATCHEL_EXIT_WHEN_READY=1 python main.py --home H``: "window ready", exit code 0."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "SATCHEL_EXIT_WHEN_READY": "1",
        "SATCHEL_READY_TIMEOUT_S": "90",
    }
    run = subprocess.run(
        [sys.executable, str(REPO / "main.py"), "--home", str(demo_home)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["window ready"]
    assert not list((demo_home / "logs").glob("crash-*.txt"))
    logging.getLogger(__name__).info("smoke run stderr: %s", run.stderr[-500:])


# ------------------------------------------------------------------ background jobs


def stubborn_job(home: str, progress: object, cancel: object) -> None:
    """A child job that never looks at its cancel flag (a hub that never answers)."""
    threading.Event().wait()


def test_a_job_that_ignores_cancel_can_be_cut_off(tmp_path) -> None:
    from app.core.errors import CancelledError
    from app.gui.process_job import run_in_child

    cancel = threading.Event()
    cancel.set()
    with pytest.raises(CancelledError):
        run_in_child(
            stubborn_job, str(tmp_path), progress=print, cancel=cancel, terminate_after_s=0.2
        )
