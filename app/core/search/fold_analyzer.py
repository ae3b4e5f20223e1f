"""One Whoosh analyzer doing what a five-stage filter chain did, several times faster.

Every text field used to be analysed by ``RegexTokenizer | LowercaseFilter | CharsetFilter |
StopFilter | StemFilter``: five generators handing one mutable Token down a chain, so each of
the ~33,000 words of a typical deck paid five Python calls and a stem-cache lookup. Indexing
was the slowest part of a publish (and of a rep's first sync when the index is built
locally). :class:`FoldAnalyzer` yields exactly the same tokens (texts, positions, stopped
flags, character offsets) from one loop, with the result for each distinct raw word cached:
folding, the stop test and the Porter stem are computed once per word, not once per
occurrence. ``tests/test_fold_analyzer.py`` checks it against the chain on real documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import whoosh.analysis as _analysis_mod
import whoosh.lang.porter as _porter_mod
import whoosh.support.charset as _charset_mod

analysis: Any = _analysis_mod
ACCENT_MAP: Any = _charset_mod.accent_map
_stem: Any = _porter_mod.stem

# One tokenizer for indexing, querying, highlighting and snippet scoring. Underscores split
# words (file names), dots inside a word do not (3.5, e.g., v2.1).
TOKEN_PATTERN = r"[^\W_]+(?:\.[^\W_]+)*"
TOKEN_RE = re.compile(TOKEN_PATTERN)
#: Whoosh's 34 English stop words, and the question words, auxiliaries and pronouns people
#: type when they ask in sentences ("what are the prices of ..."): they match almost every
#: document and only add noise to the ranking. Measured on the Cranfield queries (MAP
#: 0.2930 -> 0.3046 at the same BM25 settings; see README, "Relevance").
# fmt: off
QUESTION_WORDS = frozenset((
    "what", "which", "who", "whom", "whose", "why", "how", "where", "does", "do", "did",
    "done", "has", "had", "been", "was", "were", "there", "their", "its", "such", "than",
    "these", "those", "any", "some", "about", "into", "also", "other", "so", "all", "very",
    "each", "both", "then", "they", "them", "he", "she", "his", "her", "our", "me", "my",
))
# fmt: on
STOP_WORDS: frozenset[str] = frozenset(analysis.STOP_WORDS) | QUESTION_WORDS
MIN_LENGTH = 2  # shorter folded words are not indexed (Whoosh StopFilter's minsize)
#: Document text keeps numbers up to this many digits (years, counts, sizes, model numbers);
#: longer ones (prices, quantities, phone and serial numbers) were 98 % of the distinct
#: tokens of the benchmark corpus and half the indexing time, for searches nobody makes.
#: Titles, descriptions, file names and tags keep every number.
MAX_NUMBER_DIGITS = 4
_CACHE_LIMIT = 400_000  # distinct raw words remembered; the cache is cleared beyond this


def fold_word(raw: str) -> str:
    """Lower case, accents folded (Whoosh's accent map), as the analyzer sees a word."""
    low = raw.lower()
    return low if low.isascii() else str(low.translate(ACCENT_MAP))


def is_indexed(folded: str, *, long_numbers: bool = True) -> bool:
    """Whether a folded word is kept (not a stop word, at least two characters; with
    ``long_numbers`` false, not a number of more than :data:`MAX_NUMBER_DIGITS` digits)."""
    if len(folded) < MIN_LENGTH or folded in STOP_WORDS:
        return False
    return long_numbers or not is_long_number(folded)


def is_long_number(word: str) -> bool:
    """Digits (and dots) only, more than MAX_NUMBER_DIGITS digits: 61873.5, 4155550123."""
    digits = word.replace(".", "")
    return len(digits) > MAX_NUMBER_DIGITS and digits.isdigit()


class FoldAnalyzer(analysis.Analyzer):  # type: ignore[misc]
    """Words (``TOKEN_PATTERN``), lower case, accents folded, English stop words out and,
    when ``stem`` is true, Porter-stemmed. Positions of kept words are renumbered as Whoosh's
    StopFilter does: the first kept word keeps its raw position, each next one adds one."""

    def __init__(self, *, stem: bool, long_numbers: bool = True) -> None:
        self.stem = stem
        self.long_numbers = long_numbers
        self._words: dict[str, tuple[str, str, bool]] = {}
        self._kept: dict[str, bool] = {}  # raw word -> kept, for kept_flags' C-level lookups

    # The cache is not part of the analyzer's identity or of the pickled schema.
    def __getstate__(self) -> dict[str, Any]:
        return {"stem": self.stem, "long_numbers": self.long_numbers}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.stem = bool(state.get("stem", True))
        self.long_numbers = bool(state.get("long_numbers", True))
        self._words = {}
        self._kept = {}

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, FoldAnalyzer)
            and self.stem == other.stem
            and self.long_numbers == other.long_numbers
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.stem, self.long_numbers))

    def __repr__(self) -> str:
        return f"FoldAnalyzer(stem={self.stem}, long_numbers={self.long_numbers})"

    def has_morph(self) -> bool:
        return self.stem

    def _word(self, raw: str) -> tuple[str, str, bool]:
        """(folded, stemmed, kept) for one raw word, cached."""
        words = self._words
        found = words.get(raw)
        if found is None:
            folded = fold_word(raw)
            kept = is_indexed(folded, long_numbers=self.long_numbers)
            found = (folded, _stem(folded) if kept and self.stem else folded, kept)
            if len(words) >= _CACHE_LIMIT:
                words.clear()
                self._kept.clear()
            words[raw] = found
            self._kept[raw] = kept
        return found

    def keeps(self, raw: str) -> bool:
        """Whether this analyzer indexes the raw word (cached like every word it sees)."""
        return self._word(raw)[2]

    def kept_flags(self, raws: list[str]) -> list[bool]:
        """For each raw word, whether this analyzer indexes it (one cached lookup each, in
        C; a word not seen before is analysed)."""
        flags: list[bool | None] = list(map(self._kept.get, raws))
        if None in flags:
            word = self._word
            flags = [word(r)[2] if f is None else f for r, f in zip(raws, flags, strict=True)]
        return flags  # type: ignore[return-value]

    def term(self, raw: str) -> str | None:
        """The indexed form of one raw word (None when it is not indexed), cached."""
        _folded, term, kept = self._word(raw)
        return term if kept else None

    def kept_words(self, texts: list[str]) -> set[str]:
        """The distinct indexed forms of the words in ``texts`` (each raw word analysed once)."""
        raw: set[str] = set()
        for text in texts:
            raw.update(TOKEN_RE.findall(text))
        word = self._word
        return {out for w in raw if (found := word(w))[2] and (out := found[1])}

    def _untokenized(self, t: Any, value: str, start_pos: int, start_char: int) -> Iterator[Any]:
        """One untokenized value: Whoosh's parser sends prefixes, wildcards, fuzzy terms and
        range ends this way. Stemming a prefix breaks it ("res*" would become "re*"), so the
        value is only folded (the five-stage chain stemmed it)."""
        folded, _stem, kept = self._word(value)
        t.original = value
        t.boost = 1.0
        if t.positions:
            t.pos = start_pos
        if t.chars:
            t.startchar = start_char
            t.endchar = start_char + len(value)
        if kept or not t.removestops:
            t.text = folded
            t.stopped = not kept
            yield t

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        no_morph: bool = False,
        **kwargs: Any,
    ) -> Iterator[Any]:
        t = analysis.Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        stemmed = self.stem and not no_morph
        if not tokenize:
            yield from self._untokenized(t, value, start_pos, start_char)
            return
        word = self._word
        pos: int | None = None
        for raw_pos, match in enumerate(TOKEN_RE.finditer(value)):
            raw = match.group(0)
            folded, stem, kept = word(raw)
            if kept:
                t.text = stem if stemmed else folded
                t.stopped = False
                if positions:
                    pos = start_pos + raw_pos if pos is None else pos + 1
                    t.pos = pos
            elif removestops:
                continue
            else:
                t.text = folded
                t.stopped = True
                if positions:
                    t.pos = start_pos + raw_pos
            t.boost = 1.0
            if keeporiginal:
                t.original = raw
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            yield t
