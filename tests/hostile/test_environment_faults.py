"""Environment faults: a full disk, a read-only library, a hub folder that vanishes mid-sync,
a storm of file events in a watched hub, and a laptop clock months off."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import psutil
import pytest

import app.core.library as library_module
from app.core.errors import HubUnreachableError, NotFoundError
from app.core.hub import open_hub
from app.core.library import Library
from app.core.signing import load_signing_key
from app.core.sync import SyncProgress, SyncResult, sync_library
from app.core.timeutil import utcnow
from tests.helpers.collateral import make_text
from tests.helpers.hubs import publish_folder, sync_home
from tests.hostile.conftest import (
    assert_untouched,
    cli_command,
    cli_env,
    library_state,
    run_cli,
    store_tree,
)

BIG = 6_000_000


@dataclass(frozen=True)
class Setup:
    hub: Path  # serial 2: adds a 6 MB object
    home: Path  # synced to serial 1
    pub: Path
    big_sha: str


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    import hashlib

    base = tmp_path_factory.mktemp("env-faults")
    key, src, hub, home = base / "k" / "key", base / "src", base / "hub", base / "home"
    run_cli("keygen", "--out", key, check=True)
    make_text(src / "faq.txt", "Battery lasts nine days envword.")
    run_cli("publish", src, "--hub", hub, "--key", key, check=True)
    run_cli("sync", "--hub", hub, "--trust", key.with_name("key.pub"), home=home, check=True)
    big = os.urandom(BIG)
    (src / "video.mp4").write_bytes(big)
    make_text(src / "faq.txt", "Battery lasts ten days envword.")
    run_cli("publish", src, "--hub", hub, "--key", key, check=True)
    return Setup(hub, home, key.with_name("key.pub"), hashlib.sha256(big).hexdigest())


def _fresh(setup: Setup, where: Path) -> Path:
    home = where / "home"
    shutil.copytree(setup.home, home)
    return home


def _resume_sync(home: Path) -> SyncResult:
    with Library.open(home) as lib:
        location, key = lib.require_hub()
        return sync_library(lib, open_hub(location), key)


# ----------------------------------------------------------------------------- disk full


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB tmpfs (root only); skipped, with the reason, where mounting is not allowed."""
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root; the RLIMIT_FSIZE test covers disk full")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"this sandbox does not allow mounting a tmpfs ({done.stderr.strip()})")
    try:
        yield mount
    finally:
        umount = subprocess.run(["umount", str(mount)], capture_output=True, check=False)
        if umount.returncode != 0:
            subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)


def test_disk_full_on_a_small_tmpfs_is_clear_and_resumable(setup: Setup, small_tmpfs: Path) -> None:
    home = _fresh(setup, small_tmpfs)
    before, tree = library_state(home), store_tree(home)
    result = run_cli("sync", home=home)
    line = result.assert_one_line_error("disk", "full")
    print(f"\n[env] disk full (3 MB tmpfs): {line}")
    assert_untouched(home, before, tree)
    assert run_cli("items", home=home, check=True).stdout  # still usable

    assert not (home / "tmp" / f"{setup.big_sha}.part").exists()  # the space was given back

    subprocess.run(["mount", "-o", "remount,size=64m", str(small_tmpfs)], check=True)
    again = _resume_sync(home)
    assert again.bytes_fetched == BIG  # the small files that fitted are not fetched again
    assert library_state(home)["serial"] == 2


_LIMITED = (
    "import os, resource, signal, sys\n"
    "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"  # writes past the limit fail: EFBIG
    "limit = int(sys.argv[1])\n"
    "resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))\n"
    "os.execv(sys.executable, [sys.executable, *sys.argv[2:]])\n"
)


def test_file_size_limit_efbig_is_a_disk_full_error(setup: Setup, tmp_path: Path) -> None:
    """Anywhere (no root needed): RLIMIT_FSIZE makes the big download fail with EFBIG."""
    home = _fresh(setup, tmp_path)
    before, tree = library_state(home), store_tree(home)
    proc = subprocess.run(
        [sys.executable, "-c", _LIMITED, str(2 << 20), *cli_command("sync", home=home)[1:]],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=cli_env(),
    )
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 1 and len(lines) == 1, proc.stderr
    assert "disk" in lines[0] and "full" in lines[0] and "File too large" in lines[0]
    print(f"\n[env] RLIMIT_FSIZE 2 MB (EFBIG): {lines[0]}")
    assert_untouched(home, before, tree)
    assert not (home / "tmp" / f"{setup.big_sha}.part").exists()  # the space was given back
    again = _resume_sync(home)
    assert again.bytes_fetched == BIG  # the small files that fitted are not fetched again
    assert library_state(home)["serial"] == 2


# ----------------------------------------------------------------------------- read-only


def _unprivileged(cmd: list[str]) -> list[str] | None:
    """``cmd`` run so that file permissions apply: as is when not root; as root without the
    capabilities that bypass permissions (setpriv); else as nobody (runuser) if nobody can
    run this Python. None when none of these is possible."""
    if os.geteuid() != 0:
        return cmd
    setpriv = shutil.which("setpriv")
    if setpriv:
        caps = "-dac_override,-dac_read_search,-fowner,-chown"
        probe = subprocess.run(
            [setpriv, f"--bounding-set={caps}", "--", "true"], capture_output=True, check=False
        )
        if probe.returncode == 0:
            return [setpriv, f"--bounding-set={caps}", "--", *cmd]
    runuser = shutil.which("runuser")
    if runuser:
        probe = subprocess.run(
            [runuser, "-u", "nobody", "--", sys.executable, "-c", "import app"],
            capture_output=True,
            check=False,
            cwd=Path(__file__).resolve().parents[2],
        )
        if probe.returncode == 0:
            return [runuser, "-u", "nobody", "--", *cmd]
    return None


def test_read_only_library_is_a_clear_error(setup: Setup, tmp_path: Path) -> None:
    home = _fresh(setup, tmp_path)
    before, tree = library_state(home), store_tree(home)
    cmd = _unprivileged(cli_command("sync", home=home))
    if cmd is None:
        pytest.skip("running as root with neither setpriv nor a Python that nobody may run")
    for path in [home, *home.rglob("*")]:
        path.chmod(path.stat().st_mode & ~0o222)
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=120, check=False, env=cli_env()
        )
    finally:
        for path in [home, *home.rglob("*")]:
            path.chmod(path.stat().st_mode | 0o200)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 1 and len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "not writable" in lines[0]
    print(f"\n[env] read-only library: {lines[0]}")
    assert_untouched(home, before, tree)


# ----------------------------------------------------------------------------- hub vanishes


def test_hub_folder_vanishing_mid_sync(setup: Setup, tmp_path: Path) -> None:
    """The hub folder is renamed away while the first object downloads (from the progress
    callback): a clear error, the library untouched; once it is back, the sync completes
    without fetching again what had arrived."""
    hub = tmp_path / "hub"
    shutil.copytree(setup.hub, hub)
    home = _fresh(setup, tmp_path)
    before, tree = library_state(home), store_tree(home)
    away = tmp_path / "hub-moved"

    def progress(p: SyncProgress) -> None:
        if p.stage == "download" and p.files_done >= 1 and hub.exists():
            hub.rename(away)

    with pytest.raises(HubUnreachableError, match="not reachable") as failure:
        sync_home(home, hub, setup.pub, progress=progress)
    print(f"\n[env] hub folder vanished mid-sync: {failure.value}")
    assert_untouched(home, before, tree)
    # the index's manifest, the object placed before the hub vanished, and any that other
    # fetching threads completed from files they had open; partial downloads resume
    arrived = set(store_tree(home)) - set(tree)
    partial = sum(p.stat().st_size for p in (home / "tmp").glob("*.part"))
    assert len(arrived) >= 2
    where = {r: home / (r if r.startswith("blobs/") else f"files/{r}") for r in arrived}
    arrived_bytes = sum(p.stat().st_size for p in where.values()) + partial
    away.rename(hub)
    result = sync_home(home, hub, setup.pub)  # (shipped index files leave once written)
    # a control library fetches everything (3 files and the search-index segments); this one
    # all but what arrived before the hub vanished
    control = sync_home(_fresh(setup, tmp_path / "control"), hub, setup.pub)
    assert control.files_fetched >= 3
    assert result.files_fetched == control.files_fetched - len(arrived)
    assert result.bytes_fetched == control.bytes_fetched - arrived_bytes
    assert library_state(home)["serial"] == 2


# ----------------------------------------------------------------------------- watch storm


@pytest.mark.parametrize("polling", [False, True], ids=["native", "polling"])
def test_watch_storm_of_10000_files_calls_back_a_bounded_number_of_times(
    tmp_path: Path, polling: bool
) -> None:
    from app.core.hub.watch import HubWatcher

    hub = tmp_path / "hub"
    (hub / "objects" / "ab").mkdir(parents=True)
    (hub / "catalog.json").write_text("{}", encoding="utf-8")
    calls: list[int] = []
    fired = [threading.Event(), threading.Event()]

    def on_catalog() -> None:
        calls.append(1)
        fired[min(len(calls), 2) - 1].set()

    me = psutil.Process()
    rss_before = me.memory_info().rss
    watcher = HubWatcher(hub, on_catalog, settle_s=0.3, polling=polling, poll_interval_s=0.2)
    assert watcher.start()
    try:
        for n in range(10_000):  # a sync client dropping thousands of files at once
            (hub / ("objects/ab/" if n % 2 else "") / f"object-{n}.bin").write_bytes(b"x")
        (hub / "catalog.json").write_text('{"serial": 2}', encoding="utf-8")
        assert fired[0].wait(60), "the new catalog was never reported"
        (hub / "catalog.json").write_text('{"serial": 3}', encoding="utf-8")
        assert fired[1].wait(60), "the second catalog was never reported"
    finally:
        watcher.stop()
    growth = me.memory_info().rss - rss_before
    mode = "polling" if polling else "native"
    print(f"\n[env] watch storm ({mode}): {len(calls)} callbacks, RSS +{growth / 2**20:.0f} MB")
    assert len(calls) == 2  # once per settled catalog; the storm itself never calls back
    assert growth < 200 << 20


# ----------------------------------------------------------------------------- the clock


@pytest.fixture
def expiring(tmp_path: Path, signing_key: tuple[Path, Path]) -> tuple[Path, Path, Path, Path]:
    key, pub = signing_key
    src, hub, home = tmp_path / "src", tmp_path / "hub", tmp_path / "home"
    today = utcnow().date()
    make_text(src / "soon.txt", "expires in a month clockword")
    make_text(src / "gone.txt", "expired a month ago clockword")
    make_text(src / "forever.txt", "never expires clockword")
    (src / "satchel.toml").write_text(
        f'["soon.txt"]\nexpires = {today + timedelta(days=30)}\n'
        f'["gone.txt"]\nexpires = {today - timedelta(days=30)}\n',
        encoding="utf-8",
    )
    publish_folder(src, hub, key)
    return src, hub, home, key


def _visible(home: Path) -> set[str]:
    with Library.open(home) as lib:
        ids = {i.id for i in lib.items()}
        assert {h.id for h in lib.search("clockword").hits} == ids
        return ids


def test_clock_set_back_months_never_resurrects_an_expired_item(
    expiring: tuple[Path, Path, Path, Path],
    signing_key: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _src, hub, home, _key = expiring
    sync_home(home, hub, signing_key[1])
    assert _visible(home) == {"soon", "forever"}
    real = utcnow()
    monkeypatch.setattr(library_module, "utcnow", lambda: real - timedelta(days=90))
    assert _visible(home) == {"soon", "forever"}  # "gone" stays gone
    with Library.open(home) as lib, pytest.raises(NotFoundError):
        lib.item("gone")


def test_clock_ahead_hides_early_until_a_sync_with_the_right_time(
    expiring: tuple[Path, Path, Path, Path],
    signing_key: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _src, hub, home, _key = expiring
    real = utcnow()
    ahead = real + timedelta(days=90)
    monkeypatch.setattr(library_module, "utcnow", lambda: ahead)
    sync_home(home, hub, signing_key[1], now=ahead)  # a sync with the clock months ahead
    assert _visible(home) == {"forever"}  # fail safe: expiring material hidden early
    monkeypatch.setattr(library_module, "utcnow", lambda: real)  # the clock is fixed
    assert _visible(home) == {"forever"}  # the last sync's (wrong) time still counts ...
    sync_home(home, hub, signing_key[1])  # ... until a sync with the right time
    assert _visible(home) == {"soon", "forever"}


def test_catalog_from_the_future_hides_early_never_resurrects(
    expiring: tuple[Path, Path, Path, Path],
    signing_key: tuple[Path, Path],
) -> None:
    """Marketing's clock (the signed catalog's created_at) months ahead: expiry is judged
    at the later of the two clocks - items expiring before then are hidden, none return."""
    src, hub, home, key = expiring
    make_text(src / "new.txt", "published from the future clockword")
    from app.core.publish import publish

    publish(src, hub, load_signing_key(key), now=utcnow() + timedelta(days=90), workers=1)
    result = sync_home(home, hub, signing_key[1])
    assert _visible(home) == {"forever", "new"}
    assert result.item_count == 2
