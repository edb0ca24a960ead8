"""Pure statistics, each family in its own module, each validated against an R function.

=================  ==========================================  =====================
module             what                                        R twin
=================  ==========================================  =====================
``roc``            AUC, DeLong CI/test, Youden, diagnostics    pROC
=================  ==========================================  =====================
"""

from cetrus.stats.roc import (
    AUCResult,
    ROCCurve,
    ROCTestResult,
    ThresholdResult,
    auc_ci,
    clopper_pearson,
    diagnostic_metrics,
    roc_curve,
    roc_test,
    youden_threshold,
)

__all__ = [
    "AUCResult",
    "ROCCurve",
    "ROCTestResult",
    "ThresholdResult",
    "auc_ci",
    "clopper_pearson",
    "diagnostic_metrics",
    "roc_curve",
    "roc_test",
    "youden_threshold",
]
