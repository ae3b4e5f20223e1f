"""Paths, the demo company, its colours, and the documents' core properties."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "resources" / "demo"
LIBRARY = DEMO / "library"
PREVIOUS = DEMO / "previous"

COMPANY = "Northwind Medical"
DOMAIN = "northwind-medical.example"

NAVY = "1B3A5C"
TEAL = "1FA3A3"
CORAL = "F26B5B"
SAND = "F4F1EA"
SLATE = "5F6B7A"
PALE = "E8F4F4"

ZIP_TIME = (2026, 1, 15, 9, 0, 0)


def mail(box: str) -> str:
    return f"{box}@{DOMAIN}"


# --------------------------------------------------------------------------- props


@dataclass(frozen=True)
class Props:
    """Document core properties. Empty title => the app falls back to the file name."""

    title: str = ""
    author: str = ""
    subject: str = ""
    keywords: str = ""
    modified: dt.datetime = dt.datetime(2026, 1, 12, 9, 0, 0)
    created: dt.datetime = dt.datetime(2025, 11, 3, 8, 30, 0)


def apply_ooxml_props(cp: Any, props: Props) -> None:
    cp.title = props.title
    cp.author = props.author
    cp.last_modified_by = props.author
    cp.subject = props.subject
    cp.keywords = props.keywords
    cp.comments = ""
    cp.category = ""
    cp.created = props.created
    cp.modified = props.modified
    cp.revision = 1


def normalize_ooxml(path: Path, props: Props) -> None:
    """Rewrite an OOXML zip with fixed member timestamps and a fixed modified date."""
    stamp = props.modified.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path) as zin:
        entries = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    data,
                )
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)
    path.write_bytes(buf.getvalue())
