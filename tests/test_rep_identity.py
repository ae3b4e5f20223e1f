"""A rep is one stable rep id from the first event; the name is an attribute that reaches
the report, set by the rep (`satchel config rep-name`) or by IT, who can lock pseudonyms on."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.helpers.cli import satchel
from tests.helpers.collateral import make_text


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_setting_a_name_after_first_use_keeps_one_rep(tmp_path: Path) -> None:
    src, hub, key, home = tmp_path / "src", tmp_path / "hub", tmp_path / "k" / "key", tmp_path / "h"
    make_text(src / "alpha.txt", "alphaword")
    satchel("keygen", "--out", key, check=True)
    satchel("publish", src, "--hub", hub, "--key", key, check=True)
    satchel("sync", "--hub", hub, "--trust", key.with_name("key.pub"), home=home, check=True)
    satchel("flag", "alpha", "--reason", "other", home=home, check=True)
    shown = satchel("config", "rep-name", "Ann Example", home=home, check=True).stdout
    assert "rep-name: Ann Example" in shown
    satchel("flag", "alpha", "--reason", "outdated", home=home, check=True)
    satchel("sync", home=home, check=True)
    out = tmp_path / "report"
    satchel("report", "--hub", hub, "--out", out, check=True)
    items = _rows(out / "items.csv")
    assert [(r["item_id"], r["flags"]) for r in items] == [("alpha", "2")]
    assert {r["rep"] for r in _rows(out / "flags.csv")} == {"Ann Example"}
    assert "unique" not in satchel("config", "show", home=home).stderr


def test_it_can_lock_pseudonyms_on(tmp_path: Path) -> None:
    src, hub, key, home = tmp_path / "src", tmp_path / "hub", tmp_path / "k" / "key", tmp_path / "h"
    make_text(src / "alpha.txt", "alphaword")
    satchel("keygen", "--out", key, check=True)
    satchel("publish", src, "--hub", hub, "--key", key, check=True)
    config = tmp_path / "it.toml"
    config.write_text('rep_name = "Bo From IT"\npseudonymise = true\nlocked = ["pseudonymise"]\n')
    env = {"SATCHEL_CONFIG": str(config)}
    pub = key.with_name("key.pub")
    satchel("sync", "--hub", hub, "--trust", pub, home=home, env=env, check=True)
    line = satchel("config", "pseudonymise", "off", home=home, env=env).error_line()
    assert "set by your IT department" in line
    satchel("request", "a case study", home=home, env=env, check=True)
    satchel("sync", home=home, env=env, check=True)
    batch = json.loads(next((hub / "inbox").rglob("*.json")).read_text())
    assert batch["rep"].startswith("rep-") and "rep_name" not in batch
    assert "Bo From IT" not in json.dumps(batch)
