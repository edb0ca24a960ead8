"""What a printed number means: its rounding interval, and rounding rules to test.

A value printed with ``d`` decimals stands for any true value within half a unit of its
last digit, ``[v − 5·10^(−d−1), v + 5·10^(−d−1)]`` (closed: a value exactly half-way is
printed as ``v`` by one of the usual rules). ``<v`` means below ``v`` (or equal, as ``<0.001``
is printed for P = 0.001 too by some software), ``>v`` above. Arithmetic is exact
(:class:`fractions.Fraction`) so that a count over a denominator is compared without
floating-point error.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

__all__ = ["Printed", "RULES", "round_rule", "largest_remainder"]


def exact(value: float, decimals: int) -> Fraction:
    """The printed value as an exact fraction (``0.1`` is 1/10, not its binary neighbour)."""
    return Fraction(f"{float(value):.{int(decimals)}f}")


@dataclass(frozen=True)
class Printed:
    """A number as printed: value, decimals, and an optional bound (``"<"``, ``">"``)."""

    value: float
    decimals: int
    bound: str | None = None

    @cached_property
    def half(self) -> Fraction:
        return Fraction(1, 2 * 10 ** int(self.decimals))

    @cached_property
    def exact(self) -> Fraction:
        return exact(self.value, self.decimals)

    @cached_property
    def low(self) -> Fraction:
        """Smallest true value this print allows."""
        if self.bound in ("<", "<="):
            return Fraction(-(10**9))
        return self.exact - self.half if self.bound is None else self.exact

    @cached_property
    def high(self) -> Fraction:
        """Largest true value this print allows."""
        if self.bound in (">", ">="):
            return Fraction(10**9)
        return self.exact + self.half if self.bound is None else self.exact

    def allows(self, x: float | Fraction, *, rel: float = 1e-12) -> bool:
        """Whether the true value ``x`` prints as this (closed interval; floats get ``rel`` slack)."""
        if isinstance(x, Fraction):
            return self.low <= x <= self.high
        x = float(x)
        if math.isnan(x):
            return False
        slack = rel * max(1.0, abs(x))
        return float(self.low) - slack <= x <= float(self.high) + slack

    def overlaps(self, lo: float, hi: float) -> bool:
        """Whether some true value in ``[lo, hi]`` prints as this."""
        return not (hi < float(self.low) - 1e-12 or lo > float(self.high) + 1e-12)

    @property
    def text(self) -> str:
        body = f"{self.value:.{self.decimals}f}"
        return (self.bound or "") + body


def _floor_units(q: Fraction, decimals: int) -> tuple[int, Fraction]:
    scaled = q * 10**decimals
    units = math.floor(scaled)
    return units, scaled - units


def round_rule(q: Fraction, decimals: int, rule: str) -> Fraction:
    """``q`` rounded to ``decimals`` by ``rule``: ``half_up``, ``half_even`` or ``truncate``."""
    units, rest = _floor_units(q, decimals)
    if rule == "truncate":
        pass
    elif rule == "half_up":
        units += rest >= Fraction(1, 2)
    elif rule == "half_even":
        units += rest > Fraction(1, 2) or (rest == Fraction(1, 2) and units % 2 == 1)
    else:
        raise ValueError(f"unknown rounding rule {rule!r}")
    return Fraction(units, 10**decimals)


#: simple rules, tried cell by cell
RULES = ("half_up", "half_even", "truncate")


def largest_remainder(
    shares: Sequence[Fraction], decimals: int, total: Fraction = Fraction(100)
) -> list[Fraction] | None:
    """Hamilton's largest-remainder rounding: round down, then give the missing units to the
    largest remainders, so the rounded values sum to ``total`` exactly.

    ``None`` when a tie between remainders leaves the result undetermined.
    """
    floors, rests = zip(*(_floor_units(q, decimals) for q in shares))
    missing = int(total * 10**decimals) - sum(floors)
    if missing < 0 or missing > len(shares):
        return None
    order = sorted(range(len(shares)), key=lambda i: rests[i], reverse=True)
    if 0 < missing < len(shares) and rests[order[missing - 1]] == rests[order[missing]]:
        return None
    units = list(floors)
    for i in order[:missing]:
        units[i] += 1
    return [Fraction(u, 10**decimals) for u in units]
