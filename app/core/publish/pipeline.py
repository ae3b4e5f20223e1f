"""``publish``: the steps run in order over one :class:`~app.core.publish.run.PublishRun`.

Each step is a function of the run, in its own module; to add one (say, rendering office
files to PDF after extraction), write ``def step(run: PublishRun) -> None`` in a module of
this package and put it in :data:`STEPS` where it belongs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from app.core.errors import ConfigError
from app.core.freshness import DEFAULT_VALID_DAYS, MAX_VALID_DAYS
from app.core.publish.extract import extract_new_content
from app.core.publish.hub_folder import check_folders, locked_hub
from app.core.publish.index import write_index
from app.core.publish.items import build_items
from app.core.publish.plan import DEFAULT_MAX_WITHDRAW_SHARE, plan_changes
from app.core.publish.render import add_renditions, start_rendering
from app.core.publish.result import PublishResult
from app.core.publish.run import PublishProgress, PublishRun
from app.core.publish.sign import sign
from app.core.publish.verify import verify_objects
from app.core.publish.withdraw import withdraw_missing
from app.core.publisher_state import PublisherState, state_path_for
from app.core.replies import ReplyStore
from app.core.signing import SigningKey
from app.core.timeutil import utcnow

Step = Callable[[PublishRun], None]

#: The publish, in order. Nothing is written into the hub before ``build_items``; the
#: catalog, which makes the hub's new state visible, is written last by ``sign``.
STEPS: tuple[Step, ...] = (
    plan_changes,  # plan.py: scan the source against the hub, refuse what must not happen
    start_rendering,  # render.py: LibreOffice starts on new office files, in the background
    extract_new_content,  # extract.py: text and thumbnails of new content
    build_items,  # items.py: store files as objects, describe them as catalog items
    add_renditions,  # render.py: their PDFs, checked, as objects the new items name
    withdraw_missing,  # withdraw.py: items whose file left the source
    verify_objects,  # verify.py: check every referenced object, put wrong ones right
    write_index,  # index.py: the next catalog and its shipped search index
    sign,  # sign.py: sign and write the catalog last, record what the hub offers
)


def publish(
    src: Path,
    hub_root: Path,
    key: SigningKey,
    *,
    progress: PublishProgress | None = None,
    cancel: Callable[[], bool] | None = None,
    now: datetime | None = None,
    workers: int | None = None,
    key_path: Path | None = None,
    valid_days: int = DEFAULT_VALID_DAYS,
    refresh: bool = False,
    max_withdraw_share: float = DEFAULT_MAX_WITHDRAW_SHARE,
    allow_withdraw: bool = False,
    renditions: bool = True,
) -> PublishResult:
    """Publish folder ``src`` into the folder hub ``hub_root``, signed with ``key``.

    Content files, extracted text and thumbnails become immutable objects named by their
    hash; the catalog is replaced last, atomically, so readers see the old or the new hub.
    Nothing is written when nothing changed, unless ``refresh``: then the same items are
    re-signed under the next serial with a new ``valid_until``.

    ``key_path``: the signing key's file; the publisher's record of what it published
    (:mod:`app.core.publisher_state`) is kept beside it, and a hub rolled back behind that
    record is refused. Every hub object the catalog references is checked against its hash
    and put right from the source folder when it can be (``PublishResult.repaired``).
    The catalog is valid for ``valid_days`` days (:mod:`app.core.freshness`).

    A publish that would withdraw more than ``max_withdraw_share`` of the current items is
    refused (WithdrawRefusedError) unless ``allow_withdraw``; a non-empty folder that is not
    a hub is refused as ``hub_root``; a first publish that fails removes the folder it made.
    ``renditions``: new office files get a PDF preview (:mod:`app.core.renditions`).
    """
    check_folders(src, hub_root)
    if not 1 <= valid_days <= MAX_VALID_DAYS:
        raise ConfigError(
            f"The number of days a catalog is valid must be from 1 to {MAX_VALID_DAYS}, "
            f"not {valid_days}."
        )
    with locked_hub(hub_root):
        run = PublishRun(
            src=src,
            hub_root=hub_root,
            key=key,
            progress=progress or (lambda *_: None),
            cancel=cancel or (lambda: False),
            now=now or utcnow(),
            workers=workers,
            state=PublisherState.load(
                state_path_for(key_path) if key_path is not None else None, key.public.key_id
            ),
            valid_days=valid_days,
            refresh=refresh,
            max_withdraw_share=None if allow_withdraw else max_withdraw_share,
            recorded_replies=ReplyStore(key_path).for_hub(hub_root) if key_path is not None else [],
            renditions=renditions,
        )
        try:
            for step in STEPS:
                step(run)
        finally:
            run.close()
        return run.result
