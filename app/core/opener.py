"""Handing a local file to the operating system's program for its type."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from app.core.errors import SatchelError


def open_native(path: Path) -> None:
    if sys.platform.startswith("win"):
        os.startfile(path)  # type: ignore[attr-defined]  # noqa: S606
        return
    opener = "open" if sys.platform == "darwin" else shutil.which("xdg-open")
    if opener is None:
        raise SatchelError(
            "No program is set up to open files on this system; use --print-path instead."
        )
    subprocess.Popen(  # noqa: S603
        [opener, str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
