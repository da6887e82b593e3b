"""Benchmarks, run by `wireroom bench NAME`: one module per benchmark, each registered by name in `registry`.

Nothing in the wire imports this package; it sits on top of every app it measures.
"""
