"""Text extraction on real and hostile files (no mocks).

The corpus lives next to the repository: ../shared/corpus/{real,hostile} (see SOURCES.md
there). Every real file extracts with text: none of them is genuinely empty (checked when
these tests were written), so there is no exception list. Hostile files must each come back
as an Extraction from the pool, without hanging; encrypted ones must say so.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import sys
import time
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from PIL import Image

from app.core.extract import (
    Extraction,
    ExtractionPool,
    detect_kind,
    extract_file,
    make_thumbnail,
)
from tests.conftest import CORPUS, CORPUS_MISSING, corpus_present, needs_corpus

REAL = sorted((CORPUS / "real").iterdir()) if corpus_present() else []
HOSTILE = sorted((CORPUS / "hostile").iterdir()) if corpus_present() else []
# without the corpus, its parametrized tests show up as one skip each, saying why
_NO_CORPUS = [pytest.param(None, marks=pytest.mark.skip(reason=CORPUS_MISSING), id="no-corpus")]

ENCRYPTED = "The file is encrypted (password protected)."
ENTITIES = "The file contains XML entity declarations (possible XML bomb or XXE attack)."
TIMEOUT_REASON = "Text extraction hit the time limit"
UTF8_DECL = re.compile(rb"""encoding=["']UTF-8["']""", re.IGNORECASE)

# OLE-wrapped encrypted OOXML, and a PDF that needs a user password to open.
ENCRYPTED_HOSTILE = {
    "poi-58616.xlsx",
    "poi-bug53475-password-is-pass.docx",
    "poi-extenxls_pwd123.xlsx",
    "poi-protect.xlsx",
    "poi-protected_agile.docx",
    "tika-protected_upper_case.docx",
    "tika-testWORD_protected_passtika.docx",
    "tika-testPDF_no_extract_no_accessibility_owner_user.pdf",
}
XXE_HOSTILE = {"poi-54764.xlsx", "poi-ExternalEntityInText.docx"}
# Hostile by origin but well-formed enough to read: macro-enabled documents, a .dotx, and
# spreadsheets whose oddities openpyxl tolerates.
READABLE_HOSTILE = {
    "poi-SimpleMacro.docm",
    "tika-testWORD_macros.docm",
    "poi-stress014.docx",
    "poi-stress022.pptx",
    "poi-xlsx-corrupted.xlsx",
    "poi-xxe_in_schema.xlsx",
    "tika-testDdeLink.xlsx",
}


def real(name: str) -> Path:
    return CORPUS / "real" / name


def text_of(extraction: Extraction) -> str:
    return "\n".join(segment.text for segment in extraction.segments)


def locs_with(extraction: Extraction, needle: str) -> list[int | None]:
    return [segment.loc for segment in extraction.segments if needle in segment.text]


def png_size(data: bytes | None) -> tuple[int, int]:
    assert data is not None
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(data)) as image:
        return image.size


# -- fixtures -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_results() -> dict[Path, Extraction]:
    if not corpus_present():
        pytest.skip(CORPUS_MISSING)
    with ExtractionPool(workers=2, timeout_s=30, memory_mb=1024) as pool:
        return pool.run([*REAL, *HOSTILE])


@pytest.fixture(scope="module")
def made_documents(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Eight small searchable documents of every office kind, made here."""
    from tests.helpers.collateral import make_docx, make_pptx, make_text

    folder = tmp_path_factory.mktemp("made")
    out: list[Path] = []
    for n in range(3):
        out.append(make_docx(folder / f"brief-{n}.docx", [f"Brief number {n} for resellers."]))
        out.append(make_pptx(folder / f"deck-{n}.pptx", [f"Deck {n}", "Hospital pricing"]))
    out.append(make_text(folder / "notes.txt", "Plain notes about pricing."))
    out.append(make_text(folder / "more.txt", "More notes about wristbands."))
    return out


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small valid DOCX made with python-docx, with a distinctive word in the body."""
    import docx

    document = docx.Document()
    document.add_paragraph("Satchel brochure about quokkas.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "outer"
    table.cell(0, 1).add_table(rows=1, cols=1).cell(0, 0).text = "nestedcellword"
    document.sections[0].header.paragraphs[0].text = "Headerword"
    document.core_properties.title = "Quokka Brochure"
    path = tmp_path_factory.mktemp("docx") / "sample.docx"
    document.save(str(path))
    return path


def rewrite_zip(src: Path, dst: Path, replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info)))
        for name, data in replace.items():
            if name not in zin.namelist():
                zout.writestr(name, data)
    return dst


def with_prolog(document_xml: bytes, prolog: bytes) -> bytes:
    """Put *prolog* (a DOCTYPE, comments...) between the XML declaration and the root."""
    end = document_xml.index(b"?>") + 2
    return document_xml[:end] + b"\n" + prolog + document_xml[end:]


@pytest.fixture(scope="module")
def zip_bomb_docx(sample_docx: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DOCX with a 2 GB member of zeros, streamed through zipfile (about 2 s, 9 MB)."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.docx"
    shutil.copy(sample_docx, path)
    chunk = bytes(4 << 20)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as zf,
        zf.open("word/media/zeros.bin", "w") as member,
    ):
        written = 0
        while written < 2_000_000_000:
            n = min(len(chunk), 2_000_000_000 - written)
            member.write(chunk[:n])
            written += n
    return path


# -- the real corpus ------------------------------------------------------------------


@pytest.mark.parametrize("path", REAL or _NO_CORPUS, ids=[p.name for p in REAL] or None)
def test_real_file_is_searchable_with_text(
    path: Path, corpus_results: dict[Path, Extraction]
) -> None:
    extraction = corpus_results[path]
    assert extraction.searchable, extraction.reason
    assert extraction.reason is None
    assert extraction.kind == {".pdf": "pdf", ".pptx": "pptx", ".docx": "docx"}.get(
        path.suffix, "xlsx"
    )
    assert text_of(extraction).strip()
    assert all(segment.text.strip() for segment in extraction.segments)


def test_pdf_pages_and_metadata(corpus_results: dict[Path, Extraction]) -> None:
    geotopo = corpus_results[real("pdfsamples-009-pdflatex-geotopo-GeoTopo-komprimiert.pdf")]
    assert geotopo.page_count == 117
    assert geotopo.title == "Geometrie und Topologie"
    assert locs_with(geotopo, "Zahlentheorie") == [3]
    assert locs_with(geotopo, "Spurtopologie") == [8]
    assert locs_with(geotopo, "Ursprungsgerade") == [9]
    multicolumn = corpus_results[real("pdfsamples-026-latex-multicolumn-multicolumn.pdf")]
    assert multicolumn.page_count == 3
    assert locs_with(multicolumn, "Copenhagen") == [3]
    assert multicolumn.title is None
    assert "\r" not in text_of(multicolumn)


def test_pptx_slides_tables_groups_and_notes(corpus_results: dict[Path, Extraction]) -> None:
    perf = corpus_results[real("poi-2411-Performance_Up.pptx")]
    assert perf.page_count == 48
    assert perf.title == "Apache Performance Tuning"
    assert locs_with(perf, "slashdotting") == [3]
    assert locs_with(perf, "Extrapolation") == [11]
    assert locs_with(perf, "Introduce self.") == [1]  # speaker notes
    shapes = corpus_results[real("poi-shapes.pptx")]
    assert locs_with(shapes, "B3 and C3 are merged") == [4]  # a table cell
    assert locs_with(shapes, "And second line") == [2]
    assert locs_with(corpus_results[real("poi-alterman_security.pptx")], "E-Auth Level 3") == [
        10
    ]  # inside a group shape
    elektronik = real("poi-at.ecodesign.www_downloads_Vertiefungsvortrag_elektronik.pptx")
    assert locs_with(corpus_results[elektronik], "Mit Strommessgeräten") == [22]


def test_xlsx_sheets(corpus_results: dict[Path, Extraction]) -> None:
    footer = corpus_results[real("poi-45540_classic_Footer.xlsx")]
    assert footer.page_count == 7
    assert locs_with(footer, "Pharmaceutical") == [4]
    chart = corpus_results[real("poi-WithChartSheet.xlsx")]
    first = chart.segments[0]
    assert (first.loc, first.text.splitlines()[0]) == (1, "Sheet1")
    assert "2005\tBooks\t889017\t1140362.5" in first.text


def test_docx_body_headers_title(corpus_results: dict[Path, Extraction]) -> None:
    sample = corpus_results[real("poi-sample.docx")]
    assert sample.title == "Lorem Ipsum"
    assert {segment.loc for segment in sample.segments} == {None}
    assert "Lorem ipsum dolor sit amet" in text_of(sample)
    assert corpus_results[real("poi-heading123.docx")].title is None  # blank dc:title


def test_docx_nested_tables_and_header(sample_docx: Path) -> None:
    extraction = extract_file(sample_docx)
    assert extraction.searchable and extraction.kind == "docx"
    assert extraction.title == "Quokka Brochure"
    text = text_of(extraction)
    assert "quokkas" in text and "nestedcellword" in text and "Headerword" in text
    assert text.index("quokkas") < text.index("outer") < text.index("nestedcellword")


def test_thumbnails(corpus_results: dict[Path, Extraction]) -> None:
    pdf = corpus_results[real("pdfsamples-011-google-doc-document-google-doc-document.pdf")]
    width, height = png_size(pdf.thumbnail_png)
    assert max(width, height) == 320
    width, height = png_size(corpus_results[real("poi-2411-Performance_Up.pptx")].thumbnail_png)
    assert max(width, height) <= 320
    png_size(corpus_results[real("poi-heading123.docx")].thumbnail_png)
    png_size(corpus_results[real("poi-48962.xlsx")].thumbnail_png)
    assert corpus_results[real("poi-stress015.docx")].thumbnail_png is None  # WMF: skipped
    assert corpus_results[real("poi-sample.docx")].thumbnail_png is None  # none in package
    png_size(make_thumbnail(real("pdfsamples-001-trivial-minimal-document.pdf"), "pdf"))
    assert make_thumbnail(real("poi-sample.docx"), "video") is None


@needs_corpus
def test_max_chars_truncates() -> None:
    extraction = extract_file(
        real("pdfsamples-009-pdflatex-geotopo-GeoTopo-komprimiert.pdf"), max_chars=5000
    )
    assert sum(len(segment.text) for segment in extraction.segments) == 5000
    assert extraction.page_count == 117
    xlsx = extract_file(real("poi-bug62181.xlsx"), max_chars=100)
    assert len(text_of(xlsx)) == 100


# -- the hostile corpus ---------------------------------------------------------------


@pytest.mark.parametrize("path", HOSTILE or _NO_CORPUS, ids=[p.name for p in HOSTILE] or None)
def test_hostile_file_finishes_with_a_reason(
    path: Path, corpus_results: dict[Path, Extraction]
) -> None:
    extraction = corpus_results[path]
    assert isinstance(extraction, Extraction)
    assert extraction.reason is None or TIMEOUT_REASON not in extraction.reason
    if path.name in ENCRYPTED_HOSTILE:
        assert (extraction.searchable, extraction.reason) == (False, ENCRYPTED)
    elif path.name in XXE_HOSTILE:
        assert (extraction.searchable, extraction.reason) == (False, ENTITIES)
    elif path.name in READABLE_HOSTILE:
        assert extraction.searchable and text_of(extraction).strip()
    else:
        assert not extraction.searchable
        assert extraction.reason and extraction.reason.endswith(".")
        assert extraction.segments == []


def test_hostile_reasons_in_process_match_pool(corpus_results: dict[Path, Extraction]) -> None:
    for path in HOSTILE:
        extraction = extract_file(path)
        assert (extraction.kind, extraction.reason) == (
            corpus_results[path].kind,
            corpus_results[path].reason,
        ), path.name


@needs_corpus
def test_legacy_word_file_named_docm() -> None:
    name = "poi-cpansearch.perl.org_src_tobyink_acme-rundoc-0.001_word-lib_hello_world.docm"
    extraction = extract_file(CORPUS / "hostile" / name)
    assert extraction.kind == "docx" and not extraction.searchable
    assert extraction.reason is not None and "legacy binary Office format" in extraction.reason


# -- generated hostile files ----------------------------------------------------------


def test_zip_bomb_docx(zip_bomb_docx: Path) -> None:
    started = time.monotonic()
    extraction = extract_file(zip_bomb_docx)
    assert time.monotonic() - started < 2
    assert extraction.kind == "docx" and not extraction.searchable
    assert extraction.reason is not None
    assert extraction.reason.startswith("Looks like a zip bomb: 2.0 GB uncompressed from ")
    assert make_thumbnail(zip_bomb_docx, "docx") is None


@needs_corpus
def test_high_ratio_member_and_too_many_members(sample_docx: Path, tmp_path: Path) -> None:
    dense = rewrite_zip(sample_docx, tmp_path / "dense.docx", {"word/media/z.bin": bytes(20 << 20)})
    reason = extract_file(dense).reason
    assert reason is not None and reason.startswith("Looks like a zip bomb: 21 MB uncompressed")
    many = tmp_path / "many.xlsx"
    shutil.copy(real("poi-48539.xlsx"), many)
    with zipfile.ZipFile(many, "a") as zf:
        for i in range(10_001):
            zf.writestr(f"junk/{i}", b"")
    assert extract_file(many).reason == "The file has too many parts (10,018) for a real document."


def test_billion_laughs_docx(sample_docx: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(sample_docx) as zf:
        body = zf.read("word/document.xml")
    entities = b'<!ENTITY lol "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    bomb_xml = with_prolog(body, b"<!DOCTYPE lolz [" + entities + b"]>").replace(
        b"quokkas", b"&lol9;"
    )
    bomb = rewrite_zip(sample_docx, tmp_path / "laughs.docx", {"word/document.xml": bomb_xml})
    assert extract_file(bomb).reason == ENTITIES
    # The same package without the DOCTYPE reads fine: it is the DTD that is refused.
    assert "quokkas" in text_of(extract_file(sample_docx))


@pytest.mark.parametrize(
    ("label", "document_xml"),
    [
        ("doctype-no-entities", b'<!DOCTYPE w:document SYSTEM "http://example.invalid/x.dtd">'),
        ("oversized-prolog", b"<!--" + b"x" * 70_000 + b"-->"),
        ("utf-7", None),
        ("utf-16", None),
    ],
)
def test_xml_prolog_tricks_are_refused(
    label: str, document_xml: bytes | None, sample_docx: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(sample_docx) as zf:
        body = zf.read("word/document.xml")
    if label == "utf-7":
        xml = UTF8_DECL.sub(b'encoding="UTF-7"', body)
        assert xml != body
    elif label == "utf-16":
        xml = with_prolog(body, b"<!DOCTYPE x [<!ENTITY a 'b'>]>")
        xml = UTF8_DECL.sub(b'encoding="UTF-16"', xml).decode().encode("utf-16")
    else:
        assert document_xml is not None
        xml = with_prolog(body, document_xml)
    path = rewrite_zip(sample_docx, tmp_path / f"{label}.docx", {"word/document.xml": xml})
    extraction = extract_file(path)
    assert not extraction.searchable
    assert extraction.reason is not None and "XML" in extraction.reason


def test_zero_byte_pdf(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    extraction = extract_file(empty)
    assert (extraction.kind, extraction.searchable) == ("pdf", False)
    assert extraction.reason == "The file is empty."


def test_pdf_that_is_really_a_docx(sample_docx: Path, tmp_path: Path) -> None:
    fake = tmp_path / "brochure.pdf"
    shutil.copy(sample_docx, fake)
    assert detect_kind(fake) == "docx"
    extraction = extract_file(fake)
    assert extraction.kind == "docx" and extraction.searchable
    assert "quokkas" in text_of(extraction)


@needs_corpus
def test_truncated_pdf_is_corrupt(tmp_path: Path) -> None:
    data = real("pdfsamples-026-latex-multicolumn-multicolumn.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[:2000])
    extraction = extract_file(cut)
    assert extraction.kind == "pdf"
    # pdfium may still recover something; either way it must not raise
    assert extraction.searchable or extraction.reason == "The file is corrupt or not a valid PDF."


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("latin1.txt", "Café déjà vu, naïve façade\n".encode("latin-1"), "Café déjà vu"),
        ("cp1252.txt", "“Smart quotes” – dash €5".encode("cp1252"), "“Smart quotes” – dash €5"),
        ("bom.md", b"\xef\xbb\xbf# Title\n\nMarkdown body", "# Title"),
        ("utf16.txt", "Grüße aus Köln".encode("utf-16"), "Grüße aus Köln"),
        ("data.csv", b"name,price\nwidget,9.99\n", "widget,9.99"),
    ],
)
def test_plain_text(name: str, data: bytes, expected: str, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    extraction = extract_file(path)
    assert extraction.kind == ("csv" if name.endswith(".csv") else "text")
    assert extraction.searchable
    assert [segment.loc for segment in extraction.segments] == [None]
    assert expected in text_of(extraction)
    assert not text_of(extraction).startswith("\ufeff")


def test_html_drops_script_and_style(tmp_path: Path) -> None:
    page = tmp_path / "page.htm"
    page.write_bytes(
        b"<!doctype html><html><head><meta charset='windows-1252'><title>Price list</title>"
        b"<style>body{color:red}</style><script>var secret = 1;</script></head>"
        b"<body><h1>Caf\xe9 menu</h1><p>Espresso &amp; cake</p></body></html>"
    )
    extraction = extract_file(page)
    assert (extraction.kind, extraction.title) == ("html", "Price list")
    text = text_of(extraction)
    assert "Café menu" in text and "Espresso & cake" in text
    assert "secret" not in text and "color" not in text


def test_images_and_videos(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (1000, 500), (200, 30, 30)).save(photo, "JPEG")
    extraction = extract_file(photo)
    assert (extraction.kind, extraction.searchable) == ("image", False)
    assert extraction.reason == "Images have no text to search."
    assert png_size(extraction.thumbnail_png) == (320, 160)

    misnamed = tmp_path / "logo.txt"  # magic bytes win over the extension
    Image.new("RGBA", (64, 64)).save(misnamed, "PNG")
    assert detect_kind(misnamed) == "image"
    assert png_size(make_thumbnail(misnamed, "image")) == (64, 64)

    # A PNG header claiming 30000 x 30000 pixels: refused before any pixel is decoded.
    ihdr = struct.pack(">IIBBBBB", 30_000, 30_000, 8, 6, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk + struct.pack(">I", zlib.crc32(chunk[4:])) + b"\0" * 64
    )
    bomb_extraction = extract_file(bomb)
    assert bomb_extraction.kind == "image" and bomb_extraction.thumbnail_png is None

    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(64))
    video = extract_file(clip)
    assert (video.kind, video.searchable, video.reason) == (
        "video",
        False,
        "Videos have no text to search.",
    )


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        ("a.pdf", b"%PDF-1.7\n", "pdf"),
        ("a.bin", b"junk\n%PDF-1.4\n", "pdf"),
        ("a.txt", b"plain", "text"),
        ("a.md", b"# x", "text"),
        ("a.csv", b"a,b", "csv"),
        ("a.html", b"<p>x</p>", "html"),
        ("noext", b"<!DOCTYPE html><html>", "html"),
        ("noext2", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "image"),
        ("a.svg", b"<svg/>", "image"),
        ("a.gif", b"GIF89a", "image"),
        ("a.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image"),
        ("a.avi", b"RIFF\x00\x00\x00\x00AVI LIST", "video"),
        ("a.mkv", b"\x1a\x45\xdf\xa3", "video"),
        ("a.mov", b"\x00\x00\x00\x14ftypqt  ", "video"),
        ("a.heic", b"\x00\x00\x00\x18ftypheic", "image"),
        ("a.xlsm", b"not a zip", "xlsx"),
        ("a.docm", b"not a zip", "docx"),
        ("a.pptm", b"not a zip", "pptx"),
        ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "other"),
        ("a.zip", b"PK\x05\x06" + bytes(18), "other"),
        ("a.exe", b"MZ", "other"),
        ("missing.pdf", None, "pdf"),
    ],
)
def test_detect_kind(name: str, head: bytes | None, kind: str, tmp_path: Path) -> None:
    path = tmp_path / name
    if head is not None:
        path.write_bytes(head)
    assert detect_kind(path) == kind


def test_missing_file_does_not_raise(tmp_path: Path) -> None:
    extraction = extract_file(tmp_path / "gone.docx")
    assert (extraction.kind, extraction.searchable) == ("docx", False)
    assert extraction.reason == "The file no longer exists."


# -- the pool ---------------------------------------------------------------------------


def test_pool_generated_hostile_files(
    zip_bomb_docx: Path, sample_docx: Path, tmp_path: Path
) -> None:
    fake_pdf = tmp_path / "really-docx.pdf"
    shutil.copy(sample_docx, fake_pdf)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    seen: list[Path] = []
    with ExtractionPool(workers=2, timeout_s=30) as pool:
        results = pool.run(
            [zip_bomb_docx, fake_pdf, empty, fake_pdf],
            on_result=lambda path, _extraction: seen.append(path),
        )
    assert list(results) == [zip_bomb_docx, fake_pdf, empty]  # input order, duplicates once
    assert sorted(seen) == sorted(results)
    assert (results[zip_bomb_docx].reason or "").startswith("Looks like a zip bomb")
    assert results[fake_pdf].kind == "docx" and "quokkas" in text_of(results[fake_pdf])
    assert results[empty].reason == "The file is empty."


@pytest.fixture
def hooked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Enable the worker test hook (read by workers when they start)."""
    monkeypatch.setenv("SATCHEL_EXTRACT_TEST_HOOK", "1")


def hook_file(tmp_path: Path, suffix: str) -> Path:
    path = tmp_path / f"file{suffix}"
    path.write_bytes(b"hook")
    return path


@needs_corpus
@pytest.mark.usefixtures("hooked")
def test_pool_timeout_kills_and_replaces_worker(tmp_path: Path) -> None:
    hang = hook_file(tmp_path, ".satchel-test-hang")
    ok = real("pdfsamples-001-trivial-minimal-document.pdf")
    with ExtractionPool(workers=1, timeout_s=0.5) as pool:
        started = time.monotonic()
        results = pool.run([hang, ok])
        elapsed = time.monotonic() - started
    assert results[hang].reason == "Text extraction hit the time limit (0.5 s)."
    assert not results[hang].searchable
    assert results[ok].searchable and text_of(results[ok])  # on a replacement worker
    assert elapsed < 10


@needs_corpus
def test_pool_timeout_on_a_real_slow_file() -> None:
    geotopo = real("pdfsamples-009-pdflatex-geotopo-GeoTopo-komprimiert.pdf")
    with ExtractionPool(workers=1, timeout_s=0.005) as pool:
        result = pool.run([geotopo])[geotopo]
    assert result.reason == "Text extraction hit the time limit (0.005 s)."
    assert result.kind == "pdf"


@pytest.mark.skipif(sys.platform == "win32", reason="no RLIMIT_AS on Windows")
@pytest.mark.usefixtures("hooked")
def test_pool_memory_limit(tmp_path: Path, sample_docx: Path) -> None:
    oom = hook_file(tmp_path, ".satchel-test-oom")
    ok = sample_docx
    with ExtractionPool(workers=1, memory_mb=256) as pool:
        results = pool.run([oom, ok])
    assert results[oom].reason == "Text extraction ran out of memory (limit 256 MB)."
    assert not results[oom].searchable
    assert results[ok].searchable


@pytest.mark.usefixtures("hooked")
def test_pool_crash_is_reported(tmp_path: Path, sample_docx: Path) -> None:
    crash = hook_file(tmp_path, ".satchel-test-crash")
    ok = sample_docx
    with ExtractionPool(workers=1) as pool:
        results = pool.run([crash, ok, crash])
    assert results[crash].reason == "The extractor crashed."
    assert results[ok].searchable


def test_pool_shuts_down_cleanly(made_documents: list[Path]) -> None:
    paths = made_documents[:6]
    with ExtractionPool(workers=2) as pool:
        pool.run(paths)
        pids = pool.worker_pids
        assert len(pids) == 2
        assert all(psutil.Process(pid).ppid() == os.getpid() for pid in pids)
        again = pool.run(paths)  # the same workers serve the next call
        assert pool.worker_pids == pids
        assert all(extraction.searchable for extraction in again.values())
    assert pool.worker_pids == []
    assert not any(psutil.pid_exists(pid) for pid in pids)  # exited and reaped: no zombie
    with pytest.raises(RuntimeError):
        pool.run(paths)


def test_pool_iterator_can_stop_early(made_documents: list[Path]) -> None:
    documents = made_documents
    with ExtractionPool(workers=2) as pool:
        results: Iterator[tuple[Path, Extraction]] = pool.iter_results(documents)
        first_path, first = next(results)
        assert first_path in documents and isinstance(first, Extraction)
        before = pool.worker_pids
        results.close()  # abandons work in flight, kills and reaps those workers
        killed = set(before) - set(pool.worker_pids)
        assert not any(psutil.pid_exists(pid) for pid in killed)
        later = pool.run(documents[:3])
        assert all(extraction.searchable for extraction in later.values())
        pids = pool.worker_pids
    assert not any(psutil.pid_exists(pid) for pid in pids)


def test_a_flat_placeholder_thumbnail_counts_as_none(tmp_path: Path) -> None:
    """python-pptx and python-docx files carry a blank white thumbnail from their template:
    no thumbnail, so the publisher takes the rendition's first page; a real one is kept."""
    from app.tools.collateral import make_docx, make_pptx

    deck = make_pptx(tmp_path / "deck.pptx", ["Hospital pricing", "Second slide"])
    brief = make_docx(tmp_path / "brief.docx", ["A short brief."])
    with zipfile.ZipFile(deck) as zf:
        embedded = Image.open(io.BytesIO(zf.read("docProps/thumbnail.jpeg")))
        assert embedded.convert("L").getextrema() == (255, 255)  # the template's placeholder
    assert make_thumbnail(deck, "pptx") is None
    assert make_thumbnail(brief, "docx") is None

    drawn = Image.new("RGB", (256, 192), "white")
    drawn.paste((20, 60, 160), (0, 0, 256, 40))  # a title bar
    buf = io.BytesIO()
    drawn.save(buf, format="JPEG")
    real_thumb = tmp_path / "real.pptx"
    with zipfile.ZipFile(deck) as src, zipfile.ZipFile(real_thumb, "w") as out:
        for info in src.infolist():
            data = buf.getvalue() if info.filename == "docProps/thumbnail.jpeg" else src.read(info)
            out.writestr(info, data)
    assert png_size(make_thumbnail(real_thumb, "pptx")) == (256, 192)
