"""Parsing the command line and turning failures into one readable sentence."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from app import __version__
from app.cli import hub_commands, library_commands, report_command, usage_commands
from app.core.errors import SatchelError
from app.core.logsetup import setup_logging
from app.core.paths import home_status, resolve_home

log = logging.getLogger("satchel.cli")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"satchel: {message[0].upper() + message[1:]}. See --help.\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="satchel",
        description="Satchel: the field rep's offline collateral library. "
        "With no command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"Satchel {__version__}")
    parser.add_argument(
        "--home",
        metavar="DIR",
        help="the local library folder (default: $SATCHEL_HOME or the per-user data folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    hub_commands.register(sub)
    hub_commands.register_replies(sub)
    library_commands.register(sub)
    usage_commands.register(sub)
    report_command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from app.gui.launch import run_gui  # Qt only when the window is wanted

        return run_gui(resolve_home(args.home))
    home = resolve_home(args.home)
    if home_status(home) != "foreign":  # never a log file in a folder that is not ours
        setup_logging(home / "logs")
    try:
        code: int = args.handler(args, home)
        sys.stdout.flush()  # a closed pipe is noticed here, not at interpreter exit
        return code
    except SatchelError as exc:
        log.info("command %s failed: %s", args.command, exc)
        print(f"satchel: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("satchel: Interrupted; nothing was left half-done.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (`satchel search x | head`): not an error of ours; point
        # stdout at devnull so the interpreter's final flush does not fail again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # what a shell reports for a command ended by SIGPIPE
    except OSError as exc:  # a file or folder the user named that cannot be used
        if exc.filename is None:
            return _unexpected(args.command, home, exc)
        log.info("command %s failed on a file: %s", args.command, exc)
        print(f"satchel: Cannot use {exc.filename} ({exc.strerror or exc}).", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: keep the traceback in the log, one sentence on screen
        return _unexpected(args.command, home, exc)


def _unexpected(command: str, home: Path, exc: BaseException) -> int:
    """A bug: the traceback goes to the log, one sentence to the screen."""
    log.error("unexpected error in %s", command, exc_info=exc)
    print(
        f"satchel: Unexpected error ({type(exc).__name__}: {exc}); "
        f"details are in {home / 'logs' / 'satchel.log'}.",
        file=sys.stderr,
    )
    return 70


def run() -> None:
    """The ``satchel`` command installed with the package (``[project.scripts]``)."""
    import multiprocessing

    multiprocessing.freeze_support()
    sys.exit(main())
