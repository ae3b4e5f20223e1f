"""The rep's own settings, kept in the library database (so CLI and GUI agree)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from app.core.library import Library

PREFIX = "setting."


@dataclass(slots=True)
class RepSettings:
    rep_name: str = ""
    rep_email: str = ""
    pseudonymise: bool = False  # uploads name the rep by a stable pseudonym only
    sync_interval_min: int = 30
    stale_after_days: int = 14  # warn when no sync has confirmed the library for this long

    @property
    def rep_id(self) -> str:
        return self.rep_email.strip().lower() or self.rep_name.strip()


def load_settings(library: Library) -> RepSettings:
    out = RepSettings()
    for f in fields(RepSettings):
        raw = library.meta(PREFIX + f.name)
        if raw is None:
            continue
        current = getattr(out, f.name)
        if isinstance(current, bool):
            setattr(out, f.name, raw == "1")
        elif isinstance(current, int):
            try:
                setattr(out, f.name, int(raw))
            except ValueError:
                continue
        else:
            setattr(out, f.name, raw)
    return out


def save_settings(library: Library, settings: RepSettings) -> None:
    for f in fields(RepSettings):
        value = getattr(settings, f.name)
        text = ("1" if value else "0") if isinstance(value, bool) else str(value)
        library.set_meta(PREFIX + f.name, text)
