"""PDF renditions of office files: LibreOffice headless at publish, bounded, shipped as a
content-addressed object, page for page with the extracted slides, fetched by the rep.

These tests run LibreOffice (slow to start): each renders only what it needs. They skip
when LibreOffice is not installed (``.ci/run`` installs it)."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import pytest

from app.core.catalog import load_verified_catalog
from app.core.extract.pool import ExtractionPool
from app.core.extract.rendition import SOFFICE_ENV, render_pdfs
from app.core.library import Library
from app.core.signing import load_public_key
from tests.conftest import CORPUS, CORPUS_MISSING, corpus_present
from tests.helpers.cli import satchel
from tests.helpers.collateral import make_docx, make_pptx, make_text
from tests.helpers.hubs import publish_folder, sync_home

# the suite turns renditions off (conftest); these tests turn them back on
pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)


@pytest.fixture(autouse=True)
def _renditions_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SOFFICE_ENV, raising=False)


def _pages_text(pdf: Path) -> list[str]:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    doc = pdfium.PdfDocument(pdf)
    try:
        texts = []
        for page in doc:
            tp = page.get_textpage()
            texts.append(tp.get_text_range())
            tp.close()
            page.close()
        return texts
    finally:
        doc.close()


def _slides(decks: list[Path]) -> dict[Path, dict[int, str]]:
    """The extracted text of each slide (loc -> text) of each deck, as publish extracts it."""
    with ExtractionPool(workers=2) as pool:
        done = pool.run(decks)
    return {p: {s.loc: s.text for s in ex.segments if s.loc is not None} for p, ex in done.items()}


def _words(text: str) -> list[str]:
    return [w for w in "".join(c if c.isalnum() else " " for c in text).split() if len(w) > 3]


def _notes(deck: Path) -> dict[int, set[str]]:
    """Each slide's speaker-note words: extracted after the slide's text, not on its page."""
    from pptx import Presentation

    notes: dict[int, set[str]] = {}
    for n, slide in enumerate(Presentation(str(deck)).slides, 1):
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            notes[n] = set(_words(slide.notes_slide.notes_text_frame.text))
    return notes


def _assert_page_for_page(deck: Path, pdf: Path, slide_count: int, slides: dict[int, str]) -> None:
    pages = _pages_text(pdf)
    assert len(pages) == slide_count, (deck.name, len(pages), slide_count)
    notes = _notes(deck)
    for loc, text in slides.items():
        words = [w for w in _words(text) if w not in notes.get(loc, set())][:6]
        if not words:
            continue
        on_page = "".join(pages[loc - 1].split()).casefold()  # PDF text wraps mid-word
        found = [w for w in words if w.casefold() in on_page]
        assert len(found) >= len(words) // 2 + 1, (deck.name, loc, words, pages[loc - 1][:200])


def test_a_generated_deck_renders_slide_n_on_page_n(tmp_path: Path) -> None:
    slides = [f"Topic {w} alpha{n} beta{n} gamma{n}" for n, w in enumerate("ABCDE", 1)]
    deck = make_pptx(tmp_path / "deck.pptx", slides)
    out = tmp_path / "out"
    out.mkdir()
    rendered = render_pdfs([deck], out)[deck]
    assert rendered.pdf is not None, rendered.reason
    _assert_page_for_page(deck, rendered.pdf, 5, _slides([deck])[deck])


@pytest.mark.skipif(not corpus_present(), reason=CORPUS_MISSING)
def test_real_decks_render_page_for_page(tmp_path: Path) -> None:
    from pptx import Presentation

    decks = sorted((CORPUS / "real").glob("*.pptx"), key=lambda p: p.stat().st_size)[:6]
    out = tmp_path / "out"
    out.mkdir()
    rendered = render_pdfs(decks, out)  # one LibreOffice call for all of them
    slides = _slides(decks)
    checked = 0
    for deck in decks:
        pdf = rendered[deck].pdf
        assert pdf is not None, (deck.name, rendered[deck].reason)
        _assert_page_for_page(deck, pdf, len(Presentation(str(deck)).slides), slides[deck])
        checked += 1
    assert checked == len(decks) >= 3


def test_publish_ships_a_rendition_the_rep_fetches(
    tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    src, hub, home = tmp_path / "src", tmp_path / "hub", tmp_path / "rep"
    make_pptx(src / "pitch.pptx", ["Hospital pricing zebra", "Second slide"])
    make_docx(src / "brief.docx", ["A short brief about zebras."])
    make_text(src / "notes.txt", "plain notes")
    result = publish_folder(src, hub, key)
    assert result.no_preview == {}
    catalog = load_verified_catalog((hub / "catalog.json").read_bytes(), load_public_key(pub))
    items = catalog.by_id()
    assert items["notes"].rendition is None
    for item_id in ("pitch", "brief"):
        ref = items[item_id].rendition
        assert ref is not None
        data = (hub / "objects" / ref.sha256[:2] / ref.sha256).read_bytes()
        assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == ref.sha256
        assert items[item_id].thumbnail is not None  # from the rendition's first page
    assert items["pitch"].pages == 2

    sync_home(home, hub, pub)
    with Library.open(home) as lib:
        path = lib.rendition_path(lib.item("pitch"))
        assert path is not None and path.read_bytes().startswith(b"%PDF")
        assert lib.rendition_path(lib.item("notes")) is None

    # an unchanged file is not rendered again; a republish keeps its rendition
    again = publish_folder(src, hub, key)
    assert not again.changed


def test_items_published_without_libreoffice_get_their_rendition_later_once(
    tmp_path: Path, signing_key: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    key, pub = signing_key
    src, hub, home = tmp_path / "src", tmp_path / "hub", tmp_path / "rep"
    make_pptx(src / "pitch.pptx", ["Hospital pricing zebra"])
    monkeypatch.setenv(SOFFICE_ENV, "")  # as a hub published before renditions
    first = publish_folder(src, hub, key)
    assert first.no_preview == {"pitch": "LibreOffice is not installed."}
    assert not publish_folder(src, hub, key).changed  # still none: nothing to say again
    sync_home(home, hub, pub)

    monkeypatch.delenv(SOFFICE_ENV)
    later = publish_folder(src, hub, key)
    assert later.changed and later.metadata_changed == ["pitch"] and later.no_preview == {}
    catalog = load_verified_catalog((hub / "catalog.json").read_bytes(), load_public_key(pub))
    assert catalog.by_id()["pitch"].rendition is not None
    assert catalog.by_id()["pitch"].version == 1  # the same file: a new preview, no new version
    result = sync_home(home, hub, pub)
    assert result.metadata_changed == ["pitch"]
    with Library.open(home) as lib:
        assert lib.rendition_path(lib.item("pitch")) is not None
    assert not publish_folder(src, hub, key).changed  # rendered once


def test_a_file_libreoffice_fails_on_keeps_its_reason_and_is_not_tried_again(
    tmp_path: Path, signing_key: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "fake-soffice"
    fake.write_text(FAKE_SOFFICE)
    fake.chmod(0o755)
    calls = tmp_path / "calls"
    monkeypatch.setenv(SOFFICE_ENV, str(fake))
    monkeypatch.setenv("CALLS", str(calls))
    src, hub = tmp_path / "src", tmp_path / "hub"
    make_pptx(src / "BROKEN.pptx", ["never converts"])
    first = publish_folder(src, hub, signing_key[0])
    assert first.no_preview == {"broken": "LibreOffice could not convert it."}
    catalog = load_verified_catalog(
        (hub / "catalog.json").read_bytes(), load_public_key(signing_key[1])
    )
    assert catalog.by_id()["broken"].no_preview == "LibreOffice could not convert it."
    tried = calls.read_text()
    assert not publish_folder(src, hub, signing_key[0]).changed
    assert calls.read_text() == tried  # not handed to LibreOffice again


def test_without_libreoffice_publish_succeeds_and_says_which_items_have_no_preview(
    tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, _pub = signing_key
    src, hub = tmp_path / "src", tmp_path / "hub"
    make_pptx(src / "pitch.pptx", ["Hospital pricing zebra"])
    run = satchel("publish", src, "--hub", hub, "--key", key, env={SOFFICE_ENV: "no-such-soffice"})
    assert run.returncode == 0, run.stderr
    assert "1 office item(s) are listed without a preview" in run.stdout
    assert "pitch: LibreOffice is not installed." in run.stdout
    skipped = satchel("publish", src, "--hub", tmp_path / "hub2", "--key", key, "--no-renditions")
    assert skipped.returncode == 0 and "without a preview" not in skipped.stdout


FAKE_SOFFICE = r"""#!/bin/sh
# converts like LibreOffice (a tiny PDF per input) but hangs on a file named HANGME* and
# makes nothing of one named BROKEN*; counts its calls in $CALLS when that is set
[ -n "$CALLS" ] && echo call >> "$CALLS"
out=""; prev=""
for a in "$@"; do
  [ "$prev" = "--outdir" ] && out="$a"
  prev="$a"
done
for a in "$@"; do
  case "$a" in
    *.pptx)
      if basename "$(readlink "$a")" | grep -q HANGME; then
        sleep 600 & echo $! > "$PIDFILE"; wait
      fi
      basename "$(readlink "$a")" | grep -q BROKEN && continue
      printf '%%PDF-1.4 fake' > "$out/$(basename "$a" .pptx).pdf";;
  esac
done
"""


def _gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status  # killed, not yet reaped by init


def test_a_hanging_file_is_killed_at_the_timeout_and_the_others_still_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The call holding a file that hangs is killed (its whole process group) at the
    timeout; the other files are then rendered one per call; no temporary folder is left."""
    fake = tmp_path / "fake-soffice"
    fake.write_text(FAKE_SOFFICE)
    fake.chmod(0o755)
    pidfile = tmp_path / "sleep.pid"
    monkeypatch.setenv("PIDFILE", str(pidfile))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    good = make_pptx(tmp_path / "good.pptx", ["fine"])
    hang = make_pptx(tmp_path / "HANGME.pptx", ["never"])
    other = make_pptx(tmp_path / "other.pptx", ["fine too"])
    out = tmp_path / "out"
    out.mkdir()
    started = time.monotonic()
    rendered = render_pdfs([good, hang, other], out, timeout_s=1, startup_s=1, soffice=str(fake))
    assert time.monotonic() - started < 30
    assert rendered[hang].pdf is None
    assert rendered[hang].reason == "LibreOffice hit the time limit (1 s)."
    for path in (good, other):
        pdf = rendered[path].pdf
        assert pdf is not None and pdf.parent == out and pdf.read_bytes().startswith(b"%PDF")
    assert _gone(int(pidfile.read_text()))  # the helper it started was killed too
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.skipif(not corpus_present(), reason=CORPUS_MISSING)
def test_hostile_office_files_neither_hang_nor_blow_memory(tmp_path: Path) -> None:
    hostile = sorted(
        p for p in (CORPUS / "hostile").iterdir() if p.suffix.lower() in (".pptx", ".docx", ".xlsx")
    )
    assert hostile
    out = tmp_path / "out"
    out.mkdir()
    started = time.monotonic()
    rendered = render_pdfs(hostile, out, timeout_s=20, memory_mb=1536)
    assert set(rendered) == set(hostile)
    for path, result in rendered.items():
        assert (result.pdf is None) == (result.reason is not None), path.name
        if result.pdf is not None:
            assert result.pdf.read_bytes()[:4] == b"%PDF", path.name
    # bounded: start-up plus the per-file timeout for each, far less in practice
    assert time.monotonic() - started < 30 + 20 * len(hostile) * 2


def test_sigterm_stops_a_publish_with_libreoffice_and_its_folders_gone(
    tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    import signal
    import subprocess
    import sys

    from tests.helpers.cli import REPO

    fake = tmp_path / "fake-soffice"
    fake.write_text(FAKE_SOFFICE)
    fake.chmod(0o755)
    pidfile, scratch = tmp_path / "sleep.pid", tmp_path / "tmp"
    scratch.mkdir()
    src, hub = tmp_path / "src", tmp_path / "hub"
    make_pptx(src / "HANGME.pptx", ["never"])
    env = {
        **os.environ,
        SOFFICE_ENV: str(fake),
        "PIDFILE": str(pidfile),
        "TMPDIR": str(scratch),
    }
    cmd = [sys.executable, str(REPO / "main.py"), "publish", str(src), "--hub", str(hub)]
    proc = subprocess.Popen(
        [*cmd, "--key", str(signing_key[0])], env=env, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 120
    while not pidfile.exists():  # LibreOffice (the stand-in) is converting, and hangs
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.strip() == "satchel: Interrupted; nothing was left half-done."
    assert _gone(int(pidfile.read_text()))
    assert list(scratch.iterdir()) == []
    assert not hub.exists()  # a first publish that did not finish leaves no hub folder
