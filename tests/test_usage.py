"""The usage journal and its upload: durable, append-only, never lost, never doubled."""

from __future__ import annotations

import csv
import email
import email.policy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.hub import FolderInbox, HttpInbox
from app.core.library import Library
from app.core.settings import load_settings, save_settings
from app.core.usage.batch import decode_batch
from app.core.usage.journal import Journal, pending_event_count
from app.core.usage.upload import upload_pending
from tests.helpers.collateral import make_docx, make_pptx
from tests.helpers.hubs import publish_folder, sync_home
from tests.helpers.nginx import serve_folder

REPO = Path(__file__).resolve().parents[1]


def cli(
    *args: str | Path, home: Path, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, str(REPO / "main.py"), "--home", str(home), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, **(env or {})},
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"{args}: {proc.stderr}")
    return proc


@pytest.fixture
def synced(tmp_path: Path, signing_key: tuple[Path, Path]) -> tuple[Path, Path]:
    key, pub = signing_key
    src, hub, home = tmp_path / "src", tmp_path / "hub", tmp_path / "home"
    make_pptx(src / "Pitch.pptx", ["Intro", "Hospital pricing"])
    make_docx(src / "Brief.docx", ["Partner brief"])
    make_docx(src / "Untouched.docx", ["Nobody opens this"])
    publish_folder(src, hub, key)
    sync_home(home, hub, pub)
    return home, hub


def inbox_events(hub: Path) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for f in sorted((hub / "inbox").rglob("*.json")):
        batch = decode_batch(f.read_bytes())
        out += [
            {"id": e.id, "kind": e.kind, "item": e.item_id, "rep": batch.rep, **e.data}
            for e in batch.events
        ]
    return out


def test_rep_actions_reach_the_inbox_once(synced: tuple[Path, Path], tmp_path: Path) -> None:
    home, hub = synced
    cli("open", "pitch", "--print-path", home=home)  # printing a path is not an open
    eml = tmp_path / "draft.eml"
    cli("send", "pitch", "brief", "--to", "buyer@hospital.example", "--out", eml, home=home)
    cli("flag", "brief", "--reason", "outdated", "--note", "2024 prices", home=home)
    cli("request", "case study for German hospitals", "--account", "Klinikum", home=home)
    cli("search", "zebra unicorn", home=home)
    cli("sync", home=home)
    cli("sync", home=home)  # a second sync uploads nothing new

    events = inbox_events(hub)
    kinds = sorted(str(e["kind"]) for e in events)
    assert kinds == ["flag", "request", "search", "send", "send"]
    assert len({e["id"] for e in events}) == len(events)
    assert next(e for e in events if e["kind"] == "search")["results"] == 0

    msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert msg["X-Unsent"] == "1" and msg["To"] == "buyer@hospital.example"
    attached = {p.get_filename(): p.get_content() for p in msg.iter_attachments()}
    with Library.open(home) as lib:
        assert attached["Pitch.pptx"] == lib.file_path(lib.item("pitch")).read_bytes()
        assert pending_event_count(lib) == 0


def test_pseudonymised_uploads_hide_the_rep(synced: tuple[Path, Path]) -> None:
    home, hub = synced
    with Library.open(home) as lib:
        settings = load_settings(lib)
        settings.rep_email, settings.pseudonymise = "jane.doe@northwind.example", True
        save_settings(lib, settings)
        journal = Journal(lib)
        journal.record_many(
            "send", [lib.item("pitch")], {"recipients": ["cfo@hospital.example"], "account": None}
        )
        journal.record("open", item=lib.item("brief"))
        upload_pending(lib, FolderInbox(hub))
        device = journal.device_id()
    raw = b"".join(f.read_bytes() for f in (hub / "inbox").rglob("*.json"))
    assert b"jane.doe" not in raw and b"cfo@" not in raw
    events = inbox_events(hub)
    assert {e["rep"] for e in events} == {next(iter({e["rep"] for e in events}))}
    assert str(events[0]["rep"]).startswith("rep-")
    assert (hub / "inbox" / device).is_dir()  # the device id stays stable and visible


def test_upload_over_http_put_to_nginx(synced: tuple[Path, Path], tmp_path: Path) -> None:
    home, hub = synced
    with serve_folder(hub, tmp_path / "nginx") as url, Library.open(home) as lib:
        journal = Journal(lib)
        for _ in range(3):
            journal.record("preview", item=lib.item("pitch"), data={"location": 2})
        first = upload_pending(lib, HttpInbox(url))
        second = upload_pending(lib, HttpInbox(url))
    assert first.events_sent == 3 and second.events_sent == 0
    assert len(inbox_events(hub)) == 3


def test_failed_upload_keeps_events_queued(synced: tuple[Path, Path], tmp_path: Path) -> None:
    home, hub = synced
    with Library.open(home) as lib:
        Journal(lib).record("open", item=lib.item("pitch"))
        with pytest.raises(Exception, match="not reachable"):
            upload_pending(lib, HttpInbox("http://127.0.0.1:9/"))
        assert pending_event_count(lib) == 1
        assert upload_pending(lib, FolderInbox(hub)).events_sent == 1
        assert pending_event_count(lib) == 0


@pytest.mark.parametrize("point", ["upload.pack", "upload.before_put", "upload.after_put"])
def test_sync_killed_during_upload_loses_and_doubles_nothing(
    synced: tuple[Path, Path], point: str
) -> None:
    """Given 12,000 queued events, when a real `sync` is SIGKILLed inside the upload at
    `point`, then the next sync ships every event exactly once."""
    home, hub = synced
    with Library.open(home) as lib:
        item = lib.item("pitch")
        with lib.sessions.begin() as s:
            from app.core.models import Event
            from app.core.timeutil import utcnow

            now = utcnow()
            s.add_all(
                Event(
                    id=f"00000000-0000-4000-8000-{n:012d}",
                    kind="open",
                    time=now,
                    rep="r",
                    item_id=item.id,
                    version=1,
                    sha256=item.sha256,
                    data={},
                )
                for n in range(12_000)
            )
    killed = cli("sync", home=home, env={"SATCHEL_CRASHPOINT": f"{point}:2"}, check=False)
    assert killed.returncode == -9
    cli("sync", home=home)
    ids = [e["id"] for e in inbox_events(hub)]
    # batch files written twice (re-sent after a kill) carry the same ids: count unique
    assert len(set(ids)) == 12_000
    files = list((hub / "inbox").rglob("*.json"))
    assert sum(len(json.loads(f.read_bytes())["events"]) for f in files) == 12_000


def test_usage_export_lists_my_events(synced: tuple[Path, Path], tmp_path: Path) -> None:
    home, _hub = synced
    cli("open", "pitch", "--print-path", home=home)
    cli("flag", "pitch", "--reason", "incorrect", "--note", "wrong price, slide 2", home=home)
    out = tmp_path / "mine.csv"
    cli("usage", "export", "--out", out, home=home)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id,time,kind,item_id")
    assert len(lines) == 2 and "wrong price, slide 2" in lines[1]  # --print-path: no event


def test_uses_after_a_search_carry_it_and_the_report_counts_searches_left_unopened(
    synced: tuple[Path, Path], tmp_path: Path
) -> None:
    home, hub = synced
    shown = json.loads(cli("search", "pricing", "--json", home=home).stdout)
    assert [h["id"] for h in shown][:1] == ["pitch"]
    eml = tmp_path / "draft.eml"
    cli("send", "pitch", "brief", "--to", "buyer@hospital.example", "--out", eml, home=home)
    cli("search", "partner", home=home)  # shows the brief; nothing is opened after it
    cli("search", "hospital zebra unicorn okapi", home=home)  # best hit holds 1 word of 4
    cli("sync", home=home)

    events = inbox_events(hub)
    searches = {str(e["query"]): e for e in events if e["kind"] == "search"}
    sends = {str(e["item"]): e for e in events if e["kind"] == "send"}
    assert sends["pitch"]["search_id"] == searches["pricing"]["id"]
    assert sends["pitch"]["rank"] == 1
    assert "search_id" not in sends["brief"]  # the pricing search did not show it
    assert searches["hospital zebra unicorn okapi"].get("weak") is True
    assert "weak" not in searches["pricing"]

    out = tmp_path / "report"
    cli("report", "--hub", hub, "--out", out, home=home)
    with (out / "searches.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["query"]: r for r in csv.DictReader(fh)}
    assert rows["pricing"]["searches_without_open"] == "0"
    assert rows["partner"]["searches_without_open"] == "1"
    assert rows["hospital zebra unicorn okapi"]["weak_result_searches"] == "1"
    assert rows["pricing"]["weak_result_searches"] == "0"
