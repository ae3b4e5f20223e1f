"""The bundled demo library: published to a local demo hub and synced on first run.

The demo hub lives inside the library folder (``demo/hub``) with its own signing key, so it
never leaves the rep's machine. ``resources/demo/previous`` holds earlier versions of some
files: they are published first (dated 60 days ago) so the demo shows a version history.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import timedelta
from importlib import resources
from pathlib import Path

from app.core.hub import FolderHub
from app.core.library import Library
from app.core.publish import PublishProgress, publish
from app.core.signing import generate_key, load_signing_key, write_key_pair
from app.core.sync import ProgressFn, SyncResult, sync_library
from app.core.timeutil import utcnow


def needs_demo(library: Library) -> bool:
    """True when nothing is configured: the first run of the app."""
    return library.hub_state().location is None


def _copy_resource_tree(src: resources.abc.Traversable, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for entry in src.iterdir():
        if entry.is_dir():
            _copy_resource_tree(entry, dest / entry.name)
        elif entry.is_file() and entry.name != "README.md":
            (dest / entry.name).write_bytes(entry.read_bytes())


def install_demo(
    library: Library,
    *,
    progress: ProgressFn | None = None,
    publish_progress: PublishProgress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> SyncResult:
    demo_root = library.paths.home / "demo"
    hub_dir = demo_root / "hub"
    key_path = demo_root / "demo-signing.key"
    if not key_path.exists():
        write_key_pair(generate_key(), key_path)
    key = load_signing_key(key_path)
    demo_res = resources.files("resources") / "demo"
    if not (hub_dir / "catalog.json").exists():
        with tempfile.TemporaryDirectory(prefix="satchel-demo-") as tmp:
            earlier = demo_res / "previous"
            if earlier.is_dir():  # first release of the versioned items, two months ago
                _copy_resource_tree(earlier, Path(tmp) / "previous")
                publish(
                    Path(tmp) / "previous",
                    hub_dir,
                    key,
                    progress=publish_progress,
                    cancel=cancel,
                    now=utcnow() - timedelta(days=60),
                    key_path=key_path,
                )
            _copy_resource_tree(demo_res / "library", Path(tmp) / "library")
            publish(
                Path(tmp) / "library",
                hub_dir,
                key,
                progress=publish_progress,
                cancel=cancel,
                key_path=key_path,
            )
    library.configure_hub(str(hub_dir), key.public, is_demo=True)
    return sync_library(library, FolderHub(hub_dir), key.public, progress=progress, cancel=cancel)
