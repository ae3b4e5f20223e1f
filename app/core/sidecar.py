"""Marketing's optional metadata: a ``satchel.toml`` in any folder of the publish source.

::

    [defaults]                      # this folder and every folder below it
    owner = "marketing@example.com"
    tags = { product = ["VitalWatch"], region = ["Global"] }

    ["Hospital Pricing 2026.pptx"]  # one table per file, keyed by its name on disk
    id = "hospital-pricing-2026"    # optional stable id (lowercase letters, digits, dashes)
    title = "Hospital pricing 2026"
    description = "List prices and discount bands for hospital deals."
    tags = { segment = ["Hospitals"], stage = ["Proposal"], persona = ["CFO"] }
    owner = "pricing@example.com"
    expires = 2027-06-30            # usable through that date (UTC), or an exact date-time
    change_note = "Q3 list prices"
    audiences = ["region:DACH", "role:SE"]   # aimed at these reps only (targeting, not secrecy)
    share = "internal"              # for the rep's eyes only; default "external" (shareable)

A file's metadata is its folder chain's ``[defaults]`` (outermost first) overlaid by its own
table; tags merge per kind, the nearer value winning.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from app.core.catalog import ID_RE, MAX_AUDIENCES, SHARE_VALUES, TAG_KINDS, check_audience
from app.core.errors import SatchelError
from app.core.timeutil import to_utc

SIDECAR_NAME = "satchel.toml"
FILE_KEYS = {
    "id",
    "title",
    "description",
    "tags",
    "owner",
    "expires",
    "change_note",
    "audiences",
    "share",
}
DEFAULT_KEYS = {"tags", "owner", "expires", "description", "audiences", "share"}


class SidecarError(SatchelError):
    pass


@dataclass(frozen=True, slots=True)
class Metadata:
    id: str | None = None
    title: str | None = None
    description: str | None = None
    tags: dict[str, list[str]] = field(default_factory=dict)
    owner: str | None = None
    expires: datetime | None = None
    change_note: str | None = None
    audiences: list[str] | None = None  # None: not given here (the folder's defaults apply)
    share: str | None = None  # "internal" | "external"; None: not given here (see SHARE_DEFAULT)


@dataclass(slots=True)
class FolderMetadata:
    defaults: Metadata
    files: dict[str, Metadata]


def _tags(value: Any, where: str) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise SidecarError(f'{where}: tags must be a table like {{ product = ["X"] }}.')
    out: dict[str, list[str]] = {}
    for kind, vals in value.items():
        if str(kind).strip().lower() not in TAG_KINDS:
            raise SidecarError(
                f"{where}: unknown tag kind {kind!r} (tag kinds are {', '.join(TAG_KINDS)})."
            )
        items = vals if isinstance(vals, list) else [vals]
        if not all(isinstance(v, str | int | float) for v in items):
            raise SidecarError(f"{where}: tag {kind!r} must be a string or a list of strings.")
        out[str(kind).strip().lower()] = [str(v).strip() for v in items if str(v).strip()]
    return out


def _audiences(value: Any, where: str) -> list[str] | None:
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    if len(items) > MAX_AUDIENCES:
        raise SidecarError(f"{where}: at most {MAX_AUDIENCES} audiences per file.")
    out: list[str] = []
    for v in items:
        try:
            label = check_audience(v)
        except ValueError as exc:
            raise SidecarError(f"{where}: {exc}.") from exc
        if label.casefold() not in (o.casefold() for o in out):
            out.append(label)
    return out


def _share(value: Any, where: str) -> str | None:
    if value is None:
        return None
    label = value.strip().lower() if isinstance(value, str) else ""
    if label not in SHARE_VALUES:
        raise SidecarError(f'{where}: share must be "internal" or "external", not {value!r}.')
    return label


def _metadata(table: Any, where: str, allowed: set[str]) -> Metadata:
    if not isinstance(table, dict):
        raise SidecarError(f"{where} must be a table.")
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise SidecarError(
            f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})."
        )
    expires = table.get("expires")
    if expires is not None and not isinstance(expires, date | datetime):
        raise SidecarError(f"{where}: expires must be a TOML date such as 2027-06-30.")
    item_id = table.get("id")
    if item_id is not None and (not isinstance(item_id, str) or not ID_RE.match(item_id)):
        raise SidecarError(
            f"{where}: id {item_id!r} must be lowercase letters, digits and dashes (max 80)."
        )

    def text(key: str) -> str | None:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise SidecarError(f"{where}: {key} must be text.")
        return value.strip()

    return Metadata(
        id=item_id,
        title=text("title"),
        description=text("description"),
        tags=_tags(table.get("tags", {}), where),
        owner=text("owner"),
        expires=None if expires is None else expiry_time(expires),
        change_note=text("change_note"),
        audiences=_audiences(table.get("audiences"), where),
        share=_share(table.get("share"), where),
    )


def expiry_time(value: date | datetime) -> datetime:
    """When an item stops being shown. A date means "usable through that date" in UTC: the
    item is hidden from 00:00 UTC the day after. A date-time is taken as it is (UTC when it
    names no offset)."""
    if isinstance(value, datetime):
        return to_utc(value)
    return to_utc(value) + timedelta(days=1)


def read_folder_metadata(folder: Path, display: str) -> FolderMetadata | None:
    path = folder / SIDECAR_NAME
    if not path.is_file():
        return None
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise SidecarError(f"{display}: {exc}.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SidecarError(f"{display} cannot be read: {exc}.") from exc
    defaults = _metadata(raw.pop("defaults", {}), f"{display} [defaults]", DEFAULT_KEYS)
    files = {
        name: _metadata(table, f"{display} [{name!r}]", FILE_KEYS) for name, table in raw.items()
    }
    return FolderMetadata(defaults, files)


def merge(base: Metadata, over: Metadata) -> Metadata:
    tags = dict(base.tags)
    tags.update(over.tags)
    return replace(
        base,
        id=over.id or base.id,
        title=over.title or base.title,
        description=over.description if over.description is not None else base.description,
        tags=tags,
        owner=over.owner or base.owner,
        expires=over.expires or base.expires,
        change_note=over.change_note or base.change_note,
        audiences=over.audiences if over.audiences is not None else base.audiences,
        share=over.share or base.share,
    )
