"""Audiences: marketing aims items at some reps; each rep's sync fetches, lists and indexes
only the items aimed at them (targeting, not secrecy)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from app.core.catalog import (
    audience_key,
    audience_matches,
    load_verified_catalog,
    parse_catalog,
)
from app.core.errors import UnsafeCatalogError
from app.core.library import Library
from app.core.library_index import INDEX_MANIFEST_KEY, INDEX_REFUSED_KEY
from app.core.signing import load_public_key
from tests.helpers.cli import satchel

SIDECAR = """
[defaults]
audiences = ["region:DACH"]

["dach-pricing.txt"]
title = "DACH pricing"

["se-playbook.txt"]
audiences = ["role:SE"]

["everyone.txt"]
audiences = []
"""


def _source(src: Path) -> None:
    src.mkdir(parents=True)
    (src / "dach-pricing.txt").write_text("Krankenhaus pricing sheet zebra for DACH hospitals.")
    (src / "se-playbook.txt").write_text("Solution engineer playbook zebra demo script.")
    (src / "everyone.txt").write_text("Company overview zebra for every rep.")
    (src / "satchel.toml").write_text(SIDECAR)


def _adopted(home: Path) -> bool:
    with Library.open(home) as lib:
        assert lib.meta(INDEX_REFUSED_KEY) is None
        return lib.meta(INDEX_MANIFEST_KEY) is not None


def _ids(home: Path, *args: str) -> set[str]:
    return {i["id"] for i in json.loads(satchel(*args, "--json", home=home, check=True).stdout)}


def test_two_reps_with_different_audiences_see_exactly_their_items(
    tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    src, hub = tmp_path / "src", tmp_path / "hub"
    _source(src)
    satchel("publish", src, "--hub", hub, "--key", key, check=True)
    catalog = load_verified_catalog((hub / "catalog.json").read_bytes(), load_public_key(pub))
    aimed = {i.id: i.audiences for i in catalog.items}
    assert aimed == {"dach-pricing": ["region:DACH"], "se-playbook": ["role:SE"], "everyone": []}

    dach, se, everybody = tmp_path / "dach", tmp_path / "se", tmp_path / "all"
    satchel("config", "audiences", "REGION:dach", home=dach, check=True)  # case is ignored
    satchel("config", "audiences", "role:SE", home=se, check=True)
    for home in (dach, se, everybody):
        satchel("sync", "--hub", hub, "--trust", pub, home=home, check=True)

    assert _ids(dach, "items") == {"dach-pricing", "everyone"}
    assert _ids(se, "items") == {"se-playbook", "everyone"}
    assert _ids(everybody, "items") == {"dach-pricing", "se-playbook", "everyone"}
    assert _ids(dach, "search", "zebra") == {"dach-pricing", "everyone"}
    assert _ids(se, "search", "zebra") == {"se-playbook", "everyone"}
    assert _ids(everybody, "search", "zebra") == {"dach-pricing", "se-playbook", "everyone"}
    # the shipped index covers every item: only the rep who sees them all adopts it, the
    # others index their own items (and do not mark the shipped index as refused)
    assert _adopted(everybody) and not _adopted(dach) and not _adopted(se)
    # not downloaded either: the other audience's bytes are nowhere in the library
    se_bytes = (src / "se-playbook.txt").read_bytes()
    assert not any(p.is_file() and p.read_bytes() == se_bytes for p in dach.rglob("*"))
    assert satchel("open", "se-playbook", "--print-path", home=dach).returncode != 0

    # a rep who changes audiences gets the other items at the next sync of the same catalog
    satchel("config", "audiences", "role:SE", "region:DACH", home=se, check=True)
    satchel("sync", home=se, check=True)
    assert _ids(se, "items") == {"dach-pricing", "se-playbook", "everyone"}
    assert _ids(se, "search", "zebra") == {"dach-pricing", "se-playbook", "everyone"}
    satchel("config", "audiences", "region:DACH", home=se, check=True)
    left = satchel("sync", home=se, check=True).stdout
    assert "0 withdrawn, 1 no longer aimed at you" in left
    assert _ids(se, "items") == {"dach-pricing", "everyone"}
    satchel("config", "audiences", home=dach, check=True)  # none: every item
    satchel("sync", home=dach, check=True)
    assert _ids(dach, "items") == {"dach-pricing", "se-playbook", "everyone"}
    assert _adopted(dach)  # now it indexes exactly the catalog's items
    assert _ids(dach, "search", "zebra") == {"dach-pricing", "se-playbook", "everyone"}


def test_it_config_sets_and_locks_the_audiences(
    tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    src, hub, home = tmp_path / "src", tmp_path / "hub", tmp_path / "home"
    _source(src)
    satchel("publish", src, "--hub", hub, "--key", key, check=True)
    config = tmp_path / "it.toml"
    config.write_text('audiences = ["role:SE"]\nlocked = ["audiences"]\n')
    env = {"SATCHEL_CONFIG": str(config)}
    shown = satchel("config", "show", home=home, env=env, check=True).stdout
    assert "audiences: role:SE (set by IT)" in shown
    refused = satchel("config", "audiences", "region:DACH", home=home, env=env)
    assert "set by your IT department" in refused.error_line()
    satchel("sync", "--hub", hub, "--trust", pub, home=home, env=env, check=True)
    assert _ids(home, "items") == {"se-playbook", "everyone"}


def test_bad_audiences_are_one_sentence(tmp_path: Path, signing_key: tuple[Path, Path]) -> None:
    key, _pub = signing_key
    src, hub = tmp_path / "src", tmp_path / "hub"
    src.mkdir()
    (src / "a.txt").write_text("alpha")
    (src / "satchel.toml").write_text('["a.txt"]\naudiences = ["region;DACH"]\n')
    line = satchel("publish", src, "--hub", hub, "--key", key).error_line()
    assert "audience" in line and "satchel.toml" in line
    assert not (hub / "catalog.json").exists()
    line = satchel("config", "audiences", "bad\nlabel", home=tmp_path / "h").error_line()
    assert "audience" in line


def test_catalog_audiences_are_parsed_strictly_and_old_catalogs_still_parse() -> None:
    item = {
        "id": "a",
        "filename": "a.txt",
        "version": 1,
        "sha256": "0" * 64,
        "size": 1,
        "published_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
    }
    base = {"format": "satchel-catalog", "version": 1, "serial": 1}
    base["created_at"] = "2026-01-01T00:00:00Z"
    old = parse_catalog(json.dumps({**base, "items": [item]}))
    assert old.items[0].audiences == []
    for bad in ("region:DACH", ["x" * 65], [1], ["a"] * 33, ["\u202eevil"]):
        with pytest.raises(UnsafeCatalogError):
            parse_catalog(json.dumps({**base, "items": [{**item, "audiences": bad}]}))
    ok = parse_catalog(json.dumps({**base, "items": [{**item, "audiences": ["role:SE"]}]}))
    assert ok.items[0].audiences == ["role:SE"]


def test_matching_rule() -> None:
    rep = frozenset({audience_key("Region:DACH"), audience_key("role:AE")})
    assert audience_matches([], rep)  # aimed at no one in particular: everyone
    assert audience_matches(["region:dach", "role:SE"], rep)  # any one shared audience
    assert not audience_matches(["role:SE"], rep)
    assert audience_matches(["role:SE"], None)  # a rep without audiences sees everything


def test_report_breaks_usage_down_by_audience(
    tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    src, hub, home, out = tmp_path / "src", tmp_path / "hub", tmp_path / "home", tmp_path / "r"
    _source(src)
    satchel("publish", src, "--hub", hub, "--key", key, check=True)
    satchel("config", "audiences", "region:DACH", home=home, check=True)
    satchel("sync", "--hub", hub, "--trust", pub, home=home, check=True)
    satchel("open", "dach-pricing", "--print-path", home=home, check=True)
    satchel("flag", "dach-pricing", "--reason", "outdated", home=home, check=True)
    satchel("sync", home=home, check=True)  # uploads the flag
    satchel("report", "--hub", hub, "--out", out, check=True)

    with (out / "items.csv").open(encoding="utf-8") as fh:
        items = {r["item_id"]: r for r in csv.DictReader(fh)}
    assert items["dach-pricing"]["audiences"] == "region:DACH"
    assert items["everyone"]["audiences"] == ""
    with (out / "audiences.csv").open(encoding="utf-8") as fh:
        rows = {r["audience"]: r for r in csv.DictReader(fh)}
    assert list(rows) == ["(everyone)", "region:DACH", "role:SE"]
    assert rows["region:DACH"]["items"] == "1" and rows["region:DACH"]["flags"] == "1"
    assert rows["role:SE"]["flags"] == "0" and rows["(everyone)"]["items"] == "1"
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<h2>Use by audience</h2>" in page and "region:DACH" in page
