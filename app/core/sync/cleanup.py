"""Step 5: delete the files Satchel recorded as its own (see :meth:`Library.own`, written
before the files) that no current item references: withdrawn, superseded, stale partials.
Anything else in the library's folders was put there by somebody else and stays."""

from __future__ import annotations

import logging
from pathlib import Path

from app.core.catalog import CatalogItem
from app.core.crashpoints import crashpoint
from app.core.sync.run_state import SyncRun, is_real_dir

log = logging.getLogger(__name__)


def collect_garbage(run: SyncRun, items: list[CatalogItem]) -> None:
    """Delete the files Satchel recorded as its own that no current item needs.

    Only recorded files are deleted (see :meth:`Library.own`): whatever else is in the
    library's folders was put there by somebody else and is left alone - it is never
    listed nor handed out, since only the files the catalog names are opened. A link at
    a recorded path is removed, never followed; a failure to remove one file never fails
    the sync. Folders left empty by the deletions go too.
    """
    keep = {path for item in items for _ref, path in run.needed(item)}
    manifest = run.lib.adopted_index_manifest()  # its segment files were written into
    if manifest:  # the rep's own index, so only the manifest is kept
        keep.add(run.paths.blob_path(manifest))
    run.lib.own(keep)  # a library of an earlier version learns what is its own
    gone: list[Path] = []
    for path in sorted(run.lib.owned() - keep):
        if remove_file(path):
            gone.append(path)
            _remove_empty_parents(run, path)
    run.lib.disown(gone)


def _remove_empty_parents(run: SyncRun, path: Path) -> None:
    paths = run.paths
    tops = (paths.files_dir, paths.blobs_dir, paths.tmp_dir)
    folder = path.parent
    while folder not in tops and any(t in folder.parents for t in tops):
        try:
            folder.rmdir()  # only when empty: never anything but what we removed
        except OSError:
            return
        folder = folder.parent


def remove_file(path: Path) -> bool:
    """Delete a file Satchel recorded (a link there is removed, not followed; a folder is
    somebody else's and stays). True when nothing is at ``path`` afterwards."""
    try:
        if is_real_dir(path):
            log.warning("a folder was put where a file of the library was: %s", path.name)
            return False
        path.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("could not remove %s from the library: %s", path.name, exc.strerror or exc)
        return False
    finally:
        crashpoint("sync.gc")
    return True
