"""The window shows the date of the library's signed catalog and warns past its valid-until."""

from __future__ import annotations

from datetime import timedelta

from app.core.catalog import parse_catalog, sign_catalog, verify_envelope
from app.core.freshness import human_date
from app.core.signing import load_public_key, load_signing_key
from app.core.timeutil import utcnow
from tests.helpers.hubs import sync_home


def test_status_bar_shows_the_library_date_and_no_warning_while_valid(
    make_window, small_hub
) -> None:
    catalog = parse_catalog(
        verify_envelope(
            (small_hub.hub / "catalog.json").read_bytes(), load_public_key(small_hub.pub)
        )
    )
    window = make_window(small_hub.home)
    label = window.sync_status.catalog_date
    assert label.isVisibleTo(window)
    assert label.text() == f"Library from {human_date(catalog.created_at)}"
    assert not window.freshness_banner.isVisibleTo(window)


def test_a_catalog_past_its_valid_until_shows_a_banner_that_stays_on_up_to_date_syncs(
    qtbot, make_window, small_hub
) -> None:
    """Given a hub serving a catalog (published 45 days ago) past its valid-until, when the
    window opens, then a warning banner names both dates and the items stay usable; a sync
    that finds the same catalog ("Library up to date") keeps the banner up."""
    pub = load_public_key(small_hub.pub)
    catalog = parse_catalog(verify_envelope((small_hub.hub / "catalog.json").read_bytes(), pub))
    catalog.serial += 1
    catalog.created_at = utcnow() - timedelta(days=45)
    catalog.valid_until = catalog.created_at + timedelta(days=30)
    (small_hub.hub / "catalog.json").write_bytes(
        sign_catalog(catalog, load_signing_key(small_hub.key))
    )
    sync_home(small_hub.home, small_hub.hub, small_hub.pub)

    window = make_window(small_hub.home)
    banner = window.freshness_banner
    assert banner.isVisibleTo(window)
    text = banner.text.text()
    assert human_date(catalog.created_at) in text and human_date(catalog.valid_until) in text
    assert window.sync_status.catalog_date.text() == (
        f"Library from {human_date(catalog.created_at)}"
    )
    assert window.model.rowCount() == 2  # a warning, not a lock-out

    with qtbot.waitSignal(window.sync.finished, timeout=20_000) as blocker:
        banner.button.click()  # "Sync now": the hub still offers the same catalog
    assert blocker.args[0].result.up_to_date
    with qtbot.waitSignal(window.snapshot_applied, timeout=10_000):
        pass  # the window re-reads the library after every sync
    assert banner.isVisibleTo(window)
    assert human_date(catalog.valid_until) in banner.text.text()
