"""The detail pane and its preview."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core.models import Event
from app.gui.library_model import Roles
from app.gui.preview import HAVE_PDF


def _events(library, kind: str) -> list[Event]:
    with library.sessions() as s:
        return list(s.scalars(select(Event).where(Event.kind == kind)).all())


@pytest.mark.skipif(not HAVE_PDF, reason="QtPdf (PySide6-Pdf) is not installed")
def test_pdf_preview_opens_at_the_matching_page(qtbot, demo_window) -> None:
    """Given the demo library, when the rep searches "bedside alarm fatigue", then the
    whitepaper is selected and its preview shows page 3, where the words are; once it has
    stayed on screen a moment a "preview" event with location 3 is recorded."""
    window = demo_window
    with qtbot.waitSignal(window.search.results, timeout=10_000):
        window.search_field.setText("bedside alarm fatigue")
    assert window.results.currentIndex().data(Roles.ID) == "whitepaper-alarm-fatigue"
    preview = window.detail.preview
    qtbot.waitUntil(lambda: preview.current_page() == 3, timeout=10_000)
    assert preview.pdf_document is not None and preview.pdf_document.pageCount() == 4
    with qtbot.waitSignal(window.item_actions.recorded, timeout=10_000) as blocker:
        pass
    assert blocker.args == ["preview"]
    (event,) = _events(window.library, "preview")
    assert event.item_id == "whitepaper-alarm-fatigue"
    assert event.data == {"location": 3}


def test_other_types_show_details_and_history(qtbot, demo_window) -> None:
    window = demo_window
    window.results.setCurrentIndex(window.proxy.mapFromSource(window.model.index_of("price-list")))
    detail = window.detail
    assert detail.title.text() == "Northwind price list"
    assert "Excel · version 2" in detail.meta.text()
    assert "Nordics" in detail.tags.text()
    qtbot.waitUntil(lambda: detail.versions.topLevelItemCount() == 2)
    preview = detail.preview
    if window.model.summary("price-list").rendition_sha256 and HAVE_PDF:
        # published with LibreOffice: the workbook's PDF, one page per sheet
        qtbot.waitUntil(lambda: preview.currentWidget() is preview.pdf_view, timeout=10_000)
        assert preview.pdf_document is not None and preview.pdf_document.pageCount() >= 3
    else:
        qtbot.waitUntil(lambda: "Open it" in preview.message.text(), timeout=10_000)
        assert preview.currentWidget() is preview.message


def test_image_items_preview_themselves(qtbot, demo_window) -> None:
    window = demo_window
    item = "one-pagers-vitalwatch-product-family"
    window.results.setCurrentIndex(window.proxy.mapFromSource(window.model.index_of(item)))
    preview = window.detail.preview
    qtbot.waitUntil(lambda: preview.currentWidget() is preview.image, timeout=10_000)
    assert preview.image.picture.pixmap() is not None
    assert not preview.image.picture.pixmap().isNull()


@pytest.mark.skipif(not HAVE_PDF, reason="QtPdf (PySide6-Pdf) is not installed")
def test_a_deck_previews_at_the_matching_slide_and_counts_as_a_preview(
    qtbot, demo_window
) -> None:
    """Search "pricing": the hospital pricing deck's hit is on slide 7; its PDF rendition
    opens in the app at page 7, and the preview is recorded with location 7."""
    window = demo_window
    deck = window.model.summary("hospital-pricing-2026")
    if deck is None or deck.rendition_sha256 is None:
        pytest.skip("the demo was published without LibreOffice, so decks have no rendition")
    with qtbot.waitSignal(window.search.results, timeout=10_000):
        window.search_field.setText("pricing")
    assert window.results.currentIndex().data(Roles.ID) == "hospital-pricing-2026"
    assert window.model.hit("hospital-pricing-2026").location == 7
    preview = window.detail.preview
    qtbot.waitUntil(lambda: preview.current_page() == 7, timeout=10_000)
    assert preview.pdf_document is not None and preview.pdf_document.pageCount() == 9
    assert window.detail.tabs.tabText(0) == "Preview · slide 7 of 9"
    with qtbot.waitSignal(window.item_actions.recorded, timeout=10_000) as blocker:
        pass
    assert blocker.args == ["preview"]
    (event,) = _events(window.library, "preview")
    assert event.item_id == "hospital-pricing-2026" and event.data == {"location": 7}
