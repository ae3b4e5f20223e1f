"""The durable event journal: every use is committed before the action completes."""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.core.csv_cells import write_rows
from app.core.errors import ConfigError
from app.core.library import Library
from app.core.models import Event, Item, UploadBatch
from app.core.timeutil import iso, parse_iso, utcnow
from app.core.usage.batch import EVENT_KINDS, FLAG_REASONS

DEVICE_ID_KEY = "device_id"
REP_ID_KEY = "rep_id"
PSEUDONYM_SECRET_KEY = "pseudonym_secret"
CSV_COLUMNS = ("id", "time", "kind", "item_id", "version", "sha256", "rep", "details", "uploaded")
#: The last search recorded: its event id, when, and the ids it showed, best first.
LAST_SEARCH_KEY = "last_search"
#: An open, preview, send or copy of an item the last search showed, within this long of it,
#: follows that search: the event carries the search's id and the item's rank (1 = best).
SEARCH_FOLLOW_SECONDS = 30 * 60
FOLLOWS_SEARCH = ("open", "preview", "send", "copy")
_REMEMBERED_HITS = 200
#: uses that hand an item to somebody else: their event says when the item was internal
GOES_OUT = ("send", "copy")


def check_output_file(out: Path) -> None:
    """``out`` can be a file Satchel writes: not a folder, in a folder that exists."""
    if out.is_dir():
        raise ConfigError(f"{out} is a folder; give a file name to write, such as {out}/x.csv.")
    if not out.parent.is_dir():
        raise ConfigError(f"The folder {out.parent} for {out.name} does not exist.")


def _with_share(kind: str, item: Item | None, data: dict[str, Any] | None) -> dict[str, Any]:
    """A copy of ``data``; a send or copy of an internal item says so (``"internal": true``)."""
    out = dict(data or {})
    if kind in GOES_OUT and item is not None and item.share == "internal":
        out["internal"] = True
    return out


def pending_event_count(library: Library) -> int:
    """Events not yet on the hub: not packed yet, or packed into a batch not sent yet."""
    with library.sessions() as s:
        events = s.scalar(select(func.count()).where(Event.batch_id.is_(None))) or 0
        unsent = (
            s.scalar(
                select(func.coalesce(func.sum(UploadBatch.event_count), 0)).where(
                    UploadBatch.uploaded_at.is_(None)
                )
            )
            or 0
        )
    return int(events) + int(unsent)


class Journal:
    """Records events into the library database. Pass it the library; no globals."""

    def __init__(self, library: Library) -> None:
        self.library = library

    # -------------------------------------------------------------- identities

    def device_id(self) -> str:
        """A random id for this library on this machine, stable for its lifetime."""
        value = self.library.meta(DEVICE_ID_KEY)
        if value is None:
            value = str(uuid.uuid4())
            self.library.set_meta(DEVICE_ID_KEY, value)
        return value

    def rep_id(self) -> str:
        """The rep's id, fixed at the first event and never changed: the rep's name and
        e-mail are attributes sent beside it, so setting them later does not make a second
        rep in marketing's report. A library of an earlier version keeps the rep of its
        first event."""
        value = self.library.meta(REP_ID_KEY)
        if value is None:
            with self.library.sessions() as s:
                first = s.scalars(select(Event.rep).order_by(Event.time, Event.id).limit(1)).first()
            value = first or f"rep-{uuid.uuid4()}"
            self.library.set_meta(REP_ID_KEY, value)
        return value

    def pseudonym(self, rep_id: str) -> str:
        """A stable pseudonym for ``rep_id``, unlinkable without this device's secret."""
        secret = self.library.meta(PSEUDONYM_SECRET_KEY)
        if secret is None:
            secret = secrets.token_hex(32)
            self.library.set_meta(PSEUDONYM_SECRET_KEY, secret)
        digest = hashlib.sha256(f"{secret}\n{rep_id}".encode()).hexdigest()
        return f"rep-{digest[:16]}"

    # -------------------------------------------------------------- recording

    def record(
        self,
        kind: str,
        *,
        item: Item | None = None,
        data: dict[str, Any] | None = None,
        now: datetime | None = None,
    ) -> Event:
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {kind!r}")
        moment = now or utcnow()
        event = Event(
            id=str(uuid.uuid4()),
            kind=kind,
            time=moment,
            rep=self.rep_id(),
            item_id=item.id if item else None,
            version=item.version if item else None,
            sha256=item.sha256 if item else None,
            data=self._with_search(
                kind, item.id if item else None, _with_share(kind, item, data), moment
            ),
        )
        with self.library.sessions.begin() as s:  # committed (fsync'd) before we return
            s.add(event)
        return event

    def record_many(self, kind: str, items: Sequence[Item], data: dict[str, Any]) -> list[Event]:
        """One event per item, all in one transaction (a send of several attachments)."""
        now = utcnow()
        rep = self.rep_id()
        events = [
            Event(
                id=str(uuid.uuid4()),
                kind=kind,
                time=now,
                rep=rep,
                item_id=i.id,
                version=i.version,
                sha256=i.sha256,
                data=self._with_search(kind, i.id, _with_share(kind, i, data), now),
            )
            for i in items
        ]
        with self.library.sessions.begin() as s:
            s.add_all(events)
        return events

    def search(
        self,
        query: str,
        results: int,
        hits: Sequence[str] = (),
        *,
        weak: bool = False,
        corrected: str | None = None,
    ) -> Event:
        """Record a search as typed that found ``results`` items, showing ``hits`` (ids, best
        first); ``weak``: its best hit matched fewer than half of the query's words;
        ``corrected``: the corrected query whose results were shown, when the query as typed
        found nothing. Uses of those items that follow carry the search's id and their rank
        (:data:`SEARCH_FOLLOW_SECONDS`).
        """
        data: dict[str, Any] = {"query": query.strip()[:500], "results": results}
        if weak:
            data["weak"] = True
        if corrected:
            data["corrected"] = corrected.strip()[:500]
        event = self.record("search", data=data)
        remembered = {
            "id": event.id,
            "time": iso(event.time),
            "hits": [str(h) for h in hits][:_REMEMBERED_HITS],
        }
        self.library.set_meta(LAST_SEARCH_KEY, json.dumps(remembered))
        return event

    def _with_search(
        self, kind: str, item_id: str | None, data: dict[str, Any], moment: datetime
    ) -> dict[str, Any]:
        """``data`` with the id and rank of the search this use follows, if it follows one."""
        if kind not in FOLLOWS_SEARCH or item_id is None or "search_id" in data:
            return data
        try:
            last = json.loads(self.library.meta(LAST_SEARCH_KEY) or "null")
            if not isinstance(last, dict):
                return data
            when = parse_iso(str(last["time"]))
            hits = [str(h) for h in last["hits"]]
            search_id = str(last["id"])
        except (ValueError, KeyError, TypeError):
            return data
        if item_id not in hits or not 0 <= (moment - when).total_seconds() <= (
            SEARCH_FOLLOW_SECONDS
        ):
            return data
        return {**data, "search_id": search_id, "rank": hits.index(item_id) + 1}

    def flag(self, item: Item, reason: str, note: str = "") -> Event:
        if reason not in FLAG_REASONS:
            raise ValueError(f"reason must be one of {', '.join(FLAG_REASONS)}")
        return self.record("flag", item=item, data={"reason": reason, "note": note.strip()})

    def request(self, text: str, account: str | None = None, needed_by: str | None = None) -> Event:
        return self.record(
            "request",
            data={"text": text.strip(), "account": account or None, "needed_by": needed_by},
        )

    # -------------------------------------------------------------- reading

    def events(self, limit: int | None = None) -> list[Event]:
        with self.library.sessions() as s:
            stmt = select(Event).order_by(Event.time.desc(), Event.id)
            if limit is not None:
                stmt = stmt.limit(limit)
            return list(s.scalars(stmt).all())

    def pending_count(self) -> int:
        return pending_event_count(self.library)

    def export_csv(self, out: Path) -> int:
        """Write this rep's events to ``out`` (oldest first); returns how many."""
        with self.library.sessions() as s:
            uploaded = {
                b
                for (b,) in s.execute(
                    select(UploadBatch.id).where(UploadBatch.uploaded_at.is_not(None))
                )
            }
            rows = s.scalars(select(Event).order_by(Event.time, Event.id)).all()
        check_output_file(out)
        tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            self._write_csv(tmp, rows, uploaded)
            tmp.replace(out)
        except OSError as exc:
            raise ConfigError(f"Cannot write {out} ({exc.strerror or exc}).") from exc
        finally:
            tmp.unlink(missing_ok=True)
        return len(rows)

    @staticmethod
    def _write_csv(tmp: Path, rows: Sequence[Event], uploaded: set[str]) -> None:
        with tmp.open("w", newline="", encoding="utf-8") as fh:
            write_rows(  # text quoted, formulas defused: see app.core.csv_cells
                fh,
                CSV_COLUMNS,
                (
                    [
                        e.id,
                        iso(e.time),
                        e.kind,
                        e.item_id or "",
                        e.version,
                        e.sha256 or "",
                        e.rep,
                        json.dumps(e.data, ensure_ascii=False, sort_keys=True),
                        "yes" if e.batch_id in uploaded else "no",
                    ]
                    for e in rows
                ),
            )
