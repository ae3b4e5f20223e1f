"""Internal vs shareable: which items a rep may hand to a customer.

Marketing marks material for the reps' eyes only (battlecards, internal price guides) with
``share = "internal"`` in a ``satchel.toml`` (a file's table or ``[defaults]``); everything
else is ``"external"`` (:data:`~app.core.catalog.SHARE_DEFAULT`): the hub holds approved
collateral. The value is signed in the catalog and stored on the rep's items.

Sending or copying an internal item out is allowed after an explicit confirmation (the
CLI's ``send --include-internal``, a dialog naming the items in the app), unless IT's
configuration sets ``block_internal_send = true``: then it is refused. The usage event of a
send or copy of an internal item carries ``"internal": true``; marketing's report counts them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.core.catalog import CatalogItem
from app.core.errors import SatchelError
from app.core.itconfig import ITConfig
from app.core.models import Item

INTERNAL = "internal"
EXTERNAL = "external"
#: the key of IT's configuration file that refuses sending internal items at all
BLOCK_KEY = "block_internal_send"


class Shareable(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def share(self) -> str: ...


class InternalItemsError(SatchelError):
    """A send or copy out of internal items that was not confirmed, or that IT refuses."""


def is_internal(item: Shareable) -> bool:
    return item.share == INTERNAL


T = TypeVar("T", bound=Shareable)


def internal_items(items: Iterable[T]) -> list[T]:
    """Which of ``items`` are internal, in their order."""
    return [i for i in items if is_internal(i)]


def send_blocked(config: ITConfig | None) -> bool:
    """Does IT's configuration refuse sending internal items (even when confirmed)?"""
    return bool(config is not None and config.block_internal_send)


def named(items: Sequence[Shareable], limit: int = 3) -> str:
    """``"Battlecard", "Price guide" and 2 more`` - the items a warning names."""
    titles = [f"\u201c{i.title}\u201d" for i in items[:limit]]
    rest = len(items) - len(titles)
    if rest > 0:
        return f"{', '.join(titles)} and {rest} more"
    if len(titles) > 1:
        return f"{', '.join(titles[:-1])} and {titles[-1]}"
    return titles[0] if titles else ""


def check_send(
    items: Sequence[Shareable], *, confirmed: bool, config: ITConfig | None, flag: str
) -> None:
    """Raise :class:`InternalItemsError` (one sentence naming the items) when ``items``
    hold internal ones and either IT blocks sending them or ``confirmed`` is False;
    ``flag`` is how the caller's user confirms (``--include-internal``)."""
    internal = internal_items(items)
    if not internal:
        return
    verb = "is" if len(internal) == 1 else "are"
    if send_blocked(config):
        raise InternalItemsError(
            f"{named(internal)} {verb} for internal use only, and your IT configuration "
            "does not allow sending internal items."
        )
    if not confirmed:
        raise InternalItemsError(
            f"{named(internal)} {verb} for internal use only; to send anyway, add {flag}."
        )


def refresh_share(session: Session, items: Iterable[CatalogItem]) -> int:
    """Write the catalog's share value onto the library's rows that differ (a library
    written before the column existed); returns how many changed."""
    wanted = {i.id: i.share for i in items}
    rows = session.execute(select(Item.id, Item.share)).all()
    changed = [(i, wanted[i]) for i, share in rows if i in wanted and wanted[i] != share]
    for value in {share for _i, share in changed}:
        ids = [item_id for item_id, share in changed if share == value]
        for start in range(0, len(ids), 500):
            session.execute(
                update(Item)
                .where(Item.id.in_(ids[start : start + 500]))
                .values(share=value)
                .execution_options(synchronize_session=False)
            )
    return len(changed)
