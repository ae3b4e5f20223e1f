"""The list's models: contract checks, facets, scopes, sorting, badges and drag data."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QUrl

from app.core.search import location_label
from app.core.timeutil import utcnow
from app.gui.item_data import Badge, ItemSummary, badges_for
from app.gui.library_model import Roles, Scope, SortMode


def _ids(window) -> list[str]:
    return [window.proxy.index(r, 0).data(Roles.ID) for r in range(window.proxy.rowCount())]


# One model per test: pytest-qt's tester keeps listening to the model it checked last.
def test_source_model_passes_the_model_tester(qtbot, qtmodeltester, demo_window) -> None:
    window = demo_window
    qtmodeltester.check(window.model, force_py=True)
    with qtbot.waitSignal(window.search.results, timeout=10_000):
        window.search_field.setText("pricing")  # hits change: dataChanged over the rows
    window.model.bump_use("price-list")


def test_proxy_passes_the_model_tester(qtbot, qtmodeltester, demo_window) -> None:
    window = demo_window
    qtmodeltester.check(window.proxy, force_py=True)
    with qtbot.waitSignal(window.search.results, timeout=10_000):
        window.search_field.setText("pricing")
    window.sidebar.set_facet("type", "xlsx", True)
    window.sidebar.select_scope(Scope.FAVOURITES)
    window.sidebar.select_scope(Scope.ALL)
    window.apply_sort(SortMode.NEWEST)


def test_sidebar_model_passes_the_model_tester(qtbot, qtmodeltester, demo_window) -> None:
    window = demo_window
    qtmodeltester.check(window.sidebar.sidebar_model, force_py=True)
    window.sidebar.set_facet("type", "pdf", True)
    window.refresh_sidebar()


def test_version_list_passes_the_model_tester(qtbot, qtmodeltester, demo_window) -> None:
    window = demo_window
    window.results.setCurrentIndex(window.proxy.mapFromSource(window.model.index_of("price-list")))
    qtbot.waitUntil(lambda: window.detail.versions.topLevelItemCount() == 2)
    qtmodeltester.check(window.detail.versions.model(), force_py=True)
    top = window.detail.versions.topLevelItem(0)
    assert top.text(0) == "v2"
    assert "Nordics sheet" in top.text(2)


def test_facets_filter_and_count(qtbot, demo_window) -> None:
    """Given the demo library, when the rep ticks Stage: Onboarding, then only the two
    onboarding items show (README: implementation plan and rollout tracker)."""
    window = demo_window
    assert window.proxy.rowCount() == 26
    sidebar = window.sidebar
    labels = [
        sidebar.sidebar_model.index(r, 0, sidebar.sidebar_model.index(s, 0)).data()
        for s in range(sidebar.sidebar_model.rowCount())
        for r in range(sidebar.sidebar_model.rowCount(sidebar.sidebar_model.index(s, 0)))
    ]
    assert "Onboarding  (2)" in labels
    assert "PDF  (8)" in labels  # nine PDFs, one of them expired
    with qtbot.waitSignal(sidebar.facets_changed):
        sidebar.set_facet("stage", "Onboarding", True)
    assert sorted(_ids(window)) == ["implementation-plan", "rollout-tracker"]
    with qtbot.waitSignal(sidebar.facets_changed):
        sidebar.set_facet("type", "xlsx", True)
    assert _ids(window) == ["rollout-tracker"]
    sidebar.clear_facets()
    assert window.proxy.rowCount() == 26


def test_facets_also_narrow_a_search(qtbot, demo_window) -> None:
    window = demo_window
    with qtbot.waitSignal(window.search.results, timeout=10_000):
        window.search_field.setText("pricing")
    assert window.proxy.rowCount() > 3
    with qtbot.waitSignal(window.search.results, timeout=10_000) as blocker:
        window.sidebar.set_facet("type", "xlsx", True)
    outcome = blocker.args[0]
    assert outcome.request.filters == {"type": ("xlsx",)}
    kinds = {window.model.summary(i).kind for i in _ids(window)}
    assert kinds == {"xlsx"}


def test_sort_modes(qtbot, demo_window) -> None:
    window = demo_window
    window.apply_sort(SortMode.TITLE)
    titles = [window.model.summary(i).title_key for i in _ids(window)]
    assert titles == sorted(titles)
    window.apply_sort(SortMode.NEWEST)
    dates = [window.model.summary(i).updated_at for i in _ids(window)]
    assert dates == sorted(dates, reverse=True)
    window.model.bump_use("roi-calculator", 3)
    window.model.bump_use("price-list", 1)
    window.apply_sort(SortMode.MOST_USED)
    assert _ids(window)[:2] == ["roi-calculator", "price-list"]
    window.model.bump_use("price-list", 5)  # re-sorts by itself
    assert _ids(window)[:2] == ["price-list", "roi-calculator"]


def test_favourites_scope_follows_the_toggle(qtbot, demo_window) -> None:
    window = demo_window
    window.results.setCurrentIndex(window.proxy.index(0, 0))
    first = window.results.selected_ids()[0]
    with qtbot.waitSignal(window.item_actions.favourites_changed, timeout=10_000):
        window.item_actions.favourite.trigger()
    window.sidebar.select_scope(Scope.FAVOURITES)
    assert _ids(window) == [first]
    with qtbot.waitSignal(window.snapshot_applied, timeout=10_000):
        pass  # the write is followed by a reload of the library
    from app.core.collections import Collections

    assert Collections(window.library).favourites() == {first}


def test_badges(demo_window) -> None:
    now = utcnow()
    base = demo_window.model.summary("price-list")
    assert isinstance(base, ItemSummary)

    def variant(**kw: object) -> ItemSummary:
        from dataclasses import replace

        return replace(base, **kw)

    assert badges_for(variant(first_serial=5, changed_serial=5), 4, now) == (Badge.NEW,)
    assert badges_for(variant(first_serial=2, changed_serial=5), 4, now) == (Badge.UPDATED,)
    assert badges_for(variant(first_serial=5, changed_serial=5), 0, now) == ()  # first sync
    soon = variant(expires_at=now + timedelta(days=10))
    assert Badge.EXPIRING in badges_for(soon, 0, now)
    far = variant(expires_at=now + timedelta(days=90))
    assert Badge.EXPIRING not in badges_for(far, 0, now)
    broken = variant(searchable=False, unsearchable_reason="encrypted PDF")
    assert badges_for(broken, 0, now) == (Badge.UNSEARCHABLE,)


def test_location_labels() -> None:
    assert location_label("pptx", 7) == "slide 7"
    assert location_label("xlsx", 2) == "sheet 2"
    assert location_label("pdf", 3) == "page 3"
    assert location_label("docx", None) == ""


def test_drag_carries_the_local_files(demo_window) -> None:
    window = demo_window
    index = window.model.index_of("price-list")
    mime = window.model.mimeData([index])
    (url,) = mime.urls()
    assert isinstance(url, QUrl) and url.isLocalFile()
    assert url.toLocalFile().endswith("Northwind Price List.xlsx")
