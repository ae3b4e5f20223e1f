"""satchel.toml writer: a folder's [defaults] and one table per file."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

# --------------------------------------------------------------------------- TOML


def _toml_value(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(type(value))


KEY_ORDER = ("id", "title", "description", "tags", "owner", "expires", "change_note")


def write_sidecar(folder: Path, comment: str, defaults: dict[str, Any] | None,
                  items: dict[str, dict[str, Any]]) -> None:
    lines = [f"# {line}".rstrip() for line in comment.strip().splitlines()] + [""]
    if defaults:
        lines.append("[defaults]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in defaults.items()]
        lines.append("")
    for name, meta in items.items():
        lines.append(f"[{_toml_value(name)}]")
        for key in KEY_ORDER:
            if key in meta:
                lines.append(f"{key} = {_toml_value(meta[key])}")
        unknown = set(meta) - set(KEY_ORDER) - {"build"}
        if unknown:
            raise KeyError(f"{name}: unknown keys {unknown}")
        lines.append("")
    path = folder / "satchel.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    tomllib.loads(path.read_text(encoding="utf-8"))  # must round-trip
