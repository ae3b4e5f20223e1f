"""send, flag, request and usage export: what a rep does, recorded for marketing."""

from __future__ import annotations

import argparse
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from app.core.errors import ConfigError, SatchelError
from app.core.library import Library
from app.core.opener import open_native
from app.core.settings import load_settings
from app.core.timeutil import utcnow
from app.core.usage.batch import FLAG_REASONS
from app.core.usage.journal import Journal, check_output_file


def register(sub: Any) -> None:
    p = sub.add_parser("send", help="e-mail draft with the items attached (recorded)")
    p.add_argument("ids", nargs="+", metavar="ID")
    p.add_argument("--to", required=True, action="append", metavar="ADDRESS")
    p.add_argument("--out", type=Path, metavar="FILE.eml", help="write the draft here")
    p.add_argument("--subject", help="subject line (default: the items' titles)")
    p.add_argument("--message", default="", help="text of the message")
    p.add_argument("--account", help="the account or opportunity this is for")
    p.add_argument(
        "--include-internal",
        action="store_true",
        help="send items marked for internal use only too (refused when IT blocks it)",
    )
    p.set_defaults(handler=cmd_send)

    p = sub.add_parser("flag", help="flag an item as outdated, incorrect or other")
    p.add_argument("id", metavar="ID")
    p.add_argument("--reason", required=True, choices=FLAG_REASONS)
    p.add_argument("--note", default="")
    p.set_defaults(handler=cmd_flag)

    p = sub.add_parser("request", help="ask marketing for material that does not exist")
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--account", help="for which account")
    p.add_argument("--needed-by", metavar="YYYY-MM-DD", help="when it is needed")
    p.set_defaults(handler=cmd_request)

    p = sub.add_parser("config", help="the rep's name, e-mail and pseudonymisation")
    config_sub = p.add_subparsers(dest="config_command", metavar="SETTING", required=True)
    c = config_sub.add_parser("rep-name", help="how marketing's report names you")
    c.add_argument("value", metavar="NAME")
    c.set_defaults(handler=cmd_config, setting="rep_name")
    c = config_sub.add_parser("rep-email", help="your e-mail (the sender of mail drafts)")
    c.add_argument("value", metavar="EMAIL")
    c.set_defaults(handler=cmd_config, setting="rep_email")
    c = config_sub.add_parser("pseudonymise", help="uploads name you by a pseudonym only")
    c.add_argument("value", choices=("on", "off"))
    c.set_defaults(handler=cmd_config, setting="pseudonymise")
    c = config_sub.add_parser(
        "audiences", help="who you are for marketing's targeting, e.g. region:DACH role:SE"
    )
    c.add_argument("value", nargs="*", metavar="AUDIENCE", help="none: clear (see everything)")
    c.set_defaults(handler=cmd_config, setting="audiences")
    c = config_sub.add_parser("show", help="print the settings in effect")
    c.set_defaults(handler=cmd_config, setting=None)

    p = sub.add_parser("usage", help="this rep's recorded events")
    usage_sub = p.add_subparsers(dest="usage_command", metavar="ACTION", required=True)
    e = usage_sub.add_parser("export", help="write the events to a CSV file")
    e.add_argument("--out", required=True, type=Path, metavar="FILE.csv")
    e.set_defaults(handler=cmd_usage_export)


def cmd_send(args: argparse.Namespace, home: Path) -> int:
    from app.core.itconfig import load_it_config
    from app.core.mail_draft import build_draft, check_addresses
    from app.core.sharing import check_send

    recipients = check_addresses(args.to)
    with Library.open(home) as lib:
        items = [lib.item(i) for i in dict.fromkeys(args.ids)]
        check_send(
            items,
            confirmed=args.include_internal,
            config=load_it_config(),
            flag="--include-internal",
        )
        files = [(lib.verified_path(i), i.filename) for i in items]
        settings = load_settings(lib)
        subject = args.subject or ", ".join(i.title for i in items)
        body = args.message or "Please find attached:\n" + "\n".join(f"- {i.title}" for i in items)
        draft = build_draft(
            files, to=recipients, subject=subject, body=body, sender=settings.rep_email or None
        )
        out: Path = args.out or (lib.paths.home / "outbox" / f"draft-{utcnow():%Y%m%d-%H%M%S}.eml")
        out = out.expanduser()
        if args.out is None:
            out.parent.mkdir(parents=True, exist_ok=True)
        check_output_file(out)
        tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            tmp.write_bytes(draft)
            tmp.replace(out)
        except OSError as exc:
            raise ConfigError(f"Cannot write {out} ({exc.strerror or exc}).") from exc
        finally:
            tmp.unlink(missing_ok=True)
        journal = Journal(lib)
        if args.out is None:  # the draft is handed to the mail program: a send only if it opens
            try:
                open_native(out)
            except SatchelError as exc:
                journal.record_many("failed", items, {"action": "send", "reason": str(exc)})
                raise
        journal.record_many(
            "send",
            items,
            {"send_id": str(uuid.uuid4()), "recipients": recipients, "account": args.account},
        )
        print(f"Draft with {len(items)} attachment(s) to {', '.join(recipients)}: {out}")
    return 0


def cmd_flag(args: argparse.Namespace, home: Path) -> int:
    with Library.open(home) as lib:
        item = lib.item(args.id)
        Journal(lib).flag(item, args.reason, args.note)
        print(f"Flagged {item.title} as {args.reason}; marketing sees it after the next sync.")
    return 0


def cmd_request(args: argparse.Namespace, home: Path) -> int:
    text = args.text.strip()
    if not text:
        raise ConfigError("Say what material you need.")
    needed_by = None
    if args.needed_by:
        try:
            needed_by = date.fromisoformat(args.needed_by).isoformat()
        except ValueError as exc:
            raise ConfigError(f"--needed-by {args.needed_by!r} is not a YYYY-MM-DD date.") from exc
    with Library.open(home) as lib:
        Journal(lib).request(text, args.account, needed_by)
    print("Request queued; marketing sees it after the next sync.")
    return 0


def cmd_config(args: argparse.Namespace, home: Path) -> int:
    from app.core.itconfig import load_it_config
    from app.core.settings import effective_settings, normalise_audiences, set_setting

    config = load_it_config()
    with Library.open(home) as lib:
        if args.setting is not None:
            if config.is_locked(args.setting):
                raise ConfigError(
                    f"{args.setting.replace('_', '-')} is set by your IT department's "
                    "configuration and cannot be changed here."
                )
            value: str | bool = args.value == "on" if args.setting == "pseudonymise" else args.value
            if args.setting == "audiences":
                value = normalise_audiences(args.value)
            elif isinstance(value, str):
                value = value.strip()
                if "\n" in value or "\r" in value or len(value) > 200:
                    raise ConfigError(f"{args.setting.replace('_', '-')} must be one short line.")
            set_setting(lib, args.setting, value)
        settings = effective_settings(lib, config)
        print(f"rep-name: {settings.rep_name or '(not set)'}")
        print(f"rep-email: {settings.rep_email or '(not set)'}")
        locked = " (set by IT)" if config.is_locked("pseudonymise") else ""
        print(f"pseudonymise: {'on' if settings.pseudonymise else 'off'}{locked}")
        locked = " (set by IT)" if config.is_locked("audiences") else ""
        audiences = ", ".join(settings.audience_list) or "(none: every item)"
        print(f"audiences: {audiences}{locked}")
        print(f"rep id: {Journal(lib).rep_id()}")
    return 0


def cmd_usage_export(args: argparse.Namespace, home: Path) -> int:
    with Library.open(home) as lib:
        count = Journal(lib).export_csv(args.out.expanduser())
    print(f"Wrote {count} event(s) to {args.out}.")
    return 0
