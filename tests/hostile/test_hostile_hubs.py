"""Hostile hubs: tampered, foreign, replayed, path-traversing, lying, stalling, truncating.

Every case syncs a library holding serial 1 from a hub that offers serial 2 and has been
made hostile, and checks: a SatchelError of the expected kind whose message is one sentence
on one line, and a library exactly as before (items, serial, the files they use; nothing on
disk changed or removed). The cases run in-process (fast); a representative subset runs the
real `sync` command to check the CLI contract: exit 1, one line on stderr, no traceback.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.core.catalog import SIGNING_CONTEXT, envelope_payload
from app.core.errors import (
    HashMismatchError,
    HubError,
    HubUnreachableError,
    RollbackError,
    SatchelError,
    SignatureError,
    TrustError,
    UnsafeCatalogError,
)
from app.core.hub import normalise_location, open_hub
from app.core.library import Library
from app.core.signing import b64, generate_key, load_signing_key
from app.core.sync import SyncResult, sync_library
from tests.helpers.collateral import make_docx, make_text
from tests.helpers.faulty_servers import Fault, FaultyHub, serve_faulty
from tests.hostile.conftest import assert_untouched, library_state, run_cli, store_tree

BIG = 2_500_000  # the object the stall and truncation cases cut in the middle of


@dataclass(frozen=True)
class World:
    hub: Path  # serial 2, with everything serial 1 had
    home: Path  # a library synced to serial 1
    key: Path
    pub: Path
    catalog_v1: bytes
    big_sha: str  # the 2.5 MB object new in serial 2


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    base = tmp_path_factory.mktemp("hostile-hubs")
    key, src, hub, home = base / "k" / "key", base / "src", base / "hub", base / "home"
    run_cli("keygen", "--out", key, check=True)
    pub = key.with_name("key.pub")
    make_docx(src / "Pitch.docx", ["Hospital pricing hubword"])
    make_text(src / "faq.txt", "Battery lasts nine days hubword.")
    (src / "clip.mp4").write_bytes(os.urandom(1_000_000))
    run_cli("publish", src, "--hub", hub, "--key", key, check=True)
    run_cli("sync", "--hub", hub, "--trust", pub, home=home, check=True)
    catalog_v1 = (hub / "catalog.json").read_bytes()
    big = os.urandom(BIG)
    (src / "clip.mp4").write_bytes(big)
    make_text(src / "new.txt", "Fresh material hubword.")
    run_cli("publish", src, "--hub", hub, "--key", key, check=True)
    return World(hub, home, key, pub, catalog_v1, hashlib.sha256(big).hexdigest())


@dataclass
class Case:
    hub: Path
    home: Path
    world: World
    before: dict[str, Any]
    before_tree: dict[str, str]

    def sync(self, *extra: str | Path) -> Any:
        return run_cli("sync", *extra, home=self.home)

    def sync_here(self, location: str | None = None) -> SatchelError | SyncResult:
        """Sync in this process, as the CLI does; a SatchelError is returned, not raised."""
        with Library.open(self.home) as lib:
            if location is not None:
                lib.configure_hub(normalise_location(location), None)
            where, key = lib.require_hub()
            try:
                # 1 s: a stall is still refused quickly, with room for a busy CI machine
                return sync_library(lib, open_hub(where, timeout_s=1.0), key)
            except SatchelError as exc:
                return exc

    def refused(self, kind: type[SatchelError], needle: str, location: str | None = None) -> str:
        outcome = self.sync_here(location)
        assert isinstance(outcome, kind), outcome
        message = str(outcome)
        assert "\n" not in message and needle.lower() in message.lower(), message
        self.assert_untouched()
        return f"{type(outcome).__name__}: {message}"

    def assert_untouched(self) -> None:
        assert_untouched(self.home, self.before, self.before_tree)

    def mark(self) -> None:
        self.before, self.before_tree = library_state(self.home), store_tree(self.home)

    def payload(self) -> dict[str, Any]:
        env = json.loads((self.hub / "catalog.json").read_text(encoding="utf-8"))
        return dict(json.loads(str(envelope_payload(env))))

    def sign(self, payload: dict[str, Any], key_path: Path | None = None) -> None:
        """Sign ``payload`` exactly as given with marketing's (or another) key."""
        key = load_signing_key(key_path or self.world.key)
        text = json.dumps(payload)
        sig = key.sign(SIGNING_CONTEXT + text.encode("utf-8"))
        env = {
            "format": "satchel-signed/1",
            "payload": text,
            "signatures": [{"keyid": key.public.key_id, "sig": b64(sig)}],
        }
        (self.hub / "catalog.json").write_text(json.dumps(env), encoding="utf-8")

    def big_object(self) -> Path:
        sha = self.world.big_sha
        return self.hub / "objects" / sha[:2] / sha


@pytest.fixture
def case(world: World, tmp_path: Path) -> Case:
    hub, home = tmp_path / "hub", tmp_path / "home"
    shutil.copytree(world.hub, hub, symlinks=True)
    shutil.copytree(world.home, home, symlinks=True)
    with Library.open(home) as lib:  # the copy remembers the world's hub: point it here
        lib.configure_hub(normalise_location(str(hub)), None)
    c = Case(hub, home, world, {}, {})
    c.mark()
    return c


# ----------------------------------------------------------------------------- folder hubs


def _tamper_object(c: Case) -> None:
    obj = c.big_object()
    data = bytearray(obj.read_bytes())
    data[len(data) // 2] ^= 1
    obj.write_bytes(bytes(data))


def _tamper_catalog(c: Case) -> None:
    env = json.loads((c.hub / "catalog.json").read_text(encoding="utf-8"))
    env["payload"] = str(envelope_payload(env)).replace('"serial": 2', '"serial": 3')
    (c.hub / "catalog.json").write_text(json.dumps(env), encoding="utf-8")


def _foreign_key(c: Case) -> None:
    other = c.hub.parent / "other.key"
    from app.core.signing import write_key_pair

    write_key_pair(generate_key(), other)
    c.sign(c.payload(), other)


def _same_serial_other_content(c: Case) -> None:
    assert c.sync().returncode == 0  # the library verified serial 2 ...
    c.mark()
    payload = c.payload()
    payload["items"][0]["title"] = "A forked catalog with the same serial"
    c.sign(payload)


def _replay_old_serial(c: Case) -> None:
    assert c.sync().returncode == 0
    c.mark()
    (c.hub / "catalog.json").write_bytes(c.world.catalog_v1)


def _item_field(field: str, value: object) -> Callable[[Case], None]:
    def change(c: Case) -> None:
        payload = c.payload()
        payload["items"][0][field] = value
        c.sign(payload)

    return change


def _declared_size(factor: float) -> Callable[[Case], None]:
    def change(c: Case) -> None:
        payload = c.payload()
        for item in payload["items"]:
            if item["sha256"] == c.world.big_sha:
                item["size"] = int(item["size"] * factor)
        c.sign(payload)

    return change


def _symlink_object_outside(c: Case) -> None:
    """The object is a link to a file outside the hub - even one with the right bytes."""
    obj = c.big_object()
    outside = c.hub.parent / "outside-copy"
    shutil.copyfile(obj, outside)
    obj.unlink()
    obj.symlink_to(outside)


def _symlink_object_passwd(c: Case) -> None:
    obj = c.big_object()
    obj.unlink()
    obj.symlink_to("/etc/passwd")


def _symlink_shard_outside(c: Case) -> None:
    """objects/xx is a link to a folder outside the hub that holds the right file."""
    shard = c.big_object().parent
    outside = c.hub.parent / "outside-shard"
    shutil.copytree(shard, outside)
    shutil.rmtree(shard)
    shard.symlink_to(outside, target_is_directory=True)


def _fifo_object(c: Case) -> None:
    obj = c.big_object()
    obj.unlink()
    os.mkfifo(obj)


def _fifo_catalog(c: Case) -> None:
    (c.hub / "catalog.json").unlink()
    os.mkfifo(c.hub / "catalog.json")


def _missing_object(c: Case) -> None:
    c.big_object().unlink()


def _no_catalog(c: Case) -> None:
    (c.hub / "catalog.json").unlink()


def _deep_json_catalog(c: Case) -> None:
    (c.hub / "catalog.json").write_text("[" * 200_000 + "]" * 200_000)


def _array_bomb_catalog(c: Case) -> None:
    (c.hub / "catalog.json").write_text(
        '{"format": "satchel-signed/1", "x": [' + "[]," * 3_000_000 + "[]]}"
    )


def _unsigned_catalog(c: Case) -> None:
    env = json.loads((c.hub / "catalog.json").read_text(encoding="utf-8"))
    env["signatures"] = []
    (c.hub / "catalog.json").write_text(json.dumps(env), encoding="utf-8")


_PLAIN = "not a plain file name"
_NOT_SIGNED = "not a signed satchel catalog"
Hostile = Callable[[Case], None]
FOLDER_CASES: dict[str, tuple[Hostile, type[SatchelError], str]] = {
    "tampered object": (_tamper_object, HashMismatchError, "does not match the catalog"),
    "tampered catalog": (_tamper_catalog, SignatureError, "signature does not verify"),
    "unsigned catalog": (_unsigned_catalog, SignatureError, "unsigned"),
    "catalog signed by another key": (_foreign_key, SignatureError, "not signed by the trusted"),
    "older serial (replay)": (_replay_old_serial, RollbackError, "older than serial"),
    "same serial, other content": (_same_serial_other_content, TrustError, "different content"),
    "filename ../": (_item_field("filename", "../../outside.txt"), UnsafeCatalogError, _PLAIN),
    "filename absolute": (_item_field("filename", "/etc/cron.d/x"), UnsafeCatalogError, _PLAIN),
    "filename backslashes": (_item_field("filename", "..\\..\\x"), UnsafeCatalogError, _PLAIN),
    "filename newline": (_item_field("filename", "a\nb.txt"), UnsafeCatalogError, _PLAIN),
    "filename 256 bytes": (_item_field("filename", "x" * 252 + ".txt"), UnsafeCatalogError, _PLAIN),
    "filename CON": (_item_field("filename", "CON"), UnsafeCatalogError, _PLAIN),
    "id with ../": (_item_field("id", "../escape"), UnsafeCatalogError, "not safe"),
    "sha256 with ../": (
        _item_field("sha256", "../../etc/passwd"),
        UnsafeCatalogError,
        "not a hash",
    ),
    "text blob sha ../": (
        _item_field("text", {"sha256": "../" * 20 + "x", "size": 1}),
        UnsafeCatalogError,
        "not a hash",
    ),
    "declared size 2x real": (_declared_size(2), HashMismatchError, "does not match"),
    "declared size 1/2 real": (_declared_size(0.5), HashMismatchError, "does not match"),
    "declared size 10^6 x real": (_declared_size(1e6), HashMismatchError, "does not match"),
    "object is symlink out (right bytes)": (_symlink_object_outside, HubError, "symbolic link"),
    "object is symlink to /etc/passwd": (_symlink_object_passwd, HubError, "symbolic link"),
    "objects/xx is symlink out": (_symlink_shard_outside, HubError, "outside the hub folder"),
    "object is a FIFO": (_fifo_object, HubError, "not a regular file"),
    "catalog.json is a FIFO": (_fifo_catalog, HubError, "not a regular file"),
    "object missing": (_missing_object, HubError, "missing object"),
    "catalog missing": (_no_catalog, HubError, "not a satchel hub"),
    "catalog nested 200,000 deep": (_deep_json_catalog, SignatureError, _NOT_SIGNED),
    "catalog with 3M empty arrays": (_array_bomb_catalog, SignatureError, _NOT_SIGNED),
}


@pytest.mark.parametrize("name", list(FOLDER_CASES))
def test_hostile_folder_hub_is_refused_and_library_untouched(case: Case, name: str) -> None:
    make_hostile, kind, needle = FOLDER_CASES[name]
    make_hostile(case)
    print(f"[hostile hub] {name}: {case.refused(kind, needle)}")
    assert not (case.hub.parent / "outside.txt").exists()


def test_vanished_hub_folder_is_a_clear_error(case: Case) -> None:
    case.hub.rename(case.hub.with_name("hub-away"))
    case.refused(HubUnreachableError, "not reachable")


# ----------------------------------------------------------------------------- URL hubs


@pytest.fixture
def web(case: Case) -> Iterator[tuple[Case, FaultyHub]]:
    with serve_faulty(case.hub) as server:
        yield case, server


HTTP_CASES: dict[str, tuple[Fault, type[SatchelError], str]] = {
    "stall on catalog": (Fault("stall", "catalog"), HubUnreachableError, "not reachable"),
    "stall mid-object": (
        Fault("stall_body", "objects", after_bytes=600_000),
        HubUnreachableError,
        "stopped answering",
    ),
    "trickle (slow retrieval)": (Fault("trickle", "objects"), HubUnreachableError, "too slowly"),
    "trickled catalog": (Fault("trickle", "catalog"), HubUnreachableError, "too slowly"),
    "connection closed early": (
        Fault("truncate", "objects", after_bytes=700_000),
        HubUnreachableError,
        "closed the connection",
    ),
    "Content-Length says half": (
        Fault("short_length", "objects"),
        HashMismatchError,
        "does not match the catalog",
    ),
    "HTML error page, 200 (catalog)": (Fault("html200", "catalog"), SignatureError, _NOT_SIGNED),
    "HTML error page, 200 (objects)": (
        Fault("html200", "objects"),
        HashMismatchError,
        "does not match the catalog",
    ),
    "HTTP 500": (Fault("status500"), HubError, "http 500"),
    "not HTTP at all": (Fault("garbage"), HubUnreachableError, "not reachable"),
    "endless catalog": (Fault("endless", "catalog"), HubError, "larger than any real catalog"),
}


@pytest.mark.parametrize("name", list(HTTP_CASES))
def test_faulty_web_hub_is_refused_and_library_untouched(
    web: tuple[Case, FaultyHub], name: str
) -> None:
    case, server = web
    fault, kind, needle = HTTP_CASES[name]
    server.fault = fault
    print(f"[faulty server] {name}: {case.refused(kind, needle, server.url)}")

    server.fault = Fault("ok")  # the hub recovers: the next sync completes
    assert isinstance(case.sync_here(), SyncResult)
    assert library_state(case.home)["serial"] == 2


def _part_of_big(case: Case) -> int:
    part = case.home / "tmp" / f"{case.world.big_sha}.part"
    return part.stat().st_size if part.exists() else 0


@pytest.mark.parametrize(
    "fault",
    [
        Fault("stall_body", "objects", after_bytes=900_000),
        Fault("truncate", "objects", after_bytes=900_000),
        Fault("trickle", "objects", trickle_s=0.001),
    ],
    ids=["stall", "truncate", "trickle"],
)
def test_cut_off_download_resumes_with_a_range_request(
    web: tuple[Case, FaultyHub], fault: Fault
) -> None:
    """A stalled or cut connection keeps what arrived; the next sync asks only for the rest."""
    case, server = web
    if fault.kind == "trickle":  # slow down the big object only (not the small index files)
        fault = dataclasses.replace(fault, paths=case.world.big_sha)
    server.fault = fault
    case.refused(HubUnreachableError, "resumes", server.url)
    have = _part_of_big(case)
    assert have > 0

    server.fault = Fault("ok")
    server.clear_log()
    result = case.sync_here()
    assert isinstance(result, SyncResult)
    big = [r for r in server.requests if r.path.endswith(case.world.big_sha)]
    assert [r.range for r in big] == [f"bytes={have}-"]
    assert big[0].status == 206 and big[0].body_bytes == BIG - have
    assert result.bytes_resumed == have
    assert library_state(case.home)["serial"] == 2


def test_server_without_ranges_restarts_the_object(web: tuple[Case, FaultyHub]) -> None:
    case, server = web
    server.fault = Fault("stall_body", "objects", after_bytes=900_000)
    case.refused(HubUnreachableError, "stopped answering", server.url)
    server.fault = Fault("no_range")
    assert isinstance(case.sync_here(), SyncResult)
    assert library_state(case.home)["serial"] == 2


def test_wrong_content_range_is_refused(web: tuple[Case, FaultyHub]) -> None:
    case, server = web
    server.fault = Fault("stall_body", "objects", after_bytes=900_000)
    case.refused(HubUnreachableError, "stopped answering", server.url)
    server.fault = Fault("wrong_range", "objects")
    print(f"[faulty server] wrong Content-Range: {case.refused(HubError, 'wrong range')}")
    server.fault = Fault("ok")
    assert isinstance(case.sync_here(), SyncResult)


def test_stall_is_bounded_by_the_configured_timeout(web: tuple[Case, FaultyHub]) -> None:
    """SATCHEL_HUB_TIMEOUT (0.5 s for the CLI here) bounds a silent server."""
    case, server = web
    server.fault = Fault("stall")
    started = time.monotonic()
    case.sync("--hub", server.url).assert_one_line_error("not reachable", "timed out")
    assert server.wait_stalled(0)
    assert time.monotonic() - started < 20
    case.assert_untouched()


# ----------------------------------------------------------------------------- the CLI

CLI_FOLDER_CASES = [
    "tampered object",
    "catalog signed by another key",
    "older serial (replay)",
    "filename ../",
    "object is symlink to /etc/passwd",
    "catalog with 3M empty arrays",
]
CLI_HTTP_CASES = ["connection closed early", "HTML error page, 200 (catalog)", "not HTTP at all"]


@pytest.mark.parametrize("name", CLI_FOLDER_CASES)
def test_cli_reports_a_hostile_folder_hub_in_one_line(case: Case, name: str) -> None:
    make_hostile, _kind, needle = FOLDER_CASES[name]
    make_hostile(case)
    print(f"[cli] {name}: {case.sync().assert_one_line_error(needle)}")
    case.assert_untouched()


@pytest.mark.parametrize("name", CLI_HTTP_CASES)
def test_cli_reports_a_faulty_web_hub_in_one_line(web: tuple[Case, FaultyHub], name: str) -> None:
    case, server = web
    fault, _kind, needle = HTTP_CASES[name]
    server.fault = fault
    print(f"[cli] {name}: {case.sync('--hub', server.url).assert_one_line_error(needle)}")
    case.assert_untouched()
