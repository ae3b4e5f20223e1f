"""Small PNG previews (at most 320 px on the long side). Never raise: no thumbnail is None.

* PDF: the first page rendered by pdfium.
* DOCX/PPTX/XLSX: the package thumbnail (docProps/thumbnail.*) re-encoded; WMF/EMF skipped,
  and so is one of a single flat colour (the blank placeholder that files made from a library
  template carry, e.g. python-pptx's and python-docx's): the publisher then uses the first
  page of the file's PDF rendition (:mod:`app.core.renditions`).
* Images: decoded by Pillow, limited to PNG/JPEG/GIF/WebP/BMP/TIFF (no plugin that shells
  out, such as EPS), and refused above 50 megapixels before any pixel is decoded. The bound is
  checked here instead of by changing the process-wide ``Image.MAX_IMAGE_PIXELS``, so the rest
  of the app keeps Pillow's defaults; Pillow's own DecompressionBombWarning/Error are turned
  into "no thumbnail" as well.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

__all__ = [
    "MAX_IMAGE_PIXELS",
    "THUMBNAIL_SIZE",
    "image_thumbnail",
    "make_thumbnail",
    "ooxml_thumbnail",
    "pdf_page_thumbnail",
]

THUMBNAIL_SIZE = 320
MAX_IMAGE_PIXELS = 50_000_000
_MAX_EMBEDDED_BYTES = 20 << 20
_FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP", "TIFF")
_VECTOR_SUFFIXES = (".wmf", ".emf", ".wmz", ".emz")


def make_thumbnail(path: Path | str, kind: str) -> bytes | None:
    """PNG bytes of a preview of *path*, or None (unsupported kind, no preview, any failure)."""
    path = Path(path)
    try:
        if kind == "pdf":
            return _pdf_thumbnail(path)
        if kind in ("docx", "pptx", "xlsx"):
            from .ooxml_guard import open_checked_zip

            with open_checked_zip(path, kind) as zf:
                return ooxml_thumbnail(zf)
        if kind == "image":
            with path.open("rb") as fh:
                return image_thumbnail(fh)
    except Exception:
        return None
    return None


def image_thumbnail(fp: IO[bytes]) -> bytes | None:
    """Decode a raster image from *fp* and return it as a small PNG, or None."""
    try:
        return _image_thumbnail(fp)
    except Exception:
        return None


def ooxml_thumbnail(zf: zipfile.ZipFile) -> bytes | None:
    """The package thumbnail of a checked OOXML zip as PNG, or None."""
    from .ooxml_meta import read_member, thumbnail_member

    try:
        name = thumbnail_member(zf)
        if name is None or name.lower().endswith(_VECTOR_SUFFIXES):
            return None
        data = read_member(zf, name, _MAX_EMBEDDED_BYTES)
    except Exception:
        return None
    if not data:
        return None
    try:
        return _image_thumbnail(io.BytesIO(data), drop_flat=True)
    except Exception:
        return None


def pdf_page_thumbnail(page: Any) -> bytes | None:
    """Render a pypdfium2 ``PdfPage`` so that its long side is THUMBNAIL_SIZE pixels."""
    try:
        width, height = (float(v) for v in page.get_size())
        if not (width > 0 and height > 0):
            return None
        scale = THUMBNAIL_SIZE / max(width, height)
        if min(width, height) * scale < 1:
            return None
        bitmap = page.render(scale=scale)
        try:
            image = bitmap.to_pil()
            return _png(image)
        finally:
            bitmap.close()
    except Exception:
        return None


def _pdf_thumbnail(path: Path) -> bytes | None:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    pdf = pdfium.PdfDocument(path)
    try:
        if len(pdf) < 1:
            return None
        page = pdf[0]
        try:
            return pdf_page_thumbnail(page)
        finally:
            page.close()
    finally:
        pdf.close()


def _image_thumbnail(fp: IO[bytes], *, drop_flat: bool = False) -> bytes | None:
    from PIL import Image, ImageOps

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(fp, formats=_FORMATS) as opened:
            width, height = opened.size
            if width <= 0 or height <= 0 or width * height > MAX_IMAGE_PIXELS:
                return None
            opened.draft("RGB", (THUMBNAIL_SIZE, THUMBNAIL_SIZE))  # JPEG: decode scaled down
            opened.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
            image = ImageOps.exif_transpose(opened)
            if drop_flat and _is_flat(image):
                return None
            return _png(image)


def _is_flat(image: PILImage) -> bool:
    """Whether every pixel has the same colour."""
    extrema: Any = image.convert("RGB").getextrema()  # ((low, high),) per band
    return all(low == high for low, high in extrema)


def _png(image: PILImage) -> bytes:
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        has_alpha = image.mode in ("PA", "RGBa", "La") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    if max(image.size) > THUMBNAIL_SIZE:
        image.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()
