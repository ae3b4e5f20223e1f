"""Generate Satchel's bundled demo collateral library under ``resources/demo/``.

The demo company is *Northwind Medical* (fictional): patient-monitoring devices
(VitalWatch V3 bedside monitor, VitalWatch Go wearable sensor) and a SaaS platform
(CareCloud) sold to hospitals, clinics and elder-care homes in DACH, the Nordics,
UK&I and North America. All text is original and all names are invented.

Output (committed, so the app never needs this package at run time):

* ``resources/demo/library/``  - the current collateral, one ``satchel.toml`` per folder
* ``resources/demo/previous/`` - the earlier version of the one versioned item

The output is deterministic: fixed document dates, fixed ZIP timestamps for the
Office formats, ReportLab's invariant mode for PDFs, no randomness.

Usage::

    .venv/bin/python -m app.tools.demo_library          # generate + check
    .venv/bin/python -m app.tools.demo_library --check  # only check

Needs python-pptx, python-docx, openpyxl, Pillow and reportlab (the ``dev`` extra) to
generate; the check uses the app's own extraction, publish, sync and search.

Modules: :mod:`.common` (paths, company, colours, core properties), ``write_*`` (one writer
per format: PDF, PPTX, DOCX, XLSX, PNG, satchel.toml), ``content_*`` and :mod:`.prices` (the
collateral's text and numbers), :mod:`.catalogue` (folders, items, metadata, ``generate``),
:mod:`.check` (the self-check), :mod:`.__main__` (the command).
"""
