"""The query operators, checked against a brute-force oracle.

Hypothesis draws random queries - plain words, ``-word``, ``NOT word``, ``+word``, ``AND``,
``OR``, ``"phrases"``, ``field:value`` and parenthesised groups - over a small vocabulary,
runs them through a real index of generated documents, and compares the SET of items found
with the meaning ``app/core/search/query_syntax.py`` gives them, evaluated here in Python on
the same terms (the library's analyzer). Ranking is not compared, only membership.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.extract.types import Segment
from app.core.search import IndexDoc, SearchIndex, body_terms

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
# Words whose stems differ from each other and from the generated titles and file names;
# "waters" and "rivers" stem like "water" and "river".
VOCABULARY = ["water", "bank", "river", "stone", "cloud", "green", "price", "music", "table"]
INFLECTED = {"water": "waters", "river": "rivers"}
KINDS = ["pdf", "pptx", "docx"]
PREFIXES = ["wa", "wat", "ri", "ban", "st", "pri", "prices", "gr", "nox"]
EXAMPLES = 400


@dataclass(frozen=True)
class Doc:
    id: str
    kind: str
    title: list[str]  # terms, as the analyzer makes them
    body: list[str]
    words: frozenset[str] = frozenset()  # the words as written, lower case

    def fields(self) -> dict[str, list[str]]:
        return {"title": self.title, "body": self.body}


def _generate(seed: int, count: int) -> tuple[list[IndexDoc], list[Doc]]:
    rng = random.Random(seed)
    index_docs, docs = [], []
    for n in range(count):
        title_words = rng.sample(VOCABULARY, rng.randint(0, 2))
        body_words = [rng.choice(VOCABULARY) for _ in range(rng.randint(0, 10))]
        body_words = [INFLECTED.get(w, w) if rng.random() < 0.2 else w for w in body_words]
        kind = rng.choice(KINDS)
        title = " ".join(["item", *title_words])
        body = " ".join(body_words)
        doc_id = f"d{n:03d}"
        index_docs.append(
            IndexDoc(
                id=doc_id,
                title=title,
                description="",
                tags={},
                kind=kind,
                filename=f"{doc_id}.{kind}",
                version=1,
                sha256="0" * 64,
                updated_at=NOW,
                expires_at=None,
                searchable=True,
                segments=[Segment(1, body)],
            )
        )
        words = frozenset(f"{title} {body}".lower().split())
        docs.append(Doc(doc_id, kind, body_terms(title), body_terms(body), words))
    return index_docs, docs


# ---------------------------------------------------------------- the oracle

Pred = tuple  # a small tree: ("word", field, term) | ("phrase", field, terms) | ...


def _has(doc: Doc, field: str | None, terms: Sequence[str]) -> bool:
    fields = doc.fields()
    names = [field] if field else list(fields)
    for name in names:
        tokens = fields.get(name, [])
        n = len(terms)
        if any(tokens[i : i + n] == list(terms) for i in range(len(tokens) - n + 1)):
            return True
    return False


def evaluate(node: Pred, doc: Doc, vocabulary: frozenset[str] = frozenset()) -> bool:
    """Whether ``doc`` matches ``node``; ``vocabulary``: every word of the library as written
    (a prefix means the stems of the library's words that start with it)."""
    kind = node[0]
    if kind == "prefix":
        _, field, text = node
        stems = {t for w in vocabulary if w.startswith(text) for t in body_terms(w)}
        return any(_has(doc, field, [stem]) for stem in stems)
    if kind == "word":
        _, field, text = node
        if field == "type":
            return doc.kind == text
        return _has(doc, field, body_terms(text))
    if kind == "phrase":
        _, field, text = node
        return _has(doc, field, body_terms(text))
    if kind == "and":
        return all(
            not evaluate(p[1], doc, vocabulary) if p[0] == "not" else evaluate(p, doc, vocabulary)
            for p in node[1]
        )
    if kind == "or":
        return any(evaluate(p, doc, vocabulary) for p in node[1])
    if kind == "group":
        _, optional, required, excluded, filters = node
        if any(evaluate(p, doc, vocabulary) for p in excluded):
            return False
        if not all(evaluate(p, doc, vocabulary) for p in (*required, *filters)):
            return False
        if optional and not required:
            return any(evaluate(p, doc, vocabulary) for p in optional)
        return bool(optional or required or filters or excluded)
    raise AssertionError(node)


# ---------------------------------------------------------------- drawing queries

words = st.sampled_from(VOCABULARY + ["waters", "rivers"])


@st.composite
def atoms(draw: st.DrawFn, fields: bool = True) -> tuple[str, Pred]:
    """(query text, oracle) of one unit: a word, a phrase or (``fields``) ``title:word``."""
    choice = draw(st.integers(0, 10 if fields else 8))
    if choice == 8:  # a prefix; "nox" starts no word of the library
        p = draw(st.sampled_from(PREFIXES))
        return f"{p}*", ("prefix", None, p)
    if choice <= 5:
        w = draw(words)
        return w, ("word", None, w)
    if choice <= 7:
        ws = draw(st.lists(words, min_size=2, max_size=3))
        return '"' + " ".join(ws) + '"', ("phrase", None, " ".join(ws))
    w = draw(words)
    return f"title:{w}", ("word", "title", w)


@st.composite
def chains(draw: st.DrawFn) -> tuple[str, Pred]:
    """``a AND b``, ``a AND NOT b``, ``a OR b``, ``a OR b AND c``."""
    first = draw(atoms())
    runs: list[list[Pred]] = [[first[1]]]
    text = first[0]
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["AND", "OR", "AND NOT"]))
        nxt = draw(atoms())
        text += f" {op} {nxt[0]}"
        if op == "OR":
            runs.append([nxt[1]])
        else:
            runs[-1].append(("not", nxt[1]) if op == "AND NOT" else nxt[1])
    alternatives = [r[0] if len(r) == 1 else ("and", tuple(r)) for r in runs]
    return text, alternatives[0] if len(alternatives) == 1 else ("or", tuple(alternatives))


@st.composite
def groups(draw: st.DrawFn, depth: int = 0) -> tuple[str, Pred]:
    parts: list[str] = []
    optional: list[Pred] = []
    required: list[Pred] = []
    excluded: list[Pred] = []
    filters: list[Pred] = []
    for _ in range(draw(st.integers(1, 4))):
        role = draw(
            st.sampled_from(["opt", "opt", "chain", "minus", "not", "plus", "type", "title", "sub"])
        )
        if role == "sub" and depth < 1:
            text, pred = draw(groups(depth + 1))
            parts.append(f"({text})")
            optional.append(pred)
        elif role == "chain":
            text, pred = draw(chains())
            parts.append(text)
            optional.append(pred)
        elif role in ("minus", "not"):
            text, pred = draw(atoms())
            parts.append(f"-{text}" if role == "minus" else f"NOT {text}")
            excluded.append(pred)
        elif role == "plus":
            w = draw(words)
            parts.append(f"+{w}")
            required.append(("word", None, w))
        elif role == "type":
            kind = draw(st.sampled_from(KINDS))
            parts.append(f"type:{kind}")
            filters.append(("word", "type", kind))
        elif role == "title":
            w = draw(words)
            parts.append(f"title:{w}")
            filters.append(("word", "title", w))
        else:
            text, pred = draw(atoms(fields=False))
            parts.append(text)
            optional.append(pred)
    return " ".join(parts), (
        "group",
        tuple(optional),
        tuple(required),
        tuple(excluded),
        tuple(filters),
    )


# ---------------------------------------------------------------- the tests


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[SearchIndex, list[Doc]]:
    index_docs, docs = _generate(seed=13, count=120)
    index = SearchIndex(tmp_path_factory.mktemp("oracle") / "index", lambda _id: ())
    # several segments, as a library that synced more than once has
    index.open_or_rebuild(lambda: index_docs[:60])
    index.upsert(index_docs[60:100])
    index.upsert(index_docs[100:])
    return index, docs


def found(index: SearchIndex, query: str) -> set[str]:
    results = index.search(query, limit=1000, now=NOW)
    assert results.total == len(results.hits)
    return {h.id for h in results.hits}


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=groups())
def test_result_sets_match_the_oracle(
    corpus: tuple[SearchIndex, list[Doc]], query: tuple[str, Pred]
) -> None:
    index, docs = corpus
    text, pred = query
    vocabulary = frozenset().union(*(d.words for d in docs))
    expected = {d.id for d in docs if evaluate(pred, d, vocabulary)}
    assert found(index, text) == expected, text


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 2**32 - 1),
    count=st.integers(1, 25),
    queries=st.lists(groups(), min_size=1, max_size=8),
)
def test_drawn_corpora_match_the_oracle(
    tmp_path_factory: pytest.TempPathFactory,
    seed: int,
    count: int,
    queries: list[tuple[str, Pred]],
) -> None:
    """The same with the corpus drawn too: small libraries, in one segment or two."""
    index_docs, docs = _generate(seed, count)
    with SearchIndex(tmp_path_factory.mktemp("drawn") / "index", lambda _id: ()) as index:
        half = count // 2
        index.open_or_rebuild(lambda: index_docs[:half] if half else index_docs)
        if half:
            index.upsert(index_docs[half:])
        vocabulary = frozenset().union(*(d.words for d in docs))
        for text, pred in queries:
            expected = {d.id for d in docs if evaluate(pred, d, vocabulary)}
            assert found(index, text) == expected, text


@pytest.mark.parametrize(
    ("query", "also"),
    [
        ("water NOT bank", "water AND NOT bank"),
        ("water -bank", "water AND NOT bank"),
        ("(water OR river) -bank", "(water OR river) AND NOT bank"),
    ],
)
def test_not_and_minus_mean_and_not(
    corpus: tuple[SearchIndex, list[Doc]], query: str, also: str
) -> None:
    """Given items holding only "bank" sorted before items holding both words (the case
    Whoosh's AndNot matcher missed), NOT and - exclude exactly what AND NOT does."""
    index, docs = corpus
    result = found(index, query)
    assert result == found(index, also)
    assert result and not any("bank" in d.body or "bank" in d.title for d in docs if d.id in result)


def test_a_field_value_narrows(corpus: tuple[SearchIndex, list[Doc]]) -> None:
    index, docs = corpus
    plain = found(index, "water")
    narrowed = found(index, "water type:pdf")
    assert narrowed and narrowed < plain
    assert narrowed == {d.id for d in docs if d.id in plain and d.kind == "pdf"}


def test_plus_makes_the_other_words_rank_only(corpus: tuple[SearchIndex, list[Doc]]) -> None:
    index, _docs = corpus
    assert found(index, "+water bank") == found(index, "water")
    assert found(index, "+water +bank") == found(index, "water AND bank")


def test_a_prefix_nothing_starts_with_matches_nothing(
    corpus: tuple[SearchIndex, list[Doc]],
) -> None:
    """Not "no constraint": ``water AND nox*`` finds nothing (Whoosh's And drops a
    NullQuery, which would leave ``water``)."""
    index, _docs = corpus
    assert found(index, "water AND nox*") == set()
    assert found(index, "water nox*") == found(index, "water")
    assert found(index, "wat*") == found(index, "water")  # water, waters


def test_generated_corpus_is_varied(corpus: tuple[SearchIndex, list[Doc]]) -> None:
    _index, docs = corpus
    assert len({d.kind for d in docs}) == len(KINDS)
    assert sum(1 for d in docs if not d.body) >= 1
