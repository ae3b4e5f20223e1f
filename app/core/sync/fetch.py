"""Step 2: download each missing object into ``tmp/<sha>.part`` (resumable), check its hash,
then move it into the store - files the current database does not reference yet are inert.
A folder or web hub is read by a few threads at once (:mod:`app.core.sync.downloads`).
Just before the switch, everything fetched is made durable at once (:func:`make_durable`)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

from sqlalchemy import select

from app.core.catalog import BlobRef, CatalogItem
from app.core.crashpoints import crashpoint
from app.core.errors import HashMismatchError, SatchelError
from app.core.hub import DiskFullError, check_and_finish, durability
from app.core.models import Item
from app.core.paths import OutsideLibraryError
from app.core.sync.cleanup import remove_file
from app.core.sync.downloads import Downloads, Task
from app.core.sync.results import SyncProgress, SyncResult
from app.core.sync.run_state import SyncRun, exists, is_real_dir, is_regular


def plan(
    run: SyncRun, items: list[CatalogItem], extra: Sequence[BlobRef] = ()
) -> dict[Path, BlobRef]:
    """Every object not yet in place: destination -> object."""
    todo: dict[Path, BlobRef] = {}
    for item in items:
        for ref, dest in run.missing(item):
            todo[dest] = ref
    for ref in extra:  # shipped search-index files, kept as blobs until written
        path = run.paths.blob_path(ref.sha256)
        if not run.have(path, ref.size):
            todo[path] = ref
    return todo


def fetch(run: SyncRun, todo: dict[Path, BlobRef], result: SyncResult, prog: SyncProgress) -> None:
    """Fetch ``todo``; ``prog`` (which may span several calls) counts on from where it
    stands."""
    # one task per object, smallest first: the same bytes wanted under two names are
    # placed by one thread, one after the other (they share tmp/<sha>.part)
    tasks: dict[str, Task] = {}
    for dest, ref in sorted(todo.items(), key=lambda kv: kv[1].size):
        tasks.setdefault(ref.sha256, []).append((dest, ref))
    run.lib.own(
        p
        for dest, ref in todo.items()
        for p in (dest, run.paths.part_path(ref.sha256), _copy_path(run, ref))
    )
    run.report(prog)
    real_dir(run, run.paths.tmp_dir)
    threads = max(1, int(getattr(run.hub, "fetch_threads", 1)))

    def fetch_one(task: Task, downloads: Downloads) -> None:
        _fetch_task(run, task, downloads)

    Downloads(run, fetch_one, result, prog, threads).run(list(tasks.values()))


def _fetch_task(run: SyncRun, task: Task, downloads: Downloads) -> None:
    """Fetch one object and put it in place under each name it is wanted under (on a
    fetching thread)."""
    created: set[Path] = set()  # folders this task made: empty, so no twin to copy
    for dest, ref in task:
        if downloads.stop.is_set():
            return
        real_dir(run, dest.parent, created)
        if dest.parent in created or not _copy_local_twin(run, ref, dest):
            part = run.paths.part_path(ref.sha256)
            resumed = downloads.resumable(part)
            downloads.started(part)
            try:
                run.hub.fetch_object(
                    ref.sha256, ref.size, part, downloads.on_bytes, downloads.stop.is_set
                )
            except DiskFullError:
                # give the space back: a library on a full disk cannot even be opened
                part.unlink(missing_ok=True)
                raise
            crashpoint("sync.object_fetched")
            part.replace(dest)
            downloads.fetched(part, min(resumed, ref.size))
            created.discard(dest.parent)  # a twin for the next name is there now
        downloads.placed(dest)


def real_dir(run: SyncRun, folder: Path, created: set[Path] | None = None) -> None:
    """Make ``folder`` a real folder of the library (never writing through a link): a
    link or file put by hand where one of its folders belongs is removed first.
    ``created`` receives the folders made now. Safe to call from several threads."""
    paths = run.paths
    try:
        paths.real_dir(folder, run.real_dirs, created)
        return
    except OutsideLibraryError:
        pass
    with run.dir_lock:  # one thread clears the way, of our own files only
        way = folder.relative_to(paths.home).parts
        owned = run.lib.owned()
        for n in range(1, len(way) + 1):
            step = paths.home.joinpath(*way[:n])
            if step not in run.real_dirs and exists(step) and not is_real_dir(step):
                if step not in owned:
                    raise SatchelError(
                        f"{step} is in the way of the library's own folders and is not "
                        "Satchel's; move it away and sync again."
                    )
                remove_file(step)
        paths.real_dir(folder, run.real_dirs, created)


def make_durable(run: SyncRun, items: list[CatalogItem]) -> None:
    """Flush what the switch is about to refer to for the first time: this sync's
    downloads, and files an earlier sync fetched but was stopped before switching."""

    def fresh() -> Iterator[Path]:
        yield from run.written
        with run.lib.sessions() as s:
            derived = (Item.text_sha256, Item.thumb_sha256, Item.rendition_sha256)
            rows = s.execute(
                select(Item.sha256, Item.filename, *derived).where(Item.status == "current")
            ).all()
        known = {run.paths.content_dir(r[0]) / r[1] for r in rows}
        known |= {run.paths.blob_path(sha) for r in rows for sha in r[2:] if sha}
        known.update(run.written)
        for item in items:
            for _ref, path in run.needed(item):
                if path not in known and is_regular(path):
                    known.add(path)
                    yield path

    durability.make_durable(fresh(), run.paths.home)


def _copy_path(run: SyncRun, ref: BlobRef) -> Path:
    return run.paths.part_path(ref.sha256).with_suffix(".copy")


def _copy_local_twin(run: SyncRun, ref: BlobRef, dest: Path) -> bool:
    """The same bytes already here under another name (a renamed file): copy locally.

    The copy is hash-checked: a twin changed by hand is not copied (the hub's is fetched).
    """
    folder = run.paths.content_dir(ref.sha256)
    if dest.parent != folder or not folder.is_dir() or folder.is_symlink():
        return False
    for twin in folder.iterdir():
        if twin != dest and run.have(twin, ref.size):
            tmp = _copy_path(run, ref)
            shutil.copyfile(twin, tmp)
            try:
                check_and_finish(tmp, ref.sha256, ref.size)
            except HashMismatchError:
                continue
            tmp.replace(dest)
            return True
    return False
