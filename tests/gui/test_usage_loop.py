"""Closing the loop in the app: the rep's own activity, the pseudonym setting, and
marketing's Insights view over every rep's uploaded usage."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

from PySide6.QtCharts import QHorizontalBarSeries, QLineSeries, QPieSeries

from app.core.hub import FolderInbox
from app.core.library import Library
from app.core.report import build_report
from app.core.settings import RepSettings, load_settings, save_settings
from app.core.timeutil import utcnow
from app.core.usage.journal import REP_ID_KEY, Journal
from app.core.usage.upload import upload_pending
from app.gui.activity import ActivityModel
from app.gui.insights_tables import RECORD_TYPES, RecordTableModel
from app.gui.insights_window import InsightsWindow
from app.gui.item_dialogs import MaterialRequest
from app.gui.settings_dialog import PSEUDONYM_NOTE, SettingsDialog


def _record_usage(home: Path, hub: Path, *, upload: bool = True) -> dict[str, str]:
    """Two reps use the small hub's first item; the second item stays unused.

    9 events: 2 opens, 1 preview, 1 send, 3 searches (2 found nothing), 1 flag, 1 request.
    """
    with Library.open(home) as lib:
        first, second = sorted(i.id for i in lib.items())
        items = {i.id: i for i in lib.items()}
        journal = Journal(lib)
        save_settings(lib, RepSettings("Ana", "ana@northwind.example"))
        journal.record("open", item=items[first])
        journal.record("preview", item=items[first], data={"location": 2})
        journal.search("hospital pricing", 2)
        journal.search("zebra monitor", 0)
        journal.flag(items[second], "outdated", "NOTE: 2024 prices")
        # a second rep: a rep is her rep id, not her name (renaming Ana stays one rep), so
        # the library is handed over to another rep id, as a laptop passed on would be
        lib.set_meta(REP_ID_KEY, "rep-ben")
        save_settings(lib, RepSettings("Ben", "ben@northwind.example"))
        journal.record("open", item=items[first])
        journal.record_many("send", [items[first]], {"recipients": ["buyer@clinic.example"]})
        journal.search("zebra monitor", 0)
        journal.request("case study for German hospitals")
        if upload:
            upload_pending(lib, FolderInbox(hub))
    return {"used": first, "unused": second}


# ------------------------------------------------------------------ My activity


def test_my_activity_lists_the_journal_and_exports(
    qtbot, qtmodeltester, make_window, small_hub, tmp_path
) -> None:
    """Given events recorded by the journal, some uploaded and one not yet, when the rep
    opens My activity, then the events show newest first with their upload state and the
    pending count, and Export CSV writes them all."""
    ids = _record_usage(small_hub.home, small_hub.hub)
    with Library.open(small_hub.home) as lib:
        Journal(lib).record("open", item=lib.item(ids["unused"]))  # not uploaded yet
    window = make_window(small_hub.home)

    assert window.menus.activity is None
    window.menus.activity_action.trigger()
    dialog = window.menus.activity
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.snapshot is not None, timeout=10_000)
    model = dialog.model
    qtmodeltester.check(model)
    assert model.rowCount() == 10
    newest = model.row(0)
    assert newest.kind == "open" and newest.item_id == ids["unused"] and not newest.uploaded
    assert all(model.row(n).uploaded for n in range(1, 10))
    times = [model.row(n).time for n in range(10)]
    assert times == sorted(times, reverse=True)
    texts = {model.index(n, 3).data() for n in range(10)}
    assert "“zebra monitor” (nothing found)" in texts
    assert "outdated: NOTE: 2024 prices" in texts
    assert model.index(0, 4).data() == "no" and model.index(1, 4).data() == "yes"
    assert dialog.pending.text() == "1 event waits for upload at the next sync."

    out = tmp_path / "activity.csv"
    with qtbot.waitSignal(dialog.exported, timeout=10_000) as blocker:
        dialog.export_to(out)
    assert blocker.args == [10, str(out)]
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 10
    assert sorted(r["uploaded"] for r in rows).count("no") == 1
    assert "Exported 10 events" in dialog.status.text()

    # a new event recorded while the dialog is open shows without reopening it
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        window.item_actions.submit_request(MaterialRequest("brochure in Polish", None, None))
    assert dialog.model.rowCount() == 11
    assert dialog.model.row(0).kind == "request"
    assert dialog.pending.text() == "2 events wait for upload at the next sync."


def test_activity_model_passes_the_model_tester(qtmodeltester, small_hub) -> None:
    from app.gui.activity import load_activity

    _record_usage(small_hub.home, small_hub.hub, upload=False)
    with Library.open(small_hub.home) as lib:
        snapshot = load_activity(lib)
    assert snapshot.pending == 9 and snapshot.total == 9
    model = ActivityModel()
    model.set_rows(snapshot.rows)
    qtmodeltester.check(model)


# ------------------------------------------------------------------ pseudonymise


def test_the_pseudonym_setting_is_explained_and_persists(qtbot, make_window, demo_home) -> None:
    window = make_window(demo_home)
    dialog = SettingsDialog(
        rep=window.rep,
        location=None,
        is_demo=True,
        pinned=None,
        watch_mode="auto",
        it=window.it,
    )
    qtbot.addWidget(dialog)
    assert dialog.pseudonym_note.text() == PSEUDONYM_NOTE
    assert "works councils" in dialog.pseudonym_note.text()
    assert not dialog.pseudonymise.isChecked()
    dialog.pseudonymise.setChecked(True)
    dialog._try_accept()
    with qtbot.waitSignal(window.settings_applied, timeout=10_000):
        window.apply_settings(dialog.value())
    window.close()
    with Library.open(demo_home) as lib:
        assert load_settings(lib).pseudonymise is True
    again = make_window(demo_home)
    reopened = SettingsDialog(
        rep=again.rep, location=None, is_demo=True, pinned=None, watch_mode="auto"
    )
    qtbot.addWidget(reopened)
    assert reopened.pseudonymise.isChecked()


# ------------------------------------------------------------------ Insights


def test_insights_loads_a_hub_and_shows_the_headline(qtbot, qtmodeltester, small_hub) -> None:
    """Given a hub whose inbox holds two reps' uploaded batches, when marketing opens it in
    Insights, then the usage loads in the background and the headline, charts and tables
    show the right numbers; a date range re-reads the figures."""
    ids = _record_usage(small_hub.home, small_hub.hub)
    view = InsightsWindow(small_hub.home)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.figures_shown, timeout=30_000) as blocker:
        view.open_source(str(small_hub.hub))
        assert view.busy and view.busy_row.isVisible() and not view.load_button.isEnabled()
    figures = blocker.args[0]
    head = figures.headline
    assert (head.events, head.reps_active, head.catalogue_size) == (9, 2, 2)
    assert (head.items_used, head.items_never_used) == (1, 1)
    assert (head.searches, head.zero_result_searches, head.flags, head.requests) == (3, 2, 1, 1)
    assert view.tile_values() == {
        "events": "9",
        "reps": "2",
        "used": "1",
        "never": "50%",
        "searches": "3",
        "flags": "1",
        "requests": "1",
    }
    assert not view.busy_row.isVisible() and view.load_button.isEnabled()
    assert "2 new (9 new events)" in view.note.text()

    usage = view.chart("usage")
    assert {s.name() for s in usage.series()} == {
        "Opens", "Previews", "Sends", "Searches", "Flags", "Requests",
    }  # fmt: skip
    assert all(isinstance(s, QLineSeries) for s in usage.series())
    (top,) = view.chart("top").series()
    assert [b.label() for b in top.barSets()] == ["Opens", "Previews", "Sends"]
    assert [b.at(0) for b in top.barSets()] == [2.0, 1.0, 1.0]
    (pie,) = view.chart("pie").series()
    assert isinstance(pie, QPieSeries)
    assert [s.value() for s in pie.slices()] == [1.0, 1.0]
    (zero,) = view.chart("zero").series()
    assert isinstance(zero, QHorizontalBarSeries)
    assert zero.barSets()[0].at(0) == 2.0
    assert "zebra monitor" in view.chart("zero").axes()[0].categories()[0]

    for name, model in view.tables.items():
        assert isinstance(model, RecordTableModel)
        qtmodeltester.check(model)
        assert all(isinstance(r, RECORD_TYPES[name][0]) for r in model.records())
    assert view.tables["flags"].index(0, 4).data() == "NOTE: 2024 prices"
    assert view.tables["requests"].index(0, 1).data() == "case study for German hospitals"
    assert [r.item_id for r in view.tables["unused"].records()] == [ids["unused"]]

    tomorrow = (utcnow() + timedelta(days=1)).date()
    with qtbot.waitSignal(view.figures_shown, timeout=10_000) as blocker:
        view.set_period(tomorrow, tomorrow + timedelta(days=6))
    assert blocker.args[0].headline.events == 0
    assert view.tile_values()["events"] == "0" and view.tile_values()["never"] == "100%"
    assert "no events" in view.chart("usage").title()
    with qtbot.waitSignal(view.figures_shown, timeout=10_000) as blocker:
        view.set_period(None, None)
    assert blocker.args[0].headline.events == 9
    view.close()


def test_insights_opens_a_report_folder_and_can_be_cancelled(qtbot, small_hub, tmp_path) -> None:
    """The folder `report --out DIR` wrote opens as it is; a load can be cancelled."""
    _record_usage(small_hub.home, small_hub.hub)
    out = tmp_path / "report"
    build_report(str(small_hub.hub), out)
    view = InsightsWindow(small_hub.home)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.figures_shown, timeout=30_000) as blocker:
        view.open_source(str(out))
    assert blocker.args[0].headline.events == 9
    assert str(out / "report.db") in view.note.text()

    with qtbot.waitSignal(view.load_cancelled, timeout=30_000):
        view.open_source(str(small_hub.hub))
        view.cancel()
    assert "cancelled" in view.note.text() and view.load_button.isEnabled()

    with qtbot.waitSignal(view.load_failed, timeout=30_000) as blocker:
        view.open_source(str(tmp_path / "nowhere"))
    assert "does not exist" in blocker.args[0]
    assert view.banner.isVisibleTo(view)
    view.close()


def test_chart_labels_show_searches_as_typed(qtbot) -> None:
    """Axis labels are rich text: a search for markup is shown as typed, not rendered."""
    from PySide6.QtGui import QPalette

    from app.core.report import SearchStat
    from app.gui.insights_charts import zero_result_chart

    chart = zero_result_chart([SearchStat("<b>x</b> & y", 3, 2)], QPalette())
    (axis,) = [a for a in chart.axes() if hasattr(a, "categories")]
    assert axis.categories() == ["“&lt;b&gt;x&lt;/b&gt; &amp; y”"]


def test_new_windows_name_their_controls(qtbot, demo_window, tmp_path) -> None:
    from app.gui.crash_dialog import CrashDialog
    from tests.gui.test_desktop import _unnamed

    activity = demo_window.menus.open_activity()
    insights = demo_window.menus.open_insights()
    about = demo_window.menus.open_about()
    crash = CrashDialog("report", tmp_path / "crash.txt", log_dir=tmp_path)
    qtbot.addWidget(crash)
    crash.show()
    for window in (activity, insights, about, crash):
        assert _unnamed(window) == [], type(window).__name__
    assert insights.source.text() == demo_window.library.hub_state().location
    about.close()
    insights.close()
    qtbot.waitUntil(lambda: demo_window.menus.insights is None, timeout=5000)
