"""A running cap on how many characters one extraction may produce."""

from __future__ import annotations

__all__ = ["TextBudget"]


class TextBudget:
    """Hands out characters until ``max_chars`` is reached; extractors stop when exhausted."""

    def __init__(self, max_chars: int) -> None:
        self.remaining = max(0, max_chars)

    @property
    def exhausted(self) -> bool:
        return self.remaining <= 0

    def take(self, text: str) -> str:
        """Return *text*, cut to what is left of the budget, and charge for it."""
        if len(text) > self.remaining:
            text = text[: self.remaining]
        self.remaining -= len(text)
        return text
