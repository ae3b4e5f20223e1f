"""Developer tools shipped with the source, never imported by the app: the demo library
generator (:mod:`.demo_library`), the benchmark (:mod:`.bench`), believable demo usage for
the README screenshots (:mod:`.demo_usage`) and small real documents (:mod:`.collateral`,
also used by the tests). Tools that need Qt live in :mod:`app.gui.tools`, so Qt stays inside
the GUI package."""
