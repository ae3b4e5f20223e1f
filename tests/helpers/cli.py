"""The real command line in a subprocess, and fingerprints of folders, for tests."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    def error_line(self) -> str:
        """A failure by the CLI contract: exit 1, exactly one sentence on stderr."""
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        assert self.returncode == 1, (self.args, self.returncode, self.stderr)
        assert len(lines) == 1, (self.args, self.stderr)
        assert lines[0].startswith("satchel: ") and "Traceback" not in self.stderr
        assert "Unexpected error" not in lines[0], lines[0]
        return lines[0]


def satchel(
    *args: str | Path,
    home: Path | None = None,
    env: dict[str, str] | None = None,
    check: bool = False,
    stdin: str | None = None,
) -> Run:
    cmd = [sys.executable, str(REPO / "main.py")]
    if home is not None:
        cmd += ["--home", str(home)]
    cmd += [str(a) for a in args]
    full_env = {**os.environ, "SATCHEL_HUB_TIMEOUT": "2", **(env or {})}
    proc = subprocess.run(
        cmd, capture_output=True, text=True, env=full_env, timeout=300, check=False, input=stdin
    )
    run = Run(tuple(map(str, args)), proc.returncode, proc.stdout, proc.stderr)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} failed ({proc.returncode}): {proc.stderr}")
    return run


def tree(folder: Path) -> dict[str, str]:
    """Every entry under ``folder``: relative path -> SHA-256 (files), 'dir', or link target."""
    out: dict[str, str] = {}
    if not folder.exists():
        return out
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = "link -> " + str(path.readlink())
        elif path.is_dir():
            out[rel] = "dir"
        else:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out
