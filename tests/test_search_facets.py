"""Live facet counts (app.core.search.facets) against a brute-force count.

The corpus is the benchmark generator's (titles, kinds and tags of ``app/tools/bench``;
short texts drawn from its vocabulary), indexed by the real SearchIndex. The oracle takes the
query's result ids from an unfiltered search and applies the rule in plain Python: within a
facet group the ticked values are OR'd, across groups AND'd, and each group's counts ignore
that group's own ticks.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.extract.types import Segment
from app.core.search import FacetCounts, IndexDoc, SearchIndex
from app.core.search.facets import facet_value as fold
from app.tools.bench.corpus_gen import folder_defaults, item_meta
from app.tools.bench.corpus_gen.vocabulary import N_FUNCTION, VOCAB

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
SIZE = 240
WORDS = list(VOCAB[N_FUNCTION : N_FUNCTION + 60])


def generated_docs(size: int = SIZE, seed: int = 7) -> list[IndexDoc]:
    rng = random.Random(seed)
    docs = []
    defaults: dict[str, dict[str, object] | None] = {}
    for i in range(size):
        meta = item_meta(seed, size, i)
        if meta.folder not in defaults:
            defaults[meta.folder] = folder_defaults(seed, meta.folder)
        own = meta.toml or {}
        tags = dict((defaults[meta.folder] or {}).get("tags", {}))  # type: ignore[call-overload]
        tags.update(own.get("tags", {}))
        if rng.random() < 0.3:  # a few values differing only in case and accents
            tags["region"] = [rng.choice(["DACH", "dach", "Nordics", "Nórdics"])]
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 40)))
        expires = NOW - timedelta(days=1) if rng.random() < 0.05 else None
        docs.append(
            IndexDoc(
                id=f"item-{i:04d}",
                title=meta.doc_title or meta.name.rsplit(".", 1)[0],
                description=str(own.get("description", "")),
                tags={k: list(v) for k, v in tags.items()},
                kind=meta.kind,
                filename=meta.name,
                version=1,
                sha256="0" * 64,
                updated_at=NOW,
                expires_at=expires,
                searchable=True,
                segments=[Segment(1, text)],
                share="internal" if rng.random() < 0.2 else "external",
            )
        )
    return docs


def values_of(doc: IndexDoc, group: str) -> set[str]:
    if group == "type":
        return {doc.kind}
    if group == "share":
        return {doc.share}
    return {fold(v) for k, vs in doc.tags.items() if fold(k) == group for v in vs}


def brute_force(
    docs: Sequence[IndexDoc], matched: set[str], filters: Mapping[str, set[str]]
) -> FacetCounts:
    live = [d for d in docs if d.id in matched]
    groups = {"type", "share"} | {fold(k) for d in docs for k in d.tags}

    def passes(doc: IndexDoc, skip: str | None) -> bool:
        return all(values_of(doc, g) & vs for g, vs in filters.items() if g != skip)

    counts: dict[str, dict[str, int]] = {}
    for group in groups:
        every = {v for d in docs for v in values_of(d, group)}
        counts[group] = dict.fromkeys(every, 0)
        for doc in live:
            if passes(doc, group):
                for value in values_of(doc, group):
                    counts[group][value] += 1
    return FacetCounts(
        groups=counts,
        matching=sum(passes(d, None) for d in live),
        unfiltered=len(live),
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[SearchIndex, list[IndexDoc]]:
    docs = generated_docs()
    texts = {d.id: d.segments for d in docs}
    index = SearchIndex(tmp_path_factory.mktemp("facets") / "index", lambda i: texts.get(i, ()))
    index.open_or_rebuild(lambda: iter(docs))
    # a second write: two segments, and a deleted document that must count nowhere
    index.upsert(docs[:20])
    index.delete([docs[-1].id])
    yield index, docs[:-1]
    index.close()


def matched_ids(index: SearchIndex, query: str) -> set[str]:
    results = index.search(query, limit=10_000, now=NOW, correct=False)
    return {h.id for h in results.hits}


def folded(filters: Mapping[str, Sequence[str]]) -> dict[str, set[str]]:
    return {("type" if k == "kind" else k): {fold(v) for v in vs} for k, vs in filters.items()}


def counts_of(index: SearchIndex, query: str, **options) -> FacetCounts:
    if not query.strip():
        return index.facet_counts(now=NOW, **options)
    results = index.search(query, now=NOW, correct=False, facets=True, **options)
    assert results.facets is not None
    return results.facets


def check(index: SearchIndex, docs: list[IndexDoc], query: str, filters: dict[str, list[str]]):
    got = counts_of(index, query, filters=filters)
    live = {d.id for d in docs if d.expires_at is None}
    matched = matched_ids(index, query) if query.strip() else live
    want = brute_force(docs, matched, folded(filters))
    assert got.unfiltered == want.unfiltered
    assert got.matching == want.matching
    assert {g: dict(v) for g, v in got.groups.items()} == want.groups, (query, filters)
    return got


def test_counts_match_a_brute_force_count(corpus) -> None:
    """Given 240 generated items (one deleted, a few expired), when facets are counted for
    queries with and without ticked values, then every count equals the brute force."""
    index, docs = corpus
    rng = random.Random(3)
    regions = sorted({v for d in docs for v in values_of(d, "region")})
    stages = sorted({v for d in docs for v in values_of(d, "stage")})
    queries = ["", *rng.sample(WORDS, 6), f"{WORDS[0]} {WORDS[5]}", f"{WORDS[1]} -{WORDS[2]}"]
    for query in queries:
        check(index, docs, query, {})
        check(index, docs, query, {"type": ["pptx"]})
        check(index, docs, query, {"type": ["pdf", "docx"], "region": rng.sample(regions, 2)})
        check(index, docs, query, {"kind": ["xlsx"], "stage": [rng.choice(stages)]})
        check(index, docs, query, {"share": ["internal"], "region": rng.sample(regions, 1)})


def test_a_ticked_group_keeps_its_own_counts_and_narrows_the_others(corpus) -> None:
    index, docs = corpus
    plain = index.facet_counts(now=NOW)
    ticked = index.facet_counts(filters={"type": ["pptx"]}, now=NOW)
    assert ticked.groups["type"] == plain.groups["type"]
    assert ticked.matching == plain.groups["type"]["pptx"] < plain.unfiltered
    assert ticked.hidden == plain.unfiltered - ticked.matching
    assert sum(ticked.groups["stage"].values()) <= ticked.matching * 2
    assert all(
        ticked.groups["region"][v] <= plain.groups["region"][v] for v in plain.groups["region"]
    )


def test_search_carries_the_counts_of_the_results_it_shows(corpus) -> None:
    """The hits' total and the facets' matching count agree; a corrected query counts the
    correction's results."""
    index, docs = corpus
    word = WORDS[4]
    results = index.search(word, filters={"type": ["pdf"]}, now=NOW, facets=True)
    assert results.facets is not None
    assert results.facets.matching == results.total
    assert results.facets.groups["type"]["pdf"] == results.total
    typo = word[:2] + word[3:] if len(word) > 5 else word + "x"
    fixed = index.search(typo, now=NOW, facets=True)
    if fixed.corrected:
        assert fixed.facets is not None and fixed.facets.matching == fixed.total
    assert index.search(word, now=NOW).facets is None  # only when asked


def test_counts_within_a_scope(corpus) -> None:
    index, docs = corpus
    scope = [d.id for d in docs[::3]] + ["no-such-item"]
    got = index.facet_counts(now=NOW, within=scope)
    live = {d.id for d in docs if d.expires_at is None} & set(scope)
    want = brute_force(docs, live, {})
    assert got.unfiltered == len(live)
    assert {g: dict(v) for g, v in got.groups.items()} == want.groups


def test_facets_cost_a_few_milliseconds(corpus, tmp_path: Path) -> None:
    """Counting is bit arithmetic on the documents the ranking already found: a search with
    facets costs well under 10 ms more than one without (here, 240 items)."""
    import time

    index, _docs = corpus
    index.facet_counts(now=NOW)  # the table, once per index generation
    filters = {"type": ["pdf"], "stage": ["Proposal"]}
    plain = counted = 0.0
    for word in WORDS[:20]:
        started = time.perf_counter()
        index.search(word, filters=filters, now=NOW)
        plain += time.perf_counter() - started
        started = time.perf_counter()
        index.search(word, filters=filters, now=NOW, facets=True)
        counted += time.perf_counter() - started
    assert (counted - plain) / 20 < 0.01


def test_a_mask_may_be_a_query_or_document_numbers(corpus) -> None:
    """The counter takes the search's expiry mask in either form (a range query, or the set
    of masked document numbers) and counts the same."""
    import whoosh.query as Q

    from app.core.search.facets import FacetCounter
    from app.core.search.schema import micros

    index, _docs = corpus
    searcher = index._require_searcher()
    mask = Q.NumericRange("expires", None, micros(NOW))
    as_set = set(searcher.docs_for_query(mask))
    counter = FacetCounter()
    by_query = counter.count(searcher, None, mask=mask, filters=None)
    by_set = counter.count(searcher, None, mask=as_set, filters=None)
    assert by_query == by_set and by_query.unfiltered == index.facet_counts(now=NOW).unfiltered
