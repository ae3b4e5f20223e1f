"""Marketing's side: turn a folder of approved files into (an update of) a signed hub."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from filelock import FileLock, Timeout

from app.core.catalog import (
    MAX_REPLIES,
    SHARE_DEFAULT,
    BlobRef,
    Catalog,
    CatalogItem,
    Reply,
    VersionEntry,
    catalog_to_json,
    parse_catalog,
    plain_line,
    sanitize_filename,
    sign_catalog,
    signer_ids,
    verify_envelope,
)
from app.core.errors import CancelledError, ConfigError, HubError, SignatureError
from app.core.extract import ExtractionPool, detect_kind
from app.core.extract.errors import human_size
from app.core.extract.pool import default_workers
from app.core.extract.types import Extraction
from app.core.freshness import DEFAULT_VALID_DAYS, MAX_VALID_DAYS, human_date, valid_until_after
from app.core.hashing import file_sha256
from app.core.hub import CATALOG_NAME, FolderHub, copy_into_objects, disk_full_error
from app.core.hub.verify import (
    MISSING,
    OK,
    check_objects,
    put_object_bytes,
    replace_object_bytes,
    replace_object_from_file,
    stamp_of,
)
from app.core.index_snapshot import SnapshotReport, build_snapshot, snapshot_usable
from app.core.publisher_state import HubRecord, PublisherState, Stamp, state_path_for
from app.core.replies import ReplyStore
from app.core.sidecar import SIDECAR_NAME, Metadata, SidecarError, read_folder_metadata
from app.core.sidecar import merge as merge_metadata
from app.core.signing import SigningKey
from app.core.source_scan import SourceFile, scan_source
from app.core.textblob import encode_text
from app.core.timeutil import utcnow

PUBLIC_KEY_NAME = "publisher.pub"
MAX_EXTRACT_BYTES = 2 << 30  # larger files are listed but never handed to an extractor
GENERIC_TITLES = {
    "powerpoint presentation",
    "presentation",
    "slide 1",
    "document",
    "document1",
    "untitled",
    "title",
    "microsoft word document",
    "book1",
    "workbook",
    "sheet1",
}

PublishProgress = Callable[[str, int, int], None]  # stage, done, total
#: A publish that would withdraw more than this share of the hub's current items is refused
#: unless allowed: an empty or wrong source folder must not empty the hub.
DEFAULT_MAX_WITHDRAW_SHARE = 0.25
#: What a folder hub holds; a non-empty folder with anything else and no catalog is no hub.
_HUB_ENTRIES = {CATALOG_NAME, "objects", "inbox", "publisher.pub", ".publish.lock"}


class WithdrawRefusedError(ConfigError):
    """A publish would withdraw more of the hub than allowed."""


@dataclass(slots=True)
class PublishPlan:
    """What a publish would do, worked out without writing anything."""

    serial: int  # the serial the publish would write
    current_before: int  # items current in the hub now
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    metadata_changed: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # source files that cannot be read
    unchanged: int = 0

    def withdraw_share(self) -> float:
        return len(self.withdrawn) / self.current_before if self.current_before else 0.0

    def lines(self) -> list[str]:
        changes = self.new or self.updated or self.metadata_changed or self.withdrawn
        head = (
            f"Plan for serial {self.serial} (nothing was written):"
            if changes
            else f"Plan: nothing to publish (serial {self.serial - 1} stays)."
        )
        out = [head]
        for label, ids in (
            ("new", self.new),
            ("updated", self.updated),
            ("metadata only", self.metadata_changed),
            ("withdrawn", self.withdrawn),
            ("unreadable", self.unreadable),
        ):
            out.append(f"  {label}: {len(ids)}")
            out.extend(f"    {i}" for i in ids)
        out.append(f"  unchanged: {self.unchanged}")
        if self.withdrawn:
            out.append(
                f"  ({self.withdraw_share():.0%} of the {self.current_before} current items "
                "would be withdrawn)"
            )
        return out


@dataclass(slots=True)
class _Scan:
    """The source folder against the hub's previous catalog (nothing written)."""

    previous: Catalog | None
    previous_sha: str | None
    prev_items: dict[str, CatalogItem]
    plans: list[tuple[SourceFile, Metadata, str, str]]  # file, metadata, id, sha
    used_ids: set[str]
    unreadable: list[str]

    def withdrawn(self) -> list[str]:
        return sorted(
            i.id
            for i in self.prev_items.values()
            if i.status == "current" and i.id not in self.used_ids
        )

    def current_before(self) -> int:
        return sum(1 for i in self.prev_items.values() if i.status == "current")


@dataclass(slots=True)
class PublishResult:
    serial: int
    changed: bool
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    metadata_changed: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    unchanged: int = 0
    unsearchable: dict[str, str] = field(default_factory=dict)
    objects_written: int = 0
    previous_serial: int = 0
    valid_until: datetime | None = None  # of the catalog the hub now offers
    refreshed: bool = False  # re-signed with nothing changed (``refresh``)
    # hub objects put right, as "item-id (file|text|thumbnail)": ones whose bytes did not
    # match their hash (or were not a plain file), ones that were missing, and ones that
    # could not be recreated from the source folder
    repaired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    unrepairable: list[str] = field(default_factory=list)
    state_warning: str | None = None  # the publisher state could not be written
    # the shipped search index's manifest or segments that did not match what was signed
    # (or failed their checks), rebuilt; one sentence each
    index_repairs: list[str] = field(default_factory=list)
    replies: int = 0  # replies to flags and requests signed for the first time (or changed)

    def summary(self) -> str:
        until = human_date(self.valid_until) if self.valid_until else None
        if not self.changed:
            text = f"Hub unchanged (serial {self.serial})."
            if until and self.valid_until is not None and self.valid_until < utcnow():
                text += f" Its catalog was valid until {until}; --refresh re-signs it."
            elif until:
                text += f" Its catalog is valid until {until}."
            return text
        if self.refreshed:
            return (
                f"Refreshed serial {self.serial}: the same items as serial "
                f"{self.previous_serial}, now valid until {until}."
            )
        parts = [
            f"{len(self.added)} new",
            f"{len(self.updated)} updated",
            f"{len(self.metadata_changed)} with new metadata",
            f"{len(self.withdrawn)} withdrawn",
            f"{self.unchanged} unchanged",
        ]
        text = f"Published serial {self.serial}: " + ", ".join(parts) + "."
        if self.replies:
            text += f" {self.replies} new {'reply' if self.replies == 1 else 'replies'} to reps."
        return text + (f" Valid until {until}." if until else "")

    def repair_notes(self) -> list[str]:
        """One sentence per kind of repair done to the hub's objects."""
        notes = []
        if self.repaired:
            notes.append(
                f"Repaired {_count(self.repaired, 'hub object')} that did not match "
                f"{'its hash' if len(self.repaired) == 1 else 'their hashes'}: "
                + ", ".join(self.repaired)
                + "."
            )
        if self.restored:
            notes.append(
                f"Restored {_count(self.restored, 'missing hub object')}: "
                + ", ".join(self.restored)
                + "."
            )
        notes += [f"Search index: {repair}." for repair in dict.fromkeys(self.index_repairs)]
        return notes

    def warnings(self) -> list[str]:
        """Sentences for problems that did not stop the publish."""
        out = []
        if self.unrepairable:
            out.append(
                f"{_count(self.unrepairable, 'hub object')} of items no longer in the source "
                "folder are damaged or missing and cannot be recreated ("
                + ", ".join(self.unrepairable)
                + "); reps never fetch withdrawn items, so no sync needs them."
            )
        if self.state_warning:
            out.append(self.state_warning)
        return out


def _count(things: list[str], noun: str) -> str:
    return f"{len(things)} {noun}{'' if len(things) == 1 else 's'}"


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].strip("-") or "item"


def title_from(extraction: Extraction | None, filename: str) -> str:
    if extraction and extraction.title:
        title = extraction.title.strip()
        title = re.sub(r"^Microsoft (Word|PowerPoint|Excel) - ", "", title)
        title = plain_line(title)  # no escape sequences, line breaks or bidi overrides
        if title and title.lower() not in GENERIC_TITLES and len(title) <= 200:
            return title
    stem = Path(filename).stem if "." in filename else filename
    return plain_line(re.sub(r"[_]+", " ", stem)) or plain_line(filename) or "Untitled"


class _MetadataTree:
    """Sidecar metadata with ``[defaults]`` cascading down the folder tree."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._defaults: dict[str, Metadata] = {}
        self._files: dict[str, dict[str, Metadata]] = {}

    def _load(self, rel_dir: str) -> None:
        if rel_dir in self._defaults:
            return
        parent = Metadata()
        if rel_dir:
            up = rel_dir.rpartition("/")[0]
            self._load(up)
            parent = self._defaults[up]
        folder = read_folder_metadata(self.root / rel_dir, str(self.root / rel_dir / SIDECAR_NAME))
        if folder is None:
            self._defaults[rel_dir] = parent
            self._files[rel_dir] = {}
        else:
            self._defaults[rel_dir] = merge_metadata(parent, folder.defaults)
            self._files[rel_dir] = folder.files

    def check_all_used(self, published: set[str]) -> None:
        """Every file table of a sidecar read names a file that is published from its
        folder: a table for a file that is not there is an error, not lost metadata."""
        self._load("")
        for rel_dir, tables in self._files.items():
            for name in tables:
                rel = f"{rel_dir}/{name}" if rel_dir else name
                if rel not in published:
                    display = self.root / rel_dir / SIDECAR_NAME
                    raise SidecarError(
                        f"{display} [{name!r}]: there is no file {name!r} to publish in that "
                        "folder (tables are keyed by a file's name on disk)."
                    )

    def for_file(self, rel: str) -> Metadata:
        rel_dir, _, name = rel.rpartition("/")
        self._load(rel_dir)
        own = self._files[rel_dir].get(name)
        base = self._defaults[rel_dir]
        return base if own is None else merge_metadata(base, own)


def read_previous_catalog(hub_root: Path, key: SigningKey) -> Catalog | None:
    return read_hub_catalog(hub_root, key)[0]


def read_hub_catalog(hub_root: Path, key: SigningKey) -> tuple[Catalog | None, str | None]:
    """The hub's catalog as signed by ``key`` and the SHA-256 of its signed payload;
    (None, None) when the hub has none yet. Another key's catalog is refused."""
    if not os.path.lexists(hub_root / CATALOG_NAME):
        return None, None
    data = FolderHub(hub_root).read_catalog()  # a regular file, of a sane size
    try:
        payload = verify_envelope(data, key.public)
    except SignatureError as exc:
        ids = ", ".join(signer_ids(data)) or "an unknown key"
        raise HubError(
            f"The hub {hub_root} is signed by another key ({ids}); "
            f"refusing to publish into it with key {key.public.key_id}."
        ) from exc
    return parse_catalog(payload), hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def publish(
    src: Path,
    hub_root: Path,
    key: SigningKey,
    *,
    progress: PublishProgress | None = None,
    cancel: Callable[[], bool] | None = None,
    now: datetime | None = None,
    workers: int | None = None,
    key_path: Path | None = None,
    valid_days: int = DEFAULT_VALID_DAYS,
    refresh: bool = False,
    max_withdraw_share: float = DEFAULT_MAX_WITHDRAW_SHARE,
    allow_withdraw: bool = False,
) -> PublishResult:
    """Publish folder ``src`` into the folder hub ``hub_root``, signed with ``key``.

    Content files, extracted text and thumbnails become immutable objects named by their
    hash; the catalog is replaced last, atomically, so readers see the old or the new hub.
    Nothing is written when nothing changed, unless ``refresh``: then the same items are
    re-signed under the next serial with a new ``valid_until``.

    ``key_path``: the signing key's file; the publisher's record of what it published
    (:mod:`app.core.publisher_state`) is kept beside it, and a hub rolled back behind that
    record is refused. Every hub object the catalog references is checked against its hash
    and put right from the source folder when it can be (``PublishResult.repaired``).
    The catalog is valid for ``valid_days`` days (:mod:`app.core.freshness`).

    A publish that would withdraw more than ``max_withdraw_share`` of the current items is
    refused (WithdrawRefusedError) unless ``allow_withdraw``; a non-empty folder that is not
    a hub is refused as ``hub_root``; a first publish that fails removes the folder it made.
    """
    _check_folders(src, hub_root)
    if not 1 <= valid_days <= MAX_VALID_DAYS:
        raise ConfigError(
            f"The number of days a catalog is valid must be from 1 to {MAX_VALID_DAYS}, "
            f"not {valid_days}."
        )
    created = not hub_root.exists()
    try:
        hub_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"Cannot create the hub folder {hub_root} ({exc.strerror or exc})."
        ) from exc
    lock = FileLock(str(hub_root / ".publish.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout as exc:
        raise HubError(f"Another publish into {hub_root} is running.") from exc
    except OSError as exc:
        if created:
            shutil.rmtree(hub_root, ignore_errors=True)
        raise ConfigError(
            f"Cannot write into the hub folder {hub_root} ({exc.strerror or exc})."
        ) from exc
    ok = False
    try:
        state = PublisherState.load(
            state_path_for(key_path) if key_path is not None else None, key.public.key_id
        )
        result = _publish_locked(
            src,
            hub_root,
            key,
            progress or (lambda *_: None),
            cancel or (lambda: False),
            now or utcnow(),
            workers,
            state,
            valid_days,
            refresh,
            None if allow_withdraw else max_withdraw_share,
            ReplyStore(key_path).for_hub(hub_root) if key_path is not None else None,
        )
        ok = True
        return result
    finally:
        lock.release()
        if created and not ok and not (hub_root / CATALOG_NAME).exists():
            shutil.rmtree(hub_root, ignore_errors=True)  # the folder this publish made


def plan_publish(
    src: Path,
    hub_root: Path,
    key: SigningKey,
    *,
    progress: PublishProgress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> PublishPlan:
    """What ``publish`` would do (new, updated, metadata only, withdrawn, unreadable),
    without writing anything anywhere."""
    _check_folders(src, hub_root)
    scan = _scan(src, hub_root, key, progress or (lambda *_: None), cancel or (lambda: False))
    plan = PublishPlan(
        serial=(scan.previous.serial if scan.previous else 0) + 1,
        current_before=scan.current_before(),
        withdrawn=scan.withdrawn(),
        unreadable=scan.unreadable,
    )
    for sf, meta, item_id, sha in scan.plans:
        prev = scan.prev_items.get(item_id)
        if prev is None or prev.status != "current":
            plan.new.append(item_id)
        elif prev.sha256 != sha:
            plan.updated.append(item_id)
        else:
            item = _carry_over(prev)
            _apply_metadata(item, sf, meta, item_id)
            if _metadata_differs(prev, item):
                plan.metadata_changed.append(item_id)
            else:
                plan.unchanged += 1
    return plan


def _check_folders(src: Path, hub_root: Path) -> None:
    """The source is a folder; the hub is a hub folder, a missing or an empty one."""
    if not src.is_dir():
        what = "is not a folder" if src.exists() else "does not exist"
        raise ConfigError(f"The source folder {src} {what}.")
    if hub_root.exists() and not hub_root.is_dir():
        raise ConfigError(f"The hub {hub_root} is a file, not a folder; give a hub folder.")
    if src.resolve() == hub_root.resolve() or src.resolve() in hub_root.resolve().parents:
        raise ConfigError("The hub folder must not be inside the source folder.")
    try:
        names = {e.name for e in os.scandir(hub_root)} if hub_root.exists() else set()
    except OSError as exc:
        raise ConfigError(f"Cannot read the hub folder {hub_root} ({exc.strerror}).") from exc
    if CATALOG_NAME not in names and not names <= _HUB_ENTRIES:
        raise ConfigError(
            f"The folder {hub_root} is not empty and is not a Satchel hub (it has no "
            f"{CATALOG_NAME}); publish into an existing hub or a new, empty folder."
        )


def _scan(
    src: Path,
    hub_root: Path,
    key: SigningKey,
    progress: PublishProgress,
    cancel: Callable[[], bool],
) -> _Scan:
    previous, previous_sha = read_hub_catalog(hub_root, key)
    prev_items = previous.by_id() if previous else {}
    prev_by_source = {i.source: i for i in prev_items.values() if i.source}
    meta_tree = _MetadataTree(src)

    files = list(scan_source(src))
    scan = _Scan(previous, previous_sha, prev_items, [], set(), [])
    for n, sf in enumerate(files):
        if cancel():
            raise CancelledError("Publish cancelled; the hub is unchanged.")
        progress("hashing", n, len(files))
        meta = meta_tree.for_file(sf.rel)
        prev = prev_by_source.get(sf.rel)
        used_ids = scan.used_ids
        item_id = meta.id or (prev.id if prev else None) or _fresh_id(sf.rel, prev_items, used_ids)
        if item_id in used_ids:
            raise ConfigError(f"Two files in {src} claim the id {item_id!r}.")
        try:
            sha = file_sha256(sf.path)
        except OSError:
            scan.unreadable.append(sf.rel)
            continue
        used_ids.add(item_id)
        scan.plans.append((sf, meta, item_id, sha))
    meta_tree.check_all_used({sf.rel for sf in files})
    return scan


def _publish_locked(
    src: Path,
    hub_root: Path,
    key: SigningKey,
    progress: PublishProgress,
    cancel: Callable[[], bool],
    now: datetime,
    workers: int | None,
    state: PublisherState,
    valid_days: int,
    refresh: bool,
    max_withdraw_share: float | None,
    replies: list[Reply] | None,
) -> PublishResult:
    scan = _scan(src, hub_root, key, progress, cancel)
    previous, previous_sha = scan.previous, scan.previous_sha
    # before anything is written: the hub must not be behind what this key published there
    state.check_hub(hub_root, previous.serial if previous else None, previous_sha)
    record = state.record(hub_root)
    if scan.unreadable:
        raise ConfigError(
            f"Cannot read {scan.unreadable[0]} in the source folder {src}; the hub is unchanged."
        )
    withdrawn, before = scan.withdrawn(), scan.current_before()
    if max_withdraw_share is not None and before and len(withdrawn) > max_withdraw_share * before:
        raise WithdrawRefusedError(
            f"This publish would withdraw {len(withdrawn)} of the hub's {before} items "
            f"({len(withdrawn) / before:.0%}, more than {max_withdraw_share:.0%}); check the "
            f"source folder {src} (see --dry-run), or pass --allow-withdraw if that is meant."
        )
    prev_items, plans, used_ids = scan.prev_items, scan.plans, scan.used_ids

    # Extract only content that is new to its item, and never a file too large to index.
    new_content = [
        sf
        for sf, _m, item_id, sha in plans
        if item_id not in prev_items or prev_items[item_id].sha256 != sha
    ]
    needs = [sf.path for sf in new_content if sf.size <= MAX_EXTRACT_BYTES]
    fresh: set[str] = set()  # objects this publish wrote (hashed as they were written)
    extractions: dict[Path, Extraction] = {
        sf.path: Extraction(
            kind=detect_kind(sf.path),
            searchable=False,
            reason=f"The file is too large to index ({human_size(sf.size)}; "
            f"the limit is {human_size(MAX_EXTRACT_BYTES)}).",
        )
        for sf in new_content
        if sf.size > MAX_EXTRACT_BYTES
    }
    extractions.update(_extract(needs, workers, progress, cancel))

    result = PublishResult(serial=previous.serial if previous else 0, changed=False)
    result.previous_serial = result.serial
    replies = _merged_replies(previous.replies if previous is not None else [], replies or [])
    said = set(previous.replies) if previous is not None else set()
    result.replies = sum(1 for r in replies if r not in said)
    items: list[CatalogItem] = []
    for n, (sf, meta, item_id, sha) in enumerate(plans):
        progress("storing", n, len(plans))
        prev = prev_items.get(item_id)
        if _store(sf, hub_root, sha):
            result.objects_written += 1
            fresh.add(sha)
        content_changed = prev is None or prev.sha256 != sha or prev.status != "current"
        if prev is not None and prev.sha256 == sha:
            item = _carry_over(prev)
        else:
            ex = extractions.get(sf.path) or Extraction(
                kind=detect_kind(sf.path), searchable=False, reason="The file was not extracted."
            )
            item = _new_version(item_id, sf, sha, ex, prev, meta, hub_root, now, fresh)
        _apply_metadata(item, sf, meta, item_id)
        if not item.searchable and item.reason:
            result.unsearchable[item_id] = item.reason
        if prev is None:
            result.added.append(item_id)
        elif content_changed:
            result.updated.append(item_id)
            item.updated_at = now
        elif _metadata_differs(prev, item):
            result.metadata_changed.append(item_id)
            item.updated_at = now
        else:
            result.unchanged += 1
        items.append(item)

    for prev in prev_items.values():
        if prev.id in used_ids:
            continue
        gone = _carry_over(prev)
        if prev.status == "current":
            gone.status = "withdrawn"
            gone.withdrawn_at = now
            result.withdrawn.append(prev.id)
        items.append(gone)

    items.sort(key=lambda i: i.id)
    # every object the catalog references is checked (and put right) before the index is
    # built from the hub's text objects and before the catalog names them
    source_by_sha = {sha: sf for sf, _m, _id, sha in plans}
    listed = {r.sha256 for i in previous.items for r in i.blobs()} if previous else set()
    stamps = _verify_objects(
        hub_root,
        items,
        source_by_sha,
        record.objects if record else {},
        fresh & listed,  # the hub lacked them although its catalog lists them
        fresh - listed,
        _Run(progress, cancel, now, workers),
        result,
    )
    new_catalog = Catalog(
        serial=(previous.serial if previous else 0) + 1,
        created_at=now,
        key_id=key.public.key_id,
        items=items,
        valid_until=valid_until_after(now, valid_days),
        replies=replies,
    )
    previous_index = previous.index if previous else None
    if (
        previous is not None
        and _same_items(previous, new_catalog)
        and snapshot_usable(hub_root, previous_index)
    ):
        if not refresh:
            result.valid_until = previous.valid_until
            _save_state(state, hub_root, previous.serial, previous_sha, stamps, result)
            return result
        # the same items and index under the next serial: only the validity is new
        new_catalog.created_at = previous.created_at
        new_catalog.index = previous_index
        result.refreshed = True
    else:
        if cancel():
            raise CancelledError("Publish cancelled; the hub is unchanged.")
        progress("indexing", 0, 1)
        snapshot_report = SnapshotReport()
        new_catalog.index = build_snapshot(
            hub_root,
            items,
            previous_index,
            workers=workers or default_workers(),
            cancel=cancel,
            progress=lambda done, total: progress("indexing", done, total),
            report=snapshot_report,
        )
        result.index_repairs = snapshot_report.repaired
    if cancel():
        raise CancelledError("Publish cancelled; the hub is unchanged.")
    envelope = sign_catalog(new_catalog, key)
    new_sha = hashlib.sha256(verify_envelope(envelope, key.public).encode("utf-8")).hexdigest()
    _atomic_write(hub_root / CATALOG_NAME, envelope)
    pub = hub_root / PUBLIC_KEY_NAME
    if not pub.exists():
        _atomic_write(pub, key.public.to_pem().encode("ascii"))
    result.serial = new_catalog.serial
    result.changed = True
    result.valid_until = new_catalog.valid_until
    _save_state(state, hub_root, new_catalog.serial, new_sha, stamps, result)
    return result


def _save_state(
    state: PublisherState,
    hub_root: Path,
    serial: int,
    catalog_sha: str | None,
    stamps: dict[str, Stamp],
    result: PublishResult,
) -> None:
    """Record what the hub now offers; a failure to is a warning (the hub is published)."""
    try:
        state.save(hub_root, HubRecord(serial, catalog_sha, stamps))
    except ConfigError as exc:
        result.state_warning = (
            f"{exc.args[0].rstrip('.')}; the next publish into {hub_root} trusts its signed "
            "catalog as it finds it."
        )


@dataclass(frozen=True, slots=True)
class _Run:
    progress: PublishProgress
    cancel: Callable[[], bool]
    now: datetime
    workers: int | None


def _extract(
    paths: list[Path],
    workers: int | None,
    progress: PublishProgress,
    cancel: Callable[[], bool],
) -> dict[Path, Extraction]:
    out: dict[Path, Extraction] = {}
    if not paths:
        return out
    with ExtractionPool(workers=workers) as pool:
        for done, (path, extraction) in enumerate(pool.iter_results(paths), 1):
            out[path] = extraction
            progress("extracting", done, len(paths))
            if cancel():
                raise CancelledError("Publish cancelled; the hub is unchanged.")
    return out


def _verify_objects(
    hub_root: Path,
    items: list[CatalogItem],
    source_by_sha: dict[str, SourceFile],
    known: dict[str, Stamp],
    rewritten: set[str],
    fresh: set[str],
    run: _Run,
    result: PublishResult,
) -> dict[str, Stamp]:
    """Check every file, text and thumbnail object ``items`` reference (the shipped search
    index is checked where it is built); put wrong or missing ones right from the source
    folder. Returns the stamp of every object found or made right, for the publisher state.
    ``fresh``: objects this publish wrote; ``rewritten``: ones it wrote although the hub's
    catalog already listed them (they were missing: reported as restored).

    A file object is copied again from the source file with its hash. A text or thumbnail
    object is made again by extracting the item's source file: when the extractor now gives
    other bytes, a current item takes the new object (and counts as having new metadata).
    Objects of items no longer in the source folder cannot be recreated: they are reported.
    """
    refs: list[tuple[CatalogItem, str, BlobRef]] = []
    for item in items:
        refs.append((item, "file", item.content))
        refs += [(item, "text", item.text)] if item.text else []
        refs += [(item, "thumbnail", item.thumbnail)] if item.thumbnail else []
    stamps: dict[str, Stamp] = {}
    wanted: dict[str, int] = {}
    for item, role, ref in refs:
        written = ref.sha256 in fresh or ref.sha256 in rewritten
        stamp = stamp_of(hub_root, ref.sha256) if written else None
        if stamp is not None and stamp[0] == ref.size:
            stamps[ref.sha256] = stamp  # written by this publish, hashed as it was written
            if ref.sha256 in rewritten:
                result.restored.append(f"{item.id} ({role})")
                rewritten.discard(ref.sha256)
        else:
            wanted[ref.sha256] = ref.size
    threads = max(2, min(4, os.cpu_count() or 2))
    checks = check_objects(
        hub_root,
        wanted,
        known,
        threads=threads,
        progress=lambda done, total: run.progress("verifying", done, total),
        cancel=run.cancel,
    )
    bad = {sha: check.status for sha, check in checks.items() if check.status != OK}
    stamps.update({sha: c.stamp for sha, c in checks.items() if c.stamp is not None})
    if not bad:
        return stamps

    handled: set[str] = set()  # bad objects repaired or reported (each once)

    def note(item: CatalogItem, role: str, sha: str, how: str = "") -> None:
        label = f"{item.id} ({role}{how})"
        (result.restored if bad[sha] == MISSING else result.repaired).append(label)
        handled.add(sha)

    rederive: dict[Path, list[tuple[CatalogItem, str, BlobRef]]] = {}
    for item, role, ref in refs:
        sha = ref.sha256
        if sha not in bad or sha in handled:
            continue
        if role == "file" and sha in source_by_sha:
            src = source_by_sha[sha].path
            stamps[sha] = _repair(
                partial(replace_object_from_file, src, hub_root, sha, ref.size), hub_root
            )
            note(item, role, sha)
        elif role != "file" and item.sha256 in source_by_sha:
            rederive.setdefault(source_by_sha[item.sha256].path, []).append((item, role, ref))
        else:
            result.unrepairable.append(f"{item.id} ({role}, {item.status})")
            handled.add(sha)

    extractions = _extract(list(rederive), run.workers, run.progress, run.cancel)
    for path, entries in rederive.items():
        ex = extractions[path]
        for item, role, ref in entries:
            data = _derived(ex, role)
            if data is not None and hashlib.sha256(data).hexdigest() == ref.sha256:
                if ref.sha256 not in handled:
                    stamps[ref.sha256] = _repair(
                        partial(replace_object_bytes, data, hub_root), hub_root
                    )
                    note(item, role, ref.sha256)
            elif item.status == "current":
                _take_new_derivative(item, role, ex, data, hub_root, stamps, run.now)
                note(item, role, ref.sha256, ", extracted again")
                result.unsearchable.pop(item.id, None)
                if not item.searchable and item.reason:
                    result.unsearchable[item.id] = item.reason
                if item.id not in result.added + result.updated + result.metadata_changed:
                    result.unchanged -= 1
                    result.metadata_changed.append(item.id)
            elif ref.sha256 not in handled:
                result.unrepairable.append(f"{item.id} ({role}, {item.status})")
                handled.add(ref.sha256)
    return stamps


def _derived(ex: Extraction, role: str) -> bytes | None:
    """The text or thumbnail object an extraction makes (None: it makes none)."""
    if role == "text":
        return encode_text(ex.segments) if ex.segments else None
    return ex.thumbnail_png or None


def _take_new_derivative(
    item: CatalogItem,
    role: str,
    ex: Extraction,
    data: bytes | None,
    hub_root: Path,
    stamps: dict[str, Stamp],
    now: datetime,
) -> None:
    """A current item's text or thumbnail, extracted again, came out different: use it."""
    ref: BlobRef | None = None
    if data is not None:
        stamp = _repair(partial(replace_object_bytes, data, hub_root), hub_root)
        ref = BlobRef(hashlib.sha256(data).hexdigest(), len(data))
        stamps[ref.sha256] = stamp
    if role == "text":
        item.text = ref
        item.searchable = ex.searchable and ref is not None
        item.reason = ex.reason if not ex.searchable else (None if ref else "No text found.")
        item.pages = ex.page_count
    else:
        item.thumbnail = ref
    item.updated_at = now


def _repair(write: Callable[[], Stamp], hub_root: Path) -> Stamp:
    try:
        return write()
    except OSError as exc:
        if disk_full_error(exc, hub_root) is not None:
            raise HubError(
                f"The hub folder's disk is full ({exc.strerror}); free some space and "
                "publish again - the hub's catalog is unchanged."
            ) from exc
        raise HubError(
            f"Cannot repair an object in the hub ({exc.strerror or exc}); "
            "the hub's catalog is unchanged."
        ) from exc


def _apply_metadata(item: CatalogItem, sf: SourceFile, meta: Metadata, item_id: str) -> None:
    """The item as the source folder and its sidecars describe it now."""
    item.status = "current"
    item.withdrawn_at = None
    item.source = sf.rel
    item.filename = sanitize_filename(Path(sf.rel).name, f"{item_id}{Path(sf.rel).suffix}")
    if meta.title and plain_line(meta.title):
        item.title = plain_line(meta.title)
    item.description = meta.description or ""
    item.tags = {k: v for k, v in sorted(meta.tags.items()) if v}
    item.owner = meta.owner
    item.expires_at = meta.expires
    item.audiences = list(meta.audiences or [])
    item.share = meta.share or SHARE_DEFAULT


def _store(sf: SourceFile, hub_root: Path, sha: str) -> bool:
    try:
        return copy_into_objects(sf.path, hub_root, sha)
    except OSError as exc:
        if disk_full_error(exc, hub_root) is not None:
            raise HubError(
                f"The hub folder's disk is full ({exc.strerror}); free some space and "
                "publish again - the hub's catalog is unchanged."
            ) from exc
        raise HubError(
            f"Cannot copy {sf.rel} into the hub ({exc.strerror or exc}); "
            "the hub's catalog is unchanged."
        ) from exc


def _fresh_id(rel: str, prev_items: dict[str, CatalogItem], used: set[str]) -> str:
    base = slugify(rel.rsplit(".", 1)[0] if "." in rel.rpartition("/")[2] else rel)
    candidate, n = base, 2
    while candidate in used or candidate in prev_items:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def _carry_over(prev: CatalogItem) -> CatalogItem:
    return CatalogItem(**{f: getattr(prev, f) for f in CatalogItem.__dataclass_fields__})


def _new_version(
    item_id: str,
    sf: SourceFile,
    sha: str,
    ex: Extraction,
    prev: CatalogItem | None,
    meta: Metadata,
    hub_root: Path,
    now: datetime,
    fresh: set[str],
) -> CatalogItem:
    def put(data: bytes) -> BlobRef:
        sha, size, written = put_object_bytes(data, hub_root)
        if written:
            fresh.add(sha)  # else an object of that name was there: it is checked later
        return BlobRef(sha, size)

    text_ref = put(encode_text(ex.segments)) if ex.segments else None
    thumb_ref = put(ex.thumbnail_png) if ex.thumbnail_png else None
    version = (prev.version + 1) if prev else 1
    history = list(prev.history) if prev else []
    history.append(
        VersionEntry(
            version=version,
            sha256=sha,
            size=sf.size,
            published_at=now,
            change_note=_change_note(meta, prev),
        )
    )
    return CatalogItem(
        id=item_id,
        title=title_from(ex, Path(sf.rel).name),
        kind=ex.kind,
        filename=Path(sf.rel).name,
        version=version,
        sha256=sha,
        size=sf.size,
        updated_at=now,
        published_at=prev.published_at if prev else now,
        searchable=ex.searchable and bool(ex.segments),
        reason=ex.reason if not ex.searchable else (None if ex.segments else "No text found."),
        pages=ex.page_count,
        text=text_ref,
        thumbnail=thumb_ref,
        history=history,
    )


def _change_note(meta: Metadata, prev: CatalogItem | None) -> str:
    """The sidecar's change note belongs to the version it was first published with: one
    already in the item's history (left in the sidecar) is not reused for a later one."""
    note = meta.change_note or ""
    if note and prev is not None and any(h.change_note == note for h in prev.history):
        note = ""
    return note or ("First release" if prev is None else "")


def _metadata_differs(a: CatalogItem, b: CatalogItem) -> bool:
    fields = (
        "title",
        "description",
        "tags",
        "owner",
        "expires_at",
        "filename",
        "source",
        "audiences",
        "share",
    )
    return any(getattr(a, f) != getattr(b, f) for f in fields)


def _same_items(a: Catalog, b: Catalog) -> bool:
    def items_json(c: Catalog) -> str:
        return json.dumps(catalog_to_json(c)["items"], sort_keys=True)

    return items_json(a) == items_json(b) and sorted(a.replies, key=_reply_id) == sorted(
        b.replies, key=_reply_id
    )


def _reply_id(reply: Reply) -> str:
    return reply.id


def _merged_replies(signed: list[Reply], recorded: list[Reply]) -> list[Reply]:
    """The replies the next catalog carries: those the hub's catalog already signed (a key
    file moved to another machine without its replies file loses none), overridden by the
    ones recorded beside the key; the newest :data:`MAX_REPLIES` when there are more, so
    that reps never refuse the catalog."""
    merged = {r.id: r for r in signed}
    merged.update({r.id: r for r in recorded})
    newest = sorted(merged.values(), key=lambda r: (r.answered_at, r.id), reverse=True)
    return sorted(newest[:MAX_REPLIES], key=_reply_id)
