"""Errors the report raises: each carries one readable sentence for marketing."""

from __future__ import annotations

from app.core.errors import SatchelError


class ReportError(SatchelError):
    """The usage report could not be made."""


class ReportInputError(ReportError):
    """A report option is wrong (a bad date, an impossible window, an unusable folder)."""


class ReportDatabaseError(ReportError):
    """The report database cannot be opened, created or written."""


class HubNotListableError(ReportError):
    """An http(s) hub that does not list its ``inbox/`` folder, so batches cannot be found."""
