"""Sending collateral: an RFC 5322 draft with the files attached byte for byte.

The message carries ``X-Unsent: 1``, so Outlook, Apple Mail and Thunderbird open it as a
draft the rep can still edit and send from their own account; it works offline.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Sequence
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from pathlib import Path

from app.core.errors import ConfigError

ADDRESS_RE = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\"]+$")


def check_addresses(addresses: Sequence[str]) -> list[str]:
    out = []
    for raw in addresses:
        for part in re.split(r"[,;]", raw):
            address = part.strip()
            if not address:
                continue
            if not ADDRESS_RE.match(address):
                raise ConfigError(f"{address!r} is not an e-mail address.")
            out.append(address)
    if not out:
        raise ConfigError("Give at least one recipient with --to.")
    return out


def build_draft(
    attachments: Sequence[tuple[Path, str]],
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    sender: str | None = None,
) -> bytes:
    """``attachments`` are (local file, name to show). Returns the message's bytes."""
    msg = EmailMessage(policy=SMTP)
    msg["To"] = ", ".join(to)
    if sender:
        msg["From"] = sender
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain="satchel.invalid")
    msg["X-Unsent"] = "1"
    msg.set_content(body)
    for path, name in attachments:
        ctype, encoding = mimetypes.guess_type(name)
        if ctype is None or encoding is not None:
            ctype = "application/octet-stream"
        maintype, subtype = ctype.split("/", 1)
        msg.add_attachment(path.read_bytes(), maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()
