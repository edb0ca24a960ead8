"""ROC toolbox parity: cetrus.stats.roc_more (and roc_test's new options) against pROC 1.18.

Exact statistics at 1e-9 (DESIGN.md). Bootstrap results are compared with pROC's own
``ci.*`` output: the resample indices are drawn in R exactly as pROC draws them
(``set.seed(s)``, then per replicate ``sample.int(n_controls, replace = TRUE)`` and
``sample.int(n_cases, replace = TRUE)``), handed to cetrus, and pROC's ``ci.*`` is
run after the same ``set.seed(s)``: the two must agree to 1e-9, draw for draw.
Data: pROC's aSAH and a generated tie-heavy sample (few distinct score levels).
"""

from __future__ import annotations

import numpy as np

from cetrus.rbridge import r_eval
from cetrus.stats import (
    Resamples,
    auc_ci,
    auc_partial,
    ci_coords,
    ci_thresholds,
    power_roc_test,
    power_roc_test_binormal,
    power_roc_test_paired,
    roc_coords,
    roc_cov,
    roc_test,
    roc_var,
)
from validation.cases._data import asah, binary_sample
from validation.harness import case

PKG = ("pROC",)

_R_ROC = "r <- pROC::roc(y, x, levels = c(0, 1), direction = dir, quiet = TRUE)\n"


def _asah(col="s100b"):
    d = asah()
    return d["poor"].to_numpy(), d[col].to_numpy(float)


def _ties(n=300, seed=5, levels=5):
    y, a, b = binary_sample(n, 0.35, seed, ties=levels)
    return y, a, b


def _r_resamples(y, boot_n, seed):
    """The stratified indices pROC draws after set.seed(seed), 0-based."""
    m, n = int(np.sum(y == 1)), int(np.sum(y == 0))
    r = r_eval(
        """set.seed(s)
ctl <- matrix(0L, B, n); cs <- matrix(0L, B, m)
for (b in seq_len(B)) { ctl[b, ] <- sample.int(n, n, replace = TRUE)
                        cs[b, ] <- sample.int(m, m, replace = TRUE) }
list(controls = ctl - 1L, cases = cs - 1L)""",
        s=seed,
        B=boot_n,
        n=n,
        m=m,
    )
    return Resamples(
        np.asarray(r["cases"]).reshape(boot_n, m), np.asarray(r["controls"]).reshape(boot_n, n)
    )


# --------------------------------------------------------------------------- partial AUC

_R_PAUC = (
    _R_ROC
    + """
as.numeric(pROC::auc(r, partial.auc = c(hi, lo), partial.auc.focus = focus,
                     partial.auc.correct = corr))"""
)


def _pauc_checks(y, x, direction="<"):
    settings = [
        ("specificity", (0.8, 1.0)),
        ("specificity", (0.9, 1.0)),
        ("specificity", (0.5, 0.83)),
        ("sensitivity", (0.9, 1.0)),
        ("sensitivity", (0.6, 0.75)),
        ("specificity", (0.0, 1.0)),
        ("specificity", (0.901, 0.902)),
        ("sensitivity", (0.3101, 0.3102)),
    ]
    import warnings

    for focus, (lo, hi) in settings:
        for corr in (False, True):
            with warnings.catch_warnings():  # a range below the diagonal: NA on both sides
                warnings.simplefilter("ignore")
                py = auc_partial(
                    y, x, focus=focus, limits=(lo, hi), correct=corr, direction=direction, ci=False
                )
            r = r_eval(
                "suppressWarnings({" + _R_PAUC.strip() + "})",
                packages=PKG,
                y=np.asarray(y, float),
                x=x,
                dir=direction,
                hi=hi,
                lo=lo,
                focus=focus,
                corr=corr,
            )
            tag = f"{focus} [{lo}, {hi}]{' McClish' if corr else ''}"
            yield tag, py.estimate, r


@case("partial_auc", "aSAH s100b: spec/sens ranges, McClish, one-segment ranges", packages=PKG)
def _pauc_asah():
    yield from _pauc_checks(*_asah())


@case("partial_auc", "aSAH ndka direction '>'", packages=PKG)
def _pauc_asah_rev():
    y, x = _asah("ndka")
    yield from _pauc_checks(y, -x, ">")


@case("partial_auc", "generated n=300 tie-heavy (5 levels)", packages=PKG)
def _pauc_ties():
    y, a, _ = _ties()
    yield from _pauc_checks(y, a)


@case("partial_auc", "McClish below the diagonal is NA (nan)", packages=PKG)
def _pauc_below():
    import warnings

    y, x = _asah()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        py = auc_partial(y, -x, limits=(0.8, 1.0), correct=True, ci=False)
        r = r_eval(
            "suppressWarnings({" + _R_PAUC.strip() + "})",
            packages=PKG,
            y=np.asarray(y, float),
            x=-x,
            dir="<",
            hi=1.0,
            lo=0.8,
            focus="specificity",
            corr=True,
        )
    yield "corrected pAUC (NA)", py.estimate, r


_R_PAUC_CI = (
    """set.seed(s)
"""
    + _R_ROC
    + """
ci <- pROC::ci.auc(r, method = "bootstrap", boot.n = B, conf.level = cl, progress = "none",
                   partial.auc = c(hi, lo), partial.auc.focus = focus,
                   partial.auc.correct = corr, reuse.auc = FALSE)
as.numeric(ci)[c(1, 3)]"""
)


def _pauc_ci_checks(y, x, focus, lo, hi, corr, boot_n=300, seed=11, cl=0.95):
    rs = _r_resamples(y, boot_n, seed)
    py = auc_partial(y, x, focus=focus, limits=(lo, hi), correct=corr, resamples=rs, conf_level=cl)
    r = r_eval(
        _R_PAUC_CI,
        packages=PKG,
        y=np.asarray(y, float),
        x=x,
        dir="<",
        s=seed,
        B=boot_n,
        cl=cl,
        hi=hi,
        lo=lo,
        focus=focus,
        corr=corr,
    )
    tag = f"{focus} [{lo}, {hi}]{' McClish' if corr else ''}"
    yield f"{tag} ci_low", py.ci_low, r[0]
    yield f"{tag} ci_high", py.ci_high, r[1]


@case("partial_auc_bootstrap", "aSAH s100b, pROC's resamples (300 replicates)", packages=PKG)
def _pauc_ci_asah():
    y, x = _asah()
    yield from _pauc_ci_checks(y, x, "specificity", 0.8, 1.0, False)
    yield from _pauc_ci_checks(y, x, "specificity", 0.8, 1.0, True, cl=0.9)
    yield from _pauc_ci_checks(y, x, "sensitivity", 0.9, 1.0, True, seed=12)


@case("partial_auc_bootstrap", "generated tie-heavy, pROC's resamples", packages=PKG)
def _pauc_ci_ties():
    y, a, _ = _ties()
    yield from _pauc_ci_checks(y, a, "specificity", 0.7, 0.95, True, boot_n=200, seed=3)


# --------------------------------------------------------------------------- AUC bootstrap


@case("auc_bootstrap_replay", "aSAH s100b/ndka and tie-heavy, pROC's resamples", packages=PKG)
def _auc_boot_replay():
    y, x = _asah()
    samples = [
        ("aSAH s100b", y, x),
        ("aSAH ndka", y, _asah("ndka")[1]),
        ("tie-heavy", *_ties()[:2]),
    ]
    for name, yy, xx in samples:
        rs = _r_resamples(yy, 500, 2024)
        py = auc_ci(yy, xx, method="bootstrap", resamples=rs)
        r = r_eval(
            "set.seed(s)\n"
            + _R_ROC
            + """
ci <- pROC::ci.auc(r, method = "bootstrap", boot.n = B, progress = "none")
as.numeric(ci)[c(1, 3)]""",
            packages=PKG,
            y=np.asarray(yy, float),
            x=xx,
            dir="<",
            s=2024,
            B=500,
        )
        yield f"{name} ci_low", py.ci_low, r[0]
        yield f"{name} ci_high", py.ci_high, r[1]


# --------------------------------------------------------------------------- tests

_R_TEST = """
r1 <- pROC::roc(y1, a, levels = c(0, 1), direction = dir, quiet = TRUE)
r2 <- pROC::roc(y2, b, levels = c(0, 1), direction = dir, quiet = TRUE)
t <- suppressWarnings(pROC::roc.test(r1, r2, method = "delong", paired = paired,
                                     alternative = alt, conf.level = cl))
list(stat = unname(t$statistic), p = t$p.value, est = unname(t$estimate),
     df = if (is.null(t$parameter)) NA_real_ else unname(t$parameter),
     ci = if (is.null(t$conf.int)) c(NA_real_, NA_real_) else as.numeric(t$conf.int))
"""

_R_ALT = {"two-sided": "two.sided", "less": "less", "greater": "greater"}


def _test_checks(y1, a, y2, b, paired, direction="<", cl=0.95):
    for alt in ("two-sided", "less", "greater"):
        if paired:
            py = roc_test(y1, a, b, alternative=alt, direction=direction, conf_level=cl)
        else:
            py = roc_test(
                y1,
                a,
                b,
                y_true_b=y2,
                paired=False,
                alternative=alt,
                direction=direction,
                conf_level=cl,
            )
        r = r_eval(
            _R_TEST,
            packages=PKG,
            y1=np.asarray(y1, float),
            y2=np.asarray(y2, float),
            a=np.asarray(a, float),
            b=np.asarray(b, float),
            dir=direction,
            paired=paired,
            alt=_R_ALT[alt],
            cl=cl,
        )
        yield f"{alt} statistic", py.statistic, r["stat"]
        yield f"{alt} pvalue", py.pvalue, r["p"]
        if alt == "two-sided":
            yield "auc_a", py.estimate[0], r["est"][0]
            yield "auc_b", py.estimate[1], r["est"][1]
            yield "df", np.nan if py.df is None else py.df, r["df"]
            yield "ci_low", py.ci_low, r["ci"][0]
            yield "ci_high", py.ci_high, r["ci"][1]


@case("roc_test_unpaired", "aSAH s100b: men vs women", packages=PKG)
def _unpaired_asah():
    d = asah()
    men, women = d["gender"] == "Male", d["gender"] == "Female"
    yield from _test_checks(
        d["poor"][men],
        d["s100b"][men].to_numpy(float),
        d["poor"][women],
        d["s100b"][women].to_numpy(float),
        False,
    )


@case("roc_test_unpaired", "aSAH s100b vs ndka on different halves, direction '>'", packages=PKG)
def _unpaired_asah_rev():
    d = asah()
    first, second = np.arange(len(d)) < 60, np.arange(len(d)) >= 60
    yield from _test_checks(
        d["poor"][first],
        -d["s100b"][first].to_numpy(float),
        d["poor"][second],
        -d["ndka"][second].to_numpy(float),
        False,
        ">",
    )


@case("roc_test_unpaired", "two generated tie-heavy samples (n=300, n=450)", packages=PKG)
def _unpaired_ties():
    y1, a, _ = _ties(300, 5)
    y2, b, _ = _ties(450, 6, levels=4)
    yield from _test_checks(y1, a, y2, b, False)


@case("roc_test_one_sided", "paired DeLong, aSAH s100b vs ndka, conf 0.9", packages=PKG)
def _paired_alt_asah():
    d = asah()
    yield from _test_checks(d["poor"], d["s100b"], d["poor"], d["ndka"], True, cl=0.9)


@case("roc_test_one_sided", "paired DeLong, generated tie-heavy", packages=PKG)
def _paired_alt_ties():
    y, a, b = _ties()
    yield from _test_checks(y, a, y, b, True)


# --------------------------------------------------------------------------- var / cov


@case("var_cov_delong", "aSAH and tie-heavy", packages=PKG)
def _var_cov():
    d = asah()
    y = d["poor"].to_numpy(float)
    y2, a2, b2 = _ties()
    for name, yy, a, b, direction in (
        ("aSAH s100b/ndka", y, d["s100b"].to_numpy(float), d["ndka"].to_numpy(float), "<"),
        ("aSAH s100b/wfns '>'", y, -d["s100b"].to_numpy(float), -d["wfns"].to_numpy(float), ">"),
        ("tie-heavy", y2.astype(float), a2, b2, "<"),
    ):
        r = r_eval(
            """
r1 <- pROC::roc(y, a, levels = c(0, 1), direction = dir, quiet = TRUE)
r2 <- pROC::roc(y, b, levels = c(0, 1), direction = dir, quiet = TRUE)
c(pROC::var(r1, method = "delong"), pROC::var(r2, method = "delong"),
  pROC::cov(r1, r2, method = "delong"))""",
            packages=PKG,
            y=yy,
            a=a,
            b=b,
            dir=direction,
        )
        yield f"{name} var a", roc_var(yy, a, direction=direction), r[0]
        yield f"{name} var b", roc_var(yy, b, direction=direction), r[1]
        yield f"{name} cov", roc_cov(yy, a, b, direction=direction), r[2]
        yield f"{name} cov(a, a) = var(a)", roc_cov(yy, a, a, direction=direction), r[0]


# --------------------------------------------------------------------------- coords

_RET = (
    "threshold",
    "sensitivity",
    "specificity",
    "accuracy",
    "tp",
    "fp",
    "tn",
    "fn",
    "ppv",
    "npv",
    "tpr",
    "fpr",
    "fnr",
    "tnr",
    "youden",
    "closest.topleft",
)


def _r_coords(y, x, direction, xs, input, best_method="youden", weights=(1.0, 0.5)):
    code = (
        _R_ROC
        + """
co <- pROC::coords(r, x = xs, input = input, ret = ret, transpose = FALSE,
                   best.method = bm, best.weights = bw)
as.list(co)"""
    )
    return r_eval(
        code,
        packages=PKG,
        y=np.asarray(y, float),
        x=np.asarray(x, float),
        dir=direction,
        xs=xs,
        input=input,
        ret=np.array(_RET),
        bm=best_method,
        bw=np.asarray(weights, float),
    )


def _coords_checks(y, x, direction, xs, input, best_method="youden", weights=(1.0, 0.5)):
    py = roc_coords(
        y, x, xs, input=input, direction=direction, best_method=best_method, best_weights=weights
    )
    r = _r_coords(y, x, direction, xs, input, best_method, weights)
    r = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in r.items()}
    for name in (
        "threshold",
        "sensitivity",
        "specificity",
        "accuracy",
        "tp",
        "fp",
        "tn",
        "fn",
        "ppv",
        "npv",
        "youden",
    ):
        yield name, getattr(py, name), r[name]
    yield "closest_topleft", py.closest_topleft, r["closest.topleft"]
    with np.errstate(divide="ignore", invalid="ignore"):
        yield "lr_positive (= tpr/fpr)", py.lr_positive, r["tpr"] / r["fpr"]
        yield "lr_negative (= fnr/tnr)", py.lr_negative, r["fnr"] / r["tnr"]


_GRID = np.array([0.0, 0.05, 0.1, 0.25, 0.3, 0.5, 0.62, 0.75, 0.9, 0.95, 0.99, 1.0])


@case(
    "coords_input",
    "aSAH s100b at sensitivities and specificities (grid + every curve value)",
    packages=PKG,
)
def _coords_asah():
    y, x = _asah()
    curve = roc_coords(y, x, "all")
    for input in ("sensitivity", "specificity"):
        values = np.unique(np.concatenate((_GRID, getattr(curve, input))))
        for name, py, r in _coords_checks(y, x, "<", values, input):
            yield f"{input}: {name}", py, r


@case("coords_input", "aSAH ndka direction '>' and tie-heavy", packages=PKG)
def _coords_more():
    y, x = _asah("ndka")
    y2, a2, _ = _ties()
    for tag, yy, xx, d in (("ndka '>'", y, -x, ">"), ("tie-heavy", y2, a2, "<")):
        for input in ("sensitivity", "specificity"):
            for name, py, r in _coords_checks(yy, xx, d, _GRID, input):
                yield f"{tag} {input}: {name}", py, r


@case("coords_input", "thresholds (incl. data values, ±inf) and 'local maximas'", packages=PKG)
def _coords_thresholds():
    y, x = _asah()
    ts = np.concatenate(([-np.inf, np.inf], np.unique(x)[::3], [0.205, 0.5]))
    for name, py, r in _coords_checks(y, x, "<", ts, "threshold"):
        yield f"thresholds: {name}", py, r
    for name, py, r in _coords_checks(y, x, "<", "local maximas", "threshold"):
        yield f"local maximas: {name}", py, r


@case(
    "coords_best", "youden / closest.topleft, weights (1, 0.5), (2, 0.3), (0.5, 0.2)", packages=PKG
)
def _coords_best():
    y, x = _asah()
    y2, a2, _ = _ties()
    for tag, yy, xx, d in (
        ("aSAH s100b", y, x, "<"),
        ("aSAH wfns '>'", y, -_asah("wfns")[1], ">"),
        ("tie-heavy", y2, a2, "<"),
    ):
        for method in ("youden", "closest.topleft"):
            for w in ((1.0, 0.5), (2.0, 0.3), (0.5, 0.2)):
                for name, py, r in _coords_checks(yy, xx, d, "best", "threshold", method, w):
                    yield f"{tag} {method} {w}: {name}", py, r


# --------------------------------------------------------------------------- ci.coords / ci.thresholds


def _r_ret(ret):
    return np.array([{"closest_topleft": "closest.topleft"}.get(k, k) for k in ret])


def _ci_coords_checks(
    y,
    x,
    xs,
    input,
    ret,
    seed,
    boot_n=300,
    method="youden",
    weights=(1.0, 0.5),
    policy="omit",
    cl=0.95,
):
    rs = _r_resamples(y, boot_n, seed)
    py = ci_coords(
        y,
        x,
        xs,
        input=input,
        ret=ret,
        best_method=method,
        best_weights=weights,
        best_policy=policy,
        resamples=rs,
        conf_level=cl,
    )
    r = r_eval(
        "set.seed(s)\n"
        + _R_ROC
        + """
ci <- suppressWarnings(pROC::ci.coords(r, x = xs, input = input, ret = ret, boot.n = B,
        best.method = bm, best.weights = bw, best.policy = pol, conf.level = cl,
        progress = "none"))
lapply(ci, function(m) as.numeric(m))""",
        packages=PKG,
        y=np.asarray(y, float),
        x=x,
        dir="<",
        s=seed,
        xs=xs,
        input=input,
        ret=_r_ret(ret),
        B=boot_n,
        bm=method,
        bw=np.asarray(weights, float),
        pol=policy,
        cl=cl,
    )
    k = len(py.x)
    for name, rname in zip(ret, _r_ret(ret)):
        q = (
            np.asarray(r[rname], float).reshape(3, k)
            if k > 1
            else np.asarray(r[rname], float).reshape(k, 3).T
        )
        yield f"{name} ci_low", py.ci_low[name], q[0]
        yield f"{name} median", py.median[name], q[1]
        yield f"{name} ci_high", py.ci_high[name], q[2]


@case(
    "ci_coords_bootstrap",
    "aSAH s100b, pROC's resamples: best, at se/sp, at thresholds",
    packages=PKG,
)
def _ci_coords_asah():
    y, x = _asah()
    for name, py, r in _ci_coords_checks(
        y, x, "best", "threshold", ("threshold", "specificity", "sensitivity", "ppv"), 5
    ):
        yield f"best youden: {name}", py, r
    for name, py, r in _ci_coords_checks(
        y,
        x,
        "best",
        "threshold",
        ("threshold", "sensitivity", "closest_topleft"),
        6,
        method="closest.topleft",
        weights=(2.0, 0.3),
    ):
        yield f"best closest.topleft (2, 0.3): {name}", py, r
    for name, py, r in _ci_coords_checks(
        y, x, [0.5, 0.9], "sensitivity", ("specificity", "npv", "tp"), 7, cl=0.9
    ):
        yield f"at sensitivity: {name}", py, r
    for name, py, r in _ci_coords_checks(
        y, x, [0.8, 0.95], "specificity", ("sensitivity", "accuracy"), 8
    ):
        yield f"at specificity: {name}", py, r
    for name, py, r in _ci_coords_checks(
        y, x, [0.1, 0.205, 0.3], "threshold", ("threshold", "sensitivity", "specificity", "fn"), 9
    ):
        yield f"at thresholds: {name}", py, r


@case("ci_coords_bootstrap", "generated tie-heavy, pROC's resamples", packages=PKG)
def _ci_coords_ties():
    y, a, _ = _ties()
    for name, py, r in _ci_coords_checks(
        y, a, "best", "threshold", ("threshold", "specificity", "sensitivity"), 15, 200
    ):
        yield f"best: {name}", py, r
    for name, py, r in _ci_coords_checks(
        y, a, [0.6, 0.85], "specificity", ("sensitivity",), 16, 200
    ):
        yield f"at specificity: {name}", py, r


def _ci_thr_checks(y, x, thresholds, seed, boot_n=300, cl=0.95):
    rs = _r_resamples(y, boot_n, seed)
    py = ci_thresholds(y, x, thresholds, resamples=rs, conf_level=cl)
    r = r_eval(
        "set.seed(s)\n"
        + _R_ROC
        + """
ci <- pROC::ci.thresholds(r, thresholds = th, boot.n = B, conf.level = cl, progress = "none")
list(t = as.numeric(attr(ci, "thresholds")), sp = as.numeric(ci$specificity),
     se = as.numeric(ci$sensitivity))""",
        packages=PKG,
        y=np.asarray(y, float),
        x=x,
        dir="<",
        s=seed,
        th=thresholds,
        B=boot_n,
        cl=cl,
    )
    t = np.atleast_1d(np.asarray(r["t"], float))
    k = t.size
    sp, se = np.asarray(r["sp"], float).reshape(3, k), np.asarray(r["se"], float).reshape(3, k)
    yield "thresholds", py.thresholds, t
    for j, part in enumerate(("ci_low", "median", "ci_high")):
        yield f"sensitivity_{part}", getattr(py, f"sensitivity_{part}"), se[j]
        yield f"specificity_{part}", getattr(py, f"specificity_{part}"), sp[j]


@case("ci_thresholds_bootstrap", "aSAH s100b and tie-heavy, pROC's resamples", packages=PKG)
def _ci_thr():
    y, x = _asah()
    for name, py, r in _ci_thr_checks(y, x, np.array([0.1, 0.205, 0.3, 0.5]), 21):
        yield f"aSAH numeric: {name}", py, r
    for name, py, r in _ci_thr_checks(y, x, "best", 22, cl=0.9):
        yield f"aSAH best: {name}", py, r
    for name, py, r in _ci_thr_checks(y, x, "local maximas", 23, 200):
        yield f"aSAH local maximas: {name}", py, r
    y2, a2, _ = _ties()
    for name, py, r in _ci_thr_checks(y2, a2, "local maximas", 24, 200):
        yield f"tie-heavy local maximas: {name}", py, r


# --------------------------------------------------------------------------- power


def _r_power_numeric(**kw):
    args = ", ".join(f"{k.replace('_', '.')} = {k}" for k in kw)
    r = r_eval(
        f"p <- pROC::power.roc.test({args}); list(ncases = p$ncases, "
        f"ncontrols = p$ncontrols, auc = as.numeric(p$auc), sig = p$sig.level, "
        f"power = p$power)",
        packages=PKG,
        **kw,
    )
    return r


def _power_fields(py, r, prefix):
    yield f"{prefix} ncases", py.ncases, r["ncases"]
    yield f"{prefix} ncontrols", py.ncontrols, r["ncontrols"]
    yield f"{prefix} sig_level", py.sig_level, r["sig"]
    yield f"{prefix} power", py.power, r["power"]
    if py.auc is not None and r.get("auc") is not None:
        yield f"{prefix} auc", py.auc, r["auc"]


@case("power_roc_test", "one curve (Obuchowski): power, ncases, sig.level, AUC", packages=PKG)
def _power_one():
    for alt, ralt in (("two-sided", "two.sided"), ("one-sided", "one.sided")):
        for auc, nc, nn in ((0.8, 20, 30), (0.65, 120, 60), (0.93, 8, 8)):
            py = power_roc_test(auc=auc, ncases=nc, ncontrols=nn, alternative=alt)
            r = _r_power_numeric(auc=auc, ncases=nc, ncontrols=nn, alternative=ralt)
            yield from _power_fields(py, r, f"{alt} power auc={auc} n={nc}/{nn}")
        for auc, pw, kappa in ((0.8, 0.9, 1.0), (0.7, 0.8, 2.5)):
            py = power_roc_test(auc=auc, power=pw, kappa=kappa, alternative=alt)
            r = _r_power_numeric(auc=auc, power=pw, kappa=kappa, alternative=ralt)
            yield from _power_fields(py, r, f"{alt} ncases auc={auc} power={pw} kappa={kappa}")
        py = power_roc_test(
            auc=0.75, ncases=40, ncontrols=50, power=0.8, sig_level=None, alternative=alt
        )
        r = _r_power_numeric(
            auc=0.75, ncases=40, ncontrols=50, power=0.8, sig_level=None, alternative=ralt
        )
        yield from _power_fields(py, r, f"{alt} sig.level")
        for nc, nn, pw in ((35, 35, 0.8), (60, 120, 0.9), (15, 10, 0.5)):
            py = power_roc_test(ncases=nc, ncontrols=nn, power=pw, alternative=alt)
            r = _r_power_numeric(ncases=nc, ncontrols=nn, power=pw, alternative=ralt)
            yield from _power_fields(py, r, f"{alt} AUC solved n={nc}/{nn} power={pw}")


@case(
    "power_roc_test", "two paired curves by DeLong (aSAH s100b vs ndka; wfns vs ndka)", packages=PKG
)
def _power_two():
    d = asah()
    y = d["poor"].to_numpy(float)
    code = """
r1 <- pROC::roc(y, a, levels = c(0, 1), direction = "<", quiet = TRUE)
r2 <- pROC::roc(y, b, levels = c(0, 1), direction = "<", quiet = TRUE)
p <- pROC::power.roc.test(r1, r2, sig.level = sl, power = pw, kappa = kp, alternative = alt)
list(ncases = p$ncases, ncontrols = p$ncontrols, sig = p$sig.level, power = p$power)"""
    for a_name, b_name in (("s100b", "ndka"), ("wfns", "ndka")):
        a, b = d[a_name].to_numpy(float), d[b_name].to_numpy(float)
        for alt, ralt in (("two-sided", "two.sided"), ("one-sided", "one.sided")):
            for sl, pw, kp in (
                (0.05, None, None),
                (0.05, 0.9, None),
                (None, 0.8, None),
                (0.01, 0.8, 2.0),
            ):
                py = power_roc_test_paired(
                    y, a, b, sig_level=sl, power=pw, kappa=kp, alternative=alt
                )
                r = r_eval(code, packages=PKG, y=y, a=a, b=b, sl=sl, pw=pw, kp=kp, alt=ralt)
                yield from _power_fields(
                    py, r, f"{a_name} vs {b_name} {alt} sig={sl} power={pw} kappa={kp}"
                )


@case(
    "power_roc_test",
    "two paired curves by Obuchowski (aSAH; full and partial AUC, both directions)",
    packages=PKG,
)
def _power_two_obuchowski():
    d = asah()
    y = d["poor"].to_numpy(float)
    code = """
if (is.null(pa)) pa <- FALSE
r1 <- pROC::roc(y, a, levels = c(0, 1), direction = dir, quiet = TRUE, partial.auc = pa)
r2 <- pROC::roc(y, b, levels = c(0, 1), direction = dir, quiet = TRUE, partial.auc = pa)
p <- pROC::power.roc.test(r1, r2, sig.level = sl, power = pw, kappa = kp, alternative = alt,
                          method = "obuchowski")
list(ncases = p$ncases, ncontrols = p$ncontrols, sig = p$sig.level, power = p$power)"""
    for a_name, b_name, direction in (
        ("s100b", "ndka", "<"),
        ("wfns", "ndka", "<"),
        ("age", "ndka", ">"),
    ):
        a, b = d[a_name].to_numpy(float), d[b_name].to_numpy(float)
        for partial in (None, (0.9, 1.0), (0.6, 0.9)):
            for alt, ralt in (("two-sided", "two.sided"), ("one-sided", "one.sided")):
                for sl, pw, kp in (
                    (0.05, None, None),
                    (0.05, 0.9, None),
                    (None, 0.8, None),
                    (0.01, 0.8, 2.0),
                ):
                    tag = (
                        f"{a_name} vs {b_name} dir={direction} partial={partial} {alt} "
                        f"sig={sl} power={pw} kappa={kp}"
                    )
                    py = power_roc_test_paired(
                        y,
                        a,
                        b,
                        sig_level=sl,
                        power=pw,
                        kappa=kp,
                        alternative=alt,
                        direction=direction,
                        method="obuchowski",
                        partial=partial,
                    )
                    r = r_eval(
                        code,
                        packages=PKG,
                        y=y,
                        a=a,
                        b=b,
                        sl=sl,
                        pw=pw,
                        kp=kp,
                        alt=ralt,
                        dir=direction,
                        pa=None if partial is None else [partial[1], partial[0]],
                    )
                    yield from _power_fields(py, r, tag)


@case(
    "power_roc_test",
    "two curves from binormal parameters (full and partial, rn = ra = 0)",
    packages=PKG,
)
def _power_binormal():
    code = """
pars <- list(A1 = a1, B1 = b1, A2 = a2, B2 = b2, rn = rn, ra = ra, delta = delta)
if (!is.null(f1)) { pars$FPR11 <- f1; pars$FPR12 <- f2; pars$FPR21 <- f1; pars$FPR22 <- f2 }
p <- pROC::power.roc.test(pars, ncases = nc, sig.level = sl, power = pw, alternative = alt)
list(ncases = p$ncases, ncontrols = p$ncontrols, sig = p$sig.level, power = p$power)"""
    base = dict(a1=2.6, b1=1.0, a2=1.9, b2=1.0, rn=0.6, ra=0.6, delta=0.037)
    settings = [
        (None, 0.05, 0.8, None),
        (200, 0.05, None, None),
        (200, None, 0.8, None),
        (None, 0.05, 0.9, (0.2, 0.0)),
        (150, 0.05, None, (0.3, 0.1)),
    ]
    for pars in (base, {**base, "rn": 0.0, "ra": 0.0, "delta": 0.08}):
        for nc, sl, pw, fpr in settings:
            for alt, ralt in (("two-sided", "two.sided"), ("one-sided", "one.sided")):
                py = power_roc_test_binormal(
                    **pars, ncases=nc, sig_level=sl, power=pw, fpr=fpr, alternative=alt
                )
                r = r_eval(
                    code,
                    packages=PKG,
                    **pars,
                    nc=nc,
                    sl=sl,
                    pw=pw,
                    alt=ralt,
                    f1=None if fpr is None else fpr[0],
                    f2=None if fpr is None else fpr[1],
                )
                tag = f"rn={pars['rn']} n={nc} sig={sl} power={pw} fpr={fpr} {alt}"
                yield from _power_fields(py, r, tag)
