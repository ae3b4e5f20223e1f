"""A real PostgreSQL server on loopback for the duration of a test session.

``postgres_url`` (session-scoped) starts one server in a fresh temporary folder and yields
an SQLAlchemy URL (``postgresql+psycopg://...``); ``postgres_db`` gives each test its own
empty database on it. PostgreSQL refuses to run as root, so when the tests run as root the
server runs as the unprivileged ``postgres`` user (created if missing) through ``runuser``.
Readiness is ``pg_ctl start -w`` (the server says when it accepts connections): no sleeps.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
PG_USER = "postgres"
SUPERUSER = "satchel"
INSTALL_HINT = "install it with: apt-get install postgresql"


def postgres_bin_dir() -> Path:
    """The newest installed PostgreSQL's bin folder (Debian layout first, then PATH)."""
    candidates = [p for p in Path("/").glob(PG_BIN_GLOB.lstrip("/")) if (p / "initdb").is_file()]

    def version(p: Path) -> tuple[int, ...]:
        name = p.parent.name
        return tuple(int(x) for x in name.split(".") if x.isdigit()) or (0,)

    if candidates:
        return max(candidates, key=version)
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    raise RuntimeError(f"PostgreSQL is not installed (no initdb/pg_ctl found); {INSTALL_HINT}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_user() -> pwd.struct_passwd | None:
    """The account the server runs as: None for the current user; ``postgres`` under root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(PG_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER],
            check=True,
            capture_output=True,
        )
        return pwd.getpwnam(PG_USER)


class _Runner:
    def __init__(self, user: pwd.struct_passwd | None, bin_dir: Path) -> None:
        self.user = user
        self.bin_dir = bin_dir
        self.env = {
            "PATH": f"{bin_dir}:/usr/sbin:/usr/bin:/sbin:/bin",
            "LC_ALL": "C",
            "LANG": "C",
            "HOME": user.pw_dir if user else os.environ.get("HOME", "/tmp"),
        }

    def __call__(
        self, tool: str, *args: str, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin_dir / tool), *args]
        if self.user is not None:
            cmd = ["runuser", "-u", self.user.pw_name, "--", *cmd]
        result = subprocess.run(
            cmd, env=self.env, capture_output=True, text=True, stdin=subprocess.DEVNULL
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"{tool} failed ({result.returncode}): {result.stderr.strip() or result.stdout}"
            )
        return result

    def chown(self, path: Path) -> None:
        if self.user is not None:
            os.chown(path, self.user.pw_uid, self.user.pw_gid)


SETTINGS = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{sock}'
max_connections = 40
shared_buffers = 128MB
logging_collector = off
"""
FAST_SETTINGS = """
fsync = off
synchronous_commit = off
full_page_writes = off
"""


@contextmanager
def running_postgres(*, durable: bool = False) -> Iterator[str]:
    """Run a throw-away server; yields its SQLAlchemy URL (database ``postgres``).

    ``durable=False`` (tests) turns fsync off; measurements pass ``durable=True``.
    """
    bin_dir = postgres_bin_dir()
    run = _Runner(_server_user(), bin_dir)
    root = Path(tempfile.mkdtemp(prefix="satchel-pg-"))
    data, sock, log = root / "data", root / "sock", root / "server.log"
    started = False
    try:
        sock.mkdir()
        for path in (root, sock):
            run.chown(path)
        init = ["-D", str(data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C"]
        run("initdb", *init, *([] if durable else ["--no-sync"]))
        base_conf = (data / "postgresql.conf").read_text()
        for _attempt in range(3):
            port = _free_port()
            conf = base_conf + SETTINGS.format(port=port, sock=sock)
            (data / "postgresql.conf").write_text(conf + ("" if durable else FAST_SETTINGS))
            result = run("pg_ctl", "-D", str(data), "-l", str(log), "-w", "-t", "60", "start",
                         check=False)  # fmt: skip
            if result.returncode == 0:
                started = True
                break
            text = log.read_text(errors="replace") if log.exists() else result.stderr
            if "could not bind" not in text and "already in use" not in text:
                raise RuntimeError(f"PostgreSQL did not start: {text.strip()[-2000:]}")
        if not started:
            raise RuntimeError("PostgreSQL did not start: no free port after 3 tries")
        yield f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{port}/postgres"
    finally:
        if started:
            run("pg_ctl", "-D", str(data), "-m", "fast", "-w", "-t", "60", "stop", check=False)
        shutil.rmtree(root, ignore_errors=True)


def create_database(server_url: str, name: str | None = None) -> str:
    """A new empty database on the server; returns its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = name or f"t_{uuid.uuid4().hex[:16]}"
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server for the whole session (its ``postgres`` database)."""
    try:
        with running_postgres() as url:
            yield url
    except RuntimeError as exc:
        if "not installed" in str(exc):
            pytest.fail(str(exc), pytrace=False)
        raise


@pytest.fixture
def postgres_db(postgres_url: str) -> str:
    """An empty database of its own for one test."""
    return create_database(postgres_url)
