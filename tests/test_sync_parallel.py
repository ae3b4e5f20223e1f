"""Objects fetched by several threads at once keep every promise of the one-at-a-time sync:
progress only grows and is reported from the caller's thread; a cancel leaves the library
unchanged and the next sync fetches no byte twice; a wrong object among many fails the sync
with HashMismatchError before the switch; a full disk in one thread is the DiskFullError
raised (the first error wins) and no partial download is left behind; content wanted under
two names is fetched once."""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import io
import random
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import app.core.hub.parts as parts_module
import app.core.sync.downloads as downloads_module
from app.core.catalog import load_verified_catalog
from app.core.errors import CancelledError, HashMismatchError, HubError
from app.core.hub import CHUNK, DiskFullError, FolderHub, Hub, object_relpath
from app.core.library import Library
from app.core.paths import LibraryPaths
from app.core.signing import PublicKey, generate_key, load_public_key, write_key_pair
from app.core.sync import SyncProgress, SyncResult, sync_library
from tests.helpers.collateral import make_text
from tests.helpers.hubs import publish_folder, snapshot

BIG = 3 * CHUNK + 4321  # four chunks
BIG_FILES = 4
DUPLICATE = "Same words under two names, fetched once.\n" * 50


@dataclass(frozen=True)
class World:
    hub: Path
    pub: Path
    objects: dict[str, int]  # every object the catalog needs (files, blobs, index): size
    manifest: int  # size of the shipped index's manifest (fetched before the downloads)
    bigs: list[str]  # the big files' objects, smallest first

    @property
    def total(self) -> int:
        return sum(self.objects.values())

    def copy_hub(self, to: Path) -> Path:
        shutil.copytree(self.hub, to)
        return to


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    base = tmp_path_factory.mktemp("parallel")
    key = base / "keys" / "marketing.key"
    pub = write_key_pair(generate_key(), key)
    src, hub = base / "src", base / "hub"
    for n in range(24):
        make_text(src / f"note-{n:02}.txt", f"note{n} word{n} " * (n * 40 + 1))
    for n in range(BIG_FILES):
        (src / f"video-{n}.bin").write_bytes(random.Random(n).randbytes(BIG + n))
    make_text(src / "copy-a.txt", DUPLICATE)
    make_text(src / "copy-b.txt", DUPLICATE)
    publish_folder(src, hub, key)
    catalog = load_verified_catalog((hub / "catalog.json").read_bytes(), load_public_key(pub))
    objects: dict[str, int] = {}
    manifest_size = 0
    for item in catalog.current():
        for ref in (item.content, item.text, item.thumbnail):
            if ref is not None:
                objects[ref.sha256] = ref.size
    if catalog.index is not None:  # the shipped index: its manifest and its files
        from app.core.index_snapshot import decode_manifest

        objects[catalog.index.sha256] = manifest_size = catalog.index.size
        manifest = decode_manifest((hub / object_relpath(catalog.index.sha256)).read_bytes())
        objects.update({r.sha256: r.size for r in manifest.files()})
    bigs = sorted((i.size, i.sha256) for i in catalog.current() if i.size >= BIG)
    assert len(bigs) == BIG_FILES
    return World(hub, pub, objects, manifest_size, [sha for _size, sha in bigs])


@dataclass
class WatchedHub:
    """A folder hub that counts what it hands over, per object and per thread."""

    inner: FolderHub
    fetch_threads: int = 4
    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: dict[str, int] = field(default_factory=dict)
    threads: set[int] = field(default_factory=set)
    active: int = 0
    most_active: int = 0
    gate: threading.Barrier | None = None  # the first fetches wait here for each other
    location: str = field(init=False)

    def __post_init__(self) -> None:
        self.location = self.inner.location

    def read_catalog(self, cancel: Any = None) -> bytes:
        return self.inner.read_catalog(cancel)

    def arm(self) -> None:
        """From now on (the download stage), the first two fetches must overlap."""
        self.gate = threading.Barrier(2)
        self.threads.clear()

    def fetch_object(self, sha256: str, size: int, part: Path, progress: Any, cancel: Any) -> None:
        with self.lock:
            self.threads.add(threading.get_ident())
            self.active += 1
            self.most_active = max(self.most_active, self.active)
            gate, self.gate = self.gate, (self.gate if self.active < 2 else None)
        try:
            if gate is not None:
                gate.wait(timeout=30)  # breaks (fails the test) unless two fetches overlap

            def count(n: int) -> None:
                with self.lock:
                    self.sent[sha256] = self.sent.get(sha256, 0) + n
                progress(n)

            self.inner.fetch_object(sha256, size, part, count, cancel)
        finally:
            with self.lock:
                self.active -= 1


def _sync(home: Path, hub: Hub, pub: Path, **kwargs: Any) -> SyncResult:
    key: PublicKey = load_public_key(pub)
    with Library.open(home) as lib:
        lib.configure_hub(str(hub.location), key)
        return sync_library(lib, hub, key, **kwargs)


def _index_file_count(world: World) -> int:
    """How many shipped index segment files the world's catalog lists."""
    from app.core.catalog import parse_catalog, verify_envelope
    from app.core.index_snapshot import decode_manifest
    from app.core.signing import load_public_key

    envelope = (world.hub / "catalog.json").read_bytes()
    catalog = parse_catalog(verify_envelope(envelope, load_public_key(world.pub)))
    assert catalog.index is not None
    data = (world.hub / object_relpath(catalog.index.sha256)).read_bytes()
    return len(decode_manifest(data).files())


def _parts(home: Path) -> list[Path]:
    return sorted(LibraryPaths(home).tmp_dir.glob("*.part"))


def _serial(home: Path) -> int:
    with Library.open(home) as lib:
        return lib.hub_state().serial


def test_objects_are_fetched_at_once_and_progress_is_reported_one_at_a_time(
    world: World, tmp_path: Path
) -> None:
    hub = WatchedHub(FolderHub(world.hub))
    seen: list[tuple[int, SyncProgress]] = []
    inside = threading.Lock()
    index_files = _index_file_count(world)  # fetched first, on their own
    armed = threading.Event()

    def progress(p: SyncProgress) -> None:
        assert inside.acquire(blocking=False), "two progress reports at once"
        try:
            if p.stage == "download" and p.files_done >= index_files and not armed.is_set():
                armed.set()
                hub.arm()
            seen.append((threading.get_ident(), dataclasses.replace(p)))
        finally:
            inside.release()

    result = _sync(tmp_path / "home", hub, world.pub, progress=progress)

    assert hub.most_active >= 2 and len(hub.threads) >= 2
    download = [p for _i, p in seen if p.stage == "download"]
    assert [p.files_done for p in download] == sorted(p.files_done for p in download)
    assert [p.bytes_done for p in download] == sorted(p.bytes_done for p in download)
    last = download[-1]
    # every object but the index's manifest (fetched before), and the copy's second name
    assert last.files_done == last.files_total == len(world.objects) - 1 + 1
    assert hub.sent == world.objects  # every object once, whole
    assert result.bytes_fetched == world.total == last.bytes_done + world.manifest
    assert last.bytes_total == last.bytes_done + len(DUPLICATE)  # the second copy is local
    assert result.files_fetched == len(world.objects)
    assert result.bytes_resumed == 0
    with Library.open(tmp_path / "home") as lib:
        items = lib.items()
        for item in items:
            assert hashlib.sha256(lib.verified_path(item).read_bytes()).hexdigest() == item.sha256
        copies = [lib.file_path(i) for i in items if i.filename.startswith("copy-")]
    assert [p.read_text(encoding="utf-8") for p in copies] == [DUPLICATE, DUPLICATE]
    assert _parts(tmp_path / "home") == []


def test_cancel_while_fetching_at_once_changes_nothing_and_nothing_comes_twice(
    world: World, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    hub = WatchedHub(FolderHub(world.hub))
    seen = {"bytes": 0}

    def progress(p: SyncProgress) -> None:
        if p.stage == "download":
            seen["bytes"] = p.bytes_done

    with pytest.raises(CancelledError):
        _sync(home, hub, world.pub, progress=progress, cancel=lambda: seen["bytes"] > BIG)
    assert snapshot(home) == {} and _serial(home) == 0
    first = dict(hub.sent)
    assert seen["bytes"] + world.manifest == sum(first.values())  # all arrived was reported
    assert 0 < seen["bytes"] < world.total
    assert hub.most_active >= 2

    again = WatchedHub(FolderHub(world.hub))
    result = _sync(home, again, world.pub)
    assert len(snapshot(home)) == 30 and _serial(home) == 1
    for sha, size in world.objects.items():  # no byte came twice, none is missing
        assert first.get(sha, 0) + again.sent.get(sha, 0) == size, sha
    assert result.bytes_fetched == world.total - world.manifest - seen["bytes"]
    assert result.bytes_resumed > 0
    assert _parts(home) == []


def test_one_wrong_object_among_many_fails_before_the_switch(world: World, tmp_path: Path) -> None:
    hub_dir = world.copy_hub(tmp_path / "hub")
    wrong_sha = world.bigs[1]  # fetched while others are in flight
    wrong = hub_dir / object_relpath(wrong_sha)
    data = wrong.read_bytes()
    wrong.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # same size, other bytes
    home = tmp_path / "home"
    hub = WatchedHub(FolderHub(hub_dir))

    with pytest.raises(HashMismatchError, match=wrong_sha[:12]):
        _sync(home, hub, world.pub)
    assert snapshot(home) == {} and _serial(home) == 0
    assert not LibraryPaths(home).part_path(wrong_sha).exists()

    wrong.write_bytes(data)  # the hub is repaired: the next sync completes
    result = _sync(home, WatchedHub(FolderHub(hub_dir)), world.pub)
    assert len(snapshot(home)) == 30 and result.serial == 1


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Writing into the part of ``state["sha"]`` fails with ENOSPC after its first chunk;
    ``state["hit"]`` is set when it did."""
    state: dict[str, Any] = {"sha": None, "hit": threading.Event()}
    names: dict[int, str] = {}
    real_open, real_write = parts_module.open_part, parts_module.write_chunk

    def open_part(part: Path, offset: int) -> io.FileIO:
        fout = real_open(part, offset)
        names[fout.fileno()] = part.name
        return fout

    def write(fout: io.FileIO, data: bytes | bytearray | memoryview) -> bool:
        if names.get(fout.fileno()) == f"{state['sha']}.part" and fout.tell() >= CHUNK:
            state["hit"].set()
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fout, data)

    monkeypatch.setattr(parts_module, "open_part", open_part)
    monkeypatch.setattr(parts_module, "write_chunk", write)
    yield state


def test_full_disk_in_one_thread_is_the_error_and_leaves_no_partials(
    world: World, tmp_path: Path, full_disk: dict[str, Any]
) -> None:
    full_disk["sha"] = world.bigs[-1]  # fetched last, with others in flight
    home = tmp_path / "home"
    hub = WatchedHub(FolderHub(world.hub))

    with pytest.raises(DiskFullError, match="full"):
        _sync(home, hub, world.pub)
    assert full_disk["hit"].is_set()
    assert snapshot(home) == {} and _serial(home) == 0
    assert _parts(home) == []  # the one that hit the wall, and those stopped half-way

    full_disk["sha"] = None  # space was freed
    result = _sync(home, WatchedHub(FolderHub(world.hub)), world.pub)
    assert len(snapshot(home)) == 30 and result.serial == 1


@dataclass
class LateFailingHub(WatchedHub):
    """Fails one object with a hub error, but only once the sync has recorded an error
    from another thread (``first``)."""

    late_sha: str = ""
    first: threading.Event = field(default_factory=threading.Event)

    def fetch_object(self, sha256: str, size: int, part: Path, progress: Any, cancel: Any) -> None:
        if sha256 == self.late_sha:
            assert self.first.wait(timeout=30)
            raise HubError("a second failure, after the first")
        super().fetch_object(sha256, size, part, progress, cancel)


def test_the_first_error_wins_over_later_ones(
    world: World, tmp_path: Path, full_disk: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    full_disk["sha"] = world.bigs[-1]
    hub = LateFailingHub(FolderHub(world.hub), late_sha=world.bigs[0])  # taken up first
    errors: list[BaseException] = []
    record = downloads_module.Downloads._fail

    def fail(downloads: Any, exc: BaseException, **kwargs: Any) -> None:
        record(downloads, exc, **kwargs)
        errors.append(exc)
        hub.first.set()

    monkeypatch.setattr(downloads_module.Downloads, "_fail", fail)
    home = tmp_path / "home"

    with pytest.raises(DiskFullError):
        _sync(home, hub, world.pub)
    assert full_disk["hit"].is_set()
    kinds = [type(e) for e in errors]  # both were seen (and fetches they stopped); first won
    assert kinds[:2] == [DiskFullError, HubError] and set(kinds[2:]) <= {CancelledError}
    assert snapshot(home) == {} and _parts(home) == []


def test_one_thread_for_a_hub_that_does_not_say_it_takes_more(world: World, tmp_path: Path) -> None:
    hub = WatchedHub(FolderHub(world.hub))
    result = _sync(tmp_path / "home", _Plain(hub), world.pub)
    assert hub.most_active == 1 and hub.threads == {threading.get_ident()}
    assert result.bytes_fetched == world.total


@dataclass
class _Plain:
    """A hub with nothing but the protocol's two methods (no ``fetch_threads``)."""

    inner: WatchedHub
    location: str = field(init=False)

    def __post_init__(self) -> None:
        self.location = self.inner.location

    def read_catalog(self, cancel: Any = None) -> bytes:
        return self.inner.read_catalog(cancel)

    def fetch_object(self, sha256: str, size: int, part: Path, progress: Any, cancel: Any) -> None:
        self.inner.fetch_object(sha256, size, part, progress, cancel)
