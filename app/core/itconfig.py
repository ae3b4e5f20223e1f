"""IT's configuration file: presets (and optionally locks) the hub, key, interval and proxy.

Two optional TOML files, the per-machine one first, then the per-user one::

    # /etc/xdg/Satchel/config.toml (Linux), C:\\ProgramData\\Satchel\\config.toml (Windows),
    # /Library/Application Support/Satchel/config.toml (macOS)
    hub = "https://collateral.example.com/hub/"
    trusted_key = "/etc/satchel/marketing.pub"   # a path, or the PEM text itself
    sync_interval_min = 30
    proxy = "http://proxy.example.com:3128"
    rep_name = "Ann Example"                      # the rep's name in marketing's report
    pseudonymise = true                           # uploads name the rep by a pseudonym only
    audiences = ["region:DACH", "role:SE"]        # the items aimed at these reps (and at all)
    block_internal_send = true                    # internal items can never be sent or copied out
    locked = ["hub", "trusted_key", "pseudonymise"]  # machine file only: users cannot change

``SATCHEL_CONFIG`` names one more file read last (for scripted installs and tests).
Precedence: a command-line flag; then a value the machine file locks; then what the rep chose
(remembered in the library); then the user file; then the machine file.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from app.core.catalog import check_audience
from app.core.errors import ConfigError
from app.core.paths import APP_NAME
from app.core.signing import PublicKey, load_public_key, parse_public_key

CONFIG_NAME = "config.toml"
CONFIG_ENV = "SATCHEL_CONFIG"
KEYS = (
    "hub",
    "trusted_key",
    "sync_interval_min",
    "proxy",
    "rep_name",
    "rep_email",
    "pseudonymise",
    "audiences",
    "block_internal_send",
)


@dataclass(frozen=True, slots=True)
class ITConfig:
    hub: str | None = None
    trusted_key: str | None = None  # a path or PEM text
    sync_interval_min: int | None = None
    proxy: str | None = None
    rep_name: str | None = None  # e.g. written by the installer from the directory
    rep_email: str | None = None
    pseudonymise: bool | None = None  # locked on: uploads never name the rep
    audiences: tuple[str, ...] | None = None  # who the rep is, for marketing's targeting
    block_internal_send: bool | None = None  # true: internal items are never sent out
    locked: frozenset[str] = frozenset()
    sources: tuple[str, ...] = field(default=())

    def public_key(self) -> PublicKey | None:
        if not self.trusted_key:
            return None
        if "BEGIN PUBLIC KEY" in self.trusted_key:
            return parse_public_key(self.trusted_key)
        return load_public_key(Path(self.trusted_key).expanduser())

    def is_locked(self, key: str) -> bool:
        return key in self.locked


def machine_config_path() -> Path:
    return Path(platformdirs.site_config_dir(APP_NAME, appauthor=False)) / CONFIG_NAME


def user_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / CONFIG_NAME


# complexity: one check per key of IT's file, each with its sentence
def _read(path: Path) -> dict[str, Any]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"The configuration file {path} cannot be read: {exc}.") from exc
    unknown = sorted(set(raw) - set(KEYS) - {"locked"})
    if unknown:
        raise ConfigError(f"The configuration file {path} has an unknown key {unknown[0]!r}.")
    interval = raw.get("sync_interval_min")
    if interval is not None and (not isinstance(interval, int) or interval < 1):
        raise ConfigError(f"{path}: sync_interval_min must be a whole number of minutes.")
    for key in ("hub", "trusted_key", "proxy", "rep_name", "rep_email"):
        if key in raw and not isinstance(raw[key], str):
            raise ConfigError(f"{path}: {key} must be text.")
    for key in ("pseudonymise", "block_internal_send"):
        if key in raw and not isinstance(raw[key], bool):
            raise ConfigError(f"{path}: {key} must be true or false.")
    if "audiences" in raw:
        value = raw["audiences"]
        if not isinstance(value, list) or len(value) > 32:
            raise ConfigError(f'{path}: audiences must be a list such as ["region:DACH"].')
        try:
            raw["audiences"] = tuple(check_audience(v) for v in value)
        except ValueError as exc:
            raise ConfigError(f"{path}: {exc}.") from exc
    return raw


# complexity: three files merged key by key, locks applied
def load_it_config(
    machine: Path | None = None, user: Path | None = None, extra: Path | None = None
) -> ITConfig:
    machine = machine or machine_config_path()
    user = user or user_config_path()
    env = os.environ.get(CONFIG_ENV)
    extra = extra or (Path(env) if env else None)
    machine_raw = _read(machine)
    locked = frozenset(str(k) for k in machine_raw.get("locked", []) if k in KEYS)
    merged: dict[str, Any] = {}
    sources = []
    blocked = False  # block_internal_send: true in any file wins (a user only tightens it)
    for path, raw in ((machine, machine_raw), (user, _read(user))) + (
        ((extra, _read(extra)),) if extra else ()
    ):
        blocked = blocked or raw.get("block_internal_send") is True
        if raw:
            sources.append(str(path))
        for key in KEYS:
            if key in raw and not (raw is not machine_raw and key in locked):
                merged[key] = raw[key]
        if raw is not machine_raw and "locked" in raw and path == extra:
            locked = locked | frozenset(str(k) for k in raw["locked"] if k in KEYS)
    return ITConfig(
        hub=merged.get("hub"),
        trusted_key=merged.get("trusted_key"),
        sync_interval_min=merged.get("sync_interval_min"),
        proxy=merged.get("proxy"),
        rep_name=merged.get("rep_name"),
        rep_email=merged.get("rep_email"),
        pseudonymise=merged.get("pseudonymise"),
        audiences=merged.get("audiences"),
        block_internal_send=True if blocked else merged.get("block_internal_send"),
        locked=locked,
        sources=tuple(sources),
    )
