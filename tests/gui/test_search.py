"""Search as you type, on the demo library."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.core.search import Hit, snippet_plain
from app.gui import search_controller
from app.gui.item_data import local_file
from app.gui.item_delegate import snippet_html
from app.gui.library_model import Roles, SortMode
from app.gui.search_controller import SearchOutcome


def _type(qtbot, window, text: str) -> SearchOutcome:
    with qtbot.waitSignal(window.search.results, timeout=10_000) as blocker:
        qtbot.keyClicks(window.search_field, text)
    outcome = blocker.args[0]
    # keyClicks types one letter at a time: the debounce must leave one search for the lot
    assert outcome.request.query == text
    return outcome


def test_typing_a_query_shows_the_item_and_the_slide(qtbot, demo_window) -> None:
    """Given the demo library, when the rep types "hospital pricing", then the pricing deck
    is the first row, with its snippet in bold at slide 7, and the detail pane shows it."""
    window = demo_window
    window.search_field.setFocus()
    _type(qtbot, window, "hospital pricing")
    first = window.proxy.index(0, 0)
    assert first.data(Roles.ID) == "hospital-pricing-2026"
    hit = first.data(Roles.HIT)
    assert isinstance(hit, Hit)
    assert hit.location == 7
    assert "Hospital pricing" in snippet_plain(hit.snippet)
    rendered = snippet_html(hit)
    assert rendered.startswith("<i>Slide 7</i>")
    assert "<b>Hospital</b> <b>pricing</b>" in rendered
    assert window.proxy.sort_mode is SortMode.RELEVANCE
    assert "for “hospital pricing”" in window.results_header.summary.text()
    qtbot.waitUntil(lambda: window.detail.item_id == "hospital-pricing-2026")
    assert window.detail.title.text() == "Hospital pricing 2026"


def test_debounce_runs_one_search_for_a_burst_of_keys(qtbot, demo_window) -> None:
    window = demo_window
    seen: list[SearchOutcome] = []
    window.search.results.connect(seen.append)
    _type(qtbot, window, "alarm")
    qtbot.wait(300)  # nothing else may arrive once the burst is answered
    assert [o.request.query for o in seen] == ["alarm"]


def test_a_typo_shows_the_correction_at_once_and_offers_the_query_as_typed(
    qtbot, demo_window
) -> None:
    """Given "hospitl", the core's correction "hospital" is shown at once, as the CLI does;
    "Search instead for hospitl" asks again as typed: nothing, did you mean, request."""
    window = demo_window
    outcome = _type(qtbot, window, "hospitl")
    assert outcome.results is not None and outcome.results.corrected == "hospital"
    assert outcome.results.total > 0
    header = window.results_header
    assert header.suggestion.isVisibleTo(window)
    assert "Showing results for <b>hospital</b>" in header.suggestion.text()
    assert "hospitl" in header.suggestion.text()
    assert not header.request.isVisibleTo(window)
    with qtbot.waitSignal(window.search.results, timeout=10_000) as blocker:
        header.suggestion.linkActivated.emit("satchel:as-typed")
    results = blocker.args[0].results
    assert results.total == 0 and results.corrected is None
    assert results.suggestion == "hospital"
    assert "Did you mean" in header.suggestion.text()
    # nothing found: the empty state offers the request (one button: the header's hides)
    assert window.empty_state.request.isVisibleTo(window)
    assert not header.request.isVisibleTo(window)
    with qtbot.waitSignal(window.search.results, timeout=10_000) as blocker:
        header.suggestion_clicked.emit("hospital")
    assert blocker.args[0].results.total > 0
    assert window.search_field.text() == "hospital"
    assert not header.request.isVisibleTo(window)


def test_keyboard_arrows_enter_and_escape(qtbot, demo_window, opened) -> None:
    """Arrows move in the results from the search field, Enter opens, Esc clears."""
    window = demo_window
    window.focus_search()
    _type(qtbot, window, "pricing")
    assert window.results.currentIndex().row() == 0
    qtbot.keyClick(window.search_field, Qt.Key.Key_Down)
    assert window.results.currentIndex().row() == 1
    second = window.model.summary(window.results.currentIndex().data(Roles.ID))
    with qtbot.waitSignal(window.item_actions.recorded, timeout=10_000) as blocker:
        qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    assert blocker.args == ["open"]
    assert opened.paths == [local_file(window.library, second)]
    with qtbot.waitSignal(window.search.results, timeout=10_000) as blocker:
        qtbot.keyClick(window.search_field, Qt.Key.Key_Escape)
    assert blocker.args[0].results is None
    assert window.search_field.text() == ""
    assert window.proxy.rowCount() == window.model.rowCount() == 26


def test_snippets_are_focused_on_the_first_match() -> None:
    from app.gui.item_delegate import focus_parts

    parts = [("x " * 60 + "context before the words ", False), ("alarm", True), (" after", False)]
    focused = focus_parts(parts)
    assert focused[0][0].startswith("…") and len(focused[0][0]) <= 42
    assert focused[1] == ("alarm", True)
    short = [("a few words ", False), ("alarm", True)]
    assert focus_parts(short) == short
    cells = [("x " * 30 + "spreadsheets | One sheet per region with our list ", False)]
    cells.append(("prices", True))  # the cut lands on a cell separator: it goes
    assert focus_parts(cells)[0][0] == "…One sheet per region with our list "


def test_searches_are_recorded_on_a_pause_not_per_keystroke(qtbot, demo_window) -> None:
    from sqlalchemy import select

    from app.core.models import Event

    window = demo_window
    outcome = _type(qtbot, window, "payback period")
    with qtbot.waitSignal(window.search.recorded, timeout=5_000) as blocker:
        pass  # the rep pauses: recorded about 2 s after the answer
    assert blocker.args == ["payback period"]
    with window.library.sessions() as s:
        events = list(s.scalars(select(Event).where(Event.kind == "search")).all())
    assert [e.data for e in events] == [
        {"query": "payback period", "results": outcome.results.total}
    ]
    pending = window.runner.pending()
    window.search.record_now()  # Enter on the same query: not counted twice
    assert window.runner.pending() == pending  # nothing was queued to write


# ------------------------------------------------------------------ live facets and chips


def _counted(qtbot, window, action):
    """Run ``action`` and wait for the facet counts that answer it (not an older answer)."""
    with qtbot.waitSignal(
        window.search.facets_counted,
        timeout=10_000,
        check_params_cb=lambda _counts: not window.search.settling,
    ) as blocker:
        action()
    return blocker.args[0]


def _kinds(window) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for row in range(window.proxy.rowCount()):
        kind = window.model.summary(window.proxy.index(row, 0).data(Roles.ID)).kind
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def test_facet_counts_follow_the_query(qtbot, demo_window) -> None:
    """Given the demo library, when the rep types "warranty", then the sidebar's type
    counts are those of the listed results, and a value none of them holds stays visible,
    greyed, with 0; clearing the query brings back the library's counts."""
    window = demo_window
    sidebar = window.sidebar
    library_pdfs = sidebar.facet_count("type", "pdf")
    assert library_pdfs == sum(1 for s in window.model.items() if s.kind == "pdf")
    counts = _counted(qtbot, window, lambda: window.search_field.setText("warranty"))
    shown = _kinds(window)
    assert counts.matching == window.proxy.rowCount() == sum(shown.values())
    for kind in {s.kind for s in window.model.items()}:
        assert sidebar.facet_count("type", kind) == shown.get(kind, 0), kind
    absent = [k for k in {s.kind for s in window.model.items()} if k not in shown]
    assert absent, "the demo query should leave some kind out"
    assert sidebar.is_greyed("type", absent[0])
    assert sidebar.facet_count("type", "pdf") < library_pdfs
    _counted(qtbot, window, lambda: window.search_field.setText(""))
    assert sidebar.facet_count("type", "pdf") == library_pdfs
    assert not sidebar.is_greyed("type", absent[0])


def test_ticked_facets_show_as_chips_and_the_header_says_what_they_hide(qtbot, demo_window) -> None:
    """Given a query, when the rep ticks PowerPoint, then a chip shows it, the other groups
    count only PowerPoint results while the type group keeps its counts, and the header says
    how many matches the filter hides; the chip's × removes the filter."""
    window = demo_window
    sidebar, chips, header = window.sidebar, window.filter_chips, window.results_header
    before = _counted(qtbot, window, lambda: window.search_field.setText("pricing"))
    assert not chips.isVisibleTo(window)
    after = _counted(qtbot, window, lambda: sidebar.set_facet("type", "pptx", True))
    assert [c.text() for c in chips.chips] == ["Type: PowerPoint  ✕"]
    assert chips.isVisibleTo(window)
    assert after.groups["type"] == before.groups["type"]  # its own group is not narrowed
    assert after.matching == before.groups["type"]["pptx"] == window.proxy.rowCount()
    hidden = before.matching - after.matching
    assert hidden > 0
    assert f"{after.matching} result" in header.summary.text()
    assert f"{hidden} more hidden by filters" in header.summary.text()
    assert "Clear filters" in header.summary.text()
    for key in ("segment", "region"):
        for value, count in after.groups[key].items():
            assert count <= before.groups[key][value]
    # a later search keeps the filter, and says so
    _counted(qtbot, window, lambda: window.search_field.setText("hospital"))
    assert chips.isVisibleTo(window) and sidebar.facets() == {"type": ("pptx",)}
    # the chip's × removes it
    _counted(qtbot, window, lambda: chips.chips[0].click())
    assert sidebar.facets() == {}
    assert not chips.isVisibleTo(window)
    assert "hidden by filters" not in header.summary.text()


def test_clear_all_and_clear_filters_untick_everything(qtbot, demo_window) -> None:
    window = demo_window
    sidebar, chips, header = window.sidebar, window.filter_chips, window.results_header
    _counted(qtbot, window, lambda: window.search_field.setText("pricing"))
    _counted(qtbot, window, lambda: sidebar.set_facet("type", "pdf", True))
    _counted(qtbot, window, lambda: sidebar.set_facet("region", "DACH", True))
    assert [c.text() for c in chips.chips] == ["Type: PDF  ✕", "Region: DACH  ✕"]
    counts = _counted(qtbot, window, chips.clear_all.click)
    assert sidebar.facets() == {} and not chips.isVisibleTo(window)
    assert counts.hidden == 0
    assert window.proxy.rowCount() == counts.matching
    # the header's "Clear filters" link does the same
    _counted(qtbot, window, lambda: sidebar.set_facet("type", "pdf", True))
    assert "Clear filters" in header.summary.text()
    _counted(qtbot, window, lambda: header.summary.linkActivated.emit("satchel:clear-filters"))
    assert sidebar.facets() == {} and not chips.isVisibleTo(window)


def test_facets_follow_each_other_without_a_query(qtbot, demo_window) -> None:
    """With no query, ticking PowerPoint narrows the other groups to the PowerPoint items;
    a ticked value whose count drops to zero stays, ticked and not greyed."""
    window = demo_window
    sidebar = window.sidebar
    pptx = {s.id for s in window.model.items() if s.kind == "pptx"}
    _counted(qtbot, window, lambda: sidebar.set_facet("type", "pptx", True))
    assert window.proxy.rowCount() == len(pptx)
    dach = sum(
        1 for s in window.model.items() if s.id in pptx and "DACH" in s.tags.get("region", ())
    )
    assert sidebar.facet_count("region", "DACH") == dach
    assert sidebar.facet_count("type", "pdf") == sum(
        1 for s in window.model.items() if s.kind == "pdf"
    )
    _counted(qtbot, window, lambda: window.search_field.setText("spreadsheet"))
    assert sidebar.facet_count("type", "pptx") is not None  # a ticked value never goes
    assert not sidebar.is_greyed("type", "pptx")


def test_facet_counts_stay_within_the_sidebar_scope(qtbot, demo_window) -> None:
    """Favourites holds nothing yet: every facet value counts 0 there, greyed; back in
    All items the library's counts return."""
    from app.gui.library_model import Scope

    window = demo_window
    sidebar = window.sidebar
    pdfs = sidebar.facet_count("type", "pdf")
    counts = _counted(qtbot, window, lambda: sidebar.select_scope(Scope.FAVOURITES))
    assert counts.unfiltered == 0
    assert sidebar.facet_count("type", "pdf") == 0 and sidebar.is_greyed("type", "pdf")
    _counted(qtbot, window, lambda: sidebar.select_scope(Scope.ALL))
    assert sidebar.facet_count("type", "pdf") == pdfs and not sidebar.is_greyed("type", "pdf")


def test_a_typo_beside_a_word_that_matched_is_corrected_too(qtbot, demo_window) -> None:
    """ "alarm fatige": "alarm" finds items, "fatige" matches nothing; the results are those
    of "alarm fatigue" at once, with "Search instead for" the query as typed."""
    window = demo_window
    outcome = _type(qtbot, window, "alarm fatige")
    assert outcome.results is not None and outcome.results.corrected == "alarm fatigue"
    assert "Showing results for <b>alarm fatigue</b>" in window.results_header.suggestion.text()
    with qtbot.waitSignal(window.search.results, timeout=10_000) as blocker:
        window.results_header.suggestion.linkActivated.emit("satchel:as-typed")
    as_typed = blocker.args[0].results
    assert as_typed.corrected is None and as_typed.suggestion == "alarm fatigue"
    assert as_typed.total > 0  # "alarm" alone


def test_sharing_is_a_facet_like_the_others(qtbot, demo_window) -> None:
    """Internal material is a facet value: ticking "Internal only" lists just those items,
    shows the chip, and the type counts become those of the internal items."""
    window = demo_window
    sidebar = window.sidebar
    internal = [s for s in window.model.items() if s.share == "internal"]
    assert internal, "the demo library has internal items"
    assert sidebar.facet_count("share", "internal") == len(internal)
    _counted(qtbot, window, lambda: sidebar.set_facet("share", "internal", True))
    assert window.proxy.rowCount() == len(internal)
    assert [c.text() for c in window.filter_chips.chips] == ["Sharing: Internal only  ✕"]
    pptx = sum(1 for s in internal if s.kind == "pptx")
    assert sidebar.facet_count("type", "pptx") == pptx


def test_rows_below_the_first_get_their_snippets_next(qtbot, demo_window, monkeypatch) -> None:
    """The first rows come with their snippets at once, the rest from the same search run
    again; the model's rows then show them, in the same order."""
    monkeypatch.setattr(search_controller, "FIRST_SNIPPETS", 2)
    window = demo_window
    with qtbot.waitSignal(window.search.snippets_filled, timeout=10_000) as filled:
        outcome = _type(qtbot, window, "hospital")
    shown = outcome.results.hits
    assert len(shown) > 2
    assert all(h.snippet for h in shown[:2])
    assert not any(h.snippet or h.location for h in shown[2:])
    full = filled.args[0].results.hits
    assert [h.id for h in full] == [h.id for h in shown]
    assert full[:2] == shown[:2]
    assert all(h.snippet for h in full)
    for row in range(len(full)):
        hit = window.proxy.index(row, 0).data(Roles.HIT)
        assert hit == full[row]
    assert window.search.last.results.hits == full
