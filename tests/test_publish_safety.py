"""Publishing with a safety net: a plan before acting, no mass withdrawal by mistake, no hub
scattered into somebody's folder, and sidecar metadata that is never silently dropped."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.core.catalog import read_catalog_unverified
from app.core.publish import plan_publish, publish
from app.core.sidecar import SidecarError
from app.core.signing import load_signing_key
from tests.helpers.cli import satchel, tree
from tests.helpers.collateral import make_text

NAMES = ("alpha", "bravo", "charlie", "delta")


@pytest.fixture
def hub_world(tmp_path: Path) -> dict[str, Path]:
    src, hub, key = tmp_path / "src", tmp_path / "hub", tmp_path / "k" / "key"
    for name in NAMES:
        make_text(src / f"{name}.txt", f"{name}word")
    satchel("keygen", "--out", key, check=True)
    satchel("publish", src, "--hub", hub, "--key", key, check=True)
    return {"src": src, "hub": hub, "key": key}


def test_an_empty_source_over_a_real_hub_is_refused(hub_world: dict[str, Path]) -> None:
    empty = hub_world["src"].parent / "empty"
    empty.mkdir()
    before = tree(hub_world["hub"])
    line = satchel("publish", empty, "--hub", hub_world["hub"], "--key", hub_world["key"])
    assert "would withdraw 4 of the hub's 4 items (100%, more than 25%)" in line.error_line()
    assert tree(hub_world["hub"]) == before


def test_dry_run_prints_the_plan_and_changes_nothing(hub_world: dict[str, Path]) -> None:
    src = hub_world["src"]
    (src / "alpha.txt").unlink()
    make_text(src / "bravo.txt", "bravoword changed")
    make_text(src / "echo.txt", "echoword")
    (src / "satchel.toml").write_text('["charlie.txt"]\ntitle = "Charlie, renamed"\n')
    before = tree(hub_world["hub"])
    run = satchel("publish", src, "--hub", hub_world["hub"], "--key", hub_world["key"], "--dry-run")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "Plan for serial 2 (nothing was written):",
        "  new: 1",
        "    echo",
        "  updated: 1",
        "    bravo",
        "  metadata only: 1",
        "    charlie",
        "  withdrawn: 1",
        "    alpha",
        "  unreadable: 0",
        "  unchanged: 1",
        "  (25% of the 4 current items would be withdrawn)",
    ]
    assert tree(hub_world["hub"]) == before
    result = satchel("publish", src, "--hub", hub_world["hub"], "--key", hub_world["key"])
    assert "1 new, 1 updated, 1 with new metadata, 1 withdrawn, 1 unchanged" in result.stdout


def test_withdrawing_more_than_the_share_needs_consent(hub_world: dict[str, Path]) -> None:
    src, hub, key = hub_world["src"], hub_world["hub"], hub_world["key"]
    for name in NAMES[:2]:
        (src / f"{name}.txt").unlink()
    satchel("publish", src, "--hub", hub, "--key", key).error_line()
    dry = satchel("publish", src, "--hub", hub, "--key", key, "--dry-run").stdout
    assert "A real publish would refuse" in dry
    assert (
        satchel(
            "publish", src, "--hub", hub, "--key", key, "--max-withdraw-share", "60%"
        ).returncode
        == 0
    )
    (src / "charlie.txt").unlink()
    run = satchel("publish", src, "--hub", hub, "--key", key, "--allow-withdraw")
    assert "1 withdrawn" in run.stdout
    assert (
        "not between 0 and 1"
        in satchel("publish", src, "--hub", hub, "--key", key, "--max-withdraw-share", "2").stderr
    )


@pytest.mark.skipif(not hasattr(__import__("os"), "getuid") or __import__("os").getuid() == 0,
                    reason="root may read an unreadable file")  # fmt: skip
def test_an_unreadable_source_file_is_in_the_plan(hub_world: dict[str, Path]) -> None:
    locked = make_text(hub_world["src"] / "locked.txt", "secret")
    locked.chmod(0)
    try:
        plan = plan_publish(hub_world["src"], hub_world["hub"], load_signing_key(hub_world["key"]))
        assert plan.unreadable == ["locked.txt"]
        line = satchel(
            "publish", hub_world["src"], "--hub", hub_world["hub"], "--key", hub_world["key"]
        ).error_line()
        assert "Cannot read locked.txt" in line
    finally:
        locked.chmod(0o600)


def test_a_folder_that_is_not_a_hub_is_refused(hub_world: dict[str, Path], tmp_path: Path) -> None:
    folder = tmp_path / "projects"
    make_text(folder / "plan.txt", "mine")
    before = tree(folder)
    line = satchel(
        "publish", hub_world["src"], "--hub", folder, "--key", hub_world["key"]
    ).error_line()
    assert "is not empty and is not a Satchel hub" in line and str(folder) in line
    assert tree(folder) == before
    a_file = tmp_path / "file-hub"
    a_file.write_text("x")
    assert (
        "is a file, not a folder"
        in satchel(
            "publish", hub_world["src"], "--hub", a_file, "--key", hub_world["key"]
        ).error_line()
    )


def test_a_failed_first_publish_leaves_no_hub_folder(hub_world: dict[str, Path]) -> None:
    src = hub_world["src"]
    (src / "satchel.toml").write_text('["missing.txt"]\ntitle = "Gone"\n')
    new_hub = src.parent / "new-hub"
    satchel("publish", src, "--hub", new_hub, "--key", hub_world["key"]).error_line()
    assert not new_hub.exists()


@pytest.mark.parametrize(
    ("toml", "needles"),
    [
        (
            '[defaults]\ntags = { regoin = ["DACH"] }\n',
            ["satchel.toml [defaults]", "unknown tag kind 'regoin'", "product, segment, stage"],
        ),
        (
            '["alpha.txt"]\ntags = { Colour = ["red"] }\n',
            ["satchel.toml ['alpha.txt']", "unknown tag kind 'Colour'"],
        ),
        (
            '["Alpha.TXT"]\ntitle = "Alpha"\n',
            ["satchel.toml ['Alpha.TXT']", "there is no file 'Alpha.TXT'"],
        ),
    ],
)
def test_sidecar_mistakes_are_errors_naming_file_and_key(
    hub_world: dict[str, Path], toml: str, needles: list[str]
) -> None:
    src = hub_world["src"]
    (src / "satchel.toml").write_text(toml)
    before = tree(hub_world["hub"])
    line = satchel("publish", src, "--hub", hub_world["hub"], "--key", hub_world["key"])
    text = line.error_line()
    assert str(src / "satchel.toml") in text
    for needle in needles:
        assert needle in text, (needle, text)
    assert tree(hub_world["hub"]) == before
    with pytest.raises(SidecarError):
        plan_publish(src, hub_world["hub"], load_signing_key(hub_world["key"]))


def _catalog(hub: Path) -> dict[str, object]:
    return {i.id: i for i in read_catalog_unverified((hub / "catalog.json").read_bytes()).items}


def test_a_change_note_belongs_to_its_version(tmp_path: Path) -> None:
    src, hub = tmp_path / "src", tmp_path / "hub"
    make_text(src / "price.txt", "v1")
    key_path = tmp_path / "key"
    satchel("keygen", "--out", key_path, check=True)
    key = load_signing_key(key_path)
    publish(src, hub, key, workers=1)
    make_text(src / "price.txt", "v2")
    (src / "satchel.toml").write_text('["price.txt"]\nchange_note = "Q3 list prices"\n')
    publish(src, hub, key, workers=1)
    make_text(src / "price.txt", "v3")  # the note is left in the sidecar
    publish(src, hub, key, workers=1)
    item = _catalog(hub)["price"]
    notes = [(h.version, h.change_note) for h in item.history]  # type: ignore[attr-defined]
    assert notes == [(1, "First release"), (2, "Q3 list prices"), (3, "")]


def test_expiry_date_means_usable_through_that_date_utc(tmp_path: Path) -> None:
    src, hub = tmp_path / "src", tmp_path / "hub"
    make_text(src / "offer.txt", "offerword")
    (src / "satchel.toml").write_text('["offer.txt"]\nexpires = 2026-12-20\n')
    key_path = tmp_path / "key"
    satchel("keygen", "--out", key_path, check=True)
    publish(src, hub, load_signing_key(key_path), workers=1)
    item = _catalog(hub)["offer"]
    assert item.expires_at == datetime(2026, 12, 21, tzinfo=UTC)  # type: ignore[attr-defined]
    raw = json.loads((hub / "catalog.json").read_text())
    assert "payload_gzip" in raw or "payload" in raw
