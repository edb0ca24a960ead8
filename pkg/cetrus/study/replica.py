"""The replica cohort: a SYNTHETIC stand-in for the paper's private data.

The paper's patients cannot be shared, so :func:`make_replica` builds 878 synthetic
patients from the published marginals (``cetrus/data/paper/published.toml``), deterministically
from one seed, so that anyone can run the whole study end to end. Every output says
SYNTHETIC: the file names, a ``synthetic`` column, the parquet metadata and a README.

What the replica reproduces by construction
-------------------------------------------
* **Table 1 counts exactly** — sex, smoking and drinking by metastasis group.
* **Table 1 medians and quartiles exactly** (to float rounding): per group and
  variable, the sorted values follow a monotone cubic (PCHIP) quantile function through
  (min, P25, P50, P75, max), and the order statistics that R's type-7 quantile
  (numpy's default) interpolates at 0.25/0.5/0.75 are set to the published value.
  Minimum and maximum are plausible clinical limits chosen here (not published).
* Dependence between the clinical variables through a Gaussian copula (ranks of
  correlated normals), which leaves the marginals untouched: height with male sex,
  weight with height, HGB with RBC, NEU% against LYM%.
* **Drinking in the training cohort**: the paper's drinking OR (1.56, Table 2) is larger
  than the crude OR of Table 1 (1.39), i.e. Table 2 was fit on the training cohort.
  The replica places the drinking metastasis patients preferentially in the training
  cohort of the reported split so that the clinical selection rule keeps drinking,
  as it did in the paper. Counts over the whole cohort stay exact.

DenseNet-like features
----------------------
Per modality (TDUS, CDUS, CEUS) and rater (1, 2): 1,920 non-negative features, like
the global-average-pooled ReLU output of DenseNet201. Features come in blocks of 32
sharing a latent factor (within-block correlations 0.5–0.96, so the Spearman filter
has work to do); each feature is ``exp(mu + sigma * z)``. A planted outcome signal
loads on a few blocks per modality, strongest for CEUS and weak for CDUS. TDUS
additionally carries a signal that exists only in the training cohort of the reported
split (a "dataset-specific" pattern that LASSO learns and the test cohort does not
share) — the replica's way of reproducing the paper's TDUS train/test gap.
Rater 2 is rater 1 plus Gaussian noise (reflected at 0 to stay non-negative) sized
per feature so that ICC ≈ s²/(s² + τ²/2) has the paper's mean per modality
(0.92, 0.91, 0.94); per-feature ICCs vary around the mean.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cetrus._fs import atomic_directory, check_output
from cetrus.errors import InputError

__all__ = [
    "Replica",
    "make_replica",
    "write_replica",
    "CLINICAL",
    "MODALITIES",
    "N_FEATURES",
    "LABEL",
    "clinical_filename",
    "feature_filename",
]

LABEL = "SYNTHETIC"
MODALITIES = ("TDUS", "CDUS", "CEUS")
N_FEATURES = 1920
BLOCK = 32
OUTCOME = "metastasis"
ID = "patient_id"

#: clinical columns of the replica: column → (published Table 1 name, kind, plausible min, max)
CLINICAL: dict[str, tuple[str, str, float, float]] = {
    "sex": ("Sex", "categorical", 0, 0),
    "age": ("Age", "continuous", 24.0, 89.0),
    "height": ("Height", "continuous", 140.0, 186.0),
    "weight": ("Weight", "continuous", 33.0, 102.0),
    "smoking": ("Smoking", "categorical", 0, 0),
    "drinking": ("Drinking", "categorical", 0, 0),
    "wbc": ("WBC", "continuous", 2.4, 19.5),
    "rbc": ("RBC", "continuous", 2.3, 6.4),
    "hgb": ("HGB", "continuous", 58.0, 178.0),
    "plt": ("PLT", "continuous", 75.0, 720.0),
    "neu_pct": ("NEU%", "continuous", 0.28, 0.93),
    "lym_pct": ("LYM%", "continuous", 0.03, 0.58),
    "mono_pct": ("MONO%", "continuous", 0.015, 0.17),
    "eo_pct": ("EO%", "continuous", 0.0, 0.16),
    "crp": ("CRP", "continuous", 0.1, 160.0),
}

#: group-specific limits where the published quartiles alone leave the per-unit logistic
#: association much weaker than the paper's (PLT: Table 2 reports P < 0.01 per 10^9/L)
_GROUP_LIMITS = {"plt": {"metastasis": (150.0, 640.0), "non_metastasis": (95.0, 520.0)}}

# Gaussian-copula correlations between latent ranks (pairs not listed: 0).
_COPULA = {
    ("sex", "height"): 0.65,
    ("height", "weight"): 0.55,
    ("sex", "weight"): 0.35,
    ("rbc", "hgb"): 0.8,
    ("neu_pct", "lym_pct"): -0.85,
    ("wbc", "neu_pct"): 0.35,
    ("mono_pct", "lym_pct"): 0.2,
    ("smoking", "drinking"): 0.45,
    ("sex", "smoking"): 0.4,
    ("plt", "crp"): 0.25,
}


@dataclass(frozen=True)
class Signal:
    """Planted outcome signal of one modality (tuned so the study behaves like the paper's)."""

    strength: float  # shift of the signal latent in cases, in SDs (whole cohort)
    blocks: int  # blocks the signal loads on
    loading: float  # loading of those blocks' factors on the signal latent
    train_only: float = 0.0  # extra shift in training-cohort cases only (overfitting bait)
    train_blocks: int = 0


SIGNALS = {
    "TDUS": Signal(strength=0.7, blocks=4, loading=0.6, train_only=1.2, train_blocks=6),
    "CDUS": Signal(strength=0.15, blocks=3, loading=0.5, train_only=0.5, train_blocks=3),
    "CEUS": Signal(strength=1.5, blocks=8, loading=0.7),
}
ICC_TARGET = {"TDUS": 0.92, "CDUS": 0.91, "CEUS": 0.94}


@dataclass(frozen=True)
class Replica:
    """The synthetic cohort: clinical table, features per (modality, rater), and metadata."""

    clinical: pd.DataFrame
    features: dict[tuple[str, int], pd.DataFrame] = field(repr=False)
    seed: int
    split_seed: int
    meta: dict


def clinical_filename() -> str:
    return f"{LABEL}_clinical.csv"


def feature_filename(modality: str, rater: int) -> str:
    return f"{LABEL}_features_{modality}_rater{rater}.parquet"


# --------------------------------------------------------------------------- clinical


def _quantile_values(n: int, q: tuple[float, float, float], lo: float, hi: float) -> np.ndarray:
    """``n`` sorted values whose type-7 median and quartiles equal ``q = (median, P25, P75)``."""
    from scipy.interpolate import PchipInterpolator

    median, q1, q3 = q
    lo, hi = min(lo, q1), max(hi, q3)
    knots_p = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
    knots_v = np.array([lo, q1, median, q3, hi], dtype=float)
    # PCHIP needs strictly increasing x; equal quartiles (e.g. MONO% 0.08 = 0.08 = 0.09) are fine in y
    u = np.linspace(0.0, 1.0, n)
    values = PchipInterpolator(knots_p, knots_v)(u)
    # type-7 quantile at p interpolates order statistics floor(h), ceil(h), h = (n-1)p:
    # set both to the published value so the sample quantile equals it exactly
    for p, v in ((0.25, q1), (0.5, median), (0.75, q3)):
        h = (n - 1) * p
        values[int(np.floor(h))] = v
        values[int(np.ceil(h))] = v
    return np.maximum.accumulate(values)  # keep monotone after the pinning


def _copula_latents(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    names = list(CLINICAL)
    corr = np.eye(len(names))
    for (a, b), r in _COPULA.items():
        i, j = names.index(a), names.index(b)
        corr[i, j] = corr[j, i] = r
    # nearest positive-definite fix (eigenvalue floor) keeps the listed pairs close
    w, v = np.linalg.eigh(corr)
    corr = (v * np.maximum(w, 0.05)) @ v.T
    d = np.sqrt(np.diag(corr))
    corr = corr / np.outer(d, d)
    z = rng.standard_normal((n, len(names))) @ np.linalg.cholesky(corr).T
    return {name: z[:, k] for k, name in enumerate(names)}


def _assign_by_rank(latent: np.ndarray, sorted_values: np.ndarray) -> np.ndarray:
    out = np.empty_like(sorted_values)
    out[np.argsort(latent, kind="stable")] = sorted_values
    return out


def _clinical(published, seed: int, split_seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    from cetrus.study.split import stratified_split

    rng = np.random.default_rng([seed, 1])
    n = published.n_patients
    n_cases = published.n_metastasis
    y = np.zeros(n, dtype=int)
    y[rng.choice(n, n_cases, replace=False)] = 1
    train = stratified_split(y, split_seed).train
    latents = _copula_latents(n, rng)
    frame = pd.DataFrame({ID: [f"SYN{i + 1:04d}" for i in range(n)], OUTCOME: y})
    groups = {"metastasis": y == 1, "non_metastasis": y == 0}
    for col, (name, kind, lo, hi) in CLINICAL.items():
        values = np.empty(n, dtype=object if kind == "categorical" else float)
        for group, mask in groups.items():
            lat = latents[col][mask]
            if kind == "categorical":
                row = published.categorical[name]
                first, second = row["levels"]
                k = row[group][0]  # count of the first level
                if col == "drinking" and group == "metastasis":
                    # bias the drinkers among cases towards the training cohort (module doc)
                    lat = lat + 1.5 * train[mask]
                # the k highest latents get the first level ("Male" / "Yes")
                level = np.full(mask.sum(), second, dtype=object)
                level[np.argsort(-lat, kind="stable")[:k]] = first
                values[mask] = level
            else:
                q = tuple(published.continuous[name][group])
                glo, ghi = _GROUP_LIMITS.get(col, {}).get(group, (lo, hi))
                values[mask] = _assign_by_rank(lat, _quantile_values(int(mask.sum()), q, glo, ghi))
        frame[col] = values
    frame[LABEL.lower()] = 1
    return frame, train


# --------------------------------------------------------------------------- features


def _features(
    y: np.ndarray,
    train: np.ndarray,
    modality: str,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, dict]:
    """Rater-1 and rater-2 features (float32, n × 1920) of one modality."""
    n = y.size
    n_blocks = N_FEATURES // BLOCK
    sig = SIGNALS[modality]
    factors = rng.standard_normal((n, n_blocks))
    # signal latents: true signal (whole cohort) and a training-only pattern
    yc = y - y.mean()
    true = sig.strength * yc + rng.standard_normal(n)
    true /= true.std()
    blocks = rng.permutation(n_blocks)
    true_blocks = blocks[: sig.blocks]
    factors[:, true_blocks] = (
        sig.loading * true[:, None] + np.sqrt(1 - sig.loading**2) * factors[:, true_blocks]
    )
    bait_blocks = blocks[sig.blocks : sig.blocks + sig.train_blocks]
    if sig.train_blocks:
        bait = sig.train_only * (yc * train) + rng.standard_normal(n)
        bait /= bait.std()
        factors[:, bait_blocks] = (
            sig.loading * bait[:, None] + np.sqrt(1 - sig.loading**2) * factors[:, bait_blocks]
        )
    block_of = np.repeat(np.arange(n_blocks), BLOCK)
    a = rng.uniform(0.7, 0.98, N_FEATURES)  # loading of each feature on its block factor
    z = a * factors[:, block_of] + np.sqrt(1 - a**2) * rng.standard_normal((n, N_FEATURES))
    mu = rng.normal(-1.0, 0.5, N_FEATURES)
    sigma = rng.uniform(0.3, 0.8, N_FEATURES)
    x1 = np.exp(mu + sigma * z)
    # rater 2: additive noise with per-feature ICC_j around the modality's mean ICC
    target = ICC_TARGET[modality]
    icc_j = 1.0 - (1.0 - target) * rng.gamma(6.0, 1.0 / 6.0, N_FEATURES)
    icc_j = np.clip(icc_j, 0.5, 0.995)
    tau = np.sqrt(2.0 * x1.var(axis=0) * (1.0 - icc_j) / icc_j)
    x2 = np.abs(x1 + tau * rng.standard_normal((n, N_FEATURES)))
    meta = {
        "signal_blocks": sorted(int(b) for b in true_blocks),
        "train_only_blocks": sorted(int(b) for b in bait_blocks),
        "signal": {
            k: getattr(sig, k)
            for k in ("strength", "blocks", "loading", "train_only", "train_blocks")
        },
        "icc_target_mean": target,
        "icc_design_mean": float(icc_j.mean()),
    }
    return x1.astype(np.float32), x2.astype(np.float32), meta


def make_replica(seed: int = 0, *, split_seed: int = 0, published=None) -> Replica:
    """Build the SYNTHETIC replica cohort (see the module docstring).

    Parameters
    ----------
    seed : int
        Seed of every random draw (``numpy.random.default_rng``); same seed, same cohort.
    split_seed : int
        The split the study reports (``study.toml``'s ``split.reported_seed``); the
        training-only patterns are planted in its training cohort.
    published : Published, optional
        Published numbers (default ``cetrus/data/paper/published.toml``).
    """
    from cetrus.study import published as pub

    if int(seed) < 0:
        raise InputError(
            f"The 'seed' parameter of make_replica must be a non-negative integer. "
            f"Got {seed!r} instead."
        )
    published = published or pub.load()
    clinical, train = _clinical(published, int(seed), int(split_seed))
    y = clinical[OUTCOME].to_numpy()
    features: dict[tuple[str, int], pd.DataFrame] = {}
    fmeta = {}
    cols = [f"f{j:04d}" for j in range(N_FEATURES)]
    for k, modality in enumerate(MODALITIES):
        rng = np.random.default_rng([int(seed), 10 + k])
        x1, x2, fmeta[modality] = _features(y, train, modality, rng)
        for rater, x in ((1, x1), (2, x2)):
            frame = pd.DataFrame(x, columns=cols)
            frame.insert(0, ID, clinical[ID].to_numpy())
            features[(modality, rater)] = frame
    meta = {
        "label": LABEL,
        "generator": "cetrus.study.replica.make_replica",
        "seed": int(seed),
        "split_seed": int(split_seed),
        "n_patients": int(y.size),
        "n_metastasis": int(y.sum()),
        "features_per_modality": N_FEATURES,
        "block_size": BLOCK,
        "modalities": fmeta,
        "published": str(published.path.name),
    }
    return Replica(clinical, features, int(seed), int(split_seed), meta)


_README = """# {label} replica cohort — not patient data

Every file in this folder is **{label}**: generated by `cetrus replica --seed {seed}`
(`cetrus.study.replica.make_replica`) from the published marginals of Xia et al.
(`cetrus/data/paper/published.toml`). It stands in for the paper's private data so the whole
study can be run end to end. No value here describes a real patient.

* `{clinical}` — {n} synthetic patients ({cases} with distant metastasis), Table 1's
  variables; group-wise counts and medians/quartiles equal the published Table 1.
* `{label}_features_<MODALITY>_rater<1|2>.parquet` — 1,920 DenseNet-like (generated,
  not extracted) features per modality and rater, float32, keyed by `patient_id`.
* `{label}_manifest.json` — seed, design parameters and file list.

How it is built: see the docstring of `cetrus.study.replica`.
"""


def write_replica(
    out: str | Path, seed: int = 0, *, split_seed: int = 0, overwrite: bool = True
) -> Path:
    """Write the replica into folder ``out`` atomically (built in a temp dir, then renamed)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"replica output {out} exists and is not a folder")
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise InputError(f"replica output folder {out} is not empty")
    check_output(out, "replica")
    from cetrus._optional import import_optional

    import_optional("pyarrow", "write_replica")  # one line naming the 'study' extra
    rep = make_replica(seed, split_seed=split_seed)
    import pyarrow as pa
    import pyarrow.parquet as pq

    with atomic_directory(out, kind="replica") as tmp:
        rep.clinical.to_csv(tmp / clinical_filename(), index=False)
        files = [clinical_filename()]
        for (modality, rater), frame in rep.features.items():
            table = pa.Table.from_pandas(frame, preserve_index=False)
            table = table.replace_schema_metadata(
                {
                    **(table.schema.metadata or {}),
                    b"cetrus": json.dumps(
                        {
                            "label": LABEL,
                            "synthetic": True,
                            "seed": rep.seed,
                            "modality": modality,
                            "rater": rater,
                        }
                    ).encode(),
                }
            )
            pq.write_table(table, tmp / feature_filename(modality, rater))
            files.append(feature_filename(modality, rater))
        manifest = {**rep.meta, "files": files}
        (tmp / f"{LABEL}_manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        (tmp / f"{LABEL}_README.md").write_text(
            _README.format(
                label=LABEL,
                seed=rep.seed,
                clinical=clinical_filename(),
                n=rep.meta["n_patients"],
                cases=rep.meta["n_metastasis"],
            )
        )
    return out
