"""Marketing's side: turn a folder of approved files into (an update of) a signed hub.

A publish is a pipeline of steps over one run (:mod:`.pipeline` lists them in order):
plan (:mod:`.plan`, with :mod:`.scan`), extract (:mod:`.extract`), build items
(:mod:`.items`), withdraw (:mod:`.withdraw`), verify the hub's objects (:mod:`.verify`),
write the index (:mod:`.index`), sign (:mod:`.sign`). :mod:`.hub_folder` checks, locks, reads
and writes the hub folder; :mod:`.metadata` turns sidecars into item fields; :mod:`.result`
is what a publish or a dry run reports.
"""

from app.core.publish.extract import MAX_EXTRACT_BYTES
from app.core.publish.hub_folder import PUBLIC_KEY_NAME, read_hub_catalog, read_previous_catalog
from app.core.publish.metadata import GENERIC_TITLES, slugify, title_from
from app.core.publish.pipeline import STEPS, publish
from app.core.publish.plan import DEFAULT_MAX_WITHDRAW_SHARE, WithdrawRefusedError, plan_publish
from app.core.publish.result import PublishPlan, PublishResult
from app.core.publish.run import PublishProgress

__all__ = [
    "DEFAULT_MAX_WITHDRAW_SHARE",
    "GENERIC_TITLES",
    "MAX_EXTRACT_BYTES",
    "PUBLIC_KEY_NAME",
    "STEPS",
    "PublishPlan",
    "PublishProgress",
    "PublishResult",
    "WithdrawRefusedError",
    "plan_publish",
    "publish",
    "read_hub_catalog",
    "read_previous_catalog",
    "slugify",
    "title_from",
]
