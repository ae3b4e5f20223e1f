"""The corpus on disk: items rendered in a process pool, the manifest, changed variants for
the delta benchmark, and the search queries drawn from the same vocabulary."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import tempfile
import time
from collections import Counter
from multiprocessing import util as mp_util
from pathlib import Path
from typing import Any

from app.tools.bench.corpus_gen.items import folder_defaults, item_meta, render_toml
from app.tools.bench.corpus_gen.render import IMAGES, WORKER, image_pool, pdf_writer, render
from app.tools.bench.corpus_gen.vocabulary import N_FUNCTION, PRODUCTS, VOCAB

MANIFEST = ".corpus.json"


GENERATOR_VERSION = 3


def _init_worker() -> None:
    # The pool images are referred to by a relative name: reportlab names a PDF's image
    # objects after the file name it was given, and that must be the same on every run.
    folder = Path(tempfile.mkdtemp(prefix="satchel-gen-img-"))
    os.chdir(folder)
    WORKER["folder"] = folder
    IMAGES[:] = [(Path(p.name), n, dims) for p, n, dims in image_pool(folder)]
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


def _default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2)


def read_manifest(out: Path) -> dict[str, Any] | None:
    try:
        data: dict[str, Any] = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        return data
    except (OSError, ValueError):
        return None


# complexity: reuse, render, manifest: one command
def generate(out: Path, size: int, seed: int = 1, workers: int | None = None) -> dict[str, Any]:
    """Make (or reuse) the corpus of ``size`` items in ``out``; return its manifest."""
    wanted: dict[str, int | str] = {"generator": GENERATOR_VERSION, "size": size, "seed": seed}
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
