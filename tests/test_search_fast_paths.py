"""The search's fast paths give exactly what Whoosh gives when it scores every match.

``_run`` scores OR-of-terms queries (plain words, expanded prefixes) itself, a posting block
at a time; ``_term_positions`` jumps inside posting blocks; ``Library.segments`` keeps
decoded texts. Each is compared here with the slow path on the same index or library.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core.library import Library
from app.core.search import SearchIndex, ranking
from app.core.search.query_compile import filter_query
from app.core.search.schema import micros
from tests.helpers.hubs import publish_folder, sync_home
from tests.test_search import NOW, _synthetic, make_doc

QUERIES = [
    "pricing",
    "budget",
    "pricing discount",
    "vital monitor budget",
    "care hub integration onboarding",
    "pri*",
    "bu*",
    "pricing OR audit",
    "nosuchwordanywhere",
    "title:pricing",  # not an OR: Whoosh's own path
    '"vital monitor"',
    "budget NOT audit",
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    """Several segments, with deleted documents in the first (upserts and deletes)."""
    docs = _synthetic(400, 3, 60, seed=7)
    by_id = {d.id: d for d in docs}
    folder = tmp_path_factory.mktemp("fast-paths")
    with SearchIndex(folder / "ix", lambda doc_id: by_id[doc_id].segments) as ix:
        ix.open_or_rebuild(lambda: iter(docs))
        replaced = [
            make_doc(d.id, f"{d.title} pricing budget", [s.text for s in d.segments])
            for d in docs[10:60]
        ]
        by_id.update({d.id: d for d in replaced})
        ix.upsert(replaced)
        ix.delete([d.id for d in docs[100:130]])
        late = make_doc("late", "Budget pricing sheet", ["budget pricing pricing"])
        by_id["late"] = late
        ix.upsert([late])
        yield ix


def _exhaustive(searcher: Any, parsed: Any, limit: int, filt: Any, mask: Any) -> tuple[Any, int]:
    """Whoosh scoring every match, with no top-N pruning: the reference ranking and count.
    The query's exclusions are in the mask, as the search puts them."""
    parsed, mask = ranking.split_exclusions(parsed, mask)
    results = searcher.search(parsed, limit=None, filter=filt, mask=mask)
    return [(score, docnum) for score, docnum in results.top_n[:limit]], len(results)


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("filters", [None, {"product": "Pulse"}])
@pytest.mark.parametrize("limit", [1, 20])
def test_ranking_and_count_are_whoosh_scoring_every_match(
    index: SearchIndex,
    query: str,
    filters: dict[str, str] | None,
    limit: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without the coordination bonus (Whoosh has none), the fast path is Whoosh's scoring."""
    monkeypatch.setattr(ranking, "COORDINATION", 0.0)
    searcher = index._searcher
    assert not searcher.reader().is_atomic()  # the fixture made several segments
    parsed = index._compiler.parse(searcher, query, prefix_last=False)
    if parsed is None:
        pytest.skip("nothing to run")
    mask = ranking.Q.NumericRange("expires", None, micros(NOW))
    filt = filter_query(filters)
    ranked = ranking.run(searcher, parsed, limit, filt, mask)
    top, total = _exhaustive(searcher, parsed, limit, filt, mask)
    # Same documents, same order, bit-identical scores. (Whoosh's own limited search gets
    # "budget NOT audit" wrong here: its matcher pruning loses the best item, in the last
    # segment, and undercounts.)
    assert ranked.top == top
    assert ranked.total == total == len(ranked)


def test_plain_words_and_prefixes_take_the_fast_path(index: SearchIndex) -> None:
    searcher = index._searcher
    for query in ("pricing", "pricing discount", "pri*", "vital monitor budget"):
        assert ranking.is_term_union(index._compiler.parse(searcher, query, prefix_last=False)), (
            query
        )
    for query in ("title:pricing", '"vital monitor"', "budget NOT audit"):
        assert not ranking.is_term_union(
            index._compiler.parse(searcher, query, prefix_last=False)
        ), query


def test_term_positions_match_a_step_by_step_scan(index: SearchIndex) -> None:
    searcher = index._searcher
    for leaf, _offset in searcher.leaf_searchers():
        reader = leaf.reader()
        docnums = list(range(0, int(reader.doc_count_all()), 7))
        terms = frozenset({"price", "budget", "monitor", "integr", "nosuchterm"})
        expected: dict[int, dict[str, list[int]]] = {}
        for term in terms:
            if ("body", term) not in reader:
                continue
            postings = reader.postings("body", term)
            while postings.is_active():
                if postings.id() in docnums:
                    positions = list(postings.value_as("positions"))
                    expected.setdefault(postings.id(), {})[term] = positions
                postings.next()
        assert expected  # the terms do occur in these documents
        assert ranking.term_positions(reader, docnums, terms) == expected


def test_search_results_are_unchanged_by_the_fast_path(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ranking, "COORDINATION", 0.0)
    fast = [index.search(q, now=NOW) for q in QUERIES]
    monkeypatch.setattr(ranking, "is_term_union", lambda q: False)
    slow = [index.search(q, now=NOW) for q in QUERIES]
    assert fast == slow
    assert any(r.hits for r in fast)


def test_coordination_multiplies_by_the_share_of_words_held(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bonus changes scores, never which items match: each score is the plain BM25F sum
    times 1 + COORDINATION x (idf share of the query's words the item holds)."""
    query = "vital monitor budget"
    bonus = ranking.COORDINATION
    with_bonus = {h.id: h.score for h in index.search(query, limit=500, now=NOW).hits}
    monkeypatch.setattr(ranking, "COORDINATION", 0.0)
    plain = {h.id: h.score for h in index.search(query, limit=500, now=NOW).hits}
    assert set(with_bonus) == set(plain)
    ratios = [with_bonus[i] / plain[i] for i in plain]
    assert all(1.0 < r <= 1.0 + bonus + 1e-9 for r in ratios)
    assert max(ratios) == pytest.approx(1.0 + bonus)  # some item holds all three words


def test_library_text_cache_follows_a_changed_text(tmp_path: Path) -> None:
    from app.core.signing import generate_key, write_key_pair

    src, hub, home, key = tmp_path / "src", tmp_path / "hub", tmp_path / "home", tmp_path / "k"
    src.mkdir()
    (src / "notes.txt").write_text("first edition: quarterly pricing", encoding="utf-8")
    write_key_pair(generate_key(), key)
    pub = Path(f"{key}.pub")
    publish_folder(src, hub, key)
    sync_home(home, hub, pub)
    with Library.open(home) as lib:
        (item,) = lib.items()
        first = lib.segments(item.id)
        assert "first edition" in " ".join(s.text for s in first)
        assert lib.segments(item.id) is first  # decoded once, then kept
        (src / "notes.txt").write_text("second edition: annual pricing", encoding="utf-8")
        publish_folder(src, hub, key)
        sync_home(home, hub, pub)  # another Library object writes the new text
        second = " ".join(s.text for s in lib.segments(item.id))
        assert "second edition" in second and "first edition" not in second
        assert lib.segments("no-such-item") == ()


@pytest.mark.parametrize(
    "query",
    [
        "pricing",
        "pricing discount budget",
        "pri*",
        "(title:pricing OR body:budget) NOT audit",
        "(pricing OR budget) AND monitor",
        '"vital monitor" OR budget',
    ],
)
def test_total_counts_every_match(index: SearchIndex, query: str) -> None:
    """``total`` is every unexpired match, not only those Whoosh's matcher pruning keeps."""
    searcher = index._searcher
    parsed = index._compiler.parse(searcher, query, prefix_last=False)
    mask = ranking.Q.NumericRange("expires", None, micros(NOW))
    masked = set(searcher.docs_for_query(mask))
    expected = len(set(searcher.docs_for_query(parsed)) - masked)
    assert expected > 20  # more matches than one page of hits
    assert ranking.run(searcher, parsed, 20, None, mask).total == expected
    assert index.search(query, now=NOW).total == expected


def test_expiry_mask_is_the_numeric_range_query(index: SearchIndex) -> None:
    """The table of expiry dates gives the documents Whoosh's range query gives."""
    from datetime import timedelta

    searcher = index._searcher
    table = ranking.ExpiryMask()
    for moment in (NOW - timedelta(days=400), NOW - timedelta(days=1), NOW, NOW + timedelta(1)):
        query = ranking.Q.NumericRange("expires", None, micros(moment))
        expected = set(searcher.docs_for_query(query))
        assert table.mask(searcher, micros(moment)) == expected
    assert expected  # some items expired, and the vocabulary documents


def test_posting_blocks_are_protocol_5_and_decode_as_before(index: SearchIndex) -> None:
    """New segments' posting blocks are pickled with protocol 5 (bytes as plain data, no
    call per value); a protocol-2 block of the same data reads the same."""
    import pickle
    import zlib

    from app.core.search.safe_pickle import data_loads

    searcher = index._searcher
    leaf = searcher.leaf_searchers()[0][0].reader()
    matcher = leaf.postings("body", "price")
    matcher = getattr(matcher, "child", matcher)
    raw = matcher._postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
    data = zlib.decompress(raw) if matcher._compression else raw
    assert data[:2] == b"\x80\x05"
    decoded = data_loads(data)
    assert decoded == data_loads(pickle.dumps(decoded, 2))
    assert isinstance(decoded[2][0], bytes)  # the positions of the block's first posting


def test_postings_cache_keeps_within_its_budget(index: SearchIndex) -> None:
    from app.core.search.postings import PostingsCache

    leaf = index._searcher.leaf_searchers()[0][0].reader()
    terms = [t for t in ("price", "budget", "monitor", "integr") if ("body", t) in leaf]
    whole = PostingsCache()
    sizes = {t: whole.get(leaf, "body", t.encode()).nbytes for t in terms}
    small = PostingsCache(budget=max(sizes.values()) + 500)
    for term in terms:
        found = small.get(leaf, "body", term.encode())
        assert found is not None and found.nbytes == sizes[term]
        assert small.size_bytes <= max(sizes.values()) + 500
    assert small.get(leaf, "body", b"nosuchterm") is None
    assert whole.get(leaf, "body", terms[0].encode()) is whole.get(leaf, "body", terms[0].encode())
