"""The study configuration (``study.toml``): what to analyse and how.

A study is one clinical table (one row per patient, the outcome and the clinical
variables), one feature table per modality and rater (or an image manifest to extract
them from), and the analysis settings of the paper: the 8:2 split (all ten seeds and
the reported one), the selection rules, the threshold rule and the output options.
Relative paths are relative to the config file's folder. The replica cohort ships as
the default config (``study.toml`` at the repository root).

Errors name the key (``split.reported_seed``) or the file; unknown keys are errors,
so a typo never silently falls back to a default.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from cetrus.errors import InputError

__all__ = ["StudyConfig", "Variable", "Modality", "SplitSpec", "SelectionSpec", "ModelSpec",
           "OutputSpec", "ReplicaSpec", "OutcomeSpec", "load_config", "default_config_path"]


def default_config_path() -> Path:
    """``study.toml`` at the repository root (the replica study)."""
    return Path(__file__).resolve().parents[3] / "study.toml"


@dataclass(frozen=True)
class ReplicaSpec:
    """Build the SYNTHETIC replica into ``folder`` when it is missing."""

    folder: Path
    seed: int = 0


@dataclass(frozen=True)
class OutcomeSpec:
    column: str
    positive: Any = 1
    label: str = "Outcome"
    case_label: str = "Cases"
    control_label: str = "Controls"


@dataclass(frozen=True)
class Variable:
    """A clinical variable: ``type`` is ``continuous`` or ``categorical``.

    Categorical variables list their ``levels`` with the reference level first; the
    logistic models use the indicator of each other level.
    """

    column: str
    type: str
    label: str
    unit: str = ""
    levels: tuple[str, ...] = ()

    @property
    def reference(self) -> str | None:
        return self.levels[0] if self.levels else None


@dataclass(frozen=True)
class Modality:
    """One imaging modality: feature tables of rater 1 (used for models) and rater 2 (ICC)."""

    name: str
    label: str
    rater1: Path | None = None
    rater2: Path | None = None
    manifest: Path | None = None


@dataclass(frozen=True)
class SplitSpec:
    test_fraction: float = 0.2
    stratify: bool = True
    seeds: tuple[int, ...] = tuple(range(10))
    reported_seed: int = 0


@dataclass(frozen=True)
class SelectionSpec:
    clinical_cohort: str = "training"   # cohort Table 2 is fit on: "training" or "all"
    chisq_correct: bool = False         # Yates in Table 1 (the paper's P values are uncorrected)
    conf_level: float = 0.95
    mwu_p: float = 0.05
    spearman_rho: float = 0.9
    lasso_folds: int = 10
    lasso_lambda: str = "min"           # "min" or "1se"
    lasso_seed: int = 0
    icc_form: str = "ICC2"


@dataclass(frozen=True)
class ModelSpec:
    integrated: str = "best_test"       # a modality name, or the modality with the best test AUC
    threshold: str = "youden_training"  # Youden point of the training cohort applied to test
    spread: bool = True                 # refit every model on all split seeds (test-AUC spread)
    workers: int = 0                    # processes for the spread (0 = one per CPU core)


@dataclass(frozen=True)
class OutputSpec:
    figure_formats: tuple[str, ...] = ("png", "svg")
    decimals: int = 3
    dpi: int = 150


@dataclass(frozen=True)
class StudyConfig:
    path: Path
    title: str
    synthetic: bool
    clinical: Path
    id_column: str
    outcome: OutcomeSpec
    variables: tuple[Variable, ...]
    modalities: tuple[Modality, ...]
    split: SplitSpec = field(default_factory=SplitSpec)
    selection: SelectionSpec = field(default_factory=SelectionSpec)
    models: ModelSpec = field(default_factory=ModelSpec)
    output: OutputSpec = field(default_factory=OutputSpec)
    replica: ReplicaSpec | None = None

    @property
    def root(self) -> Path:
        return self.path.parent

    def variable(self, column: str) -> Variable:
        for v in self.variables:
            if v.column == column:
                return v
        raise InputError(f"{self.path.name}: no clinical variable {column!r}")

    def modality(self, name: str) -> Modality:
        for m in self.modalities:
            if m.name == name:
                return m
        raise InputError(f"{self.path.name}: no modality {name!r} "
                         f"(modalities: {', '.join(m.name for m in self.modalities)})")

    def require_files(self) -> None:
        """Raise naming the key and the file when an input file is missing."""
        checks = [("data.clinical", self.clinical)]
        for m in self.modalities:
            for key in ("rater1", "rater2", "manifest"):
                p = getattr(m, key)
                if p is not None:
                    checks.append((f"modalities.{m.name}.{key}", p))
        for key, p in checks:
            if not p.is_file():
                raise InputError(f"{self.path.name}: {key} = {str(p)!r}: file not found")


# --------------------------------------------------------------------------- parsing

def _table(raw: dict, key: str, where: str, required: bool = False) -> dict:
    value = raw.get(key, None)
    if value is None:
        if required:
            raise InputError(f"{where}: missing table [{key}]")
        return {}
    if not isinstance(value, dict):
        raise InputError(f"{where}: {key} must be a table")
    return value


def _check_keys(table: dict, allowed: set[str], prefix: str, where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise InputError(f"{where}: unknown key {prefix}{unknown[0]!r} "
                         f"(known: {', '.join(sorted(allowed))})")


def _typed(value: Any, kind: type | tuple, key: str, where: str) -> Any:
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        name = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise InputError(f"{where}: {key} must be {name}; got {value!r}")
    return value


def _dataclass_from(cls, table: dict, prefix: str, where: str, **extra):
    allowed = {f.name for f in fields(cls)} - set(extra)
    _check_keys(table, allowed, prefix, where)
    kwargs = dict(extra)
    defaults = cls()  if not extra else None
    for f in fields(cls):
        if f.name not in table:
            continue
        value = table[f.name]
        default = getattr(defaults, f.name) if defaults is not None else None
        if isinstance(default, tuple):
            value = tuple(_typed(value, list, prefix + f.name, where))
        elif isinstance(default, bool):
            value = _typed(value, bool, prefix + f.name, where)
        elif isinstance(default, (int, float, str)):
            value = _typed(value, type(default), prefix + f.name, where)
        kwargs[f.name] = value
    return cls(**kwargs)


def load_config(path: str | Path | None = None) -> StudyConfig:
    """Read and check a ``study.toml`` (default: the replica study at the repo root).

    Only keys and types are checked here; :meth:`StudyConfig.require_files` checks
    that the files exist (the replica may be built after the config is read).
    """
    p = Path(path) if path is not None else default_config_path()
    if not p.is_file():
        raise InputError(f"study config not found: {p}")
    where = p.name
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"cannot parse {where}: {exc}") from None
    _check_keys(raw, {"study", "replica", "data", "outcome", "variables", "modalities", "split",
                      "selection", "models", "output"}, "", where)
    root = p.resolve().parent

    def path_of(value: Any, key: str) -> Path:
        value = _typed(value, str, key, where)
        q = Path(value)
        return q if q.is_absolute() else root / q

    study = _table(raw, "study", where)
    _check_keys(study, {"title", "synthetic"}, "study.", where)
    title = _typed(study.get("title", "Untitled study"), str, "study.title", where)
    synthetic = _typed(study.get("synthetic", False), bool, "study.synthetic", where)

    replica = None
    rep = _table(raw, "replica", where)
    if rep:
        _check_keys(rep, {"folder", "seed"}, "replica.", where)
        if "folder" not in rep:
            raise InputError(f"{where}: missing key replica.folder")
        replica = ReplicaSpec(path_of(rep["folder"], "replica.folder"),
                              _typed(rep.get("seed", 0), int, "replica.seed", where))

    data = _table(raw, "data", where, required=True)
    _check_keys(data, {"clinical", "id"}, "data.", where)
    if "clinical" not in data:
        raise InputError(f"{where}: missing key data.clinical")
    clinical = path_of(data["clinical"], "data.clinical")
    id_column = _typed(data.get("id", "patient_id"), str, "data.id", where)

    out = _table(raw, "outcome", where, required=True)
    _check_keys(out, {"column", "positive", "label", "case_label", "control_label"}, "outcome.",
                where)
    if "column" not in out:
        raise InputError(f"{where}: missing key outcome.column")
    outcome = OutcomeSpec(**{k: out[k] for k in out})
    for k in ("column", "label", "case_label", "control_label"):
        _typed(getattr(outcome, k), str, f"outcome.{k}", where)

    variables = []
    for column, spec in _table(raw, "variables", where, required=True).items():
        prefix = f"variables.{column}."
        if not isinstance(spec, dict):
            raise InputError(f"{where}: variables.{column} must be a table")
        _check_keys(spec, {"type", "label", "unit", "levels"}, prefix, where)
        kind = _typed(spec.get("type", ""), str, prefix + "type", where)
        if kind not in ("continuous", "categorical"):
            raise InputError(f"{where}: {prefix}type must be 'continuous' or 'categorical'; "
                             f"got {kind!r}")
        levels = tuple(str(v) for v in _typed(spec.get("levels", []), list, prefix + "levels",
                                               where))
        if kind == "categorical" and len(levels) != 2:
            raise InputError(f"{where}: {prefix}levels must list the two levels, reference first")
        variables.append(Variable(column, kind, _typed(spec.get("label", column), str,
                                                       prefix + "label", where),
                                  _typed(spec.get("unit", ""), str, prefix + "unit", where),
                                  levels))
    if not variables:
        raise InputError(f"{where}: [variables] lists no clinical variable")

    modalities = []
    for name, spec in _table(raw, "modalities", where, required=True).items():
        prefix = f"modalities.{name}."
        if not isinstance(spec, dict):
            raise InputError(f"{where}: modalities.{name} must be a table")
        _check_keys(spec, {"label", "rater1", "rater2", "manifest"}, prefix, where)
        if "rater1" not in spec and "manifest" not in spec:
            raise InputError(f"{where}: {prefix}rater1 (a feature table) or {prefix}manifest "
                             f"(images to extract) is required")
        modalities.append(Modality(
            name, _typed(spec.get("label", name), str, prefix + "label", where),
            *(path_of(spec[k], prefix + k) if k in spec else None
              for k in ("rater1", "rater2", "manifest"))))
    if not modalities:
        raise InputError(f"{where}: [modalities] lists no modality")

    split = _dataclass_from(SplitSpec, _table(raw, "split", where), "split.", where)
    if not 0 < split.test_fraction < 1:
        raise InputError(f"{where}: split.test_fraction must be in (0, 1); got {split.test_fraction!r}")
    if not split.seeds or split.reported_seed not in split.seeds:
        raise InputError(f"{where}: split.reported_seed ({split.reported_seed}) must be one of "
                         f"split.seeds")
    selection = _dataclass_from(SelectionSpec, _table(raw, "selection", where), "selection.",
                                where)
    if selection.clinical_cohort not in ("training", "all"):
        raise InputError(f"{where}: selection.clinical_cohort must be 'training' or 'all'; "
                         f"got {selection.clinical_cohort!r}")
    if selection.lasso_lambda not in ("min", "1se"):
        raise InputError(f"{where}: selection.lasso_lambda must be 'min' or '1se'; "
                         f"got {selection.lasso_lambda!r}")
    models = _dataclass_from(ModelSpec, _table(raw, "models", where), "models.", where)
    names = [m.name for m in modalities]
    if models.integrated != "best_test" and models.integrated not in names:
        raise InputError(f"{where}: models.integrated must be 'best_test' or one of "
                         f"{', '.join(names)}; got {models.integrated!r}")
    if models.threshold != "youden_training":
        raise InputError(f"{where}: models.threshold must be 'youden_training'; "
                         f"got {models.threshold!r}")
    output = _dataclass_from(OutputSpec, _table(raw, "output", where), "output.", where)
    bad = [f for f in output.figure_formats if f not in ("png", "svg", "pdf")]
    if bad:
        raise InputError(f"{where}: output.figure_formats: unknown format {bad[0]!r}")
    return StudyConfig(p.resolve(), title, synthetic, clinical, id_column, outcome,
                       tuple(variables), tuple(modalities), split, selection, models, output,
                       replica)
