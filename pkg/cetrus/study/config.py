"""The study configuration (``study.toml``): what to analyse and how.

A study is one clinical table (one row per patient: the outcome and the clinical
variables), the deep features of one or more imaging modalities (an image manifest to
extract them from, or feature tables per rater), and the analysis settings: the
training/test split (every seed and the reported one), the selection rules, the
threshold rule and the output options. Relative paths are relative to the config
file's folder. ``cetrus init DIR`` writes a commented template of every key; the
README documents them.

Errors name the key (``split.reported_seed``) and the file; unknown keys are errors,
so a typo never silently falls back to a default.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from cetrus.errors import InputError

__all__ = [
    "StudyConfig",
    "Variable",
    "Modality",
    "SplitSpec",
    "SelectionSpec",
    "ModelSpec",
    "OutputSpec",
    "ReplicaSpec",
    "OutcomeSpec",
    "ExtractionSpec",
    "MissingSpec",
    "Table1Spec",
    "ReportSpec",
    "ValidationSpec",
    "DecisionSpec",
    "SampleSizeSpec",
    "load_config",
    "default_config_path",
    "ICC_FORMS",
    "INTEGRATED_RULES",
]

ICC_FORMS = ("ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k")

#: how ``[models] integrated`` picks the modality joining the clinical model (or a modality's
#: name, fixed): ``best_cv`` — highest cross-validated AUC in the training cohort (the
#: default); ``best_test`` — highest test AUC (the paper's choice: uses the test cohort for
#: model selection, and the manuscript says so as a limitation)
INTEGRATED_RULES = ("best_cv", "best_test")


def default_config_path() -> Path:
    """``study.toml`` in the current folder (``cetrus init`` writes one)."""
    return Path.cwd() / "study.toml"


@dataclass(frozen=True)
class ReplicaSpec:
    """Build the SYNTHETIC replica into ``folder`` when it is missing."""

    folder: Path
    seed: int = 0


@dataclass(frozen=True)
class OutcomeSpec:
    """The binary outcome: ``positive`` is the value of ``column`` that marks a case."""

    column: str
    positive: Any = 1
    label: str = "Outcome"
    case_label: str = "Cases"
    control_label: str = "Controls"


@dataclass(frozen=True)
class Variable:
    """A clinical variable: ``type`` is ``continuous`` or ``categorical``.

    Categorical variables list their ``levels`` (two or more) with the reference level
    first; the logistic models use one indicator per other level (R's treatment
    contrasts, terms named ``<column><level>``). ``table_order`` optionally orders the
    level rows of Table 1 (default: ``levels``).
    """

    column: str
    type: str
    label: str
    unit: str = ""
    levels: tuple[str, ...] = ()
    table_order: tuple[str, ...] = ()

    @property
    def reference(self) -> str | None:
        return self.levels[0] if self.levels else None

    @property
    def categorical(self) -> bool:
        return self.type == "categorical"


@dataclass(frozen=True)
class Modality:
    """One imaging modality and where its features come from.

    Exactly one source: ``manifest`` (an image manifest: its rows whose ``modality``
    equals ``name``, any rater names), ``features`` as a mapping rater → feature table
    (wide: id column + features), or ``feature_table``: one long table with columns
    ``patient_id, modality, rater`` + features (what ``cetrus extract`` writes).
    ``model_rater`` is the rater whose features build the models (default: the first).
    """

    name: str
    label: str
    manifest: Path | None = None
    features: tuple[tuple[str, Path], ...] = ()
    feature_table: Path | None = None
    model_rater: str | None = None

    @property
    def files(self) -> list[tuple[str, Path]]:
        """(config key, path) of every input file of this modality."""
        prefix = f"modalities.{self.name}."
        out = [(prefix + "manifest", self.manifest)] if self.manifest else []
        out += [(f"{prefix}features.{r}", p) for r, p in self.features]
        out += [(prefix + "features", self.feature_table)] if self.feature_table else []
        return out


@dataclass(frozen=True)
class ExtractionSpec:
    """DenseNet201 extraction settings for modalities given as an image manifest."""

    weights: str = "imagenet"  # "imagenet" (torch hub cache), "none" (seeded random), or a path
    seed: int = 0
    image_size: int = 224
    margin: int = 0
    batch_size: int = 16
    device: str = "cpu"
    mask_outside: bool = False
    cache_dir: str = ""  # "" = $CETRUS_CACHE_DIR or ~/.cache/cetrus/features


@dataclass(frozen=True)
class MissingSpec:
    """``error``: a missing value stops the study, naming columns and counts;
    ``complete-case``: patients with any missing value are excluded and counted."""

    policy: str = "error"


@dataclass(frozen=True)
class Table1Spec:
    percent_base: str = "group"  # denominator of n (%): each group ("group") or the cohort
    chisq_correct: bool = True  # Yates' continuity correction on 2x2 tables (R's default)


@dataclass(frozen=True)
class SplitSpec:
    test_fraction: float = 0.2
    stratify: bool = True
    seeds: tuple[int, ...] = tuple(range(10))
    reported_seed: int = 0


@dataclass(frozen=True)
class SelectionSpec:
    clinical_cohort: str = "training"  # cohort Table 2 is fit on: "training" or "all"
    conf_level: float = 0.95
    mwu_p: float = 0.05
    spearman_rho: float = 0.9
    lasso_folds: int = 10
    lasso_lambda: str = "min"  # "min" or "1se"
    lasso_seed: int = 0
    icc_form: str = "ICC2"


@dataclass(frozen=True)
class ModelSpec:
    integrated: str = "best_cv"  # a modality name, "best_cv" or "best_test" (INTEGRATED_RULES)
    cv_folds: int = 10  # best_cv: stratified folds (at most; fewer if a group is smaller)
    cv_seed: int = 0  # best_cv: seed of the fold assignment
    cv_selection: str = "refit"  # best_cv: "refit" the feature selection in each fold,
    # or "fixed": the training cohort's radiomics scores
    threshold: str = "youden_training"  # Youden point of the training cohort applied to test
    spread: bool = True  # refit every model on all split seeds (test-AUC spread)
    workers: int = 0  # processes for the spread (0 = one per CPU core)


@dataclass(frozen=True)
class ValidationSpec:
    """Bootstrap internal validation (optimism correction) of the models.

    ``bootstrap``: resamples of ``rms::validate`` for the clinical and integrated models
    (cheap); ``selection_bootstrap``: resamples in which the WHOLE radiomics selection
    (Mann–Whitney → Spearman → LASSO → score) is repeated — one selection per modality
    per resample, so keep it small; 0 skips it. ``seed``: numpy's generator of both.
    """

    bootstrap: int = 200
    selection_bootstrap: int = 5
    seed: int = 0


@dataclass(frozen=True)
class DecisionSpec:
    """Decision curve analysis (test cohort): threshold grid from ``threshold_min`` to
    ``threshold_max`` by ``threshold_step`` (dcurves' own default starts at 0)."""

    threshold_min: float = 0.01
    threshold_max: float = 0.99
    threshold_step: float = 0.01

    @property
    def thresholds(self) -> tuple[float, ...]:
        k = int(round((self.threshold_max - self.threshold_min) / self.threshold_step))
        grid = [round(self.threshold_min + i * self.threshold_step, 10) for i in range(k + 1)]
        return tuple(t for t in grid if t <= self.threshold_max + 1e-12)


@dataclass(frozen=True)
class SampleSizeSpec:
    """Riley et al.'s minimum sample size (``pmsampsize``): the anticipated performance,
    one of ``c_statistic`` or ``cox_snell_r2`` (neither: the paragraph says why it is
    missing); ``shrinkage`` and ``mmoe`` as pmsampsize's defaults."""

    c_statistic: float | None = None
    cox_snell_r2: float | None = None
    shrinkage: float = 0.9
    mmoe: float = 0.05


@dataclass(frozen=True)
class OutputSpec:
    dir: str = "results"
    figure_formats: tuple[str, ...] = ("png", "svg")
    decimals: int = 3
    dpi: int = 150


@dataclass(frozen=True)
class ReportSpec:
    """The study's manuscript sources and where ``cetrus render`` writes the documents."""

    manuscript: str = "manuscript.qmd"
    validation: str = "validation.qmd"
    output: str = "_output"


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
    extraction: ExtractionSpec = field(default_factory=ExtractionSpec)
    missing: MissingSpec = field(default_factory=MissingSpec)
    table1: Table1Spec = field(default_factory=Table1Spec)
    report: ReportSpec = field(default_factory=ReportSpec)
    validation: ValidationSpec = field(default_factory=ValidationSpec)
    decision: DecisionSpec = field(default_factory=DecisionSpec)
    sample_size: SampleSizeSpec = field(default_factory=SampleSizeSpec)
    published: Path | None = None
    disease: str = ""
    authors: str = ""

    @property
    def root(self) -> Path:
        return self.path.parent

    def resolve(self, value: str) -> Path:
        p = Path(value)
        return p if p.is_absolute() else self.root / p

    @property
    def results_dir(self) -> Path:
        return self.resolve(self.output.dir)

    @property
    def manuscript(self) -> Path:
        return self.resolve(self.report.manuscript)

    @property
    def validation_source(self) -> Path:
        return self.resolve(self.report.validation)

    @property
    def render_dir(self) -> Path:
        return self.resolve(self.report.output)

    def variable(self, column: str) -> Variable:
        for v in self.variables:
            if v.column == column:
                return v
        raise InputError(f"{self.path.name}: no clinical variable {column!r}")

    def modality(self, name: str) -> Modality:
        for m in self.modalities:
            if m.name == name:
                return m
        raise InputError(
            f"{self.path.name}: no modality {name!r} "
            f"(modalities: {', '.join(m.name for m in self.modalities)})"
        )

    def require_files(self) -> None:
        """Raise naming the key and the file when an input file is missing."""
        checks = [("data.clinical", self.clinical)]
        for m in self.modalities:
            checks += m.files
        if self.published is not None:
            checks.append(("published.file", self.published))
        for key, p in checks:
            if not p.is_file():
                raise InputError(f"{self.path.name}: {key} = {str(p)!r}: file not found")


# --------------------------------------------------------------------------- parsing


class _Reader:
    """Typed access to one TOML table with errors naming ``file: key``."""

    def __init__(self, where: str, root: Path) -> None:
        self.where = where
        self.root = root

    def error(self, message: str) -> InputError:
        return InputError(f"{self.where}: {message}")

    def table(self, raw: dict, key: str, *, required: bool = False) -> dict:
        value = raw.get(key)
        if value is None:
            if required:
                raise self.error(f"missing table [{key}]")
            return {}
        if not isinstance(value, dict):
            raise self.error(f"{key} must be a table")
        return value

    def keys(self, table: dict, allowed: set[str] | list[str], prefix: str) -> None:
        unknown = sorted(set(table) - set(allowed))
        if unknown:
            raise self.error(
                f"unknown key {prefix}{unknown[0]} (known: {', '.join(sorted(allowed))})"
            )

    def typed(self, value: Any, kind: type | tuple, key: str) -> Any:
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind in (int, float) and isinstance(value, bool)):
            name = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
            name = {
                "str": "a string",
                "int": "an integer",
                "float": "a number",
                "bool": "true or false",
                "list": "a list",
                "dict": "a table",
            }.get(name, name)
            raise self.error(f"{key} must be {name}; got {value!r}")
        if kind is float and isinstance(value, float) and not math.isfinite(value):
            raise self.error(f"{key} must be a finite number; got {value!r}")
        return value

    def path(self, value: Any, key: str) -> Path:
        value = self.typed(value, str, key)
        if not value.strip():
            raise self.error(f"{key} must name a file; got an empty string")
        q = Path(value)
        return q if q.is_absolute() else self.root / q

    def dataclass(self, cls, table: dict, prefix: str):
        _defaults = cls()
        self.keys(table, {f.name for f in fields(cls)}, prefix)
        kwargs = {}
        for f in fields(cls):
            if f.name not in table:
                continue
            value, default, key = table[f.name], getattr(_defaults, f.name), prefix + f.name
            if isinstance(default, tuple):
                items = self.typed(value, list, key)
                kind = type(default[0]) if default else str
                value = tuple(self.typed(v, kind, f"{key}[{k}]") for k, v in enumerate(items))
            else:
                value = self.typed(value, type(default), key)
            kwargs[f.name] = value
        return cls(**kwargs)

    def within(
        self,
        value: Any,
        key: str,
        lo: float,
        hi: float,
        *,
        lo_open: bool = False,
        hi_open: bool = False,
    ) -> None:
        bad = value < lo or value > hi or (lo_open and value == lo) or (hi_open and value == hi)
        if bad:
            interval = f"{'(' if lo_open else '['}{lo:g}, {hi:g}{')' if hi_open else ']'}"
            raise self.error(f"{key} must be in {interval}; got {value!r}")

    def one_of(self, value: Any, key: str, allowed: tuple) -> None:
        if value not in allowed:
            raise self.error(f"{key} must be one of {', '.join(map(repr, allowed))}; got {value!r}")


_TOP = {
    "study",
    "replica",
    "data",
    "outcome",
    "variables",
    "modalities",
    "extraction",
    "missing",
    "table1",
    "split",
    "selection",
    "models",
    "output",
    "report",
    "published",
    "validation",
    "decision",
    "sample_size",
}


def load_config(path: str | Path | None = None) -> StudyConfig:
    """Read and check a ``study.toml`` (default: ``./study.toml``).

    Keys, types and values are checked here; :meth:`StudyConfig.require_files` checks
    that the files exist (the replica may be built after the config is read).
    """
    p = Path(path) if path is not None else default_config_path()
    if not p.is_file():
        hint = "" if path is not None else " (pass --config, or run `cetrus init DIR` first)"
        if p.exists() and not p.is_dir():
            raise InputError(f"study config is not a regular file (a device, FIFO or socket): {p}")
        raise InputError(f"study config not found: {p}{hint}")
    where = p.name
    try:
        text = p.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(f"cannot read {p}: {exc.strerror}") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"cannot parse {where}: {exc}") from None
    rd = _Reader(where, p.resolve().parent)
    rd.keys(raw, _TOP, "")

    study = rd.table(raw, "study")
    rd.keys(study, {"title", "synthetic", "disease", "authors"}, "study.")
    title = rd.typed(study.get("title", "Untitled study"), str, "study.title")
    synthetic = rd.typed(study.get("synthetic", False), bool, "study.synthetic")
    disease = rd.typed(study.get("disease", ""), str, "study.disease")
    authors = rd.typed(study.get("authors", ""), str, "study.authors")

    replica = None
    rep = rd.table(raw, "replica")
    if rep:
        rd.keys(rep, {"folder", "seed"}, "replica.")
        if "folder" not in rep:
            raise rd.error("missing key replica.folder")
        seed = rd.typed(rep.get("seed", 0), int, "replica.seed")
        rd.within(seed, "replica.seed", 0, 2**32 - 1)
        replica = ReplicaSpec(rd.path(rep["folder"], "replica.folder"), seed)

    data = rd.table(raw, "data", required=True)
    rd.keys(data, {"clinical", "id"}, "data.")
    if "clinical" not in data:
        raise rd.error("missing key data.clinical")
    clinical = rd.path(data["clinical"], "data.clinical")
    id_column = rd.typed(data.get("id", "patient_id"), str, "data.id")

    out = rd.table(raw, "outcome", required=True)
    rd.keys(out, {"column", "positive", "label", "case_label", "control_label"}, "outcome.")
    if "column" not in out:
        raise rd.error("missing key outcome.column")
    for k in ("column", "label", "case_label", "control_label"):
        if k in out:
            rd.typed(out[k], str, f"outcome.{k}")
    if "positive" in out:
        rd.typed(out["positive"], (str, int, float, bool), "outcome.positive")
    outcome = OutcomeSpec(**out)

    variables = []
    for column, spec in rd.table(raw, "variables", required=True).items():
        prefix = f"variables.{column}."
        if not isinstance(spec, dict):
            raise rd.error(f"variables.{column} must be a table")
        rd.keys(spec, {"type", "label", "unit", "levels", "table_order"}, prefix)
        kind = rd.typed(spec.get("type", ""), str, prefix + "type")
        rd.one_of(kind, prefix + "type", ("continuous", "categorical"))
        levels = tuple(
            str(rd.typed(v, (str, int, bool), f"{prefix}levels[{k}]"))
            for k, v in enumerate(rd.typed(spec.get("levels", []), list, prefix + "levels"))
        )
        order = tuple(
            str(v) for v in rd.typed(spec.get("table_order", []), list, prefix + "table_order")
        )
        if kind == "categorical":
            if len(levels) < 2:
                raise rd.error(f"{prefix}levels must list at least two levels, reference first")
            if len(set(levels)) != len(levels):
                raise rd.error(f"{prefix}levels lists a level twice: {list(levels)!r}")
            if order and sorted(order) != sorted(levels):
                raise rd.error(f"{prefix}table_order must list the levels {list(levels)!r}")
        elif levels or order:
            raise rd.error(f"{prefix}levels/table_order apply to categorical variables only")
        variables.append(
            Variable(
                column,
                kind,
                rd.typed(spec.get("label", column), str, prefix + "label"),
                rd.typed(spec.get("unit", ""), str, prefix + "unit"),
                levels,
                order,
            )
        )
    if not variables:
        raise rd.error("[variables] lists no clinical variable")
    if outcome.column in {v.column for v in variables}:
        raise rd.error(f"variables.{outcome.column}: the outcome column cannot be a variable")

    modalities = []
    for name, spec in rd.table(raw, "modalities", required=True).items():
        prefix = f"modalities.{name}."
        if not isinstance(spec, dict):
            raise rd.error(f"modalities.{name} must be a table")
        rd.keys(spec, {"label", "manifest", "features", "model_rater"}, prefix)
        sources = [k for k in ("manifest", "features") if k in spec]
        if len(sources) != 1:
            raise rd.error(
                f"{prefix}: give exactly one of manifest (images to extract) or "
                f"features (feature tables per rater)"
            )
        manifest = rd.path(spec["manifest"], prefix + "manifest") if "manifest" in spec else None
        per_rater: tuple = ()
        table = None
        feats = spec.get("features")
        if isinstance(feats, dict):
            if not feats:
                raise rd.error(f"{prefix}features lists no rater")
            per_rater = tuple(
                (str(r), rd.path(v, f"{prefix}features.{r}")) for r, v in feats.items()
            )
        elif feats is not None:
            table = rd.path(feats, prefix + "features")
        model_rater = spec.get("model_rater")
        if model_rater is not None:
            rd.typed(model_rater, str, prefix + "model_rater")
            if per_rater and model_rater not in dict(per_rater):
                raise rd.error(
                    f"{prefix}model_rater {model_rater!r} is not one of the raters "
                    f"{', '.join(dict(per_rater))}"
                )
        modalities.append(
            Modality(
                name,
                rd.typed(spec.get("label", name), str, prefix + "label"),
                manifest,
                per_rater,
                table,
                model_rater,
            )
        )
    if not modalities:
        raise rd.error("[modalities] lists no modality")

    extraction = rd.dataclass(ExtractionSpec, rd.table(raw, "extraction"), "extraction.")
    rd.within(extraction.image_size, "extraction.image_size", 32, 4096)
    rd.within(extraction.margin, "extraction.margin", 0, 10_000)
    rd.within(extraction.batch_size, "extraction.batch_size", 1, 4096)
    rd.within(extraction.seed, "extraction.seed", 0, 2**32 - 1)
    if not (extraction.device in ("cpu", "cuda", "mps") or extraction.device.startswith("cuda:")):
        raise rd.error(
            f"extraction.device must be cpu, cuda, cuda:N or mps; got {extraction.device!r}"
        )
    if extraction.weights not in ("imagenet", "none"):
        extraction = ExtractionSpec(
            **{
                **vars(extraction),
                "weights": str(rd.path(extraction.weights, "extraction.weights")),
            }
        )
    if extraction.cache_dir:
        extraction = ExtractionSpec(
            **{
                **vars(extraction),
                "cache_dir": str(rd.path(extraction.cache_dir, "extraction.cache_dir")),
            }
        )

    missing = rd.dataclass(MissingSpec, rd.table(raw, "missing"), "missing.")
    rd.one_of(missing.policy, "missing.policy", ("error", "complete-case"))
    table1 = rd.dataclass(Table1Spec, rd.table(raw, "table1"), "table1.")
    rd.one_of(table1.percent_base, "table1.percent_base", ("group", "cohort"))

    split = rd.dataclass(SplitSpec, rd.table(raw, "split"), "split.")
    rd.within(split.test_fraction, "split.test_fraction", 0, 1, lo_open=True, hi_open=True)
    if not split.seeds:
        raise rd.error("split.seeds must list at least one seed")
    for pos, s in enumerate(split.seeds):
        rd.within(s, f"split.seeds[{pos}]", 0, 2**32 - 1)
    if len(set(split.seeds)) != len(split.seeds):
        raise rd.error(f"split.seeds lists a seed twice: {list(split.seeds)!r}")
    if split.reported_seed not in split.seeds:
        raise rd.error(f"split.reported_seed ({split.reported_seed}) must be one of split.seeds")

    selection = rd.dataclass(SelectionSpec, rd.table(raw, "selection"), "selection.")
    rd.one_of(selection.clinical_cohort, "selection.clinical_cohort", ("training", "all"))
    rd.one_of(selection.lasso_lambda, "selection.lasso_lambda", ("min", "1se"))
    rd.one_of(selection.icc_form, "selection.icc_form", ICC_FORMS)
    rd.within(selection.conf_level, "selection.conf_level", 0, 1, lo_open=True, hi_open=True)
    rd.within(selection.mwu_p, "selection.mwu_p", 0, 1, lo_open=True)
    rd.within(selection.spearman_rho, "selection.spearman_rho", 0, 1, lo_open=True)
    rd.within(selection.lasso_folds, "selection.lasso_folds", 3, 1000)
    rd.within(selection.lasso_seed, "selection.lasso_seed", 0, 2**32 - 1)

    models = rd.dataclass(ModelSpec, rd.table(raw, "models"), "models.")
    names = [m.name for m in modalities]
    if models.integrated not in INTEGRATED_RULES and models.integrated not in names:
        raise rd.error(
            f"models.integrated must be {' or '.join(map(repr, INTEGRATED_RULES))} "
            f"or a modality ({', '.join(names)}); got {models.integrated!r}"
        )
    rd.within(models.cv_folds, "models.cv_folds", 2, 100)
    rd.within(models.cv_seed, "models.cv_seed", 0, 2**32 - 1)
    rd.one_of(models.cv_selection, "models.cv_selection", ("refit", "fixed"))
    rd.one_of(models.threshold, "models.threshold", ("youden_training",))
    rd.within(models.workers, "models.workers", 0, 1024)

    output = rd.dataclass(OutputSpec, rd.table(raw, "output"), "output.")
    for pos, f in enumerate(output.figure_formats):
        rd.one_of(f, f"output.figure_formats[{pos}]", ("png", "svg", "pdf"))
    if "png" not in output.figure_formats:
        raise rd.error("output.figure_formats must include 'png' (the manuscript embeds PNG)")
    rd.within(output.decimals, "output.decimals", 0, 10)
    rd.within(output.dpi, "output.dpi", 30, 1200)
    if not output.dir.strip():
        raise rd.error("output.dir must name a folder; got an empty string")

    report = rd.dataclass(ReportSpec, rd.table(raw, "report"), "report.")
    for k in ("manuscript", "validation", "output"):
        if not getattr(report, k).strip():
            raise rd.error(f"report.{k} must name a file or folder; got an empty string")

    validation = rd.dataclass(ValidationSpec, rd.table(raw, "validation"), "validation.")
    rd.within(validation.bootstrap, "validation.bootstrap", 0, 100_000)
    rd.within(validation.selection_bootstrap, "validation.selection_bootstrap", 0, 10_000)
    rd.within(validation.seed, "validation.seed", 0, 2**32 - 1)

    decision = rd.dataclass(DecisionSpec, rd.table(raw, "decision"), "decision.")
    rd.within(decision.threshold_min, "decision.threshold_min", 0, 1, hi_open=True)
    rd.within(decision.threshold_max, "decision.threshold_max", 0, 1, hi_open=True)
    if decision.threshold_max <= decision.threshold_min:
        raise rd.error(
            f"decision.threshold_max ({decision.threshold_max:g}) must be above "
            f"decision.threshold_min ({decision.threshold_min:g})"
        )
    rd.within(
        decision.threshold_step,
        "decision.threshold_step",
        0.0001,
        decision.threshold_max - decision.threshold_min,
    )

    ss = rd.table(raw, "sample_size")
    rd.keys(ss, {f.name for f in fields(SampleSizeSpec)}, "sample_size.")
    ss_kw = {k: rd.typed(v, float, f"sample_size.{k}") for k, v in ss.items()}
    if "c_statistic" in ss_kw and "cox_snell_r2" in ss_kw:
        raise rd.error(
            "sample_size.c_statistic and sample_size.cox_snell_r2 are both given; give one"
        )
    if "c_statistic" in ss_kw:
        rd.within(
            ss_kw["c_statistic"], "sample_size.c_statistic", 0.5, 1, lo_open=True, hi_open=True
        )
    if "cox_snell_r2" in ss_kw:
        rd.within(
            ss_kw["cox_snell_r2"], "sample_size.cox_snell_r2", 0, 1, lo_open=True, hi_open=True
        )
    for k in ("shrinkage", "mmoe"):
        if k in ss_kw:
            rd.within(ss_kw[k], f"sample_size.{k}", 0, 1, lo_open=True, hi_open=True)
    sample_size = SampleSizeSpec(**ss_kw)

    pub = rd.table(raw, "published")
    rd.keys(pub, {"file"}, "published.")
    published = rd.path(pub["file"], "published.file") if "file" in pub else None

    return StudyConfig(
        p.resolve(),
        title,
        synthetic,
        clinical,
        id_column,
        outcome,
        tuple(variables),
        tuple(modalities),
        split,
        selection,
        models,
        output,
        replica,
        extraction,
        missing,
        table1,
        report,
        validation,
        decision,
        sample_size,
        published,
        disease,
        authors,
    )
