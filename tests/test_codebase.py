"""The code itself: typed (mypy --strict over all of ``app/``) and linted (ruff).

Both tools are in the ``test`` extra, so the README's test command checks them; run from a
checkout without them, these tests skip and say so.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from tests.conftest import REPO


def _run_tool(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (it is in the 'test' extra)")
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )


@pytest.mark.slow
def test_app_is_mypy_strict_clean() -> None:
    # files and strictness come from [tool.mypy] in pyproject.toml; the incremental cache
    # (.mypy_cache in the checkout) makes a second run take a couple of seconds
    done = _run_tool("mypy")
    assert done.returncode == 0, done.stdout + done.stderr


def test_app_and_tests_are_ruff_clean() -> None:
    done = _run_tool("ruff", "check", "app", "tests")
    assert done.returncode == 0, done.stdout + done.stderr
