"""IT's configuration in the desktop app: presets as defaults, locked values read-only.

Precedence (as in :mod:`app.core.itconfig`): a value the machine file locks; then what the
rep chose (remembered in the library); then IT's presets; then Satchel's defaults.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from app.core.errors import SatchelError
from app.core.itconfig import ITConfig, load_it_config, machine_config_path, user_config_path
from app.core.library import Library
from app.core.settings import PREFIX, RepSettings
from app.core.signing import PublicKey

log = logging.getLogger(__name__)


def load_it_config_safely() -> tuple[ITConfig, str | None]:
    """IT's configuration, or no configuration and the sentence saying why it is unusable."""
    try:
        return load_it_config(), None
    except SatchelError as exc:
        log.warning("IT configuration ignored: %s", exc)
        return ITConfig(), str(exc)


def it_public_key(config: ITConfig) -> PublicKey | None:
    """IT's preset key, or None when there is none or it cannot be read (logged)."""
    try:
        return config.public_key()
    except (SatchelError, OSError, ValueError) as exc:
        log.warning("IT's trusted key cannot be read: %s", exc)
        return None


def lock_source(config: ITConfig) -> str:
    """The configuration file(s) that can lock values (the per-user file cannot)."""
    user = str(user_config_path())
    files = [s for s in config.sources if s != user]
    return ", ".join(files) if files else str(machine_config_path())


def lock_tooltip(config: ITConfig) -> str:
    return f"Set by your IT department ({lock_source(config)})"


def rep_chose_interval(library: Library) -> bool:
    return library.meta(PREFIX + "sync_interval_min") is not None


def effective_rep(rep: RepSettings, config: ITConfig, *, interval_chosen: bool) -> RepSettings:
    """The rep's settings with IT's sync interval where it is locked or the rep chose none."""
    preset = config.sync_interval_min
    if preset is not None and (config.is_locked("sync_interval_min") or not interval_chosen):
        return replace(rep, sync_interval_min=preset)
    return rep
