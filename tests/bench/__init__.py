"""The modules of tests/benchmark.py, one per kind of measure (a script's parts, not tests)."""
