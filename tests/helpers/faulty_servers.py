"""Deliberately faulty static web servers for hub tests.

:class:`FaultyHub` serves a hub folder over HTTP from a thread on 127.0.0.1 (GET with byte
ranges, PUT into ``inbox/``), and misbehaves on request: set :attr:`FaultyHub.fault` to a
:class:`Fault` at any time. Everything is bounded: a stalled answer waits at most
``STALL_LIMIT_S`` (and is released at once when the server stops), an endless answer stops
after ``ENDLESS_LIMIT`` bytes, and stopping the server joins every handler thread.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

STALL_LIMIT_S = 60.0
ENDLESS_LIMIT = 512 << 20
HTML_ERROR = (
    b"<!DOCTYPE html><html><head><title>Service Unavailable</title></head>"
    b"<body><h1>We'll be right back</h1><p>The site is down for maintenance.</p></body></html>"
)

FAULTS = (
    "ok",  # a correct static server with byte ranges
    "stall",  # accept the request, never answer
    "stall_body",  # send headers and `after_bytes` of the body, then go silent
    "truncate",  # promise the whole body (Content-Length), send `after_bytes`, close
    "short_length",  # Content-Length claims half the body
    "html200",  # every answer is a 200 HTML error page
    "status500",  # every answer is HTTP 500
    "garbage",  # not HTTP at all
    "trickle",  # the body `trickle_bytes` (1) at a time, every `trickle_s` seconds
    "no_range",  # ignores Range: always 200 with the whole body
    "wrong_range",  # 206 with a Content-Range that starts elsewhere
    "endless",  # 200 without Content-Length and a body that never ends
)


@dataclass
class Fault:
    kind: str = "ok"
    # "all", "catalog" (catalog.json only), "objects" (objects/ only), or one object's sha
    paths: str = "all"
    after_bytes: int = 0
    trickle_s: float = 0.05
    trickle_bytes: int = 1  # bytes sent every trickle_s ("trickle")

    def __post_init__(self) -> None:
        if self.kind not in FAULTS:
            raise ValueError(f"unknown fault {self.kind!r}")

    def applies(self, rel: str) -> bool:
        if self.kind == "ok":
            return False
        if self.paths == "catalog":
            return rel == "catalog.json"
        if self.paths == "objects":
            return rel.startswith("objects/")
        if self.paths != "all":
            return rel.endswith(f"/{self.paths}")
        return True


@dataclass
class Request:
    method: str
    path: str
    range: str | None
    status: int = 0
    body_bytes: int = 0


@dataclass
class _State:
    root: Path
    fault: Fault = field(default_factory=Fault)
    release: threading.Event = field(default_factory=threading.Event)
    stalled: threading.Event = field(default_factory=threading.Event)
    log: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        pass

    @property
    def state(self) -> _State:
        return self.server.state

    def _rel(self) -> str:
        return urllib.parse.unquote(urllib.parse.urlsplit(self.path).path).lstrip("/")

    def _file(self, rel: str) -> Path | None:
        root = self.state.root.resolve()
        path = (root / rel).resolve()
        if root not in path.parents or not path.is_file():
            return None
        return path

    def _record(self, req: Request) -> Request:
        with self.state.lock:
            self.state.log.append(req)
        return req

    def _stall(self) -> None:
        self.state.stalled.set()
        self.state.release.wait(STALL_LIMIT_S)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        rel = self._rel()
        req = self._record(Request("GET", rel, self.headers.get("Range")))
        fault = self.state.fault
        kind = fault.kind if fault.applies(rel) else "ok"
        # the client giving up mid-answer is what some faults are for
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, TimeoutError):
            self._answer(rel, req, kind, fault)

    def _send_head(self, req: Request, status: int, headers: dict[str, str]) -> None:
        req.status = status
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()

    def _write(self, req: Request, data: bytes) -> None:
        self.wfile.write(data)
        req.body_bytes += len(data)

    def _answer(self, rel: str, req: Request, kind: str, fault: Fault) -> None:
        if kind == "stall":
            self._stall()
            return
        if kind == "garbage":
            self.wfile.write(b"SATCHEL? NEVER HEARD OF IT\r\n\r\n\x00\xff")
            return
        if kind == "status500":
            self._send_head(req, 500, {"Content-Length": "0"})
            return
        if kind == "html200":
            self._send_head(
                req, 200, {"Content-Type": "text/html", "Content-Length": str(len(HTML_ERROR))}
            )
            self._write(req, HTML_ERROR)
            return
        if kind == "endless":
            self._send_head(req, 200, {"Content-Type": "application/octet-stream"})
            block = b'{"format": "satchel-signed/1", "payload": "' + b"A" * (1 << 20)
            while req.body_bytes < ENDLESS_LIMIT and not self.state.release.is_set():
                self._write(req, block)
            return
        path = self._file(rel)
        if path is None:
            self._send_head(req, 404, {"Content-Length": "0"})
            return
        size = path.stat().st_size
        start = 0
        status = 200
        wanted = self.headers.get("Range")
        if wanted and wanted.startswith("bytes=") and kind != "no_range":
            first = wanted[6:].partition("-")[0]
            start = int(first) if first.isdigit() else 0
            if start >= size:
                self._send_head(
                    req, 416, {"Content-Range": f"bytes */{size}", "Content-Length": "0"}
                )
                return
            status = 206
        with path.open("rb") as fh:
            fh.seek(start)
            body = fh.read()
        headers = {"Content-Type": "application/octet-stream", "Content-Length": str(len(body))}
        if status == 206:
            claimed = start + 7 if kind == "wrong_range" else start
            headers["Content-Range"] = f"bytes {claimed}-{size - 1}/{size}"
        if kind == "short_length":
            headers["Content-Length"] = str(len(body) // 2)
        self._send_head(req, status, headers)
        if kind in ("truncate", "stall_body"):
            self._write(req, body[: fault.after_bytes])
            self.wfile.flush()
            if kind == "stall_body":
                self._stall()
            return
        if kind == "trickle":
            step = max(1, fault.trickle_bytes)
            for n in range(0, len(body), step):
                if self.state.release.wait(fault.trickle_s):
                    return
                self._write(req, body[n : n + step])
                self.wfile.flush()
            return
        self._write(req, body)

    def do_PUT(self) -> None:  # noqa: N802
        rel = self._rel()
        req = self._record(Request("PUT", rel, None))
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length)
        root = self.state.root.resolve()
        dest = (root / rel).resolve()
        if not rel.startswith("inbox/") or root not in dest.parents:
            self._send_head(req, 403, {"Content-Length": "0"})
            return
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.put")
        tmp.write_bytes(data)
        tmp.replace(dest)
        self._send_head(req, 201, {"Content-Length": "0"})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = True  # server_close() joins every handler thread

    def __init__(self, state: _State) -> None:
        self.state = state
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client hanging up mid-answer is expected here


class FaultyHub:
    """A hub folder served over HTTP that misbehaves on demand. Use :func:`serve_faulty`."""

    def __init__(self, root: Path) -> None:
        self._state = _State(root)
        self._server = _Server(self._state)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    @property
    def fault(self) -> Fault:
        return self._state.fault

    @fault.setter
    def fault(self, value: Fault) -> None:
        self._state.fault = value
        self._state.stalled.clear()

    @property
    def requests(self) -> list[Request]:
        with self._state.lock:
            return list(self._state.log)

    def clear_log(self) -> None:
        with self._state.lock:
            self._state.log.clear()

    def wait_stalled(self, timeout: float = 30.0) -> bool:
        """True once a request has been stalled (an event, not a sleep)."""
        return self._state.stalled.wait(timeout)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._state.release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


@contextmanager
def serve_faulty(root: Path) -> Iterator[FaultyHub]:
    hub = FaultyHub(root)
    hub.start()
    try:
        yield hub
    finally:
        hub.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
