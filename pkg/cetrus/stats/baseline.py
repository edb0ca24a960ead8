"""Deprecated module name, kept so old imports work: ``cetrus.stats.baseline``.

``baseline.py`` held both the two-group tests and the Table 1 layout; they now
live in :mod:`cetrus.stats.groups` (t, Welch, Mann–Whitney, χ², Fisher,
Shapiro–Wilk, Levene, :func:`compare_groups` with the paper's automatic rule) and
:mod:`cetrus.stats.tableone` (:func:`table_one`, :class:`TableOne`,
:func:`format_pvalue`). This module only re-exports them; new code should import
from those modules.
"""

from __future__ import annotations

from cetrus.stats._fexact import (  # noqa: F401  (re-exported for old imports)
    FISHER_MAX_LEVELS,
    _compositions_array,
    _fisher_rxc_p,
    _n_compositions,
)
from cetrus.stats.groups import (  # noqa: F401
    FISHER_CI,
    TESTS,
    AssumptionTest,
    ChiSquareResult,
    Comparison,
    FisherResult,
    GroupSummary,
    MannWhitneyResult,
    TTestResult,
    _zeroin,
    chi_square,
    compare_groups,
    fisher_exact,
    levene,
    mann_whitney,
    shapiro_wilk,
    student_t,
    welch_t,
)
from cetrus.stats.tableone import TableOne, format_pvalue, table_one  # noqa: F401

__all__ = [
    "AssumptionTest",
    "ChiSquareResult",
    "Comparison",
    "FisherResult",
    "GroupSummary",
    "MannWhitneyResult",
    "TTestResult",
    "TableOne",
    "chi_square",
    "compare_groups",
    "fisher_exact",
    "format_pvalue",
    "levene",
    "mann_whitney",
    "shapiro_wilk",
    "student_t",
    "table_one",
    "welch_t",
]
