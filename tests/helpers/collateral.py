"""Small real documents for tests: the makers live in :mod:`app.tools.collateral` (the GUI
measurements use them too); tests import them from here."""

from app.tools.collateral import make_docx, make_pptx, make_text

__all__ = ["make_docx", "make_pptx", "make_text"]
