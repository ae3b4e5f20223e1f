"""The command-line contract, run as a user would: real subprocesses of main.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.collateral import make_docx, make_pptx

REPO = Path(__file__).resolve().parents[1]


def run(*args: str | Path, home: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SATCHEL_HOME": str(home)}
    proc = subprocess.run(
        [sys.executable, str(REPO / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} failed: {proc.stderr}")
    return proc


def one_sentence_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode != 0
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    return lines[0]


def test_contract_end_to_end(tmp_path: Path) -> None:
    src, hub, home, key = tmp_path / "src", tmp_path / "hub", tmp_path / "home", tmp_path / "k"
    make_pptx(src / "Pitch.pptx", ["Intro", "Pricing for regional hospitals"], title="Pitch")
    make_docx(src / "Brief.docx", ["Partner programme brief for resellers."])

    assert "fingerprint" in run("keygen", "--out", key, home=home).stdout.lower()
    assert (key.stat().st_mode & 0o777) == 0o600
    assert "serial 1" in run("publish", src, "--hub", hub, "--key", key, home=home).stdout
    run("sync", "--hub", hub, "--trust", f"{key}.pub", home=home)
    assert "up to date" in run("sync", home=home).stdout  # hub and key remembered

    items = json.loads(run("items", "--json", home=home).stdout)
    assert {i["id"] for i in items} == {"pitch", "brief"}
    for field in ("id", "title", "version", "sha256", "status", "tags", "updated_at", "expires_at"):
        assert field in items[0]

    hits = json.loads(run("search", "regional hospitals", "--json", home=home).stdout)
    assert hits[0]["id"] == "pitch" and hits[0]["location"] == 2
    for field in ("id", "title", "version", "score", "snippet", "location", "path"):
        assert field in hits[0]
    assert "hospitals" in hits[0]["snippet"].lower()
    assert Path(hits[0]["path"]).read_bytes() == (src / "Pitch.pptx").read_bytes()

    filtered = json.loads(
        run("search", "partner", "--json", "--filter", "type=docx", home=home).stdout
    )
    assert [h["id"] for h in filtered] == ["brief"]

    path = run("open", "pitch", "--print-path", home=home).stdout.strip()
    assert Path(path).read_bytes() == (src / "Pitch.pptx").read_bytes()


@pytest.mark.parametrize(
    "args",
    [
        ("open", "no-such-item", "--print-path"),
        ("sync",),
        ("sync", "--hub", "/nonexistent/hub", "--trust", "/nonexistent/key.pub"),
        ("publish", "/nonexistent/src", "--hub", "HUB", "--key", "/nonexistent/key"),
        ("search", "x", "--filter", "colour=blue"),
        ("search", "x", "--limit", "0"),
        ("frobnicate",),
    ],
)
def test_errors_are_one_sentence(tmp_path: Path, args: tuple[str, ...]) -> None:
    args = tuple(a.replace("HUB", str(tmp_path / "hub")) for a in args)
    line = one_sentence_error(run(*args, home=tmp_path / "home", check=False))
    assert line.startswith("satchel: ")


def test_output_piped_into_a_reader_that_goes_away_is_not_an_error(tmp_path: Path) -> None:
    """`satchel items | head -1`: when the reader closes the pipe, the command stops
    quietly with the shell's SIGPIPE status, no error message."""
    src, hub, home, key = tmp_path / "src", tmp_path / "hub", tmp_path / "home", tmp_path / "k"
    make_docx(src / "Deck notes.docx", ["Pricing for hospitals."])
    run("keygen", "--out", key, home=home)
    run("publish", src, "--hub", hub, "--key", key, home=home)
    run("sync", "--hub", hub, "--trust", f"{key}.pub", home=home)
    with subprocess.Popen(
        [sys.executable, str(REPO / "main.py"), "items"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "SATCHEL_HOME": str(home)},
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # the reader is gone before the command writes anything
        stderr = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == 141
    assert stderr == ""


def test_search_corrects_typos_as_the_app_does(tmp_path: Path) -> None:
    """Given a query whose every word is misspelled, the correction's results show at once:
    one line on stderr, and each JSON hit names the corrected query; --as-typed does not."""
    from app.core.library import Library
    from app.core.usage.journal import Journal

    src, hub, home, key = tmp_path / "src", tmp_path / "hub", tmp_path / "home", tmp_path / "k"
    make_pptx(src / "Pitch.pptx", ["Intro", "Pricing for regional hospitals"], title="Pitch")
    make_docx(src / "Brief.docx", ["Partner programme brief for resellers."])
    run("keygen", "--out", key, home=home)
    run("publish", src, "--hub", hub, "--key", key, home=home)
    run("sync", "--hub", hub, "--trust", f"{key}.pub", home=home)

    proc = run("search", "regonal hospitls", "--json", home=home)
    hits = json.loads(proc.stdout)
    assert [h["id"] for h in hits] == ["pitch"]
    assert hits[0]["corrected"] == "regional hospitals"
    assert proc.stderr.strip() == (
        'Showing results for "regional hospitals". '
        'Search instead for "regonal hospitls" with --as-typed.'
    )
    assert (
        json.loads(run("search", "hospitals", "--json", home=home).stdout)[0]["corrected"] is None
    )

    as_typed = run("search", "regonal hospitls", "--as-typed", home=home)
    assert as_typed.stdout.startswith("No results for 'regonal hospitls'.")
    assert 'Did you mean "regional hospitals"?' in as_typed.stdout

    with Library.open(home) as lib:
        searches = [e.data for e in Journal(lib).events() if e.kind == "search"]
    assert {"query": "regonal hospitls", "results": 1, "corrected": "regional hospitals"} in [
        {k: v for k, v in d.items() if k != "weak"} for d in searches
    ]


def test_search_facets_count_the_results_per_value(tmp_path: Path) -> None:
    """``search --json --facets`` prints an object: the same result rows, the total, each
    group's counts of the results (the other groups' filters applied) and what the filters
    hide; without --facets the array is unchanged."""
    src, hub, home, key = tmp_path / "src", tmp_path / "hub", tmp_path / "home", tmp_path / "k"
    make_pptx(src / "Pitch.pptx", ["Hospital pricing"], title="Pitch")
    make_docx(src / "Brief.docx", ["Hospital partner brief."])
    make_docx(src / "Notes.docx", ["Clinic notes, nothing else."])
    (src / "satchel.toml").write_text(
        '["Pitch.pptx"]\ntags = { region = ["DACH"] }\n'
        '["Brief.docx"]\ntags = { region = ["Nordics", "DACH"] }\n'
        '["Notes.docx"]\ntags = { region = ["Nordics"] }\n',
        encoding="utf-8",
    )
    run("keygen", "--out", key, home=home)
    run("publish", src, "--hub", hub, "--key", key, home=home)
    run("sync", "--hub", hub, "--trust", f"{key}.pub", home=home)

    plain = json.loads(run("search", "hospital", "--json", home=home).stdout)
    assert isinstance(plain, list) and len(plain) == 2
    out = json.loads(run("search", "hospital", "--json", "--facets", home=home).stdout)
    assert out["results"] == plain
    assert out["total"] == 2 and out["hidden_by_filters"] == 0
    assert out["facets"] == {
        "region": {"DACH": 2, "Nordics": 1},
        "share": {"external": 2},
        "type": {"docx": 1, "pptx": 1},
    }

    args = ("search", "hospital", "--json", "--facets", "--filter", "type=pptx")
    narrowed = json.loads(run(*args, home=home).stdout)
    assert [r["kind"] for r in narrowed["results"]] == ["pptx"]
    assert narrowed["total"] == 1 and narrowed["hidden_by_filters"] == 1
    # the type group keeps its counts (ticking Word would add 1); region counts PowerPoint only
    assert narrowed["facets"] == {
        "region": {"DACH": 1},
        "share": {"external": 1},
        "type": {"docx": 1, "pptx": 1},
    }

    text = run("search", "hospital", "--facets", "--filter", "type=pptx", home=home).stdout
    assert "region: DACH 1" in text and "1 more result(s) hidden by the filters." in text
