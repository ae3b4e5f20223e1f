"""Office files rendered to PDF by LibreOffice headless, bounded in time and memory.

    pdfs = render_pdfs(paths, timeout_s=60, memory_mb=2048)   # {path: Rendered}

LibreOffice (``soffice``; ``SATCHEL_SOFFICE`` names another program) runs as a child process
in its own process group, with its own fresh profile (``-env:UserInstallation``) inside a
temporary folder that is always removed, an address-space limit (RLIMIT_AS) and a CPU-time
limit (RLIMIT_CPU) where :mod:`resource` exists, and a wall-clock timeout after which the
whole group is killed. It starts slowly (2-5 s, more on a busy machine), so several files go
to one call (:data:`BATCH`); when a call is killed or crashes, the file it stopped at and the
next are tried again alone and the rest together (:func:`render_pdfs`), so one hostile file
costs its own timeout and no other file's preview. Inputs are linked into the temporary
folder under numbered names (no two outputs collide, no file name reaches the command line).
Nothing here raises for a bad file: it gets a reason instead of a PDF.

The PDF is LibreOffice's output from an untrusted file: callers check it (page count,
thumbnail) in the extraction sandbox before shipping it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

resource: ModuleType | None
try:
    import resource
except ImportError:  # Windows: the timeout is the only bound
    resource = None

__all__ = [
    "NOT_INSTALLED",
    "OFFICE_SUFFIXES",
    "SOFFICE_ENV",
    "Rendered",
    "find_soffice",
    "render_pdfs",
]


def _option(name: str) -> str:
    return json.dumps({name: {"type": "boolean", "value": "true"}}, separators=(",", ":"))


#: What is rendered, and how: every slide (hidden ones too) is a page, so slide N of the
#: extracted text is page N of the PDF; every sheet is one page, so sheet N is page N.
_FILTERS = {
    ".pptx": "pdf:impress_pdf_Export:" + _option("ExportHiddenSlides"),
    ".odp": "pdf:impress_pdf_Export:" + _option("ExportHiddenSlides"),
    ".xlsx": "pdf:calc_pdf_Export:" + _option("SinglePageSheets"),
    ".ods": "pdf:calc_pdf_Export:" + _option("SinglePageSheets"),
    ".docx": "pdf:writer_pdf_Export",
    ".odt": "pdf:writer_pdf_Export",
}
#: OOXML and ODF documents, decks and sheets.
OFFICE_SUFFIXES = frozenset(_FILTERS)
SOFFICE_ENV = "SATCHEL_SOFFICE"
NOT_INSTALLED = "LibreOffice is not installed."
BATCH = 8
#: Start-up allowance of one call on top of the per-file timeout.
STARTUP_S = 30.0
MAX_PDF_BYTES = 512 * 1024 * 1024
_POLL_S = 0.2


@dataclass(frozen=True, slots=True)
class Rendered:
    """A file's PDF (``pdf`` a path in ``folder`` the caller owns), or why there is none."""

    pdf: Path | None
    reason: str | None = None


def find_soffice() -> str | None:
    """The LibreOffice program to run, or None when there is none. ``SATCHEL_SOFFICE``
    set to a program uses it; set empty, renditions are off."""
    named = os.environ.get(SOFFICE_ENV)
    if named is not None:
        return shutil.which(named) if named.strip() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    mac = Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")
    return str(mac) if mac.is_file() else None


# complexity: LibreOffice's start, per-file wait, cleanup
def render_pdfs(
    paths: Sequence[Path],
    out_dir: Path,
    *,
    timeout_s: float = 60,
    memory_mb: int = 2048,
    startup_s: float = STARTUP_S,
    soffice: str | None = None,
    cancel: Callable[[], bool] = lambda: False,
    on_done: Callable[[Path, Rendered], None] | None = None,
) -> dict[Path, Rendered]:
    """Render each of ``paths`` to a PDF in ``out_dir`` (which must exist; named by the
    input's position); returns ``{path: Rendered}`` for every path. ``timeout_s`` is per
    file: a call has ``startup_s`` + ``timeout_s`` for its first PDF, then ``timeout_s`` for
    each next one.

    LibreOffice converts a call's files in order. A call that ends normally settles every
    file in it (one without a PDF could not be converted). A call that is killed or crashes
    settles the files converted before the first one without a PDF (the last PDF written is
    not trusted: it may be cut off); that file and the next - one of them stopped it - are
    tried again alone, and the rest together, so a hostile file costs a call or two."""
    program = soffice or find_soffice()
    out: dict[Path, Rendered] = {}
    if program is None:
        return {p: Rendered(None, NOT_INSTALLED) for p in paths}
    limits = (timeout_s, startup_s, memory_mb)

    def settle(path: Path, result: Rendered) -> None:
        out[path] = result
        if on_done is not None:
            on_done(path, result)

    queue = deque(_batches(paths))
    while queue and not cancel():
        batch = queue.popleft()
        done, status = _run(program, batch, out_dir, limits, cancel)
        missing = [(n, p) for n, p in batch if done.get(p) is None]
        if status == "ok" or len(batch) == 1 or not missing:
            for _n, p in batch:
                settle(p, done.get(p) or Rendered(None, _failure(status, timeout_s)))
            continue
        first = batch.index(missing[0])
        for _n, p in batch[:first]:
            settle(p, done.get(p) or Rendered(None, _failure("ok", timeout_s)))
        for _n, p in batch[first:]:
            if (result := done.get(p)) is not None:
                settle(p, result)
        rest = missing[2:]
        if rest:
            queue.appendleft(rest)
        for suspect in reversed(missing[:2]):  # alone, first
            queue.appendleft([suspect])
    for p in paths:
        if p not in out:
            settle(p, Rendered(None, "Cancelled."))
    return out


def _batches(paths: Sequence[Path]) -> list[list[tuple[int, Path]]]:
    """Up to :data:`BATCH` files per call, one filter per call: the files of a kind together."""
    numbered = sorted(enumerate(paths), key=lambda np: _filter(np[1]))
    batches: list[list[tuple[int, Path]]] = []
    for n, path in numbered:
        last = batches[-1] if batches else None
        if last is not None and _filter(last[0][1]) == _filter(path) and len(last) < BATCH:
            last.append((n, path))
        else:
            batches.append([(n, path)])
    return batches


def _failure(status: str, timeout_s: float) -> str:
    if status == "timeout":
        return f"LibreOffice hit the time limit ({timeout_s:g} s)."
    if status == "cancelled":
        return "Cancelled."
    if status == "ok":
        return "LibreOffice could not convert it."
    return "LibreOffice failed on it (it crashed or ran out of memory)."


def _run(
    program: str,
    batch: list[tuple[int, Path]],
    out_dir: Path,
    limits: tuple[float, float, int],
    cancel: Callable[[], bool],
) -> tuple[dict[Path, Rendered | None], str]:
    """One LibreOffice call for ``batch``: its results (None for a file without a PDF) and
    how it ended. ``limits``: seconds per file, seconds to start, megabytes of memory."""
    with tempfile.TemporaryDirectory(prefix="satchel-render-") as tmp:
        work = Path(tmp)
        inputs, outputs = work / "in", work / "out"
        inputs.mkdir()
        outputs.mkdir()
        args: list[str] = []
        for n, path in batch:
            link = inputs / f"{n:05d}{path.suffix.lower()}"
            try:
                link.symlink_to(path.resolve())
            except OSError:
                shutil.copyfile(path, link)
            args.append(str(link))
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            _filter(batch[0][1]),
            "--outdir",
            str(outputs),
            *args,
        ]
        status = _call(command, work, limits, len(batch), cancel)
        found: dict[Path, Rendered | None] = {}
        produced = [(n, p, outputs / f"{n:05d}.pdf") for n, p in batch]
        present = [(n, p, pdf) for n, p, pdf in produced if pdf.is_file()]
        if status != "ok" and present:
            present = present[:-1]  # the last one may have been cut off mid-write
        for n, p, pdf in present:
            found[p] = _keep(pdf, out_dir / f"{n:05d}.pdf")
        return found, status


def _filter(path: Path) -> str:
    return _FILTERS.get(path.suffix.lower(), "pdf")


def _keep(pdf: Path, dest: Path) -> Rendered:
    try:
        size = pdf.stat().st_size
        if size == 0 or size > MAX_PDF_BYTES:
            return Rendered(None, "LibreOffice made no usable PDF.")
        shutil.move(str(pdf), dest)
    except OSError as exc:
        return Rendered(None, f"The PDF could not be kept ({exc.strerror or exc}).")
    return Rendered(dest)


def _call(
    command: list[str],
    work: Path,
    limits: tuple[float, float, int],
    count: int,
    cancel: Callable[[], bool],
) -> str:
    """Run ``command`` on ``count`` files; "ok", "failed", "timeout" or "cancelled". It has
    start-up plus ``timeout_s`` for its first PDF, then ``timeout_s`` for each next one (never
    more than start-up plus ``count`` x ``timeout_s`` in all). Its whole process group is
    killed afterwards in every case (LibreOffice may leave a helper behind)."""
    timeout_s, startup_s, memory_mb = limits
    limit_s = startup_s + timeout_s * count
    scratch = work / "tmp"  # LibreOffice's own temporary files go in the folder removed after
    scratch.mkdir(exist_ok=True)
    env = {**os.environ, "HOME": str(work), "SAL_USE_VCLPLUGIN": "svp"}
    env.update({name: str(scratch) for name in ("TMPDIR", "TMP", "TEMP")})
    try:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=work,
            env=env,
            start_new_session=True,
            preexec_fn=_limiter(memory_mb, limit_s) if resource is not None else None,
        )
    except OSError:
        return "failed"
    status = "ok"
    started = time.monotonic()
    deadline = started + startup_s + timeout_s
    made = 0
    try:
        while True:
            try:
                code = proc.wait(timeout=_POLL_S)
                status = "ok" if code == 0 else "failed"
                break
            except subprocess.TimeoutExpired:
                if cancel():
                    status = "cancelled"
                    break
                now = time.monotonic()
                done = len(list((work / "out").glob("*.pdf")))
                if done > made:  # progress: the next file gets its own time
                    made, deadline = done, min(now + timeout_s, started + limit_s)
                if now >= deadline:
                    status = "timeout"
                    break
    finally:
        _kill_group(proc)
    return status


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
    else:
        with contextlib.suppress(OSError):
            proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


def _limiter(memory_mb: int, cpu_s: float) -> Callable[[], None]:
    """Runs in the child between fork and exec: only setrlimit calls (no locks taken, so
    safe even when the parent has threads)."""

    def limit() -> None:
        assert resource is not None
        for which, value in (
            (resource.RLIMIT_AS, memory_mb * 1024 * 1024),
            (resource.RLIMIT_CPU, int(cpu_s) + 1),
            (resource.RLIMIT_CORE, 0),
        ):
            with contextlib.suppress(ValueError, OSError):
                _soft, hard = resource.getrlimit(which)
                cap = value if hard == resource.RLIM_INFINITY else min(value, hard)
                resource.setrlimit(which, (cap, hard))

    return limit
