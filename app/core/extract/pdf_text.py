"""PDF text with pypdfium2: one Segment per page that has text, loc = page number (1-based).

A PDF that opens but has no text layer (a scan) is still searchable=True with no segments:
the file is fine, there is just nothing to index (OCR is out of scope). Callers tell this case
by ``not extraction.segments``. Owner-password PDFs (printing/copying restricted, no password
needed to open) are read like any other: they open without a password and the text is the
user's own collateral. PDFs that need a password to open are reported as encrypted.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .budget import TextBudget
from .errors import EMPTY, ENCRYPTED, Unreadable, corrupt
from .thumbnails import pdf_page_thumbnail
from .types import Extraction, Segment

__all__ = ["extract_pdf"]

_ERR_PASSWORD = 4  # FPDF_ERR_PASSWORD
_ERR_SECURITY = 6  # FPDF_ERR_SECURITY: unsupported security handler
_MAX_TITLE = 1000
_HYPHENATION = re.compile("\x02(?:\r?\n)?")


def extract_pdf(path: Path, budget: TextBudget, *, thumbnail: bool = True) -> Extraction:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    if path.stat().st_size == 0:
        raise Unreadable(EMPTY)
    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in (_ERR_PASSWORD, _ERR_SECURITY):
            raise Unreadable(ENCRYPTED) from exc
        raise Unreadable(corrupt("pdf")) from exc
    try:
        page_count = len(pdf)
        result = Extraction(kind="pdf", page_count=page_count, title=_title(pdf))
        for index in range(page_count):
            if budget.exhausted and not (thumbnail and index == 0):
                break
            page = pdf[index]
            try:
                if thumbnail and index == 0:
                    result.thumbnail_png = pdf_page_thumbnail(page)
                if budget.exhausted:
                    break
                text = budget.take(_page_text(page))
            finally:
                page.close()
            if text.strip():
                result.segments.append(Segment(index + 1, text))
        return result
    finally:
        pdf.close()


def _page_text(page: Any) -> str:
    textpage = page.get_textpage()
    try:
        text = str(textpage.get_text_bounded())
    finally:
        textpage.close()
    # pdfium marks a word hyphenated across lines with U+0002 (and drops the line break):
    # remove it so the word is whole again.
    text = _HYPHENATION.sub("", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _title(pdf: Any) -> str | None:
    try:
        raw = pdf.get_metadata_value("Title")
    except Exception:
        return None
    title = " ".join(str(raw or "").replace("\x00", "").split())[:_MAX_TITLE]
    return title or None
