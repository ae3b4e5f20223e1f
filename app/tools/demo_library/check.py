"""Check the generated demo library with the app's own parts, not copies of them.

Every file is read by :mod:`app.core.extract` (the README's facts must be on their page,
slide or sheet), every sidecar by :mod:`app.core.sidecar`; then the library is published,
synced and searched the way the app's first run does it (:mod:`app.core.demo`), and each of
the README's example searches must find its file first, at its location.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from app.core.catalog import ID_RE, TAG_KINDS
from app.core.demo import install_demo
from app.core.extract import Extraction, extract_file
from app.core.library import Library
from app.core.sidecar import SIDECAR_NAME, SidecarError, read_folder_metadata
from app.tools.demo_library.catalogue import EXPIRED_DATE, VERSIONED
from app.tools.demo_library.common import DEMO, LIBRARY, PREVIOUS

# (file, location, phrase): the phrase must be on that page / slide / sheet (1-based).
FACTS: list[tuple[str, int | None, str]] = [
    ("Pricing/Hospital Pricing 2026.pptx", 7, "Hospital pricing"),
    ("Product and compliance/Alarm Fatigue Whitepaper.pdf", 3, "bedside alarm fatigue"),
    ("Product and compliance/Security and Compliance Whitepaper.pdf", 3, "data residency"),
    ("Product and compliance/Security and Compliance Whitepaper.pdf", 2, "ISO 27001 programme"),
    ("Case studies/Rosewood Care Homes Case Study.pdf", 2, "Unwitnessed falls"),
    ("Case studies/Lindgarden Clinic Case Study.pdf", 2, "COPD home monitoring"),
    ("Case studies/Klinikum Sankt Anna Case Study.pdf", 2, "works council"),
    ("Pricing/Northwind Price List.xlsx", 6, "Nordic framework discount"),
    ("Pricing/ROI Calculator.xlsx", 2, "Payback period"),
    ("Product and compliance/VitalWatch V3 Datasheet.pdf", 2, "MDR (EU) 2017/745, Class IIb"),
    ("Sales enablement/Objection Handling Guide.docx", None, "EHR migration"),
    ("Sales enablement/Partner Program Brief.docx", None, "Deal registration"),
    (
        "Competitive/Battlecards/Battlecard - Helix Monitoring.docx",
        None,
        "Helix landmine questions",
    ),
]

# README examples: query -> expected top item (file) and location, searched as a rep would.
SEARCHES: list[tuple[str, str, int | None]] = [
    ("hospital pricing", "Pricing/Hospital Pricing 2026.pptx", 7),
    ("bedside alarm fatigue", "Product and compliance/Alarm Fatigue Whitepaper.pdf", 3),
    ("data residency", "Product and compliance/Security and Compliance Whitepaper.pdf", 3),
    ("unwitnessed falls", "Case studies/Rosewood Care Homes Case Study.pdf", 2),
    ("Nordic framework discount", "Pricing/Northwind Price List.xlsx", 6),
    ("payback period", "Pricing/ROI Calculator.xlsx", 2),
    ("MDR Class IIb", "Product and compliance/VitalWatch V3 Datasheet.pdf", 2),
    ("COPD home monitoring", "Case studies/Lindgarden Clinic Case Study.pdf", 2),
    ("EHR migration", "Sales enablement/Objection Handling Guide.docx", None),
    ("deal registration", "Sales enablement/Partner Program Brief.docx", None),
    ("Helix landmine", "Competitive/Battlecards/Battlecard - Helix Monitoring.docx", None),
]

MAX_DEMO_BYTES = 3 * 1024 * 1024


class Problems:
    """What failed, printed as it is found."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def fail(self, message: str) -> None:
        self.found.append(message)
        print("FAIL:", message)


def check() -> bool:
    problems = Problems()
    corpus = _extract_all(problems)
    _check_sidecars(problems, sorted(corpus))
    _check_previous(problems)
    _check_facts(problems, corpus)
    _check_searches(problems)
    total = sum(p.stat().st_size for p in DEMO.rglob("*") if p.is_file())
    print(f"\nresources/demo total: {total / 1024:.0f} KB")
    if total >= MAX_DEMO_BYTES:
        problems.fail("demo folder is 3 MB or more")
    print("CHECK", "FAILED" if problems.found else "PASSED")
    return not problems.found


def _extract_all(problems: Problems) -> dict[str, Extraction]:
    """Every file of library/ as the app's extractors read it."""
    corpus: dict[str, Extraction] = {}
    print(f"{'file':64} {'kind':5} {'locs':>4} {'KB':>5}  core title")
    for path in sorted(p for p in LIBRARY.rglob("*") if p.is_file() and p.name != SIDECAR_NAME):
        rel = path.relative_to(LIBRARY).as_posix()
        ex = extract_file(path)
        if not ex.searchable and ex.kind != "image":
            problems.fail(f"{rel} does not open: {ex.reason}")
        corpus[rel] = ex
        kb = path.stat().st_size // 1024
        print(f"{rel:64} {ex.kind:5} {len(ex.segments):>4} {kb:>5}  {ex.title!r}")
    return corpus


def _sidecar_tables(problems: Problems) -> dict[str, dict[str, Any]]:
    """rel -> its table in its folder's satchel.toml; each sidecar valid for the app."""
    metas: dict[str, dict[str, Any]] = {}
    for toml_path in sorted(LIBRARY.rglob(SIDECAR_NAME)):
        folder = toml_path.parent
        try:
            read_folder_metadata(folder, str(toml_path))
        except SidecarError as exc:
            problems.fail(str(exc))
        for name, table in tomllib.loads(toml_path.read_text(encoding="utf-8")).items():
            if name != "defaults":
                metas[(folder / name).relative_to(LIBRARY).as_posix()] = table
    return metas


def _check_sidecars(problems: Problems, files: list[str]) -> None:
    metas = _sidecar_tables(problems)
    for rel in files:
        if rel not in metas:
            problems.fail(f"{rel}: no {SIDECAR_NAME} table")
    ids: set[str] = set()
    expired = []
    for rel, meta in metas.items():
        for key in ("title", "description", "tags"):
            if not meta.get(key):
                problems.fail(f"{rel}: missing {key}")
        if set(meta.get("tags", {})) - set(TAG_KINDS):
            problems.fail(f"{rel}: unknown tag kind")
        if "id" in meta:
            if not ID_RE.match(meta["id"]) or meta["id"] in ids:
                problems.fail(f"{rel}: bad or duplicate id {meta['id']!r}")
            ids.add(meta["id"])
        expires = meta.get("expires")
        if expires == EXPIRED_DATE:
            expired.append(rel)
        elif expires is not None and expires <= dt.date(2027, 6, 30):
            problems.fail(f"{rel}: expiry {expires} not after 2027-06-30")
    if len(expired) != 1:
        problems.fail(f"expected exactly one expired item, got {expired}")
    print(f"\n{len(metas)} items, {len(ids)} ids, expired: {expired}")


def _check_previous(problems: Problems) -> None:
    """previous/ holds version 1 of the one versioned item, and nothing else."""
    versioned = Path(VERSIONED)
    found = sorted(p.relative_to(PREVIOUS).as_posix() for p in PREVIOUS.rglob("*") if p.is_file())
    if found != sorted([VERSIONED, str(versioned.parent / SIDECAR_NAME)]):
        problems.fail(f"previous/ holds {found}")
    sidecar = PREVIOUS / versioned.parent / SIDECAR_NAME
    tables = tomllib.loads(sidecar.read_text(encoding="utf-8"))
    if list(tables) != [versioned.name] or tables[versioned.name].get("change_note") != (
        "First release"
    ):
        problems.fail(
            f"previous/ {SIDECAR_NAME} must hold just the versioned file, 'First release'"
        )
    if (PREVIOUS / VERSIONED).read_bytes() == (LIBRARY / VERSIONED).read_bytes():
        problems.fail("previous version identical to current")
    old = extract_file(PREVIOUS / VERSIONED)
    print(f"previous/{VERSIONED}: sheets {[s.text.splitlines()[0] for s in old.segments]}")


def _check_facts(problems: Problems, corpus: dict[str, Extraction]) -> None:
    print(f"\n{'fact':34} {'loc':>4}  file")
    for rel, loc, phrase in FACTS:
        ex = corpus.get(rel)
        found = [
            s.loc
            for s in (ex.segments if ex else [])
            if phrase.lower() in " ".join(s.text.split()).lower()
        ]
        if loc not in found:
            problems.fail(f"{phrase!r} not on {loc} of {rel} (found on {found})")
        status = "ok" if loc in found else "MISSING"
        print(f"{phrase[:34]:34} {str(loc):>4}  {rel}  [{status}; all hits: {found}]")


def _check_searches(problems: Problems) -> None:
    """Publish, sync and search the demo as the app's first run does, in a scratch folder."""
    print(f"\n{'query':28} top hits (the app's search, after the demo's first-run install)")
    with (
        tempfile.TemporaryDirectory(prefix="satchel-demo-check-") as home,
        Library.open(Path(home)) as lib,
    ):
        install_demo(lib)
        for query, rel, loc in SEARCHES:
            hits = lib.search(query, limit=3).hits
            top = [(lib.item(h.id).filename, h.location) for h in hits]
            if not top or top[0] != (Path(rel).name, loc):
                problems.fail(f"search {query!r}: expected {rel} @ {loc}, got {top[:1]}")
            print(f"{query:28} " + "; ".join(f"{name} @ {at}" for name, at in top))
