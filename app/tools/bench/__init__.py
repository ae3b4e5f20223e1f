"""Satchel's benchmark suite: a corpus generator, peers and a runner (see run.py).

The smoke test that runs it at a tiny size stays with the tests (app/tools/bench/).
"""
