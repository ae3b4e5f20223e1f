"""Marketing's usage report: every count equals what 50 simulated reps over 30 days did.

The hub is published for real (python-pptx / python-docx documents, one withdrawn item);
usage is simulated by tests.helpers.usage_sim, whose ground truth is computed there,
independently of the report code. Real nginx (PUT and listing) and real PostgreSQL.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.core.catalog import Catalog, read_catalog_unverified
from app.core.errors import HubUnreachableError, SatchelError
from app.core.report import (
    HubNotListableError,
    ReportDatabaseError,
    ReportInputError,
    ReportSummary,
    build_report,
    compute_figures,
    open_report_database,
    read_figures,
)
from app.core.report.schema import CatalogueItem, LoadedBatch, UsageRecord
from app.core.usage.batch import UsageEvent, encode_batch
from tests.conftest import REPO
from tests.helpers import nginx
from tests.helpers.collateral import make_docx, make_pptx, make_text
from tests.helpers.postgres import postgres_db, postgres_url  # noqa: F401  (fixtures)
from tests.helpers.usage_sim import (
    START,
    Simulation,
    Truth,
    catalogue_items,
    normalise,
    simulate,
    write_batch,
)

CONTRACT = {
    "items.csv": [
        "item_id", "title", "version", "opens", "previews", "sends", "unique_reps",
        "last_used", "flags",
    ],
    "unused.csv": ["item_id", "title", "version", "published_at"],
    "searches.csv": [
        "query",
        "searches",
        "zero_result_searches",
        "weak_result_searches",
        "searches_without_open",
    ],
    "flags.csv": ["item_id", "version", "reason", "note", "rep", "time"],
    "requests.csv": ["text", "rep", "time"],
}  # fmt: skip
CHARTS = (
    "usage-over-time.png",
    "top-items.png",
    "catalogue-use.png",
    "searches-without-results.png",
)
NOW = datetime(2026, 11, 5, 9, 30, tzinfo=UTC)


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real hub: documents published, then one removed (withdrawn)."""
    from app.core.publish import publish
    from app.core.signing import generate_key

    root = tmp_path_factory.mktemp("published")
    src, hub = root / "src", root / "hub"
    make_pptx(src / "Hospital Pricing.pptx", ["Hospital pricing 2026", "Volume tiers"],
              title="Hospital pricing 2026")  # fmt: skip
    make_pptx(src / "Elder care pitch.pptx", ["Elder care homes love the wristband"])
    make_docx(src / "case-berlin.docx", ["Berlin clinic saved 12%"], title="Case study: Berlin")
    make_docx(src / "battery.docx", ["Battery lasts nine days"], title='Battery "FAQ" <v2>')
    for n in range(8):
        make_text(src / f"one-pager-{n}.txt", f"One-pager number {n}")
    key = generate_key()
    publish(src, hub, key, workers=2, now=datetime(2026, 9, 1, tzinfo=UTC))
    (src / "one-pager-7.txt").unlink()
    publish(src, hub, key, workers=2, now=datetime(2026, 10, 15, tzinfo=UTC))
    return hub


@pytest.fixture(scope="module")
def catalog(published: Path) -> Catalog:
    cat = read_catalog_unverified((published / "catalog.json").read_bytes())
    assert [i.id for i in cat.items if i.status == "withdrawn"] == ["one-pager-7"]
    return cat


@pytest.fixture(scope="module")
def sim(published: Path) -> Simulation:
    s = simulate(catalogue_items(published), reps=50, days=30, seed=11)
    assert len({b.device_id for b in s.batches}) == 51 and len(s.batches) > 100
    return s


@pytest.fixture
def hub(published: Path, tmp_path: Path) -> Path:
    """A fresh copy of the published hub (catalog only: the report reads nothing else)."""
    target = tmp_path / "hub"
    target.mkdir()
    shutil.copyfile(published / "catalog.json", target / "catalog.json")
    return target


@pytest.fixture
def listing_web(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """nginx serving a hub folder that accepts PUT into inbox/ and lists folders."""
    root = tmp_path / "web-hub"
    root.mkdir()
    with nginx.serve_folder(root, tmp_path / "nginx", autoindex=True) as url:
        yield url, root


# ----------------------------------------------------------------------------- checking


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def stamp(t: datetime) -> str:
    return t.astimezone(UTC).isoformat().replace("+00:00", "Z")


def check_against_truth(
    out: Path,
    truth: Truth,
    catalog: Catalog,
    since: date | None = None,
    until: date | None = None,
) -> None:
    """Every count in every CSV equals the simulation's ground truth for the window."""
    for name, columns in CONTRACT.items():
        header, _rows = read_csv(out / name)
        assert header[: len(columns)] == columns, name

    expected = truth.items(since, until)
    by_id = catalog.by_id()
    _h, rows = read_csv(out / "items.csv")
    got = {r["item_id"]: r for r in rows}
    assert len(got) == len(rows)
    wanted_ids = {i.id for i in catalog.current()} | set(expected)
    assert set(got) == wanted_ids
    for item_id in wanted_ids:
        row, t = got[item_id], expected.get(item_id)
        item = by_id[item_id]
        assert (row["title"], row["version"]) == (item.title, str(item.version))
        assert row["status"] == item.status
        assert int(row["opens"]) == (t.opens if t else 0), item_id
        assert int(row["previews"]) == (t.previews if t else 0), item_id
        assert int(row["sends"]) == (t.sends if t else 0), item_id
        assert int(row["copies"]) == (t.copies if t else 0), item_id
        assert int(row["unique_reps"]) == (len(t.reps) if t else 0), item_id
        assert int(row["flags"]) == (t.flags if t else 0), item_id
        last = t.last_used if t else None
        assert row["last_used"] == ("" if last is None else stamp(last)), item_id

    used = truth.used(since, until)
    _h, rows = read_csv(out / "unused.csv")
    assert {r["item_id"] for r in rows} == {i.id for i in catalog.current()} - used
    for r in rows:
        item = by_id[r["item_id"]]
        assert (r["title"], int(r["version"])) == (item.title, item.version)
        assert r["published_at"] == stamp(item.published_at)

    _h, rows = read_csv(out / "searches.csv")
    got_searches = {r["query"]: (int(r["searches"]), int(r["zero_result_searches"])) for r in rows}
    assert got_searches == truth.searches(since, until)
    counts = [int(r["searches"]) for r in rows]
    assert counts == sorted(counts, reverse=True)

    _h, rows = read_csv(out / "flags.csv")
    assert [
        (r["item_id"], r["version"], r["reason"], r["note"], r["rep"], r["time"]) for r in rows
    ] == [
        (e.item_id, str(e.version), e.reason, e.note, e.rep, stamp(e.time))
        for e in truth.flags(since, until)
    ]
    _h, rows = read_csv(out / "requests.csv")
    assert [(r["text"], r["rep"], r["time"], r["account"], r["needed_by"]) for r in rows] == [
        (e.text, e.rep, stamp(e.time), e.account or "", e.needed_by or "")
        for e in truth.requests(since, until)
    ]


def check_files(out: Path) -> None:
    for name in [*CONTRACT, "index.html", *CHARTS]:
        assert (out / name).is_file(), name
    for name in CHARTS:
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
    assert not [p for p in out.iterdir() if p.name.startswith(".report-")]  # no scratch left


def report_files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.name != "report.db"}


def row_counts(db_url: str) -> tuple[int, int, int]:
    engine = open_report_database(db_url)
    try:
        with engine.connect() as conn:
            return (
                conn.execute(select(func.count()).select_from(LoadedBatch)).scalar_one(),
                conn.execute(select(func.count()).select_from(UsageRecord)).scalar_one(),
                conn.execute(select(func.count()).select_from(CatalogueItem)).scalar_one(),
            )
    finally:
        engine.dispose()


def day(n: int) -> date:
    return (START + timedelta(days=n)).date()


# ----------------------------------------------------------------------------- tests


def test_report_counts_equal_the_simulated_truth(
    hub: Path, tmp_path: Path, sim: Simulation, catalog: Catalog
) -> None:
    sim.write_to_folder(hub)
    out = tmp_path / "report"
    summary = build_report(str(hub), out, now=NOW)

    check_files(out)
    check_against_truth(out, sim.truth, catalog)
    load = summary.load
    assert load.batches_loaded == load.batch_files == len(sim.batches)
    assert load.devices == 51 and not load.malformed
    # the retried batches repeat events: each is counted once
    assert load.events_in_loaded_batches > load.events_added == sim.event_count
    head = summary.figures.headline
    assert head.reps_active == 50 == sim.truth.reps_active()
    assert head.catalogue_size == len(catalog.current())
    assert 0 < head.items_never_used == len({i.id for i in catalog.current()} - sim.truth.used())
    assert head.zero_result_searches == sum(z for _n, z in sim.truth.searches().values())
    assert (head.flags, head.requests) == (
        len(sim.truth.flags()),
        len(sim.truth.requests()),
    )
    assert "50 rep(s) active" in summary.text() and str(out) in summary.text()

    page = (out / "index.html").read_text(encoding="utf-8")
    for name in [*CONTRACT, *CHARTS]:
        assert f'"{name}"' in page
    assert f"{head.items_used} / {head.catalogue_size}" in page

    # the same figures, for the GUI, straight from the database
    engine = open_report_database(str(out / "report.db"))
    try:
        figures = compute_figures(engine)
    finally:
        engine.dispose()
    assert figures == summary.figures
    assert read_figures(str(out / "report.db")) == summary.figures
    first_week = read_figures(str(out / "report.db"), since=day(0), until=day(6))
    assert first_week.headline.events == len(sim.truth.window(day(0), day(6)))


def test_loading_the_same_batches_again_changes_nothing(
    hub: Path, tmp_path: Path, sim: Simulation, catalog: Catalog
) -> None:
    sim.write_to_folder(hub)
    out = tmp_path / "report"
    first = build_report(str(hub), out, now=NOW)
    before_files, before_rows = report_files(out), row_counts(str(out / "report.db"))

    again = build_report(str(hub), out, now=NOW)
    assert again.load.batches_loaded == 0 and again.load.events_added == 0
    assert again.load.batches_already_loaded == len(sim.batches)
    assert row_counts(str(out / "report.db")) == before_rows
    assert report_files(out) == before_files
    assert again.figures == first.figures

    # the same batches under other file names (copied by hand): events still counted once
    copies = hub / "inbox" / "copied-by-hand"
    copies.mkdir()
    for path in sorted((hub / "inbox").glob("*/*.json"))[:5]:
        shutil.copyfile(path, copies / f"copy-of-{path.name}")
    third = build_report(str(hub), out, now=NOW)
    assert third.load.batches_already_loaded == len(sim.batches) + 5
    assert third.load.events_added == 0
    assert report_files(out) == before_files
    check_against_truth(out, sim.truth, catalog)


def test_malformed_batches_are_skipped_counted_and_named(
    hub: Path, tmp_path: Path, sim: Simulation, catalog: Catalog
) -> None:
    sim.write_to_folder(hub)
    device = hub / "inbox" / "0badf00d-0000-4000-8000-000000000000"
    device.mkdir()
    good = json.loads(encode_batch(sim.batches[0]))
    bad = {
        "not-json.json": b"{this is not json",
        "truncated.json": encode_batch(sim.batches[1])[:-40],
        "wrong-format.json": json.dumps({**good, "format": "satchel-usage/9"}).encode(),
        "huge-version.json": json.dumps(
            {**good, "events": [{**good["events"][0], "item_id": "x", "version": "V"}]}
        )
        .replace('"version": "V"', '"version": 1e999')
        .encode(),
        "bad-kind.json": json.dumps(
            {**good, "events": [{**good["events"][0], "kind": "delete-everything"}]}
        ).encode(),
        "<img src=x onerror=alert(9)>.json": b"[]",
    }
    for name, data in bad.items():
        (device / name).write_bytes(data)
    (device / ".in-progress.json.1234.tmp").write_bytes(b"half a fi")  # a writer's temp file
    (device / "readme.txt").write_text("not a batch")

    out = tmp_path / "report"
    summary = build_report(str(hub), out, now=NOW)
    names = sorted(m.name.rsplit("/", 1)[1] for m in summary.malformed)
    assert names == sorted(bad)
    assert all(m.name.startswith(f"inbox/{device.name}/") and m.reason for m in summary.malformed)
    assert summary.load.batches_loaded == len(sim.batches)
    assert "6 malformed and skipped" in summary.text()
    check_against_truth(out, sim.truth, catalog)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(9)&gt;.json" in page and "<img src=x" not in page

    again = build_report(str(hub), out, now=NOW)  # still skipped, still reported, harmless
    assert len(again.malformed) == 6 and again.load.events_added == 0


def test_since_and_until_select_whole_utc_days(
    hub: Path, tmp_path: Path, sim: Simulation, catalog: Catalog
) -> None:
    sim.write_to_folder(hub)
    db = f"sqlite:///{tmp_path / 'shared.db'}"
    windows = [(day(5), day(11)), (day(0), day(0)), (day(1), None), (None, day(3))]
    for n, (since, until) in enumerate(windows):
        out = tmp_path / f"window-{n}"
        summary = build_report(str(hub), out, db_url=db, since=since, until=until, now=NOW)
        check_against_truth(out, sim.truth, catalog, since, until)
        assert summary.figures.headline.reps_active == sim.truth.reps_active(since, until)
        assert not (out / "report.db").exists()  # --db was given
    # the simulation puts events exactly at midnight and across midnight: edges are exact
    first_day = sim.truth.window(day(0), day(0))
    assert min(e.time for e in first_day) == START
    assert all(e.time < START + timedelta(days=1) for e in first_day)

    empty = build_report(str(hub), tmp_path / "later", db_url=db, since=day(200), now=NOW)
    assert empty.figures.headline.events == 0
    check_files(tmp_path / "later")
    with pytest.raises(ReportInputError, match="after it ends"):
        build_report(str(hub), tmp_path / "never", since=day(3), until=day(2))
    assert not (tmp_path / "never").exists()


@pytest.mark.slow
def test_url_hub_batches_put_through_nginx_and_read_from_its_listing(
    listing_web: tuple[str, Path],
    published: Path,
    tmp_path: Path,
    sim: Simulation,
    catalog: Catalog,
) -> None:
    url, root = listing_web
    shutil.copyfile(published / "catalog.json", root / "catalog.json")
    assert sim.put_to_url(url) == len(sim.batches)
    assert len(list((root / "inbox").glob("*/*.json"))) == len(sim.batches)

    out = tmp_path / "report"
    summary = build_report(url, out, now=NOW)
    assert summary.hub == url and summary.load.batches_loaded == len(sim.batches)
    check_against_truth(out, sim.truth, catalog)
    check_files(out)

    # the same hub read as a folder gives the very same files
    folder_out = tmp_path / "folder-report"
    build_report(str(root), folder_out, now=NOW)
    folder_files, url_files = report_files(folder_out), report_files(out)
    assert {k: v for k, v in folder_files.items() if k != "index.html"} == {
        k: v for k, v in url_files.items() if k != "index.html"
    }


def test_url_hub_that_does_not_list_its_inbox_is_refused_clearly(
    published: Path, tmp_path: Path
) -> None:
    root = tmp_path / "plain-web"
    root.mkdir()
    shutil.copyfile(published / "catalog.json", root / "catalog.json")
    (root / "inbox" / "some-device").mkdir(parents=True)
    with (
        nginx.serve_folder(root, tmp_path / "nginx") as url,
        pytest.raises(HubNotListableError, match="hub folder itself or a URL whose server"),
    ):
        build_report(url, tmp_path / "out")
    assert not list((tmp_path / "out").glob("*.csv"))


def test_listing_url_without_an_inbox_yet_gives_an_empty_report(
    listing_web: tuple[str, Path], published: Path, tmp_path: Path, catalog: Catalog
) -> None:
    url, root = listing_web
    shutil.copyfile(published / "catalog.json", root / "catalog.json")
    summary = build_report(url, tmp_path / "out", now=NOW)
    assert summary.load.batch_files == 0
    check_against_truth(tmp_path / "out", Truth(), catalog)


@pytest.mark.slow
def test_postgresql_gives_the_same_report_as_sqlite(
    postgres_db: str,  # noqa: F811
    hub: Path,
    tmp_path: Path,
    sim: Simulation,
    catalog: Catalog,
) -> None:
    sim.write_to_folder(hub)
    (hub / "inbox" / "junk").mkdir()
    (hub / "inbox" / "junk" / "broken.json").write_bytes(b"\xff\xfe not utf-8")

    pg_out = tmp_path / "pg"
    summary = build_report(str(hub), pg_out, db_url=postgres_db, now=NOW)
    assert summary.database.startswith("postgresql+psycopg://")
    assert [m.name for m in summary.malformed] == ["inbox/junk/broken.json"]
    assert not (pg_out / "report.db").exists()
    check_against_truth(pg_out, sim.truth, catalog)

    before = report_files(pg_out), row_counts(postgres_db)
    again = build_report(str(hub), pg_out, db_url=postgres_db, now=NOW)
    assert again.load.events_added == 0 and again.load.batches_loaded == 0
    assert (report_files(pg_out), row_counts(postgres_db)) == before

    windowed = build_report(
        str(hub), tmp_path / "pg-window", db_url=postgres_db, since=day(5), until=day(11), now=NOW
    )
    check_against_truth(tmp_path / "pg-window", sim.truth, catalog, day(5), day(11))
    assert windowed.figures.daily and all(
        day(5) <= d.day <= day(11) for d in windowed.figures.daily
    )

    sqlite_out = tmp_path / "sqlite"
    build_report(str(hub), sqlite_out, now=NOW)
    assert report_files(sqlite_out) == report_files(pg_out)


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_anything_a_rep_types_is_stored_and_escaped(
    dialect: str, request: pytest.FixtureRequest, hub: Path, tmp_path: Path
) -> None:
    db = request.getfixturevalue("postgres_db") if dialect == "postgresql" else None
    t = START + timedelta(days=2, hours=9)
    nasty_rep = '<img src=x onerror="alert(1)">'
    events = [
        UsageEvent("00000000-0000-4000-8000-000000000001", "search", t,
                   data={"query": "  <SCRIPT>alert(1)</script>   Pricing ", "results": 0}),
        UsageEvent("00000000-0000-4000-8000-000000000002", "flag", t, "one-pager-1", 1,
                   data={"reason": "other", "note": "=HYPERLINK(\"http://x\",\"click\")"}),
        UsageEvent("00000000-0000-4000-8000-000000000003", "flag", t, "one-pager-1", 1,
                   data={"reason": "outdated", "note": "</td></tr><script>alert(2)</script>"}),
        UsageEvent("00000000-0000-4000-8000-000000000004", "request", t,
                   data={"text": 'x"><script>alert(3)</script>', "account": "@SUM(A1)",
                         "needed_by": "2026-12-01"}),
        UsageEvent("00000000-0000-4000-8000-000000000005", "search", t,
                   data={"query": "NUL\u0000 and \ud800 surrogate", "results": float("nan")}),
        UsageEvent("00000000-0000-4000-8000-000000000006", "open", t, "one-pager-2", 2**70,
                   data={"rank": 2**80, "search_id": None}),
        UsageEvent("00000000-0000-4000-8000-000000000007", "preview", t, "not-in-catalogue", 3),
    ]  # fmt: skip
    device, batch_id = (
        "00000000-0000-4000-8000-0000000000bb",
        "00000000-0000-4000-8000-0000000000aa",
    )
    raw = {
        "format": "satchel-usage/1", "batch_id": batch_id, "device_id": device,
        "rep": nasty_rep, "created_at": stamp(t), "app_version": "0.1.0",
        "events": [_event_json(e) for e in events],
    }  # fmt: skip
    target = hub / "inbox" / device / f"{batch_id}.json"
    target.parent.mkdir(parents=True)
    target.write_bytes(json.dumps(raw).encode("ascii"))  # \u escapes keep NUL and surrogates

    out = tmp_path / "report"
    summary = build_report(str(hub), out, db_url=db, now=NOW)
    assert not summary.malformed and summary.load.events_added == len(events)

    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; pricing" in page
    assert "&lt;/td&gt;&lt;/tr&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page

    _h, searches = read_csv(out / "searches.csv")
    assert {r["query"]: r["zero_result_searches"] for r in searches} == {
        "<script>alert(1)</script> pricing": "1",
        "nul\ufffd and \ufffd surrogate": "0",
    }
    assert normalise("  <SCRIPT>alert(1)</script>   Pricing ") in {r["query"] for r in searches}
    _h, flags = read_csv(out / "flags.csv")
    assert flags[0]["note"] == '\'=HYPERLINK("http://x","click")'  # no formula in Excel
    assert {f["rep"] for f in flags} == {nasty_rep}
    _h, requests = read_csv(out / "requests.csv")
    assert requests[0]["account"] == "'@SUM(A1)" and requests[0]["needed_by"] == "2026-12-01"
    _h, items = read_csv(out / "items.csv")
    by_id = {r["item_id"]: r for r in items}
    assert by_id["not-in-catalogue"]["status"] == "unknown"
    assert (
        by_id["not-in-catalogue"]["version"] == "3" and by_id["not-in-catalogue"]["previews"] == "1"
    )
    by_version = {(r["item_id"], r["version"]): r for r in items}  # one row per item version
    assert by_version[("one-pager-2", "")]["opens"] == "1"  # a version out of range: none
    assert by_version[("one-pager-2", "1")]["opens"] == "0"


def _event_json(e: UsageEvent) -> dict[str, object]:
    return {
        "id": e.id,
        "kind": e.kind,
        "time": stamp(e.time),
        "item_id": e.item_id,
        "version": e.version,
        "sha256": e.sha256,
        "data": e.data,
    }


def test_a_hub_without_usage_still_gets_a_full_report(
    hub: Path, tmp_path: Path, catalog: Catalog
) -> None:
    out = tmp_path / "report"
    summary = build_report(str(hub), out, now=NOW)
    check_files(out)
    check_against_truth(out, Truth(), catalog)
    head = summary.figures.headline
    assert (head.events, head.reps_active, head.items_used) == (0, 0, 0)
    assert head.share_never_used == 1.0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "No usage has been recorded" in page and "100%" in page


def test_bad_hubs_and_databases_fail_with_one_sentence(hub: Path, tmp_path: Path) -> None:
    with pytest.raises(HubUnreachableError, match="not reachable"):
        build_report(str(tmp_path / "no-such-hub"), tmp_path / "out")
    assert not (tmp_path / "out").exists()  # nothing half-done
    (tmp_path / "not-a-hub").mkdir()
    with pytest.raises(SatchelError, match="not a Satchel hub"):
        build_report(str(tmp_path / "not-a-hub"), tmp_path / "out")
    closed = nginx._free_port()
    with pytest.raises(ReportDatabaseError, match="cannot be opened") as err:
        build_report(
            str(hub), tmp_path / "out", db_url=f"postgresql://u:secret@127.0.0.1:{closed}/x"
        )
    assert "secret" not in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(ReportDatabaseError, match="SQLite or PostgreSQL"):
        build_report(str(hub), tmp_path / "out", db_url="mysql://127.0.0.1/x")
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(ReportInputError, match="is a file"):
        build_report(str(hub), tmp_path / "a-file")


@pytest.mark.slow
def test_cli_report_end_to_end(hub: Path, tmp_path: Path, sim: Simulation) -> None:
    sim.write_to_folder(hub)
    out = tmp_path / "cli-report"
    env = {**_clean_env(), "MPLCONFIGDIR": str(tmp_path / "mpl")}
    run = subprocess.run(
        [sys.executable, "main.py", "report", "--hub", str(hub), "--out", str(out),
         "--since", day(0).isoformat(), "--until", day(29).isoformat()],
        cwd=REPO, capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    if "invalid choice: 'report'" in run.stderr:
        pytest.fail("app/cli/main.py does not register report_command yet", pytrace=False)
    assert run.returncode == 0, run.stderr
    assert f"{len(sim.batches):,} new" in run.stdout and "open index.html" in run.stdout
    check_files(out)
    assert (out / "report.db").is_file()

    bad = subprocess.run(
        [sys.executable, "main.py", "report", "--hub", str(hub), "--out", str(out),
         "--since", "31/01/2026"],
        cwd=REPO, capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert bad.returncode != 0
    assert bad.stderr.strip().count("\n") == 0 and "YYYY-MM-DD" in bad.stderr


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}


def test_summary_is_one_paragraph(hub: Path, tmp_path: Path, sim: Simulation) -> None:
    for b in sim.batches[:3]:
        write_batch(hub, b)
    summary: ReportSummary = build_report(str(hub), tmp_path / "out", now=NOW)
    text = summary.text()
    assert "\n" not in text and text.startswith("Read 3 batch file(s)")


def test_cancelled_report_keeps_what_it_read_and_the_next_one_completes(
    hub: Path, tmp_path: Path, sim: Simulation, catalog: Catalog
) -> None:
    from app.core.errors import CancelledError

    sim.write_to_folder(hub)
    out = tmp_path / "report"
    asked = {"n": 0}

    def cancel_after_40() -> bool:
        asked["n"] += 1
        return asked["n"] > 40

    with pytest.raises(CancelledError, match="cancelled"):
        build_report(str(hub), out, cancel=cancel_after_40)
    assert not (out / "items.csv").exists()  # no half report
    assert row_counts(str(out / "report.db"))[0] == 40  # the batches read are kept

    stages: list[str] = []
    summary = build_report(str(hub), out, progress=lambda stage, _d, _t: stages.append(stage))
    assert summary.load.batches_already_loaded == 40
    assert summary.load.batches_loaded == len(sim.batches) - 40
    check_against_truth(out, sim.truth, catalog)
    assert stages[0] == "reading the catalogue" and stages[-1] == "writing files"
    assert "reading usage batches" in stages and "computing figures" in stages


@pytest.mark.parametrize(
    ("ctype", "body"),
    [
        (
            "text/html",  # nginx autoindex
            "<html><head><title>Index of /inbox/</title></head><body><h1>Index of /inbox/</h1>"
            '<hr><pre><a href="../">../</a>\n<a href="dev-1/">dev-1/</a>   22-Nov-2026 10:00  -\n'
            '<a href="a%20b.json">a b.json</a>\n<a href=".hidden.json">.hidden.json</a>\n'
            "</pre><hr></body></html>",
        ),
        (
            "text/html",  # Apache mod_autoindex, absolute links and sort links
            '<html><body><h1>Index of /hub/inbox</h1><a href="?C=N;O=D">Name</a>'
            '<a href="/hub/">Parent Directory</a><a href="/hub/inbox/dev-1/">dev-1/</a>'
            '<a href="a%20b.json">a b.json</a><a href="http://elsewhere/x.json">x</a>'
            '<a href="/hub/inbox/dev-1/nested.json">too deep</a></body></html>',
        ),
        (
            "application/json",  # nginx autoindex_format json
            '[{"name":"dev-1","type":"directory","mtime":"x"},'
            '{"name":"a b.json","type":"file","mtime":"x","size":3}]',
        ),
    ],
)
def test_http_listings_of_common_servers_are_understood(ctype: str, body: str) -> None:
    from app.core.report.sources import HttpSource

    source = HttpSource("http://hub.example/hub/")
    url = "http://hub.example/hub/inbox/"
    assert source._parse_listing(url, body.encode(), ctype) == (["dev-1"], ["a b.json"])
    with pytest.raises(HubNotListableError, match="not a folder listing"):
        source._parse_listing(url, b"<html><body>Welcome to our site</body></html>", "text/html")


def test_expired_items_are_neither_catalogue_nor_unused(tmp_path: Path) -> None:
    """Given the demo hub (27 items, one expired in 2025), the report counts 26 current
    items, and the expired one is not listed as never used: reps cannot see it."""
    from app.core.demo import install_demo
    from app.core.library import Library

    home = tmp_path / "home"
    with Library.open(home) as lib:
        install_demo(lib)
    summary = build_report(str(home / "demo" / "hub"), tmp_path / "out")
    unused = (tmp_path / "out" / "unused.csv").read_text(encoding="utf-8").splitlines()
    assert len(unused) == 1 + 26
    assert not any("promotion" in line.lower() for line in unused[1:])
    assert summary.figures.headline.catalogue_size == 26


def test_a_report_database_of_the_first_schema_is_brought_up_to_date(tmp_path: Path) -> None:
    """A database written before uses carried their search gains the columns and keeps its
    events."""
    import sqlite3

    from sqlalchemy import select as sa_select

    from app.core.report.database import open_report_database
    from app.core.report.schema import SCHEMA_VERSION, ReportMeta, UsageRecord

    db = tmp_path / "report.db"
    open_report_database(f"sqlite:///{db}").dispose()
    with sqlite3.connect(db) as conn:  # make it look like schema 1
        conn.execute("DROP INDEX ix_report_events_search_id")
        conn.execute("ALTER TABLE report_events DROP COLUMN search_id")
        conn.execute("ALTER TABLE report_events DROP COLUMN weak")
        conn.execute("ALTER TABLE report_events DROP COLUMN internal")
        conn.execute("UPDATE report_meta SET value = '1' WHERE key = 'schema_version'")
    engine = open_report_database(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            version = conn.execute(
                sa_select(ReportMeta.value).where(ReportMeta.key == "schema_version")
            ).scalar_one()
            assert int(version) == SCHEMA_VERSION == 3
            columns = (UsageRecord.search_id, UsageRecord.weak, UsageRecord.internal)
            assert conn.execute(sa_select(*columns)).all() == []
    finally:
        engine.dispose()
