"""A deterministic generator of realistic sales collateral for the benchmark suite.

    .venv/bin/python -m app.tools.bench.corpus_gen --size 5000 --out /tmp/satchel-bench/corpus-5000

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


Modules: :mod:`.vocabulary` (words, names, the seeded Writer), :mod:`.items` (one item's
metadata and content), :mod:`.render` (the item as a PDF, PPTX, DOCX or XLSX file),
:mod:`.build` (the corpus on disk, variants, queries), ``__main__`` (the command).
"""

from app.tools.bench.corpus_gen.build import (
    MANIFEST,
    changed_indices,
    generate,
    search_queries,
    write_variants,
)
from app.tools.bench.corpus_gen.items import (
    content_segments,
    folder_defaults,
    item_content,
    item_meta,
)
from app.tools.bench.corpus_gen.vocabulary import Writer

__all__ = [
    "MANIFEST",
    "Writer",
    "changed_indices",
    "content_segments",
    "folder_defaults",
    "generate",
    "item_content",
    "item_meta",
    "search_queries",
    "write_variants",
]
