"""A damaged search index never fails a search: it is rebuilt from the library's database.

The index is a cache. Garbage in its files - found when it is opened, or only when a search
reads a damaged posting - makes the library rebuild it and search again; the command says
so in one line on stderr and prints the results. Only when the rebuilt index cannot be read
either does the search fail, with one sentence.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.errors import SearchIndexError
from app.core.library import Library
from app.core.search import SearchIndex
from tests.helpers.collateral import make_docx, make_pptx, make_text
from tests.helpers.hubs import publish_folder, sync_home

REPO = Path(__file__).resolve().parents[1]
SENTENCE = "The search index was damaged; rebuilt it from the library (5 items)."


@pytest.fixture
def home(tmp_path: Path, signing_key: tuple[Path, Path]) -> Path:
    key, pub = signing_key
    src, hub, home = tmp_path / "src", tmp_path / "hub", tmp_path / "home"
    make_pptx(src / "Pitch.pptx", ["Intro", "Hospital pricing tiers"])
    make_docx(src / "Brief.docx", ["Partner brief on hospital pricing"], title="Partner brief")
    make_text(src / "faq.txt", "Battery lasts nine days.")
    make_text(src / "notes.txt", "Elder care notes.")
    make_text(src / "terms.txt", "Pricing terms for clinics.")
    publish_folder(src, hub, key)
    sync_home(home, hub, pub)
    return home


def live_index_files(home: Path) -> list[Path]:
    folder = home / "index" / (home / "index" / "CURRENT").read_text(encoding="utf-8").strip()
    files = [f for f in folder.iterdir() if f.is_file()]
    assert len(files) > 3
    return files


def write_garbage(files: list[Path], *, same_size: bool = False) -> None:
    """Garbage into every file; ``same_size`` overwrites in place (files an open index has
    mapped keep their length)."""
    for f in files:
        size = f.stat().st_size
        if same_size:
            with f.open("r+b") as fh:
                fh.write(os.urandom(size))
        else:
            f.write_bytes(os.urandom(max(64, size // 3)))


def search_cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "main.py"), "--home", str(home), "search", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ},
    )


def test_cli_search_rebuilds_a_garbage_index(home: Path) -> None:
    write_garbage(live_index_files(home))
    proc = search_cli(home, "hospital pricing", "--json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == [SENTENCE]
    hits = json.loads(proc.stdout)
    assert {h["id"] for h in hits} >= {"pitch", "brief"}
    again = search_cli(home, "hospital pricing")  # repaired for good: nothing to say
    assert again.returncode == 0 and again.stderr == "" and "Pitch" in again.stdout


@pytest.mark.expect_log("the search index could not be read", logger="app.core")
def test_damage_found_while_searching_is_repaired_in_place(home: Path) -> None:
    """The index was open and fine; then its files turn to garbage under it."""
    told: list[int] = []
    with Library.open(home) as lib:
        assert lib.search("pricing").total == 3
        write_garbage(live_index_files(home), same_size=True)
        results = lib.search("pricing", on_rebuilt=told.append)
        assert {h.id for h in results.hits} == {"pitch", "brief", "terms"}
        assert told == [5]
        assert lib.search("battery").hits[0].id == "faq" and told == [5]


def test_an_index_of_another_version_is_rebuilt_quietly(home: Path) -> None:
    files = live_index_files(home)
    marker = next(f for f in files if f.name == "satchel-index.json")
    marker.write_text(json.dumps({**SearchIndex.compatibility(), "schema": 1}), "utf-8")
    proc = search_cli(home, "battery")
    assert proc.returncode == 0 and proc.stderr == "" and "faq" in proc.stdout


@pytest.mark.expect_log("the search index could not be read|search failed again", logger="app.core")
def test_a_search_that_fails_after_the_rebuild_is_one_sentence(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise TypeError("unsupported operand")

    monkeypatch.setattr(SearchIndex, "search", broken)
    told: list[int] = []
    with Library.open(home) as lib, pytest.raises(SearchIndexError) as caught:
        lib.search("pricing", on_rebuilt=told.append)
    message = str(caught.value)
    assert told == [5]  # it did rebuild, once
    assert "\n" not in message and message.startswith("The search index could not be read")
    assert "TypeError" in message
