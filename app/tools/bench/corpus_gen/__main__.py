"""``python -m app.tools.bench.corpus_gen``: generate a corpus (see the package docstring)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.tools.bench.corpus_gen.build import generate


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
