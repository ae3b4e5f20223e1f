"""Usage goes only to a verified hub, and only a hub and key a sync succeeded with are
remembered: events queued, then syncs against wrong hubs, then the right one - marketing's
report counts every event exactly once, and the wrong hubs received nothing."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from tests.helpers.cli import satchel, tree
from tests.helpers.collateral import make_text


def test_events_reach_only_the_verified_hub_exactly_once(tmp_path: Path) -> None:
    src, hub, key = tmp_path / "src", tmp_path / "hub", tmp_path / "k" / "key"
    make_text(src / "alpha.txt", "alphaword pricing")
    make_text(src / "bravo.txt", "bravoword pricing")
    satchel("keygen", "--out", key, check=True)
    satchel("publish", src, "--hub", hub, "--key", key, check=True)
    pub = key.with_name("key.pub")
    home = tmp_path / "home"
    satchel("sync", "--hub", hub, "--trust", pub, home=home, check=True)

    # the wrong hubs: a folder that is no hub, a hub signed by another key, an unsigned one
    not_a_hub = tmp_path / "not-a-hub"
    make_text(not_a_hub / "readme.txt", "somebody's folder")
    other_key, other_hub = tmp_path / "k" / "other", tmp_path / "other-hub"
    satchel("keygen", "--out", other_key, check=True)
    satchel("publish", src, "--hub", other_hub, "--key", other_key, check=True)
    unsigned = tmp_path / "unsigned-hub"
    shutil.copytree(hub, unsigned)
    envelope = json.loads((unsigned / "catalog.json").read_text())
    envelope["signatures"] = []
    (unsigned / "catalog.json").write_text(json.dumps(envelope))

    satchel("search", "pricing", home=home, check=True)
    satchel("flag", "alpha", "--reason", "outdated", "--note", "old prices", home=home, check=True)
    satchel("request", "case study for German hospitals", home=home, check=True)
    satchel("open", "bravo", "--print-path", home=home, check=True)  # not an event
    wrong_before = {p: tree(p) for p in (not_a_hub, other_hub, unsigned)}

    for args in (
        ("--hub", not_a_hub),
        ("--hub", other_hub),
        ("--hub", unsigned),
        ("--trust", other_key.with_name("other.pub")),
        ("--hub", other_hub, "--trust", tmp_path / "missing.pub"),
    ):
        satchel("sync", *args, home=home).error_line()
    for folder, before in wrong_before.items():
        assert tree(folder) == before, folder  # no inbox, no batch
    assert not (hub / "inbox").exists()

    out = satchel("sync", home=home, check=True).stdout  # the remembered hub is still right
    assert "Uploaded 3 event(s)" in out
    satchel("sync", home=home, check=True)  # nothing twice
    report = tmp_path / "report"
    satchel("report", "--hub", hub, "--out", report, check=True)
    with (report / "flags.csv").open(encoding="utf-8") as fh:
        flags = list(csv.DictReader(fh))
    with (report / "requests.csv").open(encoding="utf-8") as fh:
        requests = list(csv.DictReader(fh))
    with (report / "searches.csv").open(encoding="utf-8") as fh:
        searches = list(csv.DictReader(fh))
    assert [(f["item_id"], f["reason"], f["note"]) for f in flags] == [
        ("alpha", "outdated", "old prices")
    ]
    assert [r["text"] for r in requests] == ["case study for German hospitals"]
    assert [(s["query"], s["searches"]) for s in searches] == [("pricing", "1")]
    batches = list((hub / "inbox").rglob("*.json"))
    events = [e for b in batches for e in json.loads(b.read_text())["events"]]
    assert len(events) == len({e["id"] for e in events}) == 3
