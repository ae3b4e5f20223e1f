"""Hostile files: publishing and syncing them never crashes, hangs, leaks or eats memory.

Zip bombs (DOCX, PPTX, XLSX), XML bombs and external entities, hand-written PDFs with loops
and deep nesting, empty files, wrong extensions, names with Unicode, bidi overrides, line
breaks, escape sequences and 255 bytes, bytes that are not UTF-8, the shared corpus of
Apache POI / Tika regression files, and (slow) two 4 GB sparse files. Every file becomes an
item; one that cannot be searched says why. The publish and sync processes' peak memory is
measured (the whole process tree, polled with psutil, and the kernel's own maximum).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from app.core.catalog import read_catalog_unverified
from app.core.extract import ExtractionPool
from app.core.hashing import file_sha256
from app.core.library import Library
from app.core.publish import MAX_EXTRACT_BYTES
from tests.helpers.hostile_files import sparse_file, write_corpus_links, write_hostile_set
from tests.hostile.conftest import cli_command, cli_env, run_cli

MEMORY_BOUND = 1536 << 20  # 1.5 GB for the whole publish or sync process tree
_WRAP = (
    "import json, resource, subprocess, sys\n"
    "p = subprocess.run(sys.argv[2:])\n"
    "kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "open(sys.argv[1], 'w').write(json.dumps({'rc': p.returncode, 'maxrss_kb': kb}))\n"
)


@dataclass(frozen=True)
class Measured:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_tree: int  # bytes: the largest sum of RSS over the process and its children seen
    peak_single: int  # bytes: the kernel's maximum RSS of any one process in the tree

    @property
    def summary(self) -> str:
        return (
            f"{self.seconds:.1f} s, peak RSS {self.peak_tree / 2**20:.0f} MB (process tree), "
            f"{self.peak_single / 2**20:.0f} MB (largest single process)"
        )


def measure(*args: str | Path, home: Path, work: Path, timeout: float = 600) -> Measured:
    """Run the CLI, polling the RSS of its whole process tree until it exits."""
    work.mkdir(parents=True, exist_ok=True)
    report, out, err = work / "rusage.json", work / "stdout", work / "stderr"
    started = time.monotonic()
    with out.open("wb") as fout, err.open("wb") as ferr:
        proc = subprocess.Popen(
            [sys.executable, "-c", _WRAP, str(report), *cli_command(*args, home=home)],
            stdout=fout,
            stderr=ferr,
            env=cli_env(),
            cwd=work,
        )
        peak = 0
        top = psutil.Process(proc.pid)
        while True:
            try:
                procs = [top, *top.children(recursive=True)]
                peak = max(peak, sum(_rss(p) for p in procs))
            except psutil.NoSuchProcess:
                pass
            try:
                proc.wait(timeout=0.02)
                break
            except subprocess.TimeoutExpired:
                if time.monotonic() - started > timeout:
                    proc.kill()
                    proc.wait()
                    raise AssertionError(f"{args} did not finish within {timeout} s") from None
    seconds = time.monotonic() - started
    info = json.loads(report.read_text())
    return Measured(
        info["rc"],
        out.read_text(encoding="utf-8", errors="replace"),
        err.read_text(encoding="utf-8", errors="replace"),
        seconds,
        peak,
        int(info["maxrss_kb"]) * 1024,
    )


def _rss(p: psutil.Process) -> int:
    try:
        return int(p.memory_info().rss)
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return 0


def _catalog_items(hub: Path) -> dict[str, object]:
    catalog = read_catalog_unverified((hub / "catalog.json").read_bytes())
    return {i.source: i for i in catalog.current()}


def _assert_verified_library(home: Path) -> list[dict[str, object]]:
    listed = json.loads(run_cli("items", "--json", home=home, check=True).stdout)
    with Library.open(home) as lib:
        for item in lib.items():
            assert file_sha256(lib.file_path(item)) == item.sha256, item.id
    for row in listed:
        assert str(row["title"]).isprintable(), row["title"]  # no escapes, breaks, bidi tricks
        assert row["searchable"] or row["unsearchable_reason"], row
    return list(listed)


EXPECTED_REASONS = {
    "zip-bomb.docx": "zip bomb",
    "zip-bomb.pptx": "zip bomb",
    "zip-bomb.xlsx": "zip bomb",
    "many-parts.xlsx": "too many parts",
    "laughs.docx": "entity",
    "laughs.pptx": "entity",
    "laughs.xlsx": "entity",
    "xxe.docx": "entity",
    "xxe.pptx": "entity",
    "xxe.xlsx": "entity",
    "xxe-utf16.docx": "entity",
    "empty.docx": "empty",
    "empty.pdf": "empty",
    "empty.txt": "empty",
    "lying-sizes.docx": "corrupt",
    "truncated.pdf": "corrupt",
    "random-bytes.pptx": "corrupt",
}


def test_hostile_files_publish_and_sync_without_crash_or_leak(
    tmp_path: Path, keys: tuple[Path, Path], optional_corpus: Path | None
) -> None:
    key, pub = keys
    src, hub, home, work = tmp_path / "src", tmp_path / "hub", tmp_path / "home", tmp_path / "w"
    made = write_hostile_set(src)
    if optional_corpus is not None:  # the shared corpus's hostile files too, when present
        made |= write_corpus_links(optional_corpus / "hostile", src / "corpus")
    os.mkfifo(src / "pipe.pdf")  # a FIFO must not hang the publisher
    (src / "passwd.txt").symlink_to("/etc/passwd")  # nor may a link publish a system file

    published = measure("publish", src, "--hub", hub, "--key", key, home=home, work=work / "pub")
    assert published.returncode == 0, published.stderr
    assert published.stderr == ""
    print(f"\n[hostile files] publish of {len(made)} files: {published.summary}")
    assert published.peak_tree < MEMORY_BOUND

    items = _catalog_items(hub)
    assert set(items) == set(made)  # every file listed; the FIFO and the link are skipped
    for rel, what in sorted(made.items()):
        item = items[rel]
        reason = getattr(item, "reason", None)
        searchable = getattr(item, "searchable", False)
        print(f"[hostile file] {what}: {'searchable' if searchable else reason}")
        assert searchable or reason
    for rel, needle in EXPECTED_REASONS.items():
        assert needle in str(getattr(items[rel], "reason", "")).lower(), (rel, items[rel])

    synced = measure("sync", "--hub", hub, "--trust", pub, home=home, work=work / "sync")
    assert synced.returncode == 0, synced.stderr
    print(f"[hostile files] sync: {synced.summary}")
    assert synced.peak_tree < MEMORY_BOUND
    listed = _assert_verified_library(home)
    assert len(listed) == len(made)

    hits = json.loads(
        run_cli("search", "namedword", "--json", "--limit", "50", home=home, check=True).stdout
    )
    # 14 files with hostile names say "namedword"; "trailing dot." has no known kind
    assert len(hits) == 13

    secret = Path("/etc/passwd").read_bytes().splitlines()[0]
    for folder in (hub, home):
        for path in folder.rglob("*"):
            if path.is_file() and path.stat().st_size < 50 << 20:
                assert secret not in path.read_bytes(), f"/etc/passwd leaked into {path}"
    assert sorted(p.name for p in (work / "pub").iterdir()) == ["rusage.json", "stderr", "stdout"]
    assert not any(p.name == "pwned" for p in tmp_path.rglob("pwned"))

    again = run_cli("publish", src, "--hub", hub, "--key", key, check=True)
    assert again.stdout.startswith("Hub unchanged")


@pytest.mark.slow
def test_giant_sparse_file_is_streamed_never_loaded(
    tmp_path: Path, keys: tuple[Path, Path]
) -> None:
    """A 4 GB sparse file with a PDF header: publishing hashes and copies it in 1 MB chunks
    (holes stay holes), never hands it to an extractor and lists it as too large to index;
    syncing streams it the same way. (The giant of unknown kind is the next test's.)"""
    key, pub = keys
    src, hub, home, work = tmp_path / "src", tmp_path / "hub", tmp_path / "home", tmp_path / "w"
    src.mkdir()
    sparse_file(src / "giant.pdf", 4 << 30, b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\n")
    (src / "small.txt").write_text("giantword", encoding="utf-8")

    published = measure("publish", src, "--hub", hub, "--key", key, home=home, work=work / "pub")
    assert published.returncode == 0, published.stderr
    print(f"\n[giant file] publish of a 4 GB sparse .pdf: {published.summary}")
    assert published.peak_tree < MEMORY_BOUND
    reason = str(getattr(_catalog_items(hub)["giant.pdf"], "reason", ""))
    assert "too large to index" in reason, reason
    print(f"[giant file] 4 GB sparse file with a PDF header: {reason}")
    used = sum(p.stat().st_blocks * 512 for p in (hub / "objects").rglob("*") if p.is_file())
    assert used < 64 << 20  # the hub's copy stayed sparse: it was streamed, not loaded

    synced = measure("sync", "--hub", hub, "--trust", pub, home=home, work=work / "sync")
    assert synced.returncode == 0, synced.stderr
    print(f"[giant file] sync: {synced.summary}")
    assert synced.peak_tree < MEMORY_BOUND
    with Library.open(home) as lib:
        giant = lib.item("giant")
        assert lib.file_path(giant).stat().st_size == giant.size == 4 << 30


@pytest.mark.slow
def test_extractors_never_read_a_giant_of_unknown_kind(tmp_path: Path) -> None:
    """Below the publisher's size cap, too: an unknown kind is not read, a 4 GB 'PDF' is
    refused or stopped by the time limit, and the worker stays small."""
    giant = tmp_path / "giant.bin"
    with giant.open("wb") as fh:
        fh.truncate(4 << 30)
    pdf = tmp_path / "giant.pdf"
    with pdf.open("wb") as fh:
        fh.write(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\n")
        fh.truncate(4 << 30)
    assert giant.stat().st_size > MAX_EXTRACT_BYTES
    with ExtractionPool(workers=1, timeout_s=5) as pool:
        pool.run([tmp_path / "warm-up"])  # the worker exists and has imported what it needs
        (pid,) = pool.worker_pids
        before = psutil.Process(pid).io_counters().read_chars
        result = pool.run([giant])[giant]
        read = psutil.Process(pid).io_counters().read_chars - before
        assert not result.searchable and "not supported" in str(result.reason)
        assert read < 1 << 20, f"the worker read {read:,} bytes of a file it cannot index"
        started = time.monotonic()
        verdict = pool.run([pdf])[pdf]
        assert not verdict.searchable
        assert time.monotonic() - started < 30
        print(f"\n[giant files] 4 GB sparse .pdf in the extractor: {verdict.reason}")
