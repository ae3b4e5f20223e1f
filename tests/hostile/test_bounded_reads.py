"""Bounded reads: a hub cannot hold a sync for long, nor make it inflate a bomb.

* every file from a hub - the catalog included - must arrive within its time budget
  (``max(base, size / min rate)``), checked as bytes arrive, even when it trickles just fast
  enough to pass the stall check; the budget is injected small here (no long tests);
* reading the catalog stops at the sync's cancel;
* a gzipped catalog payload is inflated in bounded steps: a bomb is refused after a few
  megabytes, before any signature is checked, in one sentence.

Each case syncs a library at serial 1 from a hub offering serial 2, and checks the library is
exactly as before.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.core.catalog import envelope as catalog_module
from app.core.catalog import inflate_bounded, inflate_limit
from app.core.errors import CancelledError, HubUnreachableError, SatchelError, SignatureError
from app.core.hub import FolderHub, HttpHub, Hub, TimeBudget, open_hub
from app.core.library import Library
from app.core.signing import b64, load_signing_key
from app.core.sync import SyncResult, sync_library
from tests.helpers.collateral import make_docx, make_text
from tests.helpers.faulty_servers import Fault, FaultyHub, serve_faulty
from tests.helpers.hubs import publish_folder, sync_home
from tests.hostile.conftest import assert_untouched, library_state, run_cli, store_tree

BIG = 400_000  # an object new in serial 2, for the object budget


@dataclass(frozen=True)
class World:
    hub: Path  # serial 2
    home: Path  # synced to serial 1
    key: Path
    pub: Path
    big_sha: str


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    base = tmp_path_factory.mktemp("bounded")
    key, src, hub, home = base / "k" / "key", base / "src", base / "hub", base / "home"
    run_cli("keygen", "--out", key, check=True)
    pub = key.with_name("key.pub")
    make_docx(src / "Pitch.docx", ["Hospital pricing boundword"])
    for n in range(12):  # a catalog of some kilobytes, so it takes a while to trickle
        make_text(src / f"note-{n}.txt", f"Note {n} about boundword and battery life.")
    publish_folder(src, hub, key)
    sync_home(home, hub, pub)
    big = os.urandom(BIG)
    (src / "clip.mp4").write_bytes(big)
    publish_folder(src, hub, key)
    return World(hub, home, key, pub, hashlib.sha256(big).hexdigest())


@dataclass
class Case:
    hub: Path
    home: Path
    world: World
    before: dict[str, Any]
    before_tree: dict[str, str]

    def sync_with(self, hub: Hub, cancel: Any = None) -> SatchelError | SyncResult:
        with Library.open(self.home) as lib:
            _where, key = lib.require_hub()
            try:
                return sync_library(lib, hub, key, cancel=cancel)
            except SatchelError as exc:
                return exc

    def refused(self, hub: Hub, kind: type[SatchelError], *needles: str, cancel: Any = None) -> str:
        outcome = self.sync_with(hub, cancel)
        assert isinstance(outcome, kind), outcome
        message = str(outcome)
        assert "\n" not in message, message
        for needle in needles:
            assert needle.lower() in message.lower(), (needle, message)
        assert_untouched(self.home, self.before, self.before_tree)
        return message


@pytest.fixture
def case(world: World, tmp_path: Path) -> Case:
    hub, home = tmp_path / "hub", tmp_path / "home"
    shutil.copytree(world.hub, hub, symlinks=True)
    shutil.copytree(world.home, home, symlinks=True)
    return Case(hub, home, world, library_state(home), store_tree(home))


@pytest.fixture
def web(case: Case) -> Iterator[tuple[Case, FaultyHub]]:
    with serve_faulty(case.hub) as server:
        yield case, server


# a trickle fast enough for the stall check (>= 1 KiB/s on average), far too slow for the
# catalog's budget below: 100 bytes every 50 ms is about 2 KB/s
FAST_TRICKLE = {"trickle_s": 0.05, "trickle_bytes": 100}


def test_trickled_catalog_is_cut_off_at_its_budget(web: tuple[Case, FaultyHub]) -> None:
    case, server = web
    size = (case.hub / "catalog.json").stat().st_size
    assert size > 2_000  # takes about a second at this trickle
    server.fault = Fault("trickle", "catalog", **FAST_TRICKLE)
    hub = HttpHub(server.url, timeout_s=5, budget=TimeBudget(base_s=0.3, min_rate=1_000_000))
    started = time.monotonic()
    message = case.refused(
        hub, HubUnreachableError, "sent the catalog too slowly", "try again on a better connection"
    )
    assert time.monotonic() - started < 5
    print(f"[bounded] trickled catalog: {message}")

    server.fault = Fault("ok")  # the same budget is plenty for a hub that answers
    assert isinstance(case.sync_with(hub), SyncResult)


def test_budget_grows_with_the_declared_size(web: tuple[Case, FaultyHub]) -> None:
    """The same trickle passes when the budget allows the catalog's size at a lower rate."""
    case, server = web
    server.fault = Fault("trickle", "catalog", **FAST_TRICKLE)  # about 1.5 s in all
    hub = HttpHub(server.url, timeout_s=5, budget=TimeBudget(base_s=0.3, min_rate=1_000))
    assert isinstance(case.sync_with(hub), SyncResult)


def test_trickled_object_is_cut_off_and_resumes(web: tuple[Case, FaultyHub]) -> None:
    case, server = web
    server.fault = Fault("trickle", case.world.big_sha, trickle_s=0.02, trickle_bytes=8000)
    hub = HttpHub(server.url, timeout_s=5, budget=TimeBudget(base_s=0.2, min_rate=10_000_000))
    message = case.refused(hub, HubUnreachableError, "too slowly", "resumes")
    assert f"objects/{case.world.big_sha[:2]}/{case.world.big_sha}" in message
    part = case.home / "tmp" / f"{case.world.big_sha}.part"
    have = part.stat().st_size
    assert 0 < have < BIG

    server.fault = Fault("ok")
    server.clear_log()
    assert isinstance(case.sync_with(open_hub(server.url)), SyncResult)
    big = [r for r in server.requests if r.path.endswith(case.world.big_sha)]
    assert [r.range for r in big] == [f"bytes={have}-"]


def test_cancel_stops_a_trickled_catalog(web: tuple[Case, FaultyHub]) -> None:
    """One byte every 20 ms would take minutes; cancel is honoured between reads."""
    case, server = web
    server.fault = Fault("trickle", "catalog", trickle_s=0.02)
    calls = 0

    def cancel() -> bool:
        nonlocal calls
        calls += 1
        return calls > 3  # the sync's own check, then two reads of the catalog

    started = time.monotonic()
    case.refused(open_hub(server.url, timeout_s=5), CancelledError, "cancelled", cancel=cancel)
    assert time.monotonic() - started < 5
    catalog_reads = [r for r in server.requests if r.path == "catalog.json"]
    assert len(catalog_reads) == 1 and 0 < catalog_reads[0].body_bytes < 50


def test_cancel_stops_reading_a_folder_catalog(case: Case) -> None:
    case.refused(FolderHub(case.hub), CancelledError, "cancelled", cancel=lambda: True)


def test_folder_catalog_has_a_budget_too(case: Case) -> None:
    """A share that delivers the catalog too slowly is given up on (budget made tiny)."""
    hub = FolderHub(case.hub, budget=TimeBudget(base_s=1e-9, min_rate=1e15))
    case.refused(hub, HubUnreachableError, "sent the catalog too slowly")


def test_cli_reports_a_trickled_catalog_in_one_line(web: tuple[Case, FaultyHub]) -> None:
    """SATCHEL_HUB_DEADLINE sets the budget's base for the command (1 s here)."""
    case, server = web
    server.fault = Fault("trickle", "catalog", trickle_s=0.05, trickle_bytes=100)  # 2 KB/s
    result = run_cli("sync", "--hub", server.url, home=case.home, env={"SATCHEL_HUB_DEADLINE": "1"})
    line = result.assert_one_line_error("sent the catalog too slowly", "in 1.")
    print(f"[bounded cli] {line}")
    assert_untouched(case.home, case.before, case.before_tree)


# ----------------------------------------------------------------------------- gzip bombs


def _bomb_envelope(case: Case, inflated: int) -> bytes:
    """A catalog envelope whose gzipped payload inflates to ``inflated`` bytes of spaces
    after a real catalog's opening, "signed" with marketing's key over nothing useful."""
    key = load_signing_key(case.world.key)
    packed = gzip.compress(b"{" + b" " * inflated + b"}", compresslevel=9, mtime=0)
    envelope = {
        "format": "satchel-signed/1",
        "payload_gzip": base64.b64encode(packed).decode(),
        "signatures": [{"keyid": key.public.key_id, "sig": b64(key.sign(b"x"))}],
    }
    return json.dumps(envelope).encode()


def test_gzip_bomb_catalog_is_refused_quickly(case: Case) -> None:
    data = _bomb_envelope(case, 825_000_000)
    assert len(data) < 1_500_000  # about 800 KB packed (base64: 1.1 MB)
    (case.hub / "catalog.json").write_bytes(data)
    started = time.monotonic()
    message = case.refused(FolderHub(case.hub), SignatureError, "decompression bomb")
    assert time.monotonic() - started < 5
    print(f"[bounded] gzip bomb: {message}")


def test_cli_reports_a_gzip_bomb_in_one_line(case: Case) -> None:
    (case.hub / "catalog.json").write_bytes(_bomb_envelope(case, 300_000_000))
    result = run_cli("sync", "--hub", case.hub, home=case.home)
    line = result.assert_one_line_error("decompression bomb")
    print(f"[bounded cli] {line}")
    assert_untouched(case.home, case.before, case.before_tree)


def test_inflation_is_bounded_by_ratio_floor_and_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    assert inflate_limit(100) == 1024 * 1024  # tiny catalogs: the floor
    assert inflate_limit(1_000_000) == 50_000_000  # 50-fold
    assert inflate_limit(60_000_000) == catalog_module.MAX_CATALOG_BYTES  # the cap
    text = json.dumps({"items": [{"title": "Deck", "n": n} for n in range(20_000)]}).encode()
    assert inflate_bounded(gzip.compress(text)) == text  # about 14-fold: fine
    # a packed payload over the cap is refused before it is decoded or inflated
    monkeypatch.setattr(catalog_module, "MAX_PACKED_BYTES", 1000)
    with pytest.raises(SignatureError, match="larger than any real catalog"):
        catalog_module.envelope_payload({"payload_gzip": "A" * 2000})
    for damaged in (b"", gzip.compress(b"{}") + b"junk", gzip.compress(b"{}")[:-4]):
        with pytest.raises(ValueError):
            inflate_bounded(damaged)


def test_a_real_catalog_still_reads(case: Case) -> None:
    assert isinstance(case.sync_with(FolderHub(case.hub)), SyncResult)
    assert library_state(case.home)["serial"] == 2
