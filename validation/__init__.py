"""The R-parity suite: every cetrus statistic against the R function reviewers trust.

Cases live in :mod:`validation.cases` (one module per statistical family); each runs
the cetrus function and its R twin (through :mod:`cetrus.rbridge`) on the same input
and yields ``(quantity, python, r)`` checks. ``python -m validation`` (``make validate``)
runs them all and writes ``validation/_results/parity.csv`` plus a one-screen summary.
"""
