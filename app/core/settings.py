"""The rep's own settings, kept in the library database (so CLI and GUI agree)."""

from __future__ import annotations

from dataclasses import dataclass, fields

from app.core.catalog import MAX_AUDIENCES, audience_key, check_audience
from app.core.errors import ConfigError
from app.core.itconfig import ITConfig
from app.core.library import Library

PREFIX = "setting."


@dataclass(slots=True)
class RepSettings:
    rep_name: str = ""
    rep_email: str = ""
    pseudonymise: bool = False  # uploads name the rep by a stable pseudonym only
    sync_interval_min: int = 30
    stale_after_days: int = 14  # warn when no sync has confirmed the library for this long
    audiences: str = ""  # comma-separated labels, e.g. "region:DACH,role:SE"; empty: all

    @property
    def audience_list(self) -> list[str]:
        return [a.strip() for a in self.audiences.split(",") if a.strip()]

    def audience_keys(self) -> frozenset[str] | None:
        """What sync filters the catalog by; None: the rep has no audiences (sees all)."""
        labels = self.audience_list
        return frozenset(audience_key(a) for a in labels) if labels else None

    @property
    def rep_label(self) -> str:
        """How the report names the rep (an attribute: it may change; the rep id does not)."""
        return self.rep_name.strip() or self.rep_email.strip().lower()


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


def effective_settings(library: Library, config: ITConfig | None = None) -> RepSettings:
    """The rep's settings with IT's configuration applied: a locked value wins, else the
    rep's own choice, else IT's preset."""
    settings = load_settings(library)
    if config is None:
        return settings
    chosen = {f.name for f in fields(RepSettings) if library.meta(PREFIX + f.name) is not None}
    for key in ("rep_name", "rep_email", "pseudonymise"):
        value = getattr(config, key)
        if value is not None and (config.is_locked(key) or key not in chosen):
            setattr(settings, key, value)
    if config.audiences is not None and (
        config.is_locked("audiences") or "audiences" not in chosen
    ):
        settings.audiences = ",".join(config.audiences)
    return settings


def rep_audiences(library: Library, config: ITConfig | None) -> frozenset[str] | None:
    """The audiences sync filters the catalog by (see catalog.audience_matches)."""
    return effective_settings(library, config).audience_keys()


def set_setting(library: Library, name: str, value: str | bool) -> None:
    text = ("1" if value else "0") if isinstance(value, bool) else value
    library.set_meta(PREFIX + name, text)


def normalise_audiences(values: list[str]) -> str:
    """The rep's audiences as stored: labels (a comma may also separate them) joined by
    commas, each once; ConfigError naming the first that is not an audience."""
    labels: list[str] = []
    for value in values:
        for part in value.split(","):
            if not part.strip():
                continue
            try:
                label = check_audience(part)
            except ValueError as exc:
                raise ConfigError(f"{exc}.") from exc
            if label.casefold() not in (x.casefold() for x in labels):
                labels.append(label)
    if len(labels) > MAX_AUDIENCES:
        raise ConfigError(f"At most {MAX_AUDIENCES} audiences can be set.")
    return ",".join(labels)
