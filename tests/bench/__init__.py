"""Satchel's benchmark suite: a corpus generator, peers and a runner (see run.py)."""
