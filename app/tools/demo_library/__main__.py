"""``python -m app.tools.demo_library [--check]``: generate the demo library, then check it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from app.tools.demo_library.catalogue import ITEMS, generate
from app.tools.demo_library.check import check
from app.tools.demo_library.common import LIBRARY, ROOT


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.tools.demo_library", description="Generate the demo library."
    )
    parser.add_argument("--check", action="store_true", help="only check, do not generate")
    args = parser.parse_args(argv)
    if not args.check:
        generate()
        print(f"generated {len(ITEMS)} items into {LIBRARY.relative_to(ROOT)}\n")
    return 0 if check() else 1


if __name__ == "__main__":
    sys.exit(main())
