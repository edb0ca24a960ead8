"""Base for the frozen result dataclasses every statistic returns.

Results carry how they were computed (method, direction, conf_level, n, seed) and
render themselves: :meth:`Result.to_dict` gives a JSON-safe dict (``nan`` → ``None``,
numpy scalars → Python numbers), which the CLI prints as-is.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np


def json_safe(value: Any) -> Any:
    """Convert numpy scalars/arrays, tuples and non-finite floats to plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if hasattr(value, "to_dict"):
            return value.to_dict()
        return {f.name: json_safe(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, np.ndarray):
        return [json_safe(v) for v in value.tolist()]
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    return value


class Result:
    """Mixin for ``@dataclass(frozen=True, slots=True)`` results."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict of every field, in declaration order."""
        return {f.name: json_safe(getattr(self, f.name)) for f in dataclasses.fields(self)}
