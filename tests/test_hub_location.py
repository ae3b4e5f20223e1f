"""One reading of a hub location for every opener: sync, upload, report and the watcher."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.core.errors import HubError
from app.core.hub import (
    FolderHub,
    FolderInbox,
    HttpHub,
    HttpInbox,
    normalise_location,
    open_hub,
    open_inbox,
    parse_location,
)
from app.core.report.sources import FolderSource, HttpSource, open_source

HOME = Path("~").expanduser()
POSIX = pytest.mark.skipif(os.name == "nt", reason="POSIX paths")

# location as typed -> (url, folder); None: that side is absent
TABLE: list[tuple[str, str | None, Path | None]] = [
    ("http://hub.example/satchel", "http://hub.example/satchel/", None),
    ("https://hub.example/satchel/", "https://hub.example/satchel/", None),
    ("HTTPS://hub.example/x", "HTTPS://hub.example/x/", None),
    ("  https://hub.example/x/  ", "https://hub.example/x/", None),
    ("~/hub", None, HOME / "hub"),
    ("~", None, HOME),
    ("relative/hub", None, Path("relative/hub")),
    ("./hub", None, Path("hub")),
    ("hub", None, Path("hub")),
]
POSIX_TABLE: list[tuple[str, str | None, Path | None]] = [
    ("/srv/hub", None, Path("/srv/hub")),
    ("file:///srv/hub", None, Path("/srv/hub")),
    ("file://localhost/srv/hub", None, Path("/srv/hub")),
    ("file:///srv/my%20hub", None, Path("/srv/my hub")),
    ("FILE:///srv/hub", None, Path("/srv/hub")),
]
REFUSED = ["ftp://hub.example/x", "s3://bucket/hub", "https://", "http:///path", "", "   "]


@pytest.mark.parametrize(("text", "url", "folder"), TABLE)
def test_locations_parse_the_same(text: str, url: str | None, folder: Path | None) -> None:
    where = parse_location(text)
    assert (where.url, where.folder) == (url, folder)


@POSIX
@pytest.mark.parametrize(("text", "url", "folder"), POSIX_TABLE)
def test_posix_folders_and_file_urls(text: str, url: str | None, folder: Path | None) -> None:
    where = parse_location(text)
    assert (where.url, where.folder) == (url, folder)


@POSIX
def test_a_file_url_naming_another_computer_is_refused() -> None:
    with pytest.raises(HubError, match="another computer"):
        parse_location("file://server/share/hub")


@pytest.mark.parametrize("text", REFUSED)
def test_what_names_no_hub_is_refused_in_one_sentence(text: str) -> None:
    with pytest.raises(HubError) as info:
        parse_location(text)
    assert "\n" not in str(info.value) and str(info.value).endswith(".")


@POSIX
def test_every_opener_reads_a_file_url_as_the_same_folder(tmp_path: Path) -> None:
    url = tmp_path.as_uri()
    hub, inbox, source = open_hub(url), open_inbox(url), open_source(url)
    assert isinstance(hub, FolderHub) and hub.root == tmp_path
    assert isinstance(inbox, FolderInbox) and inbox.root == tmp_path
    assert isinstance(source, FolderSource) and source.root == tmp_path
    assert normalise_location(url) == str(tmp_path.resolve())


def test_every_opener_expands_the_home_folder() -> None:
    hub, inbox, source = open_hub("~/hub"), open_inbox("~/hub"), open_source("~/hub")
    assert isinstance(hub, FolderHub) and hub.root == HOME / "hub"
    assert isinstance(inbox, FolderInbox) and inbox.root == HOME / "hub"
    assert isinstance(source, FolderSource) and source.root == HOME / "hub"
    assert normalise_location("~/hub") == str((HOME / "hub").resolve())


def test_every_opener_reads_a_web_hub_with_one_base() -> None:
    text = "https://hub.example/satchel"
    hub, inbox, source = open_hub(text), open_inbox(text), open_source(text)
    assert isinstance(hub, HttpHub) and hub.base == text + "/"
    assert isinstance(inbox, HttpInbox) and inbox.base == text + "/"
    assert isinstance(source, HttpSource) and source.base == text + "/"
    assert normalise_location(text) == text + "/"


def test_relative_folders_are_remembered_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert normalise_location("hub") == str((tmp_path / "hub").resolve())
    assert isinstance(open_hub("hub"), FolderHub)


@pytest.mark.parametrize("opener", [open_hub, open_inbox, open_source])
def test_every_opener_refuses_an_unknown_scheme(opener: object) -> None:
    with pytest.raises(HubError, match="neither a folder nor an http"):
        opener("ftp://hub.example/x")  # type: ignore[operator]
