"""Satchel: an offline, verified, searchable library of approved sales collateral."""

__version__ = "0.1.0"
