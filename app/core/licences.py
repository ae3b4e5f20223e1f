"""The licences of the libraries a packaged Satchel ships, read from their own metadata."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterable
from dataclasses import dataclass

BUNDLED = (
    "PySide6-Essentials",
    "PySide6-Addons",
    "shiboken6",
    "whoosh3",
    "SQLAlchemy",
    "watchdog",
    "platformdirs",
    "cryptography",
    "pypdfium2",
    "python-pptx",
    "python-docx",
    "openpyxl",
    "defusedxml",
    "Pillow",
    "filelock",
    "matplotlib",
    "lxml",
    "numpy",
)

QT_LICENCE_URL = "https://www.gnu.org/licenses/lgpl-3.0.html"
QT_OBLIGATIONS_URL = "https://www.qt.io/licensing/open-source-lgpl-obligations"
QT_SOURCE_URL = "https://download.qt.io/official_releases/qt/"
PYSIDE_SOURCE_URL = "https://download.qt.io/official_releases/QtForPython/"
QT_NOTICE = (
    "Satchel uses Qt and Qt for Python (PySide6, shiboken6) under the GNU Lesser General "
    "Public License version 3 (LGPLv3). They are linked dynamically: you may replace them "
    "with versions of your own. Their complete source code is available from the Qt "
    "Project; on request, we will provide the source code of the exact versions shipped "
    "with this build, for three years from its release, at no more than the cost of "
    "providing it."
)
_LONG = 100  # a License field longer than this is the licence text itself, not its name


@dataclass(frozen=True, slots=True)
class Licence:
    name: str
    version: str
    licence: str


def _field(meta: importlib.metadata.PackageMetadata, name: str) -> str:
    values = meta.get_all(name) or []
    return str(values[0]).strip() if values else ""


def licence_of(meta: importlib.metadata.PackageMetadata) -> str:
    """The licence a package's metadata declares: ``License-Expression``, a short
    ``License`` field, the trove classifiers, or the first line of a long ``License``."""
    expression = _field(meta, "License-Expression")
    if expression:
        return expression
    field = _field(meta, "License")
    if field and "\n" not in field and len(field) <= _LONG and field.upper() != "UNKNOWN":
        return field
    prefix = "License :: "
    classified = [
        c.rpartition(" :: ")[2]
        for c in meta.get_all("Classifier") or []
        if c.startswith(prefix) and c.rpartition(" :: ")[2] != "OSI Approved"
    ]
    if classified:
        return " / ".join(dict.fromkeys(classified))
    if field:
        first = field.splitlines()[0].strip()
        return first if len(first) <= _LONG else first[: _LONG - 1] + "…"
    return "not declared"


def bundled_licences(names: Iterable[str] = BUNDLED) -> list[Licence]:
    """Name, version and licence of each library in ``names`` that is installed."""
    out = []
    for name in names:
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        meta = dist.metadata
        out.append(Licence(name, dist.version, licence_of(meta)))
    return out
