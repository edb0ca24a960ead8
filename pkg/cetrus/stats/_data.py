"""The two input forms every statistic accepts (pingouin's convention): arrays, or
``data=`` (a DataFrame) plus column names; and Python's spelling of ``alternative``.

One place so that every function words its errors the same way and the two forms give
identical results (the data form only looks the columns up and calls the array form).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from cetrus.errors import InputError

_ALTERNATIVES = ("two-sided", "less", "greater")
#: R's spellings accepted as aliases of the Python ones
_R_ALTERNATIVES = {"two.sided": "two-sided"}


def alternative(value: Any, func: str) -> str:
    """``"two-sided"``, ``"less"`` or ``"greater"``; R's ``"two.sided"`` is an alias."""
    value = _R_ALTERNATIVES.get(value, value) if isinstance(value, str) else value
    if value not in _ALTERNATIVES:
        raise InputError(
            f"The 'alternative' parameter of {func} must be one of 'two-sided', "
            f"'less', 'greater' (R's 'two.sided' is accepted). Got {value!r} "
            "instead."
        )
    return value


def column(data: pd.DataFrame, name: Any, param: str, func: str) -> pd.Series:
    """The column ``data[name]``, or an error naming ``param`` and ``func``."""
    if not isinstance(name, str):
        raise InputError(
            f"The {param!r} parameter of {func} must be a column name of data "
            f"when data= is given. Got {type(name).__name__} instead."
        )
    if name not in data.columns:
        raise InputError(f"The {param!r} parameter of {func} names no column of data: {name!r}.")
    return data[name]


def resolve(
    func: str, data: Any, arrays: Mapping[str, Any], columns: Mapping[str, Any]
) -> list[Any]:
    """The inputs of ``func`` from one of its two forms, in the order of ``arrays``.

    ``arrays`` maps the array arguments' names to what was passed; ``columns`` maps the
    column-name arguments (same order) to what was passed. Without ``data`` every array
    is required and no column name may be given; with ``data`` the reverse.
    """
    if data is None:
        given = [k for k, v in columns.items() if v is not None]
        if given:
            raise InputError(
                f"The {given[0]!r} parameter of {func} is a column name and needs "
                "data= (a DataFrame); pass arrays positionally otherwise."
            )
        missing = [k for k, v in arrays.items() if v is None]
        if missing:
            raise InputError(
                f"{func} needs {missing[0]!r} (an array), or data= with "
                f"{list(columns)[list(arrays).index(missing[0])]!r} "
                "(a column name)."
            )
        return list(arrays.values())
    if not isinstance(data, pd.DataFrame):
        raise InputError(
            f"The 'data' parameter of {func} must be a pandas DataFrame. "
            f"Got {type(data).__name__} instead."
        )
    passed = [k for k, v in arrays.items() if v is not None]
    if passed:
        raise InputError(
            f"{func} takes arrays or data= with column names, not both; "
            f"{passed[0]!r} was given with data=."
        )
    out = []
    for param, name in columns.items():
        if name is None:
            raise InputError(f"{func} with data= needs the column name {param!r}.")
        out.append(column(data, name, param, func))
    return out
