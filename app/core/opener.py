"""Handing a local file to the operating system's program for its type."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from app.core.errors import SatchelError

#: How long to wait for the system's launcher (xdg-open, open) to report whether it found a
#: program for the file; one still running after that is taken to have opened it.
LAUNCHER_WAIT_S = 5.0


def open_native(path: Path) -> None:
    """Open ``path`` in its program; SatchelError when nothing on this system opened it."""
    if sys.platform.startswith("win"):
        os.startfile(path)  # type: ignore[attr-defined]  # noqa: S606
        return
    opener = "open" if sys.platform == "darwin" else shutil.which("xdg-open")
    if opener is None:
        raise SatchelError(
            "No program is set up to open files on this system; use --print-path instead."
        )
    try:
        proc = subprocess.Popen(  # noqa: S603
            [opener, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        raise SatchelError(f"{path.name} could not be opened ({exc.strerror or exc}).") from exc
    try:  # the launcher hands the file on and ends; a failure is its exit status
        code = proc.wait(timeout=LAUNCHER_WAIT_S)
    except subprocess.TimeoutExpired:
        return  # a launcher that runs the program itself: it did open
    if code != 0:
        raise SatchelError(
            f"No program on this system opened {path.name} ({Path(opener).name} ended with "
            f"status {code}); use --print-path and open it yourself."
        )
