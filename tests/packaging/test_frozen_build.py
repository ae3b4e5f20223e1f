"""The packaged app: build.spec builds a one-folder program that runs with no Python around.

Given a PyInstaller build of this checkout, when the program is started with an empty PATH,
then it prints its version, runs keygen, publish, sync, items and search headless, honours
an IT configuration file, and opens its window offscreen on the demo library.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import __version__
from tests.conftest import needs_corpus

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "real"


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if shutil.which("pyinstaller", path=str(Path(sys.executable).parent)) is None:
        pytest.fail("PyInstaller is not installed (it is part of the test extras)")
    work = tmp_path_factory.mktemp("pyinstaller")
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pyinstaller"),
            "--noconfirm",
            "--log-level",
            "ERROR",
            "--workpath",
            str(work / "build"),
            "--distpath",
            str(work / "dist"),
            str(REPO / "build.spec"),
        ],
        cwd=REPO,
        check=True,
        timeout=900,
    )
    program = work / "dist" / "Satchel" / "Satchel"
    assert program.is_file()
    yield program


def run(
    program: Path, *args: str | Path, home: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    empty_path = home.parent / "empty-path"
    empty_path.mkdir(exist_ok=True)
    environment = {
        "PATH": str(empty_path),  # no Python (nor anything else) on the PATH
        "HOME": str(home.parent),
        "SATCHEL_HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(home.parent / "xdg-config"),
        **env,
    }
    proc = subprocess.run(
        [str(program), *map(str, args)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc


@needs_corpus
def test_frozen_program_runs_the_headless_contract(frozen: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run(frozen, "--version", home=home).stdout.strip() == f"Satchel {__version__}"
    run(frozen, "keygen", "--out", tmp_path / "k", home=home)
    run(frozen, "publish", CORPUS, "--hub", tmp_path / "hub", "--key", tmp_path / "k", home=home)
    run(frozen, "sync", "--hub", tmp_path / "hub", "--trust", f"{tmp_path / 'k'}.pub", home=home)
    items = json.loads(run(frozen, "items", "--json", home=home).stdout)
    assert len(items) == len(list(CORPUS.iterdir()))
    hits = json.loads(run(frozen, "search", "talent review", "--json", home=home).stdout)
    assert hits and hits[0]["location"] is not None


@needs_corpus
def test_frozen_program_honours_it_config(frozen: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    run(frozen, "keygen", "--out", tmp_path / "k", home=home)
    run(frozen, "publish", CORPUS, "--hub", tmp_path / "hub", "--key", tmp_path / "k", home=home)
    config = tmp_path / "config.toml"
    config.write_text(f'hub = "{tmp_path / "hub"}"\ntrusted_key = "{tmp_path / "k"}.pub"\n')
    out = run(frozen, "sync", home=home, SATCHEL_CONFIG=str(config)).stdout
    assert f"{len(list(CORPUS.iterdir()))} new" in out


def test_frozen_program_opens_its_window_on_the_demo(frozen: Path, tmp_path: Path) -> None:
    proc = run(frozen, home=tmp_path / "home", SATCHEL_EXIT_WHEN_READY="1")
    assert "window ready" in proc.stdout
