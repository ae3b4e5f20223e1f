"""Crash consistency, property-based: a real `python main.py sync` is SIGKILLed at a crash
point and hit count drawn by hypothesis, over a hub update that adds, updates, renames and
withdraws items - from a folder hub or over HTTP, once or twice in a row.

After every kill: the library opens; it holds the old or the new catalog completely (items
compared with snapshots of both); every listed file and text blob matches its hash; the
search index agrees with the database (each item's own word finds exactly the visible items,
at the version the database holds); and the next sync fetches at most the bytes of objects
not yet complete - what a killed sync already fetched is never fetched again.

The same for the event journal and its upload: killed while packing, before, during or after
writing a batch, no event is lost or counted twice - in the inbox (unique event ids ==
recorded events) and in the marketing report, loaded again after every attempt.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.catalog import BlobRef, Catalog, load_verified_catalog
from app.core.errors import HashMismatchError
from app.core.hashing import file_sha256
from app.core.hub import FolderInbox, Hub, object_relpath, open_hub
from app.core.index_snapshot import decode_manifest
from app.core.library import Library
from app.core.models import Event, UploadBatch
from app.core.paths import LibraryPaths
from app.core.report import build_report, read_figures, update_report_database
from app.core.signing import load_public_key
from app.core.sync import SyncResult, sync_library
from app.core.timeutil import utcnow
from app.core.usage.batch import decode_batch
from app.core.usage.journal import pending_event_count
from app.core.usage.upload import upload_pending
from tests.helpers.collateral import make_docx, make_text
from tests.helpers.faulty_servers import serve_faulty
from tests.hostile.conftest import run_cli

TEXT_ITEMS = {"alpha", "bravo", "charlie", "delta", "foxtrot", "golf"}
NUMBERS = {1: "one", 2: "two"}
SYNC_POINTS = {  # crash point -> largest hit count drawn
    "sync.chunk": 14,
    "sync.object_fetched": 9,
    "sync.before_switch": 1,
    "sync.after_switch": 1,
    "sync.after_index": 1,
    "sync.gc": 9,
}
UPLOAD_POINTS = {  # one pack per sync (< 5,000 events); one batch per rep with events
    "upload.pack": 1,
    "upload.before_put": 4,
    "upload.put_tmp": 4,
    "upload.after_put": 4,
}


def _text(path: Path, item: str, version: int) -> None:
    make_text(path, f"{item}word {item}{NUMBERS[version]} shared collateral text")


@dataclass(frozen=True)
class SyncWorld:
    base: Path
    hub: Path  # serial 2; holds serial 1's objects too
    home_v1: Path  # a library synced to serial 1 (copied for every example)
    pub: Path
    snapshots: dict[str, list[tuple[Any, ...]]]  # "v1"/"v2" -> items
    catalog_v2: Catalog
    url: str


def _items(home: Path) -> list[tuple[Any, ...]]:
    with Library.open(home) as lib:
        return sorted(
            (i.id, i.status, i.version, i.sha256, i.filename, i.title)
            for i in lib.items(include_hidden=True)
        )


@pytest.fixture(scope="module")
def sync_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncWorld]:
    base = tmp_path_factory.mktemp("crash-sync")
    key, src, hub = base / "k" / "key", base / "src", base / "hub"
    run_cli("keygen", "--out", key, check=True)
    pub = key.with_name("key.pub")
    for item in ("alpha", "bravo", "delta"):
        _text(src / f"{item}.txt", item, 1)
    make_docx(src / "charlie.docx", ["charlieword charlieone shared collateral text"])
    _text(src / "foxtrot.txt", "foxtrot", 1)
    (src / "echo.bin").write_bytes(_random(2_200_000, 1))
    sidecar = src / "satchel.toml"
    sidecar.write_text(
        '["echo.bin"]\nid = "echo"\ntitle = "Echo echoword"\n["foxtrot.txt"]\nid = "foxtrot"\n',
        encoding="utf-8",
    )
    run_cli("publish", src, "--hub", hub, "--key", key, check=True)
    home_v1 = base / "home-v1"
    run_cli("sync", "--hub", hub, "--trust", pub, home=home_v1, check=True)

    _text(src / "bravo.txt", "bravo", 2)  # updated
    (src / "charlie.docx").unlink()  # withdrawn
    (src / "delta.txt").unlink()  # withdrawn
    (src / "echo.bin").write_bytes(_random(2_600_000, 2))  # updated, 3 chunks
    (src / "foxtrot.txt").rename(src / "foxtrot renamed.txt")  # same bytes, new name
    _text(src / "golf.txt", "golf", 1)  # new
    (src / "hotel.bin").write_bytes(_random(1_600_000, 3))  # new, 2 chunks
    sidecar.write_text(
        '["echo.bin"]\nid = "echo"\ntitle = "Echo echoword"\n'
        '["foxtrot renamed.txt"]\nid = "foxtrot"\n'
        '["hotel.bin"]\nid = "hotel"\ntitle = "Hotel hotelword"\n',
        encoding="utf-8",
    )
    run_cli("publish", src, "--hub", hub, "--key", key, "--allow-withdraw", check=True)
    home_v2 = base / "home-v2"
    shutil.copytree(home_v1, home_v2)
    run_cli("sync", home=home_v2, check=True)
    catalog_v2 = load_verified_catalog((hub / "catalog.json").read_bytes(), load_public_key(pub))
    snapshots = {"v1": _items(home_v1), "v2": _items(home_v2)}
    assert snapshots["v1"] != snapshots["v2"]
    with serve_faulty(hub) as server:
        yield SyncWorld(base, hub, home_v1, pub, snapshots, catalog_v2, server.url)


def _random(size: int, seed: int) -> bytes:
    import random

    return random.Random(seed).randbytes(size)


# ----------------------------------------------------------------------------- checks


def _search_ids(lib: Library, query: str) -> set[str]:
    return {h.id for h in lib.search(query, limit=50).hits}


def check_consistent(home: Path, world: SyncWorld) -> str:
    """The library opens and is exactly serial 1 or serial 2, files and index included."""
    items = _items(home)
    matches = [name for name, snap in world.snapshots.items() if snap == items]
    assert matches, f"a mix of catalogs: {items}"
    with Library.open(home) as lib:
        assert lib.hub_state().serial == int(matches[0][1])
        visible = {i.id: i for i in lib.items()}
        for item in visible.values():
            assert file_sha256(lib.file_path(item)) == item.sha256, item.id
            if item.text_sha256:
                assert file_sha256(lib.paths.blob_path(item.text_sha256)) == item.text_sha256
        everyone = {i[0] for snap in world.snapshots.values() for i in snap}
        for item_id in everyone:
            expected = {item_id} if item_id in visible else set()
            assert _search_ids(lib, f"{item_id}word") == expected, item_id
            if item_id in TEXT_ITEMS and item_id in visible:
                version = visible[item_id].version
                for n, word in NUMBERS.items():
                    found = _search_ids(lib, f"{item_id}{word}")
                    assert found == ({item_id} if n == version else set()), (item_id, n)
    return matches[0]


def outstanding_bytes(home: Path, catalog: Catalog, hub: Path) -> int:
    """Bytes of the catalog's objects the library does not have yet (partials count), the
    shipped search index's manifest and segment files included."""
    paths = LibraryPaths(home)
    total = 0
    index: list[tuple[BlobRef, Path]] = []
    if catalog.index is not None:
        ref = catalog.index
        manifest = decode_manifest((hub / object_relpath(ref.sha256)).read_bytes())
        index = [(ref, paths.blob_path(ref.sha256))]
        index += [(r, paths.blob_path(r.sha256)) for r in set(manifest.files())]
    for n, item in enumerate(catalog.current()):
        wanted = [(item.content, paths.content_dir(item.sha256) / item.filename)]
        wanted += [(r, paths.blob_path(r.sha256)) for r in (item.text, item.thumbnail) if r]
        if n == 0:
            wanted += index
        for ref, dest in wanted:
            if dest.is_file() and dest.stat().st_size == ref.size:
                continue
            part = paths.part_path(ref.sha256)
            have = part.stat().st_size if part.exists() else 0
            total += ref.size - (have if have <= ref.size else 0)
    return total


@dataclass
class CountingHub:
    """A hub that counts the bytes it hands over (independently of SyncResult)."""

    inner: Hub
    fetched: int = 0
    location: str = field(init=False)

    def __post_init__(self) -> None:
        self.location = self.inner.location

    def read_catalog(self, cancel: Any = None) -> bytes:
        return self.inner.read_catalog(cancel)

    def fetch_object(self, sha256: str, size: int, part: Path, progress: Any, cancel: Any) -> None:
        def count(n: int) -> None:
            self.fetched += n
            progress(n)

        self.inner.fetch_object(sha256, size, part, count, cancel)


def finish_and_check(
    home: Path, world: SyncWorld, foreign: set[Path] | None = None
) -> SyncResult:
    bound = outstanding_bytes(home, world.catalog_v2, world.hub)
    with Library.open(home) as lib:
        where, key = lib.require_hub()
        hub = CountingHub(open_hub(where, timeout_s=5))
        result = sync_library(lib, hub, key)
    assert hub.fetched <= bound, (hub.fetched, bound)
    assert result.bytes_fetched == hub.fetched
    assert check_consistent(home, world) == "v2"
    paths = LibraryPaths(home)
    foreign = foreign or set()
    assert [p for p in paths.tmp_dir.iterdir() if p.is_file()] == []
    with Library.open(home) as lib:
        wanted = {lib.file_path(i) for i in lib.items()}
    found = {p for p in paths.files_dir.rglob("*") if p.is_file() or p.is_symlink()}
    assert found - foreign == wanted
    return result


# ----------------------------------------------------------------------------- sync


def _point(points: dict[str, int]) -> st.SearchStrategy[tuple[str, int]]:
    return st.sampled_from(sorted(points)).flatmap(
        lambda name: st.tuples(st.just(name), st.integers(1, points[name]))
    )


def test_sync_killed_anywhere_leaves_old_or_new_and_resumes(sync_world: SyncWorld) -> None:
    killed: set[tuple[str, int]] = set()

    @settings(max_examples=28, deadline=None, derandomize=True, database=None)
    @given(
        via_http=st.booleans(),
        crashes=st.lists(_point(SYNC_POINTS), min_size=1, max_size=2),
    )
    def killed_sync(via_http: bool, crashes: list[tuple[str, int]]) -> None:
        home = Path(tempfile.mkdtemp(dir=sync_world.base)) / "home"
        shutil.copytree(sync_world.home_v1, home)
        try:
            hub_arg = ["--hub", sync_world.url] if via_http else []
            for name, nth in crashes:
                env = {"SATCHEL_CRASHPOINT": f"{name}:{nth}"}
                run = run_cli("sync", *hub_arg, home=home, env=env)
                assert run.returncode in (0, -9), run.stderr
                if run.returncode == -9:
                    killed.add((name, nth))
                check_consistent(home, sync_world)
            finish_and_check(home, sync_world)
        finally:
            shutil.rmtree(home.parent)

    killed_sync()
    print(f"\n[crash] sync killed at {len(killed)} distinct points: {sorted(killed)}")
    assert len(killed) >= 10, sorted(killed)


def test_files_dropped_into_the_library_never_count(sync_world: SyncWorld, tmp_path: Path) -> None:
    """A stray file, a changed file, a link and a folder where files belong: none is ever
    handed out as approved; the next sync replaces the changed file and leaves everything
    it did not write where it is (links untouched, never followed)."""
    home = tmp_path / "home"
    shutil.copytree(sync_world.home_v1, home)
    paths = LibraryPaths(home)
    with Library.open(home) as lib:
        alpha, bravo = lib.item("alpha"), lib.item("bravo")
        bravo_path = lib.file_path(bravo)
        bravo_path.write_bytes(bravo_path.read_bytes().replace(b"bravoword", b"BRAVOWORD"))
        with pytest.raises(HashMismatchError, match="changed outside Satchel"):
            lib.verified_path(bravo)  # same size, other bytes: refused and removed
        assert not bravo_path.exists()
        stray_dir = lib.file_path(alpha).parent
    (stray_dir / "stray.pdf").write_bytes(b"%PDF- not approved")
    (paths.files_dir / "zz").mkdir()
    (paths.files_dir / "zz" / "loose.txt").write_text("not approved")
    (paths.files_dir / "loose-top.txt").write_text("not approved")
    (paths.blobs_dir / "ab").mkdir(exist_ok=True)
    (paths.blobs_dir / "ab" / "folder-not-blob").mkdir()
    (paths.tmp_dir / "junk-dir").mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("must survive")
    (paths.files_dir / "link-out").symlink_to(outside)
    with Library.open(home) as lib:
        assert {i.id for i in lib.items()} == {
            i[0] for i in sync_world.snapshots["v1"] if i[1] == "current"
        }
    dropped = {
        stray_dir / "stray.pdf": b"%PDF- not approved",
        paths.files_dir / "zz" / "loose.txt": b"not approved",
        paths.files_dir / "loose-top.txt": b"not approved",
    }
    finish_and_check(home, sync_world, foreign=set(dropped) | {paths.files_dir / "link-out"})
    assert outside.read_text() == "must survive"
    assert (paths.files_dir / "link-out").is_symlink()
    assert all(path.read_bytes() == data for path, data in dropped.items())
    assert (paths.blobs_dir / "ab" / "folder-not-blob").is_dir()
    assert (paths.tmp_dir / "junk-dir").is_dir()


# ----------------------------------------------------------------------------- journal


@dataclass(frozen=True)
class JournalWorld:
    base: Path
    hub: Path
    home: Path
    items: list[tuple[str, int, str]]  # id, version, sha256


@pytest.fixture(scope="module")
def journal_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JournalWorld]:
    base = tmp_path_factory.mktemp("crash-journal")
    key, src, hub, home = base / "k" / "key", base / "src", base / "hub", base / "home"
    run_cli("keygen", "--out", key, check=True)
    for item in ("alpha", "bravo", "charlie"):
        _text(src / f"{item}.txt", item, 1)
    run_cli("publish", src, "--hub", hub, "--key", key, check=True)
    run_cli("sync", "--hub", hub, "--trust", key.with_name("key.pub"), home=home, check=True)
    with Library.open(home) as lib:
        items = [(i.id, i.version, i.sha256) for i in lib.items()]
    yield JournalWorld(base, hub, home, items)


KINDS = ("open", "preview", "send", "search", "flag", "request")
REPS = ("ann@example.com", "bob@example.com", "cy@example.com", "di@example.com")


def record_events(home: Path, items: list[tuple[str, int, str]], count: int, salt: int) -> None:
    """``count`` events of every kind, from four reps (so one upload makes several batches)."""
    now = utcnow()
    rows = []
    for n in range(count):
        kind = KINDS[(n + salt) % len(KINDS)]
        item_id, version, sha = items[n % len(items)]
        on_item = kind in ("open", "preview", "send", "flag")
        data: dict[str, Any] = {
            "open": {"search_id": None, "rank": None},
            "preview": {"location": 1},
            "send": {"send_id": str(uuid.uuid4()), "recipients": ["x@b.example"], "account": None},
            "search": {"query": f"query {n % 4}", "results": n % 2},
            "flag": {"reason": "outdated", "note": f"note {n}"},
            "request": {"text": f"need thing {n}", "account": None, "needed_by": None},
        }[kind]
        rows.append(
            Event(
                id=str(uuid.uuid4()),
                kind=kind,
                time=now - timedelta(seconds=count - n),
                rep=REPS[(n + salt) % len(REPS)],
                item_id=item_id if on_item else None,
                version=version if on_item else None,
                sha256=sha if on_item else None,
                data=data,
            )
        )
    with Library.open(home) as lib, lib.sessions.begin() as s:
        s.add_all(rows)


def inbox_event_ids(hub: Path) -> list[str]:
    ids: list[str] = []
    for f in sorted((hub / "inbox").rglob("*.json")):
        if not f.name.startswith("."):
            ids += [e.id for e in decode_batch(f.read_bytes()).events]
    return ids


def recorded(home: Path) -> dict[str, str]:
    with Library.open(home) as lib, lib.sessions() as s:
        return {e.id: e.kind for e in s.query(Event).all()}


def check_report(hub: Path, db_url: str, events: dict[str, str]) -> None:
    """The report database, loaded again, counts every uploaded event exactly once."""
    update_report_database(str(hub), db_url)
    figures = read_figures(db_url)
    uploaded = set(inbox_event_ids(hub))
    kinds = [events[i] for i in uploaded]
    assert figures.headline.events == len(uploaded)
    assert sum(i.opens for i in figures.items) == kinds.count("open")
    assert sum(i.sends for i in figures.items) == kinds.count("send")
    assert sum(s.searches for s in figures.searches) == kinds.count("search")
    assert len(figures.flags) == kinds.count("flag")
    assert len(figures.requests) == kinds.count("request")


def test_upload_killed_anywhere_loses_and_doubles_nothing(journal_world: JournalWorld) -> None:
    killed: set[tuple[str, int]] = set()

    @settings(max_examples=18, deadline=None, derandomize=True, database=None)
    @given(
        rounds=st.lists(
            st.tuples(st.integers(4, 24), _point(UPLOAD_POINTS), st.booleans()),
            min_size=1,
            max_size=2,
        )
    )
    def killed_upload(rounds: list[tuple[int, tuple[str, int], bool]]) -> None:
        work = Path(tempfile.mkdtemp(dir=journal_world.base))
        try:
            run_upload_rounds(journal_world, work, rounds, killed)
        finally:
            shutil.rmtree(work)

    killed_upload()
    print(f"\n[crash] upload killed at {len(killed)} distinct points: {sorted(killed)}")
    assert len(killed) >= 6, sorted(killed)


def run_upload_rounds(
    world: JournalWorld,
    work: Path,
    rounds: list[tuple[int, tuple[str, int], bool]],
    killed: set[tuple[str, int]],
) -> None:
    hub, home = work / "hub", work / "home"
    shutil.copytree(world.hub, hub)
    shutil.copytree(world.home, home)
    with Library.open(home) as lib:
        lib.configure_hub(str(hub), None)
    db_url = f"sqlite:///{work / 'report.db'}"
    for salt, (count, crash, report_now) in enumerate(rounds):
        record_events(home, world.items, count, salt)
        run = run_cli("sync", home=home, env={"SATCHEL_CRASHPOINT": f"{crash[0]}:{crash[1]}"})
        assert run.returncode in (0, -9), run.stderr
        if run.returncode == -9:
            killed.add(crash)
        ids = inbox_event_ids(hub)
        assert len(ids) == len(set(ids))  # never two copies of an event in the inbox
        assert set(ids) <= set(recorded(home))
        if report_now:
            check_report(hub, db_url, recorded(home))
    with Library.open(home) as lib:
        upload_pending(lib, FolderInbox(hub))
        assert pending_event_count(lib) == 0
        with lib.sessions() as s:
            assert all(b.uploaded_at for b in s.query(UploadBatch).all())
    events = recorded(home)
    ids = inbox_event_ids(hub)
    assert len(ids) == len(set(ids)) == len(events)
    assert set(ids) == set(events)
    assert not list((hub / "inbox").rglob(".*.tmp"))  # no stale temporary files
    check_report(hub, db_url, events)


def test_report_after_killed_uploads_counts_each_event_once(
    journal_world: JournalWorld, tmp_path: Path
) -> None:
    """The full marketing report (CSV files included) after a kill at every upload point."""
    hub, home = tmp_path / "hub", tmp_path / "home"
    shutil.copytree(journal_world.hub, hub)
    shutil.copytree(journal_world.home, home)
    with Library.open(home) as lib:
        lib.configure_hub(str(hub), None)
    for salt, point in enumerate(sorted(UPLOAD_POINTS)):
        record_events(home, journal_world.items, 12, salt)
        killed = run_cli("sync", home=home, env={"SATCHEL_CRASHPOINT": f"{point}:1"})
        assert killed.returncode == -9, (point, killed.stderr)
        if salt == 1:  # a report from a half-uploaded inbox, loaded again at the end
            build_report(str(hub), tmp_path / "report")
    assert run_cli("sync", home=home).returncode == 0
    summary = build_report(str(hub), tmp_path / "report")
    events = recorded(home)
    assert len(events) == 12 * len(UPLOAD_POINTS)
    figures = read_figures(f"sqlite:///{tmp_path / 'report' / 'report.db'}")
    assert figures.headline.events == len(events)
    flags_csv = (tmp_path / "report" / "flags.csv").read_text(encoding="utf-8").splitlines()
    assert len(flags_csv) - 1 == list(events.values()).count("flag")
    assert summary


# ----------------------------------------------------------------------------- shipped index


def _letters(n: int) -> str:
    out = ""
    while True:
        n, r = divmod(n, 26)
        out += "abcdefghijklmnopqrstuvwxyz"[r]
        if n == 0:
            return out
