"""Errors a user can act on. Each carries one readable sentence."""

from __future__ import annotations


class SatchelError(Exception):
    """An environment or input problem the user can act on (not a bug in Satchel)."""


class ConfigError(SatchelError):
    """Missing or contradictory configuration (no hub, no trusted key, ...)."""


class HubError(SatchelError):
    """The hub could not be read or written."""


class HubUnreachableError(HubError):
    """The hub is offline or the network is down."""


class TrustError(SatchelError):
    """A catalog or file failed verification: signature, serial or hash."""


class SignatureError(TrustError):
    pass


class RollbackError(TrustError):
    pass


class HashMismatchError(TrustError):
    pass


class UnsafeCatalogError(TrustError):
    """A signed catalog names something a client must never write (paths, bad ids)."""


class CancelledError(SatchelError):
    """The user cancelled a long operation; nothing was changed."""


class NotFoundError(SatchelError):
    pass


class SearchIndexError(SatchelError):
    """The search index cannot be read, even after rebuilding it from the database."""
