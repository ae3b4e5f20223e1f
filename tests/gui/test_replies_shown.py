"""Marketing's replies in the window: on the item's detail pane, beside the rep's own flag in
My activity, and once in the status bar after a sync (the sync itself: tests/test_replies.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from app.core.catalog import Reply
from app.core.library import Library
from app.core.replies import replies_for_library, replies_meta, unseen_replies
from app.core.usage.journal import Journal
from app.gui.activity import load_activity


def _store_replies(home: Path) -> str:
    """What a sync of a catalog answering the rep's flag (and another rep's) keeps."""
    with Library.open(home) as lib:
        flag = Journal(lib).flag(lib.item("price-list"), "outdated", "old <b>prices</b>")
        when = datetime(2026, 12, 1, tzinfo=UTC)
        other = "0b9f7c1e-1111-4222-8333-944455556666"  # another rep's flag
        replies = [
            Reply(flag.id, "flag", "planned", when, "in June", "price-list"),
            Reply(other, "flag", "declined", when, "<i>still right</i>", "price-list"),
        ]
        rows = replies_for_library(lib, replies, {"price-list"})
        with lib.sessions.begin() as s:
            s.merge(replies_meta(rows))
        return flag.id


def test_replies_show_on_the_item_and_in_my_activity(qtbot, make_window, demo_home) -> None:
    flag_id = _store_replies(demo_home)
    window = make_window(demo_home)
    window.results.setCurrentIndex(window.proxy.mapFromSource(window.model.index_of("price-list")))
    detail = window.detail
    qtbot.waitUntil(lambda: detail.replies.isVisible())
    text = detail.replies.text()
    assert "Marketing marked your flag on price-list planned: in June." in text
    assert "Marketing marked a flag on price-list declined: <i>still right</i>." in text
    assert detail.replies.textFormat().name == "PlainText"  # hub text is never markup

    rows = {r.event_id: r for r in load_activity(window.library).rows}
    mine = "Marketing marked your flag on price-list planned: in June."
    assert rows[flag_id].details.endswith(mine)
    told = unseen_replies(window.library)
    assert [k.reply.id for k in told] == [flag_id]  # only the rep's own, once
    assert unseen_replies(window.library) == []
