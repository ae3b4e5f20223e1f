"""Decoded item texts kept for search snippets: a thread-safe LRU bounded by characters."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.core.extract.types import Segment


class TextCache:
    """A thread-safe LRU of decoded texts, bounded by their total number of characters."""

    def __init__(self, budget: int) -> None:
        self._budget = budget
        self._size = 0
        self._entries: OrderedDict[tuple[str, str], tuple[tuple[Segment, ...], int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> tuple[Segment, ...] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: tuple[str, str], segments: tuple[Segment, ...], size: int) -> None:
        if size > self._budget // 4:
            return  # one huge text would push out everything else
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= old[1]
            self._entries[key] = (segments, size)
            self._size += size
            while self._size > self._budget and self._entries:
                _key, (_segments, dropped) = self._entries.popitem(last=False)
                self._size -= dropped
