"""The bundled demo library: published to a local demo hub and synced on first run."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.demo import install_demo, needs_demo
from app.core.library import Library


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("demo-home")
    with Library.open(home) as lib:
        assert needs_demo(lib)
        install_demo(lib)
    return home


def test_demo_is_labelled_and_complete(demo_home: Path) -> None:
    with Library.open(demo_home) as lib:
        assert not needs_demo(lib)
        state = lib.hub_state()
        assert state.is_demo and state.location == str(demo_home / "demo" / "hub")
        visible = lib.items()
        everything = lib.items(include_hidden=True)
        assert len(everything) == 27 and len(visible) == 26  # one item has expired
        kinds = {i.kind for i in visible}
        assert {"pdf", "pptx", "docx", "xlsx"} <= kinds
        price_list = lib.item("price-list")
        assert [v.version for v in price_list.versions] == [1, 2]
        assert price_list.versions[0].change_note == "First release"
        assert all(i.title and i.tags for i in visible)


@pytest.mark.parametrize(
    ("query", "title_start", "location"),
    [
        ("hospital pricing", "Hospital pricing 2026", 7),
        ("bedside alarm fatigue", "Beyond the beep", 3),
        ("unwitnessed falls", "Case study: Rosewood Care Homes", 2),
        ("Nordic framework discount", "Northwind price list", 6),
    ],
)
def test_demo_example_searches(
    demo_home: Path, query: str, title_start: str, location: int
) -> None:
    with Library.open(demo_home) as lib:
        top = lib.search(query).hits[0]
    assert top.title.startswith(title_start)
    assert top.location == location
