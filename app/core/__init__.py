"""Satchel's core services. Nothing in this package imports Qt."""
