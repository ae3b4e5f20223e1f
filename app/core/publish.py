"""Marketing's side: turn a folder of approved files into (an update of) a signed hub."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from app.core.catalog import (
    BlobRef,
    Catalog,
    CatalogItem,
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
from app.core.hashing import file_sha256
from app.core.hub import (
    CATALOG_NAME,
    copy_into_objects,
    disk_full_error,
    write_object_bytes,
)
from app.core.index_snapshot import build_snapshot, snapshot_usable
from app.core.sidecar import Metadata, read_folder_metadata
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

    def summary(self) -> str:
        if not self.changed:
            return f"Hub unchanged (serial {self.serial})."
        parts = [
            f"{len(self.added)} new",
            f"{len(self.updated)} updated",
            f"{len(self.metadata_changed)} with new metadata",
            f"{len(self.withdrawn)} withdrawn",
            f"{self.unchanged} unchanged",
        ]
        return f"Published serial {self.serial}: " + ", ".join(parts) + "."


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
        display = f"{rel_dir}/satchel.toml" if rel_dir else "satchel.toml"
        folder = read_folder_metadata(self.root / rel_dir, display)
        if folder is None:
            self._defaults[rel_dir] = parent
            self._files[rel_dir] = {}
        else:
            self._defaults[rel_dir] = merge_metadata(parent, folder.defaults)
            self._files[rel_dir] = folder.files

    def for_file(self, rel: str) -> Metadata:
        rel_dir, _, name = rel.rpartition("/")
        self._load(rel_dir)
        own = self._files[rel_dir].get(name)
        base = self._defaults[rel_dir]
        return base if own is None else merge_metadata(base, own)


def read_previous_catalog(hub_root: Path, key: SigningKey) -> Catalog | None:
    path = hub_root / CATALOG_NAME
    if not path.exists():
        return None
    data = path.read_bytes()
    try:
        payload = verify_envelope(data, key.public)
    except SignatureError as exc:
        ids = ", ".join(signer_ids(data)) or "an unknown key"
        raise HubError(
            f"The hub {hub_root} is signed by another key ({ids}); "
            f"refusing to publish into it with key {key.public.key_id}."
        ) from exc
    return parse_catalog(payload)


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)


def publish(
    src: Path,
    hub_root: Path,
    key: SigningKey,
    *,
    progress: PublishProgress | None = None,
    cancel: Callable[[], bool] | None = None,
    now: datetime | None = None,
    workers: int | None = None,
) -> PublishResult:
    """Publish folder ``src`` into the folder hub ``hub_root``, signed with ``key``.

    Content files, extracted text and thumbnails become immutable objects named by their
    hash; the catalog is replaced last, atomically, so readers see the old or the new hub.
    Nothing is written when nothing changed.
    """
    if not src.is_dir():
        raise ConfigError(f"The source folder {src} does not exist.")
    hub_root.mkdir(parents=True, exist_ok=True)
    if src.resolve() == hub_root.resolve() or src.resolve() in hub_root.resolve().parents:
        raise ConfigError("The hub folder must not be inside the source folder.")
    lock = FileLock(str(hub_root / ".publish.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout as exc:
        raise HubError(f"Another publish into {hub_root} is running.") from exc
    try:
        return _publish_locked(
            src,
            hub_root,
            key,
            progress or (lambda *_: None),
            cancel or (lambda: False),
            now or utcnow(),
            workers,
        )
    finally:
        lock.release()


def _publish_locked(
    src: Path,
    hub_root: Path,
    key: SigningKey,
    progress: PublishProgress,
    cancel: Callable[[], bool],
    now: datetime,
    workers: int | None,
) -> PublishResult:
    previous = read_previous_catalog(hub_root, key)
    prev_items = previous.by_id() if previous else {}
    prev_by_source = {i.source: i for i in prev_items.values() if i.source}
    meta_tree = _MetadataTree(src)

    files = list(scan_source(src))
    plans: list[tuple[SourceFile, Metadata, str, str]] = []  # file, metadata, id, sha
    used_ids: set[str] = set()
    for n, sf in enumerate(files):
        if cancel():
            raise CancelledError("Publish cancelled; the hub is unchanged.")
        progress("hashing", n, len(files))
        meta = meta_tree.for_file(sf.rel)
        prev = prev_by_source.get(sf.rel)
        item_id = meta.id or (prev.id if prev else None) or _fresh_id(sf.rel, prev_items, used_ids)
        if item_id in used_ids:
            raise ConfigError(f"Two files in {src} claim the id {item_id!r}.")
        used_ids.add(item_id)
        plans.append((sf, meta, item_id, _hash_source(sf)))

    # Extract only content that is new to its item, and never a file too large to index.
    new_content = [
        sf
        for sf, _m, item_id, sha in plans
        if item_id not in prev_items or prev_items[item_id].sha256 != sha
    ]
    needs = [sf.path for sf in new_content if sf.size <= MAX_EXTRACT_BYTES]
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
    if needs:
        with ExtractionPool(workers=workers) as pool:
            for done, (path, extraction) in enumerate(pool.iter_results(needs), 1):
                extractions[path] = extraction
                progress("extracting", done, len(needs))
                if cancel():
                    raise CancelledError("Publish cancelled; the hub is unchanged.")

    result = PublishResult(serial=previous.serial if previous else 0, changed=False)
    items: list[CatalogItem] = []
    for n, (sf, meta, item_id, sha) in enumerate(plans):
        progress("storing", n, len(plans))
        prev = prev_items.get(item_id)
        result.objects_written += _store(sf, hub_root, sha)
        filename = sanitize_filename(Path(sf.rel).name, f"{item_id}{Path(sf.rel).suffix}")
        content_changed = prev is None or prev.sha256 != sha or prev.status != "current"
        if prev is not None and prev.sha256 == sha:
            item = _carry_over(prev)
        else:
            ex = extractions.get(sf.path) or Extraction(
                kind=detect_kind(sf.path), searchable=False, reason="The file was not extracted."
            )
            item = _new_version(item_id, sf, sha, ex, prev, meta, hub_root, now)
        item.status = "current"
        item.withdrawn_at = None
        item.source = sf.rel
        item.filename = filename
        if meta.title and plain_line(meta.title):
            item.title = plain_line(meta.title)
        item.description = meta.description or ""
        item.tags = {k: v for k, v in sorted(meta.tags.items()) if v}
        item.owner = meta.owner
        item.expires_at = meta.expires
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
    new_catalog = Catalog(
        serial=(previous.serial if previous else 0) + 1,
        created_at=now,
        key_id=key.public.key_id,
        items=items,
    )
    previous_index = previous.index if previous else None
    if (
        previous is not None
        and _same_items(previous, new_catalog)
        and snapshot_usable(hub_root, previous_index)
    ):
        return result
    if cancel():
        raise CancelledError("Publish cancelled; the hub is unchanged.")
    progress("indexing", 0, 1)
    new_catalog.index = build_snapshot(
        hub_root,
        items,
        previous_index,
        workers=workers or default_workers(),
        cancel=cancel,
        progress=lambda done, total: progress("indexing", done, total),
    )
    if cancel():
        raise CancelledError("Publish cancelled; the hub is unchanged.")
    _atomic_write(hub_root / CATALOG_NAME, sign_catalog(new_catalog, key))
    pub = hub_root / PUBLIC_KEY_NAME
    if not pub.exists():
        _atomic_write(pub, key.public.to_pem().encode("ascii"))
    result.serial = new_catalog.serial
    result.changed = True
    return result


def _hash_source(sf: SourceFile) -> str:
    try:
        return file_sha256(sf.path)
    except OSError as exc:
        raise ConfigError(
            f"Cannot read {sf.rel} in the source folder ({exc.strerror or exc}); "
            "the hub is unchanged."
        ) from exc


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
) -> CatalogItem:
    text_ref: BlobRef | None = None
    if ex.segments:
        text_ref = BlobRef(*write_object_bytes(encode_text(ex.segments), hub_root))
    thumb_ref: BlobRef | None = None
    if ex.thumbnail_png:
        thumb_ref = BlobRef(*write_object_bytes(ex.thumbnail_png, hub_root))
    version = (prev.version + 1) if prev else 1
    history = list(prev.history) if prev else []
    history.append(
        VersionEntry(
            version=version,
            sha256=sha,
            size=sf.size,
            published_at=now,
            change_note=meta.change_note or ("First release" if prev is None else ""),
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


def _metadata_differs(a: CatalogItem, b: CatalogItem) -> bool:
    fields = ("title", "description", "tags", "owner", "expires_at", "filename", "source")
    return any(getattr(a, f) != getattr(b, f) for f in fields)


def _same_items(a: Catalog, b: Catalog) -> bool:
    def items_json(c: Catalog) -> str:
        return json.dumps(catalog_to_json(c)["items"], sort_keys=True)

    return items_json(a) == items_json(b)
