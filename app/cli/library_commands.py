"""items, search and open: everything a rep does offline."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.errors import ConfigError, SatchelError
from app.core.library import Library
from app.core.models import Item
from app.core.opener import open_native
from app.core.timeutil import iso
from app.core.usage.journal import Journal

if TYPE_CHECKING:  # the search package (and Whoosh) loads only for a search
    from app.core.search import FacetCounts, SearchResults

FILTER_FIELDS = (
    "type", "kind", "product", "segment", "stage", "persona", "region", "tag", "share",
)  # fmt: skip


def register(sub: Any) -> None:
    p = sub.add_parser("items", help="the local library's current items")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(handler=cmd_items)

    p = sub.add_parser("search", help="full-text search of the local library")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--json", action="store_true", help="print a JSON array, best first")
    p.add_argument("--limit", type=int, default=10, metavar="N")
    p.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help=f"narrow by {', '.join(FILTER_FIELDS)} (repeatable)",
    )
    p.add_argument(
        "--as-typed",
        action="store_true",
        help="do not replace misspelled words when the query finds nothing",
    )
    p.add_argument(
        "--facets",
        action="store_true",
        help="also count the results per type and tag value (with --json: an object, not an "
        "array: results, total, facets, hidden_by_filters)",
    )
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("open", help="open an item in its native program")
    p.add_argument("id", metavar="ID")
    p.add_argument("--print-path", action="store_true", help="print the local path instead")
    p.set_defaults(handler=cmd_open)


def item_json(lib: Library, item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "title": item.title,
        "version": item.version,
        "sha256": item.sha256,
        "status": item.status,
        "tags": item.tags,
        "updated_at": iso(item.updated_at),
        "expires_at": iso(item.expires_at),
        "published_at": iso(item.published_at),
        "kind": item.kind,
        "filename": item.filename,
        "size": item.size,
        "description": item.description,
        "owner": item.owner,
        "pages": item.page_count,
        "searchable": item.searchable,
        "unsearchable_reason": item.unsearchable_reason,
        "path": str(lib.file_path(item)),
        "share": item.share,
        "preview": None if (pdf := lib.rendition_path(item)) is None else str(pdf),
    }


def _replies_by_item(lib: Library) -> dict[str, list[dict[str, Any]]]:
    """Marketing's replies shown on items: to flags on them, and requests they answer."""
    from app.core.replies import kept_replies

    out: dict[str, list[dict[str, Any]]] = {}
    for kept in kept_replies(lib):
        r = kept.reply
        row = {
            "id": r.id,
            "kind": r.kind,
            "status": r.status,
            "note": r.note,
            "answered_at": iso(r.answered_at),
            "own": kept.own,
            "answer_item": r.answer_item,
            "sentence": kept.sentence(),
        }
        for item_id in dict.fromkeys(x for x in (r.item_id, r.answer_item) if x):
            out.setdefault(item_id, []).append(row)
    return out


def cmd_items(args: argparse.Namespace, home: Path) -> int:
    with Library.open(home) as lib:
        items = lib.items()
        answers = _replies_by_item(lib)
        if args.json:
            rows = [{**item_json(lib, i), "replies": answers.get(i.id, [])} for i in items]
            print(json.dumps(rows, ensure_ascii=False, indent=1))
            return 0
        if not items:
            print("The library is empty; run `sync --hub HUB --trust KEY.pub` first.")
        for i in items:
            flag = "" if i.searchable else "  [not searchable]"
            print(f"{i.id:40}  v{i.version:<3} {i.kind:5} {i.title}{flag}")
            for reply in answers.get(i.id, []):
                print(f"{'':40}  {reply['sentence']}")
    return 0


def parse_filters(specs: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for spec in specs:
        name, sep, value = spec.partition("=")
        name = name.strip().lower()
        if not sep or not value.strip():
            raise ConfigError(f"Filter {spec!r} must look like FIELD=VALUE.")
        if name not in FILTER_FIELDS:
            raise ConfigError(f"Unknown filter field {name!r} (use {', '.join(FILTER_FIELDS)}).")
        out.setdefault("kind" if name == "type" else name, []).append(value.strip())
    return out


def cmd_search(args: argparse.Namespace, home: Path) -> int:
    if args.limit < 1:
        raise ConfigError("--limit must be at least 1.")
    filters = parse_filters(args.filter)

    def rebuilt(items: int) -> None:
        print(
            f"The search index was damaged; rebuilt it from the library ({items:,} "
            f"item{'' if items == 1 else 's'}).",
            file=sys.stderr,
            flush=True,
        )

    with Library.open(home) as lib:
        results = lib.search(
            args.query,
            limit=args.limit,
            filters=filters,
            correct=not args.as_typed,
            facets=args.facets,
            on_rebuilt=rebuilt,
        )
        Journal(lib).search(
            args.query,
            results.total,
            [h.id for h in results.hits],
            weak=results.weak,
            corrected=results.corrected,
        )
        paths = {h.id: str(lib.file_path(lib.item(h.id))) for h in results.hits}
        names = facet_names(lib.items()) if results.facets is not None else {}
    if results.corrected:
        print(
            f'Showing results for "{results.corrected}". Search instead for '
            f'"{args.query}" with --as-typed.',
            file=sys.stderr,
        )
    elif results.suggestion and results.hits:
        print(f'Did you mean "{results.suggestion}"?', file=sys.stderr)
    facets = None
    if results.facets is not None:
        facets = facets_json(results.facets, names, filters)
    if args.json:
        print_json(results, paths, facets)
    else:
        print_text(args.query, results, facets)
    return 0


def print_json(
    results: SearchResults, paths: Mapping[str, str], facets: dict[str, dict[str, int]] | None
) -> None:
    """The JSON array of hits; with facets, an object holding it (README, "Facets")."""
    from app.core.search.types import snippet_plain  # Whoosh: only to search

    rows = [
        {
            "id": h.id,
            "title": h.title,
            "version": h.version,
            "score": round(h.score, 4),
            "snippet": snippet_plain(h.snippet),
            "location": h.location,
            "kind": h.kind,
            "path": paths.get(h.id),
            # the corrected query these results are for (null: the query as typed)
            "corrected": results.corrected,
        }
        for h in results.hits
    ]
    if results.facets is None or facets is None:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    document = {
        "results": rows,
        "total": results.total,
        "facets": facets,
        "hidden_by_filters": results.facets.hidden,
    }
    print(json.dumps(document, ensure_ascii=False, indent=1))


def print_text(
    query: str, results: SearchResults, facets: dict[str, dict[str, int]] | None
) -> None:
    from app.core.search.types import location_label, snippet_plain  # Whoosh: only to search

    hidden = results.facets.hidden if results.facets is not None else 0
    if not results.hits:
        hint = f' Did you mean "{results.suggestion}"?' if results.suggestion else ""
        print(f"No results for {query!r}.{hint}")
    for n, h in enumerate(results.hits, 1):
        where = "" if h.location is None else f" ({location_label(h.kind, h.location)})"
        print(f"{n:2}. {h.title}{where}  [{h.id} v{h.version}]")
        if h.snippet:
            print(f"    {snippet_plain(h.snippet)}")
    if facets and results.hits:
        print()
        for group, values in facets.items():
            print(f"{group}: " + ", ".join(f"{value} {count}" for value, count in values.items()))
    if hidden:
        more = "more " if results.hits else ""
        print(f"{hidden} {more}result(s) hidden by the filters.")


def facet_names(items: Sequence[Item]) -> dict[str, dict[str, str]]:
    """group → folded value → the value as marketing spelled it (the first met)."""
    from app.core.search.facets import facet_group, facet_value

    names: dict[str, dict[str, str]] = {"type": {}, "share": {}}
    for item in items:
        names["type"].setdefault(facet_value(item.kind), item.kind)
        names["share"].setdefault(facet_value(item.share), item.share)
        for kind, values in (item.tags or {}).items():
            group = names.setdefault(facet_group(str(kind)), {})
            for value in [values] if isinstance(values, str) else values:
                group.setdefault(facet_value(str(value)), str(value))
    return names


def facets_json(
    counts: FacetCounts, names: Mapping[str, Mapping[str, str]], filters: Mapping[str, list[str]]
) -> dict[str, dict[str, int]]:
    """Each group's values with their counts, most first; a zero only for a filtered value."""
    from app.core.search.facets import facet_group, facet_value

    chosen = {(facet_group(k), facet_value(v)) for k, vs in filters.items() for v in vs}
    out: dict[str, dict[str, int]] = {}
    for group, values in sorted(counts.groups.items()):
        shown = {
            names.get(group, {}).get(value, value): count
            for value, count in sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
            if count or (group, value) in chosen
        }
        if shown:
            out[group] = shown
    return out


def cmd_open(args: argparse.Namespace, home: Path) -> int:
    """Open an item; recorded only once it opened (printing its path is not an open)."""
    with Library.open(home) as lib:
        item = lib.item(args.id)
        path = lib.verified_path(item)
        if args.print_path:
            print(path)
            return 0
        journal = Journal(lib)
        try:
            open_native(path)
        except SatchelError as exc:
            journal.record("failed", item=item, data={"action": "open", "reason": str(exc)})
            raise
        journal.record("open", item=item, data={"how": "cli"})
        print(f"Opened {item.title} ({path.name}).")
    return 0
