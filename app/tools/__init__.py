"""Developer tools shipped with the source, never imported by the app: the demo library
generator (:mod:`.demo_library`), the benchmark (:mod:`.bench`), the README screenshots
(:mod:`.screenshots`) and believable demo usage for them (:mod:`.demo_usage`)."""
