"""A minimal, bounded reader of OLE compound-file directories (MS-CFB).

Password-protected OOXML files are not zips: Office wraps the encrypted package in an OLE
compound file with "EncryptionInfo" and "EncryptedPackage" streams. Legacy .doc/.xls/.ppt use
the same container. Only the directory is read here (stream names), never stream contents.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

__all__ = ["is_encrypted_ooxml", "stream_names"]

_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_SECTOR = 0xFFFFFFFA  # larger values are markers (end of chain, free, FAT, DIFAT)
_MAX_DIR_ENTRIES = 100_000


class _BadCompoundFile(Exception):
    pass


def stream_names(path: Path) -> set[str] | None:
    """Names of every storage and stream in the file, or None if it is not a valid OLE file."""
    try:
        with path.open("rb") as fh:
            return _read_directory(fh, path.stat().st_size)
    except (OSError, _BadCompoundFile, struct.error, UnicodeDecodeError):
        return None


def is_encrypted_ooxml(path: Path) -> bool:
    """True for an OLE file holding an "EncryptedPackage" stream (names are case-insensitive)."""
    names = stream_names(path)
    return names is not None and any(name.upper() == "ENCRYPTEDPACKAGE" for name in names)


# complexity: one check per field of a hostile binary header
def _read_directory(fh: BinaryIO, file_size: int) -> set[str]:
    header = fh.read(512)
    if len(header) < 512 or not header.startswith(_MAGIC):
        raise _BadCompoundFile
    (sector_shift,) = struct.unpack_from("<H", header, 0x1E)
    if sector_shift not in (9, 12):
        raise _BadCompoundFile
    sector_size = 1 << sector_shift
    n_sectors = max(0, file_size // sector_size - 1)
    (n_fat, first_dir) = struct.unpack_from("<II", header, 0x2C)
    (first_difat, n_difat) = struct.unpack_from("<II", header, 0x44)
    if n_fat > n_sectors or n_difat > n_sectors:
        raise _BadCompoundFile

    def read_sector(index: int) -> bytes:
        if index >= n_sectors:
            raise _BadCompoundFile
        fh.seek((index + 1) * sector_size)
        data = fh.read(sector_size)
        if len(data) != sector_size:
            raise _BadCompoundFile
        return data

    fat_sectors = [s for s in struct.unpack_from("<109I", header, 0x4C) if s <= _MAX_SECTOR]
    difat = first_difat
    seen: set[int] = set()
    per_difat = sector_size // 4 - 1
    while difat <= _MAX_SECTOR and len(fat_sectors) < n_fat:
        if difat in seen:
            raise _BadCompoundFile
        seen.add(difat)
        entries = struct.unpack(f"<{per_difat + 1}I", read_sector(difat))
        fat_sectors.extend(s for s in entries[:per_difat] if s <= _MAX_SECTOR)
        difat = entries[per_difat]
    fat: list[int] = []
    for s in fat_sectors[:n_fat]:
        fat.extend(struct.unpack(f"<{sector_size // 4}I", read_sector(s)))

    names: set[str] = set()
    sector = first_dir
    visited: set[int] = set()
    while sector <= _MAX_SECTOR:
        if sector in visited or len(visited) * sector_size // 128 > _MAX_DIR_ENTRIES:
            raise _BadCompoundFile
        visited.add(sector)
        data = read_sector(sector)
        for off in range(0, sector_size, 128):
            (name_len,) = struct.unpack_from("<H", data, off + 0x40)
            obj_type = data[off + 0x42]
            if obj_type in (1, 2, 5) and 2 <= name_len <= 64:
                names.add(data[off : off + name_len - 2].decode("utf-16-le"))
        if sector >= len(fat):
            raise _BadCompoundFile
        sector = fat[sector]
    return names
