"""Hostile documents made on the fly: zip bombs, XML bombs, looping PDFs, sparse giants, and
file names that try to break things. Every generator writes real bytes (PDFs by hand) and is
quick: the bombs are small on disk and only huge when someone expands them.
"""

from __future__ import annotations

import os
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{main}" ContentType="{ctype}"/></Types>'
)
_MAIN = {
    "docx": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
    "xlsx": (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
}
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

# --------------------------------------------------------------------------- zip bombs


def _ooxml_zip(path: Path, kind: str) -> zipfile.ZipFile:
    main, ctype = _MAIN[kind]
    zf = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    zf.writestr("[Content_Types].xml", CONTENT_TYPES.format(main=main, ctype=ctype))
    return zf


def zip_bomb(path: Path, kind: str, expanded_mb: int = 200) -> Path:
    """An OOXML package whose main part inflates to ``expanded_mb`` MB (about 1000:1)."""
    main, _ctype = _MAIN[kind]
    with _ooxml_zip(path, kind) as zf, zf.open(main, "w", force_zip64=True) as part:
        part.write(f"<?xml version='1.0'?><w:document {_W}><w:body><w:p><w:r><w:t>".encode())
        block = b"A" * (1 << 20)
        for _ in range(expanded_mb):
            part.write(block)
        part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return path


def many_parts_zip(path: Path, kind: str, parts: int = 12_000) -> Path:
    """An OOXML package with more parts than any real document (a cheap parser DoS)."""
    with _ooxml_zip(path, kind) as zf:
        zf.writestr(_MAIN[kind][0], "<x/>")
        for n in range(parts):
            zf.writestr(zipfile.ZipInfo(f"junk/{n}.xml"), b"")
    return path


def lying_size_zip(path: Path, kind: str, real_mb: int = 50) -> Path:
    """A package whose main part *declares* 1 KB but inflates to ``real_mb`` MB."""
    zip_bomb(path, kind, real_mb)
    data = bytearray(path.read_bytes())
    main = _MAIN[kind][0].encode()
    # local header: sizes at 18 (compressed) and 22 (uncompressed); zip64 extra holds them too
    for sig, name_len_at, size_at, extra_len_at, header in (
        (b"PK\x03\x04", 26, 22, 28, 30),
        (b"PK\x01\x02", 28, 24, 30, 46),
    ):
        at = data.find(sig)
        while at >= 0:
            name_len = struct.unpack_from("<H", data, at + name_len_at)[0]
            name = bytes(data[at + header : at + header + name_len])
            if name == main:
                struct.pack_into("<I", data, at + size_at, 1024)
                extra_len = struct.unpack_from("<H", data, at + extra_len_at)[0]
                extra_at = at + header + name_len
                _patch_zip64_extra(data, extra_at, extra_len)
            at = data.find(sig, at + 4)
    path.write_bytes(bytes(data))
    return path


def _patch_zip64_extra(data: bytearray, at: int, length: int) -> None:
    end = at + length
    while at + 4 <= end:
        tag, size = struct.unpack_from("<HH", data, at)
        if tag == 0x0001 and size >= 8:
            struct.pack_into("<Q", data, at + 4, 1024)  # the first field: uncompressed size
        at += 4 + size


# --------------------------------------------------------------------------- XML bombs

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'
        for n in range(1, 10)
    )
    + "]>\n"
)
XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE r [\n <!ENTITY xxe SYSTEM "file:///etc/passwd">\n'
    ' <!ENTITY remote SYSTEM "http://127.0.0.1:9/steal">\n]>\n'
)


def xml_bomb_package(path: Path, kind: str, prolog: str, entity: str) -> Path:
    """An OOXML package whose main part declares entities and uses ``&entity;``."""
    body = (
        f"{prolog}<w:document {_W}><w:body><w:p><w:r><w:t>&{entity};</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    with _ooxml_zip(path, kind) as zf:
        zf.writestr(_MAIN[kind][0], body)
        if kind == "xlsx":
            zf.writestr("xl/sharedStrings.xml", f"{prolog}<sst><si><t>&{entity};</t></si></sst>")
    return path


def utf16_xxe_package(path: Path) -> Path:
    """The XXE hidden in a UTF-16 part (a byte-level scanner looking for "<!DOCTYPE" misses)."""
    text = XXE.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    body = text + f"<w:document {_W}><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body>"
    with _ooxml_zip(path, "docx") as zf:
        zf.writestr(_MAIN["docx"][0], (body + "</w:document>").encode("utf-16"))
    return path


# --------------------------------------------------------------------------- PDFs by hand


def pdf_bytes(objects: list[bytes], *, root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF with a correct cross-reference table around ``objects`` (numbered from 1).

    ``trailer_extra`` may contain ``{xref}``, replaced by the xref table's own offset.
    """
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    extra = trailer_extra.replace(b"{xref}", b"%d" % xref_at)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\n" % (len(objects) + 1, root, extra)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def _stream(data: bytes, length: bytes | None = None) -> bytes:
    size = length if length is not None else b"%d" % len(data)
    return b"<< /Length " + size + b" >>\nstream\n" + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
_TEXT = _stream(b"BT /F1 24 Tf 72 700 Td (pdfloopword) Tj ET")


def _page(parent: int, contents: int, font: int, extra: bytes = b"") -> bytes:
    return (
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
        b"/Resources << /Font << /F1 %d 0 R >> >> %s>>" % (parent, contents, font, extra)
    )


def pdf_pages_loop() -> bytes:
    """The page tree lists itself among its own kids."""
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R 2 0 R] /Count 3 >>",
            _page(2, 4, 5),
            _TEXT,
            _FONT,
        ]
    )


def pdf_parent_loop() -> bytes:
    """Two page-tree nodes that are each other's parent and kid."""
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Parent 6 0 R /Kids [6 0 R] /Count 1 >>",
            _page(6, 4, 5),
            _TEXT,
            _FONT,
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1 >>",
        ]
    )


def pdf_xref_prev_loop() -> bytes:
    """The trailer's /Prev points back at its own cross-reference table."""
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _page(2, 4, 5),
            _TEXT,
            _FONT,
        ],
        trailer_extra=b"/Prev {xref} ",
    )


def pdf_length_loop() -> bytes:
    """A content stream whose /Length is an indirect reference that refers back to itself."""
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _page(2, 4, 5),
            _stream(b"BT /F1 24 Tf 72 700 Td (lenword) Tj ET", b"6 0 R"),
            _FONT,
            b"7 0 R",
            b"6 0 R",
        ],
    )


def pdf_deep_nesting(depth: int = 100_000) -> bytes:
    """Arrays and dictionaries nested ``depth`` levels deep, reachable from the catalog."""
    arrays = b"[" * depth + b"]" * depth
    dicts = b"<< /A " * depth + b">>" * depth
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Deep 6 0 R /Deeper 7 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _page(2, 4, 5, b"/Deep 6 0 R "),
            _TEXT,
            _FONT,
            arrays,
            dicts,
        ],
    )


def pdf_graphics_state_bomb(saves: int = 200_000) -> bytes:
    """A page that pushes the graphics state 200,000 times and draws with each."""
    ops = b"q 1 0 0 1 0.001 0 cm " * saves + b"BT /F1 24 Tf 72 700 Td (qword) Tj ET" + b" Q" * saves
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _page(2, 4, 5),
            _stream(ops),
            _FONT,
        ],
    )


def pdf_huge_page() -> bytes:
    """A page a billion points wide: rendering its thumbnail must scale, not allocate."""
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1000000000 1000000000] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            _TEXT,
            _FONT,
        ],
    )


def pdf_ok(word: str) -> bytes:
    """A small valid one-page PDF containing ``word``."""
    text = _stream(b"BT /F1 24 Tf 72 700 Td (%s) Tj ET" % word.encode("ascii"))
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _page(2, 4, 5),
            text,
            _FONT,
        ],
    )


# --------------------------------------------------------------------------- the set


def sparse_file(path: Path, size: int, head: bytes = b"") -> Path:
    """A file of ``size`` bytes that takes no disk space (truncate), starting with ``head``."""
    with path.open("wb") as fh:
        fh.write(head)
        fh.truncate(size)
    return path


def _png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def _docx(path: Path, words: str) -> Path:
    from tests.helpers.collateral import make_docx

    return make_docx(path, [words])


# name -> writer; names are str (Unicode) unless they must be raw bytes on disk
HOSTILE_NAMES: dict[str, str] = {
    "unicode": "Präsentation – Übersicht 日本語 🚀.txt",
    "rtl_override": "invoice\u202efdp.txt",  # shows as "invoicetxt.pdf"
    "rtl_mark": "\u200fright-to-left mark.txt",
    "newline": "line\nbreak.txt",
    "tab_cr": "tab\there\rcr.txt",
    "escape_seq": "\x1b[31mred\x1b[0m.txt",
    "bytes_255": "n" * 251 + ".txt",
    "multibyte_255": "é" * 125 + ".txt",
    "windows_reserved": "CON.txt",
    "trailing_dot": "trailing dot.",
    "backslash_colon": "back\\slash and colon:name.txt",
    "shell_meta": "$(touch pwned) `id`; rm -rf ~.txt",
    "leading_dash": "-rf --help.txt",
}


def write_hostile_set(folder: Path) -> dict[str, str]:
    """Write every hostile file into ``folder``; return {relative path: what it is}.

    The relative paths are as ``scan_source`` reports them (invalid UTF-8 is spelled with
    backslash escapes there). The 4 GB sparse giants are made by their own (slow) test.
    """
    folder.mkdir(parents=True, exist_ok=True)
    made: dict[str, str] = {}

    def put(name: str, what: str, data: bytes | Callable[[Path], object]) -> None:
        path = folder / name
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            data(path)
        made[name] = what

    for kind in ("docx", "pptx", "xlsx"):
        put(
            f"zip-bomb.{kind}",
            f"zip bomb ({kind}, 200 MB inflated)",
            lambda p, k=kind: zip_bomb(p, k),
        )
        put(
            f"lying-sizes.{kind}",
            f"zip declaring 1 KB, inflating 50 MB ({kind})",
            lambda p, k=kind: lying_size_zip(p, k),
        )
        put(
            f"laughs.{kind}",
            f"billion laughs ({kind})",
            lambda p, k=kind: xml_bomb_package(p, k, BILLION_LAUGHS, "lol9"),
        )
        put(
            f"xxe.{kind}",
            f"external entity /etc/passwd ({kind})",
            lambda p, k=kind: xml_bomb_package(p, k, XXE, "xxe"),
        )
    put("many-parts.xlsx", "12,000 zip members", lambda p: many_parts_zip(p, "xlsx"))
    put("xxe-utf16.docx", "XXE in a UTF-16 part", utf16_xxe_package)
    put("laughs.svg", "billion laughs as SVG", (BILLION_LAUGHS + "<svg>&lol9;</svg>").encode())
    put("xxe.svg", "external entity as SVG", (XXE + "<svg>&xxe;</svg>").encode())
    put(
        "laughs.html",
        "billion laughs as HTML",
        (BILLION_LAUGHS + "<html><body>&lol9; htmlword</body></html>").encode(),
    )

    put("pages-loop.pdf", "PDF page tree that contains itself", pdf_pages_loop())
    put("parent-loop.pdf", "PDF page nodes parenting each other", pdf_parent_loop())
    put("xref-prev-loop.pdf", "PDF xref /Prev pointing at itself", pdf_xref_prev_loop())
    put("length-loop.pdf", "PDF stream /Length reference loop", pdf_length_loop())
    put("deep-nesting.pdf", "PDF with 100,000-deep arrays and dicts", pdf_deep_nesting())
    put(
        "gstate-bomb.pdf", "PDF pushing the graphics state 200,000 times", pdf_graphics_state_bomb()
    )
    put("huge-page.pdf", "PDF page a billion points wide", pdf_huge_page())
    put("truncated.pdf", "PDF cut in half", pdf_ok("truncword")[:300])

    put("empty.docx", "zero bytes (.docx)", b"")
    put("empty.pdf", "zero bytes (.pdf)", b"")
    put("empty.txt", "zero bytes (.txt)", b"")
    put("no-extension", "zero bytes, no extension", b"")

    put("really-a-pdf.docx", "PDF named .docx", pdf_ok("wrongextpdfword"))
    put("really-a-docx.pdf", "DOCX named .pdf", lambda p: _renamed_docx(p, "wrongextdocxword"))
    put("really-a-png.xlsx", "PNG named .xlsx", _png())
    put("random-bytes.pptx", "random bytes named .pptx", os.urandom(4096))
    put("really-text.mp4", "text named .mp4", b"videotextword plain text in a video's clothes")
    put("program.pdf", "ELF executable named .pdf", Path("/bin/true").read_bytes()[:65536])

    for key, name in HOSTILE_NAMES.items():
        put(name, f"file name: {key}", f"namedword {key}".encode())
    raw = os.fsencode(folder) + b"/bad-\xff\xfe-utf8.txt"
    with open(raw, "wb") as fh:  # noqa: PTH123 - a bytes path cannot be a pathlib.Path
        fh.write(b"namedword invalid utf8")
    made["bad-\\udcff\\udcfe-utf8.txt"] = "file name: bytes that are not UTF-8"

    return made


def _renamed_docx(path: Path, word: str) -> Path:
    tmp = path.with_name(path.name + ".tmp.docx")
    _docx(tmp, word)
    tmp.replace(path)
    return path


def write_corpus_links(corpus_hostile: Path, folder: Path) -> dict[str, str]:
    """Copy the shared hostile corpus (Apache POI / Tika regression files) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    made: dict[str, str] = {}
    for src in sorted(corpus_hostile.iterdir()):
        if src.is_file():
            (folder / src.name).write_bytes(src.read_bytes())
            made[f"{folder.name}/{src.name}"] = f"shared corpus: {src.name}"
    return made
