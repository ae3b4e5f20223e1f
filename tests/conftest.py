"""The stage for every test: offscreen Qt, every folder under tmp_path, real parts."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.logfail import LogFailHandler, expected_from_marker

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
#: Optional: a corpus of real-world documents beside the repository. Tests on it run when
#: it is there and skip, saying so, when it is not; every other test makes its documents.
CORPUS = REPO.parent / "shared" / "corpus"
CORPUS_MISSING = f"the shared test corpus is not at {CORPUS} (optional; tests on it skip)"


def corpus_present() -> bool:
    return (CORPUS / "real").is_dir() and (CORPUS / "hostile").is_dir()


needs_corpus = pytest.mark.skipif(not corpus_present(), reason=CORPUS_MISSING)


@pytest.fixture(scope="session", autouse=True)
def _no_renditions_by_default() -> Iterator[None]:
    """LibreOffice renditions take seconds per publish: off for every publish, including the
    ones module and session fixtures make (they run before any function-scoped fixture);
    tests and fixtures that need them turn them on (tests/test_renditions.py, the GUI's
    demo library)."""
    patch = pytest.MonkeyPatch()
    patch.setenv("SATCHEL_SOFFICE", "")
    yield
    patch.undo()


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the real per-user folders."""
    monkeypatch.setenv("SATCHEL_HOME", str(tmp_path / "default-home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    # LibreOffice renditions take seconds per publish: only tests that need them turn them
    # on (tests/test_renditions.py); every other publish ships office files without a PDF
    monkeypatch.setenv("SATCHEL_SOFFICE", "")


@pytest.fixture(autouse=True)
def logfail(request: pytest.FixtureRequest) -> Iterator[LogFailHandler]:
    """Any WARNING-or-above log record the test did not declare fails it (helpers/logfail.py)."""
    expected = [
        expected_from_marker(marker.args, dict(marker.kwargs))
        for marker in request.node.iter_markers("expect_log")
    ]
    handler = LogFailHandler(expected)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
    if handler.unexpected:
        pytest.fail(handler.report(), pytrace=False)


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not corpus_present():
        pytest.skip(CORPUS_MISSING)
    return CORPUS


@pytest.fixture(scope="session")
def optional_corpus() -> Path | None:
    """The shared corpus when it is there (tests that also cover generated files)."""
    return CORPUS if corpus_present() else None


@pytest.fixture
def signing_key(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    from app.core.signing import generate_key, write_key_pair

    key_path = tmp_path / "keys" / "marketing.key"
    pub = write_key_pair(generate_key(), key_path)
    yield key_path, pub
