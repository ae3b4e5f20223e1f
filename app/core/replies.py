"""Marketing answers back: the hub's inbox of flags and requests, and replies to them.

Publisher side. ``satchel inbox`` reads every batch in the hub's inbox (a folder, or a URL
that lists its folders, as for the report) and lists the flags and requests in them.
``satchel respond`` records a reply in ``KEY.replies.json`` beside the signing key (like the
publisher state, :mod:`app.core.publisher_state`), per hub::

    {"format": "satchel-replies/1",
     "hubs": {"/resolved/hub/path": {"<event id>": {<a reply, as in the catalog>}}}}

and the next ``publish`` into that hub signs every recorded reply into the catalog (its
``replies``; see :class:`~app.core.catalog.Reply`), so a reply reaches reps only as
marketing's signed word. Replies are kept beside the key rather than in the source folder
because they answer what is in the hub's inbox, and the key is what may speak for marketing.

Rep side. A sync keeps the replies to the rep's own flags and requests and the replies to
flags on items in the library (:func:`replies_for_library`); :func:`unseen_replies` gives those
to the rep's own not yet shown, once.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.core.catalog import (
    ID_RE,
    MAX_REPLY_NOTE,
    REPLY_STATUSES,
    Reply,
    parse_reply,
    plain_line,
    reply_to_json,
)
from app.core.errors import ConfigError, SatchelError, UnsafeCatalogError
from app.core.library import Library
from app.core.models import Event, Meta
from app.core.publisher_state import hub_id

REPLIES_FORMAT = "satchel-replies/1"
REPLIES_SUFFIX = ".replies.json"
REPLIES_KEY = "replies"  # Meta: the replies this library keeps (JSON list)
NOTIFIED_KEY = "replies_notified"  # Meta: {event id: status} already shown to the rep
MIN_ID_PREFIX = 6


def replies_path_for(key_path: Path) -> Path:
    return key_path.with_name(key_path.name + REPLIES_SUFFIX)


# ----------------------------------------------------------------------------- the inbox


@dataclass(frozen=True, slots=True)
class InboxEntry:
    id: str  # the event id
    kind: str  # flag | request
    time: datetime
    rep: str  # the rep's name, or id / pseudonym
    item_id: str | None = None
    version: int | None = None
    reason: str = ""  # flags
    text: str = ""  # a flag's note or a request's text
    account: str | None = None
    needed_by: str | None = None

    @property
    def short_id(self) -> str:
        return self.id[:8]


@dataclass(slots=True)
class Inbox:
    entries: list[InboxEntry]  # oldest first
    malformed: int = 0  # batches that could not be read


# complexity: each batch and event of the inbox checked once
def read_inbox(location: str, cancel: Callable[[], bool] | None = None) -> Inbox:
    """Every flag and request in the hub's inbox (each once, however often it was uploaded)."""
    from app.core.report.sources import BatchUnreadable, open_source
    from app.core.usage.batch import BatchError, decode_batch

    source = open_source(location)
    found: dict[str, InboxEntry] = {}
    malformed = 0
    for device in source.devices():
        for ref in source.batches(device):
            if cancel is not None and cancel():
                raise SatchelError("Cancelled.")
            try:
                batch = decode_batch(source.read(ref))
            except (BatchUnreadable, BatchError, ValueError, TypeError, RecursionError):
                malformed += 1
                continue
            rep = plain_line(batch.rep_name or batch.rep, 120)
            for ev in batch.events:
                if ev.kind not in ("flag", "request") or ev.id in found:
                    continue
                data = ev.data if isinstance(ev.data, dict) else {}
                text = data.get("note") if ev.kind == "flag" else data.get("text")
                account, needed_by = data.get("account"), data.get("needed_by")
                found[ev.id] = InboxEntry(
                    id=ev.id,
                    kind=ev.kind,
                    time=ev.time,
                    rep=rep,
                    item_id=ev.item_id,
                    version=ev.version,
                    reason=plain_line(str(data.get("reason") or ""), 40),
                    text=plain_line(str(text or ""), 500),
                    account=plain_line(str(account), 120) if account else None,
                    needed_by=plain_line(str(needed_by), 20) if needed_by else None,
                )
    return Inbox(sorted(found.values(), key=lambda e: (e.time, e.id)), malformed)


def find_entry(inbox: Inbox, prefix: str) -> InboxEntry:
    """The one entry whose id starts with ``prefix`` (as ``inbox`` prints it)."""
    wanted = prefix.strip().lower()
    if len(wanted) < MIN_ID_PREFIX:
        raise ConfigError(
            f"Give at least {MIN_ID_PREFIX} characters of the id, as `satchel inbox` shows it."
        )
    matches = [e for e in inbox.entries if e.id.startswith(wanted)]
    if not matches:
        raise ConfigError(f"The hub's inbox has no flag or request with the id {prefix!r}.")
    if len(matches) > 1:
        raise ConfigError(f"The id {prefix!r} matches {len(matches)} entries; give more of it.")
    return matches[0]


# ----------------------------------------------------------------------------- publisher


class ReplyStore:
    """The replies recorded with one key (``KEY.replies.json``)."""

    def __init__(self, key_path: Path) -> None:
        self.path = replies_path_for(key_path)

    def _read(self) -> dict[str, Any]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {"format": REPLIES_FORMAT, "hubs": {}}
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ConfigError(f"The replies file {self.path} cannot be read ({exc}).") from exc
        if not isinstance(raw, dict) or raw.get("format") != REPLIES_FORMAT:
            raise ConfigError(f"The replies file {self.path} is not a Satchel replies file.")
        if not isinstance(raw.get("hubs"), dict):
            raise ConfigError(f"The replies file {self.path} is malformed.")
        return raw

    def for_hub(self, hub_root: Path) -> list[Reply]:
        entries = self._read()["hubs"].get(hub_id(hub_root)) or {}
        try:
            replies = [parse_reply(r) for r in entries.values()]
        except (UnsafeCatalogError, AttributeError) as exc:
            raise ConfigError(f"The replies file {self.path} is malformed ({exc}).") from exc
        return sorted(replies, key=lambda r: r.id)

    def record(self, hub_root: Path, reply: Reply) -> None:
        raw = self._read()
        raw["hubs"].setdefault(hub_id(hub_root), {})[reply.id] = reply_to_json(reply)
        data = json.dumps(raw, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(data)
            tmp.replace(self.path)
        except OSError as exc:
            raise ConfigError(
                f"Cannot write the replies file {self.path} ({exc.strerror or exc})."
            ) from exc
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)


def make_reply(
    entry: InboxEntry,
    status: str,
    note: str,
    answer_item: str | None,
    now: datetime,
    current_items: Iterable[str],
) -> Reply:
    if status not in REPLY_STATUSES:
        raise ConfigError(f"A reply's status is one of {', '.join(REPLY_STATUSES)}.")
    clean = plain_line(note, MAX_REPLY_NOTE + 1)
    if len(clean) > MAX_REPLY_NOTE:
        raise ConfigError(f"A reply's note can be at most {MAX_REPLY_NOTE} characters.")
    if answer_item is not None and (
        not ID_RE.match(answer_item) or answer_item not in set(current_items)
    ):
        raise ConfigError(f"The hub has no current item {answer_item!r} to answer with.")
    item_id = entry.item_id if entry.kind == "flag" else None
    if item_id is not None and not ID_RE.match(item_id):
        item_id = None
    return Reply(entry.id, entry.kind, status, now, clean, item_id, answer_item)


# ----------------------------------------------------------------------------- rep


def replies_for_library(
    library: Library, replies: list[Reply], item_ids: set[str]
) -> list[dict[str, Any]]:
    """The replies a rep's library keeps: to the rep's own flags and requests, and to any
    flag on an item in the library (so every rep sees that a flag is being dealt with)."""
    if not replies:
        return []
    ids = [r.id for r in replies]
    own: set[str] = set()
    with library.sessions() as s:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            own |= set(s.scalars(select(Event.id).where(Event.id.in_(chunk))))
    out = []
    for r in replies:
        if r.id in own or (r.kind == "flag" and r.item_id in item_ids):
            out.append({**reply_to_json(r), "own": r.id in own})
    return out


@dataclass(frozen=True, slots=True)
class KeptReply:
    reply: Reply
    own: bool  # an answer to this rep's own flag or request
    asked: str = ""  # the rep's own flag note or request text, when it is theirs

    def sentence(self) -> str:
        r = self.reply
        what = {
            "flag": f"your flag on {r.item_id}" if self.own else f"a flag on {r.item_id}",
            "request": f"your request {self.asked!r}" if self.asked else "your request",
        }[r.kind]
        text = f"Marketing marked {what} {r.status}"
        if r.note:
            text += f": {r.note.rstrip('.')}"
        if r.answer_item:
            text += f" (see item {r.answer_item})"
        return text + "."


def kept_replies(library: Library) -> list[KeptReply]:
    raw = library.meta(REPLIES_KEY)
    if not raw:
        return []
    try:
        rows = json.loads(raw)
        replies = [(parse_reply(r), bool(r.get("own"))) for r in rows]
    except (ValueError, UnsafeCatalogError, AttributeError, TypeError):
        return []
    asked: dict[str, str] = {}
    own_ids = [r.id for r, own in replies if own]
    if own_ids:
        with library.sessions() as s:
            for ev in s.scalars(select(Event).where(Event.id.in_(own_ids[:500]))):
                data = ev.data or {}
                asked[ev.id] = str(data.get("text") or data.get("note") or "")[:200]
    return [KeptReply(r, own, asked.get(r.id, "")) for r, own in replies]


def replies_for_item(library: Library, item_id: str) -> list[KeptReply]:
    return [k for k in kept_replies(library) if item_id in (k.reply.item_id, k.reply.answer_item)]


def unseen_replies(library: Library, *, mark: bool = True) -> list[KeptReply]:
    """Replies to the rep's own flags and requests not shown yet (or whose status changed
    since); ``mark`` records them as shown, so each is a notification once."""
    try:
        notified = json.loads(library.meta(NOTIFIED_KEY) or "{}")
    except ValueError:
        notified = {}
    if not isinstance(notified, dict):
        notified = {}
    fresh = [
        k for k in kept_replies(library) if k.own and notified.get(k.reply.id) != k.reply.status
    ]
    if mark and fresh:
        notified.update({k.reply.id: k.reply.status for k in fresh})
        library.set_meta(NOTIFIED_KEY, json.dumps(notified, sort_keys=True))
    return fresh


def replies_meta(rows: list[dict[str, Any]]) -> Meta:
    return Meta(key=REPLIES_KEY, value=json.dumps(rows, sort_keys=True))


def age(then: datetime, now: datetime) -> str:
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"
