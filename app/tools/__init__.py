"""Developer tools shipped with the source, never imported by the app: the demo library
generator (:mod:`.demo_library`) and the benchmark (:mod:`.bench`)."""
