"""Ed25519 keys for marketing's signature on the catalog."""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.core.errors import ConfigError, SignatureError


@dataclass(frozen=True, slots=True)
class PublicKey:
    key: Ed25519PublicKey

    @property
    def raw(self) -> bytes:
        return self.key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    @property
    def key_id(self) -> str:
        """A short, stable name for the key: the first 16 hex digits of SHA-256 of its bytes."""
        return hashlib.sha256(self.raw).hexdigest()[:16]

    @property
    def fingerprint(self) -> str:
        """The key id grouped for reading aloud over the phone: ``ab12 cd34 ...``."""
        kid = hashlib.sha256(self.raw).hexdigest()[:32]
        return " ".join(kid[i : i + 4] for i in range(0, len(kid), 4))

    def to_pem(self) -> str:
        return self.key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode("ascii")

    def verify(self, signature: bytes, message: bytes) -> None:
        try:
            self.key.verify(signature, message)
        except InvalidSignature as exc:
            raise SignatureError("The catalog's signature does not verify.") from exc


@dataclass(frozen=True, slots=True)
class SigningKey:
    key: Ed25519PrivateKey

    @property
    def public(self) -> PublicKey:
        return PublicKey(self.key.public_key())

    def sign(self, message: bytes) -> bytes:
        return self.key.sign(message)


def generate_key() -> SigningKey:
    return SigningKey(Ed25519PrivateKey.generate())


def write_key_pair(key: SigningKey, out: Path) -> Path:
    """Write the private key to ``out`` (owner-only) and the public key to ``out.pub``."""
    pub_path = out.with_name(out.name + ".pub")
    if out.exists() or pub_path.exists():
        raise ConfigError(f"{out} or {pub_path.name} already exists; refusing to overwrite a key.")
    pem = key.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    written: list[Path] = []
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        written.append(out)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        written.append(pub_path)
        pub_path.write_text(key.public.to_pem(), encoding="ascii")
    except OSError as exc:
        for path in written:  # half a key pair is no key pair
            path.unlink(missing_ok=True)
        raise ConfigError(
            f"Cannot write the key pair into {out.parent} ({exc.strerror or exc})."
        ) from exc
    return pub_path


def load_signing_key(path: Path) -> SigningKey:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"Cannot read the signing key {path}: {exc.strerror}.") from exc
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{path} is not a Satchel signing key (Ed25519 PEM).") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError(f"{path} is not an Ed25519 key.")
    return SigningKey(key)


def parse_public_key(pem: str | bytes) -> PublicKey:
    data = pem.encode("ascii", "replace") if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise ConfigError("That is not a Satchel public key (Ed25519 PEM).") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise ConfigError("That public key is not an Ed25519 key.")
    return PublicKey(key)


def load_public_key(path: Path) -> PublicKey:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"Cannot read the public key {path}: {exc.strerror}.") from exc
    if b"PRIVATE KEY" in data:
        raise ConfigError(f"{path} is a private key; pass the .pub file to trust.")
    return parse_public_key(data)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
