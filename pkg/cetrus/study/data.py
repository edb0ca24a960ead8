"""The study's inputs, read and checked: :func:`load_study` → :class:`StudyData`.

* The clinical table (CSV or parquet): the id column, the outcome (two values, one of
  them ``outcome.positive``) and every configured variable. Categorical columns are
  read as text, so ``1``/``01``/``"yes"`` stay what the file says; each value must be
  one of the variable's ``levels`` and each level must occur.
* Missing values follow ``[missing] policy``: ``"error"`` names every incomplete column
  with its count; ``"complete-case"`` drops the incomplete patients and counts them per
  column (reported in the manuscript's Methods and flow of patients).
* The features of each modality, per rater, in clinical row order: from feature tables
  (one per rater, or one long table as ``cetrus extract`` writes) or extracted from an
  image manifest (:func:`cetrus.imaging.study_features`, content-hash cached).

Every error names the file and the column, patient id or key at fault.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cetrus.errors import InputError

__all__ = ["StudyData", "load_study"]


@dataclass
class StudyData:
    """The checked inputs of a study.

    ``clinical`` holds the analysed patients only (complete cases under that policy):
    the id column as text, categorical columns as text, ``_y`` the outcome as 0/1.
    ``features[m]`` is the model rater's feature table of modality ``m`` and
    ``raters[m]`` every rater's (rows in ``clinical`` order, float64).
    ``exclusions``: ``policy``, ``n_input``, ``n`` (analysed), ``excluded`` and
    ``missing`` (column → number of missing values in the input).
    """

    clinical: pd.DataFrame
    y: np.ndarray
    features: dict[str, pd.DataFrame]
    raters: dict[str, dict[str, pd.DataFrame]]
    exclusions: dict = field(default_factory=dict)
    model_rater: dict[str, str] = field(default_factory=dict)
    feature_sources: dict[str, str] = field(default_factory=dict)


def _read(path: Path, *, text_columns: list[str] | None = None) -> pd.DataFrame:
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            frame = pd.read_parquet(path)
        else:
            # round_trip: the correctly rounded double of each number, as R's read.csv
            # reads it (pandas < 3's default C parser can be 1 ulp off)
            frame = pd.read_csv(
                path,
                dtype={c: str for c in (text_columns or [])},
                keep_default_na=True,
                float_precision="round_trip",
            )
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read {path.name}: not UTF-8 text (byte {exc.start})") from None
    except Exception as exc:  # noqa: BLE001 — any reader failure becomes one clear line
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(f"cannot read {path.name}: {first}") from None
    return frame


def _columns_hint(frame: pd.DataFrame) -> str:
    cols = list(map(str, frame.columns[:10]))
    return ", ".join(cols) + (", …" if frame.shape[1] > 10 else "")


def _as_text(s: pd.Series) -> pd.Series:
    """Values as the text a reader sees (``2`` not ``2.0``; missing stays missing)."""

    def one(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, (bool, np.bool_)):
            return "TRUE" if v else "FALSE"  # R's spelling of logicals
        if isinstance(v, (float, np.floating)) and float(v).is_integer():
            return str(int(v))
        return str(v)

    return s.map(one).astype(object)


def _is_positive(values: pd.Series, positive) -> pd.Series:
    if isinstance(positive, bool):
        wanted = {"true", "1"} if positive else {"false", "0"}
        return values.str.lower().isin(wanted)
    if isinstance(positive, float) and positive.is_integer():
        positive = int(positive)
    return values == str(positive)


def load_study(config, *, log: Callable[[str], None] = lambda m: None) -> StudyData:
    """Read and check the clinical table and the features named by ``config``."""
    config.require_files()
    path = config.clinical
    name = path.name
    text_cols = [config.id_column, config.outcome.column] + [
        v.column for v in config.variables if v.categorical
    ]
    clinical = _read(path, text_columns=text_cols)
    for col, what in (
        (config.id_column, "id column (data.id)"),
        (config.outcome.column, "outcome column (outcome.column)"),
    ):
        if col not in clinical.columns:
            raise InputError(
                f"{name}: {what} {col!r} not found (columns: {_columns_hint(clinical)})"
            )
    for v in config.variables:
        if v.column not in clinical.columns:
            raise InputError(
                f"{name}: column {v.column!r} (variables.{v.column}) not found "
                f"(columns: {_columns_hint(clinical)})"
            )
    ids = _as_text(clinical[config.id_column])
    if ids.isna().any():
        raise InputError(
            f"{name}: id column {config.id_column!r} has a missing value at data row "
            f"{int(np.flatnonzero(ids.isna().to_numpy())[0]) + 1}"
        )
    if ids.duplicated().any():
        raise InputError(
            f"{name}: patient id {ids[ids.duplicated()].iloc[0]!r} occurs twice in "
            f"{config.id_column!r}"
        )
    clinical = clinical.assign(**{config.id_column: ids})
    input_ids = frozenset(ids)

    # ---- values: categorical as text within levels; continuous numeric
    for v in config.variables:
        s = clinical[v.column]
        if v.categorical:
            t = _as_text(s)
            bad = sorted(set(t.dropna()) - set(v.levels))
            if bad:
                raise InputError(
                    f"{name}: column {v.column!r} has value {bad[0]!r}, not one of "
                    f"variables.{v.column}.levels {list(v.levels)!r}"
                )
            clinical[v.column] = t
        elif s.dtype.kind not in "iuf":
            conv = pd.to_numeric(s, errors="coerce")
            row = int(np.flatnonzero(conv.isna() & s.notna())[0])
            raise InputError(
                f"{name}: column {v.column!r} must be numeric; got {s.iloc[row]!r} "
                f"at data row {row + 1}"
            )
        else:
            if np.isinf(s.to_numpy(dtype=float)).any():
                row = int(np.flatnonzero(np.isinf(s.to_numpy(dtype=float)))[0])
                raise InputError(
                    f"{name}: column {v.column!r} has an infinite value at data row {row + 1}"
                )
            clinical[v.column] = s.astype(float)
    outcome = _as_text(clinical[config.outcome.column])
    clinical[config.outcome.column] = outcome

    # ---- missing values
    columns = [config.outcome.column] + [v.column for v in config.variables]
    missing = {c: int(clinical[c].isna().sum()) for c in columns if clinical[c].isna().any()}
    n_input = len(clinical)
    if missing and config.missing.policy == "error":
        listed = ", ".join(f"{c} ({k})" for c, k in missing.items())
        raise InputError(
            f"{name}: missing values in {listed}; set [missing] policy = "
            f'"complete-case" in {config.path.name} to exclude those patients'
        )
    if missing:
        keep = clinical[columns].notna().all(axis=1).to_numpy()
        clinical = clinical.loc[keep].reset_index(drop=True)
        log(
            f"missing values: {n_input - len(clinical)} of {n_input} patients excluded "
            f"(complete cases)"
        )
    exclusions = {
        "policy": config.missing.policy,
        "n_input": n_input,
        "n": int(len(clinical)),
        "excluded": int(n_input - len(clinical)),
        "missing": missing,
    }

    # ---- outcome: two values, one of them positive
    outcome = clinical[config.outcome.column]
    values = sorted(pd.unique(outcome).tolist())
    pos = config.outcome.positive
    y = _is_positive(outcome, pos).to_numpy()
    if len(values) != 2 or y.all() or not y.any():
        raise InputError(
            f"{name}: outcome column {config.outcome.column!r} must have two values, "
            f"one of them outcome.positive = {pos!r}; got {values[:6]!r}"
        )
    for v in config.variables:
        if v.categorical:
            counts = clinical[v.column].value_counts()
            empty = [lv for lv in v.levels if counts.get(lv, 0) == 0]
            if empty:
                raise InputError(
                    f"{name}: level {empty[0]!r} of variables.{v.column}.levels has "
                    f"no patient"
                    + (" after excluding incomplete patients" if exclusions["excluded"] else "")
                )
    clinical["_y"] = y.astype(int)
    ids = clinical[config.id_column]

    # ---- features
    features, raters, model_rater, sources = {}, {}, {}, {}
    extracted = _extract_manifests(config, log)
    for m in config.modalities:
        if m.manifest is not None:
            tables = extracted[m.manifest][m.name]
            where = m.manifest.name
            id_col = "patient_id"
            sources[m.name] = f"manifest {m.manifest.name}"
        elif m.feature_table is not None:
            from cetrus.imaging import split_feature_table

            tables = split_feature_table(_read(m.feature_table), m.name, m.feature_table.name)
            where = m.feature_table.name
            id_col = "patient_id"
            sources[m.name] = f"feature table {m.feature_table.name}"
        else:
            tables = {r: _read(p) for r, p in m.features}
            where = None
            id_col = config.id_column
            sources[m.name] = "feature tables " + ", ".join(p.name for _, p in m.features)
        if not tables:
            raise InputError(f"{config.path.name}: modalities.{m.name}: no rater's features found")
        per_rater = {}
        for rater, frame in tables.items():
            label = where or dict(m.features)[rater].name
            if where is not None:
                label = f"{where} (modality {m.name}, rater {rater})"
            per_rater[rater] = _feature_table(frame, label, id_col, ids, input_ids, name)
        first = next(iter(per_rater.values()))
        for rater, frame in per_rater.items():
            if list(frame.columns) != list(first.columns):
                raise InputError(
                    f"modalities.{m.name}: rater {rater!r}'s feature columns differ "
                    f"from rater {next(iter(per_rater))!r}'s"
                )
        chosen = m.model_rater or next(iter(per_rater))
        if chosen not in per_rater:
            raise InputError(
                f"{config.path.name}: modalities.{m.name}.model_rater {chosen!r} is not "
                f"one of the raters {', '.join(per_rater)}"
            )
        raters[m.name] = per_rater
        features[m.name] = per_rater[chosen]
        model_rater[m.name] = chosen
    return StudyData(clinical, y, features, raters, exclusions, model_rater, sources)


def _extract_manifests(config, log) -> dict[Path, dict[str, dict[str, pd.DataFrame]]]:
    """Features of every modality given as an image manifest, one extraction per file."""
    manifests = []
    for m in config.modalities:
        if m.manifest is not None and m.manifest not in manifests:
            manifests.append(m.manifest)
    if not manifests:
        return {}
    from cetrus.imaging import study_features

    ex = config.extraction
    out = {}
    for path in manifests:
        log(
            f"extracting DenseNet201 features from {path.name} (weights: "
            f"{'seeded random (not ImageNet)' if ex.weights == 'none' else ex.weights})"
        )
        out[path] = study_features(
            path,
            [m.name for m in config.modalities if m.manifest == path],
            weights=ex.weights,
            seed=ex.seed,
            size=ex.image_size,
            margin=ex.margin,
            batch_size=ex.batch_size,
            device=ex.device,
            mask_outside=ex.mask_outside,
            cache_dir=ex.cache_dir or None,
            log=log,
        )
    return out


def _feature_table(
    frame: pd.DataFrame,
    source: str,
    id_column: str,
    ids: pd.Series,
    input_ids: frozenset,
    clinical_name: str,
) -> pd.DataFrame:
    if id_column not in frame.columns:
        raise InputError(
            f"{source}: id column {id_column!r} not found (columns: {_columns_hint(frame)})"
        )
    fids = _as_text(frame[id_column])
    if fids.duplicated().any():
        raise InputError(f"{source}: patient id {fids[fids.duplicated()].iloc[0]!r} occurs twice")
    missing = ids[~ids.isin(set(fids))]
    if len(missing):
        raise InputError(
            f"{source}: {len(missing)} patient(s) of {clinical_name} have no "
            f"features (first: {missing.iloc[0]!r})"
        )
    extra = fids[~fids.isin(input_ids)]
    if len(extra):
        raise InputError(
            f"{source}: {len(extra)} patient(s) are not in {clinical_name} "
            f"(first: {extra.iloc[0]!r})"
        )
    x = frame.drop(columns=[c for c in ("modality", "rater") if c in frame.columns])
    x = x.set_index(fids.to_numpy()).drop(columns=[id_column]).loc[ids.to_numpy()]
    nonnum = [c for c in x.columns if x[c].dtype.kind not in "iuf"]
    if nonnum:
        raise InputError(f"{source}: feature column {nonnum[0]!r} is not numeric")
    if x.shape[1] == 0:
        raise InputError(f"{source}: no feature column besides {id_column!r}")
    values = x.to_numpy(dtype=np.float64)
    if not np.isfinite(values).all():
        col = x.columns[(~np.isfinite(values)).any(axis=0)][0]
        raise InputError(f"{source}: feature column {col!r} has missing or infinite values")
    x = pd.DataFrame(values, columns=[str(c) for c in x.columns])
    return x
