"""Six weeks of believable usage of the demo hub, for Insights screenshots and trying it out.

Sixteen reps of the demo company, mostly on weekdays and office hours, search for what reps
search for (a few queries find nothing), preview, open and send the popular decks and price
lists, leave some items unused, flag an outdated sheet and ask marketing for material. The
batches go into the demo hub's inbox as the app would upload them. Deterministic per seed.

    python -m app.tools.demo_usage HUB [--days 42] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.core.catalog import read_catalog_unverified
from app.core.usage.batch import UsageBatch, UsageEvent, batch_name, encode_batch

REPS = (
    "Anna Berger", "Lukas Meyer", "Sofia Rossi", "James Carter", "Emma Lindqvist",
    "Noah Schmidt", "Mia Jensen", "Oliver Brown", "Lea Fischer", "Elias Novak",
    "Hannah Wright", "Jonas Keller", "Clara Dubois", "Liam O'Connor", "Ida Nilsson",
    "Felix Wagner",
)  # fmt: skip
FOUND = (
    "pricing", "hospital pricing", "roi calculator", "case study", "battery life",
    "elder care", "alarm fatigue", "price list", "onboarding", "carecloud security",
    "implementation plan", "vitalwatch go", "fall detection", "battlecard meridian",
)  # fmt: skip
NOTHING = ("tco for clinics", "case study german hospitals", "french one-pager", "hl7 interface")
FLAGS = (
    ("outdated", "Nordics sheet still shows 2025 prices."),
    ("incorrect", "Slide 6 quotes 40 % fewer alarms; the study says 34 %."),
    ("outdated", "Logo on the cover is the old one."),
)
REQUESTS = (
    ("Case study for a German university hospital", "Klinikum Nord"),
    ("One-pager on battery safety in French", None),
    ("TCO comparison for small clinics", "Praxis am Park"),
)
ACCOUNTS = ("Klinikum Nord", "St. Mary's Hospital", "Region Skåne", "Praxis am Park", None)


def _catalogue(hub: Path) -> list[tuple[str, int, str]]:
    catalog = read_catalog_unverified((hub / "catalog.json").read_bytes())
    return [(i.id, i.version, i.sha256) for i in catalog.items]


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _session(
    rng: random.Random,
    items: list[tuple[str, int, str]],
    weights: list[float],
    t: datetime,
) -> list[UsageEvent]:
    out: list[UsageEvent] = []
    if rng.random() < 0.65:
        zero = rng.random() < 0.12
        query = rng.choice(NOTHING if zero else FOUND)
        results = 0 if zero else rng.randint(2, 14)
        out.append(UsageEvent(_uuid(rng), "search", t, data={"query": query, "results": results}))
        if zero:
            if rng.random() < 0.25:
                text, account = rng.choice(REQUESTS)
                asked: dict[str, Any] = {"text": text, "account": account, "needed_by": None}
                out.append(UsageEvent(_uuid(rng), "request", t + timedelta(minutes=2), data=asked))
            return out
    item_id, version, sha = rng.choices(items, weights=weights)[0]

    def use(kind: str, minutes: int, data: dict[str, Any]) -> UsageEvent:
        when = t + timedelta(minutes=minutes)
        return UsageEvent(_uuid(rng), kind, when, item_id, version, sha, data)

    out.append(use("preview", 1, {"location": rng.choice([None, 1, 2, 3, 7])}))
    if rng.random() < 0.55:
        out.append(use("open", 2, {}))
    if rng.random() < 0.3:
        data: dict[str, Any] = {"send_id": _uuid(rng), "recipients": ["buyer@customer.example"]}
        out.append(use("send", 6, {**data, "account": rng.choice(ACCOUNTS)}))
    elif rng.random() < 0.12:
        out.append(use("copy", 4, {"how": rng.choice(["copy", "drag"])}))
    if rng.random() < 0.015:
        reason, note = rng.choice(FLAGS)
        out.append(use("flag", 8, {"reason": reason, "note": note}))
    return out


def make_batches(
    items: list[tuple[str, int, str]], *, days: int, seed: int, end: datetime
) -> list[UsageBatch]:
    rng = random.Random(seed)
    order = list(range(len(items)))
    rng.shuffle(order)
    weights = [0.0] * len(items)
    for rank, index in enumerate(order[: max(1, int(len(items) * 0.8))], 1):
        weights[index] = 1.0 / rank**0.9  # a fifth of the library is never used
    start = (end - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
    batches = []
    for n, name in enumerate(REPS):
        device, activity = _uuid(rng), rng.uniform(0.4, 1.4) * (1 + n / len(REPS))
        events: list[UsageEvent] = []
        for day in range(days):
            date = start + timedelta(days=day)
            weekend = date.weekday() >= 5
            ramp = 0.6 + 0.8 * day / days  # adoption grows over the weeks
            for _ in range(rng.randint(0, round(3 * activity * ramp * (0.1 if weekend else 1)))):
                t = date + timedelta(hours=rng.uniform(8, 18))
                events.extend(_session(rng, items, weights, t))
        events.sort(key=lambda e: e.time)
        for cut in range(0, len(events), 40):
            chunk = events[cut : cut + 40]
            created = chunk[-1].time + timedelta(minutes=30)
            slug = name.lower().replace(" ", ".").replace("'", "")
            rep = f"{slug}@northwind-medical.example"
            batches.append(
                UsageBatch(_uuid(rng), device, rep, created, chunk, "demo", rep_name=name)
            )
    return batches


def write_demo_usage(hub: Path, *, days: int = 42, seed: int = 7) -> int:
    """Fill ``hub``'s inbox; returns the number of events written."""
    end = datetime.now(UTC) - timedelta(hours=1)
    batches = make_batches(_catalogue(hub), days=days, seed=seed, end=end)
    for batch in batches:
        dest = hub / batch_name(batch.device_id, batch.batch_id)
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.tmp")
        tmp.write_bytes(encode_batch(batch))
        tmp.replace(dest)
    return sum(len(b.events) for b in batches)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write believable demo usage into a hub.")
    parser.add_argument("hub", type=Path)
    parser.add_argument("--days", type=int, default=42)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    print(f"{write_demo_usage(args.hub, days=args.days, seed=args.seed)} events written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
