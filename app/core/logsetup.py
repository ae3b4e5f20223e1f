"""A rotating log file per library. No document text and no secrets are ever logged."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_NAME = "satchel.log"


def setup_logging(log_dir: Path, level: int = logging.INFO) -> None:
    root = logging.getLogger()
    if any(getattr(h, "_satchel", False) for h in root.handlers):
        return
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_dir / LOG_NAME, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._satchel = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
