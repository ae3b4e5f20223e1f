#!/usr/bin/env python3
"""Satchel: with no command, the desktop app; otherwise a headless command (see --help)."""

import sys

from app.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
