"""A hub served by any static web server, object store or CDN: plain GETs only, resumed
with ``Range``. Reads are bounded as :mod:`app.core.hub.transfer` says."""

from __future__ import annotations

import hashlib
import http.client
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import cast

from app.core.catalog import MAX_CATALOG_BYTES, plain_line
from app.core.crashpoints import crashpoint
from app.core.errors import CancelledError, HubError, HubUnreachableError
from app.core.hub import parts
from app.core.hub.durability import local_write_error
from app.core.hub.layout import CATALOG_NAME, FETCH_THREADS, object_relpath
from app.core.hub.protocols import Cancel, Progress
from app.core.hub.transfer import (
    CANCELLED,
    CATALOG_WHAT,
    MIN_BYTES_PER_S,
    Deadline,
    TimeBudget,
    catalog_too_big,
    default_timeout_s,
    never,
    then_what,
    too_slow,
)

_NETWORK_ERRORS = (OSError, http.client.HTTPException, ValueError)


class _RangeNotSatisfiable(Exception):
    pass


class HttpHub:
    """A hub served by any static web server, object store or CDN: plain GETs only.
    Every request opens its own connection, so objects may be fetched from several threads."""

    fetch_threads = FETCH_THREADS

    def __init__(
        self, base_url: str, *, timeout_s: float | None = None, budget: TimeBudget | None = None
    ) -> None:
        self.base = base_url if base_url.endswith("/") else base_url + "/"
        self.location = self.base
        self.timeout_s = default_timeout_s() if timeout_s is None else timeout_s
        self.budget = budget or TimeBudget.default()

    def _url(self, rel: str) -> str:
        return urllib.parse.urljoin(self.base, rel)

    def _unreachable(self, exc: BaseException) -> HubUnreachableError:
        if isinstance(exc, http.client.HTTPException):
            text = "its answer is not HTTP"  # never echo what a hostile server sent
        else:
            reason = getattr(exc, "reason", None) or exc
            text = plain_line(str(reason), 120) or exc.__class__.__name__
        return HubUnreachableError(f"The hub {self.base} is not reachable ({text}).")

    def _open(self, rel: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        req = urllib.request.Request(
            self._url(rel),
            headers={"User-Agent": "Satchel", "Cache-Control": "no-cache", **(headers or {})},
        )
        try:
            resp = urllib.request.urlopen(req, timeout=self.timeout_s)  # noqa: S310
            return cast(http.client.HTTPResponse, resp)
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code == 404:
                raise HubError(f"The hub has no {rel} (HTTP 404 from {self.base}).") from exc
            if exc.code == 416:
                raise _RangeNotSatisfiable(rel) from exc
            raise HubError(f"The hub answered HTTP {exc.code} for {rel}.") from exc
        except _NETWORK_ERRORS as exc:
            raise self._unreachable(exc) from exc

    def _stream(
        self,
        resp: http.client.HTTPResponse,
        limit: int,
        sink: Callable[[bytes], None],
        progress: Progress,
        cancel: Cancel,
        what: str,
        deadline: Deadline,
    ) -> int:
        """Hand at most ``limit`` body bytes to ``sink``; return how many.

        Raises HubUnreachableError when the server stalls, trickles, takes longer than the
        file's time budget (``deadline``, checked as bytes arrive; a silent server is cut
        off by the per-read timeout), or closes the connection before the end of its own
        Content-Length; CancelledError as soon as ``cancel()`` is true between reads.
        """
        declared = resp.getheader("Content-Length")
        expected = int(declared) if declared and declared.strip().isdigit() else None
        start = time.monotonic()
        got = 0
        while got < limit:
            if cancel():
                raise CancelledError(CANCELLED)
            try:
                chunk = resp.read1(min(parts.CHUNK, limit - got))
            except _NETWORK_ERRORS as exc:
                if (elapsed := deadline.overrun(got)) is not None:
                    raise too_slow(self.base, what, got, elapsed) from exc
                raise HubUnreachableError(
                    f"The hub {self.base} stopped answering while sending {what}; "
                    + then_what(what)
                ) from exc
            if not chunk:
                if expected is not None and got < expected:
                    raise HubUnreachableError(
                        f"The hub {self.base} closed the connection after {got:,} of "
                        f"{expected:,} bytes of {what}; " + then_what(what)
                    )
                break
            sink(chunk)
            got += len(chunk)
            progress(len(chunk))
            crashpoint("sync.chunk")
            elapsed = time.monotonic() - start
            if elapsed > self.timeout_s and got < MIN_BYTES_PER_S * elapsed:
                raise too_slow(self.base, what, got, deadline.elapsed())
            if (overrun := deadline.overrun(got)) is not None:
                raise too_slow(self.base, what, got, overrun)
        return got

    def read_catalog(self, cancel: Cancel | None = None) -> bytes:
        pieces: list[bytes] = []
        deadline = Deadline(self.budget)
        with self._open(CATALOG_NAME) as resp:
            declared = resp.getheader("Content-Length") or ""
            if declared.strip().isdigit():
                if int(declared) > MAX_CATALOG_BYTES:
                    raise catalog_too_big()
                deadline.size = int(declared)
            got = self._stream(
                resp,
                MAX_CATALOG_BYTES + 1,
                pieces.append,
                lambda _n: None,
                cancel or never,
                CATALOG_WHAT,
                deadline,
            )
        if got > MAX_CATALOG_BYTES:
            raise catalog_too_big()
        return b"".join(pieces)

    def fetch_object(
        self, sha256: str, size: int, part: Path, progress: Progress, cancel: Cancel
    ) -> None:
        rel = object_relpath(sha256)
        have, h = parts.resume(part, size)
        length = have
        if have < size:
            deadline = Deadline(self.budget, size - have)
            try:
                resp: http.client.HTTPResponse | None = self._open(
                    rel, {"Range": f"bytes={have}-"} if have else {}
                )
            except _RangeNotSatisfiable:  # what we have is all there is
                resp = None
            if resp is not None:
                with resp:
                    offset = self._resume_offset(resp, have, rel)
                    if offset != have:  # the server sends the whole object: start again
                        h, length = hashlib.sha256(), offset
                    try:
                        fout = parts.open_part(part, offset)
                    except OSError as exc:
                        raise local_write_error(exc, part) from exc

                    def sink(chunk: bytes) -> None:
                        h.update(chunk)
                        try:
                            parts.write_chunk(fout, chunk)
                        except OSError as exc:
                            raise local_write_error(exc, part) from exc

                    with fout:
                        try:
                            length += self._stream(
                                resp, size + 1 - offset, sink, progress, cancel, rel, deadline
                            )
                        finally:
                            try:
                                parts.close_part(fout)
                            except OSError as exc:
                                raise local_write_error(exc, part) from exc
        parts.finish_hashed(part, h.hexdigest(), length, sha256, size)

    def _resume_offset(self, resp: http.client.HTTPResponse, have: int, rel: str) -> int:
        """Where the body starts in the object: ``have`` for a matching 206, else 0."""
        if resp.status != 206:
            return 0  # the whole object (a server without ranges): start again
        content_range = resp.getheader("Content-Range") or ""
        unit, _, spec = content_range.partition(" ")
        first = spec.partition("-")[0].strip()
        if unit.strip().lower() != "bytes" or not first.isdigit():
            raise HubError(f"The hub answered a resumed download of {rel} without a valid range.")
        if int(first) not in (0, have):
            raise HubError(
                f"The hub answered a resumed download of {rel} with the wrong range "
                f"({content_range[:80]})."
            )
        return int(first)
