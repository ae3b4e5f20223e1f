"""Shared tools for the hostile-input and fault tests: the real CLI in a subprocess, and a
fingerprint of a library to prove that a failed operation left it exactly as it was."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.core.library import Library

REPO = Path(__file__).resolve().parents[2]
MAIN = REPO / "main.py"
HUB_TIMEOUT_S = "0.5"  # SATCHEL_HUB_TIMEOUT for every CLI run here: stalls fail fast


@dataclass(frozen=True)
class CliResult:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    def assert_one_line_error(self, *needles: str) -> str:
        """The CLI contract for a failure: non-zero exit (1: an error the user can act on,
        not 70: a bug), exactly one line on stderr, no traceback. Returns that line."""
        lines = self.stderr.strip().splitlines()
        assert self.returncode == 1, (self.returncode, self.stderr)
        assert len(lines) == 1, self.stderr
        assert "Traceback" not in self.stderr
        assert lines[0].startswith("satchel: "), lines
        for needle in needles:
            assert needle.lower() in lines[0].lower(), (needle, lines[0])
        return lines[0]


def cli_command(*args: str | Path, home: Path | None = None) -> list[str]:
    cmd = [sys.executable, str(MAIN)]
    if home is not None:
        cmd += ["--home", str(home)]
    return cmd + [str(a) for a in args]


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "SATCHEL_HUB_TIMEOUT": HUB_TIMEOUT_S, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("SATCHEL_CRASHPOINT", None)
    return {**env, **(extra or {})}


def run_cli(
    *args: str | Path,
    home: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    check: bool = False,
    cwd: Path | None = None,
) -> CliResult:
    proc = subprocess.run(
        cli_command(*args, home=home),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=cli_env(env),
        cwd=cwd,
    )
    result = CliResult(tuple(map(str, args)), proc.returncode, proc.stdout, proc.stderr)
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} failed ({proc.returncode}): {proc.stderr}")
    return result


def tree_hashes(folder: Path) -> dict[str, str]:
    """Every regular file under ``folder`` (relative path -> SHA-256); links are noted."""
    out: dict[str, str] = {}
    if not folder.exists():
        return out
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[rel] = "symlink -> " + str(path.readlink())
        elif path.is_file():
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def library_state(home: Path) -> dict[str, Any]:
    """What must not change when an operation fails: items, serial, and the files the
    items use (path -> SHA-256 of the bytes on disk)."""
    with Library.open(home) as lib:
        rows = lib.items(include_hidden=True)
        items = sorted((i.id, i.status, i.version, i.sha256, i.title, i.filename) for i in rows)
        used = {lib.file_path(i) for i in rows if i.status == "current"}
        used |= {lib.paths.blob_path(s) for i in rows for s in (i.text_sha256, i.thumb_sha256) if s}
        state = lib.hub_state()
        serial, catalog_sha = state.serial, state.catalog_sha256
    files = {
        p.relative_to(home).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        if p.is_file()
        else "missing"
        for p in used
    }
    return {"items": items, "serial": serial, "catalog_sha256": catalog_sha, "files": files}


def assert_untouched(home: Path, before: dict[str, Any], before_tree: dict[str, str]) -> None:
    """The library is as it was: same items, serial and used files; nothing that was on disk
    changed or went away; anything new is an inert, verified download (named by its hash)
    that the next sync reuses instead of fetching again."""
    assert library_state(home) == before
    now = tree_hashes(home / "files") | {
        "blobs/" + k: v for k, v in tree_hashes(home / "blobs").items()
    }
    for rel, sha in before_tree.items():
        assert now.get(rel) == sha, f"{rel} changed or vanished"
    for rel, sha in now.items():
        if rel not in before_tree:
            named = rel.split("/")[-1] if rel.startswith("blobs/") else rel.split("/")[-2]
            assert sha == named, f"unverified new file {rel}"


def store_tree(home: Path) -> dict[str, str]:
    return tree_hashes(home / "files") | {
        "blobs/" + k: v for k, v in tree_hashes(home / "blobs").items()
    }


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    """marketing's key pair, made by the CLI (as marketing would)."""
    key = tmp_path / "keys" / "marketing.key"
    run_cli("keygen", "--out", key, check=True)
    return key, key.with_name(key.name + ".pub")
