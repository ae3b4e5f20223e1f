"""The fused analyzer yields exactly what Whoosh's five-stage filter chain yields.

The chain is the reference (it is what the index was built with before); the fused analyzer
must agree on token texts, positions, stopped flags and character offsets, in index and
query mode, with and without stop-word removal and stemming, on real documents.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import whoosh.analysis as analysis
from whoosh.support.charset import accent_map

from app.core.extract import extract_file
from app.core.search.fold_analyzer import STOP_WORDS, TOKEN_PATTERN, FoldAnalyzer

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"
MIXED = (
    "The Café's PRICE-list v2.1 (e.g. 3.5 mm) is über-cheap_and_fast; naïve A I x 12 "
    "Straße, ﬁnance, İstanbul, ΑΘΗΝΑ, 東京 the and of 'quoted' — pricing prices priced\n"
    "an it to be or not to be: that is the question. ÉCOLE École ecole 2024-11-22."
)


def chain(*, stem: bool) -> Any:
    base = (
        analysis.RegexTokenizer(TOKEN_PATTERN)
        | analysis.LowercaseFilter()
        | analysis.CharsetFilter(accent_map)
        | analysis.StopFilter(stoplist=STOP_WORDS)
    )
    return base | analysis.StemFilter(cachesize=1000) if stem else base


def tokens(analyzer: Any, text: str, **kwargs: Any) -> list[tuple[Any, ...]]:
    out = []
    for t in analyzer(text, **kwargs):
        row: tuple[Any, ...] = (t.text, t.stopped)
        if kwargs.get("positions"):
            row += (t.pos,)
        if kwargs.get("chars"):
            row += (t.startchar, t.endchar)
        if kwargs.get("keeporiginal"):
            row += (t.original,)
        out.append(row)
    return out


def _documents() -> list[Path]:
    """Real documents: the shared corpus when it is there, else the bundled demo library."""
    if CORPUS.is_dir():
        return sorted(CORPUS.iterdir())[::7][:10]
    demo = Path(__file__).resolve().parents[1] / "resources" / "demo" / "library"
    return sorted(p for p in demo.rglob("*") if p.is_file() and p.name != "satchel.toml")[:12]


def texts() -> list[str]:
    found = [MIXED, "", "   ", "the of and", "a"]
    for path in _documents():
        extraction = extract_file(path)
        body = "\n".join(s.text for s in extraction.segments)
        if body.strip():
            found.append(body)
    return found


OPTIONS = [
    {"positions": True},
    {"positions": True, "chars": True, "keeporiginal": True},
    {"positions": True, "removestops": False},
    {"mode": "query"},
    {"mode": "query", "removestops": False, "chars": True},
    {"positions": True, "start_pos": 7, "start_char": 3, "chars": True},
    {"tokenize": False, "positions": True},
    {"no_morph": True, "positions": True},
]


@pytest.mark.parametrize("stem", [True, False])
def test_fused_analyzer_matches_the_filter_chain_on_real_text(stem: bool) -> None:
    fused, reference = FoldAnalyzer(stem=stem), chain(stem=stem)
    samples = texts()
    assert len(samples) >= 10
    compared = 0
    for text in samples:
        for options in OPTIONS:
            if options.get("tokenize") is False:
                # untokenized values (prefixes, wildcards) are folded but never stemmed
                unstemmed = chain(stem=False)
                words = text.split()[:50] or [text]
                for word in words:
                    assert tokens(fused, word, **options) == tokens(unstemmed, word, **options)
                continue
            expected = tokens(reference, text, **options)
            assert tokens(fused, text, **options) == expected, options
            compared += len(expected)
    assert compared > 10_000  # the real documents were tokenized, not just the fixtures


def test_a_prefix_is_folded_but_not_stemmed() -> None:
    fused = FoldAnalyzer(stem=True)
    assert [t.text for t in fused("Rés", tokenize=False, mode="query")] == ["res"]
    assert [t.text for t in fused("pricing", mode="query")] == ["price"]


def test_fused_analyzer_pickles_without_its_cache() -> None:
    import pickle

    fused = FoldAnalyzer(stem=True)
    list(fused("pricing prices"))
    clone = pickle.loads(pickle.dumps(fused))
    assert clone == fused and clone._words == {}
    assert [t.text for t in clone("pricing prices")] == ["price", "price"]
