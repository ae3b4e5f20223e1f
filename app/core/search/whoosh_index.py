"""SearchIndex: the full-text index of the library, on Whoosh (imported only in this package).

The index is a cache of the library: everything in it can be rebuilt from the catalogue, so
:meth:`SearchIndex.open_or_rebuild` rebuilds it, without asking anyone, whenever it is
missing, unreadable, corrupt, locked by someone else, or built by another schema version or
another Whoosh version.

Layout of ``index_dir``::

    CURRENT          the name of the live index folder, replaced atomically on a rebuild
    ix-<hex>/        a Whoosh index (FileStorage) + satchel-index.json (the version marker)

A rebuild always writes a fresh ``ix-<hex>`` folder, then swaps ``CURRENT``; old folders are
removed once nobody holds their write lock (lock files are never removed on their own).

Threads: every public method may be called from any thread. Searches are serialised by an
internal lock (one Whoosh searcher, reused between commits and replaced after each one;
Whoosh searchers are not safe for concurrent use). The text_loader is called from the
searching thread, under that lock, for the returned hits only. Writes (upsert, delete,
rebuild) are expected to be serialised by the caller, and are also serialised here by a
second lock; a search waits for a write only while the searcher is swapped, not while
documents are being analysed.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import heapq
import json
import math
import re
import shutil
import threading
import time
import uuid
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

import whoosh
import whoosh.analysis as _analysis_mod
import whoosh.codec.whoosh3 as _whoosh3_mod
import whoosh.fields as _fields_mod
import whoosh.filedb.filestore as _filestore_mod
import whoosh.highlight as _highlight_mod
import whoosh.index as _index_mod
import whoosh.matching.wrappers as _wrappers_mod
import whoosh.query as _query_mod
import whoosh.scoring as _scoring_mod
import whoosh.support.charset as _charset_mod
import whoosh.system as _system_mod

from app.core.extract.types import Segment

from . import query_syntax
from .adoption import ShippedSegmentSpec, assemble, read_map
from .fold_analyzer import STOP_WORDS, TOKEN_RE, FoldAnalyzer
from .positions import SafePositions
from .safe_pickle import install as _install_safe_pickle
from .segments import INDEX_NAME, BuiltSegment, build_segment
from .shipped_format import ShippedIndexError
from .shipped_format import decode as decode_shipped
from .shipped_format import encode as encode_shipped
from .shipped_segments import export_segment, value_kind
from .types import MARK_CLOSE, MARK_OPEN, TAG_KINDS, Hit, IndexDoc, SearchResults

__all__ = ["SCHEMA_VERSION", "PreparedIndex", "SearchIndex", "body_terms"]

# Whoosh reads segment files through an unpickler that builds plain data only.
_install_safe_pickle()

# Whoosh is only partly annotated: everything from it is handled as Any inside this module, and
# nothing typed Any leaves it.
analysis: Any = _analysis_mod
wfields: Any = _fields_mod
filestore: Any = _filestore_mod
highlight: Any = _highlight_mod
windex: Any = _index_mod
Q: Any = _query_mod
scoring: Any = _scoring_mod
ACCENT_MAP: Any = _charset_mod.accent_map
pack_uint: Callable[[int], bytes] = _system_mod.pack_uint
_W3LeafMatcher: Any = _whoosh3_mod.W3LeafMatcher
_WrappingMatcher: Any = _wrappers_mod.WrappingMatcher

#: Bump whenever the schema or the analysis changes: an index with another value is rebuilt.
SCHEMA_VERSION = 6
WHOOSH_VERSION: str = str(whoosh.versionstring())

MARKER = "satchel-index.json"
CURRENT = "CURRENT"
_DIR_RE = re.compile(r"^ix-[0-9a-f]{16}$")

#: Query fields searched by plain words, with their boosts (BM25F per-field weights).
SEARCH_FIELDS: dict[str, float] = {
    "title": 2.5,
    "description": 1.2,
    "tag": 1.5,
    "filename": 1.0,
    "body": 1.0,
}
# Plain words are OR-ed and ranked by the BM25F sum: any word may match, and items matching
# more of the words rank higher through the sum itself (each word's score saturates with tf).
# No extra coordination factor and no proximity bonus: both lowered MAP on the Cranfield
# collection (tests/test_relevance.py; README, "Relevance"), as did k1 1.2 against 1.6.
BM25_K1 = 1.6
BM25_B = 0.75
#: Plain words (an OR of words): a document's score is multiplied by 1 + COORDINATION x the
#: share of the query's words it holds, each word weighted by its idf. Small: on Cranfield's
#: long questions it costs 0.0005 MAP, but with two or three words it is what puts the deck
#: that has all of them above one that repeats one of them ("quick brown fox").
COORDINATION = 0.25

SNIPPET_CHARS = 200
SNIPPET_TOKENS = 25  # about SNIPPET_CHARS of running text
PREFIX_MIN_CHARS = 3  # search-as-you-type: shorter last words are matched as typed
PREFIX_MAX_EXPANSIONS = 8  # completions per prefix, most frequent first (16: p95 77 ms)
PREFIX_MAX_SCAN = 4000

_TOKEN_RE = TOKEN_RE
_STOP_WORDS: frozenset[str] = STOP_WORDS
_FILTER_SEP = "\x1f"
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
_WORD_RE = re.compile(r"[^\W_]+(?:['.][^\W_]+)*")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NOTHING: Any = Q.Term("id", "")  # no item has an empty id


def fold(text: str) -> str:
    """Lower case, accents folded, whitespace collapsed: the normal form of filter values."""
    return " ".join(str(text.lower().translate(ACCENT_MAP)).split())


def _field_suffix(kind: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(kind)).strip("_") or "other"


def _micros(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(microseconds=1)


#: Every text field: words, lower case, accents folded, English stop words out, stemmed.
_ANALYZER: Any = FoldAnalyzer(stem=True)
#: The ``words`` field: the same without stemming.
_WORD_ANALYZER: Any = FoldAnalyzer(stem=False)
#: Document text: the same, without numbers of more than MAX_NUMBER_DIGITS digits.
_BODY_ANALYZER: Any = FoldAnalyzer(stem=True, long_numbers=False)


def body_terms(text: str) -> list[str]:
    """The terms the index makes of document text, in order (stop words out, stemmed)."""
    return [str(t.text) for t in _BODY_ANALYZER(text)]


class _WordsField(wfields.KEYWORD):  # type: ignore[misc]
    """A KEYWORD field that also takes a ready {word: count} mapping, posted without analysis."""

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        if isinstance(value, Mapping):
            for word, count in value.items():
                n = int(count)
                yield str(word).encode("utf-8"), n, float(n), pack_uint(n)
            return
        yield from super().index(value, **kwargs)


VOCABULARY_ID_PREFIX = "~vocabulary-"
# Numbers (prices, quantities, codes from spreadsheets) are most of a collateral library's
# distinct tokens - 98 % in the benchmark corpus - and nobody wants "did you mean 61873.5":
# they are searchable in every text field, but not suggested or prefix-expanded.
_NUMBER_RE = re.compile(r"[\d.]+")


class _Vocabulary:
    """The surface words of a batch of documents, with how many documents hold each.

    Suggestions and prefix expansion need only which words exist and how common they are,
    not which document holds them: so instead of a ``words`` posting per word per document
    (which doubled the postings Whoosh writes, the slowest part of indexing), each write
    adds one vocabulary document whose ``words`` postings carry the document counts as
    weights. It has ``expires`` 0, so the expiry mask hides it from every search and listing.
    Counts of items deleted later stay (suggestions may name a word no item has any more).
    Numbers are left out.
    """

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def add(self, doc: IndexDoc) -> None:
        texts = [doc.title, doc.description, doc.filename]
        texts += [v for values in doc.tags.values() for v in values]
        if doc.searchable:
            texts += [s.text for s in doc.segments]
        self.counts.update(
            w for w in _WORD_ANALYZER.kept_words(texts) if not _NUMBER_RE.fullmatch(w)
        )

    def document(self) -> dict[str, object] | None:
        if not self.counts:
            return None
        return {
            "id": f"{VOCABULARY_ID_PREFIX}{uuid.uuid4().hex}",
            "words": dict(self.counts),
            "expires": 0,
        }


def _text(**kwargs: Any) -> Any:
    """A TEXT field whose positions are stored without pickle (see positions.py)."""
    field = wfields.TEXT(**kwargs)
    field.format = SafePositions(field_boost=field.format.field_boost)
    return field


def _schema() -> Any:
    text = _text
    stemmed = {"analyzer": _ANALYZER}
    schema = wfields.Schema(
        id=wfields.ID(unique=True, stored=True),
        title=text(stored=True, **stemmed),
        title_sort=wfields.ID(sortable=True),
        description=text(stored=True, **stemmed),
        kind=wfields.KEYWORD(lowercase=True, stored=True),
        filename=text(**stemmed),
        body=text(analyzer=_BODY_ANALYZER),
        tag=text(**stemmed),
        # Every surface word (not stemmed, folded): "did you mean" and prefix expansion. Only
        # the vocabulary document of each write holds it (see _Vocabulary).
        words=_WordsField(analyzer=_WORD_ANALYZER),
        version=wfields.STORED(),
        # Body token position where each segment starts: maps a match to its page.
        starts=wfields.STORED(),
        expires=wfields.NUMERIC(int, bits=64, signed=True),
        **{kind: text(**stemmed) for kind in TAG_KINDS},
    )
    # Exact values of every tag kind, for filters: f_product, f_region, f_<any kind>.
    schema.add(
        "f_*",
        wfields.KEYWORD(analyzer=analysis.RegexTokenizer(r"[^\x1f]+")),
        glob=True,
    )
    return schema


class _FastBM25F(scoring.BM25F):  # type: ignore[misc]
    """Whoosh's BM25F, scored from a per-segment table of length norms.

    Same formula and numbers as ``BM25F`` (field lengths as Whoosh stores them); the stock
    scorer reads each document's field length from the column store for every posting,
    which is most of the cost of an OR query over common words.
    """

    def __init__(self, norms: _NormCache, **kwargs: float) -> None:
        super().__init__(**kwargs)
        self._norms = norms

    def scorer(self, searcher: Any, fieldname: str, text: str, qf: int = 1) -> Any:
        base = super().scorer(searcher, fieldname, text, qf=qf)
        if not isinstance(base, scoring.BM25FScorer):
            return base
        norms = self._norms.get(searcher, fieldname, base)
        return base if norms is None else _FastScorer(base, norms)


class _FastScorer(scoring.BaseScorer):  # type: ignore[misc]
    def __init__(self, base: Any, norms: list[float]) -> None:
        self._base = base
        self._norms = norms
        self._factor = float(base.idf) * (float(base.K1) + 1.0)

    def score(self, matcher: Any) -> float:
        weight = matcher.weight()
        return float(self._factor * weight / (weight + self._norms[matcher.id()]))

    def supports_block_quality(self) -> bool:
        return bool(self._base.supports_block_quality())

    def max_quality(self) -> float:
        return float(self._base.max_quality())

    def block_quality(self, matcher: Any) -> float:
        return float(self._base.block_quality(matcher))


class _NormCache:
    """``K1 * (1 - B + B * length / avgfl)`` per document, per (segment, field)."""

    def __init__(self) -> None:
        self._tables: dict[tuple[str, str, float, float, float], list[float]] = {}
        self._lock = threading.Lock()

    def get(self, searcher: Any, fieldname: str, base: Any) -> list[float] | None:
        reader = searcher.reader()
        segment = reader.segment() if reader.is_atomic() else None
        if segment is None:
            return None
        k1, b, avgfl = float(base.K1), float(base.B), float(base.avgfl)
        key = (str(segment.segment_id()), fieldname, k1, b, avgfl)
        with self._lock:
            table = self._tables.get(key)
        if table is None:
            length = reader.doc_field_length
            table = [
                k1 * ((1.0 - b) + b * float(length(d, fieldname, 1) or 0) / avgfl)
                for d in range(int(reader.doc_count_all()))
            ]
            with self._lock:
                if len(self._tables) > 256:
                    self._tables.clear()
                self._tables[key] = table
        return table


class _MarkFormatter(highlight.Formatter):  # type: ignore[misc]
    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return MARK_OPEN + str(highlight.get_text(text, token, replace)) + MARK_CLOSE


_FORMATTER = _MarkFormatter()


class PreparedIndex:
    """An index folder written from shipped segments, not live yet; holds its write lock."""

    def __init__(self, path: Path, lock: Any) -> None:
        self.path = path
        self._lock: Any = lock

    def release(self) -> None:
        if self._lock is not None:
            with contextlib.suppress(Exception):
                self._lock.release()
            self._lock = None

    def discard(self) -> None:
        """Remove the folder (a sync that failed or was cancelled before the switch)."""
        self.release()
        shutil.rmtree(self.path, ignore_errors=True)


class SearchIndex:
    """The library's full-text index. See the module docstring for files and threads.

    ``text_loader(id)`` returns an item's segments: the body text is not stored in the index,
    so snippets and locations are built from it, for the returned hits only.
    """

    def __init__(
        self,
        index_dir: Path,
        text_loader: Callable[[str], Sequence[Segment]],
        *,
        lock_timeout: float = 2.0,
    ) -> None:
        self._root = Path(index_dir)
        self._text_loader = text_loader
        self._lock_timeout = lock_timeout
        self._lock = threading.RLock()  # the searcher and the open index
        self._write_lock = threading.RLock()  # writers, rebuilds
        self._schema: Any = _schema()
        self._ix: Any = None
        self._searcher: Any = None
        self._dir: Path | None = None
        self._all_docs: Callable[[], Iterable[IndexDoc]] | None = None
        self._stems: dict[str, str | None] = {}  # word -> its indexed form
        self._prefixes: dict[str, list[str]] = {}  # prefix -> stems, for the live searcher
        # unknown word -> its correction, for one searcher (typing repeats the same words)
        self._corrections: tuple[Any, dict[str, str | None]] = (None, {})
        self._norms = _NormCache()

    # ----------------------------------------------------------------- lifecycle

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the searcher and the index. Safe to call twice."""
        with self._write_lock, self._lock:
            self._close_open()

    @property
    def directory(self) -> Path | None:
        """The live Whoosh folder (for diagnostics)."""
        return self._dir

    def open_or_rebuild(self, all_docs: Callable[[], Iterable[IndexDoc]]) -> bool:
        """Open the index, or rebuild it from ``all_docs()``. Returns True when it rebuilt.

        Rebuilds when the index is missing, unreadable, corrupt, of another schema or Whoosh
        version, or when its write lock stays held (by another process) for ``lock_timeout``
        seconds: the rebuild then goes into a fresh folder that replaces it.
        """
        with self._write_lock:
            self._all_docs = all_docs
            with self._lock:
                self._close_open()
            self._root.mkdir(parents=True, exist_ok=True)
            opened = self._try_open()
            if opened is not None and self._wait_write_lock(opened[0]):
                with self._lock:
                    self._ix, self._searcher, self._dir = opened
                    self._prefixes = {}
                self._remove_stale_dirs()
                return False
            if opened is not None:
                with contextlib.suppress(Exception):
                    opened[1].close()
                    opened[0].close()
            self._rebuild(all_docs)
            return True

    def rebuild(self, all_docs: Callable[[], Iterable[IndexDoc]] | None = None) -> None:
        """Rebuild the whole index into a fresh folder and switch to it."""
        with self._write_lock:
            source = all_docs or self._all_docs
            if source is None:
                raise RuntimeError("rebuild needs all_docs (or a prior open_or_rebuild)")
            self._all_docs = source
            self._rebuild(source)

    def doc_count(self) -> int:
        """Items in the index (expired ones included)."""
        with self._lock:
            searcher = self._require_searcher()
            vocabularies = sum(1 for _ in searcher.reader().iter_prefix("id", VOCABULARY_ID_PREFIX))
            return int(searcher.doc_count()) - vocabularies

    # ------------------------------------------------------------------- writing

    def upsert(self, docs: Iterable[IndexDoc]) -> None:
        """Add or replace items (by id). One commit for the batch; nothing on failure."""
        latest: dict[str, IndexDoc] = {}
        for doc in docs:  # update_document does not see documents buffered in the same writer
            latest.pop(doc.id, None)
            latest[doc.id] = doc
        if not latest:
            return

        def write(writer: Any) -> None:
            vocabulary = _Vocabulary()
            for doc in latest.values():
                writer.update_document(**_doc_fields(doc))
                vocabulary.add(doc)
            if (extra := vocabulary.document()) is not None:
                writer.add_document(**extra)

        self._write(write)

    def delete(self, ids: Iterable[str]) -> None:
        """Remove items by id (unknown ids are ignored). One commit; nothing on failure."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return

        def write(writer: Any) -> None:
            for doc_id in wanted:
                writer.delete_by_term("id", doc_id)

        self._write(write)

    def _write(self, work: Callable[[Any], None]) -> None:
        with self._write_lock:
            ix = self._ix
            if ix is None:
                raise RuntimeError("the search index is not open: call open_or_rebuild first")
            try:
                writer = ix.writer(timeout=self._lock_timeout, delay=0.05)
            except windex.LockError:
                # Another process holds the lock: the index is a cache, so rebuild it into a
                # fresh folder from the catalogue (which already holds these changes).
                if self._all_docs is None:
                    raise
                self._rebuild(self._all_docs)
                return
            try:
                work(writer)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            self._refresh()

    def _refresh(self) -> None:
        # A new searcher, not Searcher.refresh(): in whoosh-reloaded 2.7.5 and whoosh3 3.54,
        # refresh() reuses segment readers by segment id and so keeps their old deletion
        # sets (an updated item is then found twice).
        fresh = self._new_searcher(self._ix)
        with self._lock:
            old, self._searcher = self._searcher, fresh
            self._prefixes = {}
        if old is not None:
            with self._lock:
                old.close()

    # ------------------------------------------------------------ open / rebuild

    def _close_open(self) -> None:
        searcher, ix = self._searcher, self._ix
        self._searcher = self._ix = self._dir = None
        if searcher is not None:
            with contextlib.suppress(Exception):
                searcher.close()
        if ix is not None:
            with contextlib.suppress(Exception):
                ix.close()

    def _current_dir(self) -> Path | None:
        try:
            name = (self._root / CURRENT).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        if not _DIR_RE.match(name):
            return None
        return self._root / name

    def _try_open(self) -> tuple[Any, Any, Path] | None:
        """Open and check the live index; None when it must be rebuilt."""
        path = self._current_dir()
        if path is None or not path.is_dir():
            return None
        # Whoosh leaves a file open when it fails on a damaged index: the failure is expected
        # here (it means "rebuild"), so those files are collected quietly before leaving.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            opened = self._open_checked(path)
            if opened is None:
                gc.collect()
            return opened

    def _open_checked(self, path: Path) -> tuple[Any, Any, Path] | None:
        ix = searcher = None
        try:
            marker = json.loads((path / MARKER).read_text(encoding="utf-8"))
            if marker != _marker():
                return None
            ix = filestore.FileStorage(str(path)).open_index(schema=None)
            if set(ix.schema.names()) != set(self._schema.names()):
                raise ValueError("the index has other fields")
            searcher = self._new_searcher(ix)
            _check_readable(searcher)
            return ix, searcher, path
        except Exception:  # corrupt, truncated, missing, unreadable: all mean "rebuild"
            for thing in (searcher, ix):
                if thing is not None:
                    with contextlib.suppress(Exception):
                        thing.close()
            return None

    def _wait_write_lock(self, ix: Any) -> bool:
        """True when the write lock can be taken within lock_timeout (then released)."""
        lock = ix.lock("WRITELOCK")
        deadline = time.monotonic() + self._lock_timeout
        while True:
            try:
                if lock.acquire(blocking=False):
                    lock.release()
                    return True
            except OSError:
                return False
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)

    def _rebuild(self, all_docs: Callable[[], Iterable[IndexDoc]]) -> None:
        path = self._root / f"ix-{uuid.uuid4().hex[:16]}"
        storage = filestore.FileStorage(str(path)).create()
        ix = storage.create_index(self._schema)
        try:
            writer = ix.writer(limitmb=256)
            try:
                seen: set[str] = set()
                vocabulary = _Vocabulary()
                for doc in all_docs():
                    if doc.id in seen:
                        continue  # first one wins: the catalogue should not repeat ids
                    seen.add(doc.id)
                    writer.add_document(**_doc_fields(doc))
                    vocabulary.add(doc)
                if (extra := vocabulary.document()) is not None:
                    writer.add_document(**extra)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            (path / MARKER).write_text(json.dumps(_marker()), encoding="utf-8")
            searcher = self._new_searcher(ix)
        except BaseException:
            with contextlib.suppress(Exception):
                ix.close()
            shutil.rmtree(path, ignore_errors=True)
            raise
        tmp = self._root / f"{CURRENT}.{uuid.uuid4().hex[:8]}.tmp"
        tmp.write_text(path.name, encoding="utf-8")
        tmp.replace(self._root / CURRENT)
        with self._lock:
            self._close_open()
            self._ix, self._searcher, self._dir = ix, searcher, path
            self._prefixes = {}
        self._remove_stale_dirs()

    # ----------------------------------------------------------------- shipping

    @staticmethod
    def compatibility() -> dict[str, object]:
        """What shipped segments must have been built with for this code to adopt them."""
        return _marker()

    @staticmethod
    def build_segment(docs: Iterable[IndexDoc], folder: Path) -> BuiltSegment:
        """Index ``docs`` as one segment in a new ``folder`` (the publisher's side)."""
        vocabulary = _Vocabulary()

        def fields_of(doc: IndexDoc) -> dict[str, object]:
            vocabulary.add(doc)
            return _doc_fields(doc)

        return build_segment(_schema(), docs, fields_of, folder, vocabulary.document)

    @staticmethod
    def shipped_files(root: Path) -> set[str]:
        """Hashes of the shipped files the live index in ``root`` was written from."""
        try:
            name = (root / CURRENT).read_text(encoding="utf-8").strip()
        except OSError:
            return set()
        if not _DIR_RE.match(name):
            return set()
        return set(read_map(root / name))

    @staticmethod
    def export_segment(folder: Path) -> bytes:
        """The shipped-format file of the segment :meth:`build_segment` wrote in ``folder``."""
        return encode_shipped(export_segment(folder, _schema()))

    @staticmethod
    def check_shipped(data: bytes, count: int) -> bool:
        """Whether ``data`` is a well-formed shipped segment of ``count`` documents."""
        try:
            shipped = decode_shipped(data, max_docs=count, field_kind=value_kind(_schema()))
        except ShippedIndexError:
            return False
        return shipped.doc_count == count

    def adopt(
        self,
        segments: Sequence[ShippedSegmentSpec],
        files: Mapping[str, Path],
        docs_of: Callable[[Sequence[str]], Iterable[IndexDoc]],
    ) -> None:
        """Make an index of the publisher's shipped ``segments`` the live index
        (:meth:`prepare_adoption`, then :meth:`commit_adoption`)."""
        self.commit_adoption(self.prepare_adoption(segments, files, docs_of))

    def prepare_adoption(
        self,
        segments: Sequence[ShippedSegmentSpec],
        files: Mapping[str, Path],
        docs_of: Callable[[Sequence[str]], Iterable[IndexDoc]],
        *,
        workers: int | None = None,
    ) -> PreparedIndex:
        """Write an index of the publisher's shipped ``segments`` into a fresh ``ix-<hex>``
        folder that is not live yet (a sync does this while it downloads content).

        ``files`` maps each shipped file's sha256 to its verified local copy; ``docs_of(ids)``
        gives the catalog's documents (text not needed) for the stored fields. The rep writes
        every segment itself (reusing the ones it wrote for an earlier manifest; large ones in
        at most ``workers`` child processes at once, by default one per CPU). The folder's
        write lock is held until :meth:`commit_adoption` or :meth:`PreparedIndex.discard`, so
        no process removes it as stale meanwhile. When a file fails a check, ValueError
        (ShippedIndexError is one) is raised and nothing is left behind.
        """

        def fields_of(ids: Sequence[str]) -> dict[str, dict[str, object]]:
            return {doc.id: _doc_fields(doc) for doc in docs_of(ids)}

        self._root.mkdir(parents=True, exist_ok=True)
        path = self._root / f"ix-{uuid.uuid4().hex[:16]}"
        path.mkdir()
        lock = filestore.FileStorage(str(path)).lock(f"{INDEX_NAME}_WRITELOCK")
        lock.acquire(blocking=False)  # a folder nobody else knows yet
        prepared = PreparedIndex(path, lock)
        try:
            assemble(
                self._schema,
                path,
                self._current_dir(),
                segments,
                files,
                fields_of,
                workers=workers,
            )
            (path / MARKER).write_text(json.dumps(_marker()), encoding="utf-8")
        except BaseException:
            prepared.discard()
            raise
        return prepared

    def commit_adoption(self, prepared: PreparedIndex) -> None:
        """Make a prepared index the live one, atomically; if it does not open and read as
        an index, nothing changes, the folder is removed and ValueError is raised."""
        with self._write_lock:
            try:
                prepared.release()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ResourceWarning)
                    opened = self._open_checked(prepared.path)
                if opened is None:
                    raise ValueError("the shipped index does not open as an index")
            except BaseException:
                prepared.discard()
                raise
            tmp = self._root / f"{CURRENT}.{uuid.uuid4().hex[:8]}.tmp"
            tmp.write_text(prepared.path.name, encoding="utf-8")
            tmp.replace(self._root / CURRENT)
            with self._lock:
                self._close_open()
                self._ix, self._searcher, self._dir = opened
                self._prefixes = {}
            self._remove_stale_dirs()

    def _remove_stale_dirs(self) -> None:
        """Remove index folders other than the live one, when nobody holds their lock."""
        for child in self._root.iterdir():
            if child == self._dir:
                continue
            if child.name.startswith(f"{CURRENT}.") and child.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    child.unlink()
                continue
            if not (child.is_dir() and _DIR_RE.match(child.name)):
                continue
            if _lock_free(child):
                shutil.rmtree(child, ignore_errors=True)

    def _new_searcher(self, ix: Any) -> Any:
        weighting = _FastBM25F(self._norms, B=BM25_B, K1=BM25_K1)
        return ix.searcher(weighting=weighting)

    def _require_searcher(self) -> Any:
        if self._searcher is None:
            raise RuntimeError("the search index is not open: call open_or_rebuild first")
        return self._searcher

    # ------------------------------------------------------------------ searching

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        filters: Mapping[str, str | Sequence[str]] | None = None,
        now: datetime | None = None,
        prefix_last: bool = False,
        correct: bool = True,
    ) -> SearchResults:
        """Search; never raises on a malformed query (it is then read as plain words).

        Typos: every word the index does not know is replaced by the closest known word.
        When the query as typed finds nothing and that correction finds something (and
        ``correct`` is true), the results are the correction's and ``corrected`` names it
        ("Showing results for X"); otherwise a correction that finds something is offered
        as ``suggestion`` ("Did you mean X?"). With ``prefix_last``, the last word is
        corrected only when no indexed word starts with it.

        Syntax: plain words (any may match, items matching more rank higher), "phrases",
        ``a OR b``, ``NOT a`` / ``-a``, ``+a`` (required), ``pric*`` (prefix), ``field:value``
        with ``title``, ``description``, ``body``, ``filename``, ``type``/``kind``,
        ``product``, ``segment``, ``stage``, ``persona``, ``region``, ``tag``. Case and
        accents do not matter; words are stemmed (pricing finds priced).

        ``filters``: field → value or values; fields are ``type``/``kind`` and any tag kind.
        AND across fields, OR within one. Items with ``expires_at <= now`` are never returned
        (``now`` defaults to the current time). An empty query lists the items that pass the
        filters, by title. ``prefix_last``: the last word, when not followed by a space, also
        matches as a prefix (search as you type).
        """
        limit = max(1, int(limit))
        moment = now or datetime.now(UTC)
        with self._lock:
            searcher = self._require_searcher()
            mask = Q.NumericRange("expires", None, _micros(moment))
            filt = _filter_query(filters)
            if not query.strip():
                return self._list_all(searcher, limit, filt, mask)
            hits, total, weak = self._run_query(searcher, query, limit, filt, mask, prefix_last)
            correction = self._correction(searcher, query, prefix_last)
            if correction is None:
                return SearchResults(hits, total, suggestion=None, weak=weak)
            if total == 0 and correct:
                fixed, found, weak = self._run_query(
                    searcher, correction, limit, filt, mask, prefix_last
                )
                if found:
                    return SearchResults(
                        fixed, found, suggestion=None, corrected=correction, weak=weak
                    )
                return SearchResults(hits, total, suggestion=None)
            found = self._count(searcher, correction, filt, mask, prefix_last)
            suggestion = correction if found and found >= total else None
            return SearchResults(hits, total, suggestion=suggestion, weak=weak)

    def _run_query(
        self, searcher: Any, query: str, limit: int, filt: Any, mask: Any, prefix_last: bool
    ) -> tuple[list[Hit], int, bool]:
        """(hits, total, whether the best hit holds fewer than half of the query's words)."""
        parsed = self._parse(searcher, query, prefix_last=prefix_last)
        results: Any = None
        if parsed is not None:
            try:
                results = _run(searcher, parsed, limit, filt, mask)
            except Exception:  # a query Whoosh cannot run: read it as plain words
                parsed = self._parse_plain(searcher, query)
                results = None
                if parsed is not None:
                    results = _run(searcher, parsed, limit, filt, mask)
        if results is None or parsed is None:
            return [], 0, False
        hits = self._hits(searcher, results, parsed, query)
        typed = query + "*" if prefix_last and _with_last_prefix(query) != query else query
        weak = bool(results.top) and self._is_weak(searcher, typed, results.top[0][1])
        return hits, len(results), weak

    def _is_weak(self, searcher: Any, query: str, docnum: int) -> bool:
        """Whether document ``docnum`` holds fewer than half of the query's words: the words
        as typed that are not excluded, not stop words and not ``type:`` filters, each
        phrase word on its own; a prefix is one word, held when any of its completions is
        (one that nothing starts with is a word no item holds)."""
        count = held = 0
        for word in dict.fromkeys(_query_words(query_syntax.parse(query))):
            q = self._compile(searcher, word)
            if q is None:
                continue  # a stop word
            count += 1
            held += _holds(searcher, q, docnum)
        return 2 * held < count

    def _count(self, searcher: Any, query: str, filt: Any, mask: Any, prefix_last: bool) -> int:
        parsed = self._parse(searcher, query, prefix_last=prefix_last)
        if parsed is None:
            return 0
        try:
            return len(_run(searcher, parsed, 1, filt, mask))
        except Exception:
            return 0

    def _list_all(self, searcher: Any, limit: int, filt: Any, mask: Any) -> SearchResults:
        results = searcher.search(
            Q.Every(), limit=limit, filter=filt, mask=mask, sortedby="title_sort"
        )
        hits = []
        for hit in results:
            fields = hit.fields()
            snippet, loc = self._fallback_snippet(str(fields["id"]), fields, frozenset())
            hits.append(_make_hit(fields, 0.0, snippet, loc))
        return SearchResults(hits=hits, total=len(results), suggestion=None)

    # ---- parsing

    def _parse(self, searcher: Any, text: str, *, prefix_last: bool) -> Any:
        """The Whoosh query of ``text`` (see :mod:`.query_syntax`), or None for nothing to run.

        Exclusions of the whole query are the last part of a top-level ``And``, as ``Not``:
        :func:`_run` moves them into the mask (what Whoosh's ``mask=`` is for)."""
        if prefix_last:
            text = _with_last_prefix(text)
        return self._compile_top(searcher, query_syntax.parse(text))

    def _parse_plain(self, searcher: Any, text: str) -> Any:
        words = tuple(query_syntax.Word(w) for w in _WORD_RE.findall(text))
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
        compile_ = self._compile

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

    def _compile(self, searcher: Any, node: query_syntax.Node) -> Any:
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
            subs = [q for n in node.parts if (q := self._compile(searcher, n)) is not None]
            return None if not subs else subs[0] if len(subs) == 1 else Q.Or(subs)
        if isinstance(node, query_syntax.All):
            subs = []
            for part in node.parts:
                inner = part.node if isinstance(part, query_syntax.Not) else part
                q = self._compile(searcher, inner)
                if q is not None:
                    subs.append(Q.Not(q) if isinstance(part, query_syntax.Not) else q)
            if subs and all(isinstance(q, Q.Not) for q in subs):
                subs.insert(0, Q.Every())
            return None if not subs else subs[0] if len(subs) == 1 else Q.And(subs)
        return None  # a bare Not is always inside an All

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
            return Q.Or(subs) if subs else _NOTHING
        return self._text_query(word.text, word.field, phrase=False)

    def _text_query(self, text: str, field: str | None, *, phrase: bool) -> Any:
        """A word or a phrase in one field, or in every searched field with its weight. A word
        the analyzer cuts into several (``covid-19``) is matched as a phrase."""
        if field == "kind":
            return Q.Term("kind", fold(text))
        terms = [str(t.text) for t in _ANALYZER(text)]
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
            _ANALYZER,
            _BODY_ANALYZER,
        ):
            return q
        stems = self._prefix_stems(searcher, fold(q.text))
        if not stems:
            return Q.NullQuery
        return Q.Or([Q.Term(field, stem, boost=q.boost) for stem in stems])

    def _prefix_stems(self, searcher: Any, prefix: str) -> list[str]:
        cached = self._prefixes.get(prefix)
        if cached is not None:
            return cached
        found: list[tuple[int, str]] = []
        if prefix:
            reader = searcher.reader()
            for n, (btext, info) in enumerate(reader.iter_prefix("words", prefix)):
                if n >= PREFIX_MAX_SCAN:
                    break
                # weight: documents holding the word (see _Vocabulary)
                found.append((int(info.weight()), btext.decode("utf-8")))
        best = heapq.nlargest(PREFIX_MAX_EXPANSIONS, found)
        stems = sorted({stem for _, word in best if (stem := self._stem(word))})
        if len(self._prefixes) > 2000:
            self._prefixes.clear()
        self._prefixes[prefix] = stems
        return stems

    def _typed_forms(self, query: str, terms: frozenset[str]) -> dict[str, frozenset[str]]:
        """stem → the query's words (folded, as typed) that have that stem."""
        forms: dict[str, set[str]] = {}
        for word in _WORD_RE.findall(query):
            low = fold(word)
            stem = self._stem(low)
            if stem is not None and stem in terms:
                forms.setdefault(stem, set()).add(low)
        return {stem: frozenset(words) for stem, words in forms.items()}

    def _stem(self, word: str) -> str | None:
        """The indexed form of one word (None for a stop word)."""
        cached = self._stems.get(word, "")
        if cached != "":
            return cached
        tokens = [t.text for t in _ANALYZER(word)]
        result = str(tokens[0]) if len(tokens) == 1 else None
        if len(self._stems) > 200_000:
            self._stems.clear()
        self._stems[word] = result
        return result

    # ---- results, snippets

    def _hits(self, searcher: Any, results: _Ranked, parsed: Any, query: str) -> list[Hit]:
        reader = searcher.reader()
        terms = frozenset(_positive_terms(parsed, reader))
        positions = _term_positions(reader, [docnum for _, docnum in results.top], terms)
        idf = {t: _idf(searcher, t) for t in terms}
        typed = self._typed_forms(query, terms)
        hits = []
        for score, docnum in results.top:
            fields = searcher.stored_fields(docnum)
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
            snippet = _highlight_window(segment.text, _char_offset(segment.text, token), terms)
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
            text = _clean(segment.text)
            if text:
                return _head(text), None
        return "", None

    def _load(self, doc_id: str) -> Sequence[Segment]:
        try:
            return self._text_loader(doc_id)
        except Exception:  # a missing or unreadable text must not break the search
            return ()

    # ---- did you mean

    def _closest(self, searcher: Any, word: str) -> str | None:
        owner, cache = self._corrections
        if owner is not searcher or len(cache) > 2000:
            cache = {}
            self._corrections = (searcher, cache)
        if word not in cache:
            cache[word] = _closest(searcher.reader(), word)
        return cache[word]

    def _correction(self, searcher: Any, query: str, prefix_last: bool) -> str | None:
        """``query`` with every word the index does not know replaced by the most frequent
        known word at the smallest edit distance; None when nothing changed."""
        reader = searcher.reader()
        changed = False
        out: list[str] = []
        pos = 0
        for match in _suggestable_words(query):
            word = match.group()
            low = fold(word)
            if prefix_last and match.end() == len(query) and self._prefix_stems(searcher, low):
                continue  # still being typed, and some word starts with it
            out.append(query[pos : match.start()])
            pos = match.end()
            replacement = word
            known = low in _STOP_WORDS or ("words", low) in reader
            if len(low) >= 3 and not low.isdigit() and not known:
                better = self._closest(searcher, low)
                if better is not None:
                    replacement = _match_case(better, word)
                    changed = True
            out.append(replacement)
        out.append(query[pos:])
        return "".join(out) if changed else None


# -------------------------------------------------------------------- helpers


class _Ranked:
    """What a search found: ``top`` the best (score, docnum) pairs, best first (ties: lower
    docnum first), ``total`` every match that passed the filter and the mask."""

    __slots__ = ("top", "total")

    def __init__(self, top: list[tuple[float, int]], total: int) -> None:
        self.top = top
        self.total = total

    def __len__(self) -> int:
        return self.total


def _split_exclusions(q: Any, mask: Any) -> tuple[Any, Any]:
    """``And([x, Not(y)])`` at the top (see :meth:`SearchIndex._parse`) as ``x`` with ``y``
    added to the mask: Whoosh then skips y's documents itself (its AndNot matcher loses
    matches; an inverse matcher would visit every document)."""
    if type(q) is Q.And and len(q.subqueries) == 2 and type(q.subqueries[1]) is Q.Not:
        base, banned = q.subqueries[0], q.subqueries[1].query
        return base, banned if mask is None else Q.Or([mask, banned])
    return q, mask


def _run(searcher: Any, q: Any, limit: int, filt: Any, mask: Any) -> _Ranked:
    q, mask = _split_exclusions(q, mask)
    if _is_term_union(q):
        return _run_union(searcher, q, limit, filt, mask)
    # optimize=False: no block-quality skipping, so the collector counts every match as it
    # scores and len(results) is free. With skipping, Whoosh re-runs the whole query to
    # count, which costs more than the skipping saves on OR queries of common words
    # (measured again at 5,000 items: 1.3 to 2.9 times slower with optimize=True, and
    # block-max skipping alone, without the count, saves nothing on these queries).
    collector = searcher.collector(limit=limit, filter=filt, mask=mask, optimize=False)
    # And no matcher replacement: every 10 matches the collector otherwise "replaces" the
    # matcher tree, dropping the OR branches that cannot beat the current 20th score, which
    # even with optimize=False leaves their other matches uncounted (above 5,000 documents
    # per segment, where Whoosh uses UnionMatcher trees, "dach" counted 390 of 3,044 items).
    getattr(collector, "child", collector).replace = 0
    searcher.search_with_collector(q, collector)
    results = collector.results()
    return _Ranked([(score, docnum) for score, docnum in results.top_n], len(results))


def _is_term_union(q: Any) -> bool:
    """Whether ``q`` is an OR of terms, or of ORs of terms (plain words, expanded prefixes),
    as :meth:`SearchIndex._compile` makes them: :func:`_run_union` runs those."""
    if type(q) is not Q.Or or q.boost != 1.0 or q.minmatch or q.scale:
        return False
    if q.matcher_type != Q.Or.AUTO_MATCHER:
        return False
    for sub in q.subqueries:
        if type(sub) is Q.Term:
            if sub.minquality:
                return False
        elif not _is_term_union(sub):
            return False
    return True


def _run_union(searcher: Any, q: Any, limit: int, filt: Any, mask: Any) -> _Ranked:
    """What ``searcher.search(q, limit=, filter=, mask=, optimize=False)`` finds, computed
    the way Whoosh does it but a posting block at a time instead of a posting at a time.

    For an OR, Whoosh adds each subquery's score into a per-document array, in subquery
    order (its ArrayUnionMatcher; with two subqueries, a UnionMatcher: the same sum), then
    keeps the top ``limit`` in a heap. The sums here are done in the same order with the
    same operations, so scores and ranks are identical. (Above 5,000 documents per segment
    Whoosh sums through a tree of UnionMatchers instead, so a score may differ from its own
    in the last bit.) Most of the cost of these queries was the per-posting calls
    (is_active, id, score, weight, next through three matcher layers), not the arithmetic.
    """
    allow = searcher._filter_to_comb(filt)
    restrict = searcher._filter_to_comb(mask)
    items: list[tuple[float, int]] = []  # TopCollector's heap: (score, -docnum)
    total = 0
    for sub, offset in searcher.leaf_searchers():
        size = int(sub.doc_count_all())
        scores = _coordinated_scores(q, sub, size) if COORDINATION else _union_scores(q, sub, size)
        for docnum, score in enumerate(scores):
            if score <= 0:
                continue
            global_docnum = offset + docnum
            if (allow is not None and global_docnum not in allow) or (
                restrict is not None and global_docnum in restrict
            ):
                continue
            total += 1
            if len(items) < limit:
                heapq.heappush(items, (score, -global_docnum))
            elif score > items[0][0]:
                heapq.heapreplace(items, (score, -global_docnum))
    items.sort(reverse=True)
    return _Ranked([(score, -negated) for score, negated in items], total)


def _coordinated_scores(q: Any, searcher: Any, size: int) -> list[float]:
    """:func:`_union_scores` with the bonus for holding more of the words (COORDINATION);
    each subquery of the top OR is one word (or one OR of words, or a prefix's stems)."""
    subs = q.subqueries
    if len(subs) < 2:
        return _union_scores(q, searcher, size)
    scores = [0.0] * size
    share = [0.0] * size
    weights = [_word_weight(sub, searcher) for sub in subs]
    total = sum(weights) or 1.0
    for sub, weight in zip(subs, weights, strict=True):
        if type(sub) is Q.Term:
            part = [0.0] * size
            _add_term_scores(sub, searcher, part)
        else:
            part = _union_scores(sub, searcher, size)
        for docnum, score in enumerate(part):
            if score > 0:
                scores[docnum] += score
                share[docnum] += weight
    factor = COORDINATION / total
    return [
        score * (1.0 + factor * s) if score else 0.0 for score, s in zip(scores, share, strict=True)
    ]


def _word_weight(q: Any, searcher: Any) -> float:
    """The idf of a word's body term (its first term in any field when it has none)."""
    leaves = [q] if type(q) is Q.Term else [t for t in q.leaves() if type(t) is Q.Term]
    if not leaves:
        return 1.0
    body = [t for t in leaves if t.fieldname == "body"]
    term = (body or leaves)[0]
    return float(searcher.idf(term.fieldname, term.text))


def _union_scores(q: Any, searcher: Any, size: int) -> list[float]:
    """Per-document scores of an OR (see :func:`_is_term_union`) in one leaf searcher."""
    subs = q.subqueries
    if len(subs) == 1:  # Whoosh uses the only subquery's matcher as it is
        only = subs[0]
        if type(only) is Q.Term:
            scores = [0.0] * size
            _add_term_scores(only, searcher, scores)
            return scores
        return _union_scores(only, searcher, size)
    scores = [0.0] * size
    for sub in subs:
        if type(sub) is Q.Term:
            _add_term_scores(sub, searcher, scores)
        else:
            for docnum, score in enumerate(_union_scores(sub, searcher, size)):
                if score > 0:
                    scores[docnum] += score
    return scores


def _add_term_scores(term: Any, searcher: Any, scores: list[float]) -> None:
    """``scores[doc] += score of term in doc`` for every posting of the term."""
    m = term.matcher(searcher)
    boost = 1.0
    if type(m) is _WrappingMatcher:  # the term's boost: child score * boost
        boost = float(m.boost)
        m = m.child
    if not m.is_active():
        return
    scorer = getattr(m, "scorer", None)
    if type(m) is _W3LeafMatcher and type(scorer) is _FastScorer and m._i == 0:
        factor, norms = scorer._factor, scorer._norms
        while True:
            if m._ids is None:
                m._read_ids()
            if m._weights is None:
                m._read_weights()
            for docnum, weight in zip(m._ids, m._weights, strict=True):
                # _FastScorer.score, then the WrappingMatcher's boost, as Whoosh does
                scores[docnum] += float(factor * weight / (weight + norms[docnum])) * boost
            if m._lastblock:
                return
            m._goto(m._nextoffset)
    while m.is_active():  # deleted documents (a FilterMatcher), other scorers
        scores[m.id()] += float(m.score()) * boost
        m.next()


def _marker() -> dict[str, object]:
    return {"schema": SCHEMA_VERSION, "whoosh": WHOOSH_VERSION}


def _check_readable(searcher: Any) -> None:
    """Touch the index's files so a damaged one fails now rather than mid-search."""
    reader = searcher.reader()
    count = int(searcher.doc_count_all())
    if count:
        for field in ("id", "words", "body"):
            for _ in zip(range(3), reader.lexicon(field), strict=False):
                pass
        first = next(iter(reader.lexicon("id")), None)
        if first is None:
            raise ValueError("empty id lexicon")
        results = searcher.search(Q.Term("id", first.decode("utf-8")), limit=1)
        for hit in results:
            hit.fields()


def _lock_free(path: Path) -> bool:
    try:
        storage = filestore.FileStorage(str(path))
        for lock_file in path.glob("*_WRITELOCK"):
            lock = storage.lock(lock_file.name)
            if not lock.acquire(blocking=False):
                return False
            lock.release()
    except OSError:
        return False
    return True


def _doc_fields(doc: IndexDoc) -> dict[str, object]:
    all_tags: list[str] = []
    fields: dict[str, object] = {
        "id": doc.id,
        "title": doc.title,
        "title_sort": fold(doc.title),
        "description": doc.description,
        "kind": doc.kind.lower(),
        "filename": re.sub(r"[._\-]+", " ", doc.filename),
        "version": doc.version,
    }
    for kind, values in doc.tags.items():
        clean = [v for v in values if v and v.strip()]
        if not clean:
            continue
        all_tags.extend(clean)
        suffix = _field_suffix(kind)
        if suffix in TAG_KINDS:
            fields[suffix] = "\n".join(clean)
        fields[f"f_{suffix}"] = _FILTER_SEP.join(fold(v) for v in clean)
    if all_tags:
        fields["tag"] = "\n".join(all_tags)
    body = "\n".join(s.text for s in doc.segments) if doc.searchable else ""
    if body:
        fields["body"] = body
        fields["starts"] = _segment_starts(doc.segments)
    if doc.expires_at is not None:
        fields["expires"] = _micros(doc.expires_at)
    return fields


def _filter_query(filters: Mapping[str, str | Sequence[str]] | None) -> Any:
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
            field = f"f_{_field_suffix(key)}"
            terms = [Q.Term(field, v) for v in normal]
        parts.append(terms[0] if len(terms) == 1 else Q.Or(terms))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.And(parts)


def _with_last_prefix(text: str) -> str:
    """``foo ba`` → ``foo (ba OR ba*)`` when the last word is a plain, unfinished word."""
    if not text or text[-1].isspace() or text.count('"') % 2:
        return text
    if text.count("(") != text.count(")"):
        return text
    head, _, last = text.rpartition(" ")
    word = last.lstrip("(+")
    lead = last[: len(last) - len(word)]
    if word.upper() in _OPERATORS or not re.fullmatch(r"[^\W_]+(?:['.\-][^\W_]+)*", word):
        return text
    if len(fold(word)) < PREFIX_MIN_CHARS:
        return text
    sep = " " if head else ""
    return f"{head}{sep}{lead}({word} OR {word}*)"


def _suggestable_words(query: str) -> Iterator[re.Match[str]]:
    """Plain words of the query: not operators, not field names."""
    for match in _WORD_RE.finditer(query):
        word = match.group()
        if word in _OPERATORS:
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


def _positive_terms(q: Any, reader: Any) -> Iterator[str]:
    """Stemmed texts of the body terms that make an item match (not the NOT parts).

    Only body terms: ``title:x`` or ``product:x`` says where the user wants the match, so
    pages that merely mention x are not put forward as the reason for the hit.
    """
    if isinstance(q, Q.AndNot):
        yield from _positive_terms(q.a, reader)
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
        yield from _positive_terms(sub, reader)


def _query_words(node: query_syntax.Node) -> Iterator[query_syntax.Word]:
    """The words of a query that a result should hold (see SearchIndex._is_weak)."""
    if isinstance(node, query_syntax.Word):
        if node.field != "kind" and node.text:
            yield node
    elif isinstance(node, query_syntax.Phrase):
        for word in _TOKEN_RE.findall(node.text):
            yield query_syntax.Word(word, node.field)
    elif isinstance(node, query_syntax.Group):
        for part in (*node.optional, *node.required, *node.filters):
            yield from _query_words(part)
    elif isinstance(node, (query_syntax.All, query_syntax.Any_)):
        for part in node.parts:
            if not isinstance(part, query_syntax.Not):
                yield from _query_words(part)


def _holds(searcher: Any, q: Any, docnum: int) -> bool:
    """Whether document ``docnum`` matches ``q``."""
    matcher = q.matcher(searcher, searcher.boolean_context())
    if matcher.is_active() and matcher.id() < docnum:
        matcher.skip_to(docnum)
    return bool(matcher.is_active() and matcher.id() == docnum)


def _idf(searcher: Any, term: str) -> float:
    n = int(searcher.doc_count_all()) or 1
    df = int(searcher.doc_frequency("body", term))
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def _clean(text: str) -> str:
    text = " ".join(text.split())
    return text.replace(MARK_OPEN, "[ [").replace(MARK_CLOSE, "] ]")


def _head(text: str) -> str:
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text[:SNIPPET_CHARS]
    space = cut.rfind(" ")
    if space > SNIPPET_CHARS // 2:
        cut = cut[:space]
    return cut.rstrip() + " …"


def _is_indexed_token(word: str) -> bool:
    """Whether the body's analyzer keeps this token (not a stop word, 2+ letters once
    folded, not a long number): positions in the body count only these."""
    return bool(_BODY_ANALYZER.keeps(word))


def _segment_starts(segments: Sequence[Segment]) -> list[int]:
    """The body token position at which each segment starts, numbered as the analyzer does
    on the newline-joined segments: stop words are skipped, and positions start at the raw
    index of the first kept token (Whoosh's StopFilter renumbers from there)."""
    starts = []
    kept = 0
    skipped = 0  # stop words before the first kept token
    for segment in segments:
        starts.append(kept)
        for word in _TOKEN_RE.findall(segment.text):
            if _is_indexed_token(word):
                kept += 1
            elif not kept:
                skipped += 1
    return [start + skipped for start in starts]


def _char_offset(text: str, token: int) -> int:
    """Character offset of the ``token``-th indexed token of ``text`` (0 if not found)."""
    if token <= 0:
        return 0
    n = 0
    for match in _TOKEN_RE.finditer(text):
        if _is_indexed_token(match.group()):
            if n == token:
                return match.start()
            n += 1
    return 0


def _term_positions(
    reader: Any, docnums: Sequence[int], terms: frozenset[str]
) -> dict[int, dict[str, list[int]]]:
    """docnum → term → body token positions, for the given documents (one pass per term)."""
    out: dict[int, dict[str, list[int]]] = {}
    wanted = sorted(set(docnums))
    if not wanted:
        return out
    for term in terms:
        if ("body", term) not in reader:
            continue
        matcher = reader.postings("body", term)
        skip_to = _skip_in_blocks if type(matcher) is _W3LeafMatcher else _skip_to
        for docnum in wanted:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                skip_to(matcher, docnum)
                if not matcher.is_active():
                    break
            if matcher.id() == docnum:
                out.setdefault(docnum, {})[term] = list(matcher.value_as("positions"))
    return out


def _skip_to(matcher: Any, docnum: int) -> None:
    matcher.skip_to(docnum)


def _skip_in_blocks(matcher: Any, docnum: int) -> None:
    """``W3LeafMatcher.skip_to``, but a binary search inside the block rather than a step
    per posting (the hits are few and far apart: most of a block lies between two)."""
    if docnum > matcher._maxid:
        while matcher.is_active() and docnum > matcher._maxid:
            matcher._next_block()
        if not matcher.is_active():
            return
    if matcher._ids is None:
        matcher._read_ids()
    matcher._i = bisect.bisect_left(matcher._ids, docnum, matcher._i, matcher._blocklength)
    if matcher._i == matcher._blocklength:  # not reached: the block's last id is >= docnum
        matcher._next_block()


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
            folded = texts[index].lower().translate(ACCENT_MAP)
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
    """A ~200-char fragment of ``text`` around the best cluster of ``terms``, marked."""
    fragmenter = highlight.ContextFragmenter(
        maxchars=SNIPPET_CHARS, surround=SNIPPET_CHARS // 2 - 10, charlimit=None
    )
    tokens = _ANALYZER(text, chars=True, mode="query", removestops=False)
    tokens = highlight.set_matched_filter(tokens, terms)
    fragments = highlight.top_fragments(
        fragmenter.fragment_tokens(text, tokens),
        1,
        highlight.BasicFragmentScorer(),
        highlight.FIRST,
        minscore=1,
    )
    if not fragments:
        return ""
    fragment = fragments[0]
    body = str(_FORMATTER.format_fragment(fragment)).strip()
    start, end = int(fragment.startchar), int(fragment.endchar)
    if start > 0:
        body = "… " + body
    if end < len(text):
        body = body + " …"
    return body


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
