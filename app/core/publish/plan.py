"""Step 1, plan: what changes, and the checks made before anything is written.

Also the dry run (``plan_publish``), which stops after this step.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.core.errors import ConfigError
from app.core.publish.hub_folder import check_folders
from app.core.publish.items import carry_over
from app.core.publish.metadata import apply_metadata, metadata_differs
from app.core.publish.result import PublishPlan, PublishResult
from app.core.publish.run import PublishProgress, PublishRun
from app.core.publish.scan import Scan, scan
from app.core.signing import SigningKey

#: A publish that would withdraw more than this share of the hub's current items is refused
#: unless allowed: an empty or wrong source folder must not empty the hub.
DEFAULT_MAX_WITHDRAW_SHARE = 0.25


class WithdrawRefusedError(ConfigError):
    """A publish would withdraw more of the hub than allowed."""


def plan_changes(run: PublishRun) -> None:
    """Scan the source against the hub; refuse a rolled-back hub, an unreadable source file
    and a withdrawal of too much of the hub."""
    found = scan(run.src, run.hub_root, run.key, run.progress, run.cancel)
    previous = found.previous
    # before anything is written: the hub must not be behind what this key published there
    run.state.check_hub(run.hub_root, previous.serial if previous else None, found.previous_sha)
    run.record = run.state.record(run.hub_root)
    if found.unreadable:
        raise ConfigError(
            f"Cannot read {found.unreadable[0]} in the source folder {run.src}; "
            "the hub is unchanged."
        )
    _refuse_mass_withdrawal(found, run.src, run.max_withdraw_share)
    run.scan = found
    run.result = PublishResult(serial=previous.serial if previous else 0, changed=False)
    run.result.previous_serial = run.result.serial


def _refuse_mass_withdrawal(found: Scan, src: Path, max_share: float | None) -> None:
    withdrawn, before = found.withdrawn(), found.current_before()
    if max_share is not None and before and len(withdrawn) > max_share * before:
        raise WithdrawRefusedError(
            f"This publish would withdraw {len(withdrawn)} of the hub's {before} items "
            f"({len(withdrawn) / before:.0%}, more than {max_share:.0%}); check the "
            f"source folder {src} (see --dry-run), or pass --allow-withdraw if that is meant."
        )


def plan_publish(
    src: Path,
    hub_root: Path,
    key: SigningKey,
    *,
    progress: PublishProgress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> PublishPlan:
    """What ``publish`` would do (new, updated, metadata only, withdrawn, unreadable),
    without writing anything anywhere."""
    check_folders(src, hub_root)
    found = scan(src, hub_root, key, progress or (lambda *_: None), cancel or (lambda: False))
    plan = PublishPlan(
        serial=(found.previous.serial if found.previous else 0) + 1,
        current_before=found.current_before(),
        withdrawn=found.withdrawn(),
        unreadable=found.unreadable,
    )
    for sf, meta, item_id, sha in found.plans:
        prev = found.prev_items.get(item_id)
        if prev is None or prev.status != "current":
            plan.new.append(item_id)
        elif prev.sha256 != sha:
            plan.updated.append(item_id)
        else:
            item = carry_over(prev)
            apply_metadata(item, sf, meta, item_id)
            if metadata_differs(prev, item):
                plan.metadata_changed.append(item_id)
            else:
                plan.unchanged += 1
    return plan
