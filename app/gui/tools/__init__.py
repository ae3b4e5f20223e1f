"""Developer tools that need Qt, never imported by the app: the README screenshots
(:mod:`.screenshots`), the process the benchmark's start-up step watches (:mod:`.startup_probe`),
start-up and GUI-thread stall measurements (:mod:`.measure`), with the stall meter
(:mod:`.stall`) that the GUI tests use as well."""
