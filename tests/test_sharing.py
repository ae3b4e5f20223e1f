"""Internal vs shareable: marketing marks items internal in a sidecar; the mark is signed in
the catalog, stored on the rep's items, filterable in search, and guards sending."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from app.core.catalog import load_verified_catalog, parse_catalog
from app.core.errors import UnsafeCatalogError
from app.core.itconfig import load_it_config
from app.core.library import Library
from app.core.sharing import InternalItemsError, check_send, internal_items
from app.core.sidecar import SidecarError
from app.core.signing import load_public_key
from app.core.usage.journal import Journal
from tests.helpers.cli import satchel
from tests.helpers.hubs import publish_folder, sync_home

SIDECAR = """
[defaults]
share = "internal"

["overview.txt"]
share = "external"
"""


def _source(src: Path) -> None:
    (src / "Battlecards").mkdir(parents=True)
    (src / "overview.txt").write_text("Company overview zebra for every customer.")
    (src / "brochure.txt").write_text("Product brochure zebra for customers.")
    (src / "Battlecards" / "rival.txt").write_text("Internal use only. Rival zebra weaknesses.")
    (src / "Battlecards" / "satchel.toml").write_text('[defaults]\nshare = "internal"\n')
    (src / "satchel.toml").write_text('["brochure.txt"]\ntitle = "Brochure"\n')


@pytest.fixture
def rep(tmp_path: Path, signing_key: tuple[Path, Path]) -> tuple[Path, Path, Path]:
    key, pub = signing_key
    src, hub, home = tmp_path / "src", tmp_path / "hub", tmp_path / "rep"
    _source(src)
    publish_folder(src, hub, key)
    sync_home(home, hub, pub)
    return src, hub, home


def test_share_cascades_through_defaults_and_is_signed(
    tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    src, hub = tmp_path / "src", tmp_path / "hub"
    src.mkdir()
    (src / "Internal").mkdir()
    (src / "Internal" / "satchel.toml").write_text(SIDECAR)
    (src / "Internal" / "overview.txt").write_text("overview")
    (src / "Internal" / "price-guide.txt").write_text("price guide")
    (src / "brochure.txt").write_text("brochure")
    publish_folder(src, hub, key)
    catalog = load_verified_catalog((hub / "catalog.json").read_bytes(), load_public_key(pub))
    shares = {i.id: i.share for i in catalog.items}
    assert shares == {
        "internal-overview": "external",  # a file's own table beats its folder's defaults
        "internal-price-guide": "internal",
        "brochure": "external",  # the default: approved collateral is shareable
    }


def test_a_bad_share_value_stops_the_publish_naming_the_file(
    tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text("a")
    (src / "satchel.toml").write_text('["a.txt"]\nshare = "secret"\n')
    with pytest.raises(SidecarError, match=r"share must be \"internal\" or \"external\""):
        publish_folder(src, tmp_path / "hub", signing_key[0])


def test_catalogs_without_share_read_as_external_and_unknown_values_as_internal() -> None:
    item = {
        "id": "a",
        "filename": "a.txt",
        "version": 1,
        "sha256": "0" * 64,
        "size": 1,
        "published_at": "2026-12-01T00:00:00Z",
        "updated_at": "2026-12-01T00:00:00Z",
    }
    raw = {
        "format": "satchel-catalog",
        "version": 1,
        "serial": 1,
        "created_at": "2026-12-01T00:00:00Z",
        "items": [item],
    }
    assert parse_catalog(json.dumps(raw)).items[0].share == "external"
    item["share"] = "confidential"  # a later publisher's value: taken as the safe one
    assert parse_catalog(json.dumps(raw)).items[0].share == "internal"
    item["share"] = ["internal"]
    with pytest.raises(UnsafeCatalogError, match="malformed share"):
        parse_catalog(json.dumps(raw))


def test_the_rep_library_stores_share_and_a_metadata_change_reaches_it(
    rep: tuple[Path, Path, Path], signing_key: tuple[Path, Path]
) -> None:
    src, hub, home = rep
    with Library.open(home) as lib:
        assert {i.id: i.share for i in lib.items()} == {
            "overview": "external",
            "brochure": "external",
            "battlecards-rival": "internal",
        }
        assert [i.id for i in internal_items(lib.items())] == ["battlecards-rival"]
    (src / "satchel.toml").write_text('["brochure.txt"]\nshare = "internal"\n')
    publish_folder(src, hub, signing_key[0])
    result = sync_home(home, hub, signing_key[1])
    assert result.metadata_changed == ["brochure"]
    with Library.open(home) as lib:
        assert lib.item("brochure").share == "internal"


def test_a_library_from_before_share_learns_it_at_the_next_sync(
    rep: tuple[Path, Path, Path], signing_key: tuple[Path, Path]
) -> None:
    _src, hub, home = rep
    db = home / "library.db"
    if not db.exists():
        db = next(home.rglob("*.db"))
    with sqlite3.connect(db) as conn:  # as schema 2 left it: no share, no rendition
        conn.execute("ALTER TABLE items DROP COLUMN share")
        conn.execute("ALTER TABLE items DROP COLUMN rendition_sha256")
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    with Library.open(home) as lib:
        assert lib.item("battlecards-rival").share == "external"  # unknown until synced
    sync_home(home, hub, signing_key[1])
    with Library.open(home) as lib:
        assert lib.item("battlecards-rival").share == "internal"


def test_search_filters_by_share_in_the_shipped_and_the_local_index(
    rep: tuple[Path, Path, Path], signing_key: tuple[Path, Path], tmp_path: Path
) -> None:
    home = rep[2]  # adopted the publisher's shipped index
    dach = tmp_path / "rebuilt"  # indexes its own items locally
    sync_home(dach, rep[1], signing_key[1])
    for where in (home, dach):
        with Library.open(where) as lib:
            if where == dach:
                lib.rebuild_index()
            internal = lib.search("zebra", filters={"share": "internal"})
            external = lib.search("zebra", filters={"share": "external"})
            assert [h.id for h in internal.hits] == ["battlecards-rival"]
            assert {h.id for h in external.hits} == {"overview", "brochure"}
    found = satchel("search", "zebra", "--filter", "share=internal", "--json", home=home)
    assert [hit["id"] for hit in json.loads(found.stdout)] == ["battlecards-rival"], found.stderr


def test_check_send_names_internal_items_and_honours_it_lock(
    rep: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    home = rep[2]
    with Library.open(home) as lib:
        items = lib.items()
    check_send(
        [i for i in items if i.share == "external"], confirmed=False, config=None, flag="--x"
    )
    with pytest.raises(InternalItemsError, match="internal use only; to send anyway, add --x"):
        check_send(items, confirmed=False, config=None, flag="--x")
    check_send(items, confirmed=True, config=None, flag="--x")
    machine = tmp_path / "machine.toml"
    machine.write_text("block_internal_send = true\n")
    user = tmp_path / "user.toml"
    user.write_text("block_internal_send = false\n")  # a user cannot loosen IT's lock
    config = load_it_config(machine, user)
    assert config.block_internal_send is True
    with pytest.raises(InternalItemsError, match="does not allow sending internal items"):
        check_send(items, confirmed=True, config=config, flag="--x")


def test_cli_send_refuses_internal_items_without_the_flag(
    rep: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    home = rep[2]
    out = tmp_path / "draft.eml"
    args = ("send", "overview", "battlecards-rival", "--to", "a@example.com", "--out", out)
    line = satchel(*args, home=home).error_line()
    assert "rival" in line and "--include-internal" in line
    assert not out.exists()
    ok = satchel(*args, "--include-internal", home=home)
    assert ok.returncode == 0, ok.stderr
    assert out.is_file()
    with Library.open(home) as lib:
        sent = {e.item_id: e.data for e in Journal(lib).events() if e.kind == "send"}
    assert sent["battlecards-rival"]["internal"] is True
    assert "internal" not in sent["overview"]

    config = tmp_path / "it.toml"
    config.write_text("block_internal_send = true\n")
    blocked = satchel(*args, "--include-internal", home=home, env={"SATCHEL_CONFIG": str(config)})
    assert "does not allow sending internal items" in blocked.error_line()


def test_marketing_report_counts_internal_items_sent_out(
    rep: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    from app.core.report.build import build_report

    _src, hub, home = rep
    with Library.open(home) as lib:
        journal = Journal(lib)
        journal.record_many("send", [lib.item("battlecards-rival"), lib.item("overview")], {})
        journal.record("copy", item=lib.item("battlecards-rival"), data={"how": "drag"})
    satchel("sync", home=home, check=True)  # uploads the events into the hub's inbox
    summary = build_report(str(hub), tmp_path / "report")
    assert summary.figures.headline.internal_out == 2
    with (tmp_path / "report" / "items.csv").open(encoding="utf-8", newline="") as fh:
        sent = {r["item_id"]: r["internal_sent"] for r in csv.DictReader(fh)}
    assert sent["battlecards-rival"] == "2" and sent["overview"] == "0"
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "internal items sent or copied out" in page
