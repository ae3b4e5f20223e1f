"""A deterministic generator of realistic sales collateral for the benchmark suite.

    .venv/bin/python -m tests.bench.corpus_gen --size 5000 --out /tmp/satchel-bench/corpus-5000

Writes real documents, each made by the library its format is usually made with: PDF
(reportlab, several pages of text, photos), PPTX (python-pptx, slides with bullets, speaker
notes, pictures, some tables), DOCX (python-docx, headings, paragraphs, tables, pictures) and
XLSX (openpyxl, a few sheets of price lists and figures), in a folder tree of categories and
products, with ``satchel.toml`` metadata in most folders (folder defaults and per-file titles,
descriptions, tags, ids, expiry dates and change notes).

Text is drawn from a seeded Zipf-like distribution over a vocabulary of about 16,000 words:
English function words first, then business, medical and technical words, then a long tail of
made-up jargon; product names, customer names, prices, percentages and years are mixed in.
File sizes follow a log-normal distribution clipped to 50 KB - 3 MB (spreadsheets are
smaller); bulk comes from embedded photos, as in real collateral.

Every item ``i`` depends only on (seed, i, variant): the output is the same, byte for byte, on
every run and with any number of workers. ``variant`` > 0 gives a changed version of the same
file (same path and metadata, new content), used by the delta-sync benchmark. A finished
corpus carries ``.corpus.json`` (parameters, file count, bytes); a folder whose manifest
matches is reused as it is.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import multiprocessing
import os
import random
import shutil
import sys
import tempfile
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing import util as mp_util
from pathlib import Path
from typing import Any

MANIFEST = ".corpus.json"
GENERATOR_VERSION = 3
FIXED_EPOCH = 1_735_689_600  # 2025-01-01T00:00:00Z: mtimes and zip entry times
MIN_BYTES = 50_000
MAX_BYTES = 3_000_000

# ----------------------------------------------------------------------------- vocabulary

FUNCTION_WORDS = """the of and to in a for is that with on as by this are be we our it from at
your or will can an their more all has have which new not its most each also than into
these up out about how when who they one both only over such what use per two first any"""

BUSINESS_WORDS = (
    """revenue pricing discount margin contract proposal quote invoice budget
forecast pipeline quota territory account customer prospect buyer stakeholder procurement
renewal subscription license tier bundle package offer promotion campaign launch rollout
roadmap strategy market segment competitor benchmark positioning differentiation value
proposition benefit outcome return investment payback savings efficiency productivity growth
expansion acquisition retention churn loyalty satisfaction survey feedback testimonial case
study reference success partner channel reseller distributor wholesale retail enterprise
midmarket smallbusiness government education healthcare hospital clinic pharmacy insurer payer
provider network region country global europe americas asia pacific dach nordics benelux iberia
quarter annual monthly weekly deadline milestone timeline phase pilot trial evaluation demo
presentation meeting workshop training onboarding implementation deployment support service
warranty maintenance upgrade migration integration compliance regulation policy audit risk
security privacy governance certification standard accreditation approval tender rfp rfi
negotiation objection closing signature terms conditions payment net days credit financing
lease rental leasing capex opex total cost ownership tco roi kpi metric dashboard report
analysis insight trend share leader challenger adoption awareness consideration decision
executive director manager officer cfo ceo cio cmo coo vp head buyer champion sponsor user
administrator clinician nurse physician surgeon technician engineer analyst consultant
specialist coordinator representative team department unit division headquarters office site
ward theatre laboratory pharmacy warehouse logistics shipping delivery lead time inventory
stock order fulfilment backorder catalog sku price list rate card volume tiered floor ceiling
rebate incentive bonus commission spiff target attainment forecastable predictable recurring
"""
    + """annualized bookings billings backlog upsell crossell attach rate win loss ratio cycle
velocity conversion qualified opportunity stage discovery proposal shortlist verbal commit"""
)

MEDICAL_WORDS = """patient monitoring vital signs heart rate blood pressure oxygen saturation
respiratory temperature ecg ekg telemetry arrhythmia fibrillation tachycardia bradycardia
sepsis early warning score deterioration alarm fatigue bedside ward icu intensive care
emergency department anaesthesia surgery perioperative postoperative recovery discharge
readmission length stay outcomes mortality morbidity adverse event incident safety quality
infection prevention hygiene sterilization disposable reusable sensor probe cuff lead
electrode catheter infusion pump syringe ventilator defibrillator imaging ultrasound mri ct
xray radiology cardiology oncology neurology pediatrics neonatal maternity orthopedics
diabetes glucose insulin dialysis renal chronic acute diagnosis therapy treatment protocol
guideline evidence clinical trial study randomized cohort observational endpoint efficacy
sensitivity specificity accuracy validation calibration accuracy interoperability hl7 fhir
dicom emr ehr record chart documentation workflow nursing handover rounds triage telehealth
remote homecare wearable ambulatory outpatient inpatient bed capacity staffing shortage
burnout caregiver clinician physician reimbursement drg coding tariff formulary medtech
device class mdr fda ce marking iso 13485 iec 60601 biocompatibility cleaning disinfection
steriliser autoclave consumable accessory spare part service contract uptime downtime"""

TECH_WORDS = """platform software hardware firmware cloud saas onpremise hybrid server client
database api integration connector gateway edge device sensor network wireless bluetooth
wifi lte 5g ethernet protocol encryption authentication authorization sso saml oauth ldap
directory backup recovery disaster availability redundancy failover cluster scalability
performance latency throughput bandwidth storage archive retention analytics machine
learning artificial intelligence algorithm model prediction anomaly detection dashboard
visualization reporting alerting notification mobile app tablet browser desktop windows
macos linux ios android deployment container kubernetes virtual machine hypervisor appliance
rack module license key activation update patch release version roadmap feature capability
configuration setup installation administration monitoring logging audit trail compliance
gdpr hipaa soc iso27001 penetration test vulnerability firewall vpn certificate token
interface usability accessibility localization language support ticket sla helpdesk portal
knowledge base documentation manual quickstart guide faq troubleshooting diagnostics remote
access session fleet management provisioning zero touch enrollment telemetry data lake
pipeline stream batch export import csv pdf xml json schema field record query search index"""

PRODUCTS = [
    "VitalWatch",
    "CardioSense",
    "PulseLink",
    "OxyTrack",
    "NeoGuard",
    "SepsisAlert",
    "WardView",
    "InfuSafe",
    "ThermoScan",
    "RespiraPro",
    "GlucoSync",
    "DialyCare",
    "SonoLite",
    "ImageBridge",
    "TeleCare Hub",
    "AlarmIQ",
    "BedFlow",
    "CareConnect",
    "MedLedger",
    "NurseNote",
    "SafeSteri",
    "EdgeGateway",
    "DataHarbor",
    "InsightBoard",
]
CUSTOMER_FIRST = [
    "Riverside",
    "Northgate",
    "Lakeside",
    "St",
    "Mary's",
    "Kingsbridge",
    "Westfield",
    "Harbor",
    "Summit",
    "Oakwood",
    "Maple",
    "Cedar",
    "Pinecrest",
    "Fairview",
    "Brookhaven",
    "Highland",
    "Meadow",
    "Silverline",
    "Bluewater",
    "Redstone",
    "Greenfield",
    "Eastbrook",
    "Southport",
    "Midvale",
    "Ashford",
    "Belmont",
    "Clearwater",
    "Foxhill",
    "Glenmoor",
    "Hawthorne",
    "Ironbridge",
    "Juniper",
    "Kestrel",
    "Larkspur",
    "Millbrook",
    "Newhaven",
    "Orchard",
    "Parkside",
    "Queensway",
    "Rosewood",
    "Stonegate",
    "Thornbury",
    "Upton",
    "Valleyview",
    "Whitmore",
    "Yardley",
    "Zenith",
    "Alder",
    "Birchwood",
    "Charter",
    "Dunmore",
    "Elmstead",
]
CUSTOMER_LAST = [
    "Health",
    "Medical Center",
    "University Hospital",
    "Clinics",
    "Care Group",
    "Health System",
    "Regional Hospital",
    "Children's Hospital",
    "Heart Institute",
    "Rehabilitation Center",
    "Surgical Partners",
    "Diagnostics",
]
SEGMENTS = [
    "Hospitals",
    "Clinics",
    "Home care",
    "Ambulatory",
    "Government",
    "Universities",
    "Insurers",
    "Long-term care",
]
STAGES = ["Prospecting", "Discovery", "Proposal", "Negotiation", "Closing", "Onboarding"]
PERSONAS = [
    "CFO",
    "CIO",
    "Head of Nursing",
    "Biomedical Engineer",
    "Procurement",
    "CMO",
    "Clinician",
    "IT Director",
]
REGIONS = [
    "Global",
    "DACH",
    "Nordics",
    "Benelux",
    "UK",
    "France",
    "Iberia",
    "Italy",
    "North America",
    "LATAM",
    "APAC",
    "Middle East",
]
OWNERS = [
    "marketing@example.com",
    "pricing@example.com",
    "product@example.com",
    "enablement@example.com",
    "clinical@example.com",
]

#: category -> (kind weights pdf/pptx/docx/xlsx, document types used in names and titles)
CATEGORIES: dict[str, tuple[tuple[int, int, int, int], list[str]]] = {
    "Decks": ((10, 80, 5, 5), ["Sales Deck", "Pitch", "Overview", "Executive Briefing"]),
    "Brochures": ((85, 5, 10, 0), ["Brochure", "One-pager", "Flyer", "Leaflet"]),
    "Case Studies": ((70, 15, 15, 0), ["Case Study", "Success Story", "Reference"]),
    "Price Lists": ((15, 5, 5, 75), ["Price List", "Rate Card", "Discount Matrix"]),
    "Datasheets": ((80, 0, 15, 5), ["Datasheet", "Spec Sheet", "Technical Summary"]),
    "Proposals": ((20, 15, 55, 10), ["Proposal Template", "RFP Response", "Quote"]),
    "Training": ((25, 50, 20, 5), ["Training", "Playbook", "Objection Handling"]),
    "Competitive": ((35, 35, 25, 5), ["Battlecard", "Competitive Analysis", "Comparison"]),
    "Whitepapers": ((85, 0, 15, 0), ["Whitepaper", "Clinical Evidence", "Study Summary"]),
    "Contracts": ((30, 0, 60, 10), ["Contract Template", "Terms", "Service Agreement"]),
}
KINDS = ("pdf", "pptx", "docx", "xlsx")

_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "ti",
    "vo",
    "ze",
    "bra",
    "cle",
    "dri",
    "fo",
    "gu",
    "ha",
    "ji",
    "kel",
    "lum",
    "mor",
    "nex",
    "pra",
    "qui",
    "ros",
    "sen",
    "tal",
    "ul",
    "vin",
    "wex",
    "xo",
    "yl",
    "zor",
    "tra",
    "plex",
    "gen",
    "cor",
    "med",
    "vit",
    "ax",
    "ion",
    "ar",
    "em",
]


def _vocabulary() -> list[str]:
    """Every word in rank order (rank 0 most frequent); the same list on every run."""
    rng = random.Random("satchel-vocabulary")
    seen: set[str] = set()
    ranked: list[str] = []

    def add(words: list[str]) -> None:
        for word in words:
            if word not in seen:
                seen.add(word)
                ranked.append(word)

    add(FUNCTION_WORDS.split())
    domain = [*BUSINESS_WORDS.split(), *MEDICAL_WORDS.split(), *TECH_WORDS.split()]
    rng.shuffle(domain)
    add(domain)
    tail: list[str] = []
    while len(tail) < 15_000:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))
        if word not in seen and len(word) >= 4:
            seen.add(word)
            tail.append(word)
    add(tail)
    return ranked


VOCAB = _vocabulary()
N_FUNCTION = len(set(FUNCTION_WORDS.split()))
_CUM: list[float] = []
_acc = 0.0
for _rank in range(len(VOCAB)):
    _acc += 1.0 / (_rank + 2.7) ** 1.05
    _CUM.append(_acc)
del _acc, _rank


def customer_name(rng: random.Random) -> str:
    return f"{rng.choice(CUSTOMER_FIRST)} {rng.choice(CUSTOMER_LAST)}"


class Writer:
    """Sentences and paragraphs from one item's random stream."""

    def __init__(self, rng: random.Random, product: str, customer: str) -> None:
        self.rng = rng
        self.product = product
        self.customer = customer

    def sentence(self) -> str:
        rng = self.rng
        words = rng.choices(VOCAB, cum_weights=_CUM, k=rng.randint(7, 22))
        roll = rng.random()
        if roll < 0.18:
            words.insert(rng.randrange(len(words)), self.product)
        elif roll < 0.24:
            words.insert(rng.randrange(len(words)), rng.choice(PRODUCTS))
        elif roll < 0.30:
            words.insert(rng.randrange(len(words)), self.customer)
        roll = rng.random()
        if roll < 0.08:
            words.insert(rng.randrange(len(words)), f"${rng.randint(1, 480) * 250:,}")
        elif roll < 0.14:
            words.insert(rng.randrange(len(words)), f"{rng.randint(2, 95)}%")
        elif roll < 0.17:
            words.insert(rng.randrange(len(words)), str(rng.randint(2019, 2027)))
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, words: int) -> str:
        out: list[str] = []
        count = 0
        while count < words:
            sentence = self.sentence()
            out.append(sentence)
            count += sentence.count(" ") + 1
        return " ".join(out)

    def phrase(self, lo: int = 2, hi: int = 6) -> str:
        words = self.rng.choices(VOCAB[N_FUNCTION:2000], k=self.rng.randint(lo, hi))
        return " ".join(words).capitalize()


# ----------------------------------------------------------------------------- items


@dataclass(slots=True)
class ItemMeta:
    """Where item ``i`` lives and what marketing says about it (independent of variant)."""

    index: int
    folder: str  # "Decks/VitalWatch"
    name: str  # file name on disk
    kind: str
    product: str
    customer: str
    doc_type: str
    target_bytes: int
    doc_title: str | None  # title in the document's own properties
    toml: dict[str, Any] | None  # this file's table in its folder's satchel.toml

    @property
    def rel(self) -> str:
        return f"{self.folder}/{self.name}"


def _folders(size: int) -> list[tuple[str, str]]:
    """(category, product) folders: about 20 files each, at least a handful."""
    n = max(8, min(len(CATEGORIES) * len(PRODUCTS), round(size / 20)))
    pairs = [(c, p) for p in PRODUCTS for c in CATEGORIES]
    random.Random(f"folders:{size}").shuffle(pairs)
    return sorted(pairs[:n])


def _target_bytes(rng: random.Random, kind: str) -> int:
    median = 90_000 if kind == "xlsx" else 220_000
    value = int(median * math.exp(rng.gauss(0.0, 0.9)))
    return max(MIN_BYTES, min(MAX_BYTES if kind != "xlsx" else 800_000, value))


def item_meta(seed: int, size: int, index: int) -> ItemMeta:
    rng = random.Random(f"meta:{seed}:{index}")
    folders = _folders(size)
    category, product = folders[index % len(folders)]
    weights, doc_types = CATEGORIES[category]
    kind = rng.choices(KINDS, weights=weights)[0]
    doc_type = rng.choice(doc_types)
    customer = customer_name(rng)
    qualifier = rng.choice([customer, rng.choice(SEGMENTS), rng.choice(REGIONS), ""])
    year = rng.randint(2022, 2026)
    stem = " ".join(x for x in (product, doc_type, qualifier, str(year)) if x)
    name = f"{stem} {index:05d}.{kind}"
    title = f"{product} {doc_type.lower()}" + (f" for {qualifier}" if qualifier else "")
    toml: dict[str, Any] | None = None
    if rng.random() < 0.35:
        toml = {"title": f"{title} ({year})"}
        if rng.random() < 0.3:
            toml["id"] = f"{product.lower().replace(' ', '-')}-{index:05d}"
        writer = Writer(rng, product, customer)
        toml["description"] = writer.paragraph(rng.randint(12, 40))
        tags: dict[str, list[str]] = {"stage": [rng.choice(STAGES)]}
        if rng.random() < 0.6:
            tags["persona"] = sorted(set(rng.choices(PERSONAS, k=rng.randint(1, 2))))
        if rng.random() < 0.5:
            tags["region"] = [rng.choice(REGIONS)]
        toml["tags"] = tags
        if rng.random() < 0.2:
            toml["owner"] = rng.choice(OWNERS)
        roll = rng.random()
        if roll < 0.01:
            toml["expires"] = f"2024-{rng.randint(1, 12):02d}-28"  # already expired
        elif roll < 0.08:
            toml["expires"] = f"{rng.randint(2030, 2034)}-{rng.randint(1, 12):02d}-28"
        if rng.random() < 0.3:
            toml["change_note"] = writer.phrase()
    return ItemMeta(
        index=index,
        folder=f"{category}/{product}",
        name=name,
        kind=kind,
        product=product,
        customer=customer,
        doc_type=doc_type,
        target_bytes=_target_bytes(rng, kind),
        doc_title=title if rng.random() < 0.5 else None,
        toml=toml,
    )


def folder_defaults(seed: int, folder: str) -> dict[str, Any] | None:
    rng = random.Random(f"folder:{seed}:{folder}")
    if rng.random() < 0.25:
        return None
    category, product = folder.split("/", 1)
    tags: dict[str, list[str]] = {"product": [product]}
    if rng.random() < 0.7:
        tags["segment"] = sorted(set(rng.choices(SEGMENTS, k=rng.randint(1, 3))))
    if rng.random() < 0.4:
        tags["region"] = [rng.choice(REGIONS)]
    return {"owner": rng.choice(OWNERS), "tags": tags}


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        if len(value) == 10 and value[4] == "-" and value[7] == "-" and value[:4].isdigit():
            return value  # a TOML date
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


def render_toml(defaults: dict[str, Any] | None, files: dict[str, dict[str, Any]]) -> str:
    lines: list[str] = []
    if defaults:
        lines.append("[defaults]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in defaults.items()]
        lines.append("")
    for name in sorted(files):
        lines.append(f"[{json.dumps(name, ensure_ascii=False)}]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in files[name].items()]
        lines.append("")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- content


@dataclass(slots=True)
class Content:
    """What one version of an item says: segments of text by page / slide / sheet."""

    pages: list[list[str]] = field(default_factory=list)  # paragraphs per page/slide
    notes: list[str] = field(default_factory=list)  # PPTX speaker notes per slide
    tables: list[list[list[str]]] = field(default_factory=list)  # rows of cells
    sheets: list[tuple[str, list[list[Any]]]] = field(default_factory=list)  # XLSX


def item_content(seed: int, meta: ItemMeta, variant: int = 0) -> Content:
    rng = random.Random(f"content:{seed}:{meta.index}:{variant}")
    w = Writer(rng, meta.product, meta.customer)
    c = Content()
    if meta.kind == "pdf":
        for _ in range(rng.choice((2, 2, 3, 4, 4, 6, 8, 12, 16, 24, 32))):
            c.pages.append([w.paragraph(rng.randint(40, 120)) for _ in range(rng.randint(2, 4))])
    elif meta.kind == "pptx":
        for _ in range(rng.randint(5, 36)):
            bullets = [w.phrase(3, 10) for _ in range(rng.randint(2, 6))]
            c.pages.append([w.phrase(2, 5), *bullets])
            c.notes.append(w.paragraph(rng.randint(15, 110)) if rng.random() < 0.8 else "")
        if rng.random() < 0.3:
            c.tables.append(_table(w, rng.randint(3, 7), rng.randint(3, 5)))
    elif meta.kind == "docx":
        for _ in range(rng.randint(2, 14)):
            c.pages.append(
                [w.phrase(2, 6)]
                + [w.paragraph(rng.randint(40, 140)) for _ in range(rng.randint(2, 7))]
            )
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            c.tables.append(_table(w, rng.randint(4, 14), rng.randint(3, 6)))
    else:
        cells_wanted = max(400, min(40_000, meta.target_bytes // 9))
        n_sheets = rng.randint(2, 5)
        for s in range(n_sheets):
            cols = rng.randint(5, 10)
            rows = max(8, cells_wanted // n_sheets // cols)
            header = [
                "SKU",
                "Product",
                "Description",
                "List price",
                "Discount",
                "Net",
                "Region",
                "Segment",
                "Valid from",
                "Notes",
            ][:cols]
            data: list[list[Any]] = [header]
            for r in range(rows):
                price = rng.randint(40, 90_000)
                disc = rng.choice((0, 5, 10, 12.5, 15, 20, 25, 30))
                row: list[Any] = [
                    f"{meta.product[:3].upper()}-{s + 1}{r:04d}",
                    rng.choice(PRODUCTS) if rng.random() < 0.3 else meta.product,
                    w.phrase(2, 7),
                    price,
                    disc,
                    round(price * (1 - disc / 100), 2),
                    rng.choice(REGIONS),
                    rng.choice(SEGMENTS),
                    f"{rng.randint(2023, 2026)}-{rng.randint(1, 12):02d}-01",
                    w.phrase(1, 4) if rng.random() < 0.3 else None,
                ][:cols]
                data.append(row)
            name = (
                rng.choice(
                    (
                        "Prices",
                        "Discounts",
                        "Bundles",
                        "Services",
                        "Regions",
                        "Summary",
                        "Options",
                        "Accessories",
                    )
                )
                + f" {s + 1}"
            )
            c.sheets.append((name, data))
    return c


def _table(w: Writer, rows: int, cols: int) -> list[list[str]]:
    head = [w.phrase(1, 2) for _ in range(cols)]
    body = [
        [
            w.phrase(1, 3) if (c == 0 or w.rng.random() < 0.5) else f"{w.rng.randint(1, 9999)}"
            for c in range(cols)
        ]
        for _ in range(rows)
    ]
    return [head, *body]


def content_segments(meta: ItemMeta, content: Content) -> list[tuple[int | None, str]]:
    """The text as the extractors roughly see it (used to search at sizes not published)."""
    if meta.kind == "pdf":
        return [(n, "\n".join(p)) for n, p in enumerate(content.pages, 1)]
    if meta.kind == "pptx":
        out = []
        for n, (page, note) in enumerate(zip(content.pages, content.notes, strict=True), 1):
            out.append((n, "\n".join([*page, note])))
        for table in content.tables:
            out.append((len(out) + 1, "\n".join("\t".join(r) for r in table)))
        return out
    if meta.kind == "docx":
        parts = ["\n".join(p) for p in content.pages]
        parts += ["\n".join("\t".join(r) for r in t) for t in content.tables]
        return [(None, "\n".join(parts))]
    return [
        (n, name + "\n" + "\n".join("\t".join(str(v) for v in r if v is not None) for r in rows))
        for n, (name, rows) in enumerate(content.sheets, 1)
    ]


# ----------------------------------------------------------------------------- rendering

_IMAGES: list[tuple[Path, int, tuple[int, int]]] = []  # (path, bytes, (w, h)), per process


def _image_pool(folder: Path) -> list[tuple[Path, int, tuple[int, int]]]:
    """Photo-like JPEGs (smooth colour fields plus grain), the same bytes in every process."""
    from PIL import Image, ImageFilter

    rng = random.Random("satchel-images")
    out = []
    dims = [
        (320, 240),
        (480, 320),
        (640, 420),
        (800, 533),
        (1024, 683),
        (1280, 853),
        (1600, 1067),
        (1920, 1280),
    ]
    for n in range(24):
        width, height = dims[n % len(dims)]
        small = Image.frombytes("RGB", (24, 16), rng.randbytes(24 * 16 * 3))
        image = small.resize((width, height), Image.Resampling.BICUBIC)
        grain = Image.frombytes("L", (width, height), rng.randbytes(width * height))
        grain = grain.filter(ImageFilter.GaussianBlur(0.6)).convert("RGB")
        image = Image.blend(image, grain, 0.18)
        path = folder / f"photo{n:02d}.jpg"
        image.save(path, "JPEG", quality=82 + n % 3 * 5)
        out.append((path, path.stat().st_size, (width, height)))
    return out


def _pick_images(rng: random.Random, budget: int) -> list[tuple[Path, int, tuple[int, int]]]:
    """Distinct pool images adding up to about ``budget`` bytes (formats dedupe repeats)."""
    pool = sorted(_IMAGES, key=lambda t: t[1], reverse=True)
    picked = []
    for entry in pool:
        if entry[1] <= budget * 1.1 and rng.random() < 0.85:
            picked.append(entry)
            budget -= entry[1]
        if budget < 15_000:
            break
    rng.shuffle(picked)
    return picked


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite an OOXML package with fixed entry times and fixed dates in docProps/core.xml
    (zipfile and openpyxl stamp the save time), so it is the same bytes on every run."""
    import re

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "docProps/core.xml":
                blob = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                    rb"\g<1>2025-01-01T00:00:00Z\g<2>",
                    blob,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            media = info.filename.lower().endswith((".jpeg", ".jpg", ".png"))
            fixed.compress_type = zipfile.ZIP_STORED if media else zipfile.ZIP_DEFLATED
            dst.writestr(fixed, blob)
    return out.getvalue()


def _render_pdf(meta: ItemMeta, content: Content, rng: random.Random, out: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    text_bytes = sum(len(p) for page in content.pages for p in page) // 3
    images = _pick_images(rng, meta.target_bytes - text_bytes - 4000)
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, invariant=1)
    if meta.doc_title:
        pdf.setTitle(meta.doc_title)
    pdf.setAuthor("Marketing")
    width, height = A4
    per_page = math.ceil(len(images) / len(content.pages)) if images else 0
    for n, page in enumerate(content.pages):
        pdf.setFont("Helvetica-Bold", 15)
        pdf.drawString(
            50, height - 60, f"{meta.product} {meta.doc_type}" if n == 0 else page[0][:60]
        )
        y = height - 90
        for path, _size, (iw, ih) in images[n * per_page : (n + 1) * per_page]:
            scale = min(240 / iw, 160 / ih)
            pdf.drawImage(str(path), 50, y - ih * scale, iw * scale, ih * scale)
            y -= ih * scale + 12
        text = pdf.beginText(50, y - 14)
        text.setFont("Helvetica", 9)
        lines = []
        for para in page:
            words = para.split()
            for start in range(0, len(words), 16):
                lines.append(" ".join(words[start : start + 16]))
            lines.append("")
        max_lines = int((y - 60) / 11)
        for line in lines[: max(0, max_lines)]:
            text.textLine(line)
        pdf.drawText(text)
        pdf.setFont("Helvetica", 7)
        pdf.drawString(50, 30, f"{meta.product} - page {n + 1} - confidential")
        pdf.showPage()
    pdf.save()
    out.write_bytes(buf.getvalue())


def _render_pptx(meta: ItemMeta, content: Content, rng: random.Random, out: Path) -> None:
    from pptx import Presentation
    from pptx.util import Inches

    text_bytes = sum(len(p) for page in content.pages for p in page) // 3
    images = _pick_images(rng, meta.target_bytes - text_bytes - 30_000)
    prs = Presentation()
    if meta.doc_title:
        prs.core_properties.title = meta.doc_title
    prs.core_properties.author = "Marketing"
    for n, (page, note) in enumerate(zip(content.pages, content.notes, strict=True)):
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = f"{meta.product} {meta.doc_type}" if n == 0 else page[0]
        body = slide.placeholders[1].text_frame
        body.text = page[1] if len(page) > 1 else ""
        for bullet in page[2:]:
            body.add_paragraph().text = bullet
        if note:
            slide.notes_slide.notes_text_frame.text = note
        if n < len(images):
            path, _size, (iw, ih) = images[n]
            slide.shapes.add_picture(str(path), Inches(6.2), Inches(4.8), Inches(3.2))
    for table in content.tables:
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = "Comparison"
        shape = slide.shapes.add_table(
            len(table), len(table[0]), Inches(0.5), Inches(1.5), Inches(9), Inches(4)
        )
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                shape.table.cell(r, c).text = value
    for path, _size, _dims in images[len(content.pages) :]:
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        slide.shapes.add_picture(str(path), Inches(0.5), Inches(0.5), Inches(9))
    buf = io.BytesIO()
    prs.save(buf)
    out.write_bytes(_normalise_zip(buf.getvalue()))


def _render_docx(meta: ItemMeta, content: Content, rng: random.Random, out: Path) -> None:
    from docx import Document
    from docx.shared import Inches

    text_bytes = sum(len(p) for page in content.pages for p in page) // 3
    images = _pick_images(rng, meta.target_bytes - text_bytes - 30_000)
    doc = Document()
    if meta.doc_title:
        doc.core_properties.title = meta.doc_title
    doc.core_properties.author = "Marketing"
    doc.add_heading(f"{meta.product} {meta.doc_type}", level=0)
    tables = list(content.tables)
    for n, section in enumerate(content.pages):
        doc.add_heading(section[0], level=1)
        for para in section[1:]:
            doc.add_paragraph(para)
        if n < len(images):
            doc.add_picture(str(images[n][0]), width=Inches(4.5))
        if tables and rng.random() < 0.5:
            _docx_table(doc, tables.pop())
    for table in tables:
        _docx_table(doc, table)
    for path, _size, _dims in images[len(content.pages) :]:
        doc.add_picture(str(path), width=Inches(4.5))
    buf = io.BytesIO()
    doc.save(buf)
    out.write_bytes(_normalise_zip(buf.getvalue()))


def _docx_table(doc: Any, table: list[list[str]]) -> None:
    t = doc.add_table(rows=0, cols=len(table[0]))
    for row in table:
        cells = t.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value


def _render_xlsx(meta: ItemMeta, content: Content, rng: random.Random, out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image as XlImage

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in content.sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    if meta.doc_title:
        wb.properties.title = meta.doc_title
    wb.properties.creator = "Marketing"
    images = _pick_images(rng, meta.target_bytes - len(content.sheets) * 20_000)[:2]
    for n, (path, _size, _dims) in enumerate(images):
        wb.worksheets[0].add_image(XlImage(str(path)), f"L{2 + n * 20}")
    buf = io.BytesIO()
    wb.save(buf)
    out.write_bytes(_normalise_zip(buf.getvalue()))


def _pdf_string(text: str) -> bytes:
    raw = text.encode("latin-1", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _render_pdf_plain(meta: ItemMeta, content: Content, rng: random.Random, out: Path) -> None:
    """The same pages as :func:`_render_pdf`, written directly (no reportlab): Helvetica text
    and JPEG photos (DCTDecode pass-through), with a correct cross-reference table."""
    text_bytes = sum(len(p) for page in content.pages for p in page) // 3
    images = _pick_images(rng, meta.target_bytes - text_bytes - 4000)
    objects: list[bytes] = []  # object n is objects[n - 1]

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog, pages_id = add(b""), add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    bold = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>")
    image_ids = []
    for path, _size, (iw, ih) in images:
        data = Path(_WORKER.get("folder", "."), path).read_bytes()
        head = (
            f"<< /Type /XObject /Subtype /Image /Width {iw} /Height {ih} /ColorSpace "
            f"/DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length {len(data)} >>\nstream\n"
        ).encode()
        image_ids.append((add(head + data + b"\nendstream"), iw, ih))
    width, height = 595, 842
    per_page = math.ceil(len(image_ids) / len(content.pages)) if image_ids else 0
    kids = []
    for n, page in enumerate(content.pages):
        title = f"{meta.product} {meta.doc_type}" if n == 0 else page[0][:60]
        ops = [b"BT /F2 15 Tf 50 782 Td " + _pdf_string(title) + b" Tj ET"]
        y = 752.0
        xobjects = []
        for k, (img_id, iw, ih) in enumerate(image_ids[n * per_page : (n + 1) * per_page]):
            scale = min(240 / iw, 160 / ih)
            w, h = iw * scale, ih * scale
            ops.append(f"q {w:.2f} 0 0 {h:.2f} 50 {y - h:.2f} cm /Im{k} Do Q".encode())
            xobjects.append(f"/Im{k} {img_id} 0 R")
            y -= h + 12
        lines = []
        for para in page:
            words = para.split()
            lines += [" ".join(words[i : i + 16]) for i in range(0, len(words), 16)] + [""]
        ops.append(f"BT /F1 9 Tf 11 TL 50 {y - 14:.2f} Td".encode())
        for line in lines[: max(0, int((y - 60) / 11))]:
            ops.append(_pdf_string(line) + b" Tj T*")
        ops.append(b"ET")
        footer = f"{meta.product} - page {n + 1} - confidential"
        ops.append(b"BT /F1 7 Tf 50 30 Td " + _pdf_string(footer) + b" Tj ET")
        stream = b"\n".join(ops)
        contents = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        resources = (
            f"<< /Font << /F1 {font} 0 R /F2 {bold} 0 R >> /XObject << {' '.join(xobjects)} >> >>"
        )
        kids.append(
            add(
                f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {width} {height}] "
                f"/Resources {resources} /Contents {contents} 0 R >>".encode()
            )
        )
    info = add(
        b"<< /Producer (Satchel bench) /Author (Marketing)"
        + (b" /Title " + _pdf_string(meta.doc_title) if meta.doc_title else b"")
        + b" >>"
    )
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode()
    kid_refs = " ".join(f"{k} 0 R" for k in kids)
    objects[pages_id - 1] = f"<< /Type /Pages /Kids [{kid_refs}] /Count {len(kids)} >>".encode()
    buf = io.BytesIO()
    buf.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(buf.tell())
        buf.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = buf.tell()
    buf.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        buf.write(b"%010d 00000 n \n" % offset)
    buf.write(
        b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, catalog, info, xref)
    )
    out.write_bytes(buf.getvalue())


def pdf_writer() -> str:
    """reportlab when installed (the dev extra), else the plain writer above
    (SATCHEL_BENCH_PDF=plain forces it)."""
    if os.environ.get("SATCHEL_BENCH_PDF") == "plain":
        return "plain"
    try:
        import reportlab  # noqa: F401
    except ImportError:
        return "plain"
    return "reportlab"


_RENDER = {"pdf": _render_pdf, "pptx": _render_pptx, "docx": _render_docx, "xlsx": _render_xlsx}


def render(seed: int, meta: ItemMeta, dest: Path, variant: int = 0) -> int:
    """Write one item's file at ``dest`` (atomically); return its size."""
    content = item_content(seed, meta, variant)
    rng = random.Random(f"render:{seed}:{meta.index}:{variant}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.gen")
    renderer = _RENDER[meta.kind]
    if meta.kind == "pdf" and pdf_writer() == "plain":
        renderer = _render_pdf_plain
    renderer(meta, content, rng, tmp)
    os.utime(tmp, (FIXED_EPOCH + variant, FIXED_EPOCH + variant))
    tmp.replace(dest)
    return dest.stat().st_size


# ----------------------------------------------------------------------------- workers

_WORKER: dict[str, Any] = {}


def _init_worker() -> None:
    # The pool images are referred to by a relative name: reportlab names a PDF's image
    # objects after the file name it was given, and that must be the same on every run.
    folder = Path(tempfile.mkdtemp(prefix="satchel-gen-img-"))
    os.chdir(folder)
    _WORKER["folder"] = folder
    _IMAGES[:] = [(Path(p.name), n, dims) for p, n, dims in _image_pool(folder)]
    mp_util.Finalize(None, shutil.rmtree, args=(folder, True), exitpriority=0)


def _render_job(job: tuple[int, int, int, str, int]) -> tuple[int, str, int]:
    seed, size, index, out, variant = job
    meta = item_meta(seed, size, index)
    nbytes = render(seed, meta, Path(out) / meta.rel, variant)
    return index, meta.kind, nbytes


def _pool(workers: int) -> Any:
    # spawn: the runner calls this from a process that has threads and open databases
    return multiprocessing.get_context("spawn").Pool(workers, initializer=_init_worker)


def render_many(
    seed: int, size: int, out: Path, indices: list[int], variant: int, workers: int
) -> list[tuple[int, str, int]]:
    jobs = [(seed, size, i, str(out.resolve()), variant) for i in indices]
    workers = max(1, min(workers, len(jobs) // 4 or 1))
    with _pool(workers) as pool:
        results = list(pool.imap_unordered(_render_job, jobs, chunksize=4))
        pool.close()
        pool.join()
    return results


# ----------------------------------------------------------------------------- corpus


def _default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2)


def read_manifest(out: Path) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return data
    except (OSError, ValueError):
        return None


def generate(out: Path, size: int, seed: int = 1, workers: int | None = None) -> dict[str, Any]:
    """Make (or reuse) the corpus of ``size`` items in ``out``; return its manifest."""
    wanted = {"generator": GENERATOR_VERSION, "size": size, "seed": seed}
    if pdf_writer() != "reportlab":  # same bytes as before where reportlab is installed
        wanted["pdf_writer"] = pdf_writer()
    manifest = read_manifest(out)
    if manifest is not None and all(manifest.get(k) == v for k, v in wanted.items()):
        manifest["reused"] = True
        return manifest
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    started = time.perf_counter()
    metas = [item_meta(seed, size, i) for i in range(size)]
    by_folder: dict[str, dict[str, dict[str, Any]]] = {}
    for meta in metas:
        files = by_folder.setdefault(meta.folder, {})
        if meta.toml:
            files[meta.name] = meta.toml
    toml_count = 0
    for folder, files in by_folder.items():
        defaults = folder_defaults(seed, folder)
        if defaults or files:
            (out / folder).mkdir(parents=True, exist_ok=True)
            (out / folder / "satchel.toml").write_text(
                render_toml(defaults, files), encoding="utf-8"
            )
            toml_count += 1
    results = render_many(seed, size, out, list(range(size)), 0, workers or _default_workers())
    kinds = Counter(kind for _i, kind, _n in results)
    sizes = sorted(n for _i, _k, n in results)
    manifest = {
        **wanted,
        "files": size,
        "bytes": sum(sizes),
        "median_bytes": sizes[len(sizes) // 2] if sizes else 0,
        "max_bytes": sizes[-1] if sizes else 0,
        "kinds": dict(sorted(kinds.items())),
        "folders": len(by_folder),
        "metadata_files": toml_count,
        "items_with_own_metadata": sum(1 for m in metas if m.toml),
        "generate_seconds": round(time.perf_counter() - started, 1),
        "workers": workers or _default_workers(),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    manifest["reused"] = False
    return manifest


def changed_indices(seed: int, size: int, fraction: float = 0.01) -> list[int]:
    count = max(1, round(size * fraction))
    return sorted(random.Random(f"delta:{seed}:{size}").sample(range(size), count))


def write_variants(
    src: Path, seed: int, size: int, indices: list[int], variant: int = 1, workers: int = 1
) -> list[Path]:
    """Replace the files of ``indices`` under ``src`` with a changed version (new inode:
    hard-linked copies of the cached corpus stay untouched)."""
    paths = []
    for i in indices:
        path = src / item_meta(seed, size, i).rel
        path.unlink(missing_ok=True)
        paths.append(path)
    render_many(seed, size, src, indices, variant, workers)
    return paths


def search_queries(seed: int, per_class: int = 40) -> dict[str, list[str]]:
    """Queries a rep would type: words across the frequency range, products, prefixes."""
    rng = random.Random(f"queries:{seed}")
    content_words = [w for w in VOCAB[N_FUNCTION:] if len(w) >= 4]
    common = content_words[:300]
    middle = content_words[300:3000]

    def word() -> str:
        roll = rng.random()
        if roll < 0.15:
            return rng.choice(PRODUCTS).split()[0].lower()
        return rng.choice(common if roll < 0.55 else middle)

    out: dict[str, list[str]] = {"1 word": [], "2 words": [], "3 words": [], "prefix": []}
    for _ in range(per_class):
        out["1 word"].append(word())
        out["2 words"].append(f"{word()} {word()}")
        out["3 words"].append(f"{word()} {word()} {word()}")
        stem = rng.choice([w for w in (common + middle[:600]) if len(w) >= 6])
        out["prefix"].append(stem[: rng.randint(3, 5)] + "*")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, required=True, help="number of items")
    parser.add_argument("--out", type=Path, required=True, help="corpus folder (cached)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    manifest = generate(args.out, args.size, args.seed, args.workers)
    print(json.dumps(manifest, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
