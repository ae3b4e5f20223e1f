"""Checks an Office Open XML file before python-docx / python-pptx / openpyxl may open it.

Refused, with a reason, are:

* OLE compound files: encrypted OOXML ("EncryptedPackage" stream) or legacy .doc/.xls/.ppt;
* zips that do not open, or whose members use zip encryption;
* zip bombs: more than 10,000 members, more than 1 GiB declared uncompressed in total, or a
  member larger than 10 MiB that is compressed more than 200:1. The declared sizes are what
  the libraries will get: Python's zipfile never returns more bytes than a member declares
  (it stops there and fails the CRC check), and all three libraries read through it;
* XML parts whose prolog holds a DOCTYPE (where entities are declared: billion laughs, XXE).
  OOXML forbids DTDs, so any DOCTYPE is refused. The prolog is scanned exactly (XML
  declaration, comments, processing instructions) up to the root element, in whichever of
  UTF-8/16/32 or EBCDIC libxml2 would parse the part as; a prolog longer than 64 KiB is
  refused, and so is an XML declaration naming an encoding other than UTF-8/16 or Latin-1
  (UTF-7 can spell a DOCTYPE without a "<").
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from typing import IO

from .errors import EMPTY, ENCRYPTED, Unreadable, corrupt, human_size
from .kinds import OLE_MAGIC
from .ole import is_encrypted_ooxml, stream_names

__all__ = [
    "MAX_MEMBERS",
    "MAX_RATIO",
    "MAX_TOTAL_BYTES",
    "RATIO_MIN_BYTES",
    "check_ooxml",
    "open_checked_zip",
]

MAX_MEMBERS = 10_000
MAX_TOTAL_BYTES = 1 << 30
MAX_RATIO = 200
RATIO_MIN_BYTES = 10 << 20
_PROLOG_WINDOW = 64 << 10
_FIRST_READ = 1024

LEGACY = "The file is in a legacy binary Office format (.doc, .xls, .ppt), which is not supported."
_ENTITIES = "The file contains XML entity declarations (possible XML bomb or XXE attack)."
_DOCTYPE = "The file contains an XML DOCTYPE, which Office documents never use (possible XXE)."
_BAD_ENCODING = "The file declares an unexpected XML encoding (possible XXE attack)."
_LONG_PROLOG = "The file has an oversized XML prolog (possible XML attack)."

_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    EOFError,
    OSError,
    ValueError,
)
_ENCODING_DECL = re.compile(r"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_ALLOWED_ENCODINGS = frozenset(
    {"utf-8", "utf8", "utf-16", "utf-16le", "utf-16be", "us-ascii", "ascii",
     "iso-8859-1", "latin1", "windows-1252", "cp1252"}
)  # fmt: skip


def check_ooxml(path: Path, kind: str) -> None:
    """Raise :class:`Unreadable` unless *path* is a zip that is safe to hand to the library."""
    with open_checked_zip(path, kind):
        pass


def open_checked_zip(path: Path, kind: str) -> zipfile.ZipFile:
    """Run every check and return the open zip (caller closes it)."""
    file_size = path.stat().st_size
    if file_size == 0:
        raise Unreadable(EMPTY)
    with path.open("rb") as fh:
        head = fh.read(len(OLE_MAGIC))
    if head == OLE_MAGIC:
        if is_encrypted_ooxml(path):
            raise Unreadable(ENCRYPTED)
        raise Unreadable(LEGACY if stream_names(path) is not None else corrupt(kind))
    try:
        zf = zipfile.ZipFile(path)
    except _ZIP_ERRORS as exc:
        raise Unreadable(corrupt(kind)) from exc
    try:
        _check_sizes(zf, file_size)
        for info in zf.infolist():
            _check_member_prolog(zf, info)
    except Unreadable:
        zf.close()
        raise
    except _ZIP_ERRORS as exc:
        zf.close()
        raise Unreadable(corrupt(kind)) from exc
    return zf


def _zip_bomb(uncompressed: int, compressed: int) -> Unreadable:
    return Unreadable(
        f"Looks like a zip bomb: {human_size(uncompressed)} uncompressed "
        f"from {human_size(compressed)}."
    )


def _check_sizes(zf: zipfile.ZipFile, file_size: int) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise Unreadable(f"The file has too many parts ({len(infos):,}) for a real document.")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL_BYTES:
        raise _zip_bomb(total, file_size)
    for info in infos:
        if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise _zip_bomb(info.file_size, info.compress_size)
        if info.flag_bits & 0x1:
            raise Unreadable(ENCRYPTED)


def _check_member_prolog(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    if info.is_dir() or info.file_size == 0:
        return
    with zf.open(info) as fh:
        data = fh.read(_FIRST_READ)
        while True:
            verdict = _prolog_verdict(data)
            if verdict == "incomplete" and len(data) < _PROLOG_WINDOW:
                more = _read_more(fh, _PROLOG_WINDOW - len(data))
                if more:
                    data += more
                    continue
            break
    if verdict == "entities":
        raise Unreadable(_ENTITIES)
    if verdict == "doctype":
        raise Unreadable(_DOCTYPE)
    if verdict == "badencoding":
        raise Unreadable(_BAD_ENCODING)
    if verdict == "incomplete" and len(data) >= _PROLOG_WINDOW:
        raise Unreadable(_LONG_PROLOG)


def _read_more(fh: IO[bytes], n: int) -> bytes:
    return fh.read(min(n, 16 << 10))


def _sniff_encoding(head: bytes) -> str:
    """The encoding libxml2 would start parsing *head* in (BOM or the bytes of "<?")."""
    signatures = (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"<\x00\x00\x00", "utf-32-le"),
        (b"\x00\x00\x00<", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
        (b"<\x00?\x00", "utf-16-le"),
        (b"\x00<\x00?", "utf-16-be"),
        (b"\x4c\x6f\xa7\x94", "cp500"),  # "<?xm" in EBCDIC
    )
    for signature, encoding in signatures:
        if head.startswith(signature):
            return encoding
    return "utf-8"


def _prolog_verdict(data: bytes) -> str:
    """Verdict on a part's first bytes: doctype, entities, badencoding, incomplete, root, or
    ok (not XML at all)."""
    text = data.decode(_sniff_encoding(data), errors="replace").lstrip("\ufeff \t\r\n")
    if not text.startswith("<"):
        return "ok"
    verdict = _scan_prolog(text)
    if verdict == "doctype" and "<!ENTITY" in text:
        return "entities"
    return verdict


# complexity: a hand-written scanner of the XML prolog
def _scan_prolog(text: str) -> str:
    """Walk the prolog: "root" when the root element is reached cleanly, "doctype" on a DTD
    (or any other "<!" that is not a comment), "badencoding" when the XML declaration names
    an encoding OOXML does not use (UTF-7 and the like can hide a DOCTYPE), "incomplete" when
    *text* ends first."""
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in " \t\r\n\ufeff":
            i += 1
        if i >= n:
            return "incomplete"
        if text.startswith("<?", i):
            end = text.find("?>", i + 2)
            if end < 0:
                return "incomplete"
            match = _ENCODING_DECL.search(text, i, end)
            if text.startswith("<?xml", i) and match and not _allowed_encoding(match.group(1)):
                return "badencoding"
            i = end + 2
        elif text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            if end < 0:
                return "incomplete"
            i = end + 3
        elif n - i < 4 and "<!--".startswith(text[i:]):
            return "incomplete"
        elif text.startswith("<!", i):
            return "doctype"
        elif text.startswith("<", i):
            return "root" if n - i >= 2 else "incomplete"
        else:
            return "ok"


def _allowed_encoding(name: str) -> bool:
    return name.lower().replace("_", "-") in _ALLOWED_ENCODINGS
