"""publish --watch: a real watch loop publishes once per settled change, survives a failed
publish, and stops cleanly on Ctrl-C."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from app.core.errors import HubError
from app.core.publish import publish
from app.core.signing import load_signing_key
from app.core.source_watch import PublishWatcher, snapshot
from tests.helpers.cli import REPO, satchel

WAIT_S = 60  # the most any condition is waited for


class _Lines:
    """A process's stdout, one line at a time, with bounded waits."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        assert proc.stdout is not None
        stdout = proc.stdout

        def pump() -> None:
            for line in stdout:
                self.lines.put(line.rstrip("\n"))

        self.pump = threading.Thread(target=pump, daemon=True)
        self.pump.start()

    def next(self) -> str:
        try:
            return self.lines.get(timeout=WAIT_S)
        except queue.Empty:
            raise AssertionError("the watch loop printed nothing in time") from None

    def until(self, predicate: Callable[[str], bool]) -> str:
        while True:
            line = self.next()
            if predicate(line):
                return line


def _end(proc: subprocess.Popen[str], out: _Lines) -> str:
    """Kill the loop if it still runs; close its pipes; its stderr."""
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    out.pump.join(WAIT_S)
    assert proc.stdout is not None and proc.stderr is not None
    err = proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    return err


def _start_watch(src: Path, hub: Path, key: Path, *extra: str) -> subprocess.Popen[str]:
    cmd = [sys.executable, str(REPO / "main.py"), "publish", str(src), "--hub", str(hub)]
    cmd += ["--key", str(key), "--watch", "--quiet", *extra]
    return subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ)
    )


@pytest.mark.parametrize("polling", [False, True], ids=["native", "polling"])
def test_a_changed_file_reaches_the_rep_as_exactly_one_new_version(
    tmp_path: Path, signing_key: tuple[Path, Path], polling: bool
) -> None:
    key, pub = signing_key
    src, hub, home = tmp_path / "src", tmp_path / "hub", tmp_path / "home"
    src.mkdir()
    (src / "pricing.txt").write_text("Hospital pricing with the old walrus discount.")
    (src / "brief.txt").write_text("Partner brief.")
    extra = ("--settle", "0.5") + (("--polling",) if polling else ())
    proc = _start_watch(src, hub, key, *extra)
    out = _Lines(proc)
    try:
        assert out.next().endswith("(Ctrl-C stops).")
        assert "Published serial 1: 2 new" in out.next()
        satchel("sync", "--hub", hub, "--trust", pub, home=home, check=True)

        # a new version, written in two steps (as a slow copy would): one publish after
        (src / "pricing.txt").write_text("Hospital pricing with the new ")
        with (src / "pricing.txt").open("a") as fh:
            fh.write("narwhal discount.")
        line = out.until(lambda text: "Published" in text or "failed" in text)
        assert "Published serial 2: 0 new, 1 updated" in line, line
        assert out.lines.empty()
        satchel("sync", home=home, check=True)
        hits = json.loads(satchel("search", "narwhal", "--json", home=home, check=True).stdout)
        assert [(h["id"], h["version"]) for h in hits] == [("pricing", 2)]
        assert not json.loads(satchel("search", "walrus", "--json", home=home).stdout)

        junk = src / "~$pricing.txt"  # a lock file wakes nothing
        junk.write_text("lock")
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=WAIT_S) == 0
        rest = [out.next()]
        while "Stopped" not in rest[-1]:
            rest.append(out.next())
        assert rest[-1].endswith(f"Stopped watching {src}.")
        assert not [text for text in rest if "Published" in text]  # exactly one new version
    finally:
        err = _end(proc, out)
    assert err == ""
    catalog = json.loads((hub / "catalog.json").read_text())
    assert catalog["format"] == "satchel-signed/1"
    leftovers = [p for p in (*hub.rglob("*"), *src.rglob("*")) if "tmp" in p.name.lower()]
    assert leftovers == []


def test_ctrl_c_during_a_publish_exits_0_and_leaves_the_hub_as_it_was(
    tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, _pub = signing_key
    src, hub = tmp_path / "src", tmp_path / "hub"
    src.mkdir()
    for n in range(40):
        (src / f"doc-{n}.txt").write_text(f"Document {n} about otters. " * 200)
    proc = _start_watch(src, hub, key, "--settle", "0.2")
    out = _Lines(proc)
    try:
        out.next()  # "Watching ..."; the first publish is under way
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=WAIT_S) == 0
    finally:
        _end(proc, out)
    names = [p.name for p in hub.rglob("*")] if hub.exists() else []
    assert not [n for n in names if "tmp" in n.lower()]
    if (hub / "catalog.json").exists():  # the publish finished before the signal came
        assert satchel("publish", src, "--hub", hub, "--key", key).returncode == 0


@pytest.mark.expect_log(
    "watched publish failed: The hub share went away", logger="app.core.source_watch"
)
def test_a_publish_failing_half_way_leaves_the_hub_and_the_loop_goes_on(
    tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key_path, _pub = signing_key
    key = load_signing_key(key_path)
    src, hub = tmp_path / "src", tmp_path / "hub"
    src.mkdir()
    (src / "a.txt").write_text("alpha")
    publish(src, hub, key, key_path=key_path)
    before = (hub / "catalog.json").read_bytes()

    lines: queue.Queue[str] = queue.Queue()
    failed = threading.Event()
    may_retry = threading.Event()
    calls = {"n": 0}

    def publish_once(cancel: Callable[[], bool]) -> str:
        calls["n"] += 1
        if calls["n"] == 2:

            def progress(stage: str, done: int, total: int) -> None:
                if stage == "storing" and done == 1:  # half-way through storing objects
                    failed.set()
                    raise HubError("The hub share went away; the hub's catalog is unchanged.")

            return publish(src, hub, key, key_path=key_path, progress=progress).summary()
        if calls["n"] == 3:
            assert may_retry.wait(WAIT_S)
        return publish(src, hub, key, key_path=key_path, cancel=cancel).summary()

    watcher = PublishWatcher(src, publish_once, settle_s=0.2, log_line=lines.put)
    runner = threading.Thread(target=watcher.run)
    runner.start()
    try:
        assert "Hub unchanged" in lines.get(timeout=WAIT_S)  # the start: nothing new
        (src / "b.txt").write_text("beta")
        (src / "c.txt").write_text("gamma")
        assert failed.wait(WAIT_S)
        line = lines.get(timeout=WAIT_S)
        assert line.startswith("Publish failed: The hub share went away"), line
        assert line.endswith("trying again after the next change or in 1 s.")
        assert (hub / "catalog.json").read_bytes() == before  # as it was
        may_retry.set()
        assert "Published serial 2: 2 new" in lines.get(timeout=WAIT_S)  # the loop went on
    finally:
        may_retry.set()
        watcher.request_stop()
        runner.join(WAIT_S)
    assert not runner.is_alive()
    assert calls["n"] == 3


def test_snapshot_sees_size_and_time_and_skips_junk(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("a")
    (tmp_path / ".DS_Store").write_text("x")
    (tmp_path / "b.pptx.tmp").write_text("x")
    first = snapshot(tmp_path)
    assert set(first) == {"sub/a.txt"}
    (tmp_path / "sub" / "a.txt").write_text("ab")
    assert snapshot(tmp_path) != first


def test_watch_options_need_watch(tmp_path: Path, signing_key: tuple[Path, Path]) -> None:
    key, _pub = signing_key
    src = tmp_path / "src"
    src.mkdir()
    run = satchel("publish", src, "--hub", tmp_path / "hub", "--key", key, "--settle", "5")
    assert "--settle and --polling go with --watch" in run.error_line()
    run = satchel("publish", src, "--hub", tmp_path / "hub", "--key", key, "--watch", "--dry-run")
    assert "cannot be combined with --watch" in run.error_line()


def test_a_recorded_reply_is_published_without_a_change_to_the_folder(
    tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    from datetime import UTC, datetime

    from app.core.catalog import Reply, read_catalog_unverified
    from app.core.replies import ReplyStore

    key_path, _pub = signing_key
    key = load_signing_key(key_path)
    src, hub = tmp_path / "src", tmp_path / "hub"
    src.mkdir()
    (src / "a.txt").write_text("alpha")
    lines: queue.Queue[str] = queue.Queue()

    def publish_once(cancel: Callable[[], bool]) -> str:
        return publish(src, hub, key, key_path=key_path, cancel=cancel).summary()

    watcher = PublishWatcher(
        src,
        publish_once,
        settle_s=0.2,
        log_line=lines.put,
        also=key_path.parent / (key_path.name + ".replies.json"),
    )
    runner = threading.Thread(target=watcher.run)
    runner.start()
    try:
        assert "Published serial 1" in lines.get(timeout=WAIT_S)
        reply = Reply(
            "0b9f7c1e-1111-4222-8333-944455556666", "request", "declined",
            datetime(2026, 12, 1, tzinfo=UTC), "not planned",
        )  # fmt: skip
        ReplyStore(key_path).record(hub, reply)
        line = lines.get(timeout=WAIT_S)
        assert "Published serial 2" in line and "1 new reply to reps" in line, line
    finally:
        watcher.request_stop()
        runner.join(WAIT_S)
    catalog = read_catalog_unverified((hub / "catalog.json").read_bytes())
    assert catalog.replies == [reply]


@pytest.mark.expect_log(
    "watched publish failed: .* changed while it was being published",
    logger="app.core.source_watch",
)
def test_a_file_written_during_the_publish_is_published_again_once_it_settles(
    tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    import hashlib

    from app.core.catalog import read_catalog_unverified

    key_path, _pub = signing_key
    key = load_signing_key(key_path)
    src, hub = tmp_path / "src", tmp_path / "hub"
    src.mkdir()
    doc = src / "deck.txt"
    doc.write_text("First half of the deck. ")
    lines: queue.Queue[str] = queue.Queue()
    calls = {"n": 0}

    def publish_once(cancel: Callable[[], bool]) -> str:
        calls["n"] += 1

        def progress(stage: str, done: int, total: int) -> None:
            if calls["n"] == 1 and stage == "storing":  # the writer is not finished yet
                with doc.open("a") as fh:
                    fh.write("Second half of the deck.")

        return publish(src, hub, key, key_path=key_path, progress=progress, cancel=cancel).summary()

    watcher = PublishWatcher(src, publish_once, settle_s=0.2, log_line=lines.put)
    runner = threading.Thread(target=watcher.run)
    runner.start()
    final = hashlib.sha256(b"First half of the deck. Second half of the deck.").hexdigest()
    try:
        seen = [lines.get(timeout=WAIT_S)]  # the publish that read the file half-written
        while True:
            if (hub / "catalog.json").exists():  # none when the first publish refused
                catalog = read_catalog_unverified((hub / "catalog.json").read_bytes())
                if catalog.current() and catalog.current()[0].sha256 == final:
                    break
            seen.append(lines.get(timeout=WAIT_S))  # ... is followed by another
    finally:
        watcher.request_stop()
        runner.join(WAIT_S)
    assert calls["n"] == 2, seen
    assert seen[0].startswith(("Publish failed:", "Published serial 1")), seen
    assert doc.read_bytes() == b"First half of the deck. Second half of the deck."


def test_a_quiet_folder_is_re_signed_before_its_catalog_runs_out(
    tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key_path, _pub = signing_key
    key = load_signing_key(key_path)
    src, hub = tmp_path / "src", tmp_path / "hub"
    src.mkdir()
    (src / "a.txt").write_text("alpha")
    lines: queue.Queue[str] = queue.Queue()

    def publish_once(cancel: Callable[[], bool], refresh: bool = False) -> str:
        return publish(src, hub, key, key_path=key_path, cancel=cancel, refresh=refresh).summary()

    watcher = PublishWatcher(
        src, publish_once, settle_s=0.1, log_line=lines.put, refresh_after_s=0.5
    )
    runner = threading.Thread(target=watcher.run)
    runner.start()
    try:
        assert "Published serial 1" in lines.get(timeout=WAIT_S)
        assert lines.get(timeout=WAIT_S).startswith("Refreshed serial 2: the same items")
    finally:
        watcher.request_stop()
        runner.join(WAIT_S)
    assert not runner.is_alive()
