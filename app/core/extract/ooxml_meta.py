"""Package-level facts of an (already checked) OOXML zip: the core-properties title and the
package thumbnail. Read directly with defusedxml rather than through the libraries, which
invent defaults ("Word Document", "PowerPoint Presentation") when core properties are absent.
"""

from __future__ import annotations

import posixpath
import zipfile
from typing import Any

__all__ = ["core_title", "read_member", "thumbnail_member"]

_REL_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_REL_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
_NS_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_MAX_XML_BYTES = 1 << 20
_MAX_TITLE = 1000


def read_member(zf: zipfile.ZipFile, name: str, max_bytes: int) -> bytes | None:
    """The member's bytes, or None when it is missing or declared larger than *max_bytes*."""
    info = _find(zf, name)
    if info is None or info.file_size > max_bytes:
        return None
    with zf.open(info) as fh:
        return fh.read(max_bytes + 1)[:max_bytes]


def core_title(zf: zipfile.ZipFile) -> str | None:
    """dc:title from the core-properties part, stripped; None when absent or blank."""
    target = _package_targets(zf).get(_REL_CORE, "docProps/core.xml")
    root = _parse(read_member(zf, target, _MAX_XML_BYTES))
    if root is None:
        return None
    node = root.find(_DC_TITLE)
    text = "" if node is None or node.text is None else str(node.text)
    text = " ".join(text.split())[:_MAX_TITLE]
    return text or None


def thumbnail_member(zf: zipfile.ZipFile) -> str | None:
    """The member name of the package thumbnail, if there is one."""
    target = _package_targets(zf).get(_REL_THUMBNAIL)
    if target is not None and _find(zf, target) is not None:
        return target
    for info in zf.infolist():
        if info.filename.lower().startswith("docprops/thumbnail."):
            return info.filename
    return None


def _package_targets(zf: zipfile.ZipFile) -> dict[str, str]:
    root = _parse(read_member(zf, "_rels/.rels", _MAX_XML_BYTES))
    targets: dict[str, str] = {}
    if root is None:
        return targets
    for rel in root.iter(f"{_NS_RELS}Relationship"):
        rel_type, target = rel.get("Type"), rel.get("Target")
        if rel.get("TargetMode") == "External" or not rel_type or not target:
            continue
        name = posixpath.normpath(str(target).replace("\\", "/").lstrip("/"))
        targets.setdefault(str(rel_type), name)
    return targets


def _find(zf: zipfile.ZipFile, name: str) -> zipfile.ZipInfo | None:
    wanted = name.replace("\\", "/").lstrip("/").lower()
    for info in zf.infolist():
        if info.filename.replace("\\", "/").lower() == wanted:
            return info
    return None


def _parse(data: bytes | None) -> Any:
    if not data:
        return None
    from defusedxml import ElementTree as SafeET  # type: ignore[import-untyped]

    try:
        return SafeET.fromstring(data)
    except Exception:  # defusedxml refusals and ParseError alike: no metadata
        return None
