"""A rep's sync: verify the hub's signed catalog, fetch what is missing, switch atomically.

Order of work, so that a sync cut off at any byte leaves the previous library usable - one
module per step, run in this order by :mod:`.run`:

1. :mod:`.verify` - read and verify the catalog (signature, serial, safe names) and keep
   the items aimed at this rep; nothing written yet;
2. :mod:`.fetch` - download each missing object into ``tmp/<sha>.part`` (resumable), check
   its hash, then move it into the store - files the current database does not reference
   yet are inert; a folder or web hub is read by a few threads at once
   (:mod:`.downloads`). The shipped search index's files come first: while the rest
   downloads, the rep writes its own index from them into a folder that is not live yet
   (:class:`.index.IndexJob`);
3. :mod:`.switch` - one database transaction switches to the new catalog (the atomic step)
   and returns the change-set: new, updated, withdrawn item ids;
4. :mod:`.index` - update the search index: make the written one live, or index what
   changed locally (a cache: the database is reconciled into it if this is cut);
5. :mod:`.cleanup` - delete the files Satchel recorded as its own (see :meth:`Library.own`,
   written before the files) that no current item references: withdrawn, superseded,
   stale partials. Anything else in the library's folders was put there by somebody else
   and stays.

:mod:`.rep_sync` is the rep's use case around it: upload the pending usage once the
catalog verified, then pull - the same for the command line and the window.

A disk that fills up (ENOSPC, EFBIG under a file size limit, a full SQLite database) stops
the sync with :class:`~app.core.hub.DiskFullError` before the switch, so the library is
unchanged. The partial download that hit the wall is deleted (a library on a full disk could
not even be opened), and so is any other that cannot finish beside it; files completed stay
for the next sync.

Downloads are hashed as they are written (a resumed one re-reads only what it had) and are
not flushed one by one: just before the switch, everything fetched is made durable at once
(one ``syncfs`` on Linux, else an ``fsync`` per file), so the switch never refers to files a
power cut could still take away.

A sync that finishes step 5 records the catalog it completed (``Meta`` key
:data:`~app.core.library.SYNC_COMPLETE_KEY`). When the hub still offers exactly that signed
catalog, the next sync stops after checking the signature: it neither parses the catalog,
nor looks at every file, nor cleans up. A file dropped into the library by hand is never
handed out, since only files the catalog names are opened. A file changed or
deleted by hand is noticed when it is opened (its hash is checked every time), which clears
the record, so the next sync fetches the approved copy again.
"""

from app.core.sync.rep_sync import RepSyncOutcome, rep_sync
from app.core.sync.results import ChangeSet, ProgressFn, SyncProgress, SyncResult
from app.core.sync.run import sync_library
from app.core.sync.verify import AUDIENCES_KEY, audiences_stamp

__all__ = [
    "AUDIENCES_KEY",
    "ChangeSet",
    "ProgressFn",
    "RepSyncOutcome",
    "SyncProgress",
    "SyncResult",
    "audiences_stamp",
    "rep_sync",
    "sync_library",
]
