"""The publisher trusts its own records, not the hub: rollbacks refused, damaged objects repaired.

Marketing's key file has a ``KEY.state.json`` beside it recording, per hub, the last serial
signed there, the hash of that catalog and the objects verified. Someone who can write to the
hub folder but has no key can put an old catalog back or change objects' bytes; a publish
then refuses the rolled-back hub, or puts the objects right from the source folder and says
so, so that reps' syncs work again.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from PIL import Image

from app.core.catalog import Catalog, parse_catalog, sign_catalog, verify_envelope
from app.core.errors import ConfigError, HubError, RollbackError, TrustError
from app.core.hub import verify as hub_verify
from app.core.library import Library
from app.core.publish import PublishResult, publish
from app.core.publisher_state import HubRecord, PublisherState, state_path_for
from app.core.signing import load_public_key, load_signing_key
from tests.helpers.collateral import make_docx, make_text
from tests.helpers.hubs import snapshot, sync_home
from tests.hostile.conftest import run_cli


@pytest.fixture
def source(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    make_docx(src / "Case study.docx", ["The Klinikum reduced alarm fatigue by 40 percent."])
    make_text(src / "faq.txt", "Battery lasts nine days between charges.")
    src.mkdir(exist_ok=True)
    image = Image.new("RGB", (400, 300), (20, 120, 200))
    for x in range(0, 400, 40):  # some detail, so the thumbnail is a real picture
        for y in range(300):
            image.putpixel((x, y), (250, 250, 250))
    image.save(src / "Product photo.png")
    return src


def _publish(src: Path, hub: Path, key: Path, **kwargs: object) -> PublishResult:
    """Publish as the CLI does: the key's file is known, so its state is kept beside it."""
    return publish(src, hub, load_signing_key(key), workers=1, key_path=key, **kwargs)  # type: ignore[arg-type]


def _catalog(hub: Path, pub: Path) -> Catalog:
    return parse_catalog(verify_envelope((hub / "catalog.json").read_bytes(), load_public_key(pub)))


def _object(hub: Path, sha: str) -> Path:
    return hub / "objects" / sha[:2] / sha


def _tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (but the publish lock) and the hash of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink() and p.name != ".publish.lock"
    }


def _flip_byte(path: Path, *, keep_mtime: bool = False) -> None:
    """Overwrite one byte in place (the size stays; optionally the mtime is put back too)."""
    before = path.stat()
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x55
    path.write_bytes(bytes(data))
    if keep_mtime:
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _all_objects_match(hub: Path) -> None:
    for obj in (hub / "objects").rglob("*"):
        assert not obj.name.endswith(".tmp"), f"a temporary file was left: {obj}"
        if obj.is_file():
            assert hashlib.sha256(obj.read_bytes()).hexdigest() == obj.name


# ------------------------------------------------------------------------------- rollback


def test_a_rolled_back_hub_is_refused_naming_both_serials_and_left_unchanged(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    """Given a hub at serial 3 put back to an older, validly signed catalog (serial 2), when
    marketing publishes, then the CLI refuses in one sentence naming both serials, exits 1,
    and the hub is exactly as the attacker left it."""
    key, _pub = signing_key
    hub = tmp_path / "hub"
    run_cli("publish", source, "--hub", hub, "--key", key, check=True)
    make_text(source / "new.txt", "Fresh material.")
    run_cli("publish", source, "--hub", hub, "--key", key, check=True)
    serial_2 = (hub / "catalog.json").read_bytes()
    make_text(source / "newer.txt", "Even fresher material.")
    assert "serial 3" in run_cli("publish", source, "--hub", hub, "--key", key).stdout

    (hub / "catalog.json").write_bytes(serial_2)  # a replayed, validly signed catalog
    make_text(source / "newest.txt", "Material marketing wants out today.")
    before = _tree(hub)
    result = run_cli("publish", source, "--hub", hub, "--key", key)
    line = result.assert_one_line_error("serial 2", "serial 3", "rolled-back")
    assert str(hub) in line
    assert result.stdout == ""
    assert _tree(hub) == before


def test_a_hub_whose_catalog_was_removed_or_forked_is_refused(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    hub = tmp_path / "hub"
    _publish(source, hub, key)
    make_text(source / "new.txt", "Fresh material.")
    _publish(source, hub, key)

    # the same serial with other content (signed with the key elsewhere: a fork)
    forked = _catalog(hub, pub)
    forked.items[0].title = "Someone else's title"
    good = (hub / "catalog.json").read_bytes()
    (hub / "catalog.json").write_bytes(sign_catalog(forked, load_signing_key(key)))
    with pytest.raises(TrustError, match="serial 2 with other content"):
        _publish(source, hub, key)

    (hub / "catalog.json").unlink()  # a hub emptied of its catalog starts again at serial 1
    with pytest.raises(RollbackError, match="has no catalog but this key last published serial 2"):
        _publish(source, hub, key)

    (hub / "catalog.json").write_bytes(good)
    assert _publish(source, hub, key).serial == 2  # its own record again: all is well


def test_without_a_record_the_signed_catalog_on_the_hub_is_trusted_and_recorded(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    """A key moved to a new machine (no state beside it) publishes into the hub it finds,
    and from then on refuses to go back behind it."""
    key, _pub = signing_key
    hub = tmp_path / "hub"
    _publish(source, hub, key)
    serial_1 = (hub / "catalog.json").read_bytes()
    make_text(source / "new.txt", "Fresh material.")
    _publish(source, hub, key)

    moved = tmp_path / "new-machine" / "marketing.key"
    moved.parent.mkdir()
    moved.write_bytes(key.read_bytes())
    assert not state_path_for(moved).exists()
    make_text(source / "newer.txt", "Even fresher material.")
    assert _publish(source, hub, moved).serial == 3

    state = json.loads(state_path_for(moved).read_text(encoding="utf-8"))
    record = state["hubs"][str(hub.resolve())]
    assert record["serial"] == 3
    envelope = (hub / "catalog.json").read_bytes()
    payload = verify_envelope(envelope, load_signing_key(moved).public)
    assert record["catalog_sha256"] == hashlib.sha256(payload.encode()).hexdigest()
    assert stat.S_IMODE(state_path_for(moved).stat().st_mode) == 0o600
    assert sorted(p.name for p in moved.parent.iterdir()) == [
        moved.name,
        state_path_for(moved).name,
    ]

    # the first machine's record says serial 2: a higher serial signed by the key is trusted
    first = _publish(source, hub, key)
    assert not first.changed and first.serial == 3

    (hub / "catalog.json").write_bytes(serial_1)
    with pytest.raises(RollbackError, match="serial 1 but this key last published serial 3"):
        _publish(source, hub, moved)
    with pytest.raises(RollbackError, match="serial 1 but this key last published serial 3"):
        _publish(source, hub, key)  # and the first machine has recorded serial 3 by now


def test_a_damaged_state_file_stops_the_publish_in_one_sentence(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, _pub = signing_key
    hub = tmp_path / "hub"
    _publish(source, hub, key)
    state_path_for(key).write_text("{not json", encoding="utf-8")
    result = run_cli("publish", source, "--hub", hub, "--key", key)
    result.assert_one_line_error("publisher state", "damaged", "move it aside")
    with pytest.raises(ConfigError):
        _publish(source, hub, key)


# ------------------------------------------------------------------------------- objects


def test_overwritten_file_text_and_thumbnail_objects_are_repaired_and_a_new_rep_syncs(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    """Given someone without the key changed bytes of a content file, a text object and a
    thumbnail in the hub (one of them with its mtime put back), when marketing publishes,
    then each is put right from the source folder, the output names them, and a new rep's
    sync - which failed before - succeeds and finds the text."""
    key, pub = signing_key
    hub = tmp_path / "hub"
    run_cli("publish", source, "--hub", hub, "--key", key, check=True)
    items = _catalog(hub, pub).by_id()
    case, photo = items["case-study"], items["product-photo"]
    assert case.text is not None and photo.thumbnail is not None
    _flip_byte(_object(hub, case.sha256), keep_mtime=True)
    _flip_byte(_object(hub, case.text.sha256))
    _flip_byte(_object(hub, photo.thumbnail.sha256))
    with pytest.raises(TrustError):
        sync_home(tmp_path / "rep-before", hub, pub)

    before = (hub / "catalog.json").read_bytes()
    result = run_cli("publish", source, "--hub", hub, "--key", key)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Hub unchanged (serial 1).")  # the same bytes are back in place
    assert lines[1] == (
        "Repaired 3 hub objects that did not match their hashes: "
        "case-study (file), case-study (text), product-photo (thumbnail)."
    )
    assert result.stderr == ""
    assert (hub / "catalog.json").read_bytes() == before
    _all_objects_match(hub)

    synced = sync_home(tmp_path / "rep", hub, pub)
    assert sorted(synced.new) == ["case-study", "faq", "product-photo"]
    with Library.open(tmp_path / "rep") as lib:
        assert lib.search("alarm fatigue").hits[0].id == "case-study"
        assert lib.thumbnail_path(lib.item("product-photo")) is not None

    again = run_cli("publish", source, "--hub", hub, "--key", key, "--quiet", check=True)
    assert again.stdout.splitlines()[1:] == []  # nothing left to repair


def test_missing_objects_are_uploaded_again(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    hub = tmp_path / "hub"
    _publish(source, hub, key)
    items = _catalog(hub, pub).by_id()
    faq = items["faq"]
    assert faq.text is not None
    _object(hub, faq.sha256).unlink()
    _object(hub, faq.text.sha256).unlink()

    result = _publish(source, hub, key)
    assert not result.changed and result.repaired == []
    assert result.restored == ["faq (file)", "faq (text)"]
    assert result.repair_notes() == ["Restored 2 missing hub objects: faq (file), faq (text)."]
    _all_objects_match(hub)
    sync_home(tmp_path / "rep", hub, pub)
    assert set(snapshot(tmp_path / "rep")) == {"case-study", "faq", "product-photo"}


def test_objects_replaced_by_links_or_folders_become_plain_files_again(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    """Reps refuse a link even to the right bytes (and a folder in an object's place): the
    publisher puts plain files back, without following or touching the link's target."""
    key, pub = signing_key
    hub = tmp_path / "hub"
    _publish(source, hub, key)
    items = _catalog(hub, pub).by_id()
    target = tmp_path / "elsewhere.bin"
    obj = _object(hub, items["faq"].sha256)
    target.write_bytes(obj.read_bytes())
    obj.unlink()
    obj.symlink_to(target)
    photo = _object(hub, items["product-photo"].sha256)
    photo.unlink()
    photo.mkdir()
    (photo / "junk").write_text("x")

    result = _publish(source, hub, key)
    assert result.repaired == ["faq (file)", "product-photo (file)"]
    assert not obj.is_symlink() and obj.is_file() and target.is_file()
    _all_objects_match(hub)
    sync_home(tmp_path / "rep", hub, pub)


def test_objects_of_withdrawn_items_that_cannot_be_recreated_are_reported(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    hub = tmp_path / "hub"
    run_cli("publish", source, "--hub", hub, "--key", key, check=True)
    (source / "faq.txt").unlink()
    run_cli(  # faq withdrawn, deliberately (a third of this small hub)
        "publish", source, "--hub", hub, "--key", key, "--allow-withdraw", check=True
    )
    faq = _catalog(hub, pub).by_id()["faq"]
    assert faq.status == "withdrawn"
    _object(hub, faq.sha256).unlink()

    result = run_cli("publish", source, "--hub", hub, "--key", key)
    assert result.returncode == 0
    assert result.stdout.startswith("Hub unchanged")
    (warning,) = result.stderr.splitlines()
    assert warning.startswith("satchel: warning: 1 hub object of items no longer in the source")
    assert "faq (file, withdrawn)" in warning
    sync_home(tmp_path / "rep", hub, pub)  # reps never fetch withdrawn items


def test_verified_objects_are_not_hashed_again_until_their_stat_changes(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    key, pub = signing_key
    hub = tmp_path / "hub"
    _publish(source, hub, key)  # writes every object: hashed while written, none re-read
    hashed: list[str] = []
    real = hub_verify._hash_regular

    def counting(path: Path) -> str:
        hashed.append(path.name)
        return real(path)

    monkeypatch.setattr(hub_verify, "_hash_regular", counting)
    _publish(source, hub, key)
    assert hashed == []

    faq = _catalog(hub, pub).by_id()["faq"]
    _flip_byte(_object(hub, faq.sha256), keep_mtime=True)  # the ctime still moves
    result = _publish(source, hub, key)
    assert hashed == [faq.sha256]
    assert result.repaired == ["faq (file)"]

    hashed.clear()
    state_path_for(key).unlink()  # no record: everything is checked once, then recorded
    _publish(source, hub, key)
    catalog = _catalog(hub, pub)
    assert sorted(hashed) == sorted({r.sha256 for i in catalog.items for r in i.blobs()})
    hashed.clear()
    _publish(source, hub, key)
    assert hashed == []


def test_an_object_is_replaced_atomically_or_not_at_all(tmp_path: Path) -> None:
    """A source file that no longer has the expected bytes never reaches the hub: the object
    stays as it was and no temporary file is left."""
    hub = tmp_path / "hub"
    src = make_text(tmp_path / "a.txt", "the approved bytes")
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    size = src.stat().st_size
    hub_verify.replace_object_from_file(src, hub, sha, size)
    obj = _object(hub, sha)
    assert obj.read_bytes() == b"the approved bytes"

    obj.write_bytes(b"the approved bytez")
    src.write_text("the changed bytes!", encoding="utf-8")
    with pytest.raises(HubError, match="changed while it was being published"):
        hub_verify.replace_object_from_file(src, hub, sha, size)
    assert obj.read_bytes() == b"the approved bytez"
    assert sorted(p.name for p in obj.parent.iterdir()) == [sha]


def test_the_state_file_is_replaced_whole_or_not_at_all(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "marketing.key.state.json"
    path.parent.mkdir()
    state = PublisherState.load(path, "0123456789abcdef")
    state.save(tmp_path / "hub", HubRecord(1, "a" * 64, {"b" * 64: (10, 1, 2)}))
    saved = path.read_bytes()
    assert PublisherState.load(path, "0123456789abcdef").record(tmp_path / "hub") == HubRecord(
        1, "a" * 64, {"b" * 64: (10, 1, 2)}
    )

    path.unlink()
    path.mkdir()  # something in the way: the rename fails
    with pytest.raises(ConfigError, match="Cannot write the publisher state"):
        state.save(tmp_path / "hub", HubRecord(2, "c" * 64, {}))
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left
    path.rmdir()
    path.write_bytes(saved)
    assert PublisherState.load(path, "another key id!!").hubs == {}  # another key's record
