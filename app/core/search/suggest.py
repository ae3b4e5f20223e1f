"""Typos: "did you mean" and the corrected query.

Every word of a query that the index does not know (not in the ``words`` vocabulary, not a
stop word, not a number, 3+ letters) is replaced by the most frequent indexed word at the
smallest edit distance (1, then 2 for words of 5+ letters); the rest is kept as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .fold_analyzer import STOP_WORDS
from .query_compile import OPERATORS, WORD_RE, QueryCompiler
from .schema import fold

__all__ = ["Corrector"]


class Corrector:
    """Corrects queries against one index; remembers corrections for the live searcher
    (typing repeats the same words)."""

    def __init__(self, compiler: QueryCompiler) -> None:
        self._compiler = compiler
        # unknown word -> its correction, for one searcher
        self._corrections: tuple[Any, dict[str, str | None]] = (None, {})

    def _closest(self, searcher: Any, word: str) -> str | None:
        owner, cache = self._corrections
        if owner is not searcher or len(cache) > 2000:
            cache = {}
            self._corrections = (searcher, cache)
        if word not in cache:
            cache[word] = _closest(searcher.reader(), word)
        return cache[word]

    def correction(self, searcher: Any, query: str, prefix_last: bool) -> str | None:
        """``query`` with every word the index does not know replaced by the most frequent
        known word at the smallest edit distance; None when nothing changed."""
        reader = searcher.reader()
        changed = False
        out: list[str] = []
        pos = 0
        for match in _suggestable_words(query):
            word = match.group()
            low = fold(word)
            if (
                prefix_last
                and match.end() == len(query)
                and self._compiler.prefix_stems(searcher, low)
            ):
                continue  # still being typed, and some word starts with it
            out.append(query[pos : match.start()])
            pos = match.end()
            replacement = word
            known = low in STOP_WORDS or ("words", low) in reader
            if len(low) >= 3 and not low.isdigit() and not known:
                better = self._closest(searcher, low)
                if better is not None:
                    replacement = _match_case(better, word)
                    changed = True
            out.append(replacement)
        out.append(query[pos:])
        return "".join(out) if changed else None


def _suggestable_words(query: str) -> Iterator[re.Match[str]]:
    """Plain words of the query: not operators, not field names, not excluded words (``-x``,
    ``NOT x``: excluding a word no item holds is what the rep asked for, and a correction
    would exclude another word)."""
    after_not = False
    for match in WORD_RE.finditer(query):
        word = match.group()
        start = match.start()  # "-x" excludes at the start or after a space, not in "pre-sales"
        excluded = after_not or (
            query[start - 1 : start] == "-" and query[: start - 1][-1:] in " ("
        )
        after_not = word == "NOT"
        if word in OPERATORS or excluded:
            continue
        if query[match.end() : match.end() + 1] in (":", "*", "?"):
            continue  # a field name, or a prefix / wildcard
        yield match


def _match_case(word: str, like: str) -> str:
    if len(like) > 1 and like.isupper():
        return word.upper()
    return word.capitalize() if like[:1].isupper() else word


def _closest(reader: Any, word: str) -> str | None:
    """The most frequent indexed word at the smallest edit distance (1, then 2)."""
    for distance in (1, 2):
        if distance == 2 and len(word) < 5:
            break
        candidates = list(reader.terms_within("words", word, distance, prefix=1))
        if candidates:
            return str(max(candidates, key=lambda w: (reader.frequency("words", w), w)))
    return None
