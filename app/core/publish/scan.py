"""Read the source folder against the hub's previous catalog: ids and hashes, nothing written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.core.catalog import Catalog, CatalogItem
from app.core.errors import CancelledError, ConfigError
from app.core.hashing import file_sha256
from app.core.publish.hub_folder import read_hub_catalog
from app.core.publish.metadata import MetadataTree, fresh_id
from app.core.sidecar import Metadata
from app.core.signing import SigningKey
from app.core.source_scan import SourceFile, scan_source

Progress = Callable[[str, int, int], None]  # stage, done, total


@dataclass(slots=True)
class Scan:
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


def scan(
    src: Path,
    hub_root: Path,
    key: SigningKey,
    progress: Progress,
    cancel: Callable[[], bool],
) -> Scan:
    previous, previous_sha = read_hub_catalog(hub_root, key)
    prev_items = previous.by_id() if previous else {}
    prev_by_source = {i.source: i for i in prev_items.values() if i.source}
    meta_tree = MetadataTree(src)

    files = list(scan_source(src))
    scan = Scan(previous, previous_sha, prev_items, [], set(), [])
    for n, sf in enumerate(files):
        if cancel():
            raise CancelledError("Publish cancelled; the hub is unchanged.")
        progress("hashing", n, len(files))
        meta = meta_tree.for_file(sf.rel)
        prev = prev_by_source.get(sf.rel)
        used_ids = scan.used_ids
        item_id = meta.id or (prev.id if prev else None) or fresh_id(sf.rel, prev_items, used_ids)
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
