"""Radiomics selection parity: cetrus.stats.screening, .lasso, .lasso_cv against R (stats, glmnet 4.1).

* ``selection_mwu``: the screen's p-values vs ``wilcox.test`` at its defaults (exact p when
  both groups have < 50 values and no ties, else normal with continuity correction)
  on a few columns (the full Mann–Whitney parity lives in ``baseline``) — 1e-8.
* ``selection_spearman``: ``cor(X, method = "spearman")`` — 1e-12 (both are Pearson on mid-ranks).
* ``selection_lasso_path``: ``glmnet(family = "binomial")`` at R's defaults (``thresh =
  1e-7``), given lambdas and the default sequence (its length, early stop, the
  extrapolated first lambda) — 1e-10 (DESIGN.md; cetrus runs glmnet's own Fortran, so
  the two agree to ~1e-13). One tightened comparison (``thresh = 1e-20`` on both sides)
  checks that ``thresh`` reaches the Fortran.
* ``selection_lasso_cv``: ``cv.glmnet(foldid = …)`` at R's defaults — the same path
  length, ``lambda.min``/``lambda.1se``, ``cvm``/``cvsd`` to 1e-10.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from cetrus import rbridge
from cetrus.rbridge import r_eval
from cetrus.stats.lasso import lasso_path
from cetrus.stats.lasso_cv import cv_lasso, make_folds
from cetrus.stats.screening import mwu_pvalues, spearman
from validation.harness import Tol, case

GLMNET = ("glmnet",)
_REL = Tol(rel=1e-10, abs=1e-13, reason="")  # abs: exact zeros on both sides


@functools.cache
def _pima() -> tuple[np.ndarray, np.ndarray]:
    """MASS::Pima.tr (200 women, 7 predictors, diabetes Yes/No)."""
    d = rbridge.r_dataset("MASS", "Pima.tr")
    X = d[["npreg", "glu", "bp", "skin", "bmi", "ped", "age"]].to_numpy(dtype=float)
    return X, (d["type"] == "Yes").to_numpy().astype(float)


@functools.cache
def _biopsy() -> tuple[np.ndarray, np.ndarray]:
    """MASS::biopsy (683 complete tumours, 9 cytology scores 1-10: heavy ties)."""
    d = rbridge.r_dataset("MASS", "biopsy").dropna()
    X = d[[f"V{i}" for i in range(1, 10)]].to_numpy(dtype=float)
    return X, (d["class"] == "malignant").to_numpy().astype(float)


@functools.cache
def _radiomics_like(n: int, p: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Correlated, non-negative, differently scaled features with a sparse signal."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n, 6))
    load = rng.normal(size=(6, p)) * (rng.random((6, p)) < 0.4)
    X = np.log1p(np.exp(latent @ load + rng.normal(size=(n, p))))
    X *= rng.uniform(0.1, 20.0, p)
    eta = 1.2 * latent[:, 0] - 0.8 * latent[:, 1] - 0.7
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    return X, y


@functools.cache
def _infert() -> tuple[np.ndarray, np.ndarray]:
    """datasets::infert: age, parity, induced, spontaneous, education == "12+ yrs"."""
    d = rbridge.r_dataset("datasets", "infert")
    X = np.column_stack(
        [
            d[["age", "parity", "induced", "spontaneous"]].to_numpy(dtype=float),
            (d["education"].astype(str) == "12+ yrs").to_numpy(dtype=float),
        ]
    )
    return X, d["case"].to_numpy(dtype=float)


@functools.cache
def _birthwt() -> tuple[np.ndarray, np.ndarray]:
    """MASS::birthwt: age, lwt, race (2 dummies), smoke, ptl, ht, ui, ftv; outcome low."""
    d = rbridge.r_dataset("MASS", "birthwt")
    race = d["race"].to_numpy(dtype=float)
    X = np.column_stack(
        [
            d[["age", "lwt"]].to_numpy(dtype=float),
            race == 2,
            race == 3,
            d[["smoke", "ptl", "ht", "ui", "ftv"]].to_numpy(dtype=float),
        ]
    )
    return X.astype(float), d["low"].to_numpy(dtype=float)


_SETS = {
    "datasets infert": _infert,
    "MASS birthwt": _birthwt,
    "MASS Pima.tr": _pima,
    "MASS biopsy (ties)": _biopsy,
    "generated n=200 p=40": lambda: _radiomics_like(200, 40, 11),
    "generated p>n (n=60 p=120)": lambda: _radiomics_like(60, 120, 12),
    "generated p>n (n=200 p=400)": lambda: _radiomics_like(200, 400, 13),
}


# --------------------------------------------------------------------------- Mann–Whitney


@case("selection_mwu", "generated n=200 p=40, first 6 columns", tolerance=1e-8, packages=())
def _mwu():
    X, y = _radiomics_like(200, 40, 11)
    frame = pd.DataFrame(X[:, :6], columns=[f"f{j}" for j in range(6)])
    py = mwu_pvalues(frame, y).to_numpy()
    r = r_eval(
        "sapply(seq_len(ncol(X)), function(j) wilcox.test(X[y == 1, j], X[y == 0, j])$p.value)",
        X=X[:, :6],
        y=y,
    )
    yield "pvalue", py, np.asarray(r, dtype=float)


@case("selection_mwu", "MASS biopsy (tied scores)", tolerance=1e-8, packages=())
def _mwu_ties():
    X, y = _biopsy()
    frame = pd.DataFrame(X, columns=[f"V{i}" for i in range(1, 10)])
    py = mwu_pvalues(frame, y).to_numpy()
    r = r_eval(
        "sapply(seq_len(ncol(X)), function(j) suppressWarnings(wilcox.test("
        "X[y == 1, j], X[y == 0, j])$p.value))",
        X=X,
        y=y,
    )
    yield "pvalue", py, np.asarray(r, dtype=float)


# --------------------------------------------------------------------------- Spearman


@case("selection_spearman", "MASS biopsy (heavy ties)", tolerance=1e-12)
def _spearman_ties():
    X, _ = _biopsy()
    yield "rho", spearman(X), r_eval('cor(X, method = "spearman")', X=X)


@case("selection_spearman", "generated n=200 p=40", tolerance=1e-12)
def _spearman_gen():
    X, _ = _radiomics_like(200, 40, 11)
    yield "rho", spearman(X), r_eval('cor(X, method = "spearman")', X=X)


@case("selection_spearman", "generated rounded to 5 levels (ties), n=50 p=8", tolerance=1e-12)
def _spearman_rounded():
    rng = np.random.default_rng(5)
    X = np.round(rng.normal(size=(50, 8)) @ rng.normal(size=(8, 8)))
    X = np.clip(X, -2, 2)
    yield "rho", spearman(X), r_eval('cor(X, method = "spearman")', X=X)


# --------------------------------------------------------------------------- LASSO path

_R_PATH_GIVEN = """
f <- glmnet::glmnet(X, y, family = "binomial", lambda = lam)
list(lambda = f$lambda, a0 = as.numeric(f$a0), beta = as.matrix(f$beta),
     dev = f$dev.ratio, nulldev = f$nulldev)
"""

_R_PATH_DEFAULT = """
f <- glmnet::glmnet(X, y, family = "binomial")
list(lambda = f$lambda, a0 = as.numeric(f$a0), beta = as.matrix(f$beta),
     dev = f$dev.ratio, nulldev = f$nulldev)
"""

_R_PATH_TIGHT = """
f <- glmnet::glmnet(X, y, family = "binomial", thresh = 1e-20, maxit = 1e6)
list(lambda = f$lambda, a0 = as.numeric(f$a0), beta = as.matrix(f$beta))
"""


def _path_checks(X, y, fractions=(0.9, 0.5, 0.2, 0.08, 0.03)):
    lam = np.array(fractions) * lasso_path(X, y, nlambda=1).lambda_max
    py = lasso_path(X, y, lambdas=lam)
    r = r_eval(_R_PATH_GIVEN, packages=GLMNET, X=X, y=y, lam=lam)
    beta = np.asarray(r["beta"], dtype=float).reshape(X.shape[1], -1)
    yield "lambda", py.lambdas, np.asarray(r["lambda"], dtype=float), Tol(rel=1e-12)
    for i, f in enumerate(fractions):
        yield f"coef at {f:g} lambda_max", py.coef[:, i], beta[:, i], _REL
        yield (
            f"nonzero at {f:g} lambda_max",
            tuple(np.flatnonzero(py.coef[:, i])),
            tuple(np.flatnonzero(beta[:, i])),
        )
    yield "intercept", py.intercept, np.asarray(r["a0"], dtype=float), _REL
    yield "dev.ratio", py.dev_ratio, np.asarray(r["dev"], dtype=float), _REL
    yield "nulldev", py.null_deviance, float(r["nulldev"]), Tol(rel=1e-12)


def _default_path_checks(X, y):
    py = lasso_path(X, y)
    r = r_eval(_R_PATH_DEFAULT, packages=GLMNET, X=X, y=y)
    lam_r = np.asarray(r["lambda"], dtype=float)
    yield "path length (early stop)", py.lambdas.size, lam_r.size, Tol(abs=0)
    k = min(py.lambdas.size, lam_r.size)
    yield "lambda sequence", py.lambdas[:k], lam_r[:k], Tol(rel=1e-12)
    beta = np.asarray(r["beta"], dtype=float).reshape(X.shape[1], -1)
    yield "coef (every lambda)", py.coef[:, :k], beta[:, :k], _REL
    yield "intercept", py.intercept[:k], np.asarray(r["a0"], dtype=float)[:k], _REL
    yield "dev.ratio", py.dev_ratio[:k], np.asarray(r["dev"], dtype=float)[:k], _REL


def _tight_path_checks(X, y):
    py = lasso_path(X, y, thresh=1e-20, maxit=1_000_000)
    r = r_eval(_R_PATH_TIGHT, packages=GLMNET, X=X, y=y)
    lam_r = np.asarray(r["lambda"], dtype=float)
    yield "path length", py.lambdas.size, lam_r.size, Tol(abs=0)
    beta = np.asarray(r["beta"], dtype=float).reshape(X.shape[1], -1)
    yield "coef (every lambda)", py.coef, beta, _REL
    yield "intercept", py.intercept, np.asarray(r["a0"], dtype=float), _REL


for _name, _load in _SETS.items():
    case("selection_lasso_path", f"{_name}, given lambdas", tolerance=_REL, packages=GLMNET)(
        lambda load=_load: _path_checks(*load())
    )
    case("selection_lasso_path", f"{_name}, default sequence", tolerance=_REL, packages=GLMNET)(
        lambda load=_load: _default_path_checks(*load())
    )
case(
    "selection_lasso_path",
    "MASS Pima.tr, thresh = 1e-20 on both sides",
    tolerance=_REL,
    packages=GLMNET,
)(lambda: _tight_path_checks(*_pima()))


# --------------------------------------------------------------------------- LASSO CV

_R_CV = """
f <- glmnet::cv.glmnet(X, y, family = "binomial", foldid = foldid)
list(lambda = f$lambda, cvm = f$cvm, cvsd = f$cvsd, min = f$lambda.min, se = f$lambda.1se,
     beta = as.numeric(coef(f, s = "lambda.min")))
"""


def _cv_checks(X, y, seed):
    foldid = make_folds(len(y), 10, seed)
    py = cv_lasso(X, y, foldid=foldid)
    r = r_eval(_R_CV, packages=GLMNET, X=X, y=y, foldid=foldid)
    cvm_r, cvsd_r = np.asarray(r["cvm"], dtype=float), np.asarray(r["cvsd"], dtype=float)
    yield "n lambdas", py.lambdas.size, cvm_r.size, Tol(abs=0)
    yield "lambda.min", py.lambda_min, float(r["min"]), Tol(rel=1e-12)
    yield "lambda.1se", py.lambda_1se, float(r["se"]), Tol(rel=1e-12)
    k = min(py.cvm.size, cvm_r.size)
    yield "cvm", py.cvm[:k], cvm_r[:k], _REL
    yield "cvsd", py.cvsd[:k], cvsd_r[:k], _REL
    i = py.index_min
    yield (
        "coef at lambda.min",
        np.r_[py.path.intercept[i], py.path.coef[:, i]],
        np.asarray(r["beta"], dtype=float),
        _REL,
    )


for _name, _load in _SETS.items():
    case("selection_lasso_cv", f"{_name}, 10 folds (same foldid)", tolerance=_REL, packages=GLMNET)(
        lambda load=_load, s=len(_name): _cv_checks(*load(), s)  # noqa: B008 (bound per case)
    )
