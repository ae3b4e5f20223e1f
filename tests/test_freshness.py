"""Freshness: the signed catalog says when it was published and until when it is vouched for.

Past its ``valid_until`` a rep is warned (``sync`` prints a sentence on stderr, exit 0), also
when the hub keeps serving that same old catalog; content stays usable. ``publish
--valid-days N`` sets the period, ``publish --refresh`` re-signs an unchanged catalog.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete

from app.core.catalog import (
    Catalog,
    catalog_to_json,
    envelope_payload,
    parse_catalog,
    sign_catalog,
    verify_envelope,
)
from app.core.freshness import VALID_UNTIL_KEY, Freshness, human_date, library_freshness
from app.core.library import Library
from app.core.models import Meta
from app.core.publish import publish
from app.core.signing import load_public_key, load_signing_key
from app.core.timeutil import utcnow
from tests.helpers.collateral import make_docx, make_text
from tests.helpers.hubs import snapshot, sync_home
from tests.hostile.conftest import run_cli


@pytest.fixture
def source(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    make_docx(src / "Pitch.docx", ["Hospital pricing and discount bands."])
    make_text(src / "faq.txt", "Battery lasts nine days.")
    return src


def _catalog(hub: Path, pub: Path) -> Catalog:
    return parse_catalog(verify_envelope((hub / "catalog.json").read_bytes(), load_public_key(pub)))


def _payload(hub: Path) -> dict[str, object]:
    env = json.loads((hub / "catalog.json").read_bytes())
    return dict(json.loads(str(envelope_payload(env))))


def _resign_old(hub: Path, key: Path, pub: Path, *, published: datetime, until: datetime) -> None:
    """Marketing's key signs the hub's items again under the next serial, as a catalog
    published at ``published`` and valid until ``until`` (what a frozen hub keeps serving)."""
    catalog = _catalog(hub, pub)
    catalog.serial += 1
    catalog.created_at = published
    catalog.valid_until = until
    (hub / "catalog.json").write_bytes(sign_catalog(catalog, load_signing_key(key)))


def test_the_catalog_carries_its_publish_date_and_valid_until(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    when = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    publish(source, tmp_path / "hub", load_signing_key(key), workers=1, now=when)
    catalog = _catalog(tmp_path / "hub", pub)
    assert catalog.created_at == when
    assert catalog.valid_until == when + timedelta(days=30)  # the default
    assert _payload(tmp_path / "hub")["valid_until"] == "2027-01-02T09:30:00Z"

    publish(source, tmp_path / "hub7", load_signing_key(key), workers=1, now=when, valid_days=7)
    assert _catalog(tmp_path / "hub7", pub).valid_until == when + timedelta(days=7)


def test_a_catalog_signed_before_the_field_existed_has_no_limit(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    publish(source, tmp_path / "hub", load_signing_key(key), workers=1)
    raw = _payload(tmp_path / "hub")
    del raw["valid_until"]
    old = parse_catalog(json.dumps(raw))
    assert old.valid_until is None
    assert "valid_until" in catalog_to_json(old)  # written as null from now on
    stale = Freshness(published_at=utcnow() - timedelta(days=400), valid_until=None)
    assert not stale.expired() and stale.warning() is None


def test_refresh_re_signs_the_same_items_with_the_next_serial_and_a_new_valid_until(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    hub, home = tmp_path / "hub", tmp_path / "home"
    first = datetime(2026, 12, 3, tzinfo=UTC)
    signing = load_signing_key(key)
    publish(source, hub, signing, workers=1, now=first, key_path=key)
    sync_home(home, hub, pub)
    before = _payload(hub)

    later = first + timedelta(days=25)
    unchanged = publish(source, hub, signing, workers=1, now=later, key_path=key)
    assert not unchanged.changed and unchanged.serial == 1
    assert unchanged.summary() == (
        f"Hub unchanged (serial 1). Its catalog is valid until {human_date(first + timedelta(30))}."
    )

    refreshed = publish(
        source, hub, signing, workers=1, now=later, key_path=key, refresh=True, valid_days=60
    )
    assert refreshed.changed and refreshed.refreshed and refreshed.serial == 2
    until = later + timedelta(days=60)
    assert refreshed.summary() == (
        f"Refreshed serial 2: the same items as serial 1, now valid until {human_date(until)}."
    )
    after = _payload(hub)
    assert after["serial"] == 2 and after["valid_until"] == "2027-02-26T00:00:00Z"
    for field in ("serial", "valid_until"):
        before.pop(field), after.pop(field)
    assert after == before  # items, index, created_at: nothing else changed

    synced = sync_home(home, hub, pub)
    assert synced.serial == 2 and not (synced.new or synced.updated or synced.withdrawn)
    with Library.open(home) as lib:
        assert library_freshness(lib) == Freshness(first, until)


def test_valid_days_and_refresh_from_the_command_line(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    hub = tmp_path / "hub"
    out = run_cli("publish", source, "--hub", hub, "--key", key, "--valid-days", "5", check=True)
    until = _catalog(hub, pub).valid_until
    assert until is not None
    assert out.stdout.splitlines()[0].endswith(f" Valid until {human_date(until)}.")
    assert until - _catalog(hub, pub).created_at == timedelta(days=5)

    again = run_cli("publish", source, "--hub", hub, "--key", key, "--refresh", check=True)
    assert again.stdout.startswith("Refreshed serial 2: the same items as serial 1")
    assert _catalog(hub, pub).valid_until - until > timedelta(days=24)  # 30 days from now

    for bad in ("0", "100000"):
        refused = run_cli("publish", source, "--hub", hub, "--key", key, "--valid-days", bad)
        refused.assert_one_line_error("days a catalog is valid", bad)
    assert _catalog(hub, pub).serial == 2


def test_sync_shows_the_library_date_and_warns_past_valid_until_even_when_up_to_date(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    """Given a hub that keeps serving a catalog past its valid-until, when a rep syncs, then
    `sync` prints the library's date, warns in one sentence on stderr naming the dates, and
    exits 0 with everything usable - and warns again on the next, "up to date", sync."""
    key, pub = signing_key
    hub, home = tmp_path / "hub", tmp_path / "home"
    run_cli("publish", source, "--hub", hub, "--key", key, check=True)
    fresh = run_cli("sync", "--hub", hub, "--trust", pub, home=home, check=True)
    catalog = _catalog(hub, pub)
    assert fresh.stderr == ""
    assert fresh.stdout.splitlines()[-1] == (
        f"Library from {human_date(catalog.created_at)}, valid until "
        f"{human_date(catalog.created_at + timedelta(days=30))}."
    )

    published = utcnow() - timedelta(days=45)
    until = published + timedelta(days=30)
    _resign_old(hub, key, pub, published=published, until=until)
    for _ in range(2):
        stale = run_cli("sync", home=home)
        assert stale.returncode == 0, stale.stderr
        assert stale.stdout.splitlines()[-1] == (
            f"Library from {human_date(published)}, valid until {human_date(until)}."
        )
        (warning,) = stale.stderr.splitlines()
        assert warning.startswith("satchel: warning: The hub's catalog (published ")
        assert human_date(published) in warning and human_date(until) in warning
    assert "up to date" in stale.stdout
    assert set(snapshot(home)) == {"pitch", "faq"}  # a warning, not a lock-out
    path = run_cli("open", "pitch", "--print-path", home=home, check=True).stdout.strip()
    assert Path(path).is_file()

    quiet = run_cli("sync", "--quiet", home=home)
    assert quiet.stdout.splitlines() == [quiet.stdout.strip()]  # only the summary
    assert quiet.stderr.startswith("satchel: warning: ")


def test_a_library_synced_before_freshness_was_recorded_records_it_on_the_next_sync(
    source: Path, tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    key, pub = signing_key
    hub, home = tmp_path / "hub", tmp_path / "home"
    publish(source, hub, load_signing_key(key), workers=1)
    sync_home(home, hub, pub)
    with Library.open(home) as lib, lib.sessions.begin() as s:
        s.execute(delete(Meta).where(Meta.key == VALID_UNTIL_KEY))  # as an older app left it
    again = sync_home(home, hub, pub)
    assert again.up_to_date
    with Library.open(home) as lib:
        assert library_freshness(lib).valid_until == _catalog(hub, pub).valid_until
