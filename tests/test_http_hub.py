"""URL hubs: the same guarantees over plain GETs from a real nginx on loopback."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.errors import (
    CancelledError,
    HashMismatchError,
    HubUnreachableError,
    RollbackError,
)
from tests.helpers.collateral import make_pptx, make_text
from tests.helpers.hubs import publish_folder, serial, snapshot, sync_home
from tests.helpers.nginx import serve_folder


@pytest.fixture
def web_hub(tmp_path: Path, signing_key: tuple[Path, Path]) -> Iterator[tuple[str, Path, Path]]:
    key, pub = signing_key
    src, hub = tmp_path / "src", tmp_path / "hub"
    make_pptx(src / "Pitch.pptx", ["Intro", "Elder care homes love the wristband"])
    make_text(src / "faq.txt", "Battery lasts nine days.")
    for n in range(2):
        (src / f"clip-{n}.mp4").write_bytes(hashlib.sha256(bytes([n])).digest() * 65536)
    publish_folder(src, hub, key)
    with serve_folder(hub, tmp_path / "nginx") as url:
        yield url, hub, src


def test_sync_from_url_hub(
    web_hub: tuple[str, Path, Path], tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    url, _hub, _src = web_hub
    home = tmp_path / "home"
    result = sync_home(home, url, signing_key[1])
    assert len(result.new) == 4 and result.files_fetched >= 4
    again = sync_home(home, url, signing_key[1])
    assert again.up_to_date and again.files_fetched == 0
    from app.core.library import Library

    with Library.open(home) as lib:
        hit = lib.search("elder care").hits[0]
        assert hit.id == "pitch" and hit.location == 2


def test_url_hub_tamper_and_rollback_refused(
    web_hub: tuple[str, Path, Path], tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    url, hub, src = web_hub
    key, pub = signing_key
    home = tmp_path / "home"
    old_catalog = (hub / "catalog.json").read_bytes()
    make_text(src / "faq.txt", "Battery lasts ten days now.")
    publish_folder(src, hub, key)
    sync_home(home, url, pub)
    before = snapshot(home)

    newest = (hub / "catalog.json").read_bytes()
    (hub / "catalog.json").write_bytes(old_catalog)
    with pytest.raises(RollbackError):
        sync_home(home, url, pub)
    (hub / "catalog.json").write_bytes(newest)

    make_text(src / "faq.txt", "Battery lasts eleven days.")
    publish_folder(src, hub, key)
    for obj in (hub / "objects").rglob("*"):
        if obj.is_file() and obj.read_bytes() == (src / "faq.txt").read_bytes():
            obj.write_bytes(b"Battery lasts eleven dayz.")
    with pytest.raises(HashMismatchError):
        sync_home(home, url, pub)
    assert snapshot(home) == before and serial(home) == 2


def test_url_sync_resumes_with_range_requests(
    web_hub: tuple[str, Path, Path], tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    url, _hub, _src = web_hub
    home = tmp_path / "home"
    state = {"bytes": 0}

    def progress(p: object) -> None:
        state["bytes"] = getattr(p, "bytes_done", 0)

    with pytest.raises(CancelledError):
        sync_home(
            home, url, signing_key[1], progress=progress, cancel=lambda: state["bytes"] > 2_500_000
        )
    assert snapshot(home) == {}
    result = sync_home(home, url, signing_key[1])
    assert result.bytes_resumed > 0
    assert len(snapshot(home)) == 4
    log = (tmp_path / "nginx" / "access.log").read_text()
    assert " 206 " in log  # the server was asked for the rest only


def test_unreachable_url_hub_is_a_clear_error(
    tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    with pytest.raises(HubUnreachableError, match="not reachable"):
        sync_home(tmp_path / "home", "http://127.0.0.1:9/", signing_key[1])
