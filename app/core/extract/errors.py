"""Why a file could not be read: the exception extractors raise, and the user-facing reasons.

Every reason is one short sentence, shown as is in the UI.
"""

from __future__ import annotations

__all__ = [
    "ENCRYPTED",
    "EMPTY",
    "Unreadable",
    "corrupt",
    "crashed",
    "human_size",
    "out_of_memory",
    "timed_out",
]

ENCRYPTED = "The file is encrypted (password protected)."
EMPTY = "The file is empty."

_LABELS = {"pdf": "PDF", "pptx": "PPTX", "docx": "DOCX", "xlsx": "XLSX", "html": "HTML"}


class Unreadable(Exception):
    """The file cannot be extracted; ``str(exc)`` is the one-sentence reason for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def corrupt(kind: str) -> str:
    label = _LABELS.get(kind, kind)
    return f"The file is corrupt or not a valid {label}."


def timed_out(timeout_s: float) -> str:
    return f"Text extraction hit the time limit ({timeout_s:g} s)."


def out_of_memory(memory_mb: int | None) -> str:
    if memory_mb is None:
        return "Text extraction ran out of memory."
    return f"Text extraction ran out of memory (limit {memory_mb} MB)."


def crashed() -> str:
    return "The extractor crashed."


def human_size(n: int) -> str:
    """Decimal units, as file managers show them: 40 KB, 2.1 GB."""
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            if unit == "bytes":
                return f"{int(size)} bytes"
            return f"{size:.1f} {unit}" if size < 10 else f"{size:.0f} {unit}"
        size /= 1000
    raise AssertionError("unreachable")
