"""Items as the source folder describes them: ids, titles and sidecar metadata."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from app.core.catalog import SHARE_DEFAULT, CatalogItem, plain_line, sanitize_filename
from app.core.extract.types import Extraction
from app.core.sidecar import SIDECAR_NAME, Metadata, SidecarError, read_folder_metadata
from app.core.sidecar import merge as merge_metadata
from app.core.source_scan import SourceFile

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


class MetadataTree:
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


def fresh_id(rel: str, prev_items: dict[str, CatalogItem], used: set[str]) -> str:
    base = slugify(rel.rsplit(".", 1)[0] if "." in rel.rpartition("/")[2] else rel)
    candidate, n = base, 2
    while candidate in used or candidate in prev_items:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


def apply_metadata(item: CatalogItem, sf: SourceFile, meta: Metadata, item_id: str) -> None:
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


def metadata_differs(a: CatalogItem, b: CatalogItem) -> bool:
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
