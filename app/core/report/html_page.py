"""index.html: one self-contained page a marketer can read without help.

Every string that came from a batch, the catalogue or the hub is escaped with
:func:`html.escape`, and the page forbids scripts outright (Content-Security-Policy), so
nothing a rep types can run in marketing's browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from app.core.report.charts import CHART_FILES
from app.core.report.csv_files import audience_rows
from app.core.report.figures import ReportFigures
from app.core.timeutil import to_utc

TOP_ROWS = 20
MAX_MALFORMED_LISTED = 50
ITEM_HEADERS = (
    "Item", "Version", "Opens", "Previews", "Sends", "Copies", "Reps", "Last used", "Flags",
    "Status",
)  # fmt: skip

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
 margin:0;background:#f6f7f9;color:#1d2330;line-height:1.45}
main{max-width:1080px;margin:0 auto;padding:24px}
h1{font-size:1.7em;margin:0 0 4px} h2{margin-top:40px;border-bottom:2px solid #dde2ea;
 padding-bottom:4px} .sub{color:#5b6577;margin:0 0 20px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:12px}
.card{background:#fff;border-radius:8px;padding:14px 16px;box-shadow:0 1px 2px #0002}
.card .n{font-size:1.8em;font-weight:650} .card .l{color:#5b6577;font-size:.9em}
.caption{color:#3d4656;max-width:860px} img{max-width:100%;background:#fff;border-radius:8px;
 box-shadow:0 1px 2px #0002;margin:8px 0}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.92em;margin:8px 0;
 box-shadow:0 1px 2px #0002} th,td{padding:6px 8px;border-bottom:1px solid #e7eaf0;
 text-align:left;vertical-align:top;overflow-wrap:anywhere} th{background:#eef1f6}
td.num,th.num{text-align:right;white-space:nowrap} .muted{color:#7a8496}
a{color:#1f5fbf} .note{font-size:.9em;color:#5b6577}
"""


@dataclass(frozen=True, slots=True)
class PageNotes:
    """What the page says about where the numbers come from."""

    hub: str
    generated_at: datetime
    batches_in_database: int = 0
    events_in_database: int = 0
    malformed: Sequence[tuple[str, str]] = field(default_factory=tuple)  # name, reason


def _e(value: object) -> str:
    return "" if value is None else escape(str(value), quote=True)


def _when(value: datetime | None) -> str:
    return "" if value is None else to_utc(value).strftime("%Y-%m-%d %H:%M UTC")


def _n(value: int) -> str:
    return f"{value:,}"


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], numeric: Sequence[int] = ()
) -> str:
    if not rows:
        return '<p class="muted">Nothing in this period.</p>'
    head = "".join(
        f'<th class="num">{_e(h)}</th>' if n in numeric else f"<th>{_e(h)}</th>"
        for n, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{_e(c)}</td>' if n in numeric else f"<td>{_e(c)}</td>"
            for n, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _more(total: int, shown: int, csv_name: str, what: str) -> str:
    link = f'<a href="{_e(csv_name)}">{_e(csv_name)}</a>'
    if total > shown:
        return f'<p class="note">Showing {shown} of {_n(total)} {what}; all are in {link}.</p>'
    return f'<p class="note">Download: {link} (opens in any spreadsheet).</p>'


def _chart(name: str, alt: str) -> str:
    return f'<img src="{_e(CHART_FILES[name])}" alt="{_e(alt)}">'


# complexity: one section per figure of the page
def render_page(figures: ReportFigures, notes: PageNotes) -> str:
    h = figures.headline
    cards = [
        (_n(h.reps_active), "reps active"),
        (f"{_n(h.items_used)} / {_n(h.catalogue_size)}", "current items used"),
        (f"{h.share_never_used:.0%}", "of the catalogue never used"),
        (_n(h.zero_result_searches), "searches that found nothing"),
        (_n(h.flags), "items flagged"),
        (_n(h.requests), "requests for new material"),
    ]
    if h.internal_out:  # only when reps sent or copied internal material out
        cards.append((_n(h.internal_out), "internal items sent or copied out"))
    card_html = "".join(
        f'<div class="card"><div class="n">{_e(n)}</div><div class="l">{_e(label)}</div></div>'
        for n, label in cards
    )
    period = figures.window.describe()
    span = (
        f" Recorded usage runs from {_e(_when(h.first_event))} to {_e(_when(h.last_event))}."
        if h.first_event
        else " No usage has been recorded in this period yet."
    )

    items = figures.items[:TOP_ROWS]
    item_rows = [
        (
            i.title or i.item_id,
            i.version,
            i.opens,
            i.previews,
            i.sends,
            i.copies,
            i.unique_reps,
            _when(i.last_used) or "never",
            i.flags,
            "" if i.status == "current" else i.status,
        )
        for i in items
    ]
    unused_rows = [
        (u.title or u.item_id, u.version, _when(u.published_at)) for u in figures.unused[:TOP_ROWS]
    ]
    search_rows = [
        (
            s.query,
            s.searches,
            s.zero_result_searches,
            s.weak_result_searches,
            s.searches_without_open,
        )
        for s in figures.searches[:TOP_ROWS]
    ]
    misses = figures.zero_result_queries()
    miss_rows = [(s.query, s.zero_result_searches, s.searches) for s in misses[:TOP_ROWS]]
    flags = list(reversed(figures.flags))[:TOP_ROWS]
    flag_rows = [
        (_when(f.time), f.title or f.item_id or "", f.version, f.reason, f.note, f.rep)
        for f in flags
    ]
    requests = list(reversed(figures.requests))[:TOP_ROWS]
    request_rows = [(_when(r.time), r.text, r.account, r.needed_by, r.rep) for r in requests]
    items_table = _table(ITEM_HEADERS, item_rows, numeric=(1, 2, 3, 4, 5, 6, 8))
    by_audience = ""
    if figures.audiences:  # only when marketing aims items at audiences
        by_audience = f"""<h2>Use by audience</h2>
<p class="caption">Marketing aims some items at audiences (such as a region or a role); each
row adds up the use of the items aimed at one audience, <i>(everyone)</i> those aimed at no one
in particular. An item aimed at two audiences counts in both rows. See audiences.csv.</p>
{_table(
    ("Audience", "Items", "Items used", "Opens", "Previews", "Sends", "Copies", "Flags"),
    audience_rows(figures),
    numeric=(1, 2, 3, 4, 5, 6, 7),
)}
"""
    malformed = ""
    if notes.malformed:
        listed = "".join(
            f"<li><code>{_e(name)}</code>: {_e(reason)}</li>"
            for name, reason in notes.malformed[:MAX_MALFORMED_LISTED]
        )
        if len(notes.malformed) > MAX_MALFORMED_LISTED:
            listed += f"<li>and {len(notes.malformed) - MAX_MALFORMED_LISTED:,} more</li>"
        malformed = (
            f"<p>{len(notes.malformed)} batch file(s) in the hub's inbox could not be read and "
            f"were skipped (the rest of the report is complete):</p><ul>{listed}</ul>"
        )

    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Satchel usage report</title>
<style>{CSS}</style>
</head>
<body><main>
<h1>How reps use the collateral</h1>
<p class="sub">Satchel usage report, {_e(period)}. Made {_e(_when(notes.generated_at))}.{span}</p>
<div class="cards">{card_html}</div>

<h2>What reps use most</h2>
<p class="caption">Each row is one item. <b>Opens</b> count how often reps opened the file in
its own program, <b>previews</b> how often they looked at it inside Satchel, <b>sends</b> how
often they mailed it to a prospect and <b>copies</b> how often they copied or dragged it
elsewhere. <b>Reps</b> is how many different reps used it at all. Items marked
<i>withdrawn</i> are no longer offered but were still used in this period.</p>
{_chart("top_items", "Bar chart of the most used items")}
{items_table}
{_more(len(figures.items), len(items), "items.csv", "items")}

{by_audience}
<h2>Use over time</h2>
<p class="caption">How many things reps did each day (UTC), split by kind: opening, previewing,
sending and copying items, searching, flagging and requesting. Gaps usually mean reps were
offline; their apps upload what they recorded at the next sync.</p>
{_chart("usage_over_time", "Stacked bar chart of events per day")}

<h2>Never used</h2>
<p class="caption">{_n(h.items_never_used)} of the {_n(h.catalogue_size)} current items
({h.share_never_used:.0%}) were not opened, previewed, sent or copied by any rep in this
period. They may be hard to find, out of date, or simply not needed: consider improving their
titles and tags, or withdrawing them. Oldest first.</p>
{_chart("catalogue_use", "Pie chart of used and never used items")}
{_table(("Item", "Version", "Published"), unused_rows, numeric=(1,))}
{_more(len(figures.unused), len(unused_rows), "unused.csv", "never-used items")}

<h2>What reps searched for</h2>
<p class="caption">Searches are grouped regardless of capital letters and extra spaces.
<b>Found nothing</b> counts the searches that returned no result: material reps looked for
and could not find in Satchel. These are the best hints for what to create next.
<b>Weak best hit</b> counts searches whose best result held fewer than half of the words
searched for, and <b>Nothing opened after</b> those after which the rep opened, previewed,
sent or copied none of the results.</p>
{_chart("zero_result_searches", "Bar chart of searches that found nothing")}
<h3>Searches that found nothing</h3>
{_table(("Search", "Found nothing", "Searched in all"), miss_rows, numeric=(1, 2))}
<h3>Most frequent searches</h3>
{_table(
    ("Search", "Searches", "Found nothing", "Weak best hit", "Nothing opened after"),
    search_rows,
    numeric=(1, 2, 3, 4),
)}
{_more(len(figures.searches), len(search_rows), "searches.csv", "searches")}

<h2>Flagged items</h2>
<p class="caption">Reps flag an item when it looks outdated, wrong or otherwise unfit, with a
note in their own words. Newest first.</p>
{_table(("When", "Item", "Version", "Reason", "Note", "Rep"), flag_rows, numeric=(2,))}
{_more(len(figures.flags), len(flag_rows), "flags.csv", "flags")}

<h2>Requests for missing material</h2>
<p class="caption">What reps asked marketing to create, in their own words, with the account
it is for and when they need it, if they said. Newest first.</p>
{_table(("When", "Request", "Account", "Needed by", "Rep"), request_rows)}
{_more(len(figures.requests), len(request_rows), "requests.csv", "requests")}

<h2>About this report</h2>
<p class="note">Hub: <code>{_e(notes.hub)}</code>. The report database holds
{_n(notes.events_in_database)} event(s) from {_n(notes.batches_in_database)} uploaded batch(es).
Each event is counted once, however often a rep's app uploaded it. Times are UTC.</p>
{malformed}
</main></body>
</html>
"""
