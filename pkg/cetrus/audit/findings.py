"""A finding of the audit, how findings rank, and R code built from numbers only.

Every finding says what was recomputed, how, the verdict (``consistent``,
``inconsistent`` or ``cannot tell``), its severity, the cells of the published-numbers
file it concerns, and R code that reproduces the recomputation. The R code is built from
numbers alone (:func:`r_num`), never from a label or any other string of the file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

#: verdicts, worst first
VERDICTS = ("inconsistent", "cannot tell", "consistent")
#: severities, worst first
SEVERITIES = ("high", "medium", "low", "info")

_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


@dataclass(frozen=True)
class Finding:
    """One check's result (``to_dict`` gives the JSON form written to findings.json)."""

    check: str
    title: str
    verdict: str
    severity: str
    recomputed: str
    method: str
    detail: str
    cells: tuple[str, ...] = ()
    r_code: str = ""
    values: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict {self.verdict!r} is not one of {VERDICTS}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r} is not one of {SEVERITIES}")

    def rank_key(self) -> tuple[int, int, str]:
        return (SEVERITIES.index(self.severity), VERDICTS.index(self.verdict), self.check)

    def to_dict(self) -> dict[str, Any]:
        from cetrus._results import json_safe

        return {
            "check": self.check,
            "title": self.title,
            "verdict": self.verdict,
            "severity": self.severity,
            "recomputed": self.recomputed,
            "method": self.method,
            "detail": self.detail,
            "cells": list(self.cells),
            "r_code": self.r_code,
            "values": json_safe(self.values),
        }


def rank(findings: Iterable[Finding]) -> list[Finding]:
    """Findings ordered by severity (high first), then verdict (inconsistent first); stable."""
    return sorted(findings, key=Finding.rank_key)


def r_num(x: Any) -> str:
    """A number as an R literal (``NA`` for nan); raises on anything that is not a number.

    The only way values enter the generated R code, so a string from the file can never
    become R source.
    """
    if isinstance(x, bool):
        raise TypeError("r_num: a bool is not a number")
    if isinstance(x, Fraction):
        x = float(x)
    if isinstance(x, int):
        text = str(int(x))
    else:
        x = float(x)
        if math.isnan(x):
            return "NA"
        if math.isinf(x):
            return "Inf" if x > 0 else "-Inf"
        text = repr(x)
    if not _NUMBER.fullmatch(text):  # pragma: no cover - int/float repr always matches
        raise ValueError(f"r_num: {text!r} is not a number literal")
    return text


def r_vec(xs: Iterable[Any]) -> str:
    """``c(…)`` of numbers (each through :func:`r_num`)."""
    return "c(" + ", ".join(r_num(x) for x in xs) + ")"


def fmt(x: float | Fraction | None, decimals: int = 3) -> str:
    """A number for the human-readable detail text."""
    if x is None:
        return "NA"
    x = float(x)
    if math.isnan(x):
        return "NA"
    return f"{x:.{decimals}f}"
