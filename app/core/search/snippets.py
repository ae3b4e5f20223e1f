"""Snippets: the ~200 characters of a hit's text that show why it matched, and its page.

The index knows where each query term occurs in a document (body token positions) and
where each of its segments (page, slide, sheet) starts, so the best segment is chosen from
the index's own analysis; only that segment's text is then loaded (``text_loader``) and
highlighted, for the returned hits only. Matches are marked ``[[word]]`` (see
:mod:`.types`).
"""

from __future__ import annotations

import bisect
import math
import re
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import compress, count, islice
from typing import Any

from app.core.extract.types import Segment
from app.core.textblob import line_key

from . import ranking
from .fold_analyzer import TOKEN_RE
from .query_compile import QueryCompiler, positive_terms
from .schema import ACCENT_MAP, ANALYZER, BODY_ANALYZER
from .types import MARK_CLOSE, MARK_OPEN, Hit

__all__ = ["SNIPPET_CHARS", "HitMaker"]

SNIPPET_CHARS = 200
SNIPPET_TOKENS = 25  # about SNIPPET_CHARS of running text


class HitMaker:
    """Makes the :class:`.types.Hit` of each result; ``text_loader(id)`` gives an item's
    segments (the body text is not stored in the index)."""

    def __init__(
        self, text_loader: Callable[[str], Sequence[Segment]], compiler: QueryCompiler
    ) -> None:
        self._text_loader = text_loader
        self._compiler = compiler

    def listed(self, fields: Mapping[str, Any]) -> Hit:
        """The hit of an item listed without a query (its description or first text)."""
        snippet, loc = self._fallback_snippet(str(fields["id"]), fields, frozenset())
        return _make_hit(fields, 0.0, snippet, loc)

    def hits(
        self,
        searcher: Any,
        results: ranking.Ranked,
        parsed: Any,
        query: str,
        snippets: int | None = None,
    ) -> list[Hit]:
        """The hits of ``results``; only the first ``snippets`` (None: all) get a snippet and
        a location, the others an empty snippet and no location."""
        reader = searcher.reader()
        terms = frozenset(positive_terms(parsed, reader))
        top = results.top if snippets is None else results.top[: max(0, snippets)]
        docnums = [docnum for _, docnum in top]
        positions = ranking.term_positions(reader, docnums, terms, ranking.postings_of(searcher))
        idf = {t: ranking.idf(searcher, t) for t in terms}
        typed = self._compiler.typed_forms(query, terms)
        hits = []
        for rank, (score, docnum) in enumerate(results.top):
            fields = searcher.stored_fields(docnum)
            if rank >= len(top):
                hits.append(_make_hit(fields, float(score or 0.0), "", None))
                continue
            where = positions.get(docnum, {})
            snippet, loc = self._snippet(fields, where, terms, idf, typed)
            hits.append(_make_hit(fields, float(score or 0.0), snippet, loc))
        return hits

    def _snippet(
        self,
        fields: Mapping[str, Any],
        positions: Mapping[str, Sequence[int]],
        terms: frozenset[str],
        idf: Mapping[str, float],
        typed: Mapping[str, frozenset[str]],
    ) -> tuple[str, int | None]:
        """Snippet and location from the segment where the query's body terms score best.

        The index knows where each term occurs (token positions) and where each segment
        starts, so the best segment is chosen from the index's own analysis; only that
        segment's text is then read and highlighted.
        """
        doc_id = str(fields["id"])
        segments = self._load(doc_id)
        starts = fields.get("starts") or []
        best = None
        if positions:
            texts = [segment.text for segment in segments]
            best = _best_segment(positions, starts, idf, texts, typed)
        if best is not None and best[0] < len(segments):
            index, token = best
            segment = segments[index]
            anchor = _char_offset(segment.text, token)
            snippet = _highlight_window(visible_text(segment), anchor, terms)
            if snippet:
                return snippet, segment.loc
        return self._fallback_snippet(doc_id, fields, terms, segments)

    def _fallback_snippet(
        self,
        doc_id: str,
        fields: Mapping[str, Any],
        terms: frozenset[str],
        segments: Sequence[Segment] | None = None,
    ) -> tuple[str, int | None]:
        description = _clean(str(fields.get("description") or ""))
        if description:
            if terms:
                marked = _highlight(description, terms)
                if marked:
                    return marked, None
            return _head(description), None
        if segments is None:
            segments = self._load(doc_id)
        for segment in segments:
            text = _clean(visible_text(segment))
            if text:
                return _head(text), None
        return "", None

    def _load(self, doc_id: str) -> Sequence[Segment]:
        try:
            return self._text_loader(doc_id)
        except Exception:  # a missing or unreadable text must not break the search
            return ()


def visible_text(segment: Segment) -> str:
    """The segment's text with its repeated lines (running headers, footers, page numbers:
    see :mod:`app.core.textblob`) blanked out, at the same length (offsets stay valid)."""
    if not segment.repeated:
        return segment.text
    lines = segment.text.split("\n")
    repeated = segment.repeated
    return "\n".join(" " * len(line) if line_key(line) in repeated else line for line in lines)


_SPACE_RUN = re.compile(r"\s+")
_RUN_ON = frozenset(".,;:!?-–")  # a line ending so continues with a plain space
LINE_SEP = " · "  # between short lines: slide bullets, headings, list items
CELL_SEP = " | "  # between table cells (a tab in the extracted text)
_SHORT_LINE = 40  # shorter lines are not wrapped prose


def _clean(text: str) -> str:
    """One line of display text: whitespace collapsed, but table cells (tabs) kept apart
    by CELL_SEP and short lines (bullets, headings) by LINE_SEP; wrapped prose joins with a
    space. Marker look-alikes in the source are broken up."""

    def separator(run: re.Match[str]) -> str:
        gap = run.group()
        if "\t" in gap:
            return CELL_SEP
        if "\n" not in gap:
            return " "
        start = text.rfind("\n", 0, run.start()) + 1
        line = text[start : run.start()].strip()
        if not line or line[-1] in _RUN_ON or len(line) >= _SHORT_LINE:
            return " "
        return LINE_SEP

    text = _SPACE_RUN.sub(separator, text).strip(" |·")
    return text.replace(MARK_OPEN, "[ [").replace(MARK_CLOSE, "] ]")


def _head(text: str) -> str:
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text[:SNIPPET_CHARS]
    space = cut.rfind(" ")
    if space > SNIPPET_CHARS // 2:
        cut = cut[:space]
    return cut.rstrip() + " …"


def _char_offset(text: str, token: int) -> int:
    """Character offset of the ``token``-th indexed token of ``text`` (0 if not found).

    Segments can be whole documents: the text is read a chunk at a time up to the token
    only, each chunk's raw words found in C and the analyzer's cached answers looked up per
    word, then the offset of that one word."""
    if token <= 0:
        return 0
    seen = 0  # indexed words before ``start``
    start = 0
    while start < len(text):
        # about 8 characters per indexed word (stop words and spaces included)
        end = _chunk_end(text, start + max(_CHUNK_CHARS, 8 * (token - seen)))
        flags = BODY_ANALYZER.kept_flags(TOKEN_RE.findall(text, start, end))
        kept = sum(flags)
        if seen + kept > token:
            index = next(islice(compress(count(), flags), token - seen, None))
            return next(islice(TOKEN_RE.finditer(text, start, end), index, None)).start()
        seen += kept
        start = end
    return 0


_CHUNK_CHARS = 2048
_GAP = re.compile(r"\s")


def _chunk_end(text: str, at: int) -> int:
    """The first gap (white space, which no word holds) at or after ``at``, or the end."""
    if at >= len(text):
        return len(text)
    gap = _GAP.search(text, at)
    return len(text) if gap is None else gap.start()


def _best_segment(
    positions: Mapping[str, Sequence[int]],
    starts: Sequence[int],
    idf: Mapping[str, float],
    texts: Sequence[str],
    typed: Mapping[str, frozenset[str]],
) -> tuple[int, int] | None:
    """(segment index, token offset in it of the densest run of matches) for the best segment.

    Segments are ranked first by the query words found there as typed (folded; idf-weighted),
    then by the stemmed score idf × (1 + log tf) from the index positions; the first segment
    wins ties. So "tuning" opens the page that says "tuning" rather than the one that says
    "tune" twice, and "pricing discount" a page with both words over one with "priced" alone.
    """
    if not starts:
        return None
    per_segment: dict[int, list[tuple[int, str]]] = {}
    for term, where in positions.items():
        for pos in where:
            index = bisect.bisect_right(starts, pos) - 1
            per_segment.setdefault(index, []).append((pos, term))
    best: tuple[float, float, int] | None = None
    for index, found in per_segment.items():
        counts: dict[str, int] = {}
        for _, term in found:
            counts[term] = counts.get(term, 0) + 1
        score = sum(idf.get(t, 1.0) * (1.0 + math.log(n)) for t, n in counts.items())
        exact = 0.0
        if typed and index < len(texts):
            folded = _folded(texts[index])
            exact = sum(
                idf.get(t, 1.0) for t in counts if any(word in folded for word in typed.get(t, ()))
            )
        key = (exact, score, -index)
        if best is None or key > (best[0], best[1], -best[2]):
            best = (exact, score, index)
    if best is None:
        return None
    index = best[2]
    found = sorted(per_segment[index])
    return index, _densest(found) - starts[index]


def _folded(text: str) -> str:
    """Lower case, accents folded (the accent map changes only non-ASCII characters)."""
    low = text.lower()
    return low if low.isascii() else str(low.translate(ACCENT_MAP))


def _densest(hits: Sequence[tuple[int, str]]) -> int:
    """Position of the match that starts the snippet-sized run with most distinct terms."""
    best_at, best_n = hits[0][0], 0
    window: dict[str, int] = {}  # stem -> count among hits[i:j]
    j = 0
    for start, stem in hits:
        while j < len(hits) and hits[j][0] - start <= SNIPPET_TOKENS:
            window[hits[j][1]] = window.get(hits[j][1], 0) + 1
            j += 1
        if len(window) > best_n:
            best_at, best_n = start, len(window)
        window[stem] -= 1
        if not window[stem]:
            del window[stem]
    return best_at


def _highlight_window(raw: str, anchor: int, terms: frozenset[str]) -> str:
    """Highlight around ``anchor`` in a bounded window (segments can be whole documents)."""
    lo = max(0, anchor - SNIPPET_CHARS)
    hi = anchor + 2 * SNIPPET_CHARS
    window = _clean(raw[lo:hi])
    snippet = _highlight(window, terms)
    if snippet and lo > 0 and not snippet.startswith("…"):
        snippet = "… " + snippet
    if snippet and hi < len(raw) and not snippet.endswith("…"):
        snippet = snippet + " …"
    return snippet


def _highlight(text: str, terms: frozenset[str]) -> str:
    """A ~200-char fragment of ``text`` around the best cluster of ``terms``, marked.

    Whoosh's highlighter (ContextFragmenter, BasicFragmentScorer, the later fragment on
    ties) on plain tuples, with the same output: its token objects and filters were most
    of a search's snippet time.
    """
    term_of = ANALYZER.term
    tokens = [
        (m.start(), m.end(), term if (term := term_of(m.group())) in terms else None)
        for m in TOKEN_RE.finditer(text)
    ]
    best: tuple[int, int, int, list[tuple[int, int, str]]] | None = None
    for start, end, matches in _fragments(tokens):
        score = len(matches) * (len({t for _, _, t in matches}) * 100 or 1)
        if best is None or score >= best[0]:  # ties: the later one, as Whoosh's nlargest
            best = (score, start, end, matches)
    if best is None or best[0] < 1:
        return ""
    _, start, end, matches = best
    out: list[str] = []
    at = start
    for m_start, m_end, _term in matches:
        if m_start < at:
            continue
        out.append(text[at:m_start])
        out.append(MARK_OPEN + text[m_start:m_end] + MARK_CLOSE)
        at = m_end
    out.append(text[at:end])
    body = "".join(out).strip()
    if start > 0:
        body = "… " + body
    if end < len(text):
        body = body + " …"
    return body


_SURROUND = SNIPPET_CHARS // 2 - 10


def _fragments(
    tokens: list[tuple[int, int, str | None]],
) -> Iterator[tuple[int, int, list[tuple[int, int, str]]]]:
    """Whoosh's ContextFragmenter(maxchars=SNIPPET_CHARS, surround=_SURROUND) over (start,
    end, matched term or None) tokens: (start, end, matches) of runs of matched tokens with
    up to _SURROUND characters around them."""
    first: int | None = None
    firsts: deque[int] = deque()
    countdown = -1
    found: list[tuple[int, int, str]] = []
    end = 0
    length = 0
    for start, end, term in tokens:
        size = end - start
        matched = term is not None
        if countdown < 0 and not matched:
            firsts.append(start)
            while firsts and end - firsts[0] > _SURROUND:
                firsts.popleft()
        elif length + size > SNIPPET_CHARS:
            countdown = 0
        elif matched:
            countdown = _SURROUND
            if first is None:
                if firsts:
                    first = firsts[0]
                else:
                    first = start
                    countdown += _SURROUND
            found.append((start, end, str(term)))
        if countdown >= 0:
            length += size
            countdown -= size
            if countdown <= 0:
                yield _fragment(first, end, found)
                found, firsts, first, length = [], deque(), None, 0
    if found:
        yield _fragment(first, end, found)


def _fragment(
    first: int | None, end: int, found: list[tuple[int, int, str]]
) -> tuple[int, int, list[tuple[int, int, str]]]:
    start = first if first is not None else found[0][0] if found else end
    return start, end, found


def _make_hit(fields: Mapping[str, Any], score: float, snippet: str, loc: int | None) -> Hit:
    return Hit(
        id=str(fields["id"]),
        title=str(fields.get("title") or ""),
        version=int(fields.get("version") or 0),
        score=score,
        snippet=snippet,
        location=loc,
        kind=str(fields.get("kind") or "other"),
    )
