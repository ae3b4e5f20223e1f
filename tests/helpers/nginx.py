"""A real nginx on loopback serving a folder (and accepting WebDAV PUT into inbox/)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")


def nginx_binary() -> str:
    found = shutil.which("nginx") or next((c for c in NGINX_CANDIDATES if Path(c).exists()), None)
    if found is None:
        raise RuntimeError("nginx is not installed; run .ci/run or apt-get install nginx-light")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


CONFIG = """
{user}worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {work}/access.log;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    default_type application/octet-stream;
    sendfile on;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        autoindex {autoindex};
        location /inbox/ {{
            dav_methods PUT;
            create_full_put_path on;
            client_max_body_size 64m;
        }}
    }}
}}
"""


@contextmanager
def serve_folder(root: Path, work: Path, *, autoindex: bool = False) -> Iterator[str]:
    """Serve ``root`` at http://127.0.0.1:PORT/ for the duration of the block.

    ``autoindex`` makes nginx list folders (marketing's report reads a URL hub's inbox so).
    """
    work.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    conf = work / "nginx.conf"
    # as root, nginx would drop to 'nobody', who cannot read pytest's private tmp folders
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(
        CONFIG.format(
            user=user,
            work=work,
            port=port,
            root=root.resolve(),
            autoindex="on" if autoindex else "off",
        )
    )
    proc = subprocess.Popen(
        [nginx_binary(), "-c", str(conf), "-p", str(work), "-e", str(work / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_up(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


def _wait_until_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise RuntimeError(f"nginx exited: {err}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return  # 403/404 on "/" still means it is serving
        except OSError:
            time.sleep(0.05)  # polling a port for readiness, not synchronising test logic
    raise RuntimeError("nginx did not start within 10 s")
