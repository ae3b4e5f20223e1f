"""Hubs: where marketing publishes and reps sync from - a folder or an http(s) URL.

One module per concern:

* :mod:`.layout` - where things are in a hub (catalog, objects, inbox);
* :mod:`.location` - the one parser of a hub location, used by every opener;
* :mod:`.protocols` - :class:`Hub`, :class:`Inbox`, :class:`BatchSource`;
* :mod:`.openers` - :func:`open_hub`, :func:`open_inbox`;
* :mod:`.folder`, :mod:`.http` - reading a folder hub and a web hub;
* :mod:`.transfer` - time budgets and the sentences for slow or broken hubs;
* :mod:`.parts` - resumable, hash-checked part files;
* :mod:`.durability` - full disks and flushing downloads before the switch;
* :mod:`.inbox` - writing usage batches into a hub's inbox;
* :mod:`.objects` - publisher side: storing files as objects.

Nothing here trusts what it reads; callers verify against the signed catalog.
"""

from app.core.hub.durability import (
    DiskFullError,
    disk_full_error,
    local_write_error,
    make_durable,
)
from app.core.hub.folder import FolderHub
from app.core.hub.http import HttpHub
from app.core.hub.inbox import FolderInbox, HttpInbox
from app.core.hub.layout import (
    CATALOG_NAME,
    FETCH_THREADS,
    INBOX_DIR,
    OBJECTS_DIR,
    object_relpath,
)
from app.core.hub.location import HubLocation, normalise_location, parse_location
from app.core.hub.objects import copy_into_objects, write_object_bytes
from app.core.hub.openers import open_hub, open_inbox
from app.core.hub.parts import CHUNK, check_and_finish, finish_hashed
from app.core.hub.protocols import BatchRef, BatchSource, Cancel, Hub, Inbox, Progress
from app.core.hub.transfer import (
    DEFAULT_TIMEOUT_S,
    TimeBudget,
    default_deadline_s,
    default_timeout_s,
    too_slow,
)

__all__ = [
    "CATALOG_NAME",
    "CHUNK",
    "DEFAULT_TIMEOUT_S",
    "FETCH_THREADS",
    "INBOX_DIR",
    "OBJECTS_DIR",
    "BatchRef",
    "BatchSource",
    "Cancel",
    "DiskFullError",
    "FolderHub",
    "FolderInbox",
    "Hub",
    "HttpHub",
    "HttpInbox",
    "HubLocation",
    "Inbox",
    "Progress",
    "TimeBudget",
    "check_and_finish",
    "copy_into_objects",
    "default_deadline_s",
    "default_timeout_s",
    "disk_full_error",
    "finish_hashed",
    "local_write_error",
    "make_durable",
    "normalise_location",
    "object_relpath",
    "open_hub",
    "open_inbox",
    "parse_location",
    "too_slow",
    "write_object_bytes",
]
