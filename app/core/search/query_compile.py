"""Query compiling: the :mod:`.query_syntax` tree of what the user typed, as Whoosh queries.

:mod:`.query_syntax` parses (exact operators, checked against a brute-force oracle); here
each node becomes the Whoosh query that means the same over our fields: plain words search
every field of :data:`.schema.SEARCH_FIELDS` with its weight, a prefix expands to the stems
of the most frequent indexed words starting with it, ``field:value`` narrows. Exclusions of
the whole query come out as the last part of a top-level ``And``, as ``Not``: the ranking
moves them into the mask (:func:`.ranking.split_exclusions`).
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import whoosh.query as _query_mod

from . import query_syntax
from .fold_analyzer import TOKEN_RE
from .schema import ANALYZER, BODY_ANALYZER, SEARCH_FIELDS, field_suffix, fold

__all__ = [
    "PREFIX_MAX_EXPANSIONS",
    "QueryCompiler",
    "filter_query",
    "positive_terms",
    "query_words",
    "with_last_prefix",
]

Q: Any = _query_mod

PREFIX_MIN_CHARS = 3  # search-as-you-type: shorter last words are matched as typed
PREFIX_MAX_EXPANSIONS = 8  # completions per prefix, most frequent first (16: p95 77 ms)
PREFIX_MAX_SCAN = 4000

OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
WORD_RE = re.compile(r"[^\W_]+(?:['.][^\W_]+)*")
NOTHING: Any = Q.Term("id", "")  # no item has an empty id: a query matching nothing


class QueryCompiler:
    """Compiles queries for one index; caches stems and prefix expansions (call
    :meth:`forget_prefixes` when the searcher changes: expansions depend on the index)."""

    def __init__(self, schema: Any) -> None:
        self._schema = schema
        self._stems: dict[str, str | None] = {}  # word -> its indexed form
        self._prefixes: dict[str, list[str]] = {}  # prefix -> stems, for the live searcher

    def forget_prefixes(self) -> None:
        self._prefixes = {}

    def parse(self, searcher: Any, text: str, *, prefix_last: bool) -> Any:
        """The Whoosh query of ``text`` (see :mod:`.query_syntax`), or None for nothing to run.

        Exclusions of the whole query are the last part of a top-level ``And``, as ``Not``:
        :func:`.ranking.run` moves them into the mask (what Whoosh's ``mask=`` is for)."""
        if prefix_last:
            text = with_last_prefix(text)
        return self._compile_top(searcher, query_syntax.parse(text))

    def parse_plain(self, searcher: Any, text: str) -> Any:
        words = tuple(query_syntax.Word(w) for w in WORD_RE.findall(text))
        return self._compile_top(searcher, query_syntax.Group(optional=words))

    def _compile_top(self, searcher: Any, group: query_syntax.Group) -> Any:
        base, excluded = self._compile_group(searcher, group)
        if base is None:
            return None
        if excluded is None:
            return base
        return Q.And([base, Q.Not(excluded)])

    def _compile_group(self, searcher: Any, group: query_syntax.Group) -> tuple[Any, Any]:
        """(what must match, what must not: None for nothing) of one level of the query."""
        compile_ = self.compile

        def compiled(nodes: tuple[query_syntax.Node, ...]) -> list[Any]:
            return [q for n in nodes if (q := compile_(searcher, n)) is not None]

        optional, required = compiled(group.optional), compiled(group.required)
        filters, excluded = compiled(group.filters), compiled(group.excluded)
        banned = None if not excluded else excluded[0] if len(excluded) == 1 else Q.Or(excluded)
        ranking = None if not optional else optional[0] if len(optional) == 1 else Q.Or(optional)
        parts: list[Any] = list(required)
        if ranking is not None and not required:
            parts.insert(0, ranking)
            ranking = None
        parts.extend(filters)
        if not parts:
            return (None, None) if banned is None else (Q.Every(), banned)
        base = parts[0] if len(parts) == 1 else Q.And(parts)
        if ranking is not None:  # "+x y": y only ranks
            base = Q.AndMaybe(base, ranking)
        return base, banned

    def compile(self, searcher: Any, node: query_syntax.Node) -> Any:
        """The Whoosh query of one node (None: nothing to match, e.g. a stop word)."""
        if isinstance(node, query_syntax.Word):
            return self._word_query(searcher, node)
        if isinstance(node, query_syntax.Phrase):
            return self._text_query(node.text, node.field, phrase=True)
        if isinstance(node, query_syntax.Group):
            base, banned = self._compile_group(searcher, node)
            if base is None or banned is None:
                return base
            return Q.And([base, Q.Not(banned)])
        if isinstance(node, query_syntax.Any_):
            subs = [q for n in node.parts if (q := self.compile(searcher, n)) is not None]
            return _joined(Q.Or, subs)
        if isinstance(node, query_syntax.All):
            return self._compile_all(searcher, node)
        return None  # a bare Not is always inside an All

    def _compile_all(self, searcher: Any, node: query_syntax.All) -> Any:
        subs = []
        for part in node.parts:
            inner = part.node if isinstance(part, query_syntax.Not) else part
            q = self.compile(searcher, inner)
            if q is not None:
                subs.append(Q.Not(q) if isinstance(part, query_syntax.Not) else q)
        if subs and all(isinstance(q, Q.Not) for q in subs):
            subs.insert(0, Q.Every())
        return _joined(Q.And, subs)

    def _word_query(self, searcher: Any, word: query_syntax.Word) -> Any:
        if word.field == "kind":
            value = fold(word.text)
            return Q.Prefix("kind", value) if word.prefix else Q.Term("kind", value)
        if word.prefix:
            value = fold(word.text)
            if not value.strip("*?"):
                return Q.Every()  # a bare "*": everything, without reading every term
            fields = {word.field: 1.0} if word.field else SEARCH_FIELDS
            subs = []
            for name, boost in fields.items():
                expanded = self._expand_prefix(searcher, Q.Prefix(name, value, boost=boost))
                if expanded is not Q.NullQuery:
                    subs.extend(expanded.subqueries)
            # a prefix nothing starts with matches nothing (Whoosh's And drops a NullQuery)
            return Q.Or(subs) if subs else NOTHING
        return self._text_query(word.text, word.field, phrase=False)

    def _text_query(self, text: str, field: str | None, *, phrase: bool) -> Any:
        """A word or a phrase in one field, or in every searched field with its weight. A word
        the analyzer cuts into several (``covid-19``) is matched as a phrase."""
        if field == "kind":
            return Q.Term("kind", fold(text))
        terms = [str(t.text) for t in ANALYZER(text)]
        if not terms:
            return None
        fields = {field: 1.0} if field else SEARCH_FIELDS
        if len(terms) == 1:
            subs = [Q.Term(name, terms[0], boost=boost) for name, boost in fields.items()]
        else:
            subs = [Q.Phrase(name, terms, boost=boost) for name, boost in fields.items()]
        return subs[0] if len(subs) == 1 else Q.Or(subs)

    def _expand_prefix(self, searcher: Any, q: Any) -> Any:
        """``pric*`` on a stemmed field: the stems of the most frequent indexed words starting
        with "pric" (pricing, prices → price; prick → prick). A raw prefix over stems would
        miss "pricin*" (no stem starts with it) and can expand to thousands of terms."""
        field = q.fieldname
        if field not in self._schema or self._schema[field].analyzer not in (
            ANALYZER,
            BODY_ANALYZER,
        ):
            return q
        stems = self.prefix_stems(searcher, fold(q.text))
        if not stems:
            return Q.NullQuery
        return Q.Or([Q.Term(field, stem, boost=q.boost) for stem in stems])

    def prefix_stems(self, searcher: Any, prefix: str) -> list[str]:
        cached = self._prefixes.get(prefix)
        if cached is not None:
            return cached
        found: list[tuple[int, str]] = []
        if prefix:
            reader = searcher.reader()
            for n, (btext, info) in enumerate(reader.iter_prefix("words", prefix)):
                if n >= PREFIX_MAX_SCAN:
                    break
                # weight: documents holding the word (see schema.Vocabulary)
                found.append((int(info.weight()), btext.decode("utf-8")))
        best = heapq.nlargest(PREFIX_MAX_EXPANSIONS, found)
        stems = sorted({stem for _, word in best if (stem := self.stem(word))})
        if len(self._prefixes) > 2000:
            self._prefixes.clear()
        self._prefixes[prefix] = stems
        return stems

    def typed_forms(self, query: str, terms: frozenset[str]) -> dict[str, frozenset[str]]:
        """stem → the query's words (folded, as typed) that have that stem."""
        forms: dict[str, set[str]] = {}
        for word in WORD_RE.findall(query):
            low = fold(word)
            stem = self.stem(low)
            if stem is not None and stem in terms:
                forms.setdefault(stem, set()).add(low)
        return {stem: frozenset(words) for stem, words in forms.items()}

    def stem(self, word: str) -> str | None:
        """The indexed form of one word (None for a stop word)."""
        cached = self._stems.get(word, "")
        if cached != "":
            return cached
        tokens = [t.text for t in ANALYZER(word)]
        result = str(tokens[0]) if len(tokens) == 1 else None
        if len(self._stems) > 200_000:
            self._stems.clear()
        self._stems[word] = result
        return result


def _joined(kind: Any, subs: list[Any]) -> Any:
    """None, the only query, or ``kind(subs)``."""
    return None if not subs else subs[0] if len(subs) == 1 else kind(subs)


def filter_query(filters: Mapping[str, str | Sequence[str]] | None) -> Any:
    if not filters:
        return None
    parts = []
    for key, value in filters.items():
        values = [value] if isinstance(value, str) else list(value)
        normal = [fold(v) for v in values if v and fold(v)]
        if not normal:
            continue
        name = fold(key)
        if name in ("type", "kind"):
            terms = [Q.Term("kind", v) for v in normal]
        else:
            field = f"f_{field_suffix(key)}"
            terms = [Q.Term(field, v) for v in normal]
        parts.append(terms[0] if len(terms) == 1 else Q.Or(terms))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.And(parts)


def with_last_prefix(text: str) -> str:
    """``foo ba`` → ``foo (ba OR ba*)`` when the last word is a plain, unfinished word."""
    if not text or text[-1].isspace() or text.count('"') % 2:
        return text
    if text.count("(") != text.count(")"):
        return text
    head, _, last = text.rpartition(" ")
    word = last.lstrip("(+")
    lead = last[: len(last) - len(word)]
    if word.upper() in OPERATORS or not re.fullmatch(r"[^\W_]+(?:['.\-][^\W_]+)*", word):
        return text
    if len(fold(word)) < PREFIX_MIN_CHARS:
        return text
    sep = " " if head else ""
    return f"{head}{sep}{lead}({word} OR {word}*)"


def positive_terms(q: Any, reader: Any) -> Iterator[str]:
    """Stemmed texts of the body terms that make an item match (not the NOT parts).

    Only body terms: ``title:x`` or ``product:x`` says where the user wants the match, so
    pages that merely mention x are not put forward as the reason for the hit.
    """
    if isinstance(q, Q.AndNot):
        yield from positive_terms(q.a, reader)
        return
    if isinstance(q, Q.Not):
        return
    if isinstance(q, Q.Term):
        if q.fieldname == "body":
            yield str(q.text)
        return
    if isinstance(q, Q.Phrase):
        if q.fieldname == "body":
            yield from (str(w) for w in q.words)
        return
    if isinstance(q, (Q.Prefix, Q.Wildcard)):
        if q.fieldname == "body":
            for n, (_fieldname, btext) in enumerate(q.existing_terms(reader, expand=True)):
                if n >= PREFIX_MAX_EXPANSIONS:
                    break
                yield btext.decode("utf-8") if isinstance(btext, bytes) else str(btext)
        return
    if q.is_leaf():
        return
    for sub in q.children():
        yield from positive_terms(sub, reader)


def query_words(node: query_syntax.Node) -> Iterator[query_syntax.Word]:
    """The words of a query that a result should hold (see SearchIndex: weak searches)."""
    if isinstance(node, query_syntax.Word):
        if node.field != "kind" and node.text:
            yield node
    elif isinstance(node, query_syntax.Phrase):
        for word in TOKEN_RE.findall(node.text):
            yield query_syntax.Word(word, node.field)
    elif isinstance(node, query_syntax.Group):
        for part in (*node.optional, *node.required, *node.filters):
            yield from query_words(part)
    elif isinstance(node, (query_syntax.All, query_syntax.Any_)):
        for part in node.parts:
            if not isinstance(part, query_syntax.Not):
                yield from query_words(part)
