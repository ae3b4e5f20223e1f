#!/usr/bin/env python3
"""Satchel: with no command, the desktop app; otherwise a headless command (see --help)."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # extraction workers in a frozen (PyInstaller) build
    from app.cli.main import main

    sys.exit(main())
