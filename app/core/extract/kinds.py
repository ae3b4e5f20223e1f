"""Which kind of document a file is: by its first bytes first, by its extension second.

Kinds: "pdf", "pptx", "docx", "xlsx", "text", "html", "csv", "image", "video", "other".
A ``.docx`` renamed ``.pdf`` is still "docx": the zip is looked into for its main part. A zip
that does not look like Office Open XML falls back to the extension, so a damaged ``.docx``
is still "docx" (and its extraction then says it is corrupt). An OLE compound file (the
container of encrypted OOXML and of legacy .doc/.xls/.ppt) has no kind of its own: the
extension decides.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

__all__ = ["KINDS", "OLE_MAGIC", "detect_kind", "kind_from_extension", "sniff_ooxml_kind"]

KINDS = ("pdf", "pptx", "docx", "xlsx", "text", "html", "csv", "image", "video", "other")

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_HEAD_BYTES = 4096

_EXTENSIONS: dict[str, str] = {
    ".pdf": "pdf",
    ".pptx": "pptx", ".pptm": "pptx", ".ppsx": "pptx", ".ppsm": "pptx",
    ".potx": "pptx", ".potm": "pptx",
    ".docx": "docx", ".docm": "docx", ".dotx": "docx", ".dotm": "docx",
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".xltx": "xlsx", ".xltm": "xlsx",
    ".txt": "text", ".md": "text", ".markdown": "text",
    ".html": "html", ".htm": "html",
    ".csv": "csv",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".gif": "image", ".webp": "image",
    ".bmp": "image", ".tif": "image", ".tiff": "image", ".svg": "image",
    ".mp4": "video", ".mov": "video", ".m4v": "video", ".avi": "video", ".mkv": "video",
    ".webm": "video",
}  # fmt: skip

# Main parts first (exact), then the part folders (a renamed main part is still that kind).
_OOXML_MAIN_PARTS = (
    ("word/document.xml", "docx"),
    ("ppt/presentation.xml", "pptx"),
    ("xl/workbook.xml", "xlsx"),
)
_OOXML_FOLDERS = (("word/", "docx"), ("ppt/", "pptx"), ("xl/", "xlsx"))
_MAX_NAMES = 10_000

# ISO base media brands that are still images, not video (HEIC, AVIF).
_IMAGE_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis")


def kind_from_extension(path: Path) -> str:
    """The kind the file name claims, or "other"."""
    return _EXTENSIONS.get(path.suffix.lower(), "other")


def detect_kind(path: Path | str) -> str:
    """Return the kind of *path*; never raises (an unreadable, missing or special file goes
    by its extension)."""
    path = Path(path)
    by_name = kind_from_extension(path)
    try:
        if not path.is_file():  # never open a FIFO or a device: it could block forever
            return by_name
        with path.open("rb") as fh:
            head = fh.read(_HEAD_BYTES)
    except OSError:
        return by_name
    by_magic = _kind_from_magic(path, head)
    if by_magic is not None:
        return by_magic
    if by_name != "other":
        return by_name
    return _kind_from_text_head(head) or "other"


def sniff_ooxml_kind(path: Path) -> str | None:
    """The OOXML kind of a zip, from its part names; None when it is not OOXML (or unreadable)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, RuntimeError):
        return None
    if len(infos) > _MAX_NAMES:
        return None
    names = {info.filename.replace("\\", "/").lower() for info in infos}
    for part, kind in _OOXML_MAIN_PARTS:
        if part in names:
            return kind
    if "[content_types].xml" not in names:
        return None
    for folder, kind in _OOXML_FOLDERS:
        if any(name.startswith(folder) for name in names):
            return kind
    return None


def _kind_from_magic(path: Path, head: bytes) -> str | None:
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(_ZIP_MAGICS):
        ooxml = sniff_ooxml_kind(path)
        if ooxml is not None:
            return ooxml
        by_name = kind_from_extension(path)
        # A damaged or non-Office zip: trust an OOXML extension, else it is just a zip.
        return by_name if by_name in ("docx", "pptx", "xlsx") else "other"
    if head.startswith(OLE_MAGIC):
        by_name = kind_from_extension(path)
        return by_name if by_name in ("docx", "pptx", "xlsx") else "other"
    return _image_or_video(head)


def _image_or_video(head: bytes) -> str | None:
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM")):
        return "image"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "video"
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # Matroska / WebM
        return "video"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "image" if brand in _IMAGE_BRANDS else "video"
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"):  # old QuickTime
        return "video"
    return None


def _kind_from_text_head(head: bytes) -> str | None:
    """Weak sniffing for files without a known extension: SVG and HTML."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return "image"
    if text.startswith((b"<!doctype html", b"<html")):
        return "html"
    return None
