"""The stage for GUI tests: offscreen Qt, QSettings in tmp_path, a demo library per test.

The demo library is installed once per session (``install_demo`` publishes and syncs 27
files) and copied for each test, with its hub location pointed at the copy.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# The offscreen platform plugin warns about a feature it lacks whenever a top-level window's
# size constraints change; that is not our bug.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(autouse=True)
def _qsettings_in_tmp(tmp_path: Path) -> Iterator[None]:
    """Any QSettings() made without a path lands in tmp_path, never in the real profile."""
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("SatchelTests")
    QCoreApplication.setApplicationName("SatchelTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qs"))
    yield


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from app.core.demo import install_demo
    from app.core.library import Library
    from app.gui.child_jobs import warm_index

    home = tmp_path_factory.mktemp("demo-template") / "home"
    patch = pytest.MonkeyPatch()
    patch.delenv("SATCHEL_SOFFICE", raising=False)  # the demo as a rep gets it: decks as PDFs
    try:
        with Library.open(home) as lib:
            install_demo(lib)
            warm_index(lib)  # build the index once, so copies start with it
    finally:
        patch.undo()
    return home


def copy_demo(template: Path, home: Path) -> Path:
    from app.core.library import Library

    shutil.copytree(template, home, ignore=shutil.ignore_patterns("*.lock"))
    with Library.open(home) as lib:
        lib.configure_hub(str(home / "demo" / "hub"), None, is_demo=True)
    return home


@pytest.fixture
def demo_home(demo_template: Path, tmp_path: Path) -> Path:
    return copy_demo(demo_template, tmp_path / "home")


class Recorder:
    """Stands in for the operating system's "open this file" (nothing is launched)."""

    def __init__(self) -> None:
        self.paths: list[Path] = []

    def __call__(self, path: Path) -> None:
        self.paths.append(path)


@pytest.fixture
def opened() -> Recorder:
    return Recorder()


@pytest.fixture
def gui_settings_factory(tmp_path: Path):
    from PySide6.QtCore import QSettings

    from app.gui.gui_settings import GuiSettings

    def make(home: Path) -> GuiSettings:
        return GuiSettings(home, QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat))

    return make


@pytest.fixture
def make_window(qtbot, opened: Recorder, gui_settings_factory):
    """Opens a MainWindow on a library home and waits until its list and index are ready."""
    from app.core.library import Library
    from app.gui.main_window import MainWindow

    made: list[tuple[MainWindow, Library]] = []

    def make(home: Path, *, sync_on_start: bool = False, wait: bool = True) -> MainWindow:
        library = Library.open(home)
        window = MainWindow(
            library,
            gui_settings=gui_settings_factory(home),
            opener=opened,
            reveal=opened,
            sync_on_start=sync_on_start,
        )
        qtbot.addWidget(window)
        made.append((window, library))
        window.show()
        if wait:
            with qtbot.waitSignals([window.snapshot_applied, window.index_ready], timeout=20_000):
                window.start()
        else:
            window.start()
        return window

    yield make
    for window, library in made:
        window.shutdown()
        library.close()


@pytest.fixture
def demo_window(make_window, demo_home: Path):
    return make_window(demo_home)


# ------------------------------------------------------------------ hubs of our own


class HubCase:
    """A library synced to a folder hub, with the source folder and key to republish."""

    def __init__(self, home: Path, hub: Path, src: Path, key: Path, pub: Path) -> None:
        self.home, self.hub, self.src, self.key, self.pub = home, hub, src, key, pub

    def republish(self) -> None:
        from tests.helpers.hubs import publish_folder

        publish_folder(self.src, self.hub, self.key)


def _make_small_hub(root: Path) -> HubCase:
    from app.core.signing import generate_key, write_key_pair
    from tests.helpers.collateral import make_docx, make_text
    from tests.helpers.hubs import publish_folder, sync_home

    key = root / "keys" / "marketing.key"
    pub = write_key_pair(generate_key(), key)
    src = root / "src"
    make_text(src / "Field notes.txt", "Quarterly field notes about hospital pricing in DACH.")
    make_docx(
        src / "Battlecard.docx",
        ["Helix landmine questions", "Price objections"],
        title="Battlecard: Helix",
    )
    hub = root / "hub"
    publish_folder(src, hub, key)
    home = root / "home"
    sync_home(home, hub, pub)
    _point_at(home, hub, pub)
    return HubCase(home, hub, src, key, pub)


@pytest.fixture(scope="session")
def small_hub_template(tmp_path_factory: pytest.TempPathFactory) -> HubCase:
    return _make_small_hub(tmp_path_factory.mktemp("small-hub"))


def _point_at(home: Path, hub: Path, pub: Path) -> None:
    """Remember the hub and pin its key, as `sync --hub --trust` would."""
    from app.core.library import Library
    from app.core.signing import load_public_key

    with Library.open(home) as lib:
        lib.configure_hub(str(hub), load_public_key(pub))


@pytest.fixture
def small_hub(small_hub_template: HubCase, tmp_path: Path) -> HubCase:
    """A private copy (home, hub, source) of a small synced hub, safe to republish."""
    t = small_hub_template
    root = tmp_path / "case"
    for part in ("home", "hub", "src", "keys"):
        shutil.copytree(t.home.parent / part, root / part, ignore=shutil.ignore_patterns("*.lock"))
    case = HubCase(
        root / "home",
        root / "hub",
        root / "src",
        root / "keys" / "marketing.key",
        root / "keys" / "marketing.key.pub",
    )
    _point_at(case.home, case.hub, case.pub)
    return case


BIG_FILES = 4
BIG_FILE_BYTES = 48 << 20


@pytest.fixture(scope="session")
def big_hub_template(tmp_path_factory: pytest.TempPathFactory) -> HubCase:
    """A library at serial 1, its hub at serial 2 with large incompressible files added."""
    case = _make_small_hub(tmp_path_factory.mktemp("big-hub"))
    for n in range(BIG_FILES):
        (case.src / f"Product film {n + 1}.bin").write_bytes(os.urandom(BIG_FILE_BYTES))
    case.republish()
    return case


@pytest.fixture
def big_hub(big_hub_template: HubCase, tmp_path: Path) -> HubCase:
    t = big_hub_template
    home = tmp_path / "home"
    shutil.copytree(t.home, home, ignore=shutil.ignore_patterns("*.lock"))
    _point_at(home, t.hub, t.pub)
    return HubCase(home, t.hub, t.src, t.key, t.pub)


@pytest.fixture(scope="session")
def corpus_hub(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The shared corpus (real + hostile files) published into a folder hub: (hub, key.pub)."""
    from app.core.signing import generate_key, write_key_pair
    from tests.conftest import CORPUS, CORPUS_MISSING, corpus_present
    from tests.helpers.hubs import publish_folder

    if not corpus_present():
        pytest.skip(CORPUS_MISSING)
    root = tmp_path_factory.mktemp("corpus-hub")
    src = root / "src"
    for part in ("real", "hostile"):
        shutil.copytree(CORPUS / part, src / part)
    key = root / "keys" / "marketing.key"
    pub = write_key_pair(generate_key(), key)
    publish_folder(src, root / "hub", key)
    return root / "hub", pub
