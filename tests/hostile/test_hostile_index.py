"""The shipped search index attacked through the real CLI, as the issue's attackers would.

Without the key (write access to the hub folder only): every non-catalog hub file is
overwritten (a crash-prone class-free pickle, junk carrying attacker text, another object's
bytes); marketing publishes a change; a new rep syncs and searches. With the key: segment
files and manifests claiming huge sizes and counts, or holding a compression bomb or a
pickle, are signed and served; sync and search finish, under twice the memory of a normal
library's.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from app.core.catalog import BlobRef, parse_catalog, sign_catalog, verify_envelope
from app.core.hub import object_relpath, write_object_bytes
from app.core.search.shipped_format import _HEADER, _SECTION, SECTIONS
from app.core.signing import load_public_key, load_signing_key
from tests.helpers.collateral import make_text

from .conftest import MAIN, cli_env, run_cli

ATTACK = "PRICING CHANGED - wire deposits to account 0000"
NOTES = 30


def deep_tuple_pickle(depth: int) -> bytes:
    return b"\x80\x02" + b"(" * depth + b")" + b"t" * depth + b"."


def notes(src: Path, count: int = NOTES) -> None:
    for n in range(count):
        make_text(src / f"note-{n:03d}.txt", f"Account note {n} about zebra{n} pricing terms.")


def run_measured(*args: str | Path, home: Path) -> tuple[int, str, str, int]:
    """Run main.py as a child that reports its own peak resident memory (KiB: VmHWM, which
    unlike ru_maxrss is not inherited from the forking test process)."""
    code = (
        "import runpy, sys\n"
        f"sys.argv = [{str(MAIN)!r}, *sys.argv[1:]]\n"
        "try:\n"
        f"    runpy.run_path({str(MAIN)!r}, run_name='__main__')\n"
        "finally:\n"
        "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')]\n"
        "    sys.stderr.write('\\nPEAK_RSS_KB=%s\\n' % hwm[0].split()[1])\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "--home", str(home), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        env=cli_env(),
        check=False,
    )
    match = re.search(r"PEAK_RSS_KB=(\d+)", proc.stderr)
    assert match, proc.stderr
    stderr = proc.stderr[: match.start()].strip()
    return proc.returncode, proc.stdout, stderr, int(match.group(1))


def catalog_of(hub: Path, pub: Path) -> object:
    envelope = (hub / "catalog.json").read_bytes()
    return parse_catalog(verify_envelope(envelope, load_public_key(pub)))


def search_ids(home: Path, query: str) -> list[str]:
    out = run_cli("search", query, "--json", "--limit", "100", home=home, check=True)
    hits = json.loads(out.stdout)
    assert ATTACK not in out.stdout
    return [h["id"] for h in hits]


@pytest.fixture
def published(tmp_path: Path, keys: tuple[Path, Path]) -> tuple[Path, Path, Path, Path]:
    key, pub = keys
    src, hub = tmp_path / "src", tmp_path / "hub"
    notes(src)
    run_cli("publish", src, "--hub", hub, "--key", key, check=True)
    return src, hub, key, pub


@pytest.mark.parametrize("payload", ["deep-pickle", "attacker-text", "other-object"])
def test_keyless_overwrites_are_repaired_by_the_next_publish(
    tmp_path: Path, published: tuple[Path, Path, Path, Path], payload: str
) -> None:
    src, hub, key, pub = published
    objects = sorted(p for p in (hub / "objects").rglob("*") if p.is_file())
    assert len(objects) > NOTES
    donor = objects[0].read_bytes()
    for path in objects:
        if payload == "deep-pickle":
            path.write_bytes(deep_tuple_pickle(100_000))
        elif payload == "attacker-text":
            path.write_bytes((ATTACK + "\n").encode() * 50)
        elif path != objects[0]:
            path.write_bytes(donor)

    make_text(src / "note-new.txt", "A new note about okapi pricing.")
    published_out = run_cli("publish", src, "--hub", hub, "--key", key, check=True)
    assert "repaired" in (published_out.stdout + published_out.stderr).lower()

    home = tmp_path / "rep"
    code, _out, err, _rss = run_measured("sync", "--hub", hub, "--trust", pub, home=home)
    assert code == 0, err
    assert search_ids(home, "okapi") == ["note-new"]
    assert search_ids(home, "zebra7") == ["note-007"]
    assert len(search_ids(home, "pricing")) == NOTES + 1
    assert search_ids(home, "wire deposits") == []


@pytest.mark.parametrize("target", ["manifest", "segment"])
def test_an_overwritten_index_file_is_rebuilt_by_a_publish_with_no_changes(
    tmp_path: Path, published: tuple[Path, Path, Path, Path], target: str
) -> None:
    src, hub, key, pub = published
    manifest = _manifest(hub, pub)
    catalog = catalog_of(hub, pub)
    if target == "manifest":
        sha = catalog.index.sha256  # type: ignore[attr-defined]
    else:
        sha = manifest["segments"][0]["file"]["sha256"]  # type: ignore[index]
    (hub / object_relpath(sha)).write_bytes(deep_tuple_pickle(100_000))

    out = run_cli("publish", src, "--hub", hub, "--key", key, check=True)
    assert (
        "Search index:" in out.stdout
        and "rebuilt" in out.stdout.lower()
        or "re-indexed" in (out.stdout)
    )
    home = tmp_path / "rep"
    code, _out, err, _rss = run_measured("sync", "--hub", hub, "--trust", pub, home=home)
    assert code == 0, err
    assert search_ids(home, "zebra7") == ["note-007"]
    assert len(search_ids(home, "pricing")) == NOTES


def _resign(hub: Path, key: Path, pub: Path, manifest: dict[str, object]) -> None:
    catalog = catalog_of(hub, pub)
    data = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()
    catalog.index = BlobRef(*write_object_bytes(data, hub))  # type: ignore[attr-defined]
    (hub / "catalog.json").write_bytes(sign_catalog(catalog, load_signing_key(key)))  # type: ignore[arg-type]


def _manifest(hub: Path, pub: Path) -> dict[str, object]:
    catalog = catalog_of(hub, pub)
    ref = catalog.index  # type: ignore[attr-defined]
    return json.loads((hub / object_relpath(ref.sha256)).read_bytes())  # type: ignore[no-any-return]


def _bomb_segment(docs: int) -> bytes:
    """A well-formed header and sections whose value bytes inflate 1,000-fold (64 MiB)."""
    raw = 64 * 1024 * 1024
    body = zlib.compress(b"\0" * raw, 9)
    out = _HEADER.pack(b"SXIX", 1, docs, 1, 1, 1, raw)
    fixed = {"FTOT": 8, "DLEN": docs, "STRO": 4 * (docs + 1), "TFLD": 2, "TOFF": 8, "TPOF": 8}
    for tag in SECTIONS:
        if tag == "VBYT":
            out += _SECTION.pack(tag.encode(), 1, len(body), raw) + body
        elif tag == "FLDS":
            out += _SECTION.pack(tag.encode(), 0, 5, 5) + b"\x04body"
        else:
            n = {"PDOC": 4, "PWGT": 4, "VOFF": 8, "TBYT": 1}.get(tag, fixed.get(tag, 0))
            out += _SECTION.pack(tag.encode(), 0, n, n) + b"\x01" * n
    return out


CRAFTED = ["huge-counts", "bomb", "deep-pickle", "manifest-size", "manifest-count"]


def test_crafted_signed_indexes_cost_no_crash_and_little_memory(
    tmp_path: Path, published: tuple[Path, Path, Path, Path]
) -> None:
    _src, hub, key, pub = published
    normal = tmp_path / "normal"
    code, _out, err, normal_rss = run_measured("sync", "--hub", hub, "--trust", pub, home=normal)
    assert code == 0, err
    peaks = {"normal": normal_rss}
    original = _manifest(hub, pub)
    for attack in CRAFTED:
        manifest = json.loads(json.dumps(original))
        segment = manifest["segments"][0]  # type: ignore[index]
        docs = segment["count"]
        if attack == "huge-counts":
            blob = _HEADER.pack(b"SXIX", 1, docs, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
        elif attack == "bomb":
            blob = _bomb_segment(docs)
        elif attack == "deep-pickle":
            blob = deep_tuple_pickle(3_000_000)
        else:
            blob = b""
        if blob:
            sha, size = write_object_bytes(blob, hub)
            segment["file"] = {"sha256": sha, "size": size}
        elif attack == "manifest-size":
            segment["file"]["size"] = 10**4000
        else:
            segment["count"] = 10**12
        _resign(hub, key, pub, manifest)
        home = tmp_path / attack
        code, _out, err, rss = run_measured("sync", "--hub", hub, "--trust", pub, home=home)
        assert code == 0, (attack, err)
        scode, sout, serr, srss = run_measured("search", "zebra7", "--json", home=home)
        assert scode == 0, (attack, serr)
        assert [h["id"] for h in json.loads(sout)] == ["note-007"]
        peaks[attack] = max(rss, srss)
    print("\npeak RSS (KiB) by crafted index:", peaks)
    assert max(peaks.values()) < 2 * normal_rss
