"""The search index is built at publish and shipped; reps adopt it instead of indexing.

Real publish, real sync, real Whoosh segments; the hostile cases re-sign a tampered hub with
the real key, as someone holding marketing's key could.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from app.core.catalog import BlobRef, parse_catalog, sign_catalog, verify_envelope
from app.core.hub import object_relpath, write_object_bytes
from app.core.index_snapshot import MAX_SEGMENTS, decode_manifest
from app.core.library import Library
from app.core.search.safe_pickle import data_loads
from app.core.signing import load_public_key, load_signing_key
from tests.helpers.collateral import make_text
from tests.helpers.hubs import publish_folder, sync_home

# os.mkdir("z") as a pickle: what a crafted index file would try.
EVIL = b"cos\nmkdir\n(Vz\ntR."


def notes(src: Path, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        make_text(src / f"note-{n:03d}.txt", f"Account note number {n} mentions zebra{n} pricing.")


def manifest_of(hub: Path, pub: Path) -> tuple[dict[str, object], object]:
    envelope = (hub / "catalog.json").read_bytes()
    catalog = parse_catalog(verify_envelope(envelope, load_public_key(pub)))
    assert catalog.index is not None
    raw = (hub / object_relpath(catalog.index.sha256)).read_bytes()
    return json.loads(raw), catalog


def test_first_sync_adopts_the_shipped_index_and_a_change_ships_a_small_segment(
    tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    src, hub, home = tmp_path / "src", tmp_path / "hub", tmp_path / "home"
    notes(src, 60)
    publish_folder(src, hub, key)
    first = sync_home(home, hub, pub)
    assert first.index_adopted
    with Library.open(home) as lib:
        assert [h.id for h in lib.search("zebra7").hits] == ["note-007"]
        assert lib.search("pricing").total == 60

    make_text(src / "note-007.txt", "Rewritten: now about giraffes.")
    (src / "note-008.txt").unlink()
    publish_folder(src, hub, key)
    manifest, _catalog = manifest_of(hub, pub)
    segments = manifest["segments"]
    assert isinstance(segments, list) and len(segments) == 2
    old, new = segments
    assert [d[0] for d in new["docs"]] == ["note-007"]  # only the changed item is re-indexed
    assert sorted(old["deleted"]) == [7, 8]  # the old version and the withdrawn item
    second = sync_home(home, hub, pub)
    assert second.index_adopted and second.updated == ["note-007"]
    assert new["file"]["size"] < old["file"]["size"] / 5
    with Library.open(home) as lib:
        assert lib.search("zebra7").hits == []
        assert lib.search("zebra8").hits == []
        assert [h.id for h in lib.search("giraffes").hits] == ["note-007"]
        assert lib.search("pricing").total == 58
    third = sync_home(home, hub, pub)
    assert third.up_to_date and not third.index_adopted


def test_republishing_many_times_keeps_few_segments(
    tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    src, hub, home = tmp_path / "src", tmp_path / "hub", tmp_path / "home"
    notes(src, 20)
    publish_folder(src, hub, key)
    for n in range(MAX_SEGMENTS + 3):
        make_text(src / f"extra-{n:02d}.txt", f"Extra note {n} about okapi{n}.")
        publish_folder(src, hub, key)
    manifest, _catalog = manifest_of(hub, pub)
    assert isinstance(manifest["segments"], list)
    assert len(manifest["segments"]) <= MAX_SEGMENTS
    assert sync_home(home, hub, pub).index_adopted
    with Library.open(home) as lib:
        assert lib.search("okapi3").hits[0].id == "extra-03"
        assert lib.search("zebra4").hits[0].id == "note-004"
        assert lib.search("note").total == 20 + MAX_SEGMENTS + 3


def _resign(hub: Path, key: Path, pub: Path, manifest: dict[str, object]) -> None:
    """Store ``manifest`` and point a re-signed catalog at it (a key holder's tampering)."""
    _raw, catalog = manifest_of(hub, pub)
    data = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()
    catalog.index = BlobRef(*write_object_bytes(data, hub))  # type: ignore[attr-defined]
    (hub / "catalog.json").write_bytes(sign_catalog(catalog, load_signing_key(key)))  # type: ignore[arg-type]


@pytest.mark.expect_log("the hub's search index is not used", logger="app.core.sync")
def test_a_manifest_that_does_not_match_the_catalog_is_refused_and_indexed_locally(
    tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    src, hub, home = tmp_path / "src", tmp_path / "hub", tmp_path / "home"
    notes(src, 5)
    publish_folder(src, hub, key)
    manifest, _catalog = manifest_of(hub, pub)
    segments = manifest["segments"]
    assert isinstance(segments, list)
    segments[0]["deleted"] = [0]  # note-000 would vanish from search
    _resign(hub, key, pub, manifest)
    result = sync_home(home, hub, pub)
    assert not result.index_adopted
    with Library.open(home) as lib:
        assert [h.id for h in lib.search("zebra0").hits] == ["note-000"]


def _deep_tuple_pickle(depth: int) -> bytes:
    """A class-free pickle of a tuple nested ``depth`` deep (millions crash CPython)."""
    return b"\x80\x02" + b"(" * depth + b")" + b"t" * depth + b"."


@pytest.mark.expect_log("the hub's search index is not used", logger="app.core.sync")
@pytest.mark.parametrize(
    "payload",
    [EVIL, _deep_tuple_pickle(20_000), b"SXIX" + b"\xff" * 60, b"garbage " * 100],
    ids=["code-pickle", "deep-tuple-pickle", "huge-counts", "garbage"],
)
def test_a_crafted_segment_file_in_a_signed_index_is_refused_and_indexed_locally(
    tmp_path: Path,
    signing_key: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    payload: bytes,
) -> None:
    """The shipped segment is replaced by a pickle or junk and the hub re-signed with the
    real key: the rep's sync unpickles nothing, refuses the index and indexes locally."""
    key, pub = signing_key
    src, hub, home = tmp_path / "src", tmp_path / "hub", tmp_path / "home"
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    notes(src, 5)
    publish_folder(src, hub, key)
    manifest, _catalog = manifest_of(hub, pub)
    segments = manifest["segments"]
    assert isinstance(segments, list)
    sha, size = write_object_bytes(payload, hub)
    segments[0]["file"] = {"sha256": sha, "size": size}
    _resign(hub, key, pub, manifest)

    result = sync_home(home, hub, pub)
    assert not result.index_adopted
    assert not (cwd / "z").exists()
    with Library.open(home) as lib:
        assert [h.id for h in lib.search("zebra3").hits] == ["note-003"]
        assert lib.search("pricing").total == 5
    assert not (cwd / "z").exists()


def test_data_only_unpickling_refuses_every_global() -> None:
    assert data_loads(pickle.dumps(([1, 2], b"ab", "c", {"k": (1.5, None)}), 2)) == (
        [1, 2],
        b"ab",
        "c",
        {"k": (1.5, None)},
    )
    for payload in (EVIL, pickle.dumps(Path("x")), pickle.dumps(len)):
        with pytest.raises(pickle.UnpicklingError):
            data_loads(payload)


@pytest.mark.parametrize(
    "change",
    [
        {"file": {"sha256": "0" * 63, "size": 10}},
        {"file": {"sha256": "0" * 64, "size": 10**4000}},
        {"file": {"sha256": "0" * 64, "size": 0}},
        {"count": 10**6},
        {"count": -1},
        {"deleted": [10**9]},
        {"deleted": ["1"]},
        {"docs": [["x" * 500, "s"]]},
        {"docs": "not a list"},
    ],
)
def test_manifest_entries_out_of_range_are_refused(
    tmp_path: Path, signing_key: tuple[Path, Path], change: dict[str, object]
) -> None:
    key, pub = signing_key
    src, hub = tmp_path / "src", tmp_path / "hub"
    notes(src, 3)
    publish_folder(src, hub, key)
    manifest, _catalog = manifest_of(hub, pub)
    segments = manifest["segments"]
    assert isinstance(segments, list)
    decode_manifest(json.dumps(manifest).encode())  # as published: accepted
    segments[0].update(change)
    with pytest.raises(ValueError):
        decode_manifest(json.dumps(manifest).encode())


def test_several_new_segments_are_written_in_parallel_processes(
    tmp_path: Path, signing_key: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.core.search import adoption

    monkeypatch.setattr(adoption, "PARALLEL_MIN_BYTES", 0)
    key, pub = signing_key
    src, hub, home = tmp_path / "src", tmp_path / "hub", tmp_path / "home"
    notes(src, 420)  # two publish workers: two segments
    publish_folder(src, hub, key)
    manifest, _catalog = manifest_of(hub, pub)
    assert isinstance(manifest["segments"], list) and len(manifest["segments"]) == 2
    assert sync_home(home, hub, pub).index_adopted
    index_dirs = [p for p in (home / "index").iterdir() if p.is_dir()]
    assert len(index_dirs) == 1 and not list(index_dirs[0].glob("part-*"))
    with Library.open(home) as lib:
        assert [h.id for h in lib.search("zebra321").hits] == ["note-321"]
        assert lib.search("pricing").total == 420


def test_a_segment_merged_away_by_a_local_write_is_fetched_again_on_the_next_delta(
    tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    """Whoosh may merge the rep's small shipped segments when the library writes to its index
    itself; the next delta then fetches and writes those segments again instead of refusing."""
    key, pub = signing_key
    src, hub, home = tmp_path / "src", tmp_path / "hub", tmp_path / "home"
    notes(src, 5)
    publish_folder(src, hub, key)
    make_text(src / "note-002.txt", "Rewritten note about capybara pricing.")
    publish_folder(src, hub, key)  # two segments: the first, and one for note-002
    assert sync_home(home, hub, pub).index_adopted
    with Library.open(home) as lib:
        index = lib.index
        # what a local write may do: Whoosh merges segments (here all of them, at once)
        writer = index._ix.writer()  # noqa: SLF001 - simulating Whoosh's own merge
        writer.commit(optimize=True)
    live = [p for p in (home / "index").iterdir() if p.is_dir()]
    assert len({p.name.split(".")[0] for p in live[0].glob("MAIN_*.*")}) == 1  # merged
    make_text(src / "note-003.txt", "Rewritten note about tapir pricing.")
    publish_folder(src, hub, key)
    result = sync_home(home, hub, pub)
    assert result.index_adopted
    with Library.open(home) as lib:
        assert [h.id for h in lib.search("capybara").hits] == ["note-002"]
        assert [h.id for h in lib.search("tapir").hits] == ["note-003"]
        assert lib.search("pricing").total == 5
