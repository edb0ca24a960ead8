"""Pure statistics, each family in its own module, each validated against an R function.

=================  ==========================================  =====================
module             what                                        R twin
=================  ==========================================  =====================
``roc``            AUC, DeLong CI/test, Youden, diagnostics    pROC
``reliability``    ICC, six Shrout–Fleiss forms (+ many)       psych::ICC(lmer=FALSE)
``nomogram``       nomogram points, axes, risk; R's pretty()   rms::nomogram(lrm)
=================  ==========================================  =====================
"""

from cetrus.stats.nomogram import Nomogram, NomogramAxis, nomogram, r_pretty
from cetrus.stats.reliability import (
    ICCForm,
    ICCManyResult,
    ICCResult,
    icc,
    icc_many,
    icc_wide,
)
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
    "Nomogram",
    "NomogramAxis",
    "nomogram",
    "r_pretty",
    "ICCForm",
    "ICCManyResult",
    "ICCResult",
    "icc",
    "icc_many",
    "icc_wide",
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
