"""Acceptance on real documents: publish ../shared/corpus with no metadata, sync, search.

Every readable file must be found by a distinctive word from its body at rank <= 3, with
the page or slide where that word is; hostile files mixed in must not crash or hang anything.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from app.core.library import Library
from tests.helpers.hubs import publish_folder, sync_home

WORD = re.compile(r"\b[^\W\d_]{4,24}\b")


@pytest.fixture(scope="module")
def corpus_library(
    tmp_path_factory: pytest.TempPathFactory, corpus: Path
) -> tuple[Path, dict[str, str]]:
    from app.core.signing import generate_key, write_key_pair

    tmp = tmp_path_factory.mktemp("corpus")
    src = tmp / "src"
    shutil.copytree(corpus / "real", src / "real")
    shutil.copytree(corpus / "hostile", src / "hostile")
    key = tmp / "k"
    write_key_pair(generate_key(), key)
    published = publish_folder(src, tmp / "hub", key)
    sync_home(tmp / "home", tmp / "hub", Path(f"{key}.pub"))
    return tmp / "home", published.unsearchable


def test_every_file_is_listed_and_hostile_ones_say_why(
    corpus_library: tuple[Path, dict[str, str]], corpus: Path
) -> None:
    home, unsearchable = corpus_library
    n_files = len(list((corpus / "real").iterdir())) + len(list((corpus / "hostile").iterdir()))
    with Library.open(home) as lib:
        items = lib.items()
        assert len(items) == n_files
        for item in items:
            if item.id.startswith("real-"):
                assert item.searchable, (item.id, item.unsearchable_reason)
            if not item.searchable:
                assert item.unsearchable_reason and item.unsearchable_reason.endswith(".")
    assert all(i.startswith("hostile-") for i in unsearchable)


def test_distinctive_words_find_their_document_and_page(
    corpus_library: tuple[Path, dict[str, str]],
) -> None:
    home, _ = corpus_library
    with Library.open(home) as lib:
        docs = {i.id: lib.segments(i.id) for i in lib.items() if i.searchable}
        df: Counter[str] = Counter()
        words_of: dict[str, Counter[str]] = {}
        for item_id, segments in docs.items():
            words = Counter(w.lower() for s in segments for w in WORD.findall(s.text))
            words_of[item_id] = words
            df.update(set(words))
        misses = []
        checked = 0
        for item_id, words in words_of.items():
            # the rarest word of the document (ties: the one it uses most); at most 3 documents
            # contain it, so the right one must be in the top 3 unless ranking is broken
            candidates = sorted(
                (w for w in words if not w.isdigit() and df[w] <= 3),
                key=lambda w: (df[w], -words[w], w),
            )
            if not candidates:
                continue
            word = candidates[0]
            pages = {s.loc for s in docs[item_id] if word in s.text.lower()}
            hits = lib.search(word, limit=3).hits
            checked += 1
            found = [h for h in hits if h.id == item_id]
            if not found or (found[0].location not in pages):
                misses.append((item_id, word, [(h.id, h.location) for h in hits], pages))
        assert checked >= 0.8 * len(docs), (checked, len(docs))
        assert misses == [], "\n".join(map(repr, misses))
