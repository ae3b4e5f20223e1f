"""One item as a real document: PDF (reportlab, or plain PDF without it), PPTX, DOCX, XLSX,
with photos for bulk; zip entries normalised so the bytes are the same on every run."""

from __future__ import annotations

import io
import math
import os
import random
import zipfile
from pathlib import Path
from typing import Any

from app.tools.bench.corpus_gen.items import Content, ItemMeta, item_content

FIXED_EPOCH = 1_735_689_600  # 2025-01-01T00:00:00Z: mtimes and zip entry times


IMAGES: list[tuple[Path, int, tuple[int, int]]] = []  # (path, bytes, (w, h)), per process


def image_pool(folder: Path) -> list[tuple[Path, int, tuple[int, int]]]:
    """Photo-like JPEGs (smooth colour fields plus grain), the same bytes in every process."""
    from PIL import Image, ImageFilter

    rng = random.Random("satchel-images")
    out = []
    dims = [
        (320, 240),
        (480, 320),
        (640, 420),
        (800, 533),
        (1024, 683),
        (1280, 853),
        (1600, 1067),
        (1920, 1280),
    ]
    for n in range(24):
        width, height = dims[n % len(dims)]
        small = Image.frombytes("RGB", (24, 16), rng.randbytes(24 * 16 * 3))
        image = small.resize((width, height), Image.Resampling.BICUBIC)
        grain = Image.frombytes("L", (width, height), rng.randbytes(width * height))
        grain = grain.filter(ImageFilter.GaussianBlur(0.6)).convert("RGB")
        image = Image.blend(image, grain, 0.18)
        path = folder / f"photo{n:02d}.jpg"
        image.save(path, "JPEG", quality=82 + n % 3 * 5)
        out.append((path, path.stat().st_size, (width, height)))
    return out


def _pick_images(rng: random.Random, budget: int) -> list[tuple[Path, int, tuple[int, int]]]:
    """Distinct pool images adding up to about ``budget`` bytes (formats dedupe repeats)."""
    pool = sorted(IMAGES, key=lambda t: t[1], reverse=True)
    picked = []
    for entry in pool:
        if entry[1] <= budget * 1.1 and rng.random() < 0.85:
            picked.append(entry)
            budget -= entry[1]
        if budget < 15_000:
            break
    rng.shuffle(picked)
    return picked


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite an OOXML package with fixed entry times and fixed dates in docProps/core.xml
    (zipfile and openpyxl stamp the save time), so it is the same bytes on every run."""
    import re

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "docProps/core.xml":
                blob = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                    rb"\g<1>2025-01-01T00:00:00Z\g<2>",
                    blob,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            media = info.filename.lower().endswith((".jpeg", ".jpg", ".png"))
            fixed.compress_type = zipfile.ZIP_STORED if media else zipfile.ZIP_DEFLATED
            dst.writestr(fixed, blob)
    return out.getvalue()


def _render_pdf(meta: ItemMeta, content: Content, rng: random.Random, out: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    text_bytes = sum(len(p) for page in content.pages for p in page) // 3
    images = _pick_images(rng, meta.target_bytes - text_bytes - 4000)
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, invariant=1)
    if meta.doc_title:
        pdf.setTitle(meta.doc_title)
    pdf.setAuthor("Marketing")
    width, height = A4
    per_page = math.ceil(len(images) / len(content.pages)) if images else 0
    for n, page in enumerate(content.pages):
        pdf.setFont("Helvetica-Bold", 15)
        pdf.drawString(
            50, height - 60, f"{meta.product} {meta.doc_type}" if n == 0 else page[0][:60]
        )
        y = height - 90
        for path, _size, (iw, ih) in images[n * per_page : (n + 1) * per_page]:
            scale = min(240 / iw, 160 / ih)
            pdf.drawImage(str(path), 50, y - ih * scale, iw * scale, ih * scale)
            y -= ih * scale + 12
        text = pdf.beginText(50, y - 14)
        text.setFont("Helvetica", 9)
        lines = []
        for para in page:
            words = para.split()
            for start in range(0, len(words), 16):
                lines.append(" ".join(words[start : start + 16]))
            lines.append("")
        max_lines = int((y - 60) / 11)
        for line in lines[: max(0, max_lines)]:
            text.textLine(line)
        pdf.drawText(text)
        pdf.setFont("Helvetica", 7)
        pdf.drawString(50, 30, f"{meta.product} - page {n + 1} - confidential")
        pdf.showPage()
    pdf.save()
    out.write_bytes(buf.getvalue())


def _render_pptx(meta: ItemMeta, content: Content, rng: random.Random, out: Path) -> None:
    from pptx import Presentation
    from pptx.util import Inches

    text_bytes = sum(len(p) for page in content.pages for p in page) // 3
    images = _pick_images(rng, meta.target_bytes - text_bytes - 30_000)
    prs = Presentation()
    if meta.doc_title:
        prs.core_properties.title = meta.doc_title
    prs.core_properties.author = "Marketing"
    for n, (page, note) in enumerate(zip(content.pages, content.notes, strict=True)):
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = f"{meta.product} {meta.doc_type}" if n == 0 else page[0]
        body = slide.placeholders[1].text_frame
        body.text = page[1] if len(page) > 1 else ""
        for bullet in page[2:]:
            body.add_paragraph().text = bullet
        if note:
            slide.notes_slide.notes_text_frame.text = note
        if n < len(images):
            path, _size, (iw, ih) = images[n]
            slide.shapes.add_picture(str(path), Inches(6.2), Inches(4.8), Inches(3.2))
    for table in content.tables:
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = "Comparison"
        shape = slide.shapes.add_table(
            len(table), len(table[0]), Inches(0.5), Inches(1.5), Inches(9), Inches(4)
        )
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                shape.table.cell(r, c).text = value
    for path, _size, _dims in images[len(content.pages) :]:
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        slide.shapes.add_picture(str(path), Inches(0.5), Inches(0.5), Inches(9))
    buf = io.BytesIO()
    prs.save(buf)
    out.write_bytes(_normalise_zip(buf.getvalue()))


def _render_docx(meta: ItemMeta, content: Content, rng: random.Random, out: Path) -> None:
    from docx import Document
    from docx.shared import Inches

    text_bytes = sum(len(p) for page in content.pages for p in page) // 3
    images = _pick_images(rng, meta.target_bytes - text_bytes - 30_000)
    doc = Document()
    if meta.doc_title:
        doc.core_properties.title = meta.doc_title
    doc.core_properties.author = "Marketing"
    doc.add_heading(f"{meta.product} {meta.doc_type}", level=0)
    tables = list(content.tables)
    for n, section in enumerate(content.pages):
        doc.add_heading(section[0], level=1)
        for para in section[1:]:
            doc.add_paragraph(para)
        if n < len(images):
            doc.add_picture(str(images[n][0]), width=Inches(4.5))
        if tables and rng.random() < 0.5:
            _docx_table(doc, tables.pop())
    for table in tables:
        _docx_table(doc, table)
    for path, _size, _dims in images[len(content.pages) :]:
        doc.add_picture(str(path), width=Inches(4.5))
    buf = io.BytesIO()
    doc.save(buf)
    out.write_bytes(_normalise_zip(buf.getvalue()))


def _docx_table(doc: Any, table: list[list[str]]) -> None:
    t = doc.add_table(rows=0, cols=len(table[0]))
    for row in table:
        cells = t.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value


def _render_xlsx(meta: ItemMeta, content: Content, rng: random.Random, out: Path) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.drawing.image import Image as XlImage  # type: ignore[import-untyped]

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in content.sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    if meta.doc_title:
        wb.properties.title = meta.doc_title
    wb.properties.creator = "Marketing"
    images = _pick_images(rng, meta.target_bytes - len(content.sheets) * 20_000)[:2]
    for n, (path, _size, _dims) in enumerate(images):
        wb.worksheets[0].add_image(XlImage(str(path)), f"L{2 + n * 20}")
    buf = io.BytesIO()
    wb.save(buf)
    out.write_bytes(_normalise_zip(buf.getvalue()))


def _pdf_string(text: str) -> bytes:
    raw = text.encode("latin-1", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _render_pdf_plain(meta: ItemMeta, content: Content, rng: random.Random, out: Path) -> None:
    """The same pages as :func:`_render_pdf`, written directly (no reportlab): Helvetica text
    and JPEG photos (DCTDecode pass-through), with a correct cross-reference table."""
    text_bytes = sum(len(p) for page in content.pages for p in page) // 3
    images = _pick_images(rng, meta.target_bytes - text_bytes - 4000)
    objects: list[bytes] = []  # object n is objects[n - 1]

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog, pages_id = add(b""), add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    bold = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>")
    image_ids = []
    for path, _size, (iw, ih) in images:
        data = Path(WORKER.get("folder", "."), path).read_bytes()
        head = (
            f"<< /Type /XObject /Subtype /Image /Width {iw} /Height {ih} /ColorSpace "
            f"/DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length {len(data)} >>\nstream\n"
        ).encode()
        image_ids.append((add(head + data + b"\nendstream"), iw, ih))
    width, height = 595, 842
    per_page = math.ceil(len(image_ids) / len(content.pages)) if image_ids else 0
    kids = []
    for n, page in enumerate(content.pages):
        title = f"{meta.product} {meta.doc_type}" if n == 0 else page[0][:60]
        ops = [b"BT /F2 15 Tf 50 782 Td " + _pdf_string(title) + b" Tj ET"]
        y = 752.0
        xobjects = []
        for k, (img_id, iw, ih) in enumerate(image_ids[n * per_page : (n + 1) * per_page]):
            scale = min(240 / iw, 160 / ih)
            w, h = iw * scale, ih * scale
            ops.append(f"q {w:.2f} 0 0 {h:.2f} 50 {y - h:.2f} cm /Im{k} Do Q".encode())
            xobjects.append(f"/Im{k} {img_id} 0 R")
            y -= h + 12
        lines = []
        for para in page:
            words = para.split()
            lines += [" ".join(words[i : i + 16]) for i in range(0, len(words), 16)] + [""]
        ops.append(f"BT /F1 9 Tf 11 TL 50 {y - 14:.2f} Td".encode())
        for line in lines[: max(0, int((y - 60) / 11))]:
            ops.append(_pdf_string(line) + b" Tj T*")
        ops.append(b"ET")
        footer = f"{meta.product} - page {n + 1} - confidential"
        ops.append(b"BT /F1 7 Tf 50 30 Td " + _pdf_string(footer) + b" Tj ET")
        stream = b"\n".join(ops)
        contents = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        resources = (
            f"<< /Font << /F1 {font} 0 R /F2 {bold} 0 R >> /XObject << {' '.join(xobjects)} >> >>"
        )
        kids.append(
            add(
                f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {width} {height}] "
                f"/Resources {resources} /Contents {contents} 0 R >>".encode()
            )
        )
    info = add(
        b"<< /Producer (Satchel bench) /Author (Marketing)"
        + (b" /Title " + _pdf_string(meta.doc_title) if meta.doc_title else b"")
        + b" >>"
    )
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode()
    kid_refs = " ".join(f"{k} 0 R" for k in kids)
    objects[pages_id - 1] = f"<< /Type /Pages /Kids [{kid_refs}] /Count {len(kids)} >>".encode()
    buf = io.BytesIO()
    buf.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(buf.tell())
        buf.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = buf.tell()
    buf.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        buf.write(b"%010d 00000 n \n" % offset)
    buf.write(
        b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, info, xref)
    )
    out.write_bytes(buf.getvalue())


def pdf_writer() -> str:
    """reportlab when installed (the dev extra), else the plain writer above
    (SATCHEL_BENCH_PDF=plain forces it)."""
    if os.environ.get("SATCHEL_BENCH_PDF") == "plain":
        return "plain"
    try:
        import reportlab  # noqa: F401
    except ImportError:
        return "plain"
    return "reportlab"


_RENDER = {"pdf": _render_pdf, "pptx": _render_pptx, "docx": _render_docx, "xlsx": _render_xlsx}


def render(seed: int, meta: ItemMeta, dest: Path, variant: int = 0) -> int:
    """Write one item's file at ``dest`` (atomically); return its size."""
    content = item_content(seed, meta, variant)
    rng = random.Random(f"render:{seed}:{meta.index}:{variant}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.gen")
    renderer = _RENDER[meta.kind]
    if meta.kind == "pdf" and pdf_writer() == "plain":
        renderer = _render_pdf_plain
    renderer(meta, content, rng, tmp)
    os.utime(tmp, (FIXED_EPOCH + variant, FIXED_EPOCH + variant))
    tmp.replace(dest)
    return dest.stat().st_size


WORKER: dict[str, Any] = {}
