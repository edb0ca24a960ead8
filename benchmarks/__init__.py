"""Speed benchmarks, each against R (or the relevant floor) in the same run.

Benchmarks are not tests: nothing here runs under pytest. ``python -m benchmarks``
(``make bench``) runs every ``bench_*.py`` module's ``run()`` and prints one table of
timings and ratios, written to ``benchmarks/_results/bench.json``.
"""
