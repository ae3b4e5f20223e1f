"""Ranking, measured: mean average precision on a public test collection (Cranfield).

The 1,400 Cranfield abstracts are published as plain text files (no metadata) through the
real publish and sync path; each of the 225 queries is asked, its words as plain words (any
may match), through ``Library.search``, the search the app and the CLI use. Beside it, in the
same test, a textbook BM25 (Robertson idf, k1 1.2, b 0.75) ranks the same texts, cut into
terms by the library's own analyzer. Satchel must rank better than that baseline.

Needs ../shared/relevance (the collection is not part of the repository).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.core.library import Library
from app.core.search import body_terms
from tests.conftest import REPO
from tests.helpers.hubs import publish_folder, sync_home

RELEVANCE = REPO.parent / "shared" / "relevance"
CRANFIELD = RELEVANCE / "cranfield"
DEPTH = 1000  # ranks scored per query

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (CRANFIELD / "cran.all.1400").is_file(),
        reason="needs ../shared/relevance/cranfield (the Cranfield test collection)",
    ),
]


@dataclass(frozen=True)
class Collection:
    docs: dict[str, str]  # document number -> abstract
    queries: list[str]  # in file order: query n is queries[n - 1]
    relevant: dict[int, set[str]]  # query position (1-based) -> relevant document numbers


def _records(path: Path) -> list[dict[str, str]]:
    """``.I`` records of the SMART format, each field's lines joined."""
    records: list[dict[str, str]] = []
    field = ""
    for line in path.read_text(encoding="latin-1").splitlines():
        if line.startswith(".I"):
            records.append({"I": line[2:].strip()})
            field = ""
        elif len(line) == 2 and line.startswith("."):
            field = line[1]
            records[-1][field] = ""
        elif field:
            records[-1][field] += line + "\n"
    return records


def load_cranfield(folder: Path) -> Collection:
    docs = {str(int(r["I"])): r.get("W", "") for r in _records(folder / "cran.all.1400")}
    queries = [r.get("W", "") for r in _records(folder / "cran.qry")]
    relevant: dict[int, set[str]] = defaultdict(set)
    for line in (folder / "cranqrel").read_text(encoding="latin-1").splitlines():
        parts = line.split()
        # grades 1-4 are relevant; -1 ("of no interest") is not
        if len(parts) == 3 and parts[2] in {"1", "2", "3", "4"}:
            relevant[int(parts[0])].add(str(int(parts[1])))
    return Collection(docs, queries, dict(relevant))


def average_precision(ranked: list[str], relevant: set[str]) -> float:
    if not relevant:
        return 0.0
    found = 0
    total = 0.0
    for rank, doc in enumerate(ranked[:DEPTH], 1):
        if doc in relevant:
            found += 1
            total += found / rank
    return total / len(relevant)


def mean_average_precision(rankings: list[list[str]], collection: Collection) -> float:
    """Over every query, those without judgments counting 0 (Cranfield judges all 225)."""
    scores = [
        average_precision(ranked, collection.relevant.get(n, set()))
        for n, ranked in enumerate(rankings, 1)
    ]
    return sum(scores) / len(scores)


def query_words(text: str) -> str:
    """The query's words as plain words (lower case: no operator can appear)."""
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


class TextbookBM25:
    """Robertson/Sparck Jones BM25: idf log((N - n + 0.5) / (n + 0.5)), floored at 0 for
    terms in more than half the documents; k1 1.2, b 0.75; query terms counted as often as
    they occur."""

    def __init__(self, texts: dict[str, list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.length = {doc: len(terms) for doc, terms in texts.items()}
        self.average = sum(self.length.values()) / len(texts)
        self.postings: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for doc, terms in texts.items():
            for term, tf in Counter(terms).items():
                self.postings[term].append((doc, tf))
        n_docs = len(texts)
        self.idf = {
            term: max(0.0, math.log((n_docs - len(p) + 0.5) / (len(p) + 0.5)))
            for term, p in self.postings.items()
        }

    def rank(self, terms: list[str]) -> list[str]:
        scores: Counter[str] = Counter()
        for term in terms:
            idf = self.idf.get(term, 0.0)
            for doc, tf in self.postings.get(term, ()):
                norm = self.k1 * (1 - self.b + self.b * self.length[doc] / self.average)
                scores[doc] += idf * tf * (self.k1 + 1) / (tf + norm)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], int(kv[0])))
        return [doc for doc, score in ranked if score > 0][:DEPTH]


@pytest.fixture(scope="module")
def cranfield_library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Collection]:
    from app.core.signing import generate_key, write_key_pair

    collection = load_cranfield(CRANFIELD)
    tmp = tmp_path_factory.mktemp("cranfield")
    src = tmp / "src"
    src.mkdir()
    for number, text in collection.docs.items():
        (src / f"cran-{int(number):04d}.txt").write_text(text, encoding="utf-8")
    key = tmp / "k"
    write_key_pair(generate_key(), key)
    publish_folder(src, tmp / "hub", key)
    sync_home(tmp / "home", tmp / "hub", Path(f"{key}.pub"))
    return tmp / "home", collection


def _number(item_id: str) -> str:
    return str(int(item_id.rsplit("-", 1)[-1]))


def test_satchel_ranks_cranfield_better_than_textbook_bm25(
    cranfield_library: tuple[Path, Collection],
) -> None:
    """Given the Cranfield abstracts published and synced, when every query is searched,
    then Satchel's MAP beats a textbook BM25 over the same terms of the same texts."""
    home, collection = cranfield_library
    with Library.open(home) as lib:
        items = lib.items()
        assert len(items) == len(collection.docs)
        # the very text the library indexed, cut into terms by its own analyzer
        texts = {
            _number(item.id): body_terms("\n".join(s.text for s in lib.segments(item.id)))
            for item in items
        }
        satchel = [
            [_number(hit.id) for hit in lib.search(query_words(q), limit=DEPTH).hits]
            for q in collection.queries
        ]
    baseline = TextbookBM25(texts)
    textbook = [baseline.rank(body_terms(q)) for q in collection.queries]
    satchel_map = mean_average_precision(satchel, collection)
    textbook_map = mean_average_precision(textbook, collection)
    print(f"\nCranfield MAP: Satchel {satchel_map:.4f}, textbook BM25 {textbook_map:.4f}")
    assert len(collection.queries) == 225
    assert satchel_map > textbook_map


def test_map_is_computed_as_usual() -> None:
    """The metric itself: AP averages precision at each relevant document's rank."""
    assert average_precision(["a", "x", "b"], {"a", "b"}) == pytest.approx((1 + 2 / 3) / 2)
    assert average_precision(["x"], {"a"}) == 0.0
    assert average_precision([], set()) == 0.0
