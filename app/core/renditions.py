"""The publish step that gives office files a PDF preview (a *rendition*).

    with RenditionStep(paths, workers=2) as step:   # LibreOffice starts rendering at once
        extractions = extract(paths)                 # ... while the text is extracted
        stored = store(step.collect(progress, cancel), extractions, put_object)
    note = attach(item, stored.get(path))            # on each new version

Office files (:data:`~app.core.extract.rendition.OFFICE_SUFFIXES`) are rendered to PDF by
LibreOffice headless (:mod:`app.core.extract.rendition`: its own process group, time and
memory bounds, a fresh profile in a temporary folder) in a background thread, so rendering
overlaps text extraction. Each PDF is then opened in the extraction sandbox like any
published PDF (:class:`~app.core.extract.pool.ExtractionPool`): a PDF pdfium cannot read is
dropped, and its page count and first-page thumbnail come from there. A deck's PDF must have
one page per slide and a workbook's one page per sheet, so that the slide or sheet a search
matched is the page the preview opens; a PDF that does not is dropped too. The PDF ships as a
content-addressed hub object named by the catalog item's ``rendition``; a file that embeds no
thumbnail gets the rendition's first page as its thumbnail.

Where LibreOffice is missing, fails or times out, the item is published without a preview,
with a note (``PublishResult.no_preview``). ``SATCHEL_SOFFICE=""`` (or ``publish
--no-renditions``) turns the step off.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from app.core.catalog import BlobRef, CatalogItem
from app.core.extract.pool import ExtractionPool
from app.core.extract.rendition import (
    NOT_INSTALLED,
    OFFICE_SUFFIXES,
    Rendered,
    find_soffice,
    render_pdfs,
)
from app.core.extract.types import Extraction

__all__ = ["Rendition", "RenditionStep", "Stored", "attach", "store", "wants_rendition"]

#: Kinds whose extracted locations are slides or sheets: their PDF must match page for page.
_PAGED_KINDS = ("pptx", "xlsx")


@dataclass(frozen=True, slots=True)
class Rendition:
    """A checked PDF (``pdf`` in the step's temporary folder) or why there is none."""

    pdf: Path | None
    pages: int | None = None
    thumbnail_png: bytes | None = None
    reason: str | None = None


def wants_rendition(path: Path) -> bool:
    return path.suffix.lower() in OFFICE_SUFFIXES


class RenditionStep:
    """Renders ``paths`` (the office files among them) in a background thread from
    construction; :meth:`collect` waits, checks the PDFs and returns them. Always close it
    (``with``): the temporary folder holding the PDFs is removed."""

    def __init__(
        self,
        paths: Sequence[Path],
        *,
        workers: int | None = None,
        enabled: bool = True,
        timeout_s: float = 60,
        memory_mb: int = 2048,
    ) -> None:
        self.paths = [p for p in dict.fromkeys(paths) if wants_rendition(p)]
        self.workers = workers
        self._tmp = tempfile.TemporaryDirectory(prefix="satchel-renditions-")
        self._stop = threading.Event()
        self._rendered: dict[Path, Rendered] = {}
        self._done = 0
        self._thread: threading.Thread | None = None
        soffice = find_soffice() if enabled and self.paths else None
        if not enabled or not self.paths:
            self.paths = []
        elif soffice is None:
            missing = Rendered(None, NOT_INSTALLED)
            self._rendered = dict.fromkeys(self.paths, missing)
        else:
            self._thread = threading.Thread(
                target=self._render,
                args=(soffice, timeout_s, memory_mb),
                name="satchel-renditions",
                daemon=True,
            )
            self._thread.start()

    def _render(self, soffice: str, timeout_s: float, memory_mb: int) -> None:
        def done(_path: Path, _result: Rendered) -> None:
            self._done += 1

        self._rendered = render_pdfs(
            self.paths,
            Path(self._tmp.name),
            timeout_s=timeout_s,
            memory_mb=memory_mb,
            soffice=soffice,
            cancel=self._stop.is_set,
            on_done=done,
        )

    # complexity: each PDF checked in the sandbox, with its own reason
    def collect(
        self,
        progress: Callable[[str, int, int], None] = lambda *_: None,
        cancel: Callable[[], bool] = lambda: False,
    ) -> dict[Path, Rendition]:
        """Wait for LibreOffice, check every PDF in the sandbox; one entry per office path."""
        if self._thread is not None:
            while self._thread.is_alive():
                progress("rendering", self._done, len(self.paths))
                if cancel():
                    self._stop.set()
                self._thread.join(0.25)
            self._thread = None
        made = {p: r.pdf for p, r in self._rendered.items() if r.pdf is not None}
        checked: dict[Path, Extraction] = {}
        if made:
            with ExtractionPool(workers=self.workers) as pool:
                for n, (pdf, result) in enumerate(pool.iter_results(made.values()), 1):
                    checked[pdf] = result
                    progress("rendering", n, len(made))
        out: dict[Path, Rendition] = {}
        for path in self.paths:
            rendered = self._rendered.get(path) or Rendered(None, "It was not rendered.")
            if rendered.pdf is None:
                out[path] = Rendition(None, reason=rendered.reason)
                continue
            ex = checked.get(rendered.pdf)
            if ex is None or ex.kind != "pdf" or not ex.page_count:
                why = (ex.reason if ex is not None else None) or "it has no pages"
                out[path] = Rendition(None, reason=f"LibreOffice's PDF is unusable ({why}).")
                continue
            out[path] = Rendition(rendered.pdf, ex.page_count, ex.thumbnail_png)
        return out

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._tmp.cleanup()

    def __enter__(self) -> RenditionStep:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


@dataclass(frozen=True, slots=True)
class Stored:
    """A rendition put into the hub (with the thumbnail made from it), or a note."""

    rendition: BlobRef | None = None
    thumbnail: BlobRef | None = None
    note: str | None = None
    final: bool = True  # False: LibreOffice was not there (a later publish tries again)


def store(
    renditions: dict[Path, Rendition],
    extractions: dict[Path, Extraction],
    put: Callable[[bytes], BlobRef],
) -> dict[Path, Stored]:
    """Put every usable rendition into the hub (``put`` writes an object); a PDF whose pages
    do not match the file's slides or sheets is not used (a note says so)."""
    out: dict[Path, Stored] = {}
    for path, rendition in renditions.items():
        ex = extractions.get(path)
        if rendition.pdf is None:
            why = rendition.reason or "LibreOffice could not convert it."
            out[path] = Stored(note=why, final=why != NOT_INSTALLED)
            continue
        paged = ex is not None and ex.kind in _PAGED_KINDS and bool(ex.page_count)
        if ex is not None and paged and rendition.pages != ex.page_count:
            unit = "slides" if ex.kind == "pptx" else "sheets"
            out[path] = Stored(
                note=f"LibreOffice's PDF has {rendition.pages} pages for {ex.page_count} {unit}."
            )
            continue
        try:
            data = rendition.pdf.read_bytes()
        except OSError as exc:
            out[path] = Stored(note=f"Its PDF cannot be read ({exc.strerror}).")
            continue
        thumb = put(rendition.thumbnail_png) if rendition.thumbnail_png else None
        out[path] = Stored(put(data), thumb)
    return out


def attach(item: CatalogItem, stored: Stored | None) -> str | None:
    """Give a new version of ``item`` its rendition (and, when the file embeds no
    thumbnail, the rendition's first page as one); returns the note when it has none."""
    item.rendition = item.no_preview = None
    if stored is None:
        return None
    item.rendition = stored.rendition
    item.no_preview = stored.note if stored.final else None  # the catalog remembers it
    if item.thumbnail is None:
        item.thumbnail = stored.thumbnail
    return stored.note
