"""A library folder is Satchel's or refused: a marker file names it, a folder of somebody
else's files is never written to, and Satchel deletes only the files it recorded as its own."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.core.library import Library
from app.core.paths import MARKER_NAME, home_status
from tests.helpers.cli import satchel, tree
from tests.helpers.collateral import make_text


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Path]:
    src, hub, key = tmp_path / "src", tmp_path / "hub", tmp_path / "keys" / "k"
    for name in ("alpha", "bravo", "charlie"):
        make_text(src / f"{name}.txt", f"{name}word in {name}")
    satchel("keygen", "--out", key, check=True)
    satchel("publish", src, "--hub", hub, "--key", key, "--quiet", check=True)
    return {"src": src, "hub": hub, "key": key, "pub": key.with_name("k.pub")}


def users_files(home: Path) -> dict[str, str]:
    for rel, text in {
        "files/taxes/2025.txt": "my taxes",
        "tmp/notes.txt": "my notes",
        "blobs/mine.bin": "mine",
    }.items():
        make_text(home / rel, text)
    return tree(home)


def test_a_folder_of_somebody_elses_files_is_refused_by_every_command(
    world: dict[str, Path], tmp_path: Path
) -> None:
    """Given a --home holding the user's own files, every command either refuses it in one
    sentence or does not touch it: afterwards every file is there, unchanged, and nothing
    was added."""
    home = tmp_path / "users-home"
    before = users_files(home)
    assert home_status(home) == "foreign"
    refusing = [
        ("sync", "--hub", world["hub"], "--trust", world["pub"]),
        ("sync",),
        ("items",),
        ("search", "alphaword"),
        ("open", "alpha"),
        ("send", "alpha", "--to", "buyer@example.com", "--out", tmp_path / "m.eml"),
        ("flag", "alpha", "--reason", "outdated"),
        ("request", "a case study"),
        ("usage", "export", "--out", tmp_path / "u.csv"),
    ]
    for args in refusing:
        line = satchel(*args, home=home).error_line()
        assert "is not a Satchel library and is not empty" in line and str(home) in line
    not_using_it = [
        ("keygen", "--out", tmp_path / "other" / "k2"),
        ("publish", world["src"], "--hub", world["hub"], "--key", world["key"]),
        ("report", "--hub", world["hub"], "--out", tmp_path / "report"),
    ]
    for args in not_using_it:
        assert satchel(*args, home=home).returncode == 0, args
    assert tree(home) == before


def test_an_empty_folder_becomes_a_library_and_keeps_what_is_put_there_later(
    world: dict[str, Path], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    satchel("sync", "--hub", world["hub"], "--trust", world["pub"], home=home, check=True)
    assert (home / MARKER_NAME).is_file() and home_status(home) == "library"
    mine = users_files(home)
    mine = {k: v for k, v in mine.items() if k.startswith(("files/taxes", "tmp/n", "blobs/m"))}
    (world["src"] / "alpha.txt").unlink()  # withdrawn: its files go, nobody else's
    make_text(world["src"] / "bravo.txt", "bravoword changed")
    satchel(
        "publish",
        world["src"],
        "--hub",
        world["hub"],
        "--key",
        world["key"],
        "--allow-withdraw",
        check=True,
    )
    assert "1 withdrawn" in satchel("sync", home=home, check=True).stdout
    after = tree(home)
    assert {k: after.get(k) for k in mine} == mine
    assert not any("alpha.txt" in k for k in after)  # Satchel's own files did go
    assert sum(k.endswith("bravo.txt") for k in after) == 1  # the old version too


def test_a_library_of_an_earlier_version_is_adopted(world: dict[str, Path], tmp_path: Path) -> None:
    """Given a library written before the marker and the list of owned files existed (the
    database at schema 1), opening it marks it, and the next sync still cleans up what its
    items used."""
    home = tmp_path / "old"
    satchel("sync", "--hub", world["hub"], "--trust", world["pub"], home=home, check=True)
    (home / MARKER_NAME).unlink()
    with sqlite3.connect(home / "satchel.db") as conn:
        conn.execute("DROP TABLE owned_files")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    assert home_status(home) == "adoptable"
    with Library.open(home) as lib:
        alpha_file = lib.file_path(lib.item("alpha"))
    assert home_status(home) == "library"
    (world["src"] / "alpha.txt").unlink()
    satchel(
        "publish",
        world["src"],
        "--hub",
        world["hub"],
        "--key",
        world["key"],
        "--allow-withdraw",
        check=True,
    )
    satchel("sync", home=home, check=True)
    assert not alpha_file.exists()


def test_a_database_that_is_not_satchels_is_not_adopted(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    with sqlite3.connect(home / "satchel.db") as conn:
        conn.execute("CREATE TABLE items (x)")
    assert home_status(home) == "foreign"
    assert "not a Satchel library" in satchel("items", home=home).error_line()


def test_a_file_as_home_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "a-file"
    home.write_text("mine")
    assert "is a file, not a folder" in satchel("items", home=home).error_line()
    assert home.read_text() == "mine"
