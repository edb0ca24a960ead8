"""The paper's Table 1: two-group comparisons laid out as a table.

:func:`table_one` runs :func:`cetrus.stats.groups.compare_groups` on each variable
(the paper's automatic choice of test) and lays the results out as the paper's
Table 1: continuous variables as mean ± SD (t test) or median (P25, P75)
(Mann–Whitney), categorical ones as n (%) per category. R has no single twin: each
row's test is checked against R's in ``validation/cases/baseline.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from cetrus._results import Result
from cetrus.errors import InputError
from cetrus.stats._validation import choice
from cetrus.stats.groups import _check_column, compare_groups

# --------------------------------------------------------------------------- Table 1


def format_pvalue(p: float, digits: int = 3) -> str:
    """The paper's P column: ``"<0.001"`` below 10^-digits, else ``digits`` decimals.

    Parameters
    ----------
    p : float
        A P value (``nan``/``None`` → ``"NA"``).
    digits : int, default 3

    Returns
    -------
    str

    See Also
    --------
    table_one

    References
    ----------
    R: ``format.pval(p, eps = 0.001, digits = 3)`` prints the same bound.

    Examples
    --------
    >>> from cetrus.stats.tableone import format_pvalue
    >>> format_pvalue(0.1476), format_pvalue(0.0004), format_pvalue(0.03, digits=2)
    ('0.148', '<0.001', '0.03')
    """
    if p is None or not np.isfinite(p):
        return "NA"
    bound = 10.0**-digits
    if p < bound:
        return f"<{bound:.{digits}f}"
    return f"{p:.{digits}f}"


@dataclass(frozen=True, slots=True, repr=False)
class TableOne(Result):
    """The paper's Table 1: one row per continuous variable, a header row plus one row
    per category for categorical variables.

    :meth:`to_frame` gives the table (columns ``Variable``, one per group
    (``labels``), ``P`` and ``Test``); ``comparisons`` holds each variable's
    :class:`~cetrus.stats.groups.Comparison`. ``frame`` is the same table as stored
    (kept for old code; use :meth:`to_frame`). ``str`` prints the table as text.

    See Also
    --------
    table_one

    Examples
    --------
    >>> import pandas as pd
    >>> from cetrus.stats.tableone import table_one
    >>> d = pd.DataFrame({"crp": [5.1, 4.9, 6.2, 5.8, 6.0, 6.4, 7.1, 6.8, 7.3],
    ...                   "met": ["no"] * 5 + ["yes"] * 4})
    >>> t = table_one(d, "met", ["crp"])
    >>> t
    TableOne(group='met', n=9, percent_base='cohort')
    >>> print(t)  # doctest: +NORMALIZE_WHITESPACE
    Table 1 by met (n = 9; percentages of the cohort)
    <BLANKLINE>
    Variable met = no (n = 5) met = yes (n = 4)     P    Test
         crp      5.60 ± 0.57       6.90 ± 0.39 0.006 student
    """

    frame: pd.DataFrame
    comparisons: tuple
    group: str
    levels: tuple
    labels: tuple
    percent_base: str
    n: int

    _headline: ClassVar[tuple[str, ...]] = ("group", "n", "percent_base")

    def to_frame(self) -> pd.DataFrame:
        """The table as a DataFrame (a copy)."""
        return self.frame.copy()

    def _print_lines(self) -> list[str]:
        return [
            f"Table 1 by {self.group} (n = {self.n}; percentages of the {self.percent_base})",
            "",
            self.frame.to_string(index=False),
        ]

    def to_markdown(self, *, show_test: bool = False) -> str:
        """GitHub-flavoured markdown table (the ``Test`` column only when asked)."""
        from tabulate import tabulate

        frame = self.frame if show_test else self.frame.drop(columns="Test")
        return tabulate(
            frame.to_numpy().tolist(),
            headers=list(frame.columns),
            tablefmt="github",
            disable_numparse=True,
        )

    def to_dict(self) -> dict:
        from cetrus._results import json_safe

        return {
            "group": self.group,
            "levels": json_safe(list(self.levels)),
            "labels": list(self.labels),
            "percent_base": self.percent_base,
            "n": self.n,
            "rows": json_safe(self.frame.to_dict(orient="records")),
            "comparisons": [c.to_dict() for c in self.comparisons],
        }


def table_one(
    data: pd.DataFrame,
    group: str,
    variables: list[str] | tuple[str, ...],
    *,
    tests: dict[str, str] | str = "auto",
    categorical: list[str] | None = None,
    continuous: list[str] | None = None,
    order: list | None = None,
    labels: dict | None = None,
    category_order: dict[str, list] | None = None,
    percent_base: str = "cohort",
    digits: int = 2,
    p_digits: int = 3,
    missing: str = "error",
    correct: bool = True,
) -> TableOne:
    """Build the paper's Table 1 from a DataFrame.

    Parameters
    ----------
    data, group, variables
        The cohort, the two-level group column, and the variables in row order.
    tests : "auto" or dict variable → test
        Test per variable (see :func:`compare_groups`); unlisted variables use "auto".
    categorical, continuous : list of str, optional
        Force a variable's kind (default: inferred as in :func:`compare_groups`).
    order : list, optional
        Column order of the group levels (the paper puts the metastasis group
        first); the statistics always use sorted level order.
    labels : dict level → str, optional
        Column headers; default ``"<group> = <level> (n = …)"``.
    category_order : dict variable → list of categories, optional
        Row order of categories (e.g. ``{"Sex": ["Male", "Female"]}``).
    percent_base : {"cohort", "group"}
        Denominator of n (%): the whole cohort (the paper: 84 of 878 = 9.57 %) or
        each group's own size.
    digits, p_digits
        Decimals of summaries and of P (below ``10^-p_digits`` printed as ``<0.001``).
    correct : bool
        Yates' correction for 2×2 χ² (see :func:`compare_groups`; the paper: False).

    Notes
    -----
    Continuous variables are shown as mean ± SD when the chosen test is a t test,
    else as median (P25, P75) (R's ``quantile`` type 7).

    Returns
    -------
    TableOne
        ``to_frame()`` is the table; ``comparisons`` each variable's test.

    See Also
    --------
    cetrus.stats.groups.compare_groups : one row's comparison and its test rule.

    References
    ----------
    The paper's Section 2.8; R: each row's ``t.test`` / ``wilcox.test`` /
    ``chisq.test`` / ``fisher.test`` (``validation/cases/baseline.py``).

    Examples
    --------
    >>> import pandas as pd
    >>> from cetrus.stats.tableone import table_one
    >>> d = pd.DataFrame({"met": ["no"] * 5 + ["yes"] * 4,
    ...                   "crp": [5.1, 4.9, 6.2, 5.8, 6.0, 6.4, 7.1, 6.8, 7.3],
    ...                   "sex": ["F", "M", "M", "F", "M", "F", "M", "M", "M"]})
    >>> t = table_one(d, "met", ["crp", "sex"], order=["yes", "no"])
    >>> print(t.to_frame().to_string(index=False))  # doctest: +NORMALIZE_WHITESPACE
    Variable met = yes (n = 4) met = no (n = 5)     P    Test
         crp       6.90 ± 0.39     5.60 ± 0.57 0.006 student
         sex                                   1.000  fisher
           F       1 (11.11%)      2 (22.22%)
           M       3 (33.33%)      3 (33.33%)
    """
    func = "table_one"
    choice(percent_base, ("cohort", "group"), "percent_base", func)
    _check_column(data, group, "group", func)
    if isinstance(variables, str) or not len(variables):
        raise InputError(
            f"The 'variables' parameter of {func} must be a non-empty list of "
            f"column names. Got {variables!r} instead."
        )
    per_test = {v: tests for v in variables} if isinstance(tests, str) else dict(tests)
    kinds = {v: "categorical" for v in (categorical or [])}
    kinds.update({v: "continuous" for v in (continuous or [])})
    comps = tuple(
        compare_groups(
            data,
            group,
            v,
            test=per_test.get(v, "auto"),
            kind=kinds.get(v),
            missing=missing,
            correct=correct,
        )
        for v in variables
    )
    levels = comps[0].levels
    col_order = list(levels) if order is None else list(order)
    if sorted(map(str, col_order)) != sorted(map(str, levels)):
        raise InputError(
            f"The 'order' parameter of {func} must list the group levels "
            f"{list(levels)!r}. Got {order!r} instead."
        )
    col_order = [next(lv for lv in levels if str(lv) == str(o)) for o in col_order]
    sizes = {lv: int((data[group] == lv).sum()) for lv in levels}
    labels = labels or {}
    heads = [str(labels.get(lv, f"{group} = {lv} (n = {sizes[lv]})")) for lv in col_order]
    cohort = int(len(data))
    rows = []
    for c in comps:
        by_level = {s.level: s for s in c.summaries}
        p_text = format_pvalue(c.pvalue, p_digits)
        if c.kind == "continuous":
            cells = []
            for lv in col_order:
                s = by_level[lv]
                if c.test in ("student", "welch"):
                    cells.append(f"{s.mean:.{digits}f} ± {s.sd:.{digits}f}")
                else:
                    cells.append(f"{s.median:.{digits}f} ({s.p25:.{digits}f}, {s.p75:.{digits}f})")
            rows.append([c.variable, *cells, p_text, c.test])
            continue
        rows.append([c.variable, *([""] * len(col_order)), p_text, c.test])
        cats = list(c.categories)
        if category_order and c.variable in category_order:
            wanted = [
                next((k for k in cats if str(k) == str(o)), None)
                for o in category_order[c.variable]
            ]
            if None in wanted or len(set(map(str, wanted))) != len(cats):
                raise InputError(
                    f"category_order[{c.variable!r}] must list the categories "
                    f"{cats!r}. Got {category_order[c.variable]!r} instead."
                )
            cats = wanted
        for cat in cats:
            cells = []
            for lv in col_order:
                s = by_level[lv]
                count = dict(s.counts)[cat]
                base = (cohort - c.n_missing) if percent_base == "cohort" else s.n
                cells.append(f"{count} ({100 * count / base:.{digits}f}%)")
            rows.append([f"  {cat}", *cells, "", ""])
    frame = pd.DataFrame(rows, columns=["Variable", *heads, "P", "Test"])
    return TableOne(frame, comps, group, tuple(col_order), tuple(heads), percent_base, cohort)
