"""Every failure a user can cause is one sentence naming the file or folder, exit 1, and
leaves no temporary file behind: each command fed the bad inputs a careless user gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers.cli import satchel, tree
from tests.helpers.collateral import make_text


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Path]:
    src, hub, key, home = tmp_path / "src", tmp_path / "hub", tmp_path / "k" / "key", tmp_path / "h"
    make_text(src / "alpha.txt", "alphaword")
    satchel("keygen", "--out", key, check=True)
    satchel("publish", src, "--hub", hub, "--key", key, check=True)
    satchel("sync", "--hub", hub, "--trust", key.with_name("key.pub"), home=home, check=True)
    satchel("request", "a case study", home=home, check=True)
    return {"src": src, "hub": hub, "key": key, "home": home, "root": tmp_path}


def test_each_command_refuses_bad_paths_in_one_sentence(world: dict[str, Path]) -> None:
    root, home, key, src, hub = (
        world["root"],
        world["home"],
        world["key"],
        world["src"],
        world["hub"],
    )
    a_file = make_text(root / "a-file.txt", "mine")
    a_folder = root / "a-folder"
    a_folder.mkdir()
    missing = root / "missing" / "deeper"
    cases = [
        (("publish", src, "--hub", a_file, "--key", key), str(a_file)),
        (("publish", root / "nope", "--hub", hub, "--key", key), "nope"),
        (("publish", src, "--hub", hub, "--key", root / "nokey"), "nokey"),
        (("usage", "export", "--out", a_folder), str(a_folder)),
        (("usage", "export", "--out", missing / "u.csv"), str(missing)),
        (("send", "alpha", "--to", "b@example.com", "--out", a_folder), str(a_folder)),
        (("send", "alpha", "--to", "b@example.com", "--out", missing / "m.eml"), str(missing)),
        (("sync", "--trust", root / "missing.pub"), "missing.pub"),
        (("sync", "--hub", a_file), str(a_file)),
        (("keygen", "--out", key), str(key)),
        (("open", "no-such-item"), "no-such-item"),
    ]
    before = {p: tree(p) for p in (root / "a-folder", hub, src)}
    for args, needle in cases:
        line = satchel(*args, home=home).error_line()
        assert needle in line, (args, line)
    assert {p: tree(p) for p in before} == before
    assert a_file.read_text() == "mine"
    leftovers = [p for p in root.rglob("*.tmp")]
    assert leftovers == []


@pytest.mark.skipif(os.getuid() == 0, reason="root writes into read-only folders")
def test_unwritable_folders_are_one_sentence(world: dict[str, Path]) -> None:
    locked = world["root"] / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert str(locked) in satchel("keygen", "--out", locked / "k").error_line()
        assert (
            str(locked)
            in satchel(
                "publish", world["src"], "--hub", locked / "hub", "--key", world["key"]
            ).error_line()
        )
        assert (
            str(locked)
            in satchel(
                "usage", "export", "--out", locked / "u.csv", home=world["home"]
            ).error_line()
        )
    finally:
        locked.chmod(0o700)
