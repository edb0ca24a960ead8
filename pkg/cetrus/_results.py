"""Base for the frozen result dataclasses every statistic returns.

Results carry how they were computed (method, direction, conf_level, n, seed) and
render themselves: :meth:`Result.to_dict` gives a JSON-safe dict (``nan`` → ``None``,
numpy scalars → Python numbers), which the CLI prints as-is.
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING, Any, ClassVar, cast

import numpy as np

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


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

    def _dataclass_fields(self) -> tuple[dataclasses.Field[Any], ...]:
        # the mixin is only ever mixed into dataclasses; the cast says so to the checker
        return dataclasses.fields(cast("DataclassInstance", self))

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict of every field, in declaration order."""
        return {f.name: json_safe(getattr(self, f.name)) for f in self._dataclass_fields()}

    # ------------------------------------------------------------------ display
    # Every result presents itself four ways (issue 14): a short ``repr`` (class and its
    # headline numbers, never a whole array), ``str`` laid out as R prints the twin, a
    # tidy ``to_frame()`` and ``_repr_html_`` for notebooks. Subclasses override
    # ``_headline`` (which fields the repr shows), ``_print_lines`` (the R-style print)
    # and ``to_frame`` (when the result is a table rather than one row). Dataclasses
    # must be declared with ``repr=False`` so this ``__repr__`` is not replaced.

    #: fields shown by ``repr``; ``None`` = every scalar field (at most eight)
    _headline: ClassVar[tuple[str, ...] | None] = None

    def _scalar_fields(self) -> list[tuple[str, Any]]:
        names = self._headline or tuple(f.name for f in self._dataclass_fields())
        out = []
        for name in names:
            value = getattr(self, name)
            if isinstance(value, (bool, np.bool_, int, np.integer, float, np.floating, str)):
                out.append((name, value))
        return out if self._headline else out[:8]

    def __repr__(self) -> str:
        parts = ", ".join(f"{name}={format_value(value)}" for name, value in self._scalar_fields())
        return f"{type(self).__name__}({parts})"

    def _print_lines(self) -> list[str]:
        """R-print-like lines; the default names the method and lists the headline fields."""
        title = getattr(self, "method", None) or type(self).__name__
        return [str(title), ""] + [
            f"{name}: {format_value(value)}"
            for name, value in self._scalar_fields()
            if name != "method"
        ]

    def __str__(self) -> str:
        return "\n".join(self._print_lines())

    def to_frame(self) -> Any:
        """Tidy pandas table: one row of the scalar fields, unless the result is a table."""
        import pandas as pd

        row = {
            f.name: getattr(self, f.name)
            for f in self._dataclass_fields()
            if isinstance(
                getattr(self, f.name), (bool, np.bool_, int, np.integer, float, np.floating, str)
            )
        }
        return pd.DataFrame([row])

    def _repr_html_(self) -> str:
        """Notebook display: the method as a caption over :meth:`to_frame` (text escaped)."""
        import html

        title = html.escape(str(getattr(self, "method", None) or type(self).__name__))
        table = self.to_frame().to_html(
            escape=True, index=False, float_format=format_value, border=0
        )
        return f"<div class='cetrus-result'><p><b>{title}</b></p>{table}</div>"


def format_value(value: Any, digits: int = 4) -> str:
    """One number as R prints it with ``digits = 4`` significant digits (``format``/
    ``signif``); p values below 2.2e-16 as ``< 2.2e-16`` is left to the printers."""
    if isinstance(value, (bool, np.bool_)):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        if math.isnan(v):
            return "NA"
        if math.isinf(v):
            return "Inf" if v > 0 else "-Inf"
        return f"{v:.{digits}g}"
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    return type(value).__name__
