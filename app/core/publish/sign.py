"""Step 7, sign: the catalog signed and written last, atomically; the publisher's record.

Readers of the hub see the old catalog or the new one, never a mix. When the index step
found nothing changed, only the publisher's record is written.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from app.core.catalog import sign_catalog, verify_envelope
from app.core.errors import ConfigError
from app.core.hub import CATALOG_NAME
from app.core.publish.hub_folder import PUBLIC_KEY_NAME, atomic_write
from app.core.publish.result import PublishResult
from app.core.publish.run import PublishRun
from app.core.publisher_state import HubRecord, PublisherState, Stamp


def sign(run: PublishRun) -> None:
    if run.unchanged:
        _record_unchanged(run)
        return
    if run.catalog is None:
        raise RuntimeError("the index step has not run")
    run.check_cancel()
    catalog, key, result = run.catalog, run.key, run.result
    envelope = sign_catalog(catalog, key)
    new_sha = hashlib.sha256(verify_envelope(envelope, key.public).encode("utf-8")).hexdigest()
    atomic_write(run.hub_root / CATALOG_NAME, envelope)
    pub = run.hub_root / PUBLIC_KEY_NAME
    if not pub.exists():
        atomic_write(pub, key.public.to_pem().encode("ascii"))
    result.serial = catalog.serial
    result.changed = True
    result.valid_until = catalog.valid_until
    _save_state(run.state, run.hub_root, catalog.serial, new_sha, run.stamps, result)


def _record_unchanged(run: PublishRun) -> None:
    """The hub already offers these items: nothing is signed, the record is brought up to date."""
    found = run.planned()
    if found.previous is None:
        raise RuntimeError("an unchanged hub has a catalog")
    run.result.valid_until = found.previous.valid_until
    _save_state(
        run.state, run.hub_root, found.previous.serial, found.previous_sha, run.stamps, run.result
    )


def _save_state(
    state: PublisherState,
    hub_root: Path,
    serial: int,
    catalog_sha: str | None,
    stamps: dict[str, Stamp],
    result: PublishResult,
) -> None:
    """Record what the hub now offers; a failure to is a warning (the hub is published)."""
    try:
        state.save(hub_root, HubRecord(serial, catalog_sha, stamps))
    except ConfigError as exc:
        result.state_warning = (
            f"{exc.args[0].rstrip('.')}; the next publish into {hub_root} trusts its signed "
            "catalog as it finds it."
        )
