"""Publishing and syncing through the real core, for tests."""

from __future__ import annotations

from pathlib import Path

from app.core.hub import normalise_location, open_hub
from app.core.library import Library
from app.core.publish import PublishResult, publish
from app.core.signing import load_public_key, load_signing_key
from app.core.sync import SyncResult, sync_library


def publish_folder(src: Path, hub: Path, key: Path) -> PublishResult:
    """Publish as marketing means it: withdrawals here are deliberate."""
    return publish(src, hub, load_signing_key(key), workers=2, allow_withdraw=True)


def sync_home(home: Path, hub: str | Path, pub: Path, **kwargs: object) -> SyncResult:
    """Sync as the CLI does: remember the hub and the key, then pull."""
    key = load_public_key(pub)
    with Library.open(home) as lib:
        lib.configure_hub(normalise_location(str(hub)), key)
        return sync_library(lib, open_hub(str(hub)), key, **kwargs)  # type: ignore[arg-type]


def snapshot(home: Path) -> dict[str, tuple[int, str]]:
    """What a rep sees: visible item id -> (version, sha256)."""
    with Library.open(home) as lib:
        return {i.id: (i.version, i.sha256) for i in lib.items()}


def serial(home: Path) -> int:
    with Library.open(home) as lib:
        return lib.hub_state().serial
