"""Publishing a folder into a signed hub and syncing it into a rep's library (folder hubs)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from app.core.catalog import envelope_payload, parse_catalog, sign_catalog, verify_envelope
from app.core.errors import (
    CancelledError,
    HashMismatchError,
    HubError,
    RollbackError,
    SignatureError,
    UnsafeCatalogError,
)
from app.core.library import Library
from app.core.signing import generate_key, load_public_key, load_signing_key
from tests.helpers.collateral import make_docx, make_pptx, make_text
from tests.helpers.hubs import publish_folder, serial, snapshot, sync_home


@pytest.fixture
def source(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    make_pptx(
        src / "Decks" / "Hospital pitch.pptx",
        ["Welcome to Northwind", "Our monitoring platform", "Hospital pricing and discount bands"],
        title="Hospital pitch deck",
    )
    make_docx(src / "Case study Klinikum.docx", ["The Klinikum reduced alarm fatigue by 40%."])
    make_text(
        src / "Notes" / "objection handling.md", "When the buyer says too expensive, say ROI."
    )
    (src / "Decks" / "satchel.toml").write_text(
        '[defaults]\ntags = { product = ["VitalWatch"] }\n\n'
        '["Hospital pitch.pptx"]\nid = "hospital-pitch"\ndescription = "The main deck."\n'
        'tags = { segment = ["Hospitals"], stage = ["Demo"] }\nchange_note = "Launch"\n',
        encoding="utf-8",
    )
    (src / ".DS_Store").write_bytes(b"junk")
    (src / "~$Hospital pitch.pptx").write_bytes(b"office lock file")
    return src


def test_publish_then_sync_gives_verified_searchable_library(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    hub, home = tmp_path / "hub", tmp_path / "home"

    result = publish_folder(source, hub, key)
    assert result.changed and result.serial == 1 and len(result.added) == 3

    # every object in the hub is named by the SHA-256 of its bytes
    objects = [p for p in (hub / "objects").rglob("*") if p.is_file()]
    assert objects
    for obj in objects:
        assert hashlib.sha256(obj.read_bytes()).hexdigest() == obj.name

    synced = sync_home(home, hub, pub)
    assert sorted(synced.new) == sorted(result.added)
    with Library.open(home) as lib:
        items = {i.id: i for i in lib.items()}
        assert set(items) == {"hospital-pitch", "case-study-klinikum", "notes-objection-handling"}
        deck = items["hospital-pitch"]
        assert deck.title == "Hospital pitch deck"  # from document properties
        assert deck.tags == {"product": ["VitalWatch"], "segment": ["Hospitals"], "stage": ["Demo"]}
        assert items["case-study-klinikum"].title == "Case study Klinikum"  # from the file name
        assert (
            lib.file_path(deck).read_bytes() == (source / "Decks/Hospital pitch.pptx").read_bytes()
        )
        # the library stands alone: nothing in it points into the hub
        assert not any(p.is_symlink() for p in (home / "files").rglob("*"))

        hits = lib.search("hospital pricing").hits
        assert hits[0].id == "hospital-pitch" and hits[0].location == 3


def test_republish_bumps_only_changed_files_and_withdraws_removed(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    hub, home = tmp_path / "hub", tmp_path / "home"
    publish_folder(source, hub, key)
    sync_home(home, hub, pub)

    again = publish_folder(source, hub, key)
    assert not again.changed and again.serial == 1  # nothing changed, nothing written

    make_docx(source / "Case study Klinikum.docx", ["Now with 2026 figures: alarms down 55%."])
    removed = source / "Notes" / "objection handling.md"
    removed_path_in_library = None
    with Library.open(home) as lib:
        removed_path_in_library = lib.file_path(lib.item("notes-objection-handling"))
    removed.unlink()
    second = publish_folder(source, hub, key)
    assert second.serial == 2
    assert second.updated == ["case-study-klinikum"]
    assert second.withdrawn == ["notes-objection-handling"]
    assert second.unchanged == 1

    synced = sync_home(home, hub, pub)
    assert synced.updated == ["case-study-klinikum"] and synced.withdrawn == [
        "notes-objection-handling"
    ]
    # the new docx and its text, plus the new search-index segment file (re-indexing both
    # items: the old segment had 2 of its 3 documents deleted)
    assert synced.index_adopted
    assert _segment_files_of(hub, pub, "case-study-klinikum") == 1
    assert 2 < synced.files_fetched <= 4  # and the manifest; identical files are stored once
    seen = snapshot(home)
    assert "notes-objection-handling" not in seen
    assert seen["case-study-klinikum"][0] == 2
    assert not removed_path_in_library.exists()  # withdrawn files leave the disk
    with Library.open(home) as lib:
        history = lib.item("case-study-klinikum").versions
        assert [v.version for v in history] == [1, 2]
        assert lib.search("objection").hits == []
        assert lib.search("2026 figures").hits[0].id == "case-study-klinikum"


def _manifest(hub: Path, pub: Path) -> dict[str, Any]:
    envelope = (hub / "catalog.json").read_bytes()
    catalog = parse_catalog(verify_envelope(envelope, load_public_key(pub)))
    assert catalog.index is not None
    sha = catalog.index.sha256
    manifest: dict[str, Any] = json.loads((hub / "objects" / sha[:2] / sha).read_bytes())
    return manifest


def _index_bytes(hub: Path, pub: Path) -> int:
    """Bytes of the distinct files of the hub's shipped index."""
    files = {s["file"]["sha256"]: s["file"]["size"] for s in _manifest(hub, pub)["segments"]}
    return sum(files.values())


def _segment_files_of(hub: Path, pub: Path, item_id: str) -> int:
    """How many files the shipped index segment indexing ``item_id`` has (one, in
    Satchel's own format)."""
    manifest = _manifest(hub, pub)
    (segment,) = [s for s in manifest["segments"] if item_id in [d[0] for d in s["docs"]]]
    return len([segment["file"]])


def test_expired_items_leave_listing_and_search(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    (source / "satchel.toml").write_text(
        '["Case study Klinikum.docx"]\nexpires = 2020-01-01\n', encoding="utf-8"
    )
    hub, home = tmp_path / "hub", tmp_path / "home"
    publish_folder(source, hub, key)
    sync_home(home, hub, pub)
    assert "case-study-klinikum" not in snapshot(home)
    with Library.open(home) as lib:
        assert lib.search("Klinikum").hits == []
        assert any(i.id == "case-study-klinikum" for i in lib.items(include_hidden=True))


def test_tampered_object_is_refused_and_library_unchanged(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    hub, home = tmp_path / "hub", tmp_path / "home"
    publish_folder(source, hub, key)
    sync_home(home, hub, pub)
    before = snapshot(home)

    make_docx(source / "Case study Klinikum.docx", ["A new revision."])
    publish_folder(source, hub, key)
    catalog = parse_catalog(
        verify_envelope((hub / "catalog.json").read_bytes(), load_public_key(pub))
    )
    new_sha = next(i.sha256 for i in catalog.items if i.id == "case-study-klinikum")
    obj = hub / "objects" / new_sha[:2] / new_sha
    data = bytearray(obj.read_bytes())
    data[len(data) // 2] ^= 0x01  # one changed byte
    obj.chmod(0o644)
    obj.write_bytes(bytes(data))

    with pytest.raises(HashMismatchError):
        sync_home(home, hub, pub)
    assert snapshot(home) == before
    assert serial(home) == 1


def test_tampered_or_foreign_catalog_is_refused(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    hub, home = tmp_path / "hub", tmp_path / "home"
    publish_folder(source, hub, key)
    sync_home(home, hub, pub)
    before = snapshot(home)

    envelope = json.loads((hub / "catalog.json").read_text(encoding="utf-8"))
    tampered = str(envelope_payload(envelope)).replace("The main deck.", "The main deck!")
    envelope["payload"] = tampered
    (hub / "catalog.json").write_text(json.dumps(envelope), encoding="utf-8")
    with pytest.raises(SignatureError):
        sync_home(home, hub, pub)

    other = generate_key()
    (hub / "catalog.json").write_bytes(sign_catalog(parse_catalog(envelope["payload"]), other))
    with pytest.raises(SignatureError, match="not signed by the trusted key"):
        sync_home(home, hub, pub)
    assert snapshot(home) == before

    # and marketing cannot publish into a hub now signed by another key
    with pytest.raises(HubError, match="signed by another key"):
        publish_folder(source, hub, key)


def test_older_serial_is_refused(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    hub, home = tmp_path / "hub", tmp_path / "home"
    publish_folder(source, hub, key)
    old_catalog = (hub / "catalog.json").read_bytes()
    make_text(source / "new.txt", "fresh material")
    publish_folder(source, hub, key)
    sync_home(home, hub, pub)
    before = snapshot(home)

    (hub / "catalog.json").write_bytes(old_catalog)  # a replayed, validly signed old catalog
    with pytest.raises(RollbackError):
        sync_home(home, hub, pub)
    assert snapshot(home) == before and serial(home) == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("filename", "../../outside.txt"),
        ("filename", "/etc/passwd"),
        ("filename", "..\\..\\outside.txt"),
        ("id", "../escape"),
        ("sha256", "../../../../etc/passwd"),
    ],
)
def test_catalog_naming_paths_is_refused(
    source: Path,
    tmp_path: Path,
    signing_key: tuple[Path, Path],
    field: str,
    value: str,
) -> None:
    key, pub = signing_key
    hub, home = tmp_path / "hub", tmp_path / "home"
    publish_folder(source, hub, key)
    envelope = json.loads((hub / "catalog.json").read_text(encoding="utf-8"))
    payload = json.loads(str(envelope_payload(envelope)))
    payload["items"][0][field] = value
    payload["serial"] += 1
    # sign it properly: even marketing's own key cannot make a client write outside its folder
    from app.core.catalog import SIGNING_CONTEXT
    from app.core.signing import b64

    text = json.dumps(payload)
    sig = load_signing_key(key).sign(SIGNING_CONTEXT + text.encode())
    envelope.update(
        payload=text, signatures=[{"keyid": load_signing_key(key).public.key_id, "sig": b64(sig)}]
    )
    (hub / "catalog.json").write_text(json.dumps(envelope), encoding="utf-8")

    with pytest.raises(UnsafeCatalogError):
        sync_home(home, hub, pub)
    assert not (tmp_path / "outside.txt").exists()
    assert snapshot(home) == {}


def test_interrupted_sync_resumes_without_refetching(
    tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    src, hub, home = tmp_path / "src", tmp_path / "hub", tmp_path / "home"
    for n in range(3):  # three incompressible 3 MB files
        (src / f"video-{n}.mp4").parent.mkdir(parents=True, exist_ok=True)
        (src / f"video-{n}.mp4").write_bytes(hashlib.sha256(bytes([n])).digest() * 98304)
    publish_folder(src, hub, key)
    total = 3 * 32 * 98304 + _index_bytes(hub, pub)  # the files and the shipped index

    seen = {"bytes": 0}

    def progress(p: object) -> None:
        seen["bytes"] = getattr(p, "bytes_done", 0)

    with pytest.raises(CancelledError):
        sync_home(home, hub, pub, progress=progress, cancel=lambda: seen["bytes"] > total // 2)
    assert snapshot(home) == {}  # the cut-off sync changed nothing a rep sees
    assert serial(home) == 0

    arrived = seen["bytes"]
    result = sync_home(home, hub, pub)
    assert result.bytes_fetched == total - arrived  # not one byte that arrived came again
    assert result.bytes_resumed > 0  # a partial file was continued, not restarted
    assert len(snapshot(home)) == 3


def test_hub_folder_can_be_checked_with_standard_tools(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    """Given a published hub, each source file is in objects/ byte for byte under its hash."""
    key, _pub = signing_key
    hub = tmp_path / "hub"
    publish_folder(source, hub, key)
    for f in (source / "Decks" / "Hospital pitch.pptx", source / "Case study Klinikum.docx"):
        sha = hashlib.sha256(f.read_bytes()).hexdigest()
        assert (hub / "objects" / sha[:2] / sha).read_bytes() == f.read_bytes()
    assert (hub / "publisher.pub").read_text().startswith("-----BEGIN PUBLIC KEY-----")
    shutil.rmtree(source)


def test_the_catalog_ships_gzipped_and_a_bad_gzip_is_refused(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    hub, home = tmp_path / "hub", tmp_path / "home"
    publish_folder(source, hub, key)
    data = (hub / "catalog.json").read_bytes()
    envelope = json.loads(data)
    payload = str(envelope_payload(envelope))
    assert "payload" not in envelope and len(envelope["payload_gzip"]) < len(payload)
    assert verify_envelope(data, load_public_key(pub)) == payload

    envelope["payload_gzip"] = envelope["payload_gzip"][:-8]  # cut short
    (hub / "catalog.json").write_text(json.dumps(envelope), encoding="utf-8")
    with pytest.raises(SignatureError, match="not a signed Satchel catalog"):
        sync_home(home, hub, pub)
