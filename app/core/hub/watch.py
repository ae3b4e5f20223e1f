"""Watching a folder hub for a newly published catalog. No Qt here: the GUI bridges the callback.

Marketing's publish replaces ``catalog.json`` last, atomically; a sync client (OneDrive,
Dropbox, SharePoint) may instead write it in place, over seconds. Either way a watcher must
hand the change on only once it has *settled*: the callback runs once, on a background thread,
after ``catalog.json`` has had no events and no size/mtime change for ``settle_s`` seconds, and
only when it differs from the catalog the watcher last reported (or found when it started).

Native file events (inotify, FSEvents, ReadDirectoryChangesW) are not delivered for most
network file systems, so for those a polling observer is used: chosen by :func:`is_network_path`
or forced with ``polling=True``; also used when native watching cannot start (inotify limits).
Only the hub's top folder is watched (``objects/`` can hold thousands of files), and OS and
sync-client junk (``.DS_Store``, ``Thumbs.db``, ``~$x.pptx``, ``@eaDir``, ``*.tmp`` …) is ignored.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path, PurePath

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from app.core.hub.layout import CATALOG_NAME

__all__ = ["CATALOG_NAME", "HubWatcher", "is_junk", "is_network_path"]

log = logging.getLogger(__name__)

DEFAULT_SETTLE_S = 1.0
DEFAULT_POLL_INTERVAL_S = 2.0

_JUNK_NAMES = frozenset(
    {
        ".ds_store",
        "thumbs.db",
        "ehthumbs.db",
        "desktop.ini",
        "icon\r",
        "@eadir",
        "#recycle",
        "$recycle.bin",
        ".trashes",
        ".spotlight-v100",
        ".fseventsd",
        ".temporaryitems",
        ".dropbox",
        ".dropbox.attr",
        ".dropbox.cache",
        ".sync",
        ".stfolder",
        ".stversions",
    }
)
_JUNK_PREFIXES = ("~$", "._", ".~lock.", ".syncthing.", ".goutputstream-", "~wrl")
_JUNK_SUFFIXES = (
    ".tmp",
    ".temp",
    ".part",
    ".partial",
    ".crdownload",
    ".download",
    ".swp",
    ".!sync",
    "~",
)
_NETWORK_FS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smbfs",
        "smb2",
        "smb3",
        "afpfs",
        "webdav",
        "davfs",
        "fuse.davfs",
        "sshfs",
        "fuse.sshfs",
        "fuse.rclone",
        "fuse.gvfsd-fuse",
        "9p",
        "ncpfs",
        "afs",
        "glusterfs",
        "fuse.glusterfs",
        "ceph",
        "fuse.ceph",
        "lustre",
        "vboxsf",
        "drvfs",
    }
)


def is_junk(path: str | os.PathLike[str]) -> bool:
    """True for files an OS or a sync client leaves around (any part of the path counts)."""
    for part in PurePath(path).parts:
        name = part.lower()
        if name in _JUNK_NAMES or name.startswith(_JUNK_PREFIXES) or name.endswith(_JUNK_SUFFIXES):
            return True
    return False


def _mount_fstype(path: Path, mounts_file: Path) -> str | None:
    """The file system type of the longest mount point above ``path`` (Linux)."""
    try:
        lines = mounts_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    best, fstype = "", None
    target = str(path)
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        mount = fields[1].replace("\\040", " ")
        inside = target == mount or target.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, fstype = mount, fields[2].lower()
    return fstype


def _windows_remote(path: Path) -> bool:
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True  # a UNC path: \\server\share
    import ctypes

    drive = os.path.splitdrive(text)[0]
    if not drive:
        return False
    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return False
    drive_remote = 4
    return bool(windll.kernel32.GetDriveTypeW(drive + "\\") == drive_remote)


def is_network_path(path: Path, *, mounts_file: Path = Path("/proc/self/mounts")) -> bool:
    """Best guess whether ``path`` is on a network file system (then native events are unreliable).

    Windows: UNC paths and mapped network drives. Linux: the mount's file system type. macOS:
    volumes under ``/Volumes`` (shares and external disks; polling them costs little).
    """
    try:
        resolved = path.expanduser().resolve()
    except OSError:
        resolved = path
    if sys.platform.startswith("win"):
        return _windows_remote(resolved)
    if sys.platform == "darwin":
        return str(resolved).startswith("/Volumes/")
    fstype = _mount_fstype(resolved, mounts_file)
    return fstype is not None and fstype in _NETWORK_FS


_Signature = tuple[int, int, int]


def _signature(path: Path) -> _Signature | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


class _Events(FileSystemEventHandler):
    def __init__(self, root: Path, poke: Callable[[], None]) -> None:
        self._root = root
        self._poke = poke

    def on_any_event(self, event: FileSystemEvent) -> None:
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if not raw:
                continue
            text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
            path = Path(text)
            if path.name == CATALOG_NAME and path.parent == self._root and not is_junk(path):
                self._poke()
                return


def start_observer(
    root: Path,
    handler: FileSystemEventHandler,
    polling: bool,
    poll_interval_s: float,
    *,
    recursive: bool,
) -> BaseObserver | None:
    """A started watchdog observer of ``root`` (native events, or polling every
    ``poll_interval_s``), or None when the folder cannot be watched that way."""
    observer: BaseObserver = PollingObserver(timeout=poll_interval_s) if polling else Observer()
    try:
        observer.schedule(handler, str(root), recursive=recursive)
        observer.start()
    except Exception as exc:  # inotify limits, permissions, a share that vanished
        log.warning("cannot watch %s (%s): %s", root, "polling" if polling else "native", exc)
        return None
    return observer


class HubWatcher:
    """Calls ``on_catalog()`` (on a background thread) once per new, settled ``catalog.json``.

    ``polling``: None chooses by :func:`is_network_path`; True or False forces it.
    ``start()`` returns False (and logs why) when the folder cannot be watched now; it can be
    called again later. ``stop()`` waits for the threads and is safe to call twice.
    """

    def __init__(
        self,
        hub_dir: Path,
        on_catalog: Callable[[], None],
        *,
        settle_s: float = DEFAULT_SETTLE_S,
        polling: bool | None = None,
        poll_interval_s: float = DEFAULT_POLL_INTERVAL_S,
    ) -> None:
        self.hub_dir = hub_dir
        self._on_catalog = on_catalog
        self._settle_s = settle_s
        self._polling_choice = polling
        self._poll_interval_s = poll_interval_s
        self._observer: BaseObserver | None = None
        self._thread: threading.Thread | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._dirty_at: float | None = None
        self._reported: _Signature | None = None
        self.uses_polling = False

    @property
    def running(self) -> bool:
        return self._observer is not None

    @property
    def catalog_path(self) -> Path:
        return self.hub_dir / CATALOG_NAME

    def start(self) -> bool:
        if self._observer is not None:
            return True
        root = self.hub_dir
        if not root.is_dir():
            log.info("hub folder %s is not reachable; not watching it now", root)
            return False
        root = root.resolve()
        self.hub_dir = root
        polling = self._polling_choice
        if polling is None:
            polling = is_network_path(root)
        observer = self._start_observer(root, polling)
        if observer is None and not polling:
            observer = self._start_observer(root, True)
        if observer is None:
            return False
        self._reported = _signature(self.catalog_path)
        self._stop.clear()
        self._thread = threading.Thread(target=self._settle_loop, name="hub-watch", daemon=True)
        self._thread.start()
        self._observer = observer
        log.info("watching hub %s (%s)", root, "polling" if self.uses_polling else "native")
        return True

    def _start_observer(self, root: Path, polling: bool) -> BaseObserver | None:
        observer = start_observer(
            root, _Events(root, self._poke), polling, self._poll_interval_s, recursive=False
        )
        if observer is not None:
            self.uses_polling = polling
        return observer

    def stop(self) -> None:
        observer, self._observer = self._observer, None
        self._stop.set()
        self._wake.set()
        if observer is not None:
            observer.stop()
            observer.join(timeout=5)
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=5)

    # ------------------------------------------------------------------ settling

    def _poke(self) -> None:
        with self._lock:
            self._dirty_at = time.monotonic()
        self._wake.set()

    def _settle_loop(self) -> None:
        step = max(0.02, self._settle_s / 5)
        last_seen: _Signature | None = None
        while not self._stop.is_set():
            with self._lock:
                dirty_at = self._dirty_at
            if dirty_at is None:
                self._wake.wait()
                self._wake.clear()
                last_seen = _signature(self.catalog_path)
                continue
            self._wake.wait(step)
            self._wake.clear()
            now = time.monotonic()
            sig = _signature(self.catalog_path)
            if sig != last_seen:
                last_seen = sig
                with self._lock:
                    self._dirty_at = now
                continue
            with self._lock:
                if self._dirty_at is None or now - self._dirty_at < self._settle_s:
                    continue
                self._dirty_at = None
            if sig is not None and sig != self._reported and not self._stop.is_set():
                self._reported = sig
                self._fire()

    def _fire(self) -> None:
        try:
            self._on_catalog()
        except Exception:  # the callback's own bug must not kill the watcher
            log.exception("hub watch callback failed")
