"""Parity cases, one module per statistical family (``roc``, ``clinical``, …)."""
