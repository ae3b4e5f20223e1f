"""Plain text (.txt, .md), CSV and HTML: one Segment with loc None.

Bytes are decoded as UTF-8 (a BOM is honoured, UTF-16 too when it has a BOM), falling back to
cp1252 and then latin-1, which decodes anything. Only about 4 bytes per allowed character are
read, so a huge log file costs no more than the character budget. HTML is reduced to its
text with html.parser; script, style and template contents are dropped, the <title> becomes
the title. The HTML charset is taken from a BOM or a <meta> in the first 4 KB.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from html.parser import HTMLParser
from pathlib import Path

from .budget import TextBudget
from .errors import EMPTY, Unreadable
from .types import Extraction, Segment

__all__ = ["decode_bytes", "extract_html", "extract_plain"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_SKIP_TAGS = frozenset({"script", "style", "template", "noscript"})
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "tr", "table", "section", "article", "header",
     "footer", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr", "dd", "dt",
     "title", "td", "th", "nav", "aside", "main", "figcaption", "address"}
)  # fmt: skip
_MAX_TITLE = 1000


def extract_plain(path: Path, kind: str, budget: TextBudget) -> Extraction:
    text = decode_bytes(_read(path, budget)).replace("\x00", "")
    result = Extraction(kind=kind)
    text = budget.take(text)
    if text.strip():
        result.segments.append(Segment(None, text))
    return result


def extract_html(path: Path, budget: TextBudget) -> Extraction:
    data = _read(path, budget, factor=8)  # markup is not text: allow more bytes
    match = _META_CHARSET.search(data[:4096])
    parser = _TextParser()
    parser.feed(decode_bytes(data, match.group(1).decode("ascii") if match else None))
    parser.close()
    result = Extraction(kind="html", title=parser.title)
    text = budget.take(parser.text())
    if text.strip():
        result.segments.append(Segment(None, text))
    return result


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode with a BOM, else *declared* (if Python knows it), else UTF-8/cp1252/latin-1."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    candidates = ["utf-8", "cp1252", "latin-1"]
    if declared:
        with contextlib.suppress(LookupError):
            name = codecs.lookup(declared).name
            # As browsers do: a page that can declare its charset in ASCII is not UTF-16/32.
            if not name.startswith(("utf-16", "utf-32")):
                candidates.insert(0, name)
    for encoding in candidates:
        try:
            return _decode_prefix(data, encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _decode_prefix(data: bytes, encoding: str) -> str:
    """Strict decode that tolerates a multi-byte character cut off at the end of *data*."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    return decoder.decode(data, final=False)


def _read(path: Path, budget: TextBudget, factor: int = 4) -> bytes:
    with path.open("rb") as fh:
        data = fh.read(budget.remaining * factor + 4)
    if not data:
        raise Unreadable(EMPTY)
    return data


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._pieces: list[str] = []
        self._title: list[str] = []
        self._skip_depth = 0
        self._in_title = False

    @property
    def title(self) -> str | None:
        title = " ".join("".join(self._title).split())[:_MAX_TITLE]
        return title or None

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self._pieces).split("\n"))
        return "\n".join(line for line in lines if line)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip_depth += 1
        elif tag == "title":
            self._in_title = True
        if tag in _BLOCK_TAGS:
            self._pieces.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self._skip_depth:
            self._skip_depth -= 1
        elif tag == "title":
            self._in_title = False
        if tag in _BLOCK_TAGS:
            self._pieces.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        if self._in_title:
            self._title.append(data)
        self._pieces.append(data)
