"""Marketing answers back: inbox lists flags and requests; respond records a reply that the
next signed catalog carries; the rep is told once and sees it on the item."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.catalog import parse_catalog
from app.core.errors import UnsafeCatalogError
from tests.helpers.cli import satchel


def _inbox(hub: Path, *extra: str | Path) -> list[dict[str, object]]:
    rows = json.loads(satchel("inbox", "--hub", hub, "--json", *extra, check=True).stdout)
    assert isinstance(rows, list)
    return rows


def test_flag_and_request_answered_reach_the_rep_once(
    tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    src, hub, ann, bob = tmp_path / "src", tmp_path / "hub", tmp_path / "ann", tmp_path / "bob"
    src.mkdir()
    (src / "pricing.txt").write_text("Hospital pricing 2025.")
    satchel("publish", src, "--hub", hub, "--key", key, check=True)
    for home in (ann, bob):
        satchel("sync", "--hub", hub, "--trust", pub, home=home, check=True)
    satchel("flag", "pricing", "--reason", "outdated", "--note", "2025 prices", home=ann)
    satchel("request", "Case study for German hospitals", home=ann, check=True)
    satchel("sync", home=ann, check=True)  # uploads both

    listed = satchel("inbox", "--hub", hub, check=True).stdout.splitlines()
    assert len(listed) == 2
    assert "flag outdated on pricing v1: 2025 prices" in listed[0] and "[open]" in listed[0]
    assert "request: Case study for German hospitals" in listed[1]
    rows = _inbox(hub)
    flag_id, request_id = (str(r["id"]) for r in rows)
    assert [r["kind"] for r in rows] == ["flag", "request"]
    assert listed[0].startswith(flag_id[:8]) and str(rows[0]["age"]).endswith("m")

    satchel(
        "respond", flag_id[:8], "--status", "planned", "--note", "Q3 prices in June",
        "--hub", hub, "--key", key, check=True,
    )  # fmt: skip
    missing = satchel(
        "respond", request_id[:8], "--status", "done", "--item", "case-study",
        "--hub", hub, "--key", key,
    )  # fmt: skip
    assert "no current item 'case-study'" in missing.error_line()
    assert "not yet published" in satchel("inbox", "--hub", hub, "--key", key).stdout

    (src / "case-study.txt").write_text("How a German hospital group cut costs.")
    satchel("publish", src, "--hub", hub, "--key", key, check=True)
    satchel(
        "respond", request_id, "--status", "done", "--item", "case-study",
        "--hub", hub, "--key", key, check=True,
    )  # fmt: skip
    published = satchel("publish", src, "--hub", hub, "--key", key, check=True).stdout
    assert "1 new reply to reps" in published  # the flag's went out with the case study

    told = satchel("sync", home=ann, check=True).stdout
    assert "Marketing marked your flag on pricing planned: Q3 prices in June." in told
    assert (
        "Marketing marked your request 'Case study for German hospitals' done "
        "(see item case-study)." in told
    )
    assert "Marketing marked" not in satchel("sync", home=ann, check=True).stdout  # once
    items = {i["id"]: i for i in json.loads(satchel("items", "--json", home=ann).stdout)}
    assert [r["status"] for r in items["pricing"]["replies"]] == ["planned"]
    assert items["case-study"]["replies"][0]["answer_item"] == "case-study"
    assert items["case-study"]["replies"][0]["own"] is True

    # another rep sees that the flag on the item is being dealt with, but is not notified
    told_bob = satchel("sync", home=bob, check=True).stdout
    assert "Marketing marked" not in told_bob
    bob_items = {i["id"]: i for i in json.loads(satchel("items", "--json", home=bob).stdout)}
    assert bob_items["pricing"]["replies"][0]["own"] is False
    assert bob_items["case-study"]["replies"] == []  # the request was not bob's

    open_now = _inbox(hub)
    assert [r["id"] for r in open_now] == [flag_id]  # done ones are not open
    assert {r["status"] for r in _inbox(hub, "--all")} == {"planned", "done"}

    # a changed status is news again
    satchel("respond", flag_id, "--status", "done", "--hub", hub, "--key", key, check=True)
    satchel("publish", src, "--hub", hub, "--key", key, check=True)
    assert "your flag on pricing done." in satchel("sync", home=ann, check=True).stdout

    # the key moved to a machine without its replies file: what was signed stays signed
    Path(f"{key}.replies.json").unlink()
    (src / "new.txt").write_text("Something new.")
    satchel("publish", src, "--hub", hub, "--key", key, check=True)
    assert {r["status"] for r in _inbox(hub, "--all")} == {"done"}


def test_respond_errors_are_one_sentence(tmp_path: Path, signing_key: tuple[Path, Path]) -> None:
    key, _pub = signing_key
    src, hub = tmp_path / "src", tmp_path / "hub"
    src.mkdir()
    (src / "a.txt").write_text("alpha")
    satchel("publish", src, "--hub", hub, "--key", key, check=True)
    line = satchel("respond", "abc", "--status", "done", "--hub", hub, "--key", key).error_line()
    assert "at least 6 characters" in line
    line = satchel("respond", "abcdef12", "--status", "done", "--hub", hub, "--key", key)
    assert "no flag or request" in line.error_line()
    assert "No open flags or requests" in satchel("inbox", "--hub", hub, check=True).stdout
    line = satchel("inbox", "--hub", tmp_path / "nowhere").error_line()
    assert "does not exist" in line


def test_catalog_replies_are_parsed_strictly_and_old_catalogs_still_parse() -> None:
    base = {"format": "satchel-catalog", "version": 1, "serial": 1, "items": []}
    base["created_at"] = "2026-01-01T00:00:00Z"
    assert parse_catalog(json.dumps(base)).replies == []
    good = {
        "id": "0b9f7c1e-1111-4222-8333-944455556666",
        "kind": "flag",
        "status": "planned",
        "answered_at": "2026-01-02T00:00:00Z",
        "note": "soon\u202e\nx",
        "item_id": "pricing",
        "answer_item": None,
    }
    (reply,) = parse_catalog(json.dumps({**base, "replies": [good]})).replies
    assert reply.note == "soon x"  # one plain line
    bad_ones = [
        {**good, "id": "../../etc"},
        {**good, "status": "maybe"},
        {**good, "kind": "open"},
        {**good, "item_id": "../x"},
        {**good, "answered_at": None},
        "not a reply",
    ]
    for bad in bad_ones:
        with pytest.raises(UnsafeCatalogError):
            parse_catalog(json.dumps({**base, "replies": [bad]}))
    with pytest.raises(UnsafeCatalogError):
        parse_catalog(json.dumps({**base, "replies": [good, good]}))
    with pytest.raises(UnsafeCatalogError):
        parse_catalog(json.dumps({**base, "replies": {"a": good}}))
