"""Developer tools shipped with the source, never imported by the app: the demo library
generator (:mod:`.demo_library`), the benchmark (:mod:`.bench`), the GUI measurements
(:mod:`.gui`), the README screenshots (:mod:`.screenshots`), believable demo usage for them
(:mod:`.demo_usage`) and small real documents (:mod:`.collateral`, also used by the tests)."""
