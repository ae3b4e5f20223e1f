"""app.core.search: real Whoosh indexes in tmp_path."""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import statistics
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.extract.types import Segment
from app.core.search import (
    SCHEMA_VERSION,
    IndexDoc,
    SearchIndex,
    SearchResults,
    snippet_parts,
    snippet_plain,
)

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def make_doc(
    doc_id: str,
    title: str,
    pages: Sequence[str] = (),
    *,
    description: str = "",
    tags: dict[str, list[str]] | None = None,
    kind: str = "pdf",
    filename: str | None = None,
    version: int = 1,
    expires_at: datetime | None = None,
    paged: bool = True,
    searchable: bool = True,
) -> IndexDoc:
    return IndexDoc(
        id=doc_id,
        title=title,
        description=description,
        tags=tags or {},
        kind=kind,
        filename=filename or f"{title}.{kind}",
        version=version,
        sha256="0" * 64,
        updated_at=NOW,
        expires_at=expires_at,
        searchable=searchable,
        segments=[Segment(i + 1 if paged else None, text) for i, text in enumerate(pages)],
    )


class Library:
    """The catalogue the index is a cache of: docs by id, and the text loader."""

    def __init__(self, docs: Sequence[IndexDoc] = ()) -> None:
        self.docs = {d.id: d for d in docs}
        self.loads: list[str] = []

    def all_docs(self) -> Iterator[IndexDoc]:
        return iter(list(self.docs.values()))

    def text(self, doc_id: str) -> Sequence[Segment]:
        self.loads.append(doc_id)
        doc = self.docs.get(doc_id)
        return doc.segments if doc else ()

    def put(self, *docs: IndexDoc) -> None:
        for d in docs:
            self.docs[d.id] = d


BASIC = [
    make_doc(
        "pricing",
        "Pricing guide 2025",
        [
            "Introduction to the programme and the team.",
            "The Vital Monitor is priced per bed, with a discount for networks.",
            "Contact your partner manager.",
        ],
        description="How the Vital Monitor is priced",
        tags={"product": ["Vital Monitor"], "region": ["EMEA"], "stage": ["Negotiation"]},
    ),
    make_doc(
        "security",
        "Security whitepaper",
        ["Encryption at rest and in transit.", "Compliance for hospitals and clinics."],
        description="Encryption and compliance",
        tags={"product": ["Care Hub"], "region": ["NA"], "persona": ["CIO"]},
        kind="docx",
        paged=False,
    ),
    make_doc(
        "onboarding",
        "Onboarding deck",
        ["A quick onboarding for the brown field team.", "Brown bag sessions, quick wins."],
        description="Slides for the first week",
        tags={"product": ["Vital Monitor"], "region": ["NA"], "segment": ["Mid-Market"]},
        kind="pptx",
    ),
    make_doc(
        "cafe",
        "Café résumé",
        ["Le café est servi. The quick brown fox jumps over the lazy dog."],
        description="Accents everywhere",
        tags={"product": ["Pulse Cloud"], "region": ["Région Île-de-France"]},
        kind="text",
        paged=False,
    ),
]


@pytest.fixture
def library() -> Library:
    return Library(BASIC)


@pytest.fixture
def index(tmp_path: Path, library: Library) -> Iterator[SearchIndex]:
    with SearchIndex(tmp_path / "index", library.text, lock_timeout=0.05) as ix:
        assert ix.open_or_rebuild(library.all_docs) is True
        yield ix


def ids(results: SearchResults) -> list[str]:
    return [h.id for h in results.hits]


# ------------------------------------------------------------------ query language


def test_stemming_pricing_finds_priced(index: SearchIndex) -> None:
    results = index.search("pricing", now=NOW)
    assert ids(results)[0] == "pricing"
    results = index.search("prices", now=NOW)
    assert "pricing" in ids(results)


def test_case_and_accents_do_not_matter(index: SearchIndex) -> None:
    assert ids(index.search("CAFE RESUME", now=NOW))[0] == "cafe"
    assert ids(index.search("café", now=NOW)) == ["cafe"]
    assert ids(index.search('region:"region ile de france"', now=NOW)) == ["cafe"]


def test_phrase_needs_adjacent_words(index: SearchIndex) -> None:
    # "brown" and "quick" are in both; only cafe has the phrase "quick brown".
    assert ids(index.search('"quick brown"', now=NOW)) == ["cafe"]
    assert set(ids(index.search("quick brown", now=NOW))) == {"cafe", "onboarding"}


def test_plain_words_match_any_and_rank_by_how_many_match(index: SearchIndex) -> None:
    results = index.search("encryption onboarding", now=NOW)
    assert set(ids(results)) == {"security", "onboarding"}
    results = index.search("quick brown fox", now=NOW)
    assert ids(results)[0] == "cafe"  # all three words
    assert "onboarding" in ids(results)  # two of them


def test_or_means_any(index: SearchIndex) -> None:
    results = index.search("encryption OR onboarding OR café", now=NOW)
    assert set(ids(results)) == {"security", "onboarding", "cafe"}
    assert results.total == 3


def test_not_and_minus_exclude(index: SearchIndex) -> None:
    assert ids(index.search("quick NOT onboarding", now=NOW)) == ["cafe"]
    assert ids(index.search("quick -onboarding", now=NOW)) == ["cafe"]
    assert ids(index.search("brown AND NOT fox", now=NOW)) == ["onboarding"]
    everything_else = set(ids(index.search("NOT encryption", now=NOW)))
    assert everything_else == {"pricing", "onboarding", "cafe"}
    # A hyphen inside a word is not a NOT.
    assert ids(index.search("mid-market", now=NOW)) == ["onboarding"]


def test_prefix(index: SearchIndex) -> None:
    assert ids(index.search("onboard*", now=NOW)) == ["onboarding"]
    assert ids(index.search("encryp*", now=NOW)) == ["security"]
    # A prefix of a surface word whose stem differs ("pricin" → pricing → price).
    assert ids(index.search("pricin*", now=NOW))[0] == "pricing"


def test_prefix_last_for_search_as_you_type(index: SearchIndex) -> None:
    assert index.search("compli", now=NOW).total == 0
    assert ids(index.search("compli", now=NOW, prefix_last=True)) == ["security"]
    assert ids(index.search("vital pricin", now=NOW, prefix_last=True))[0] == "pricing"
    # A trailing space means the word is finished.
    assert index.search("compli ", now=NOW, prefix_last=True).total == 0


def test_field_queries(index: SearchIndex) -> None:
    assert set(ids(index.search('product:"Vital Monitor"', now=NOW))) == {
        "pricing",
        "onboarding",
    }
    assert ids(index.search("type:pptx", now=NOW)) == ["onboarding"]
    assert ids(index.search("kind:DOCX", now=NOW)) == ["security"]
    assert ids(index.search("title:whitepaper", now=NOW)) == ["security"]
    assert ids(index.search("persona:cio", now=NOW)) == ["security"]
    assert set(ids(index.search("tag:emea OR tag:cio", now=NOW))) == {"pricing", "security"}
    assert ids(index.search("filename:deck", now=NOW)) == ["onboarding"]
    # Tags are also found by plain words.
    assert ids(index.search("negotiation", now=NOW)) == ["pricing"]


def test_title_ranks_above_body(tmp_path: Path) -> None:
    lib = Library(
        [
            make_doc("body", "Quarterly notes", ["We discuss the roadmap here. " * 3]),
            make_doc("title", "Roadmap", ["Plans for the coming year and more. " * 3]),
        ]
    )
    with SearchIndex(tmp_path / "ix", lib.text) as ix:
        ix.open_or_rebuild(lib.all_docs)
        assert ids(ix.search("roadmap", now=NOW)) == ["title", "body"]


def test_filters_and_across_fields_or_within(index: SearchIndex) -> None:
    r = index.search("", filters={"product": "Vital Monitor"}, now=NOW)
    assert ids(r) == ["onboarding", "pricing"]  # empty query: every match, by title
    r = index.search("", filters={"product": ["vital monitor", "CARE HUB"]}, now=NOW)
    assert ids(r) == ["onboarding", "pricing", "security"]
    r = index.search("", filters={"product": "Vital Monitor", "region": "na"}, now=NOW)
    assert ids(r) == ["onboarding"]
    r = index.search("quick", filters={"type": ["text", "pdf"]}, now=NOW)
    assert ids(r) == ["cafe"]
    r = index.search("", filters={"region": "Région Île-de-France"}, now=NOW)
    assert ids(r) == ["cafe"]
    assert index.search("", filters={"region": "Mars"}, now=NOW).total == 0
    # An empty list does not constrain.
    assert index.search("", filters={"region": []}, now=NOW).total == 4


def test_expired_items_are_masked_without_breaking_limit(tmp_path: Path) -> None:
    docs = [
        make_doc(f"old{i}", f"Old pricing {i}", ["pricing pricing pricing"], expires_at=NOW)
        for i in range(5)
    ] + [
        make_doc(f"new{i}", f"Note {i}", ["pricing"], expires_at=NOW + timedelta(seconds=1))
        for i in range(3)
    ]
    lib = Library(docs)
    with SearchIndex(tmp_path / "ix", lib.text) as ix:
        ix.open_or_rebuild(lib.all_docs)
        r = ix.search("pricing", limit=2, now=NOW)
        assert len(r.hits) == 2 and all(h.id.startswith("new") for h in r.hits)
        assert r.total == 3
        assert ix.search("pricing", now=NOW - timedelta(seconds=1)).total == 8
        assert ix.search("", now=NOW).total == 3
        assert ix.search("pricing", now=NOW + timedelta(days=1)).total == 0


# ---------------------------------------------------------------- snippets, locations


def test_location_is_the_best_page(tmp_path: Path) -> None:
    doc = make_doc(
        "deck",
        "Annual review",
        [
            "Our pricing is simple.",
            "Nothing about money here.",
            "Discount tiers: pricing per bed, discounts for networks, priced in euros.",
            "More pricing.",
        ],
    )
    lib = Library([doc])
    with SearchIndex(tmp_path / "ix", lib.text) as ix:
        ix.open_or_rebuild(lib.all_docs)
        hit = ix.search("pricing discount", now=NOW).hits[0]
        assert hit.location == 3
        assert "[[Discount]]" in hit.snippet and "[[priced]]" in hit.snippet
        assert hit.kind == "pdf" and hit.version == 1 and hit.title == "Annual review"


def test_location_prefers_the_word_as_typed(tmp_path: Path) -> None:
    doc = make_doc(
        "perf",
        "Performance",
        ["Intro.", "Tune the pool. Tune the cache.", "Tuning the server, step by step."],
    )
    lib = Library([doc])
    with SearchIndex(tmp_path / "ix", lib.text) as ix:
        ix.open_or_rebuild(lib.all_docs)
        assert ix.search("tuning", now=NOW).hits[0].location == 3
        assert ix.search("tune", now=NOW).hits[0].location == 2
        # Stemming still finds the other forms when the typed one is absent.
        assert ix.search("tuned", now=NOW).hits[0].location == 2


def test_page_boundaries_follow_the_analyzer() -> None:
    """Locations map index positions to pages: the numbering must be Whoosh's own."""
    import bisect

    from app.core.search.schema import ANALYZER as _ANALYZER
    from app.core.search.schema import segment_starts as _segment_starts

    pages = [
        "The a I of ß æ x y Zürich's É.g. v2.1 file_name-x 3.5 ÉTÉ été",
        "",
        "and or the",
        "Straße señor naïve CAFÉ the end. Œuvre ﬁne ½ ² the",
        "last",
        "of the a",
        "really last",
    ]
    starts = _segment_starts([Segment(i + 1, t) for i, t in enumerate(pages)])
    joined = "\n".join(pages)
    page_at = []  # page index of every character of the joined text
    for i, text in enumerate(pages):
        page_at.extend([i] * (len(text) + 1))
    # (Whoosh reuses one Token object: copy what is needed while iterating.)
    tokens = [(t.text, t.pos, t.startchar) for t in _ANALYZER(joined, positions=True, chars=True)]
    assert len(tokens) > 15
    for text, pos, startchar in tokens:
        assert bisect.bisect_right(starts, pos) - 1 == page_at[startchar], text
    # All-stop-word openings shift the numbering too.
    assert _segment_starts([Segment(1, "the of"), Segment(2, "pricing")]) == [2, 2]
    assert [t.pos for t in _ANALYZER("the of\npricing", positions=True)] == [2]


def test_snippet_marks_terms_and_is_short(tmp_path: Path) -> None:
    filler = "lorem ipsum dolor sit amet " * 40
    doc = make_doc("long", "Long", [filler + "the unit was priced at a discount. " + filler])
    lib = Library([doc])
    with SearchIndex(tmp_path / "ix", lib.text) as ix:
        ix.open_or_rebuild(lib.all_docs)
        hit = ix.search("pricing", now=NOW).hits[0]
        assert "[[priced]]" in hit.snippet
        assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
        assert len(snippet_plain(hit.snippet)) <= 240
        assert ("priced", True) in snippet_parts(hit.snippet)
        assert "[[" not in snippet_plain(hit.snippet)


def test_snippet_when_only_title_or_tags_match(index: SearchIndex) -> None:
    hit = index.search("title:whitepaper", now=NOW).hits[0]
    assert hit.location is None
    assert snippet_plain(hit.snippet) == "Encryption and compliance"
    hit = index.search("negotiation", now=NOW).hits[0]
    assert hit.id == "pricing" and hit.location is None


def test_text_is_loaded_only_for_returned_hits(tmp_path: Path) -> None:
    docs = [make_doc(f"d{i}", f"Doc {i}", ["shared words here"]) for i in range(30)]
    lib = Library(docs)
    with SearchIndex(tmp_path / "ix", lib.text) as ix:
        ix.open_or_rebuild(lib.all_docs)
        lib.loads.clear()
        r = ix.search("shared", limit=5, now=NOW)
        assert r.total == 30 and len(r.hits) == 5
        assert len(lib.loads) == 5


def test_loader_failure_does_not_break_search(tmp_path: Path) -> None:
    lib = Library(BASIC)

    def broken(doc_id: str) -> Sequence[Segment]:
        raise OSError("gone")

    with SearchIndex(tmp_path / "ix", broken) as ix:
        ix.open_or_rebuild(lib.all_docs)
        hit = ix.search("encryption", now=NOW).hits[0]
        assert hit.id == "security" and hit.location is None


def test_marker_text_in_source_is_not_ambiguous(tmp_path: Path) -> None:
    lib = Library([make_doc("x", "X", ["see [[note]] about pricing"])])
    with SearchIndex(tmp_path / "ix", lib.text) as ix:
        ix.open_or_rebuild(lib.all_docs)
        snippet = ix.search("pricing", now=NOW).hits[0].snippet
        assert [part for part, marked in snippet_parts(snippet) if marked] == ["pricing"]


# ----------------------------------------------------------------- did you mean


def test_a_miss_shows_the_corrections_results_at_once(index: SearchIndex) -> None:
    r = index.search("encrpytion", now=NOW)
    assert r.corrected == "encryption" and r.suggestion is None
    assert ids(r) == ["security"] and r.total == 1
    # as typed, on request: nothing, and the correction offered
    r = index.search("encrpytion", now=NOW, correct=False)
    assert r.total == 0 and r.corrected is None and r.suggestion == "encryption"
    # Nothing to correct when every word is known.
    r = index.search("quick", now=NOW)
    assert r.suggestion is None and r.corrected is None


def test_every_misspelled_word_is_corrected(index: SearchIndex) -> None:
    r = index.search("Onbaording encrpytion", now=NOW)
    assert r.corrected == "Onboarding encryption"
    assert set(ids(r)) == {"onboarding", "security"}
    # also when another word of the query as typed finds something ("alarm fatige")
    r = index.search("quick encrpytion", now=NOW)
    assert r.corrected == "quick encryption" and r.suggestion is None
    assert set(ids(r)) == {"cafe", "onboarding", "security"}
    # as typed, on request: what "quick" finds, and the correction offered
    r = index.search("quick encrpytion", now=NOW, correct=False)
    assert set(ids(r)) == {"cafe", "onboarding"} and r.corrected is None
    assert r.suggestion == "quick encryption"


def test_an_excluded_word_is_never_corrected(index: SearchIndex) -> None:
    """Excluding a word no item holds is what was asked; its correction would exclude
    another word (``water NOT bank`` must not become ``water NOT back``)."""
    for query in ("quick NOT encrpytion", "quick -encrpytion", "-encrpytion quick"):
        r = index.search(query, now=NOW)
        assert r.corrected is None and r.suggestion is None, query
        assert set(ids(r)) == {"cafe", "onboarding"}, query
    # a hyphen inside a word is not an exclusion: both halves may be corrected
    from app.core.search.suggest import _suggestable_words

    words = [m.group() for m in _suggestable_words("pre-sales NOT bank (-water deck)")]
    assert words == ["pre", "sales", "deck"]


def test_no_suggestion_for_nonsense_or_stop_words(index: SearchIndex) -> None:
    assert index.search("zzqxw", now=NOW).suggestion is None
    assert index.search("zzqxw", now=NOW).corrected is None
    assert index.search("the", now=NOW).suggestion is None
    assert index.search("ENCRPYTION", now=NOW).corrected == "ENCRYPTION"


def test_the_word_being_typed_is_corrected_only_when_no_word_starts_with_it(
    index: SearchIndex,
) -> None:
    r = index.search("encrpytion onboa", now=NOW, prefix_last=True)
    assert r.corrected == "encryption onboa"  # "onboa" is a prefix of onboarding
    assert set(ids(r)) == {"onboarding", "security"}
    r = index.search("encryption zzq", now=NOW, prefix_last=True)
    assert r.suggestion is None and r.corrected is None
    r = index.search("onbaording", now=NOW, prefix_last=True)  # no word starts with it
    assert r.corrected == "onboarding" and ids(r) == ["onboarding"]


# ----------------------------------------------------------------- weak searches


def test_a_search_is_weak_when_its_best_hit_holds_fewer_than_half_its_words(
    index: SearchIndex,
) -> None:
    assert not index.search("quick brown fox", now=NOW).weak  # cafe holds all three
    assert not index.search("fox encryption", now=NOW).weak  # one of two: half is enough
    assert index.search("fox wombat koala", now=NOW).weak  # one of three
    assert index.search('"quick brown" wombat koala dingo', now=NOW).weak  # 2 of 5 words
    # excluded words, stop words and type: filters are not words the hit should hold
    assert not index.search("fox -encryption the type:text", now=NOW).weak
    assert not index.search("wombat", now=NOW).weak  # nothing found: not weak, a miss
    # while typing, the last word counts as the one prefix it is, not as its completions
    assert not index.search("encryption complian", now=NOW, prefix_last=True).weak
    assert not index.search("quick bro", now=NOW, prefix_last=True).weak
    assert index.search("encryption wombat koala", now=NOW, prefix_last=True).weak


# ----------------------------------------------------------------- robustness


@pytest.mark.parametrize(
    "query",
    [
        '"unclosed phrase',
        "(a OR",
        "title:",
        "AND",
        "NOT",
        "*",
        "?",
        "a OR OR b",
        "foo^^2",
        "[a TO",
        "product:",
        ")(",
        "id:pricing",
        "expires:5",
        "f_product:x",
        "***ing",
        "+ - + -",
        "😀 emoji",
        "x" * 500,
    ],
)
def test_malformed_queries_do_not_raise(index: SearchIndex, query: str) -> None:
    results = index.search(query, now=NOW)
    assert isinstance(results, SearchResults)
    results = index.search(query, now=NOW, prefix_last=True)
    assert isinstance(results, SearchResults)


def test_internal_fields_are_not_queryable(index: SearchIndex) -> None:
    # "id:pricing" reads as the words "id" and "pricing", not as the id field.
    r = index.search("id:security", now=NOW)
    assert "security" not in ids(r) or r.hits[0].id == "security"
    assert index.search("expires:0", now=NOW).total == 0


def test_bare_star_lists_everything(index: SearchIndex) -> None:
    assert index.search("*", now=NOW).total == 4


# ----------------------------------------------------------------- updates


def test_upsert_replaces_old_version(index: SearchIndex, library: Library) -> None:
    new = make_doc("pricing", "Pricing guide 2026", ["Now with subscription tiers."], version=2)
    library.put(new)
    index.upsert([new])
    r = index.search("pricing", now=NOW)
    assert ids(r).count("pricing") == 1
    hit = r.hits[ids(r).index("pricing")]
    assert hit.version == 2 and hit.title == "Pricing guide 2026"
    assert index.search("discount", now=NOW).total == 0  # old text gone
    assert ids(index.search("subscription", now=NOW)) == ["pricing"]
    assert index.doc_count() == 4


def test_upsert_same_id_twice_in_one_batch(index: SearchIndex) -> None:
    a = make_doc("new", "Draft", ["first wording"], version=1)
    b = make_doc("new", "Final", ["second wording"], version=2)
    index.upsert([a, b])
    assert index.doc_count() == 5
    r = index.search("wording", now=NOW)
    assert [(h.id, h.version) for h in r.hits] == [("new", 2)]


def test_upsert_adds_new_items_and_delete_removes(index: SearchIndex) -> None:
    index.upsert([make_doc("faq", "FAQ", ["frequently asked questions"])])
    assert ids(index.search("questions", now=NOW)) == ["faq"]
    index.delete(["faq", "security", "never-existed"])
    assert index.search("questions", now=NOW).total == 0
    assert index.search("encryption", now=NOW).total == 0
    assert index.doc_count() == 3
    index.delete([])
    index.upsert([])


def test_failed_upsert_commits_nothing(index: SearchIndex) -> None:
    def docs() -> Iterator[IndexDoc]:
        yield make_doc("half", "Half", ["written before the failure"])
        raise RuntimeError("catalogue read failed")

    with pytest.raises(RuntimeError):
        index.upsert(docs())
    assert index.search("failure", now=NOW).total == 0
    # The writer was cancelled, so the lock is free for the next write.
    index.upsert([make_doc("ok", "OK", ["after the failure"])])
    assert ids(index.search("failure", now=NOW)) == ["ok"]


def test_search_before_open_is_an_error(tmp_path: Path) -> None:
    ix = SearchIndex(tmp_path / "ix", Library().text)
    with pytest.raises(RuntimeError):
        ix.search("x")
    with pytest.raises(RuntimeError):
        ix.upsert([make_doc("a", "A")])


def test_unsearchable_item_found_by_title_only(tmp_path: Path) -> None:
    doc = make_doc("enc", "Encrypted contract", ["secret body words"], searchable=False)
    lib = Library([doc])
    with SearchIndex(tmp_path / "ix", lib.text) as ix:
        ix.open_or_rebuild(lib.all_docs)
        assert ids(ix.search("contract", now=NOW)) == ["enc"]
        assert ix.search("secret", now=NOW).total == 0


# ------------------------------------------------------------ the index is a cache


def _live_dir(index_dir: Path) -> Path:
    return index_dir / (index_dir / "CURRENT").read_text(encoding="utf-8").strip()


def test_reopen_does_not_rebuild(tmp_path: Path, library: Library) -> None:
    with SearchIndex(tmp_path / "ix", library.text) as ix:
        assert ix.open_or_rebuild(library.all_docs) is True
        ix.upsert([make_doc("extra", "Extra", ["kept across restarts"])])
    calls: list[int] = []

    def counting() -> Iterator[IndexDoc]:
        calls.append(1)
        return library.all_docs()

    with SearchIndex(tmp_path / "ix", library.text) as ix:
        assert ix.open_or_rebuild(counting) is False
        assert calls == []
        assert ids(ix.search("restarts", now=NOW)) == ["extra"]


@pytest.mark.parametrize("damage", ["garble", "truncate", "delete_segments", "delete_toc"])
def test_corrupt_index_is_rebuilt(tmp_path: Path, library: Library, damage: str) -> None:
    root = tmp_path / "ix"
    with SearchIndex(root, library.text) as ix:
        ix.open_or_rebuild(library.all_docs)
    live = _live_dir(root)
    files = [p for p in live.iterdir() if p.is_file() and p.name != "satchel-index.json"]
    rng = random.Random(7)
    for path in files:
        if damage == "garble" and not path.name.endswith("WRITELOCK"):
            path.write_bytes(bytes(rng.randrange(256) for _ in range(max(64, path.stat().st_size))))
        elif damage == "truncate" and path.suffix in (".seg", ".toc"):
            path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
        elif (
            damage == "delete_segments"
            and path.suffix == ".seg"
            or damage == "delete_toc"
            and path.suffix == ".toc"
        ):
            path.unlink()
    with SearchIndex(root, library.text) as ix:
        assert ix.open_or_rebuild(library.all_docs) is True
        assert ids(ix.search("encryption", now=NOW)) == ["security"]
        assert ix.doc_count() == 4
        assert _live_dir(root) != live


def test_missing_or_bad_pointer_is_rebuilt(tmp_path: Path, library: Library) -> None:
    root = tmp_path / "ix"
    with SearchIndex(root, library.text) as ix:
        ix.open_or_rebuild(library.all_docs)
    (root / "CURRENT").write_text("../../etc", encoding="utf-8")
    with SearchIndex(root, library.text) as ix:
        assert ix.open_or_rebuild(library.all_docs) is True
    (root / "CURRENT").unlink()
    with SearchIndex(root, library.text) as ix:
        assert ix.open_or_rebuild(library.all_docs) is True
        assert ix.search("encryption", now=NOW).total == 1
    # Old folders are cleaned up: only the live one is left.
    assert [p.name for p in root.iterdir() if p.is_dir()] == [_live_dir(root).name]


def test_schema_version_mismatch_rebuilds(tmp_path: Path, library: Library) -> None:
    root = tmp_path / "ix"
    with SearchIndex(root, library.text) as ix:
        ix.open_or_rebuild(library.all_docs)
    marker = _live_dir(root) / "satchel-index.json"
    data = json.loads(marker.read_text(encoding="utf-8"))
    assert data["schema"] == SCHEMA_VERSION
    data["schema"] = SCHEMA_VERSION - 1
    marker.write_text(json.dumps(data), encoding="utf-8")
    with SearchIndex(root, library.text) as ix:
        assert ix.open_or_rebuild(library.all_docs) is True
        assert ix.search("encryption", now=NOW).total == 1
    with SearchIndex(root, library.text) as ix:
        assert ix.open_or_rebuild(library.all_docs) is False


def test_unreadable_index_dir_is_rebuilt(tmp_path: Path, library: Library) -> None:
    root = tmp_path / "ix"
    with SearchIndex(root, library.text) as ix:
        ix.open_or_rebuild(library.all_docs)
    live = _live_dir(root)
    (live / "satchel-index.json").write_bytes(b"\xff\xfe not json")
    with SearchIndex(root, library.text) as ix:
        assert ix.open_or_rebuild(library.all_docs) is True


def test_held_write_lock_rebuilds_into_a_fresh_folder(tmp_path: Path, library: Library) -> None:
    from whoosh.filedb.filestore import FileStorage  # the lock another process would hold

    root = tmp_path / "ix"
    with SearchIndex(root, library.text) as ix:
        ix.open_or_rebuild(library.all_docs)
    live = _live_dir(root)
    lock = FileStorage(str(live)).lock("MAIN_WRITELOCK")
    assert lock.acquire(blocking=False)
    try:
        with SearchIndex(root, library.text, lock_timeout=0.05) as ix:
            assert ix.open_or_rebuild(library.all_docs) is True
            assert _live_dir(root) != live
            assert live.is_dir()  # still locked: left alone
            ix.upsert([make_doc("n", "New", ["written after the swap"])])
            assert ids(ix.search("swap", now=NOW)) == ["n"]
    finally:
        lock.release()
    with SearchIndex(root, library.text) as ix:
        assert ix.open_or_rebuild(library.all_docs) is False
    assert not live.exists()  # unlocked now: cleaned up


def test_held_lock_during_upsert_rebuilds_from_catalogue(tmp_path: Path, library: Library) -> None:
    from whoosh.filedb.filestore import FileStorage

    root = tmp_path / "ix"
    with SearchIndex(root, library.text, lock_timeout=0.05) as ix:
        ix.open_or_rebuild(library.all_docs)
        lock = FileStorage(str(_live_dir(root))).lock("MAIN_WRITELOCK")
        assert lock.acquire(blocking=False)
        try:
            doc = make_doc("late", "Late", ["arrived while locked"])
            library.put(doc)  # the catalogue has it, the index will after the rebuild
            ix.upsert([doc])
            assert ids(ix.search("arrived", now=NOW)) == ["late"]
        finally:
            lock.release()


def test_threads_search_while_writing(index: SearchIndex) -> None:
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        try:
            while not stop.is_set():
                index.search("quick OR encryption", now=NOW, prefix_last=True)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        for i in range(10):
            index.upsert([make_doc(f"t{i}", f"Thread {i}", ["concurrent words"])])
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
    assert index.search("concurrent", now=NOW).total == 10


def test_whoosh_stays_behind_one_module() -> None:
    app = Path(__file__).resolve().parents[1] / "app"
    importers = [
        p.relative_to(app).as_posix()
        for p in app.rglob("*.py")
        if re.search(r"^\s*(import|from)\s+whoosh\b", p.read_text(encoding="utf-8"), re.M)
    ]
    assert sorted(importers) == [
        "core/search/adoption.py",
        "core/search/facets.py",
        "core/search/fold_analyzer.py",
        "core/search/folder.py",
        "core/search/positions.py",
        "core/search/postings.py",
        "core/search/query_compile.py",
        "core/search/ranking.py",
        "core/search/safe_pickle.py",
        "core/search/schema.py",
        "core/search/segments.py",
        "core/search/shipped_segments.py",
        "core/search/union_rank.py",
        "core/search/whoosh_index.py",
    ]


def test_only_the_first_hits_get_snippets_when_asked(tmp_path: Path) -> None:
    docs = _synthetic(60, 3, 40, seed=3)
    by_id = {d.id: d for d in docs}
    with SearchIndex(tmp_path / "ix", lambda doc_id: by_id[doc_id].segments) as ix:
        ix.open_or_rebuild(lambda: iter(docs))
        full = ix.search("pricing budget", limit=20, now=NOW)
        some = ix.search("pricing budget", limit=20, now=NOW, snippets=3)
    assert len(full.hits) == len(some.hits) > 3
    assert some.hits[:3] == full.hits[:3]
    assert [h.id for h in some.hits] == [h.id for h in full.hits]
    assert [h.score for h in some.hits] == [h.score for h in full.hits]
    assert all(h.snippet for h in full.hits[3:])
    assert all(h.snippet == "" and h.location is None for h in some.hits[3:])
    assert some.total == full.total


# ------------------------------------------------------------------ timing (printed)

_WORDS = [
    "pricing",
    "discount",
    "quote",
    "proposal",
    "roadmap",
    "onboarding",
    "deployment",
    "monitor",
    "vital",
    "patient",
    "hospital",
    "clinic",
    "compliance",
    "security",
    "integration",
    "workflow",
    "dashboard",
    "analytics",
    "renewal",
    "contract",
    "enterprise",
    "partner",
    "reseller",
    "demo",
    "pilot",
    "battlecard",
    "competitor",
    "objection",
    "testimonial",
    "whitepaper",
    "datasheet",
    "brochure",
    "webinar",
    "migration",
    "cloud",
    "license",
    "subscription",
    "support",
    "network",
    "bed",
    "nurse",
    "ward",
    "alarm",
    "device",
    "interface",
    "report",
    "audit",
    "training",
    "rollout",
    "budget",
    "savings",
    "outcome",
    "study",
    "evidence",
    "trial",
    "result",
    "safety",
    "quality",
    "team",
    "manager",
]


def _synthetic(n_docs: int, pages: int, words_per_page: int, seed: int = 1) -> list[IndexDoc]:
    rng = random.Random(seed)
    vocab = _vocabulary()
    cum = list(itertools.accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(len(vocab))))
    docs = []
    for i in range(n_docs):
        texts = [
            " ".join(rng.choices(vocab, cum_weights=cum, k=words_per_page)) for _ in range(pages)
        ]
        docs.append(
            make_doc(
                f"doc{i}",
                " ".join(rng.choices(_WORDS, k=4)).title(),
                texts,
                description=" ".join(rng.choices(vocab, cum_weights=cum, k=15)),
                tags={"product": [rng.choice(["Vital Monitor", "Care Hub", "Pulse"])]},
                expires_at=NOW - timedelta(days=1) if rng.random() < 0.1 else None,
            )
        )
    return docs


def _vocabulary() -> list[str]:
    """Zipf-ranked words: the sales words above first, then 20,000 rarer made-up ones."""
    rng = random.Random(0)
    made_up = {
        "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(3))
        for _ in range(20000)
    }
    return _WORDS + sorted(made_up - set(_WORDS))


def _timed(ix: SearchIndex, queries: Sequence[str], **kwargs: bool) -> list[float]:
    for q in queries[:20]:
        ix.search(q, now=NOW, **kwargs)
    latencies = []
    for q in queries:
        t0 = time.perf_counter()
        ix.search(q, now=NOW, **kwargs)
        latencies.append((time.perf_counter() - t0) * 1000)
    return sorted(latencies)


def _p(latencies: Sequence[float], q: float) -> float:
    return latencies[max(0, int(len(latencies) * q + 0.5) - 1)]


def test_timing_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Prints index time and warm search latency. Not an assertion on speed.

    Default size is small; SATCHEL_SEARCH_PERF_DOCS=5000 (with --timeout=0) gives the
    figures for 5,000 documents of 20 pages of 250 words.
    """
    n_docs = int(os.environ.get("SATCHEL_SEARCH_PERF_DOCS", "150"))
    pages = int(os.environ.get("SATCHEL_SEARCH_PERF_PAGES", "20"))
    docs = _synthetic(n_docs, pages, 250)
    lib = Library(docs)
    rng = random.Random(3)
    vocab = _vocabulary()
    # Worst case: 1-5 of the most common words (each in nearly every item).
    common = [" ".join(rng.sample(_WORDS, rng.choice([1, 2, 3, 5]))) for _ in range(200)]
    common += ['"vital monitor"', "pric*", "budget NOT audit", "product:pulse nurse"]
    # Mixed: 1-4 words of any frequency among the 3,000 most common.
    mixed = [" ".join(rng.sample(vocab[:3000], rng.choice([1, 2, 3, 4]))) for _ in range(200)]
    typed = [t[:n] for t in ("budget savings", "kovemi nurse") for n in range(2, len(t) + 1)]
    with SearchIndex(tmp_path / "perf", lib.text) as ix:
        t0 = time.perf_counter()
        ix.open_or_rebuild(lib.all_docs)
        index_s = time.perf_counter() - t0
        figures = {
            "common words": _timed(ix, common),
            "mixed words": _timed(ix, mixed),
            "as-you-type": _timed(ix, typed, prefix_last=True),
        }
    with capsys.disabled():
        print(
            f"\n[search timing] {n_docs} items x {pages} pages x 250 words: index {index_s:.1f} s"
        )
        for name, lat in figures.items():
            p50, p95 = statistics.median(lat), _p(lat, 0.95)
            print(
                f"[search timing]   {name:13s} n={len(lat):3d}  p50 {p50:6.1f} ms"
                f"  p95 {p95:6.1f} ms  max {lat[-1]:6.1f} ms"
            )


def test_long_numbers_in_document_text_are_not_indexed_but_in_metadata_they_are(
    tmp_path: Path,
) -> None:
    """Prices, quantities and serial numbers in the text are not searchable (they were most
    of the index); years, sizes and short codes are, and every number in a title is."""
    lib = Library(
        [
            make_doc(
                "prices",
                "Price list 2026",
                ["Model X 3.5 mm costs 61873.5 per unit; order 48213 pieces; call 4155550123."],
            ),
            make_doc("quote", "Quote 77190 for Klinikum", ["A quote for 12 beds."]),
        ]
    )
    with SearchIndex(tmp_path / "ix", lib.text) as index:
        index.open_or_rebuild(lib.all_docs)
        ids = lambda q: [h.id for h in index.search(q, now=NOW).hits]  # noqa: E731
        assert ids("61873.5") == [] and ids("4155550123") == [] and ids("48213") == []
        assert ids("2026") == ["prices"] and ids("3.5") == ["prices"]
        assert ids('"costs per unit"') == ["prices"]  # positions close over the dropped number
        assert ids("77190") == ["quote"]  # a title keeps every number
        assert ids("12 beds") == ["quote"]
        hit = index.search("unit", now=NOW).hits[0]
        assert "[[unit]]" in hit.snippet  # snippet offsets agree with the body's positions
