"""Manuscript parity: the R twin of every number in the regenerated tables, on the replica.

A thin wrapper: the R code lives in :mod:`cetrus.study.parity` (what ``cetrus validate``
runs on any study), so the replica and a user's study are checked by the same code. The
replica cohort (seed 0, the default ``study.toml``, its spread over split seeds off) is
analysed by ``cetrus analyze``'s pipeline into a temporary results folder; each section
below then compares that ``results.json`` with R recomputing from the raw cohort. The R
functions, their settings (R's defaults) and the tolerances with their reasons are in
:mod:`cetrus.study.parity`'s docstring:

* ``manuscript_cohort`` — complete cases and the split's counts — exact.
* ``manuscript_table1`` — ``quantile``/``mean``/``sd``, the test rule in R (``shapiro.test``,
  ``car::leveneTest``) → ``wilcox.test`` / ``t.test``; ``chisq.test(correct = FALSE)`` or
  ``fisher.test`` — 1e-8.
* ``manuscript_table2`` — ``glm(binomial)`` univariate → multivariable, ``confint.default``
  — :data:`~cetrus.study.parity.GLM_TOL`.
* ``manuscript_icc`` — ``psych::ICC(lmer = FALSE)`` on 12 features per modality, and the
  ICC table's summary over all 1,920 features — 1e-9.
* ``manuscript_selection`` — ``wilcox.test`` → Spearman → ``cv.glmnet(foldid = same
  folds)`` — :data:`~cetrus.study.parity.LASSO_TOL`.
* ``manuscript_table3_4`` — ``glm`` → ``pROC`` (DeLong CI, Youden of training) — AUC/CI
  1e-9, the confusion-table metrics exactly.
* ``manuscript_delong``, ``manuscript_calibration``, ``manuscript_nomogram`` —
  ``pROC::roc.test``, ``rms::val.prob``, ``rms::nomogram``.
"""

from __future__ import annotations

import atexit
import dataclasses
import functools
import shutil
import tempfile
import warnings
from pathlib import Path

from cetrus.study.parity import TOLERANCES, StudyParity
from validation.harness import case

PKGS = ("pROC", "psych", "glmnet", "rms", "car")
MODALITIES = ("TDUS", "CDUS", "CEUS")


@functools.lru_cache(maxsize=1)
def _study() -> StudyParity:
    """The replica study analysed as ``cetrus analyze`` does (no spread), in a temp folder."""
    from cetrus.study.config import default_config_path, load_config
    from cetrus.study.pipeline import analyze
    from cetrus.study.replica import write_replica

    tmp = Path(tempfile.mkdtemp(prefix="cetrus-manuscript-parity-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)  # the replica: ~60 MB
    # the repository's study.toml unchanged, beside links to everything it may name except
    # data/, so the replica is built here and never touches the checkout
    repo = default_config_path().parent
    for entry in repo.iterdir():
        if entry.name not in (
            "data",
            "results",
            default_config_path().name,
        ) and not entry.name.startswith("."):
            (tmp / entry.name).symlink_to(entry)
    shutil.copy(default_config_path(), tmp / "study.toml")
    config = load_config(tmp / "study.toml")
    write_replica(config.replica.folder, config.replica.seed, split_seed=config.split.reported_seed)
    config = dataclasses.replace(config, models=dataclasses.replace(config.models, spread=False))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        analyze(config, tmp / "results")
    return StudyParity(config, tmp / "results", icc_features=12)


_SECTIONS = [
    ("cohort", "cohort", "replica seed 0: complete cases, the split's counts"),
    ("table1", "table1", "replica seed 0: medians, quartiles, counts, P"),
    ("table2", "table2", "replica seed 0: training cohort, univariate -> multivariable"),
    *((f"icc:{m}", "icc", f"replica seed 0: {m} ICC2 vs psych::ICC") for m in MODALITIES),
    *(
        (f"selection:{m}", "selection", f"replica seed 0: {m} MWU -> Spearman -> cv.glmnet")
        for m in MODALITIES
    ),
    ("table3_4", "table3_4", "replica seed 0: glm -> pROC, Youden of training"),
    ("delong", "delong", "replica seed 0: paired DeLong tests between the models"),
    ("calibration", "calibration", "replica seed 0: integrated model, rms::val.prob"),
    ("nomogram", "nomogram", "replica seed 0: integrated model, rms::nomogram axes"),
]

for _key, _stat, _name in _SECTIONS:
    case(f"manuscript_{_stat}", _name, tolerance=TOLERANCES[_stat], packages=PKGS)(
        lambda key=_key: _study().checks(key)
    )
