"""Mail drafts: no title, description, file name or document property can add a header.

Titles come from the hub and from documents' own properties. An RFC 2047 encoded word such
as ``=?utf-8?q?x=0D=0ABcc:_evil@example.com?=`` in a DOCX's title used to become a real
``Bcc:`` line (the email package decodes encoded words in a header value it is given). Every
draft here is parsed back with the standard parser and must have exactly the expected headers.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from app.core.errors import ConfigError
from app.core.library import Library
from app.core.mail_draft import build_draft, check_addresses, header_text
from tests.helpers.collateral import make_docx, make_text
from tests.helpers.hubs import publish_folder, sync_home

REPO = Path(__file__).resolve().parents[1]
HEADERS = {"To", "Subject", "Date", "Message-ID", "X-Unsent", "MIME-Version", "Content-Type"}
PART_HEADERS = {"Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "MIME-Version"}
EVIL = "evil@example.com"

_b64 = base64.b64encode(b"x\r\nBcc: evil@example.com").decode()
CRAFTED = {
    "encoded word, q": "=?utf-8?q?x=0D=0ABcc:_evil@example.com?=",
    "encoded word, b": f"=?utf-8?b?{_b64}?=",
    "encoded word, upper case Q": "Deck =?UTF-8?Q?=0ABcc:_evil@example.com?= 2026",
    "raw CR LF": "Deck\r\nBcc: evil@example.com",
    "raw LF": "Deck\nBcc: evil@example.com",
    "U+2028 line separator": "Deck\u2028Bcc: evil@example.com",
    "U+0085 next line": "Deck\x85Bcc: evil@example.com",
    "U+2029 paragraph separator": "Deck\u2029Bcc: evil@example.com",
    "vertical tab and form feed": "Deck\x0b\x0cBcc: evil@example.com",
    "very long": "Hospital pricing " * 400 + "=?utf-8?q?=0ABcc:_evil@example.com?=",
    "very long word": "A" * 5000,
    "RFC 2231 parameter": "a\"; filename*=utf-8''%0D%0ABcc:%20evil@example.com",
    "quotes and backslashes": 'Deck "2026" \\ =?x?q?y?= \\"',
}


def parse(draft: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(draft)
    assert isinstance(message, EmailMessage)
    return message


def assert_only_expected_headers(message: EmailMessage, *, sender: bool = False) -> None:
    assert set(message.keys()) == HEADERS | ({"From"} if sender else set())
    assert len(message.keys()) == len(set(message.keys()))  # none repeated
    assert "Bcc" not in message and "Cc" not in message
    for part in message.iter_parts():
        assert set(part.keys()) <= PART_HEADERS, part.keys()
    for name, value in message.items():
        assert "\n" not in str(value) and "\r" not in str(value), (name, value)


@pytest.fixture
def attachment(tmp_path: Path) -> Path:
    path = tmp_path / "file.bin"
    path.write_bytes(b"%PDF-1.4 exact bytes\r\n\x00\xff")
    return path


@pytest.mark.parametrize("name", list(CRAFTED))
def test_crafted_titles_and_names_add_no_header(name: str, attachment: Path) -> None:
    text = CRAFTED[name]
    draft = build_draft(
        [(attachment, text + ".pdf")],
        to=["buyer@hospital.example"],
        subject=text,
        body=f"Please find attached:\n- {text}",
        sender="Jane Doe <jane@northwind.example>",
    )
    message = parse(draft)
    assert_only_expected_headers(message, sender=True)
    assert message["To"] == "buyer@hospital.example"
    assert message["From"].addresses[0].addr_spec == "jane@northwind.example"
    assert message["X-Unsent"] == "1"
    subject = str(message["Subject"])
    assert subject == header_text(text) and "=?" not in subject
    (part,) = message.iter_attachments()
    filename = part.get_filename()
    assert filename is not None and "\n" not in filename and "=?" not in filename
    assert filename.endswith(".pdf") and len(filename) <= 255
    assert part.get_content() == attachment.read_bytes()  # byte for byte
    assert EVIL not in {a.addr_spec for a in message["To"].addresses}


def test_header_text_keeps_ordinary_titles() -> None:
    for title in ("Hospital pricing 2026", "Preise für Kliniken – Q3", "R&D <draft> v2?", "a=b"):
        assert header_text(title) == title
    assert header_text("x=?y") == "x= ?y"


def test_encoded_words_are_shown_literally(attachment: Path) -> None:
    text = CRAFTED["encoded word, q"]
    message = parse(build_draft([(attachment, "a.pdf")], to=["b@c.example"], subject=text, body=""))
    assert str(message["Subject"]) == "= ?utf-8?q?x=0D=0ABcc:_evil@example.com?="


def test_addresses_cannot_carry_encoded_words() -> None:
    with pytest.raises(ConfigError, match="is not an e-mail address"):
        check_addresses(["=?utf-8?q?x=0ABcc:_e@x.example?=@b.example"])
    assert check_addresses(["a@b.example; c@d.example"]) == ["a@b.example", "c@d.example"]


def test_a_sender_that_is_not_an_address_is_left_out(attachment: Path) -> None:
    draft = build_draft(
        [(attachment, "a.pdf")],
        to=["b@c.example"],
        subject="Deck",
        body="",
        sender="Jane\r\nBcc: evil@example.com",
    )
    assert_only_expected_headers(parse(draft))


def test_cli_send_of_a_docx_with_a_crafted_title(
    tmp_path: Path, signing_key: tuple[Path, Path]
) -> None:
    """The full path: a DOCX whose own title property hides a Bcc, published, synced and
    sent with the command; a file name with an encoded word too."""
    key, pub = signing_key
    src, hub, home = tmp_path / "src", tmp_path / "hub", tmp_path / "home"
    crafted = CRAFTED["encoded word, q"]
    make_docx(src / "Offer.docx", ["Our offer"], title=crafted)
    make_text(src / "=?utf-8?b?eA0KQmNjOiBldmlsQGV4YW1wbGUuY29t?=.txt", "Terms.")
    publish_folder(src, hub, key)
    sync_home(home, hub, pub)
    with Library.open(home) as lib:
        items = {i.filename: i for i in lib.items()}
        offer = items["Offer.docx"]
        assert offer.title == crafted  # the catalog keeps the title as published
        terms = next(i for name, i in items.items() if name.endswith(".txt"))
        offer_bytes = lib.file_path(offer).read_bytes()

    out = tmp_path / "draft.eml"
    proc = subprocess.run(
        [sys.executable, str(REPO / "main.py"), "--home", str(home), "send", offer.id]
        + [terms.id, "--to", "buyer@hospital.example", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ},
    )
    assert proc.returncode == 0, proc.stderr
    message = parse(out.read_bytes())
    assert_only_expected_headers(message)
    assert "=?" not in str(message["Subject"]) and "Bcc" in str(message["Subject"])
    names = [part.get_filename() for part in message.iter_attachments()]
    assert names[0] == "Offer.docx"
    assert names[1] is not None and "=?" not in names[1] and names[1].endswith(".txt")
    assert next(message.iter_attachments()).get_content() == offer_bytes
