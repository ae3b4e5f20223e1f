"""app.core.hub.watch: a settled, new catalog.json calls back once; junk never does."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from app.core.hub.watch import HubWatcher, is_junk, is_network_path

SETTLE_S = 0.3


class Calls:
    def __init__(self) -> None:
        self.count = 0
        self.event = threading.Event()

    def __call__(self) -> None:
        self.count += 1
        self.event.set()

    def wait(self, timeout: float) -> bool:
        fired = self.event.wait(timeout)
        self.event.clear()
        return fired


def _publish(hub: Path, body: bytes) -> None:
    """What publish does: write a temporary file, then replace catalog.json atomically."""
    tmp = hub / ".catalog.json.tmp"
    tmp.write_bytes(body)
    tmp.replace(hub / "catalog.json")


@pytest.fixture
def hub(tmp_path: Path) -> Path:
    folder = tmp_path / "hub"
    folder.mkdir()
    (folder / "catalog.json").write_bytes(b'{"serial": 1}')
    return folder


@pytest.mark.parametrize("polling", [False, True], ids=["native", "polling"])
def test_a_new_catalog_calls_back_once(hub: Path, polling: bool) -> None:
    calls = Calls()
    watcher = HubWatcher(hub, calls, settle_s=SETTLE_S, polling=polling, poll_interval_s=0.1)
    assert watcher.start()
    try:
        assert watcher.uses_polling is polling
        assert not calls.wait(SETTLE_S * 3)  # the catalog found at start is not news
        _publish(hub, b'{"serial": 2}')
        assert calls.wait(10)
        assert not calls.wait(SETTLE_S * 3)
        assert calls.count == 1
    finally:
        watcher.stop()


def test_junk_and_other_files_do_not_call_back(hub: Path) -> None:
    calls = Calls()
    watcher = HubWatcher(hub, calls, settle_s=SETTLE_S, polling=False)
    assert watcher.start()
    try:
        for name in (".DS_Store", "Thumbs.db", "~$deck.pptx", "notes.txt", "catalog.json.tmp"):
            (hub / name).write_bytes(b"x")
        (hub / "@eaDir").mkdir()
        (hub / "@eaDir" / "catalog.json").write_bytes(b"x")
        assert not calls.wait(SETTLE_S * 4)
    finally:
        watcher.stop()


def test_a_catalog_written_slowly_calls_back_once_settled(hub: Path) -> None:
    """A sync client writing catalog.json in place, in pieces, is reported once, after it
    stopped changing, not at the first piece."""
    calls = Calls()
    watcher = HubWatcher(hub, calls, settle_s=SETTLE_S, polling=False)
    assert watcher.start()
    try:
        with (hub / "catalog.json").open("wb") as fh:
            for piece in range(4):
                fh.write(b"x" * 1000)
                fh.flush()
                assert not calls.wait(SETTLE_S / 3), f"reported after piece {piece}"
        assert calls.wait(10)
        assert calls.count == 1
    finally:
        watcher.stop()


def test_an_unreachable_folder_is_not_watched(tmp_path: Path) -> None:
    watcher = HubWatcher(tmp_path / "gone", Calls())
    assert not watcher.start()
    watcher.stop()


def test_is_junk() -> None:
    for junk in (
        ".DS_Store",
        "Thumbs.db",
        "desktop.ini",
        "~$Deck.pptx",
        "@eaDir/x.png",
        "a/.~lock.file.docx#",
        "report.docx.tmp",
        "x.crdownload",
        "._catalog.json",
    ):
        assert is_junk(junk), junk
    for fine in ("catalog.json", "objects/ab/abcdef", "Deck.pptx"):
        assert not is_junk(fine), fine


def test_network_heuristic_reads_the_mount_table(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/sda1 / ext4 rw 0 0\n"
        "server:/export /mnt/hub nfs4 rw 0 0\n"
        "//nas/share /media/nas\\040share cifs rw 0 0\n",
        encoding="utf-8",
    )
    import sys

    if sys.platform.startswith(("win", "darwin")):
        pytest.skip("the mount table is read on Linux only")
    assert is_network_path(Path("/mnt/hub/satchel"), mounts_file=mounts)
    assert is_network_path(Path("/media/nas share/hub"), mounts_file=mounts)
    assert not is_network_path(Path("/home/rep/hub"), mounts_file=mounts)
