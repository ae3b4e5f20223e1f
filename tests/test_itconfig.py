"""IT's configuration file presets and locks the hub and key; flags still win."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.errors import ConfigError
from app.core.itconfig import load_it_config
from tests.helpers.collateral import make_docx
from tests.helpers.hubs import publish_folder

REPO = Path(__file__).resolve().parents[1]


def test_machine_locks_beat_user_values(tmp_path: Path) -> None:
    machine, user = tmp_path / "machine.toml", tmp_path / "user.toml"
    machine.write_text('hub = "/srv/hub"\nsync_interval_min = 60\nlocked = ["hub"]\n')
    user.write_text('hub = "/home/me/hub"\nsync_interval_min = 15\n')
    config = load_it_config(machine, user)
    assert config.hub == "/srv/hub" and config.is_locked("hub")
    assert config.sync_interval_min == 15  # not locked: the user's value wins


def test_bad_config_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('hubb = "typo"\n')
    with pytest.raises(ConfigError, match="unknown key 'hubb'"):
        load_it_config(bad, tmp_path / "none.toml")


def test_cli_sync_honours_the_config_file(tmp_path: Path, signing_key: tuple[Path, Path]) -> None:
    key, pub = signing_key
    make_docx(tmp_path / "src" / "Brief.docx", ["Configured by IT"])
    publish_folder(tmp_path / "src", tmp_path / "hub", key)
    config = tmp_path / "satchel.toml"
    config.write_text(f'hub = "{tmp_path / "hub"}"\ntrusted_key = "{pub}"\n')
    env = {**os.environ, "SATCHEL_CONFIG": str(config), "SATCHEL_HOME": str(tmp_path / "home")}
    run = subprocess.run(
        [sys.executable, str(REPO / "main.py"), "sync"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "1 new" in run.stdout
