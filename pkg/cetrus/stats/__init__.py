"""Pure statistics, each family in its own module, each validated against an R function.

=================  ==========================================  =====================
module             what                                        R twin
=================  ==========================================  =====================
``roc``            AUC, DeLong CI/test, Youden, diagnostics    pROC
``roc_more``       partial AUC, coords, bootstrap CIs of       pROC (auc, coords,
                   coords/thresholds, var/cov, power           ci.*, power.roc.test)
``reliability``    ICC, six Shrout–Fleiss forms (+ many)       psych::ICC(lmer=FALSE)
``nomogram``       nomogram points, axes, risk; R's pretty()   rms::nomogram(lrm)
``groups``         two-group tests: t, Welch, MWU (vectorised),  t.test, wilcox.test,
                   χ², Fisher, Shapiro–Wilk, Levene, auto rule chisq.test, fisher.test,
                                                               shapiro.test,
                                                               car::leveneTest
``tableone``       the paper's Table 1 layout of those tests
``baseline``       deprecated name: re-exports groups + tableone
``logistic``       Table 2: glm ORs, Wald/profile CIs,         glm, confint.default,
                   the paper's selection rule                  MASS confint(glm)
``calibration``    Dxy, C, R², Brier, slope, E-max/90/avg,     rms::val.prob
                   Spiegelhalter z; R's lowess(iter = 0)
``screening``      radiomics screens: Mann–Whitney p of every  wilcox.test,
                   feature, Spearman matrix, greedy filter     cor(method="spearman")
``lasso``          LASSO logistic path (glmnet's Fortran)      glmnet(binomial)
``lasso_cv``       its k-fold CV, lambda.min / lambda.1se      cv.glmnet
``radscore``       radiomics score (LASSO linear predictor)    predict(type = "link")
``selection``      the pipeline MWU → Spearman → LASSO →       (the steps above)
                   score; re-exports the step modules
``feature_agr…``   ``feature_agreement``: per-feature rater    psych::ICC per feature
                   ICC of two raters' tables, per modality
``decision``       decision curves: net benefit, treat-all/    dcurves::dca (checked
                   none, interventions avoided                 against its Python port)
``samplesize``     minimum n for a binary-outcome model        pmsampsize(type = "b")
                   (Riley et al.'s three criteria)
``optimism``       bootstrap internal validation: optimism-    rms::validate(lrm),
                   corrected Dxy, R², slope, Emax, Brier, g;   rms::calibrate
                   bias-corrected calibration curve
=================  ==========================================  =====================
"""

from cetrus.stats.calibration import CalibrationResult, val_prob
from cetrus.stats.decision import DecisionCurve, decision_curve
from cetrus.stats.feature_agreement import RaterAgreement, agreement, rater_agreement
from cetrus.stats.groups import (
    Comparison,
    MannWhitneyResult,
    chi_square,
    compare_groups,
    fisher_exact,
    levene,
    mann_whitney,
    shapiro_wilk,
    student_t,
    welch_t,
)
from cetrus.stats.lasso import LassoPath, lasso_path
from cetrus.stats.lasso_cv import LassoCV, cv_lasso
from cetrus.stats.logistic import (
    ClinicalSelection,
    LogitResult,
    LogitTerm,
    logit,
    select_predictors,
    table_two,
    univariate_logit,
)
from cetrus.stats.nomogram import Nomogram, NomogramAxis, nomogram, r_pretty
from cetrus.stats.optimism import (
    OptimismCalibration,
    OptimismValidation,
    calibrate_logistic,
    validate_logistic,
)
from cetrus.stats.radscore import RadiomicsScore, radiomics_score
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
    Resamples,
    ROCCurve,
    ROCPairwise,
    ROCTestResult,
    ThresholdResult,
    auc_ci,
    clopper_pearson,
    diagnostic_metrics,
    roc_curve,
    roc_test,
    roc_test_pairs,
    stratified_resamples,
    youden_threshold,
)
from cetrus.stats.roc_more import (
    CoordsCI,
    CoordsResult,
    PartialAUCResult,
    PowerResult,
    ThresholdsCI,
    auc_partial,
    ci_coords,
    ci_thresholds,
    power_roc_test,
    power_roc_test_binormal,
    power_roc_test_paired,
    roc_coords,
    roc_cov,
    roc_var,
)
from cetrus.stats.samplesize import SampleSize, sample_size_binary
from cetrus.stats.screening import mwu_pvalues, spearman, spearman_filter
from cetrus.stats.selection import FeatureSelection, select_features
from cetrus.stats.tableone import TableOne, table_one

__all__ = [
    "Comparison",
    "MannWhitneyResult",
    "TableOne",
    "chi_square",
    "compare_groups",
    "fisher_exact",
    "levene",
    "mann_whitney",
    "shapiro_wilk",
    "student_t",
    "table_one",
    "welch_t",
    "CalibrationResult",
    "val_prob",
    "DecisionCurve",
    "decision_curve",
    "SampleSize",
    "sample_size_binary",
    "OptimismValidation",
    "validate_logistic",
    "OptimismCalibration",
    "calibrate_logistic",
    "ClinicalSelection",
    "LogitResult",
    "LogitTerm",
    "logit",
    "select_predictors",
    "table_two",
    "univariate_logit",
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
    "ROCPairwise",
    "ROCTestResult",
    "ThresholdResult",
    "auc_ci",
    "clopper_pearson",
    "diagnostic_metrics",
    "roc_curve",
    "roc_test",
    "roc_test_pairs",
    "youden_threshold",
    "Resamples",
    "stratified_resamples",
    "CoordsCI",
    "CoordsResult",
    "PartialAUCResult",
    "PowerResult",
    "ThresholdsCI",
    "auc_partial",
    "ci_coords",
    "ci_thresholds",
    "power_roc_test",
    "power_roc_test_binormal",
    "power_roc_test_paired",
    "roc_coords",
    "roc_cov",
    "roc_var",
    "FeatureSelection",
    "LassoCV",
    "LassoPath",
    "RaterAgreement",
    "agreement",
    "cv_lasso",
    "lasso_path",
    "rater_agreement",
    "select_features",
    "spearman",
    "spearman_filter",
    "mwu_pvalues",
    "RadiomicsScore",
    "radiomics_score",
]
