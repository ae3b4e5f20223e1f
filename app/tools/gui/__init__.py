"""Measurements of the desktop app: start-up time and GUI-thread stalls (:mod:`.measure`),
with the stall meter (:mod:`.stall`) that the GUI tests use as well."""
