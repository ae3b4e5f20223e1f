"""Step 1: read the hub's catalog and verify it - signature, serial, safe names - and keep
the items aimed at this rep. Nothing is written into the library yet."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from app.core.catalog import Catalog, CatalogItem, audience_matches, parse_catalog, verify_envelope
from app.core.errors import RollbackError, TrustError
from app.core.freshness import VALID_UNTIL_KEY
from app.core.models import HubState
from app.core.sync.run_state import SyncRun

# the rep audiences the library's items were chosen for ("" or absent: every item)
AUDIENCES_KEY = "sync_audiences"


def audiences_stamp(audiences: frozenset[str] | None) -> str:
    return "" if audiences is None else json.dumps(sorted(audiences))


@dataclass(slots=True)
class Envelope:
    """The hub's catalog, its signature verified; not parsed yet."""

    payload: str
    payload_sha: str
    state: HubState  # the library's hub state (serial 0 when the key is another one)
    same_audiences: bool  # the library's items were chosen for the same audiences


@dataclass(slots=True)
class Verified:
    """The catalog to switch to, with only the items aimed at this rep."""

    catalog: Catalog
    payload_sha: str
    state: HubState
    same_audiences: bool
    listed: int  # items the catalog listed, for every rep
    # some current items are not for this rep: the shipped index (of them all) is not
    # adopted, and this library indexes its own items
    partial: bool


def read_envelope(run: SyncRun) -> Envelope:
    """Read the catalog and check its signature against the key the sync was given."""
    data = run.hub.read_catalog(run.cancelled)
    payload = verify_envelope(data, run.key)
    payload_sha = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    state = run.lib.hub_state()
    if state.public_key != run.key.to_pem():  # another key: a new serial sequence
        state.serial, state.catalog_sha256 = 0, None
    same = (run.lib.meta(AUDIENCES_KEY) or "") == audiences_stamp(run.audiences)
    return Envelope(payload, payload_sha, state, same)


def already_complete(run: SyncRun, env: Envelope) -> bool:
    """The hub offers exactly the catalog the last finished sync completed, for the same
    audiences: nothing to parse, fetch or clean up."""
    lib = run.lib
    return (
        env.payload_sha == env.state.catalog_sha256 == lib.completed_catalog()
        and lib.meta(VALID_UNTIL_KEY) is not None  # recorded (freshness.py)
        and env.same_audiences
    )


def parse_for_rep(run: SyncRun, env: Envelope) -> Verified:
    """Parse the catalog, keep the items aimed at this rep (the others' ids go to
    ``run.hidden``), and refuse a rollback or a serial whose content changed."""
    catalog = parse_catalog(env.payload)
    listed = len(catalog.items)
    aimed: list[CatalogItem] = []
    partial = False
    for item in catalog.items:
        if audience_matches(item.audiences, run.audiences):
            aimed.append(item)
        elif item.status == "current":
            partial = True
            run.hidden.add(item.id)
    catalog.items = aimed
    _check_serial(catalog, env)
    return Verified(catalog, env.payload_sha, env.state, env.same_audiences, listed, partial)


def _check_serial(catalog: Catalog, env: Envelope) -> None:
    serial = env.state.serial
    if catalog.serial < serial:
        raise RollbackError(
            f"The hub offers catalog serial {catalog.serial}, older than serial "
            f"{serial} this library already has; refusing it (a rollback or a "
            "stale mirror)."
        )
    if catalog.serial == serial and env.state.catalog_sha256 not in (None, env.payload_sha):
        raise TrustError(
            f"The hub's catalog serial {catalog.serial} has different content from the "
            "one this library verified before; refusing it."
        )
