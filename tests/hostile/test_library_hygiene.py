"""The library itself: it writes only where it may, keeps the signing key private, logs no
secrets or document text, and never hands out a file changed by hand as approved."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.helpers.collateral import make_docx, make_pptx
from tests.hostile.conftest import cli_command, cli_env, run_cli

DOC_WORDS = ("zanzibarquartz", "obsidianmarmot")  # only ever inside the documents
NOTE = "flagnote-periwinkle"
REQUEST = "request-tangerine-dossier"
RECIPIENT = "buyer.mcgillicuddy@hospital.example"
QUERY = "marmot"


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if not p.is_dir()}


def test_full_cycle_writes_only_where_allowed_and_logs_no_secrets(tmp_path: Path) -> None:
    home_dir, tmp_dir, cwd = tmp_path / "user-home", tmp_path / "tmpdir", tmp_path / "cwd"
    src, hub, keys, out = tmp_path / "src", tmp_path / "hub", tmp_path / "keys", tmp_path / "out"
    for d in (home_dir, tmp_dir, cwd, out):
        d.mkdir()
    make_pptx(src / "Deck.pptx", ["Intro", f"Pricing {DOC_WORDS[0]}"])
    make_docx(src / "Brief.docx", [f"The {DOC_WORDS[1]} brief"])
    env = {
        "HOME": str(home_dir),
        "TMPDIR": str(tmp_dir),
        "SATCHEL_HOME": "",
        "XDG_DATA_HOME": "",
        "XDG_CONFIG_HOME": "",
        "XDG_CACHE_HOME": "",
        "XDG_STATE_HOME": "",
        "MPLCONFIGDIR": "",
    }
    env = {k: v for k, v in env.items() if v} | {"PYTHONDONTWRITEBYTECODE": "1"}
    base = {k: v for k, v in cli_env().items() if not k.startswith(("XDG_", "SATCHEL_HOME"))}
    full_env = base | env

    def cli(*args: str | Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            ["sh", "-c", 'umask 022; exec "$@"', "sh", *cli_command(*args)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            env=full_env,
            cwd=cwd,
        )
        assert (proc.returncode == 0) == ok, (args, proc.stderr)
        return proc

    key = keys / "marketing.key"
    cli("keygen", "--out", key)
    cli("publish", src, "--hub", hub, "--key", key)
    cli("sync", "--hub", hub, "--trust", key.with_name("marketing.key.pub"))
    cli("items")
    cli("search", QUERY)
    cli("search", DOC_WORDS[0], "--json")
    path = cli("open", "deck", "--print-path").stdout.strip()
    cli("send", "deck", "brief", "--to", RECIPIENT, "--out", out / "draft.eml")
    cli("flag", "brief", "--reason", "outdated", "--note", NOTE)
    cli("request", REQUEST)
    cli("open", "no-such-item", ok=False)
    cli("usage", "export", "--out", out / "usage.csv")
    cli("sync")
    cli("report", "--hub", hub, "--out", out / "report")

    library = home_dir / ".local" / "share" / "Satchel"
    assert Path(path).is_relative_to(library)
    # nothing outside the library home, the hub, the keys and the outputs asked for
    written = _files(home_dir)
    assert all(p.startswith(".local/share/Satchel/") for p in written), sorted(written)
    assert _files(tmp_dir) == set(), sorted(_files(tmp_dir))
    assert _files(cwd) == set(), sorted(_files(cwd))
    # the key pair and the publisher's record of what it published (publisher_state.py)
    assert _files(keys) == {"marketing.key", "marketing.key.pub", "marketing.key.state.json"}
    assert {p.split("/")[0] for p in _files(out)} == {"draft.eml", "usage.csv", "report"}
    assert not any(p.is_symlink() for p in library.rglob("*"))

    # the private key: owner only; the public key: readable by all
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.with_name("marketing.key.pub").stat().st_mode) & 0o044 == 0o044

    # no document text, key material, notes, requests or recipients in the logs
    log_text = "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in (library / "logs").glob("*")
    )
    assert log_text, "the cycle should have logged something"
    pem_body = key.read_text().splitlines()[1]
    for secret in (*DOC_WORDS, NOTE, REQUEST, RECIPIENT, pem_body, "PRIVATE KEY"):
        assert secret not in log_text, f"{secret!r} is in the log"


def test_a_file_changed_by_hand_is_never_opened_as_approved(
    tmp_path: Path, keys: tuple[Path, Path]
) -> None:
    key, pub = keys
    src, hub, home = tmp_path / "src", tmp_path / "hub", tmp_path / "home"
    make_docx(src / "Brief.docx", ["The brief"])
    run_cli("publish", src, "--hub", hub, "--key", key, check=True)
    run_cli("sync", "--hub", hub, "--trust", pub, home=home, check=True)
    path = Path(run_cli("open", "brief", "--print-path", home=home, check=True).stdout.strip())
    data = bytearray(path.read_bytes())
    data[-30] ^= 0xFF  # same size, other bytes: a size check alone would not notice
    path.write_bytes(bytes(data))
    line = run_cli("open", "brief", "--print-path", home=home).assert_one_line_error(
        "changed outside Satchel"
    )
    print(f"\n[library] file changed by hand, then opened: {line}")
    assert not path.exists()
    run_cli("sync", home=home, check=True)  # the approved copy comes back
    again = run_cli("open", "brief", "--print-path", home=home, check=True).stdout.strip()
    assert Path(again).read_bytes() == (hub / "objects").joinpath(*_object_path(again)).read_bytes()


def _object_path(local: str) -> tuple[str, str]:
    sha = Path(local).parent.name
    return sha[:2], sha


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_keygen_refuses_to_overwrite_a_key(tmp_path: Path) -> None:
    key = tmp_path / "k"
    run_cli("keygen", "--out", key, check=True)
    before = key.read_bytes()
    run_cli("keygen", "--out", key).assert_one_line_error("already exists")
    assert key.read_bytes() == before


def test_report_writes_nothing_outside_its_output(tmp_path: Path, keys: tuple[Path, Path]) -> None:
    """matplotlib's font cache goes to a temporary folder, removed when `report` exits."""
    key, _pub = keys
    src, hub, user_home = tmp_path / "src", tmp_path / "hub", tmp_path / "user-home"
    make_docx(src / "Brief.docx", ["The brief"])
    run_cli("publish", src, "--hub", hub, "--key", key, check=True)
    tmp_dir = tmp_path / "tmpdir"
    user_home.mkdir()
    tmp_dir.mkdir()
    env = {
        "HOME": str(user_home),
        "TMPDIR": str(tmp_dir),
        "XDG_CACHE_HOME": "",
        "XDG_CONFIG_HOME": "",
        "MPLCONFIGDIR": "",
    }
    proc = subprocess.run(
        cli_command("report", "--hub", hub, "--out", tmp_path / "report"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={k: v for k, v in (cli_env() | env).items() if v},
    )
    assert proc.returncode == 0, proc.stderr
    assert _files(user_home) == set()
    assert _files(tmp_dir) == set()
