"""keygen, publish and sync."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any

from app.core.errors import ConfigError, SatchelError
from app.core.freshness import DEFAULT_VALID_DAYS, library_freshness
from app.core.hub import normalise_location
from app.core.itconfig import load_it_config
from app.core.library import Library
from app.core.signing import generate_key, load_public_key, load_signing_key, write_key_pair
from app.core.sync import SyncProgress, rep_sync
from app.core.usage.upload import UploadResult


def register(sub: Any) -> None:
    p = sub.add_parser("keygen", help="write a signing key pair (KEY private, KEY.pub public)")
    p.add_argument("--out", required=True, metavar="KEY", type=Path)
    p.set_defaults(handler=cmd_keygen)

    p = sub.add_parser("publish", help="marketing: make or update the hub from folder SRC")
    p.add_argument("src", metavar="SRC", type=Path)
    p.add_argument("--hub", required=True, metavar="HUB", help="the hub folder")
    p.add_argument("--key", required=True, metavar="KEY", type=Path, help="the private key")
    p.add_argument(
        "--valid-days",
        type=int,
        default=DEFAULT_VALID_DAYS,
        metavar="N",
        help="reps are warned when the hub offers nothing newer N days after this publish "
        f"(default {DEFAULT_VALID_DAYS})",
    )
    p.add_argument(
        "--refresh",
        action="store_true",
        help="re-sign the catalog even when nothing changed (next serial, new valid-until)",
    )
    p.add_argument("--quiet", action="store_true", help="print only the summary")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="print what would be new, updated, withdrawn, metadata only or unreadable; "
        "change nothing",
    )
    p.add_argument(
        "--max-withdraw-share",
        type=_share,
        default=None,
        metavar="SHARE",
        help="refuse a publish that withdraws more than this share of the items "
        "(0-1 or a percentage, default 25%%)",
    )
    p.add_argument(
        "--allow-withdraw",
        action="store_true",
        help="withdraw however many items are missing from SRC",
    )
    p.add_argument(
        "--no-renditions",
        action="store_true",
        help="do not render new office files to PDF previews (faster; they get none)",
    )
    p.add_argument(
        "--watch",
        action="store_true",
        help="keep running: publish now and again after SRC changes and settles (Ctrl-C stops)",
    )
    p.add_argument(
        "--settle",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="with --watch: publish after this long without changes (default 30)",
    )
    p.add_argument(
        "--polling",
        action="store_true",
        help="with --watch: look for changes by polling (network shares; chosen automatically "
        "for the ones Satchel recognises)",
    )
    p.set_defaults(handler=cmd_publish)

    p = sub.add_parser("sync", help="rep: pull the hub into the local library")
    p.add_argument("--hub", metavar="HUB", help="folder or http(s) URL (remembered)")
    p.add_argument("--trust", metavar="KEY.pub", type=Path, help="marketing's public key (pinned)")
    p.add_argument("--quiet", action="store_true", help="print only the summary")
    p.set_defaults(handler=cmd_sync)


def cmd_keygen(args: argparse.Namespace, _home: Path) -> int:
    key = generate_key()
    pub = write_key_pair(key, args.out)
    print(f"Wrote private key {args.out} (keep it secret) and public key {pub}.")
    print(f"Key fingerprint: {key.public.fingerprint}")
    return 0


def _stage_printer(enabled: bool) -> Any:
    last = {"stage": ""}

    def show(stage: str, done: int, total: int) -> None:
        if enabled and stage != last["stage"] and sys.stderr.isatty():
            print(f"{stage}…", file=sys.stderr)
        last["stage"] = stage

    return show


def _share(text: str) -> float:
    raw = text.strip()
    try:
        value = float(raw.removesuffix("%")) / (100 if raw.endswith("%") else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a share such as 0.25 or 25%") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not between 0 and 1 (0% and 100%)")
    return value


def _stop_like_ctrl_c() -> None:
    """SIGTERM (a service manager, a CI timeout) stops a publish as Ctrl-C does: the hub is
    left as it was, LibreOffice and the extraction workers are stopped, temporary folders
    removed."""
    import signal

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError):  # not the main thread (tests calling the command)
        signal.signal(signal.SIGTERM, interrupt)


# complexity: the command's options (dry run, watch, refresh, withdraw guard, progress), each
# checked with its own sentence; one place, so the command reads top to bottom
def cmd_publish(args: argparse.Namespace, _home: Path) -> int:
    if "://" in args.hub:
        raise ConfigError(
            "publish writes a hub folder; publish to a folder, then copy it to your web host."
        )
    from app.core.publish import (  # extraction loads only for `publish`
        DEFAULT_MAX_WITHDRAW_SHARE,
        plan_publish,
        publish,
    )

    key_path = args.key.expanduser()
    key = load_signing_key(key_path)
    src, hub = args.src.expanduser(), Path(args.hub).expanduser()
    share = args.max_withdraw_share
    share = DEFAULT_MAX_WITHDRAW_SHARE if share is None else share
    if not args.watch and (args.settle is not None or args.polling):
        raise ConfigError("--settle and --polling go with --watch.")
    if args.watch:
        if args.dry_run or args.refresh:
            raise ConfigError(
                f"--{'dry-run' if args.dry_run else 'refresh'} cannot be combined with --watch."
            )
        return _watch_publish(args, src, hub, key, key_path, share)
    if args.dry_run:
        plan = plan_publish(src, hub, key)
        print("\n".join(plan.lines()))
        if plan.withdraw_share() > share and not args.allow_withdraw:
            print(f"A real publish would refuse: more than {share:.0%} would be withdrawn.")
        return 0
    _stop_like_ctrl_c()
    result = publish(
        src,
        hub,
        key,
        progress=_stage_printer(not args.quiet),
        key_path=key_path,
        valid_days=args.valid_days,
        refresh=args.refresh,
        max_withdraw_share=share,
        allow_withdraw=args.allow_withdraw,
        renditions=not args.no_renditions,
    )
    print(result.summary())
    for note in result.repair_notes():
        print(note)
    for warning in result.warnings():
        print(f"satchel: warning: {warning}", file=sys.stderr)
    if result.unsearchable and not args.quiet:
        print(f"{len(result.unsearchable)} item(s) are listed but not searchable:")
        for item_id, reason in sorted(result.unsearchable.items()):
            print(f"  {item_id}: {reason}")
    if result.no_preview and not args.quiet:
        print(f"{len(result.no_preview)} office item(s) are listed without a preview:")
        for item_id, note in sorted(result.no_preview.items()):
            print(f"  {item_id}: {note}")
    return 0


def _watch_publish(
    args: argparse.Namespace, src: Path, hub: Path, key: Any, key_path: Path, share: float
) -> int:
    """``publish --watch``: one line per publish on stdout until Ctrl-C (exit 0)."""
    import signal

    from app.core.publish import publish
    from app.core.source_watch import DEFAULT_SETTLE_S, PublishWatcher
    from app.core.timeutil import utcnow

    def line(text: str) -> None:
        print(f"{utcnow():%Y-%m-%d %H:%M:%SZ} {text}", flush=True)

    def publish_once(cancel: Any, refresh: bool = False) -> str:
        result = publish(
            src,
            hub,
            key,
            cancel=cancel,
            refresh=refresh,
            key_path=key_path,
            valid_days=args.valid_days,
            max_withdraw_share=share,
            allow_withdraw=args.allow_withdraw,
            renditions=not args.no_renditions,
        )
        for warning in result.warnings():
            print(f"satchel: warning: {warning}", file=sys.stderr, flush=True)
        return " ".join([result.summary(), *result.repair_notes()])

    settle = DEFAULT_SETTLE_S if args.settle is None else args.settle
    from app.core.replies import replies_path_for

    watcher = PublishWatcher(
        src,
        publish_once,
        settle_s=settle,
        polling=True if args.polling else None,
        log_line=line,
        also=replies_path_for(key_path),
        refresh_after_s=args.valid_days * 86400 / 2,  # re-sign a quiet hub half-way
    )
    previous = {
        sig: signal.signal(sig, lambda _n, _f: watcher.request_stop())
        for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        line(f"Watching {src}; publishing to {hub} after {settle:g} s of quiet (Ctrl-C stops).")
        watcher.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    line(f"Stopped watching {src}.")
    return 0


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 <= value <= 86400:
        raise argparse.ArgumentTypeError(f"{text!r} is not between 0 and 86400 seconds")
    return value


def cmd_sync(args: argparse.Namespace, home: Path) -> int:
    location = normalise_location(args.hub) if args.hub else None
    trust = load_public_key(args.trust.expanduser()) if args.trust else None
    with Library.open(home) as lib:

        def uploaded(sent: UploadResult, error: str | None) -> None:
            if error is not None:
                print(
                    f"satchel: warning: usage not uploaded, it stays queued ({error})",
                    file=sys.stderr,
                )
            elif sent.events_sent and not args.quiet:
                print(f"Uploaded {sent.events_sent} event(s) in {sent.batches_sent} batch(es).")

        progress_shown = {"pct": -1}

        def progress(p: SyncProgress) -> None:
            if args.quiet or not sys.stderr.isatty() or not p.bytes_total:
                return
            pct = p.bytes_done * 100 // p.bytes_total
            if pct != progress_shown["pct"]:
                progress_shown["pct"] = pct
                print(f"\rdownloading {pct:3d}%", end="", file=sys.stderr, flush=True)

        outcome = rep_sync(
            lib,
            load_it_config(),
            location=location,
            key=trust,
            progress=progress,
            on_upload=uploaded,
        )
        if progress_shown["pct"] >= 0:
            print(file=sys.stderr)
        print(outcome.result.summary())
        for sentence in outcome.replies:  # each reply to the rep's own flags/requests once
            print(sentence)
        freshness = library_freshness(lib)
        if freshness.line() and not args.quiet:
            print(freshness.line())
        warning = freshness.warning()
        if warning:
            print(f"satchel: warning: {warning}", file=sys.stderr)
    return 0


def register_replies(sub: Any) -> None:
    p = sub.add_parser("inbox", help="marketing: the open flags and requests in the hub's inbox")
    p.add_argument("--hub", required=True, metavar="HUB", help="hub folder or http(s) URL")
    p.add_argument("--key", metavar="KEY", type=Path, help="also show replies not yet published")
    p.add_argument("--all", action="store_true", help="also those answered done or declined")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(handler=cmd_inbox)

    p = sub.add_parser("respond", help="marketing: answer a flag or request (sent at next publish)")
    p.add_argument("id", metavar="ID", help="the id `inbox` shows (at least 6 characters)")
    p.add_argument("--status", required=True, choices=("planned", "done", "declined"))
    p.add_argument("--note", default="", help="a line for the rep")
    p.add_argument("--item", metavar="ITEM", help="the item that answers it")
    p.add_argument("--hub", required=True, metavar="HUB", help="the hub folder")
    p.add_argument("--key", required=True, metavar="KEY", type=Path, help="the private key")
    p.set_defaults(handler=cmd_respond)


def _hub_replies(hub: str, key_path: Path | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Replies the hub's catalog carries, and those recorded with the key (maybe unsent)."""
    from app.core.catalog import read_catalog_unverified
    from app.core.errors import UnsafeCatalogError
    from app.core.replies import ReplyStore
    from app.core.report.sources import open_source

    sent: dict[str, Any] = {}
    with contextlib.suppress(UnsafeCatalogError, SatchelError, OSError):  # no catalog yet
        sent = {r.id: r for r in read_catalog_unverified(open_source(hub).read_catalog()).replies}
    recorded: dict[str, Any] = {}
    if key_path is not None and "://" not in hub:
        recorded = {r.id: r for r in ReplyStore(key_path.expanduser()).for_hub(Path(hub))}
    return sent, recorded


# complexity: most branches are the optional fields of a JSON row (``x if reply else None``)
# and the text line's parts; split, the rows and their two renderings would drift apart
def cmd_inbox(args: argparse.Namespace, _home: Path) -> int:
    import json

    from app.core.replies import age, read_inbox
    from app.core.timeutil import iso, utcnow

    hub = normalise_location(args.hub)
    if "://" not in hub and not Path(hub).is_dir():
        raise ConfigError(f"The hub folder {hub} does not exist.")
    inbox = read_inbox(hub)
    sent, recorded = _hub_replies(hub, args.key)
    now = utcnow()
    rows = []
    for e in inbox.entries:
        reply = recorded.get(e.id) or sent.get(e.id)
        status = reply.status if reply else "open"
        if status in ("done", "declined") and not args.all:
            continue
        pending = e.id in recorded and recorded[e.id] != sent.get(e.id)
        rows.append((e, reply, status, pending))
    if args.json:
        out = [
            {
                "id": e.id,
                "kind": e.kind,
                "time": iso(e.time),
                "age": age(e.time, now),
                "rep": e.rep,
                "item_id": e.item_id,
                "version": e.version,
                "reason": e.reason or None,
                "text": e.text,
                "account": e.account,
                "needed_by": e.needed_by,
                "status": status,
                "note": reply.note if reply else None,
                "answer_item": reply.answer_item if reply else None,
                "published": reply is not None and not pending,
            }
            for e, reply, status, pending in rows
        ]
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    if not rows:
        print("No open flags or requests in the hub's inbox.")
    for e, _reply, status, pending in rows:
        what = (
            f"flag {e.reason or '?'} on {e.item_id} v{e.version}" if e.kind == "flag" else "request"
        )
        text = f": {e.text}" if e.text else ""
        mark = f"  [{status}{', not yet published' if pending else ''}]"
        print(f"{e.short_id}  {age(e.time, now):>4}  {what}{text}  ({e.rep}){mark}")
    if inbox.malformed:
        print(
            f"satchel: warning: {inbox.malformed} batch(es) in the inbox could not be read.",
            file=sys.stderr,
        )
    return 0


def cmd_respond(args: argparse.Namespace, _home: Path) -> int:
    from app.core.publish import read_hub_catalog
    from app.core.replies import ReplyStore, find_entry, make_reply, read_inbox
    from app.core.timeutil import utcnow

    if "://" in args.hub:
        raise ConfigError("respond records replies for a hub folder, the one you publish to.")
    key_path = args.key.expanduser()
    key = load_signing_key(key_path)
    hub = Path(args.hub).expanduser()
    catalog, _sha = read_hub_catalog(hub, key)
    if catalog is None:
        raise ConfigError(f"{hub} has no catalog; publish into it first.")
    entry = find_entry(read_inbox(str(hub)), args.id)
    reply = make_reply(
        entry,
        args.status,
        args.note,
        args.item,
        utcnow(),
        (i.id for i in catalog.current()),
    )
    ReplyStore(key_path).record(hub, reply)
    print(
        f"Recorded {args.status} for the {entry.kind} {entry.short_id}; reps see it after the "
        f"next publish into {hub}."
    )
    return 0
