"""A deterministic simulation of reps using Satchel, written into a hub's inbox as batches.

``simulate(items)`` makes N reps (default 50) work for D days (default 30) against a real
catalogue: each rep has a device (one rep has two), opens / previews / sends / copies items
with a skewed popularity (some items are never used), searches (some queries find nothing,
typed with random capitals and spaces), flags items and requests material. Each rep's
events are split into several batches; a few reps also re-upload some events under a new
batch id, as a retry after a crash would. The :class:`Truth` it returns is computed here,
independently of the report code, from the events as generated.

``million_batches(items, events=1_000_000)`` streams batches for measuring: nothing is kept.

Run ``python -m tests.helpers.usage_sim HUB --events N`` to fill a folder hub's inbox.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import urllib.request
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from app.core.catalog import read_catalog_unverified
from app.core.usage.batch import UsageBatch, UsageEvent, batch_name, encode_batch

START = datetime(2026, 10, 1, tzinfo=UTC)

FOUND_QUERIES = (
    "hospital pricing",
    "case study",
    "battery life",
    "roi calculator",
    "elder care",
    "product overview",
    "price list",
    "onboarding deck",
)
NOTHING_QUERIES = (
    "german hospitals case study",
    "competitor x comparison",
    "warranty terms 2027",
    "<script>alert('x')</script> pricing",
    "tco for clinics",
)
SOMETIMES_QUERIES = ("pricing 2027", "security whitepaper")  # found nothing about half the time
NOTES = (
    "Price list says 2025, not 2026",
    'Customer asked: "is this still valid?"\nSee slide 3.',
    "Logo is the old one; colours off",
    "Zahlen veraltet – bitte prüfen",
    "",
)
REQUESTS = (
    "Case study for German hospitals",
    "One-pager on battery safety, in French",
    'ROI sheet with "per bed" pricing, for <clinic> chains',
    "Comparison with competitor X",
)
ACCOUNTS = (None, "St. Mary's Hospital", "Klinikum Nord", "ACME Care, Inc.")


@dataclass(frozen=True, slots=True)
class SimItem:
    item_id: str
    version: int
    sha256: str


def catalogue_items(hub: Path) -> list[SimItem]:
    """Every item (current and withdrawn) of a real folder hub's catalog."""
    catalog = read_catalog_unverified((hub / "catalog.json").read_bytes())
    return [SimItem(i.id, i.version, i.sha256) for i in catalog.items]


# ----------------------------------------------------------------------------- ground truth


@dataclass(frozen=True, slots=True)
class TruthEvent:
    kind: str
    rep: str
    time: datetime
    item_id: str | None = None
    version: int | None = None
    query: str | None = None
    results: int | None = None
    reason: str | None = None
    note: str | None = None
    text: str | None = None
    account: str | None = None
    needed_by: str | None = None


@dataclass(slots=True)
class ItemTruth:
    opens: int = 0
    previews: int = 0
    sends: int = 0
    copies: int = 0
    flags: int = 0
    reps: set[str] = field(default_factory=set)
    last_used: datetime | None = None


def normalise(query: str) -> str:
    """The grouping rule, written again here on purpose (not imported from the report)."""
    return " ".join(re.split(r"\s+", query.strip())).lower() if query.strip() else ""


@dataclass(slots=True)
class Truth:
    """What any correct report must say, from the events exactly as they were generated."""

    events: list[TruthEvent] = field(default_factory=list)

    def window(self, since: date | None = None, until: date | None = None) -> list[TruthEvent]:
        lo = None if since is None else datetime(since.year, since.month, since.day, tzinfo=UTC)
        hi = (
            None
            if until is None
            else datetime(until.year, until.month, until.day, tzinfo=UTC) + timedelta(days=1)
        )
        return [
            e for e in self.events if (lo is None or e.time >= lo) and (hi is None or e.time < hi)
        ]

    def items(self, since: date | None = None, until: date | None = None) -> dict[str, ItemTruth]:
        out: dict[str, ItemTruth] = {}
        counter = {"open": "opens", "preview": "previews", "send": "sends", "copy": "copies"}
        for e in self.window(since, until):
            if e.item_id is None:
                continue
            t = out.setdefault(e.item_id, ItemTruth())
            if e.kind == "flag":
                t.flags += 1
            elif e.kind in counter:
                setattr(t, counter[e.kind], getattr(t, counter[e.kind]) + 1)
                t.reps.add(e.rep)
                if t.last_used is None or e.time > t.last_used:
                    t.last_used = e.time
        return out

    def used(self, since: date | None = None, until: date | None = None) -> set[str]:
        return {i for i, t in self.items(since, until).items() if t.reps}

    def searches(
        self, since: date | None = None, until: date | None = None
    ) -> dict[str, tuple[int, int]]:
        out: dict[str, tuple[int, int]] = {}
        for e in self.window(since, until):
            if e.kind == "search" and e.query is not None and normalise(e.query):
                n, zero = out.get(normalise(e.query), (0, 0))
                out[normalise(e.query)] = (n + 1, zero + (1 if e.results == 0 else 0))
        return out

    def flags(self, since: date | None = None, until: date | None = None) -> list[TruthEvent]:
        return sorted(
            (e for e in self.window(since, until) if e.kind == "flag"), key=lambda e: e.time
        )

    def requests(self, since: date | None = None, until: date | None = None) -> list[TruthEvent]:
        return sorted(
            (e for e in self.window(since, until) if e.kind == "request"), key=lambda e: e.time
        )

    def reps_active(self, since: date | None = None, until: date | None = None) -> int:
        return len({e.rep for e in self.window(since, until)})


# ----------------------------------------------------------------------------- generation


@dataclass(frozen=True, slots=True)
class Rep:
    name: str
    devices: tuple[str, ...]
    activity: float


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _popularity(items: list[SimItem], rng: random.Random, unused_share: float) -> list[float]:
    """Zipf-like weights in a shuffled order; the last ``unused_share`` of items get none."""
    order = list(range(len(items)))
    rng.shuffle(order)
    never = max(1, round(len(items) * unused_share)) if len(items) > 1 else 0
    weights = [0.0] * len(items)
    for rank, index in enumerate(order[: len(items) - never], 1):
        weights[index] = 1.0 / rank**1.1
    return weights


def _typed(query: str, rng: random.Random) -> str:
    """How a person types a query: random capitals, doubled spaces, stray blanks."""
    roll = rng.random()
    if roll < 0.15:
        query = query.title()
    elif roll < 0.25:
        query = query.upper()
    if rng.random() < 0.2:
        query = query.replace(" ", "  ", 1)
    if rng.random() < 0.1:
        query = f" {query}\t"
    return query


def _rep_events(
    rep: Rep,
    items: list[SimItem],
    weights: list[float],
    rng: random.Random,
    start: datetime,
    days: int,
) -> Iterator[tuple[str, UsageEvent]]:
    """(device id, event) for one rep, in time order, day by day."""
    for day in range(days):
        day_start = start + timedelta(days=day)
        sessions = rng.randint(0, max(0, round(3 * rep.activity)))
        offsets = sorted(rng.randrange(0, 86_400_000_000) for _ in range(sessions))
        if rep.name.startswith("rep-001@") and day in (0, 1):
            # the edges of a day: exactly midnight, and a session that runs past midnight
            offsets.insert(0, 0) if day == 0 else offsets.append(86_399_999_000)
        for offset in offsets:
            device = rep.devices[0] if len(rep.devices) == 1 else rng.choice(rep.devices)
            t = day_start + timedelta(microseconds=offset)
            for event in _session(items, weights, rng, t):
                yield device, event


def _session(
    items: list[SimItem], weights: list[float], rng: random.Random, t: datetime
) -> list[UsageEvent]:
    events: list[UsageEvent] = []
    step = timedelta(seconds=1)
    search_id: str | None = None
    if rng.random() < 0.6:
        roll = rng.random()
        if roll < 0.7:
            query, results = rng.choice(FOUND_QUERIES), rng.randint(1, 25)
        elif roll < 0.85:
            query, results = rng.choice(NOTHING_QUERIES), 0
        else:
            query = rng.choice(SOMETIMES_QUERIES)
            results = 0 if rng.random() < 0.5 else rng.randint(1, 3)
        search_id = _uuid(rng)
        events.append(
            UsageEvent(
                id=search_id,
                kind="search",
                time=t,
                data={"query": _typed(query, rng), "results": results},
            )
        )
        t += step
        if results == 0:
            if rng.random() < 0.3:
                events.append(_request(rng, t))
            return events
    if rng.random() < 0.05:
        events.append(_request(rng, t))
        return events
    item = rng.choices(items, weights=weights)[0]

    def use(kind: str, when: datetime, data: dict[str, Any]) -> UsageEvent:
        return UsageEvent(_uuid(rng), kind, when, item.item_id, item.version, item.sha256, data)

    if rng.random() < 0.7:
        events.append(use("preview", t, {"location": rng.choice([None, 1, 2, 5])}))
        t += step
    if rng.random() < 0.6:
        rank = rng.randint(1, 5) if search_id else None
        events.append(use("open", t, {"search_id": search_id, "rank": rank}))
        t += step
    if rng.random() < 0.25:
        recipients = ["buyer@example.com"]
        account = rng.choice(ACCOUNTS)
        events.append(
            use("send", t, {"send_id": _uuid(rng), "recipients": recipients, "account": account})
        )
        t += step
    if rng.random() < 0.1:
        events.append(use("copy", t, {"how": rng.choice(["copy", "drag"])}))
        t += step
    if rng.random() < 0.04:
        reason = rng.choice(["outdated", "incorrect", "other"])
        events.append(use("flag", t, {"reason": reason, "note": rng.choice(NOTES)}))
    if not events:  # a session always does something
        events.append(use("preview", t, {"location": None}))
    return events


def _request(rng: random.Random, t: datetime) -> UsageEvent:
    needed = rng.choice([None, (t + timedelta(days=rng.randint(3, 40))).date().isoformat()])
    return UsageEvent(
        _uuid(rng),
        "request",
        t,
        data={"text": rng.choice(REQUESTS), "account": rng.choice(ACCOUNTS), "needed_by": needed},
    )


def _reps(n: int, rng: random.Random) -> list[Rep]:
    reps = []
    for i in range(n):
        name = f"rep-{i:03d}@example.com"
        if i == 2:
            name = 'O\'Brien, "Pat" <pat@example.com>'  # commas, quotes, angle brackets
        devices = (_uuid(rng), _uuid(rng)) if i == 0 else (_uuid(rng),)
        reps.append(Rep(name, devices, rng.uniform(0.3, 1.6)))
    return reps


def _batches_for(
    rep: Rep,
    stream: Iterable[tuple[str, UsageEvent]],
    rng: random.Random,
    batch_size: tuple[int, int],
) -> Iterator[UsageBatch]:
    """Cut a rep's event stream into batches per device, as the app uploads them."""
    pending: dict[str, list[UsageEvent]] = {d: [] for d in rep.devices}
    limit = {d: rng.randint(*batch_size) for d in rep.devices}

    def cut(device: str) -> UsageBatch:
        events = pending[device]
        pending[device] = []
        limit[device] = rng.randint(*batch_size)
        created = events[-1].time + timedelta(minutes=rng.randint(1, 90))
        return UsageBatch(_uuid(rng), device, rep.name, created, events, app_version="0.1.0")

    for device, event in stream:
        pending[device].append(event)
        if len(pending[device]) >= limit[device]:
            yield cut(device)
    for device in rep.devices:
        if pending[device]:
            yield cut(device)


@dataclass(slots=True)
class Simulation:
    batches: list[UsageBatch]
    truth: Truth
    items: list[SimItem]
    reps: list[Rep]

    @property
    def event_count(self) -> int:
        """Distinct events (retried copies are not counted twice)."""
        return len(self.truth.events)

    def write_to_folder(self, hub: Path) -> list[Path]:
        return [write_batch(hub, b) for b in self.batches]

    def put_to_url(self, url: str) -> int:
        for b in self.batches:
            put_batch(url, b)
        return len(self.batches)


def simulate(
    items: list[SimItem],
    *,
    reps: int = 50,
    days: int = 30,
    seed: int = 1,
    start: datetime = START,
    unused_share: float = 0.25,
    batch_size: tuple[int, int] = (15, 60),
    retry_share: float = 0.1,
) -> Simulation:
    """Reps x days of usage against ``items``, as batches, with the truth about them."""
    if not items:
        raise ValueError("simulate needs at least one catalogue item")
    rng = random.Random(seed)
    weights = _popularity(items, rng, unused_share)
    people = _reps(reps, rng)
    truth = Truth()
    batches: list[UsageBatch] = []
    for rep in people:
        rep_batches = list(
            _batches_for(rep, _rep_events(rep, items, weights, rng, start, days), rng, batch_size)
        )
        for b in rep_batches:
            truth.events.extend(_truth_event(rep.name, e) for e in b.events)
        if rep_batches and rng.random() < retry_share:
            # a retry after a crash: the same events again, under a new batch id
            again = rep_batches[rng.randrange(len(rep_batches))]
            repeat = again.events[: max(1, len(again.events) // 2)]
            rep_batches.append(
                UsageBatch(
                    _uuid(rng), again.device_id, rep.name, again.created_at, list(repeat), "0.1.0"
                )
            )
        batches.extend(rep_batches)
    return Simulation(batches, truth, items, people)


def _truth_event(rep: str, e: UsageEvent) -> TruthEvent:
    d: dict[str, Any] = e.data
    return TruthEvent(
        kind=e.kind,
        rep=rep,
        time=e.time,
        item_id=e.item_id,
        version=e.version,
        query=d.get("query") if e.kind == "search" else None,
        results=d.get("results") if e.kind == "search" else None,
        reason=d.get("reason") if e.kind == "flag" else None,
        note=d.get("note") if e.kind == "flag" else None,
        text=d.get("text") if e.kind == "request" else None,
        account=d.get("account") if e.kind == "request" else None,
        needed_by=d.get("needed_by") if e.kind == "request" else None,
    )


def million_batches(
    items: list[SimItem],
    *,
    events: int = 1_000_000,
    reps: int = 500,
    days: int = 365,
    seed: int = 7,
    batch_size: tuple[int, int] = (100, 400),
) -> Iterator[UsageBatch]:
    """Batches holding about ``events`` events in all, generated lazily (for measuring)."""
    rng = random.Random(seed)
    weights = _popularity(items, rng, 0.25)
    made = 0
    while made < events:
        for rep in _reps(reps, rng):
            stream = _rep_events(rep, items, weights, rng, START, days)
            for batch in _batches_for(rep, stream, rng, batch_size):
                yield batch
                made += len(batch.events)
                if made >= events:
                    return


# ----------------------------------------------------------------------------- uploading


def write_batch(hub: Path, batch: UsageBatch) -> Path:
    """Write like the app does into a folder hub: temp file, then an atomic rename."""
    dest = hub / batch_name(batch.device_id, batch.batch_id)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    tmp.write_bytes(encode_batch(batch))
    tmp.replace(dest)
    return dest


def put_batch(url: str, batch: UsageBatch, timeout_s: float = 30.0) -> None:
    """PUT a batch into a URL hub (WebDAV PUT, as nginx with dav_methods PUT accepts)."""
    base = url if url.endswith("/") else url + "/"
    req = urllib.request.Request(
        base + batch_name(batch.device_id, batch.batch_id),
        data=encode_batch(batch),
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=timeout_s) as resp:  # noqa: S310
        if resp.status not in (200, 201, 204):
            raise RuntimeError(f"PUT {req.full_url} answered HTTP {resp.status}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fill a folder hub's inbox with usage.")
    parser.add_argument("hub", type=Path, help="a published folder hub")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--reps", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    items = catalogue_items(args.hub)
    batches = events = 0
    for batch in million_batches(items, events=args.events, reps=args.reps, seed=args.seed):
        write_batch(args.hub, batch)
        batches += 1
        events += len(batch.events)
    print(json.dumps({"batches": batches, "events": events}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
