"""One item of the corpus: its metadata (folder, kind, tags, size) and its content, all drawn
from (seed, index, variant); and the satchel.toml a folder gets."""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, field
from typing import Any

from app.tools.bench.corpus_gen.vocabulary import (
    CATEGORIES,
    KINDS,
    OWNERS,
    PERSONAS,
    PRODUCTS,
    REGIONS,
    SEGMENTS,
    STAGES,
    Writer,
    customer_name,
)

MIN_BYTES = 50_000


MAX_BYTES = 3_000_000


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


@dataclass(slots=True)
class Content:
    """What one version of an item says: segments of text by page / slide / sheet."""

    pages: list[list[str]] = field(default_factory=list)  # paragraphs per page/slide
    notes: list[str] = field(default_factory=list)  # PPTX speaker notes per slide
    tables: list[list[list[str]]] = field(default_factory=list)  # rows of cells
    sheets: list[tuple[str, list[list[Any]]]] = field(default_factory=list)  # XLSX


# complexity: one branch per kind of document
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
        out: list[tuple[int | None, str]] = []
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
