"""The R twin of every number in a study's tables: ``cetrus validate --config study.toml``.

The Python numbers are read from the results folder's ``results.json`` (what the
manuscript prints); the R numbers are recomputed from the study's raw inputs (the
clinical table, the feature tables) by the R function a statistician would use, at
R's default settings, through :func:`cetrus.rbridge.r_eval`. The user's data reach R
only as bound values (vectors, matrices, lists), never pasted into R code — column
names included (formulas are built from ``as.name``).

Sections (``statistic`` of the parity table; *case* is the section's description):

* ``cohort`` — complete-case exclusions (``complete.cases``), per-column missing counts,
  the included patients' ids, cohort and split counts — exact.
* ``table1`` — R applies the same test rule as :func:`cetrus.stats.tableone.table_one`:
  continuous: ``shapiro.test`` in both groups and ``car::leveneTest(center = median)``
  all > 0.05 → ``t.test(var.equal = TRUE)``, else ``wilcox.test`` at its defaults (exact
  p when both groups have < 50 values and no ties); medians/quartiles ``quantile`` (type 7), mean, ``sd``;
  categorical (``factor`` with the config's levels): ``table`` counts and
  ``chisq.test(correct = [table1] chisq_correct)``, or ``fisher.test`` when an
  expected count is below 5 — 1e-8.
* ``table2`` — univariate then multivariable ``glm(family = binomial)`` at R's defaults
  (factors with the reference level first, R's dummy names), ``confint.default``, Wald P,
  the paper's rule (a variable passes when any of its terms' CI excludes 1) —
  :data:`GLM_TOL`: 1e-10 relative (cetrus's logit is glm.fit's iteration).
* ``icc`` — per modality with two or more raters: ``psych::ICC(lmer = FALSE)`` on a
  sample of features (``icc_features``; psych takes ~0.4 s per feature) against
  :func:`cetrus.stats.reliability.icc_many`, and the summary the table prints (mean,
  median, min, max, fraction > 0.9 over every feature) from psych's mean-square
  formulas evaluated in R over all features — 1e-9.
* ``selection`` — per modality on the training cohort: ``wilcox.test`` screen, greedy
  ``cor(method = "spearman")`` filter, ``glmnet::cv.glmnet(family = "binomial",
  foldid = the same folds)`` at its default ``thresh`` (1e-7), λ by the config's rule,
  ``coef(fit, s = λ)``: counts and names exact, λ 1e-9 relative, coefficients,
  intercept and scores :data:`LASSO_TOL`: 1e-10 relative (cetrus runs glmnet's own
  Fortran at the same default thresh).
* ``table3_4`` — every model of the results refitted with ``glm`` (defaults) on the
  training cohort from the reported scores → ``pROC`` (``ci.auc`` DeLong, ``coords(best.
  method = "youden")`` on the training cohort applied to the test cohort): AUC and CI
  1e-9 (ranks only), threshold and coefficients :data:`GLM_TOL`, the
  confusion-table metrics exactly.
* ``delong`` — ``pROC::roc.test(method = "delong", paired = TRUE)`` for every pair the
  results report — 1e-9 (AUCs, difference) and 1e-7 relative (z, P, CI).
* ``nomogram`` — the final model's ``rms::nomogram(lrm(...), fun = plogis)`` on the
  training cohort (``datadist`` defaults), each axis's values and points, scale and
  intercept — :data:`NOMOGRAM_TOL`: 1e-6 (cetrus fits the model by lrm.fit's own rule).
* ``calibration`` — ``rms::val.prob`` on the calibrated model's test predictions, and
  (``calibration_models``) on every model's predictions in both cohorts —
  :data:`CALIBRATION_TOL` (1e-8 relative: U and Q lose digits to cancellation).
* ``table1`` (by cohort) — the same rule with the groups training vs test, the outcome as
  a row.
* ``table3_4`` also: ``binom.test``'s exact CI of each metric (1e-9 relative) and the Wald
  CIs of every coefficient (``confint.default``, :data:`GLM_TOL`).
* ``validate`` — the clinical and integrated models: ``rms::validate(lrm, B)`` after
  ``set.seed(validation.seed)``; R's resamples (drawn again after the same seed) go to
  :func:`cetrus.stats.optimism.validate_logistic`, whose table must equal rms's; the
  reported apparent indexes (no resampling) must equal rms's ``index.orig``. The
  reported optimism itself used numpy's resamples, which R cannot draw: not compared.

Not re-run in R: the bootstrap with the whole selection repeated (no R twin: rms
validates a fitted model, not a selection procedure), the decision curves (R's
``dcurves`` is not installed here; checked against the authors' Python port in the
tests), the sample size (``pmsampsize`` simulates its C-statistic conversion), the spread over split seeds (each seed repeats the sections above on
another split; minutes in R) and the other figures (drawn from the checked numbers).
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cetrus.errors import InputError
from cetrus.parity import COLUMNS, Tol, run_checks, summarise, write_table

__all__ = [
    "validate_study",
    "StudyParity",
    "GLM_TOL",
    "GLM_P_TOL",
    "CALIBRATION_TOL",
    "LASSO_TOL",
    "NOMOGRAM_TOL",
    "TOLERANCES",
]

#: glm at R's default settings: cetrus's logit is glm.fit's iteration (R's convergence rule,
#: summary.glm's covariance), so coefficients, SEs, z, P and Wald CIs agree to DESIGN.md's
#: 1e-10 relative.
GLM_TOL = Tol(rel=1e-10, abs=1e-12)
GLM_P_TOL = GLM_TOL
#: rms::val.prob's statistics: U and Q are differences of nearly equal deviances, which
#: loses digits (measured 2.6e-9 relative on the tiny test study).
CALIBRATION_TOL = Tol(
    rel=1e-8,
    abs=1e-12,
    reason="U and Q are differences of nearly equal "
    "log-likelihoods: ~1e-9 relative lost to cancellation",
)
#: cv.glmnet at its default ``thresh = 1e-7`` against cetrus's LASSO, which runs glmnet's
#: own Fortran (python-glmnet) at the same default: DESIGN.md's 1e-10 (abs for
#: coefficients that are exactly 0 on both sides).
LASSO_TOL = Tol(rel=1e-10, abs=1e-13)
#: rms::nomogram: cetrus fits its model with lrm.fit's own Newton-Raphson rule
#: (cetrus.stats.logistic.lrm_fit), so DESIGN.md's 1e-6 holds with room to spare.
NOMOGRAM_TOL = Tol(abs=1e-6)
_SCORE_TOL = Tol(rel=1e-10, abs=1e-12)
#: val.prob in the cohort a model was fitted on: the recalibration is intercept 0, slope 1
#: up to the convergence of the two fits (glm's, then lrm.fit's), which a near-separated
#: fit leaves at ~1e-7 — differing between fitted probabilities equal to 1e-10
_OWN_RECAL_TOL = Tol(
    abs=1e-6,
    reason="the training cohort's recalibration is 0/1 up to the "
    "fits' convergence (~1e-7 in a near-separated fit)",
)
#: exact binomial limits: scipy's betaincinv against binom.test's qbeta
_CP_TOL = Tol(rel=1e-9, abs=1e-12)
_EXACT = Tol(abs=1e-12)
#: each section's default tolerance (a check may override it with a reason)
TOLERANCES = {
    "cohort": _EXACT,
    "table1": Tol(abs=1e-8),
    "table2": GLM_TOL,
    "icc": Tol(abs=1e-9),
    "selection": LASSO_TOL,
    "table3_4": Tol(abs=1e-9),
    "delong": Tol(abs=1e-9),
    "calibration": CALIBRATION_TOL,
    "nomogram": NOMOGRAM_TOL,
    "validate": Tol(rel=1e-8, abs=1e-10),
}
_ALPHA = 0.05  # table_one's test-rule level (Shapiro-Wilk, Levene)


# --------------------------------------------------------------------------- R code
# Every user-provided value (column names, levels, data) arrives as a bound variable.

_R_PRELUDE = """
d <- as.data.frame(cols, optional = TRUE, stringsAsFactors = FALSE)
ok <- complete.cases(d) & !is.na(outcome)
n_input <- nrow(d)
nmiss <- vapply(d, function(x) sum(is.na(x)), numeric(1))
d <- d[ok, , drop = FALSE]
for (v in names(levs)) d[[v]] <- factor(d[[v]], levels = levs[[v]])
y <- as.integer(outcome[ok] %in% pos)
resp <- make.unique(c(names(d), "y"))[ncol(d) + 1]
fml <- function(vars) {
  rhs <- if (length(vars)) Reduce(function(a, b) call("+", a, b), lapply(vars, as.name)) else 1
  eval(call("~", as.name(resp), rhs))
}
"""

_R_COHORT = (
    _R_PRELUDE
    + """
list(n_input = n_input, n = sum(ok), missing = as.list(nmiss), ids = as.character(ids[ok]),
     cases = sum(y == 1), train_n = sum(train), train_cases = sum(y[train] == 1),
     test_n = sum(!train), test_cases = sum(y[!train] == 1))
"""
)

_R_TABLE1 = (
    _R_PRELUDE
    + """
g <- y
sw <- function(z) if (length(z) >= 3 && length(z) <= 5000 && diff(range(z)) > 0)
  shapiro.test(z)$p.value else NA_real_
cont <- lapply(conts, function(v) {
  x <- d[[v]]; a <- x[g == 1]; b <- x[g == 0]
  lev <- car::leveneTest(x, factor(g), center = median)[1, "Pr(>F)"]
  student <- isTRUE(sw(a) > alpha) && isTRUE(sw(b) > alpha) && isTRUE(lev > alpha)
  p <- if (student) t.test(a, b, var.equal = TRUE)$p.value
       else wilcox.test(a, b)$p.value
  list(test = if (student) "student" else "mwu", p = p,
       q1 = unname(quantile(a, c(.5, .25, .75))), q0 = unname(quantile(b, c(.5, .25, .75))),
       mean1 = mean(a), sd1 = sd(a), mean0 = mean(b), sd0 = sd(b))
})
cat <- lapply(cats, function(v) {
  tab <- table(d[[v]], factor(g, levels = c(0, 1)))
  tab <- tab[rowSums(tab) > 0, , drop = FALSE]
  ct <- suppressWarnings(chisq.test(tab, correct = correct))
  fisher <- min(ct$expected) < 5
  list(levels = as.list(rownames(tab)), n1 = as.numeric(tab[, "1"]), n0 = as.numeric(tab[, "0"]),
       test = if (fisher) "fisher" else "chisq",
       p = if (fisher) fisher.test(tab)$p.value else ct$p.value)
})
list(cont = cont, cat = cat)
"""
)

# Table 1 by cohort: the same rule, groups = training (1) vs test (0); the outcome as a row
_R_TABLE1_COHORT = _R_TABLE1.replace(
    "g <- y\n",
    """g <- as.integer(train)
if (addout) d[[".outcome"]] <- factor(ifelse(y == 1, "case", "control"),
                                      levels = c("case", "control"))
""",
    1,
)

_R_TABLE2 = (
    _R_PRELUDE
    + """
dd <- d[rows, , drop = FALSE]
dd[[resp]] <- y[rows]
fit1 <- function(vars) {
  f <- glm(fml(vars), family = binomial, data = dd)
  co <- summary(f)$coefficients
  ci <- confint.default(f, level = cl)
  asg <- attr(model.matrix(f), "assign")
  list(names = as.list(rownames(co)[-1]), or = unname(exp(co[-1, 1])),
       lo = unname(exp(ci[-1, 1])), hi = unname(exp(ci[-1, 2])), p = unname(co[-1, 4]),
       assign = asg[-1], converged = f$converged)
}
excl <- function(u, j) any(u$lo[u$assign == j] > 1 | u$hi[u$assign == j] < 1)
uni <- lapply(vars, fit1)
pass <- vars[vapply(seq_along(vars), function(i) uni[[i]]$converged && excl(uni[[i]], 1),
                    logical(1))]
multi <- if (length(pass)) fit1(pass) else NULL
kept <- if (length(pass) && multi$converged)
  pass[vapply(seq_along(pass), function(j) excl(multi, j), logical(1))] else character(0)
# one P per multi-level variable as a whole: anova(without, with, test = "Chisq")
lrp <- function(vars, v) {
  full <- glm(fml(vars), family = binomial, data = dd)
  red <- glm(fml(setdiff(vars, v)), family = binomial, data = dd)
  anova(red, full, test = "Chisq")[2, "Pr(>Chi)"]
}
whole <- lapply(kvars, function(v) list(
  univariate = lrp(v, v),
  multivariable = if (length(pass) && v %in% pass) lrp(pass, v) else NA_real_))
list(uni = uni, multi = multi, pass = as.list(pass), kept = as.list(kept), whole = whole)
"""
)

_R_ICC_PSYCH = """
a <- array(flat, dim = dims)
vapply(seq_len(dim(a)[3]), function(f)
  psych::ICC(a[, , f], lmer = FALSE)$results$ICC[match(form, c("ICC1", "ICC2", "ICC3",
                                                               "ICC1k", "ICC2k", "ICC3k"))],
  numeric(1))
"""

# psych::ICC's mean squares (two-way ANOVA, one rating per subject and rater), over all
# features at once: psych itself takes ~0.4 s per feature
_R_ICC_ALL = """
k <- length(arrs); n <- nrow(arrs[[1]])
S <- Reduce(`+`, arrs)
gm <- colSums(S) / (n * k)
SST <- Reduce(`+`, lapply(arrs, function(a) colSums(sweep(a, 2, gm)^2)))
SSR <- k * colSums(sweep(S / k, 2, gm)^2)
SSC <- n * Reduce(`+`, lapply(arrs, function(a) (colMeans(a) - gm)^2))
SSE <- SST - SSR - SSC
MSR <- SSR / (n - 1); MSC <- SSC / (k - 1); MSE <- SSE / ((n - 1) * (k - 1))
MSW <- (SSC + SSE) / (n * (k - 1))
est <- switch(form,
  ICC1 = (MSR - MSW) / (MSR + (k - 1) * MSW),
  ICC2 = (MSR - MSE) / (MSR + (k - 1) * MSE + k * (MSC - MSE) / n),
  ICC3 = (MSR - MSE) / (MSR + (k - 1) * MSE),
  ICC1k = (MSR - MSW) / MSR,
  ICC2k = (MSR - MSE) / (MSR + (MSC - MSE) / n),
  ICC3k = (MSR - MSE) / MSR)
e <- est[is.finite(est)]
list(all = unname(est), mean = mean(e), median = median(e), min = min(e), max = max(e),
     above = mean(e > 0.9), n = length(e))
"""

_R_SELECTION = """
X <- Xall[train, , drop = FALSE]
y <- yall[train]
p <- apply(X, 2, function(col) suppressWarnings(wilcox.test(col[y == 1], col[y == 0])$p.value))
keep <- which(p < pthr)
keep <- keep[order(p[keep], keep)]
kept <- integer(0)
if (length(keep)) {
  rho <- abs(cor(X[, keep, drop = FALSE], method = "spearman"))
  for (i in seq_along(keep)) if (!length(kept) || all(rho[i, kept] <= rhothr)) kept <- c(kept, i)
}
out <- list(after_mwu = length(keep), after_spearman = as.integer(unname(keep[kept])))
if (length(kept) >= 2) {
  Xs <- X[, keep[kept], drop = FALSE]
  f <- glmnet::cv.glmnet(Xs, y, family = "binomial", foldid = foldid)
  lam <- if (rule == "min") f$lambda.min else f$lambda.1se
  b <- as.numeric(coef(f, s = lam))
  out$lambda <- lam; out$intercept <- b[1]; out$beta <- b[-1]
  out$score <- as.numeric(cbind(1, Xall[, keep[kept], drop = FALSE]) %*% b)
}
out
"""

_R_MODELS = (
    _R_PRELUDE
    + """
tr <- train
md <- d
for (s in names(scores)) md[[s]] <- scores[[s]]
md[[resp]] <- y
fits <- list()
for (m in names(models)) {
  f <- glm(fml(models[[m]]), family = binomial, data = md[tr, , drop = FALSE])
  ci <- exp(confint.default(f, level = cl))
  fits[[m]] <- list(coef = unname(coef(f)), names = as.list(names(coef(f))),
                    lo = unname(ci[, 1]), hi = unname(ci[, 2]),
                    p = as.numeric(predict(f, newdata = md, type = "response")))
}
perf <- list()
for (m in names(fits)) {
  p <- fits[[m]]$p
  rt <- pROC::roc(y[tr], p[tr], levels = c(0, 1), direction = "<", quiet = TRUE)
  thr <- min(pROC::coords(rt, "best", best.method = "youden", ret = "threshold")$threshold)
  res <- list(threshold = thr)
  for (cohort in c("training", "test")) {
    k <- if (cohort == "training") tr else !tr
    r <- pROC::roc(y[k], p[k], levels = c(0, 1), direction = "<", quiet = TRUE)
    ci <- pROC::ci.auc(r, method = "delong", conf.level = cl)
    pos <- p[k] >= thr; yy <- y[k] == 1
    tp <- sum(pos & yy); fp <- sum(pos & !yy); tn <- sum(!pos & !yy); fn <- sum(!pos & yy)
    bt <- function(x, n) if (n > 0) as.numeric(binom.test(x, n, conf.level = cl)$conf.int)
                         else c(NA_real_, NA_real_)
    res[[cohort]] <- list(auc = as.numeric(ci[2]), lo = ci[1], hi = ci[3],
      accuracy = (tp + tn) / sum(k), sensitivity = tp / (tp + fn), specificity = tn / (tn + fp),
      ppv = tp / (tp + fp), npv = tn / (tn + fn),
      accuracy_ci = bt(tp + tn, sum(k)), sensitivity_ci = bt(tp, tp + fn),
      specificity_ci = bt(tn, tn + fp), ppv_ci = bt(tp, tp + fp), npv_ci = bt(tn, tn + fn))
  }
  perf[[m]] <- res
}
delong <- list()
for (cohort in names(pairs)) {
  k <- if (cohort == "training") tr else !tr
  ab <- pairs[[cohort]]
  delong[[cohort]] <- lapply(seq_along(ab$a), function(i) {
    r1 <- pROC::roc(y[k], fits[[ab$a[i]]]$p[k], levels = c(0, 1), direction = "<", quiet = TRUE)
    r2 <- pROC::roc(y[k], fits[[ab$b[i]]]$p[k], levels = c(0, 1), direction = "<", quiet = TRUE)
    t <- pROC::roc.test(r1, r2, method = "delong", paired = TRUE, conf.level = cl)
    list(auc = unname(t$estimate), z = unname(t$statistic), p = t$p.value,
         ci = as.numeric(t$conf.int))
  })
}
cal <- if (nzchar(calmodel)) {  # "" when the study's calibration step was skipped
  k <- if (calcohort == "training") tr else !tr
  as.list(rms::val.prob(fits[[calmodel]]$p[k], y[k], pl = FALSE))
} else NULL
calall <- list()
for (m in names(calmodels)) {
  calall[[m]] <- lapply(calmodels[[m]], function(cohort) {
    k <- if (cohort == "training") tr else !tr
    as.list(rms::val.prob(fits[[m]]$p[k], y[k], pl = FALSE))
  })
  names(calall[[m]]) <- unlist(calmodels[[m]])
}
list(fits = fits, perf = perf, delong = delong, cal = cal, calall = calall)
"""
)

# the final model's nomogram from the same columns (internal names x1.., so no user string
# reaches a formula): a categorical variable enters as the 0/1 indicator of each
# non-reference level, as the pipeline draws it
_R_NOMOGRAM = (
    _R_PRELUDE
    + """
nd <- data.frame(yy = y)
for (i in seq_along(kind)) {
  nd[[paste0("x", i)]] <- if (kind[i] == "score") scores[[column[i]]]
    else if (kind[i] == "level") as.numeric(d[[column[i]]] == level[i]) else d[[column[i]]]
}
nd <- nd[train, , drop = FALSE]
preds <- paste0("x", seq_along(kind))
dd <- rms::datadist(nd); options(datadist = dd)
f <- rms::lrm(as.formula(paste("yy ~", paste(preds, collapse = " + "))), data = nd)
nom <- rms::nomogram(f, fun = plogis)
info <- attr(nom, "info")
options(datadist = NULL)
list(sc = info$sc, Intercept = unname(info$Intercept), fail = f$fail,
     values = lapply(preds, function(p) as.numeric(nom[[p]][[p]])),
     points = lapply(preds, function(p) as.numeric(nom[[p]]$points)))
"""
)

# rms::validate of a model fitted by lrm on the training cohort's design columns (x1..), and
# R's own resamples after the same set.seed (validate.lrm draws only through them)
_R_VALIDATE = """
nd <- data.frame(yy = yy, X)
f <- rms::lrm(yy ~ ., data = nd, x = TRUE, y = TRUE)
set.seed(seed); v <- rms::validate(f, B = B)
set.seed(seed); idx <- sapply(seq_len(B), function(i) sample(nrow(nd), replace = TRUE))
list(v = unclass(v)[, 1:6, drop = FALSE], rows = as.list(rownames(v)), idx = idx)
"""

# rms::val.prob's names → results.json's calibration keys (D:p is NA in rms 6.5: not compared)
_CAL_NAMES = {
    "Dxy": "dxy",
    "C (ROC)": "c",
    "R2": "r2",
    "D": "d",
    "D:Chi-sq": "d_chisq",
    "U": "u",
    "U:Chi-sq": "u_chisq",
    "U:p": "u_pvalue",
    "Q": "q",
    "Brier": "brier",
    "Intercept": "intercept",
    "Slope": "slope",
    "Emax": "emax",
    "E90": "e90",
    "Eavg": "eavg",
    "S:z": "spiegelhalter_z",
    "S:p": "spiegelhalter_pvalue",
}


# --------------------------------------------------------------------------- helpers


def _load_data(config):
    """The study's inputs exactly as the pipeline sees them."""
    from cetrus.study.data import load_study

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_study(config)


def _read_raw(path: Path, text_columns: list[str]) -> pd.DataFrame:
    """The clinical table as written: ids, outcome and categorical columns as text."""
    if path.suffix.lower() in (".parquet", ".pq"):
        return pd.read_parquet(path)
    return pd.read_csv(
        path,
        dtype={c: str for c in text_columns},
        keep_default_na=True,
        float_precision="round_trip",
    )


def _as_text(s: pd.Series) -> np.ndarray:
    """Raw values as text (``None`` where missing); whole floats print as integers,
    logicals as ``true``/``false``."""
    out: list[str | None] = []
    for v in s.tolist():
        if v is None or (isinstance(v, float) and np.isnan(v)):
            out.append(None)
        elif isinstance(v, (bool, np.bool_)):
            out.append("true" if v else "false")
        elif isinstance(v, (float, np.floating)) and float(v).is_integer():
            out.append(str(int(v)))
        else:
            out.append(str(v))
    return np.array(out, dtype=object)


def _digest(ids: Iterable[str]) -> str:
    ids = [str(i) for i in ids]
    h = hashlib.sha1("\x1f".join(ids).encode()).hexdigest()[:12]
    return f"{len(ids)} ids, sha1 {h}"


def _vec(x: Any) -> np.ndarray:
    return np.atleast_1d(np.asarray(x, dtype=float))


def _names(x: Any) -> list[str]:
    if x is None:
        return []
    if isinstance(x, (list, tuple, np.ndarray)):
        return [str(v) for v in x]
    return [str(x)]


def _pairs(results: dict) -> dict:
    """The paired DeLong comparisons per cohort (the ``comparisons`` step; ``delong`` before)."""
    return results.get("comparisons") or results.get("delong") or {}


def _group_keys(entry: dict, config) -> tuple[str, str]:
    """The case- and control-group keys of a Table 1 stats entry."""
    o = config.outcome
    for a, b in (
        ("metastasis", "non_metastasis"),
        ("case", "control"),
        ("cases", "controls"),
        (o.case_label, o.control_label),
    ):
        if a in entry and b in entry:
            return a, b
    raise KeyError(f"no case/control group keys in table1 stats entry (keys: {sorted(entry)})")


# --------------------------------------------------------------------------- the sections


@dataclass(frozen=True)
class Section:
    key: str  # e.g. "table1", "selection:CEUS"
    statistic: str  # the parity table's statistic column
    name: str  # the parity table's case column
    tolerance: Tol


class StudyParity:
    """One study's results against R, section by section (see the module docstring).

    ``results_dir`` holds the ``results.json`` written by ``cetrus analyze``; the raw
    inputs are read through the study config.
    """

    def __init__(
        self, config, results_dir: str | Path, *, icc_features: int = 12, data=None
    ) -> None:
        self.config = config
        self.results_dir = Path(results_dir)
        path = self.results_dir / "results.json"
        if not path.is_file():
            raise InputError(f"{path}: no results; run cetrus analyze --config {config.path} first")
        try:
            self.results = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise InputError(f"{path}: cannot read ({str(exc).splitlines()[0]})") from None
        self.icc_features = int(icc_features)
        self._data = data
        self._cache: dict[str, Any] = {}

    # ---- shared inputs
    @property
    def data(self):
        if self._data is None:
            self._data = _load_data(self.config)
        return self._data

    @property
    def train(self) -> np.ndarray:
        if "train" not in self._cache:
            from cetrus.study.split import stratified_split

            sp = self.config.split
            seed = self.results.get("cohort", {}).get("split_seed", sp.reported_seed)
            self._cache["train"] = stratified_split(
                self.data.y, seed, test_fraction=sp.test_fraction, stratify=sp.stratify
            ).train
        return self._cache["train"]

    def _clinical_bindings(self) -> dict:
        """The raw clinical columns of the variables, the outcome and the ids, for R."""
        if "clin" not in self._cache:
            c = self.config
            cats = [v.column for v in c.variables if v.type == "categorical"]
            raw = _read_raw(c.clinical, [c.id_column, c.outcome.column, *cats])
            cols: dict[str, Any] = {}
            levs: dict[str, list[str]] = {}
            for v in c.variables:
                s = raw[v.column]
                if v.type == "categorical":
                    cols[v.column] = _as_text(s)
                    levs[v.column] = list(v.levels)
                else:
                    cols[v.column] = pd.to_numeric(s, errors="coerce").to_numpy(float)
            outcome = _as_text(raw[c.outcome.column])
            positive = c.outcome.positive
            if isinstance(positive, bool):  # a logical outcome written true/false or 1/0
                outcome = np.array(
                    [None if o is None else o.lower() for o in outcome], dtype=object
                )
                pos = ["true", "1"] if positive else ["false", "0"]
            else:
                pos = list(_as_text(pd.Series([positive], dtype=object)))
            ids = _as_text(raw[c.id_column])
            self._cache["clin"] = dict(cols=cols, levs=levs, outcome=outcome, pos=pos, ids=ids)
        return self._cache["clin"]

    def sections(self) -> list[Section]:
        r, T = self.results, TOLERANCES
        out = [
            Section("cohort", "cohort", "complete cases, exclusions and the split", T["cohort"]),
            Section(
                "table1", "table1", "Table 1: summaries by outcome and the rule's P", T["table1"]
            ),
            Section("table2", "table2", "Table 2: univariate -> multivariable glm", T["table2"]),
        ]
        if r.get("table1_cohort"):
            out.insert(
                2,
                Section(
                    "table1_cohort",
                    "table1",
                    "Table 1 by cohort: training vs test, the same rule's P",
                    T["table1"],
                ),
            )
        for m in self.config.modalities:
            if len(self.data.raters.get(m.name, {})) >= 2:
                out.append(
                    Section(f"icc:{m.name}", "icc", f"{m.name}: ICC vs psych::ICC", T["icc"])
                )
        for m in self.config.modalities:
            out.append(
                Section(
                    f"selection:{m.name}",
                    "selection",
                    f"{m.name}: MWU -> Spearman -> cv.glmnet",
                    T["selection"],
                )
            )
        out.append(
            Section(
                "table3_4", "table3_4", "Tables 3-4: glm -> pROC, Youden of training", T["table3_4"]
            )
        )
        if any(_pairs(r).values()):
            out.append(
                Section("delong", "delong", "paired DeLong tests (pROC::roc.test)", T["delong"])
            )
        if r.get("calibration"):
            out.append(
                Section(
                    "calibration",
                    "calibration",
                    f"{r['calibration'].get('model', '')} model: rms::val.prob",
                    T["calibration"],
                )
            )
        if r.get("calibration_models"):
            out.append(
                Section(
                    "calibration_models",
                    "calibration",
                    "every model, both cohorts: rms::val.prob",
                    T["calibration"],
                )
            )
        for name in (r.get("validation") or {}).get("models", {}):
            out.append(
                Section(
                    f"validation:{name}",
                    "validate",
                    f"{name} model: rms::validate given R's resamples",
                    T["validate"],
                )
            )
        if r.get("nomogram"):
            out.append(
                Section(
                    "nomogram",
                    "nomogram",
                    f"{r['nomogram'].get('model', '')} model: rms::nomogram axes",
                    T["nomogram"],
                )
            )
        return out

    def checks(self, key: str) -> Iterable[tuple]:
        """The checks of one section (a generator)."""
        kind, _, arg = key.partition(":")
        methods: dict[str, Callable[..., Iterable[tuple]]] = {
            "cohort": self._cohort,
            "table1": self._table1,
            "table2": self._table2,
            "icc": self._icc,
            "selection": self._selection,
            "table3_4": self._tables34,
            "delong": self._delong,
            "calibration": self._calibration,
            "nomogram": self._nomogram,
            "table1_cohort": self._table1_cohort,
            "calibration_models": self._calibration_models,
            "validation": self._validation,
        }
        method = methods[kind]
        return method(arg) if arg else method()

    # ---- cohort
    def _cohort(self):
        from cetrus.rbridge import r_eval

        d, res = self.data, self.results
        r = r_eval(_R_COHORT, train=self.train, **self._clinical_bindings())
        coh = res["cohort"]
        ids = d.clinical[self.config.id_column].astype(str).tolist()
        yield "included patients (ids)", _digest(ids), _digest(_names(r["ids"]))
        miss = res.get("missing") or {}
        if "n_input" in miss:
            yield "patients in the clinical table", float(miss["n_input"]), float(r["n_input"])
        py_missing = {k: int(v) for k, v in (miss.get("missing") or {}).items() if v}
        r_missing = {k: int(v) for k, v in (r["missing"] or {}).items() if v}
        if miss:
            yield (
                "missing values per column",
                tuple(sorted(py_missing.items())),
                tuple(sorted(r_missing.items())),
            )
        yield "patients analysed", float(coh["n"]), float(r["n"])
        yield "cases", float(coh["cases"]), float(r["cases"])
        yield "training patients", float(coh["training"]["n"]), float(r["train_n"])
        yield "training cases", float(coh["training"]["cases"]), float(r["train_cases"])
        yield "test patients", float(coh["test"]["n"]), float(r["test_n"])
        yield "test cases", float(coh["test"]["cases"]), float(r["test_cases"])

    # ---- Table 1
    def _table1(self):
        from cetrus.rbridge import r_eval

        c = self.config
        stats = self.results["table1"]["stats"]
        conts = [v for v in c.variables if v.type == "continuous"]
        cats = [v for v in c.variables if v.type == "categorical"]
        r = r_eval(
            _R_TABLE1,
            packages=("car",),
            conts=[v.column for v in conts],
            cats=[v.column for v in cats],
            alpha=_ALPHA,
            correct=bool(c.table1.chisq_correct),
            **self._clinical_bindings(),
        )
        rc = r["cont"] if isinstance(r["cont"], list) else [r["cont"]]
        rk = r["cat"] if isinstance(r["cat"], list) else [r["cat"]]

        def entry(v):
            return stats[v.label] if v.label in stats else stats[v.column]

        for v, rv in zip(conts, rc):
            e = entry(v)
            g1, g0 = _group_keys(e, c)
            yield f"{v.label} test", e["test"], rv["test"]
            for grp, key, m, s in ((g1, "q1", "mean1", "sd1"), (g0, "q0", "mean0", "sd0")):
                q = _vec(rv[key])
                for i, name in enumerate(("median", "p25", "p75")):
                    yield f"{v.label} {name} ({grp})", e[grp][name], float(q[i])
                yield f"{v.label} mean ({grp})", e[grp]["mean"], float(rv[m])
                yield f"{v.label} sd ({grp})", e[grp]["sd"], float(rv[s])
            yield f"{v.label} P ({rv['test']})", e["pvalue"], float(rv["p"])
        for v, rv in zip(cats, rk):
            e = entry(v)
            g1, g0 = _group_keys(e, c)
            levels = _names(rv["levels"])
            yield f"{v.label} test", e["test"], rv["test"]
            yield f"{v.label} levels", tuple(sorted(map(str, e[g1]))), tuple(sorted(levels))
            for grp, key in ((g1, "n1"), (g0, "n0")):
                for level, n in zip(levels, _vec(rv[key])):
                    yield f"{v.label}={level} n ({grp})", float(e[grp].get(level, np.nan)), float(n)
            yield f"{v.label} P ({rv['test']})", e["pvalue"], float(rv["p"])

    # ---- Table 2
    def _table2(self):
        from cetrus.rbridge import r_eval

        c, t2 = self.config, self.results["table2"]
        rows = (
            self.train if t2.get("cohort", "training") == "training" else np.ones_like(self.train)
        )
        vars_ = [v.column for v in c.variables]
        kvars = [v.column for v in c.variables if v.type == "categorical" and len(v.levels) > 2]
        r = r_eval(
            _R_TABLE2,
            vars=vars_,
            rows=rows,
            cl=float(t2.get("conf_level", 0.95)),
            kvars=kvars,
            **self._clinical_bindings(),
        )
        uni = r["uni"] if isinstance(r["uni"], list) else [r["uni"]]
        yield "cohort size", float(t2["n"]), float(rows.sum())
        py_uni = {u["predictors"][0]: u for u in t2["univariate"]}
        for var, ru in zip(vars_, uni):
            yield from self._terms(f"univariate {var}", py_uni[var], ru)
        multi = t2.get("multivariable")
        if multi is not None and r["multi"] is not None:
            yield from self._terms("multivariable", multi, r["multi"])
        else:
            yield "multivariable model fitted", multi is not None, r["multi"] is not None
        rw = r["whole"] if isinstance(r["whole"], list) else [r["whole"]]
        for v, w in zip(kvars, rw if kvars else []):
            py = (t2.get("whole_variable_p") or {}).get(v, {})
            for model in ("univariate", "multivariable"):
                pv = py.get(model)
                yield (
                    f"{model} {v} P (whole variable, anova LRT)",
                    float("nan") if pv is None else float(pv),
                    float(w[model]),
                    GLM_P_TOL,
                )
        yield "passed univariate", tuple(t2["passed_univariate"]), tuple(_names(r["pass"]))
        yield "retained", tuple(t2["retained"]), tuple(_names(r["kept"]))

    @staticmethod
    def _terms(label: str, py: dict, r: dict):
        terms = [t for t in py["terms"] if t["term"] != "(Intercept)"]
        names = _names(r["names"])
        yield f"{label} terms (R's names)", tuple(t["term"] for t in terms), tuple(names)
        for t, i in zip(terms, range(len(names))):
            n = names[i]
            yield f"{label}: {n} OR", t["odds_ratio"], float(_vec(r["or"])[i])
            yield f"{label}: {n} CI low", t["ci_low"], float(_vec(r["lo"])[i])
            yield f"{label}: {n} CI high", t["ci_high"], float(_vec(r["hi"])[i])
            yield f"{label}: {n} P", t["pvalue"], float(_vec(r["p"])[i]), GLM_P_TOL

    # ---- ICC
    def _icc(self, modality: str):
        from cetrus.rbridge import r_eval
        from cetrus.stats.reliability import icc_many

        raters = self.data.raters[modality]
        py = self.results["icc"][modality]
        form = py.get("form", self.config.selection.icc_form)
        arrs = [f.to_numpy(float) for f in raters.values()]
        r = r_eval(_R_ICC_ALL, arrs={str(k): a for k, a in zip(raters, arrs)}, form=form)
        yield f"{form} features (finite)", float(py["n_features"]), float(r["n"])
        for key, rkey in (
            ("mean", "mean"),
            ("median", "median"),
            ("min", "min"),
            ("max", "max"),
            ("fraction_above_0.9", "above"),
        ):
            yield f"{form} {key} over all features", py[key], float(r[rkey])
        ratings = np.stack(arrs, axis=1)  # n × raters × features
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est = np.asarray(icc_many(ratings).estimate[form], float)
        p = ratings.shape[2]
        cols = (
            np.arange(p)
            if p <= self.icc_features
            else np.sort(np.random.default_rng(0).choice(p, self.icc_features, replace=False))
        )
        yield f"{form} every feature (R: psych's mean squares)", est, _vec(r["all"])
        rp = _vec(
            r_eval(
                _R_ICC_PSYCH,
                packages=("psych",),
                flat=ratings[:, :, cols].ravel(order="F"),
                dims=np.array(ratings[:, :, cols].shape, dtype=float),
                form=form,
            )
        )
        yield f"{form} of {cols.size} features vs psych::ICC", est[cols], rp

    # ---- selection
    def _selection(self, modality: str):
        from cetrus.rbridge import r_eval
        from cetrus.stats.lasso_cv import make_folds

        s = self.config.selection
        py = self.results["selection"][modality]
        X = self.data.features[modality]
        cols = list(map(str, X.columns))
        train, y = self.train, self.data.y.astype(float)
        foldid = make_folds(int(train.sum()), s.lasso_folds, s.lasso_seed)
        arr = X.to_numpy(float)
        r = r_eval(
            _R_SELECTION,
            packages=("glmnet",),
            Xall=arr,
            yall=y,
            train=train,
            foldid=foldid.astype(float),
            pthr=s.mwu_p,
            rhothr=s.spearman_rho,
            rule=s.lasso_lambda,
        )
        kept = [cols[i - 1] for i in np.atleast_1d(r["after_spearman"]).astype(int)]
        yield "after MWU (count)", float(py["after_mwu"]), float(r["after_mwu"])
        yield "after Spearman (count)", float(py["after_spearman"]), float(len(kept))
        coefs = py.get("coefficients", {})
        py_score = np.full(arr.shape[0], float(py["intercept"]))
        if coefs:
            py_score = py_score + X[list(coefs)].to_numpy(float) @ np.array(list(coefs.values()))
        if "lambda" not in r:  # fewer than 2 features left: glmnet needs two columns
            yield "selected (non-zero)", tuple(py["features"]), tuple(kept[: len(py["features"])])
            return
        beta = _vec(r["beta"])
        yield (
            "selected (non-zero)",
            tuple(py["features"]),
            tuple(n for n, b in zip(kept, beta) if b != 0),
        )
        yield f"lambda.{s.lasso_lambda}", py["lambda"], float(r["lambda"]), Tol(rel=1e-9)
        yield "LASSO intercept", py["intercept"], float(r["intercept"]), _SCORE_TOL
        yield "LASSO coefficients", np.array([coefs.get(n, 0.0) for n in kept]), beta
        yield "radiomics score (all patients)", py_score, _vec(r["score"]), _SCORE_TOL

    def _scores(self) -> dict[str, np.ndarray]:
        """Each modality's radiomics score as the results report it: ``intercept + X β``
        with the reported LASSO coefficients (checked against R in ``selection``)."""
        out = {}
        for m in self.config.modalities:
            sel = self.results.get("selection", {}).get(m.name)
            if sel is None:
                continue
            coefs = sel.get("coefficients", {})
            sc = np.full(len(self.data.y), float(sel["intercept"]))
            if coefs:
                sc = sc + self.data.features[m.name][list(coefs)].to_numpy(float) @ np.array(
                    list(coefs.values())
                )
            out[f"score_{m.name}"] = sc
        return out

    # ---- Tables 3-4, DeLong, calibration: one R run
    def _models_r(self) -> dict:
        if "models" in self._cache:
            return self._cache["models"]
        from cetrus.rbridge import r_eval

        res = self.results
        names = list(res["performance"]["test"])
        models = {n: list(res["models"][n]["predictors"]) for n in names}
        scores = self._scores()
        pairs = {
            cohort: {"a": [p["model_a"] for p in lst], "b": [p["model_b"] for p in lst]}
            for cohort, lst in _pairs(res).items()
            if lst
        }
        cal = res.get("calibration") or {}
        conf = float(res.get("settings", {}).get("selection", {}).get("conf_level", 0.95))
        calmodels = {
            n: [c for c, v in per.items() if "skipped" not in v]
            for n, per in (res.get("calibration_models") or {}).items()
        }
        calmodels = {n: c for n, c in calmodels.items() if c}
        out = r_eval(
            _R_MODELS,
            packages=("pROC", "rms"),
            train=self.train,
            scores=scores,
            models=models,
            pairs=pairs,
            calmodel=cal.get("model", ""),
            calmodels=calmodels,
            calcohort=cal.get("cohort", "test"),
            cl=conf,
            **self._clinical_bindings(),
        )
        self._cache["models"] = out
        return out

    def _tables34(self):
        r, res = self._models_r(), self.results
        for model in res["performance"]["test"]:
            fit = r["fits"][model]
            terms = res["models"][model]["terms"]
            rn = _names(fit["names"])
            yield f"{model} terms (R's names)", tuple(t["term"] for t in terms), tuple(rn)
            yield (
                f"{model} coefficients ({', '.join(rn)})",
                np.array([t["coef"] for t in terms]),
                _vec(fit["coef"]),
                GLM_TOL,
            )
            yield (
                f"{model} OR CI low (confint.default)",
                np.array([t["ci_low"] for t in terms]),
                _vec(fit["lo"]),
                GLM_TOL,
            )
            yield (
                f"{model} OR CI high (confint.default)",
                np.array([t["ci_high"] for t in terms]),
                _vec(fit["hi"]),
                GLM_TOL,
            )
            rp = r["perf"][model]
            yield (
                f"{model} Youden threshold (training)",
                res["performance"]["training"][model]["threshold"],
                float(rp["threshold"]),
                GLM_TOL,
            )
            for cohort in ("training", "test"):
                py, rr = res["performance"][cohort][model], rp[cohort]
                yield f"{model} {cohort} AUC", py["auc"], float(rr["auc"])
                yield f"{model} {cohort} AUC CI low", py["auc_ci_low"], float(rr["lo"])
                yield f"{model} {cohort} AUC CI high", py["auc_ci_high"], float(rr["hi"])
                for k in ("accuracy", "sensitivity", "specificity", "ppv", "npv"):
                    yield f"{model} {cohort} {k}", py[k], float(rr[k]), _EXACT
                    if f"{k}_ci_low" in py:
                        ci = _vec(rr[f"{k}_ci"])
                        yield (
                            f"{model} {cohort} {k} CI low (binom.test)",
                            py[f"{k}_ci_low"],
                            float(ci[0]),
                            _CP_TOL,
                        )
                        yield (
                            f"{model} {cohort} {k} CI high (binom.test)",
                            py[f"{k}_ci_high"],
                            float(ci[1]),
                            _CP_TOL,
                        )

    def _delong(self):
        r = self._models_r()
        loose = Tol(
            rel=1e-7,
            abs=1e-12,
            reason="z, P and CI divide by DeLong's variance, summed in a different order",
        )
        for cohort, lst in _pairs(self.results).items():
            rl = r["delong"].get(cohort) or []
            rl = rl if isinstance(rl, list) else [rl]
            for p, rr in zip(lst, rl):
                label = f"{cohort} {p['model_a']} vs {p['model_b']}"
                auc, ci = _vec(rr["auc"]), _vec(rr["ci"])
                yield f"{label} AUC a", p["auc_a"], float(auc[0])
                yield f"{label} AUC b", p["auc_b"], float(auc[1])
                yield f"{label} difference", p["difference"], float(auc[0] - auc[1])
                yield f"{label} z", p["statistic"], float(rr["z"]), loose
                yield f"{label} P", p["pvalue"], float(rr["p"]), loose
                yield f"{label} CI low", p["ci_low"], float(ci[0]), loose
                yield f"{label} CI high", p["ci_high"], float(ci[1]), loose

    def _nomogram(self):
        from cetrus.rbridge import r_eval

        res, c = self.results, self.config
        nom = res["nomogram"]
        spec = []
        for p in res["models"][nom["model"]]["predictors"]:
            if p.startswith("score_") and p[len("score_") :] in res.get("selection", {}):
                spec.append({"kind": "score", "column": p, "level": ""})
                continue
            v = c.variable(p)
            if v.type == "categorical":
                spec += [{"kind": "level", "column": p, "level": lv} for lv in v.levels[1:]]
            else:
                spec.append({"kind": "value", "column": p, "level": ""})
        r = r_eval(
            _R_NOMOGRAM,
            packages=("rms",),
            kind=[x["kind"] for x in spec],
            column=[x["column"] for x in spec],
            level=[x["level"] for x in spec],
            scores=self._scores(),
            train=self.train,
            **self._clinical_bindings(),
        )
        yield "rms::lrm converged", True, not bool(r["fail"])
        labels = list(nom["predictors"])
        yield "axes", float(len(labels)), float(len(spec))
        yield "scale (points per unit of the linear predictor)", nom["scale"], float(r["sc"])
        yield "Intercept (linear predictor at 0 points)", nom["intercept"], float(r["Intercept"])
        values = r["values"] if isinstance(r["values"], list) else [r["values"]]
        points = r["points"] if isinstance(r["points"], list) else [r["points"]]
        for label, v, pts in zip(labels, values, points):
            axis = nom["axes"][label]
            yield f"{label} axis values", np.asarray(axis["values"], float), _vec(v)
            yield f"{label} points", np.asarray(axis["points"], float), _vec(pts)

    def _calibration(self):
        r = self._models_r()["cal"]
        py = self.results["calibration"]
        for r_name, key in _CAL_NAMES.items():
            if key in py:
                yield r_name, py[key], float(r[r_name])

    def _calibration_models(self):
        r = self._models_r()["calall"] or {}
        for name, per in self.results["calibration_models"].items():
            for cohort, py in per.items():
                if "skipped" in py:
                    continue
                rr = r[name][cohort]
                for r_name, key in _CAL_NAMES.items():
                    if key in py:
                        tol = (
                            _OWN_RECAL_TOL
                            if (cohort == "training" and r_name in ("Intercept", "Slope"))
                            else None
                        )
                        yield (f"{name} {cohort} {r_name}", py[key], float(rr[r_name])) + (
                            (tol,) if tol else ()
                        )

    # ---- Table 1 by cohort
    def _table1_cohort(self):
        from cetrus.rbridge import r_eval

        c = self.config
        t = self.results["table1_cohort"]
        stats = t["stats"]
        conts = [v for v in c.variables if v.type == "continuous"]
        cats = [v for v in c.variables if v.type == "categorical"]
        addout = t.get("outcome_row") is not None
        r = r_eval(
            _R_TABLE1_COHORT,
            packages=("car",),
            conts=[v.column for v in conts],
            cats=([".outcome"] if addout else []) + [v.column for v in cats],
            alpha=_ALPHA,
            correct=bool(c.table1.chisq_correct),
            train=self.train,
            addout=addout,
            **self._clinical_bindings(),
        )
        rc = r["cont"] if isinstance(r["cont"], list) else [r["cont"]]
        rk = r["cat"] if isinstance(r["cat"], list) else [r["cat"]]
        yield (
            "training / test sizes",
            (t["group_n"]["training"], t["group_n"]["test"]),
            (int(self.train.sum()), int((~self.train).sum())),
        )
        for v, rv in zip(conts, rc):
            e = stats[v.label]
            yield f"{v.label} test", e["test"], rv["test"]
            for grp, key, m, s in (
                ("training_cohort", "q1", "mean1", "sd1"),
                ("test_cohort", "q0", "mean0", "sd0"),
            ):
                q = _vec(rv[key])
                for i, name in enumerate(("median", "p25", "p75")):
                    yield f"{v.label} {name} ({grp})", e[grp][name], float(q[i])
                yield f"{v.label} mean ({grp})", e[grp]["mean"], float(rv[m])
                yield f"{v.label} sd ({grp})", e[grp]["sd"], float(rv[s])
            yield f"{v.label} P ({rv['test']})", e["pvalue"], float(rv["p"])
        labels: list[tuple[str, dict[str, str] | None]] = (
            [(c.outcome.label, {"case": c.outcome.case_label, "control": c.outcome.control_label})]
            if addout
            else []
        )
        labels += [(v.label, None) for v in cats]
        for (label, rename), rv in zip(labels, rk):
            e = stats[label]
            levels = [rename.get(x, x) if rename else x for x in _names(rv["levels"])]
            yield f"{label} test", e["test"], rv["test"]
            for grp, key in (("training_cohort", "n1"), ("test_cohort", "n0")):
                for level, n in zip(levels, _vec(rv[key])):
                    yield f"{label}={level} n ({grp})", float(e[grp].get(level, np.nan)), float(n)
            yield f"{label} P ({rv['test']})", e["pvalue"], float(rv["p"])

    # ---- rms::validate of the clinical / integrated model, R's resamples
    def _validation(self, model: str):
        from cetrus.rbridge import r_eval
        from cetrus.stats.optimism import INDEXES, validate_logistic

        res = self.results
        entry = res["validation"]["models"][model]
        B, seed = int(entry["B"]), int(res["validation"]["seed"])
        X = self._design(model)
        yy = self.data.y[self.train].astype(float)
        out = r_eval(_R_VALIDATE, packages=("rms",), X=X, yy=yy, B=B, seed=seed)
        n = yy.size
        idx = np.asarray(out["idx"], dtype=int).reshape(n, B, order="F").T - 1
        table = np.asarray(out["v"], dtype=float).reshape(len(INDEXES), 6, order="F")
        rows = _names(out["rows"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            py = validate_logistic(X, yy, resamples=idx).table
        cols = ["index_orig", "training", "test", "optimism", "index_corrected", "n"]
        reported = entry["table"]
        for i, name in enumerate(rows):
            if name != "Emax":  # the reported apparent indexes need no resample
                yield (
                    f"{name} index.orig (reported)",
                    float(reported[name]["index_orig"]),
                    float(table[i, 0]),
                )
            for j, col in enumerate(cols):
                if name == "Emax" and col in ("index_orig", "training"):
                    continue  # rms prints 0 there; not an estimate
                yield f"{name} {col} (R's resamples)", float(py[col].loc[name]), float(table[i, j])

    def _design(self, model: str) -> pd.DataFrame:
        """A model's design columns on the training cohort (R's dummies), named x1.."""
        from cetrus.stats.logistic import logit
        from cetrus.study.steps import model_frame

        res = self.results
        preds = list(res["models"][model]["predictors"])
        scores = {k[len("score_") :]: v for k, v in self._scores().items()}
        frame = model_frame(self.config, self.data, scores).loc[self.train].reset_index(drop=True)
        ref = {
            v.column: v.reference
            for v in self.config.variables
            if v.categorical and v.column in preds
        } or None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = logit(frame, "_y", preds, reference=ref)
        arr = fit.design(frame)[:, 1:]
        return pd.DataFrame(arr, columns=[f"x{i + 1}" for i in range(arr.shape[1])])


# --------------------------------------------------------------------------- entry points


def validate_study(
    config,
    results_dir: str | Path | None = None,
    *,
    log: Callable[[str], None] | None = None,
    icc_features: int = 12,
    data=None,
) -> pd.DataFrame:
    """Check every number of a study's tables against R; write ``parity.csv`` and ``parity.md``.

    Parameters
    ----------
    config : StudyConfig
        The study (:func:`cetrus.study.config.load_config`).
    results_dir : path, optional
        The results folder of ``cetrus analyze`` (default: the config's results folder).
    log : callable, optional
        Progress lines (one per section).
    icc_features : int
        Features per modality compared one by one with ``psych::ICC`` (every feature
        is checked through psych's formulas).
    data : StudyData, optional
        The loaded inputs (default: loaded from the config).

    Returns
    -------
    DataFrame
        The parity table (:data:`cetrus.parity.COLUMNS`), also written to
        ``results_dir/parity.csv`` with its markdown rendering ``parity.md``
        (:func:`cetrus.report.tables.parity_markdown`; also ``include/parity.md``, which
        the validation report includes, when the folder has ``include/``) and a
        one-screen ``parity-summary.txt``. Raises :class:`~cetrus.errors.RUnavailableError`
        when R (or a needed R package) is missing.
    """
    from cetrus import rbridge

    if results_dir is None:
        results_dir = _default_results_dir(config)
    results_dir = Path(results_dir)
    study = StudyParity(config, results_dir, icc_features=icc_features, data=data)
    rbridge.require("pROC", "psych", "glmnet", "rms", "car")
    say = log or (lambda m: None)
    t0 = time.perf_counter()
    rows: list[dict] = []
    for s in study.sections():
        t = time.perf_counter()
        part = run_checks(s.statistic, s.name, functools.partial(study.checks, s.key), s.tolerance)
        rows.extend(part)
        bad = sum(not row["pass"] for row in part)
        say(
            f"validate: {s.name}: {len(part)} checks, {bad} failed "
            f"({time.perf_counter() - t:.1f} s)"
        )
    table = pd.DataFrame(rows, columns=COLUMNS)
    from cetrus.report.tables import parity_markdown

    csv = write_table(table, results_dir / "parity.csv")
    md = parity_markdown(csv)
    from cetrus._fs import write_text_atomic  # a kill leaves the old file or the new one

    write_text_atomic(results_dir / "parity.md", md)
    if (results_dir / "include").is_dir():  # what the study's validation report includes
        write_text_atomic(results_dir / "include" / "parity.md", md)
    # no seconds in the file: a rerun writes the same bytes (the log says the time)
    summary = summarise(table, None, title=f"{config.title}: R parity")
    write_text_atomic(results_dir / "parity-summary.txt", summary + "\n")
    say(f"validate: {len(table)} checks in {time.perf_counter() - t0:.1f} s")
    return table


def _default_results_dir(config) -> Path:
    rd = getattr(config, "results_dir", None)
    if rd is not None:
        return Path(rd() if callable(rd) else rd)
    return config.root / "results"
