"""What the faster sync must still guarantee: downloads hashed while written are refused when
wrong (fresh or resumed, folder or HTTP hub); fetched files are flushed before the switch; a
no-op sync stops early without looking at files, yet a file damaged by hand is restored; the
switch writes the same rows as before; a link in the library never leads a write outside."""

from __future__ import annotations

import hashlib
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import app.core.hub.durability as durability_module
import app.core.sync.cleanup as cleanup_module
import app.core.sync.verify as verify_module
from app.core.errors import HashMismatchError, SatchelError
from app.core.hub import CHUNK, FolderHub, HttpHub, Hub, make_durable, object_relpath
from app.core.library import SYNC_COMPLETE_KEY, Library
from app.core.models import ItemVersion
from app.core.paths import LibraryPaths, OutsideLibraryError
from app.core.sync.run_state import SyncRun
from tests.helpers.collateral import make_text
from tests.helpers.faulty_servers import Fault, FaultyHub, serve_faulty
from tests.helpers.hubs import publish_folder, sync_home

# ----------------------------------------------------------------------------- objects

OBJ = random.Random(7).randbytes(2 * CHUNK + 12345)  # three chunks
OBJ_SHA = hashlib.sha256(OBJ).hexdigest()


@pytest.fixture(scope="module")
def object_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, FaultyHub]]:
    """A hub folder holding OBJ under its own name, and one whose bytes lie about theirs
    (same size), also served over HTTP."""
    root = tmp_path_factory.mktemp("objects-hub")
    good = root / object_relpath(OBJ_SHA)
    good.parent.mkdir(parents=True)
    good.write_bytes(OBJ)
    liar = root / object_relpath(LIAR_SHA)
    liar.parent.mkdir(parents=True, exist_ok=True)
    liar.write_bytes(OBJ[:-1] + b"\x00")  # one byte off, same size
    longer = root / object_relpath(LONG_SHA)
    longer.parent.mkdir(parents=True, exist_ok=True)
    longer.write_bytes(OBJ + b"tail")  # the right bytes, then more
    with serve_faulty(root) as server:
        yield root, server


LIAR_SHA = hashlib.sha256(b"the name the liar claims").hexdigest()
LONG_SHA = OBJ_SHA[:-4] + "beef" if not OBJ_SHA.endswith("beef") else OBJ_SHA[:-4] + "feed"


def _hub(kind: str, object_hub: tuple[Path, FaultyHub]) -> Hub:
    root, server = object_hub
    server.fault = Fault()
    return FolderHub(root) if kind == "folder" else HttpHub(server.url, timeout_s=5)


def _fetch(hub: Hub, sha: str, part: Path, size: int = len(OBJ)) -> int:
    got: list[int] = []
    hub.fetch_object(sha, size, part, got.append, lambda: False)
    return sum(got)


KINDS = ("folder", "http")


@pytest.mark.parametrize("kind", KINDS)
def test_fetched_object_is_hashed_while_written(
    kind: str, object_hub: tuple[Path, FaultyHub], tmp_path: Path
) -> None:
    part = tmp_path / "obj.part"
    assert _fetch(_hub(kind, object_hub), OBJ_SHA, part) == len(OBJ)
    assert part.read_bytes() == OBJ


@pytest.mark.parametrize("kind", KINDS)
def test_object_with_wrong_bytes_is_refused_and_deleted(
    kind: str, object_hub: tuple[Path, FaultyHub], tmp_path: Path
) -> None:
    part = tmp_path / "liar.part"
    with pytest.raises(HashMismatchError, match="does not match the catalog"):
        _fetch(_hub(kind, object_hub), LIAR_SHA, part)
    assert not part.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_object_longer_than_declared_is_refused(
    kind: str, object_hub: tuple[Path, FaultyHub], tmp_path: Path
) -> None:
    part = tmp_path / "long.part"
    with pytest.raises(HashMismatchError):
        _fetch(_hub(kind, object_hub), LONG_SHA, part)
    assert not part.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_resumed_download_hashes_what_was_there(
    kind: str, object_hub: tuple[Path, FaultyHub], tmp_path: Path
) -> None:
    """A right prefix resumes (only the rest is transferred); a wrong prefix - bytes the
    hub never sent - makes the whole object fail its hash, though the tail is right."""
    hub = _hub(kind, object_hub)
    have = CHUNK + 777
    part = tmp_path / "resume.part"
    part.write_bytes(OBJ[:have])
    assert _fetch(hub, OBJ_SHA, part) == len(OBJ) - have
    assert part.read_bytes() == OBJ
    if kind == "http":
        assert object_hub[1].requests[-1].range == f"bytes={have}-"

    damaged = bytearray(OBJ[:have])
    damaged[10] ^= 0xFF
    part.write_bytes(bytes(damaged))
    with pytest.raises(HashMismatchError):
        _fetch(hub, OBJ_SHA, part)
    assert not part.exists()


def test_server_ignoring_range_restarts_the_hash(
    object_hub: tuple[Path, FaultyHub], tmp_path: Path
) -> None:
    """A server that answers a resumed download with the whole object: the damaged prefix
    is overwritten, and the hash covers only what this answer wrote."""
    root, server = object_hub
    hub = HttpHub(server.url, timeout_s=5)
    part = tmp_path / "norange.part"
    part.write_bytes(b"\xff" * 5000)  # not the object's first bytes
    server.fault = Fault("no_range")
    try:
        assert _fetch(hub, OBJ_SHA, part) == len(OBJ)
    finally:
        server.fault = Fault()
    assert part.read_bytes() == OBJ


def test_make_durable_flushes_each_file_and_folder_without_syncfs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [tmp_path / "a" / "one", tmp_path / "b" / "two"]
    for f in files:
        f.parent.mkdir()
        f.write_bytes(b"x")
    flushed: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(durability_module, "_syncfs", lambda _home: False)

    def fsync(fd: int) -> None:
        flushed.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    make_durable(iter(files), tmp_path)
    expected = len(files) + (0 if os.name == "nt" else 2)  # files, then their folders
    assert len(flushed) == expected


# ----------------------------------------------------------------------------- sync


@pytest.fixture
def world(tmp_path: Path, signing_key: tuple[Path, Path]) -> dict[str, Path]:
    key, pub = signing_key
    src, hub, home = tmp_path / "src", tmp_path / "hub", tmp_path / "home"
    for name in ("alpha", "bravo", "charlie"):
        make_text(src / f"{name}.txt", f"{name}word and some shared words")
    publish_folder(src, hub, key)
    sync_home(home, hub, pub)
    return {"src": src, "hub": hub, "home": home, "key": key, "pub": pub}


def _complete_sha(home: Path) -> str | None:
    with Library.open(home) as lib:
        return lib.meta(SYNC_COMPLETE_KEY)


def _forbid_full_check(monkeypatch: pytest.MonkeyPatch) -> None:
    def forbidden(*_a: Any, **_k: Any) -> Any:
        raise AssertionError("a no-op sync must stop after checking the signature")

    monkeypatch.setattr(verify_module, "parse_catalog", forbidden)
    monkeypatch.setattr(SyncRun, "complete", forbidden)
    monkeypatch.setattr(cleanup_module, "collect_garbage", forbidden)
    monkeypatch.setattr(SyncRun, "have", forbidden)


def test_noop_sync_stops_early_and_reports_up_to_date(
    world: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _complete_sha(world["home"]) is not None
    with Library.open(world["home"]) as lib:
        before = lib.hub_state()
    _forbid_full_check(monkeypatch)
    result = sync_home(world["home"], world["hub"], world["pub"])
    assert result.up_to_date and result.files_fetched == 0
    assert result.serial == result.previous_serial == before.serial == 1
    assert result.item_count == 3
    assert result.summary() == "Library up to date (catalog serial 1, 3 items)."
    with Library.open(world["home"]) as lib:
        after = lib.hub_state()
    assert after.last_sync_at is not None and after.last_sync_at != before.last_sync_at
    assert after.previous_sync_at == before.previous_sync_at  # a no-op is not a new sync
    assert after.last_result is not None and after.last_result["up_to_date"] is True


def test_files_not_satchels_survive_every_sync(world: dict[str, Path]) -> None:
    """Files Satchel did not write are never deleted, even inside its own folders."""
    home = world["home"]
    paths = LibraryPaths(home)
    with Library.open(home) as lib:
        stray = lib.file_path(lib.item("alpha")).parent / "stray.pdf"
    stray.write_bytes(b"%PDF- not approved")
    junk = paths.tmp_dir / "junk.part"
    junk.write_bytes(b"junk")

    sync_home(home, world["hub"], world["pub"])
    assert stray.exists() and junk.exists()  # the no-op did not walk the library

    make_text(world["src"] / "delta.txt", "deltaword is new")
    publish_folder(world["src"], world["hub"], world["key"])
    result = sync_home(home, world["hub"], world["pub"])
    assert result.new == ["delta"]
    assert stray.read_bytes() == b"%PDF- not approved" and junk.read_bytes() == b"junk"


def test_unfinished_sync_is_finished_by_the_next_one(world: dict[str, Path]) -> None:
    """No record of a completed sync (cut off during cleanup): the next sync with the same
    catalog looks at every file and cleans up, then records it."""
    home = world["home"]
    stray = LibraryPaths(home).files_dir / "loose.txt"
    stray.write_text("not approved")
    with Library.open(home) as lib:
        lib.mark_incomplete()
    result = sync_home(home, world["hub"], world["pub"])
    assert result.up_to_date
    assert stray.read_text() == "not approved"  # not Satchel's: left alone
    assert _complete_sha(home) is not None


@pytest.mark.parametrize("damage", ["deleted", "changed"])
def test_file_damaged_by_hand_is_noticed_on_open_and_restored_by_next_sync(
    world: dict[str, Path], damage: str
) -> None:
    home = world["home"]
    with Library.open(home) as lib:
        item = lib.item("bravo")
        path = lib.file_path(item)
        good = path.read_bytes()
        if damage == "deleted":
            path.unlink()
        else:
            path.write_bytes(good.replace(b"bravo", b"BRAVO"))
        with pytest.raises(SatchelError, match="sync again"):
            lib.verified_path(item)
        assert lib.meta(SYNC_COMPLETE_KEY) is None
    result = sync_home(home, world["hub"], world["pub"])
    assert result.files_fetched == 1
    assert path.read_bytes() == good
    with Library.open(home) as lib:
        assert lib.verified_path(lib.item("bravo")) == path


def test_fetched_files_are_flushed_before_the_switch(
    world: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = world["home"]
    make_text(world["src"] / "delta.txt", "deltaword is new")
    publish_folder(world["src"], world["hub"], world["key"])
    seen: dict[str, Any] = {}

    def spy(paths: Any, where: Path) -> None:
        seen["paths"] = set(paths)  # the fallback's list (syncfs needs none)
        with Library.open(where) as lib:
            seen["serial"] = lib.hub_state().serial

    monkeypatch.setattr(durability_module, "make_durable", spy)
    sync_home(home, world["hub"], world["pub"])
    with Library.open(home) as lib:
        delta = lib.item("delta")
        assert lib.hub_state().serial == 2
        assert seen["serial"] == 1  # before the switch
        wanted = {lib.file_path(delta)}
        if delta.text_sha256:
            wanted.add(lib.paths.blob_path(delta.text_sha256))
        assert wanted <= seen["paths"]
        assert lib.file_path(lib.item("alpha")) not in seen["paths"]  # already durable


def test_switch_rows_new_updated_renamed_withdrawn_and_back(world: dict[str, Path]) -> None:
    src, hub, home, key, pub = (world[k] for k in ("src", "hub", "home", "key", "pub"))
    make_text(src / "bravo.txt", "bravoword changed")  # updated: serial 2
    (src / "charlie.txt").unlink()  # withdrawn: serial 2
    publish_folder(src, hub, key)
    result = sync_home(home, hub, pub)
    assert (result.updated, result.withdrawn) == (["bravo"], ["charlie"])
    make_text(src / "charlie.txt", "charlieword is back")  # back: serial 3
    publish_folder(src, hub, key)
    result = sync_home(home, hub, pub)
    assert result.new == ["charlie"]
    with Library.open(home) as lib:
        rows = {i.id: i for i in lib.items(include_hidden=True)}
        assert (rows["alpha"].first_serial, rows["alpha"].changed_serial) == (1, 1)
        assert (rows["bravo"].first_serial, rows["bravo"].changed_serial) == (1, 2)
        assert (rows["charlie"].first_serial, rows["charlie"].changed_serial) == (3, 3)
        assert rows["charlie"].status == "current" and rows["charlie"].withdrawn_at is None
        assert [v.version for v in rows["bravo"].versions] == [1, 2]
        assert rows["bravo"].version == 2 and rows["bravo"].versions[-1].sha256 == (
            rows["bravo"].sha256
        )
        with lib.sessions() as s:
            assert s.query(ItemVersion).count() == sum(len(i.versions) for i in rows.values())
    (src / "alpha.txt").unlink()
    publish_folder(src, hub, key)
    assert sync_home(home, hub, pub).withdrawn == ["alpha"]
    with Library.open(home) as lib:
        gone = next(i for i in lib.items(include_hidden=True) if i.id == "alpha")
        assert gone.status == "withdrawn" and gone.withdrawn_at is not None
        assert "alpha" not in {i.id for i in lib.items()}


# ----------------------------------------------------------------------------- links


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_link_planted_where_a_folder_belongs_never_leads_a_write_outside(
    world: dict[str, Path], tmp_path: Path
) -> None:
    home = world["home"]
    paths = LibraryPaths(home)
    outside = tmp_path / "outside"
    outside.mkdir()
    make_text(world["src"] / "delta.txt", "deltaword is new")
    publish_folder(world["src"], world["hub"], world["key"])
    with Library.open(home) as lib:
        lib.mark_incomplete()
    from app.core.catalog import load_verified_catalog
    from app.core.signing import load_public_key

    catalog = load_verified_catalog(
        (world["hub"] / "catalog.json").read_bytes(), load_public_key(world["pub"])
    )
    delta = next(i for i in catalog.current() if i.id == "delta")
    shard = paths.content_dir(delta.sha256).parent
    if shard.exists():
        pytest.skip("delta's shard folder is shared with another item")
    shard.symlink_to(outside, target_is_directory=True)
    (paths.tmp_dir).rename(home / "tmp-real")
    paths.tmp_dir.symlink_to(outside, target_is_directory=True)

    with pytest.raises(SatchelError, match="is in the way of the library's own folders"):
        sync_home(home, world["hub"], world["pub"])
    assert list(outside.iterdir()) == []  # nothing was written through the links
    assert shard.is_symlink() and paths.tmp_dir.is_symlink()  # not ours: not deleted
    shard.unlink()
    paths.tmp_dir.unlink()
    result = sync_home(home, world["hub"], world["pub"])
    assert result.new == ["delta"]
    assert list(outside.iterdir()) == []
    with Library.open(home) as lib:
        assert lib.verified_path(lib.item("delta")).read_text() == "deltaword is new"


def test_real_dir_refuses_links_and_paths_outside(tmp_path: Path) -> None:
    home = tmp_path / "home"
    paths = LibraryPaths(home)
    paths.ensure()
    checked: set[Path] = set()
    folder = paths.content_dir("ab" * 32)
    assert paths.real_dir(folder, checked) == folder and folder.is_dir()
    assert folder in checked and paths.files_dir in checked
    with pytest.raises(OutsideLibraryError):
        paths.real_dir(tmp_path / "elsewhere")
    with pytest.raises(OutsideLibraryError):
        paths.real_dir(home / "files" / ".." / ".." / "elsewhere")
    with pytest.raises(OutsideLibraryError):
        paths.content_dir("../../etc")
    if os.name == "posix":
        (paths.blobs_dir / "cd").symlink_to(tmp_path, target_is_directory=True)
        with pytest.raises(OutsideLibraryError, match="not a real folder"):
            paths.real_dir(paths.blob_path("cd" * 32).parent)


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_library_folder_that_is_a_link_still_works(world: dict[str, Path], tmp_path: Path) -> None:
    linked = tmp_path / "linked-home"
    linked.symlink_to(world["home"], target_is_directory=True)
    make_text(world["src"] / "echo.txt", "echoword arrives")
    publish_folder(world["src"], world["hub"], world["key"])
    assert sync_home(linked, world["hub"], world["pub"]).new == ["echo"]
    with Library.open(linked) as lib:
        assert lib.verified_path(lib.item("echo")).read_text() == "echoword arrives"
