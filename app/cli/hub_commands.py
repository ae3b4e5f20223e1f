"""keygen, publish and sync."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.core.errors import ConfigError, SatchelError
from app.core.freshness import DEFAULT_VALID_DAYS, library_freshness
from app.core.hub import normalise_location, open_hub
from app.core.itconfig import load_it_config
from app.core.library import Library
from app.core.settings import rep_audiences
from app.core.signing import generate_key, load_public_key, load_signing_key, write_key_pair
from app.core.sync import SyncProgress, sync_library
from app.core.usage.upload import open_inbox, upload_pending


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

    def publish_once(cancel: Any) -> str:
        result = publish(
            src,
            hub,
            key,
            cancel=cancel,
            key_path=key_path,
            valid_days=args.valid_days,
            max_withdraw_share=share,
            allow_withdraw=args.allow_withdraw,
        )
        for warning in result.warnings():
            print(f"satchel: warning: {warning}", file=sys.stderr, flush=True)
        return " ".join([result.summary(), *result.repair_notes()])

    settle = DEFAULT_SETTLE_S if args.settle is None else args.settle
    watcher = PublishWatcher(
        src, publish_once, settle_s=settle, polling=True if args.polling else None, log_line=line
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
        config = load_it_config()
        location, key = lib.require_hub(config, location=location, key=trust)
        hub_location = location

        def upload() -> None:  # only once the hub's catalog verified against the key
            try:
                sent = upload_pending(lib, open_inbox(hub_location))
                if sent.events_sent and not args.quiet:
                    print(f"Uploaded {sent.events_sent} event(s) in {sent.batches_sent} batch(es).")
            except SatchelError as exc:
                print(
                    f"satchel: warning: usage not uploaded, it stays queued ({exc})",
                    file=sys.stderr,
                )

        progress_shown = {"pct": -1}

        def progress(p: SyncProgress) -> None:
            if args.quiet or not sys.stderr.isatty() or not p.bytes_total:
                return
            pct = p.bytes_done * 100 // p.bytes_total
            if pct != progress_shown["pct"]:
                progress_shown["pct"] = pct
                print(f"\rdownloading {pct:3d}%", end="", file=sys.stderr, flush=True)

        result = sync_library(
            lib,
            open_hub(location),
            key,
            progress=progress,
            location=location,
            after_verify=upload,
            audiences=rep_audiences(lib, config),
        )
        if progress_shown["pct"] >= 0:
            print(file=sys.stderr)
        print(result.summary())
        freshness = library_freshness(lib)
        if freshness.line() and not args.quiet:
            print(freshness.line())
        warning = freshness.warning()
        if warning:
            print(f"satchel: warning: {warning}", file=sys.stderr)
    return 0
