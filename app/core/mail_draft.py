"""Sending collateral: an RFC 5322 draft with the files attached byte for byte.

The message carries ``X-Unsent: 1``, so Outlook, Apple Mail and Thunderbird open it as a
draft the rep can still edit and send from their own account; it works offline.

Titles and file names come from the hub (and from documents' own properties), so no text
that goes into a header can add or break one: line breaks and other control or separator
characters become spaces, and ``=?`` (the start of an RFC 2047 encoded word, which the email
package would decode - ``=?utf-8?q?x=0D=0ABcc:_evil@example.com?=`` into a real ``Bcc:``
line) becomes ``= ?``, so it stays the literal text it was.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Sequence
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path

from app.core.catalog import plain_line
from app.core.errors import ConfigError

ADDRESS_RE = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\"]+$")
MAX_SUBJECT_CHARS = 900  # folded over several lines; far more than any mail program shows
MAX_NAME_CHARS = 255
_ENCODED_WORD_START = re.compile(r"=\?")
_SENDER_RE = re.compile(r"^(?:(?P<name>[^<>]*)<(?P<address>[^<>\s]+)>|(?P<bare>[^<>\s]+))$")


def header_text(text: str, limit: int = MAX_SUBJECT_CHARS) -> str:
    """``text`` made safe for a header: one line of printable text (control, format, line
    and paragraph separator characters become spaces), with every ``=?`` written ``= ?`` so
    the email package cannot decode an encoded word hidden in it into new header lines."""
    return _ENCODED_WORD_START.sub("= ?", plain_line(text, limit))


def attachment_name(name: str) -> str:
    """A file name for an attachment's Content-Disposition (see :func:`header_text`)."""
    stem, dot, ext = name.rpartition(".")
    ext = header_text(ext, 16) if dot else ""
    if not ext or " " in ext or len(ext) >= 16:  # not an extension: cut the whole name
        return header_text(name, MAX_NAME_CHARS) or "attachment"
    # keep the extension when the name is cut: it tells mail programs the type
    return f"{header_text(stem, MAX_NAME_CHARS - len(ext) - 1) or 'attachment'}.{ext}"


def check_addresses(addresses: Sequence[str]) -> list[str]:
    out = []
    for raw in addresses:
        for part in re.split(r"[,;]", raw):
            address = part.strip()
            if not address:
                continue
            if not ADDRESS_RE.match(address) or "=?" in address:
                raise ConfigError(f"{address!r} is not an e-mail address.")
            out.append(address)
    if not out:
        raise ConfigError("Give at least one recipient with --to.")
    return out


def _sender(sender: str) -> str | None:
    """The From header for the rep's own address as typed in the settings ("jane@x.com" or
    "Jane Doe <jane@x.com>"); None when it is not an address (the mail program fills in the
    account's own)."""
    match = _SENDER_RE.match(plain_line(sender, MAX_SUBJECT_CHARS))
    if match is None:
        return None
    name = (match["name"] or "").strip().strip('"').strip()
    address = match["address"] or match["bare"]
    if not ADDRESS_RE.match(address) or "=?" in address:
        return None
    return formataddr((header_text(name), address)) if name else address


def build_draft(
    attachments: Sequence[tuple[Path, str]],
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    sender: str | None = None,
) -> bytes:
    """``attachments`` are (local file, name to show). Returns the message's bytes.

    ``to`` and ``sender`` must be plain addresses (:func:`check_addresses`); ``subject`` and
    the names may be anything: they are made safe for their headers here."""
    msg = EmailMessage(policy=SMTP)
    msg["To"] = ", ".join(check_addresses(to))
    if sender and (from_header := _sender(sender)):
        msg["From"] = from_header
    msg["Subject"] = header_text(subject)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain="satchel.invalid")
    msg["X-Unsent"] = "1"
    msg.set_content(body)
    for path, name in attachments:
        ctype, encoding = mimetypes.guess_type(attachment_name(name))
        if ctype is None or encoding is not None:
            ctype = "application/octet-stream"
        maintype, subtype = ctype.split("/", 1)
        msg.add_attachment(
            path.read_bytes(),
            maintype=maintype,
            subtype=subtype,
            filename=attachment_name(name),
        )
    return msg.as_bytes()
