"""Readable snippets: running headers and footers stay out of them, table cells and slide
lines keep their separators, and the header words stay searchable.

The repeated lines are found once at publish and recorded in the signed text object
(``satchel-text/2``); a rep still reads version 1 objects.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from app.core.extract.budget import TextBudget
from app.core.extract.pdf_text import extract_pdf
from app.core.extract.pptx_text import extract_pptx
from app.core.extract.types import Segment
from app.core.library import Library
from app.core.search import snippet_plain
from app.core.search.snippets import CELL_SEP, LINE_SEP, visible_text
from app.core.textblob import decode_text, encode_text, line_key, repeated_lines
from tests.helpers.hubs import publish_folder, sync_home

HEADER = "NORTHWIND MEDICAL CASE STUDY"
BODIES = [
    "Saint Elmo hospital cut ward alarm noise by forty percent within one quarter.",
    "The cardiology team adopted remote telemetry and reduced transfer delays.",
    "Procurement compared three vendors and chose the subscription pricing model.",
    "Nurses reported fewer interruptions and better sleep for their patients overnight.",
]


def _case_study_pdf(path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    for n, body in enumerate(BODIES, start=1):
        c.drawString(72, height - 50, HEADER)
        c.drawString(72, height - 150, body)
        c.drawString(72, 40, f"Page {n} of {len(BODIES)}")
        c.showPage()
    c.save()


def _table_deck(path: Path) -> None:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "Maintenance tiers"
    rows = [("Tier", "Response", "Price"), ("Gold", "4 hours", "1200"), ("Silver", "1 day", "800")]
    table = slide.shapes.add_table(3, 3, Inches(1), Inches(2), Inches(6), Inches(2)).table
    for r, row in enumerate(rows):
        for col, text in enumerate(row):
            table.cell(r, col).text = text
    deck.save(str(path))


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from app.core.signing import generate_key, write_key_pair

    tmp = tmp_path_factory.mktemp("readable")
    src = tmp / "src"
    src.mkdir()
    _case_study_pdf(src / "case-study.pdf")
    _table_deck(src / "tiers.pptx")
    key = tmp / "k"
    write_key_pair(generate_key(), key)
    publish_folder(src, tmp / "hub", key)
    sync_home(tmp / "home", tmp / "hub", Path(f"{key}.pub"))
    return tmp / "home"


def test_a_header_on_every_page_is_not_in_the_snippet(library: Path) -> None:
    with Library.open(library) as lib:
        for page, word in ((2, "telemetry"), (3, "subscription"), (4, "interruptions")):
            hits = lib.search(word).hits
            assert [h.location for h in hits] == [page]
            text = snippet_plain(hits[0].snippet)
            assert word in text
            assert "NORTHWIND" not in text and "Page" not in text, text


def test_the_header_stays_searchable(library: Path) -> None:
    with Library.open(library) as lib:
        hits = lib.search("northwind case study").hits
        assert len(hits) == 1
        assert hits[0].title
        assert "NORTHWIND" not in snippet_plain(hits[0].snippet)


def test_table_cells_keep_their_separators(library: Path) -> None:
    with Library.open(library) as lib:
        hits = lib.search("silver").hits
        assert len(hits) == 1
        text = snippet_plain(hits[0].snippet)
        assert f"Gold{CELL_SEP}4 hours{CELL_SEP}1200" in text, text
        assert f"Maintenance tiers{LINE_SEP}Tier" in text, text


def test_repeated_lines_are_recorded_once_at_publish(tmp_path: Path) -> None:
    _case_study_pdf(tmp_path / "c.pdf")
    ex = extract_pdf(tmp_path / "c.pdf", TextBudget(1_000_000), thumbnail=False)
    doc = json.loads(gzip.decompress(encode_text(ex.segments)))
    assert doc["format"] == "satchel-text/2"
    assert doc["repeated"] == sorted([line_key(HEADER), "page # of #"])
    segments = decode_text(encode_text(ex.segments))
    assert segments == ex.segments  # the text itself is unchanged
    assert all(HEADER not in visible_text(s) and "Page" not in visible_text(s) for s in segments)
    assert [len(visible_text(s)) for s in segments] == [len(s.text) for s in segments]


def test_old_text_objects_still_read(tmp_path: Path) -> None:
    old = {"format": "satchel-text/1", "segments": [[1, f"{HEADER}\nbody one"], [2, "two"]]}
    segments = decode_text(gzip.compress(json.dumps(old).encode()))
    assert segments == [Segment(1, f"{HEADER}\nbody one"), Segment(2, "two")]
    assert all(not s.repeated and visible_text(s) == s.text for s in segments)


def test_pages_that_repeat_their_content_keep_it() -> None:
    """Identical pages (a form, a template) are content, not a running header."""
    page = "Name\nAddress\nSignature"
    assert repeated_lines([Segment(n, page) for n in range(1, 6)]) == []
    assert repeated_lines([Segment(1, "Header\na"), Segment(2, "Header\nb")]) == []  # 2 pages


def test_real_decks_and_pdfs_lose_at_most_their_repeated_edges(
    tmp_path: Path, corpus: Path
) -> None:
    """On ../shared/corpus: what is kept out of snippets is on most pages, among each page's
    first or last lines, and never most of a document's text."""
    checked = 0
    for path in sorted((corpus / "real").iterdir()):
        if path.suffix not in (".pdf", ".pptx"):
            continue
        copy = tmp_path / path.name
        shutil.copyfile(path, copy)
        extract = extract_pdf if path.suffix == ".pdf" else extract_pptx
        try:
            ex = extract(copy, TextBudget(2_000_000), thumbnail=False)
        except Exception:
            continue  # unreadable files are covered by test_corpus_search
        segments = decode_text(encode_text(ex.segments))
        repeated = segments[0].repeated if segments else frozenset()
        if not repeated:
            continue
        checked += 1
        pages = [s for s in segments if s.text.strip()]
        for key in repeated:
            holding = sum(key in {line_key(x) for x in s.text.split("\n")} for s in pages)
            assert holding >= 0.6 * len(pages), (path.name, key)
        kept = sum(len(visible_text(s).strip()) for s in pages)
        assert kept >= 0.5 * sum(len(s.text.strip()) for s in pages), path.name
    assert checked >= 3  # page and slide numbers on several of them
