"""A paper's published numbers as data: the schema, its loader and validator.

Any prediction-model paper can be transcribed into one TOML file of this schema; the
repository's ``cetrus/data/paper/published.toml`` is the paper this project regenerates. The file
is read by :func:`load` into a :class:`Published` object that the replica cohort, the
manuscript's appendix (published vs regenerated) and ``cetrus audit`` use; nothing else in
cetrus hard-codes a number from a paper.

Schema (``schema = 1``)
-----------------------
Every table may carry ``source`` (the table or section the numbers are read from).
Printed numbers are stored as TOML numbers; because TOML drops trailing zeros
(``0.880`` → ``0.88``), **the number of decimals as printed is declared** for each family
of numbers (``*_decimals`` keys below, on the table or overridden on one row). A P value
printed as ``<0.001`` is stored as ``pvalue = 0.001`` with ``pvalue_bound = "<"``
(``">"`` for ``>0.05``).

``[meta]``
    ``title``, ``authors``, ``source_file``, ``outcome`` (free text, shown in reports).
``[cohorts.ID]`` (at least one)
    ``n`` (patients) and ``cases`` (patients with the outcome), both optional integers;
    ``parent = "ID"`` for a subset (training/test of the whole cohort); ``derived = true``
    when the paper does not print the number (it was worked out, e.g. from Tables 3–4);
    ``label``. The cohort without a parent is the whole cohort.
``[counts.NAME]``
    Other counts quoted in the text: ``value`` and ``source``.
``[table1]`` (baseline characteristics by outcome group)
    ``cohort`` (ID), ``groups`` (group IDs in column order), ``group_labels``,
    ``case_group`` (the group that has the outcome), ``percent_decimals``,
    ``summary_decimals``, ``p_decimals``.

    ``[table1.categorical.VAR]``: ``levels``; one array of counts per group ID
    (``GROUP = [..]``, one count per level); ``percent_GROUP = [..]`` (the printed
    percentages, optional); ``pvalue`` (+ ``pvalue_bound``).

    ``[table1.continuous.VAR]``: ``summary = "median_iqr"`` (default; ``GROUP =
    [median, P25, P75]``) or ``"mean_sd"`` (``GROUP = [mean, SD]``); ``pvalue``
    (+ ``pvalue_bound``); ``granularity`` (optional: the resolution of the raw data,
    e.g. 1 for ages in whole years — enables the GRIM and median checks).
``[table2]`` (odds ratios)
    ``cohort`` (ID, optional: the paper may not say), ``or_decimals``, ``p_decimals``,
    ``conf_level`` (default 0.95). ``[table2.univariate.VAR]`` and
    ``[table2.multivariable.VAR]``: ``or = [OR, CI low, CI high]``, ``pvalue``
    (+ ``pvalue_bound``), ``exposed`` (optional: for a Table 1 categorical variable, the
    level whose odds are compared with the other level's), ``significant`` (optional:
    the paper's claim). Without ``significant``, a univariate variable that entered the
    multivariable model, and a multivariable variable listed in
    ``[table2.retained] variables``, count as claimed significant.
``[performance]``
    ``decimals`` (of every metric and AUC, as printed), ``auc_ci`` (the printed CI's
    method, default ``"DeLong"``), ``conf_level`` (default 0.95).
    ``[performance.COHORT.MODEL]`` (COHORT an ID of ``[cohorts]``): ``auc = [AUC, low,
    high]``, ``accuracy``, ``sensitivity``, ``specificity``, ``ppv``, ``npv`` (any
    subset), ``table`` (the paper's table number).
``[labels]``
    ``VAR = ["words", ...]``: how the text names a variable or model (for the
    statements check), e.g. ``PLT = ["platelet count"]``.
``[statements]``
    ``file``: a text file of sentences with numbers (path relative to this file).

Other tables (``[selected_features]``, ``[mean_icc]``, ...) are carried along in ``raw``.

Errors name the file, the line (where tomllib or a search of the file gives it) and the
field, e.g. ``published.toml line 88: table1.categorical.Sex.percent_metastasis[0] =
120.0 is not a percentage (0-100)``.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from cetrus.errors import InputError

__all__ = ["Published", "Cohort", "load", "default_path", "MODELS", "METRICS", "SCHEMA_VERSION"]

SCHEMA_VERSION = 1
#: the five models of Tables 3–4, in the order the manuscript shows them
MODELS = ("Clinical", "TDUS", "CDUS", "CEUS", "Integrated")
#: the metrics of Tables 3–4 (AUC carries its CI)
METRICS = ("auc", "accuracy", "sensitivity", "specificity", "ppv", "npv")
_BOUNDS = ("<", "<=", ">", ">=")
#: keys of [performance] that are settings, not cohorts
_PERFORMANCE_SETTINGS = ("source", "decimals", "auc_ci", "conf_level", "metrics")


def default_path() -> Path:
    """The paper's published numbers, shipped as package data (``cetrus/data/paper/``)."""
    from importlib import resources

    return Path(str(resources.files("cetrus") / "data" / "paper" / "published.toml"))


@dataclass(frozen=True)
class Cohort:
    """One cohort: ``n`` patients, ``cases`` with the outcome (``None`` = not given)."""

    id: str
    n: int | None
    cases: int | None
    parent: str | None = None
    derived: bool = False
    label: str = ""
    source: str = ""

    @property
    def controls(self) -> int | None:
        return None if self.n is None or self.cases is None else self.n - self.cases


@dataclass(frozen=True)
class Published:
    """Published values; ``raw`` is the parsed TOML (every value's ``source`` kept)."""

    raw: dict[str, Any] = field(repr=False)
    path: Path
    text: str = field(default="", repr=False)

    # ------------------------------------------------------------------ cohorts
    @property
    def cohorts(self) -> dict[str, Cohort]:
        out = {}
        for cid, c in self.raw.get("cohorts", {}).items():
            out[cid] = Cohort(
                cid,
                c.get("n"),
                c.get("cases"),
                c.get("parent"),
                bool(c.get("derived", False)),
                str(c.get("label", cid)),
                str(c.get("source", "")),
            )
        return out

    @property
    def whole(self) -> Cohort:
        """The whole cohort (the first cohort without a parent)."""
        return next(c for c in self.cohorts.values() if c.parent is None)

    def count(self, name: str) -> float:
        """A count, e.g. ``count("patients") == 878``.

        Looks in ``[counts]`` first; then ``patients`` / ``metastasis`` (the whole cohort's
        n / cases) and ``COHORT_n`` / ``COHORT_cases`` / ``COHORT_controls`` (``train`` is
        short for ``training``) from ``[cohorts]``.
        """
        counts = self.raw.get("counts", {})
        if name in counts:
            return counts[name]["value"]
        cohort, attr = self._cohort_count(name)
        if cohort is not None:
            value = getattr(cohort, attr)
            if value is not None:
                return value
        raise InputError(f"published count {name!r} is not in {self.path.name}")

    def _cohort_count(self, name: str) -> tuple[Cohort | None, str]:
        if name in ("patients", "metastasis", "cases"):
            return self.whole, "n" if name == "patients" else "cases"
        m = re.fullmatch(r"(.+)_(n|cases|controls)", name)
        if not m:
            return None, ""
        cid = {"train": "training"}.get(m.group(1), m.group(1))
        return self.cohorts.get(cid), m.group(2)

    @property
    def n_patients(self) -> int:
        return int(self.count("patients"))

    @property
    def n_metastasis(self) -> int:
        return int(self.count("metastasis"))

    # ------------------------------------------------------------------ study-specific sections
    @property
    def selected_features(self) -> dict[str, int]:
        return {
            k: int(v) for k, v in self.raw.get("selected_features", {}).items() if k != "source"
        }

    @property
    def mean_icc(self) -> dict[str, float]:
        return {k: float(v) for k, v in self.raw.get("mean_icc", {}).items() if k != "source"}

    # ------------------------------------------------------------------ tables
    @property
    def table1(self) -> dict[str, Any]:
        return self.raw.get("table1", {})

    @property
    def groups(self) -> list[str]:
        """Table 1's group IDs, in column order."""
        return list(self.table1.get("groups", []))

    @property
    def categorical(self) -> dict[str, dict[str, Any]]:
        """Table 1 categorical rows: levels, counts per group, percentages, p."""
        return self.table1.get("categorical", {})

    @property
    def continuous(self) -> dict[str, dict[str, Any]]:
        """Table 1 continuous rows: per group ``[median, P25, P75]`` (or ``[mean, SD]``)."""
        return self.table1.get("continuous", {})

    @property
    def univariate(self) -> dict[str, dict[str, Any]]:
        return self.raw.get("table2", {}).get("univariate", {})

    @property
    def multivariable(self) -> dict[str, dict[str, Any]]:
        return self.raw.get("table2", {}).get("multivariable", {})

    @property
    def retained(self) -> tuple[str, ...]:
        return tuple(self.raw.get("table2", {}).get("retained", {}).get("variables", ()))

    def performance(self, cohort: str, model: str) -> dict[str, float]:
        """Table 3/4 row as ``{auc, auc_ci_low, auc_ci_high, accuracy, …, table}``."""
        try:
            row = self.raw["performance"][cohort][model]
        except KeyError:
            cohorts = [k for k, v in self.raw.get("performance", {}).items() if isinstance(v, dict)]
            raise InputError(
                f"no published performance for cohort {cohort!r}, model {model!r} "
                f"(cohorts: {', '.join(cohorts)}; models: {', '.join(MODELS)})"
            ) from None
        out: dict[str, Any] = {}
        if "auc" in row:
            out.update(auc=row["auc"][0], auc_ci_low=row["auc"][1], auc_ci_high=row["auc"][2])
        out.update({m: row[m] for m in METRICS[1:] if m in row})
        out["table"] = row.get("table")
        return out

    def performance_rows(self) -> list[tuple[str, str, dict[str, Any]]]:
        """Every ``(cohort, model, row)`` of ``[performance]``, in file order."""
        out: list[tuple[str, str, dict[str, Any]]] = []
        for cid, models in self.raw.get("performance", {}).items():
            if isinstance(models, dict):
                out.extend((cid, m, row) for m, row in models.items() if isinstance(row, dict))
        return out

    def decimals(self, section: str, kind: str, row: dict | None = None) -> int:
        """The printed decimals of ``kind`` (e.g. ``"p_decimals"``) for a row of ``section``."""
        if row is not None and kind in row:
            return int(row[kind])
        return int(self.raw[section][kind])

    def labels(self, name: str) -> list[str]:
        """How the text names a variable or model: ``[labels]`` entries plus the name itself."""
        return [name] + [str(x) for x in self.raw.get("labels", {}).get(name, [])]

    def source(self, *keys: str) -> str:
        """The ``source`` recorded for a section, e.g. ``source("counts", "patients")``."""
        if len(keys) == 2 and keys[0] == "counts" and keys[1] not in self.raw.get("counts", {}):
            cohort, _ = self._cohort_count(keys[1])
            if cohort is not None:
                return cohort.source
        node: Any = self.raw
        found = node.get("source", "")
        for k in keys:
            node = node[k]
            if isinstance(node, dict) and "source" in node:
                found = node["source"]
        return str(found)

    def line_of(self, *keys: str) -> int | None:
        """The line of ``keys`` (table path, then a key) in the file, when it can be found."""
        return _line_of(self.text, keys)


# --------------------------------------------------------------------------- loading


def load(path: str | Path | None = None, *, validate: bool = True) -> Published:
    """Read (and by default validate) a published-numbers file (default: the paper's).

    Raises
    ------
    InputError
        The file is missing, is not TOML (the message carries tomllib's line and column),
        or a field breaks the schema (the message names the line and the field).
    """
    p = Path(path) if path is not None else default_path()
    if not p.is_file():
        raise InputError(f"published-numbers file not found: {p}")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{p.name} is not UTF-8 text") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"cannot parse {p.name}: {exc}") from None
    pub = Published(raw, p, text)
    if validate:
        _Validator(pub).run()
    return pub


def _line_of(text: str, keys: tuple[str, ...]) -> int | None:
    """Find a field by scanning for its table header and then its key (TOML has no AST here)."""
    if not text or not keys:
        return None
    lines = text.splitlines()

    def header_parts(line: str) -> list[str] | None:
        m = re.match(r"\s*\[\[?([^\]]+)\]\]?\s*(#.*)?$", line)
        if not m:
            return None
        return [
            s.strip().strip('"').strip("'")
            for s in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', m.group(1))
        ]

    keys = tuple(str(k) for k in keys)
    best: int | None = None
    for depth in range(len(keys), 0, -1):
        want = list(keys[:depth])
        rest = keys[depth:]
        for i, line in enumerate(lines):
            if header_parts(line) == want:
                if not rest:
                    return i + 1
                key = rest[0]
                for j in range(i + 1, len(lines)):
                    if header_parts(lines[j]) is not None:
                        break
                    if re.match(rf'\s*"?{re.escape(key)}"?\s*=', lines[j]):
                        return j + 1
                best = best or i + 1
        if best:
            return best
    if len(keys) >= 1:  # a top-level key
        for i, line in enumerate(lines):
            if re.match(rf'\s*"?{re.escape(keys[-1])}"?\s*=', line):
                return i + 1
    return None


class _Validator:
    """Checks every field the audit and the study read; the first problem raises."""

    def __init__(self, pub: Published):
        self.pub = pub
        self.raw = pub.raw

    def fail(self, keys: tuple, field_name: str, problem: str) -> NoReturn:
        line = _line_of(self.pub.text, tuple(k for k in keys if not isinstance(k, int)))
        where = f" line {line}" if line else ""
        raise InputError(f"{self.pub.path.name}{where}: {field_name} {problem}")

    # small typed getters -------------------------------------------------
    def number(
        self,
        keys: tuple,
        value: Any,
        name: str,
        *,
        lo: float | None = None,
        hi: float | None = None,
        what: str = "a number",
    ) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
        ):
            self.fail(keys, name, f"= {value!r} is not {what}")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.fail(keys, name, f"= {value!r} is not {what}")
        return float(value)

    def integer(self, keys: tuple, value: Any, name: str, *, lo: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < lo:
            self.fail(keys, name, f"= {value!r} is not an integer >= {lo}")
        return int(value)

    def decimals(self, keys: tuple, section: dict, row: dict, kind: str, name: str) -> None:
        value = row.get(kind, section.get(kind))
        if value is None:
            self.fail(
                keys,
                f"{name}: {kind}",
                "is missing: the number of decimals as printed is "
                f"needed (add `{kind} = N` to [{'.'.join(str(k) for k in keys[:1])}] or the row)",
            )
        self.integer(keys, value, f"{name}.{kind}")
        if value > 12:
            self.fail(keys, f"{name}.{kind}", f"= {value} is not a plausible number of decimals")

    def table(self, keys: tuple, value: Any, name: str) -> dict:
        if not isinstance(value, dict):
            self.fail(keys, name, f"= {value!r} is not a table (a [section] or {{...}})")
        return value

    def strings(self, keys: tuple, value: Any, name: str) -> list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(keys, name, f"= {value!r} is not a list of strings")
        return value

    def pvalue(self, keys: tuple, row: dict, name: str) -> None:
        if "pvalue" in row:
            self.number(keys, row["pvalue"], f"{name}.pvalue", lo=0, hi=1, what="a P value (0-1)")
        bound = row.get("pvalue_bound")
        if bound is not None and bound not in _BOUNDS:
            self.fail(
                keys, f"{name}.pvalue_bound", f"= {bound!r} is not one of {', '.join(_BOUNDS)}"
            )

    # sections ---------------------------------------------------------------
    def run(self) -> None:
        version = self.raw.get("schema", SCHEMA_VERSION)
        if version != SCHEMA_VERSION:
            self.fail(
                ("schema",),
                "schema",
                f"= {version!r} is not a schema this cetrus reads ({SCHEMA_VERSION})",
            )
        for section in (
            "meta",
            "cohorts",
            "counts",
            "table1",
            "table2",
            "performance",
            "labels",
            "statements",
        ):
            if section in self.raw:
                self.table((section,), self.raw[section], f"[{section}]")
        self.cohorts()
        self.table1()
        self.table2()
        self.performance()
        for name, words in self.raw.get("labels", {}).items():
            self.strings(("labels", name), words, f"labels.{name}")
        st = self.raw.get("statements", {})
        if "file" in st and not isinstance(st["file"], str):
            self.fail(
                ("statements", "file"), "statements.file", f"= {st['file']!r} is not a file name"
            )
        for name, c in self.raw.get("counts", {}).items():
            self.table(("counts", name), c, f"counts.{name}")
            if "value" not in c:
                self.fail(("counts", name), f"counts.{name}.value", "is missing")
            self.number(("counts", name, "value"), c["value"], f"counts.{name}.value")

    def cohorts(self) -> None:
        cohorts = self.raw.get("cohorts")
        if not isinstance(cohorts, dict) or not cohorts:
            self.fail(
                ("cohorts",), "[cohorts]", "is missing: at least one cohort (n, cases) is needed"
            )
        roots = 0
        for cid, c in cohorts.items():
            keys = ("cohorts", cid)
            name = f"cohorts.{cid}"
            if not isinstance(c, dict):
                self.fail(keys, name, "is not a table")
            n = c.get("n")
            cases = c.get("cases")
            if n is not None:
                self.integer(keys + ("n",), n, f"{name}.n", lo=1)
            if cases is not None:
                self.integer(keys + ("cases",), cases, f"{name}.cases")
            if n is not None and cases is not None and cases > n:
                self.fail(
                    keys + ("cases",),
                    f"{name}.cases",
                    f"= {cases} exceeds the cohort's n = {n} (more cases than patients)",
                )
            parent = c.get("parent")
            if parent is None:
                roots += 1
            elif not isinstance(parent, str) or parent not in cohorts or parent == cid:
                self.fail(
                    keys + ("parent",),
                    f"{name}.parent",
                    f"= {parent!r} is not another cohort (cohorts: {', '.join(cohorts)})",
                )
            else:
                pn, pc = cohorts[parent].get("n"), cohorts[parent].get("cases")
                if n is not None and pn is not None and n > pn:
                    self.fail(
                        keys + ("n",),
                        f"{name}.n",
                        f"= {n} exceeds its parent {parent!r} (n = {pn})",
                    )
                if cases is not None and pc is not None and cases > pc:
                    self.fail(
                        keys + ("cases",),
                        f"{name}.cases",
                        f"= {cases} exceeds its parent {parent!r} (cases = {pc})",
                    )
        if roots == 0:
            self.fail(("cohorts",), "[cohorts]", "has no whole cohort (every cohort has a parent)")

    def _cohort_ref(self, keys: tuple, value: Any, name: str) -> None:
        if value is not None and (not isinstance(value, str) or value not in self.raw["cohorts"]):
            self.fail(
                keys,
                name,
                f"= {value!r} is not a cohort (cohorts: {', '.join(self.raw['cohorts'])})",
            )

    def table1(self) -> None:
        t1 = self.raw.get("table1")
        if t1 is None:
            return
        self._cohort_ref(("table1", "cohort"), t1.get("cohort"), "table1.cohort")
        for part in ("categorical", "continuous"):
            self.table(("table1", part), t1.get(part, {}), f"table1.{part}")
            for var, row in t1.get(part, {}).items():
                self.table(("table1", part, var), row, f"table1.{part}.{var}")
        groups = t1.get("groups")
        if (
            not isinstance(groups, list)
            or len(groups) < 2
            or not all(isinstance(g, str) for g in groups)
        ):
            self.fail(
                ("table1", "groups"), "table1.groups", "must list the group IDs (at least two)"
            )
        case_group = t1.get("case_group")
        if case_group is not None and case_group not in groups:
            self.fail(
                ("table1", "case_group"),
                "table1.case_group",
                f"= {case_group!r} is not one of table1.groups ({', '.join(groups)})",
            )
        for var, row in t1.get("categorical", {}).items():
            keys = ("table1", "categorical", var)
            name = f"table1.categorical.{var}"
            levels = row.get("levels")
            if not isinstance(levels, list) or len(levels) < 2:
                self.fail(keys + ("levels",), f"{name}.levels", "must list at least two levels")
            self.strings(keys + ("levels",), levels, f"{name}.levels")
            for g in groups:
                counts = row.get(g)
                if not isinstance(counts, list) or len(counts) != len(levels):
                    self.fail(
                        keys + (g,),
                        f"{name}.{g}",
                        f"must give {len(levels)} counts (one per level)",
                    )
                for i, c in enumerate(counts):
                    self.integer(keys + (g,), c, f"{name}.{g}[{i}]")
                pct = row.get(f"percent_{g}")
                if pct is not None:
                    self.decimals(keys, t1, row, "percent_decimals", name)
                    if not isinstance(pct, list) or len(pct) != len(levels):
                        self.fail(
                            keys + (f"percent_{g}",),
                            f"{name}.percent_{g}",
                            f"must give {len(levels)} percentages (one per level)",
                        )
                    for i, v in enumerate(pct):
                        self.number(
                            keys + (f"percent_{g}",),
                            v,
                            f"{name}.percent_{g}[{i}]",
                            lo=0,
                            hi=100,
                            what="a percentage (0-100)",
                        )
            if "pvalue" in row:
                self.decimals(keys, t1, row, "p_decimals", name)
            self.pvalue(keys + ("pvalue",), row, name)
        for var, row in t1.get("continuous", {}).items():
            keys = ("table1", "continuous", var)
            name = f"table1.continuous.{var}"
            summary = row.get("summary", "median_iqr")
            if summary not in ("median_iqr", "mean_sd"):
                self.fail(
                    keys + ("summary",),
                    f"{name}.summary",
                    f"= {summary!r} is not median_iqr or mean_sd",
                )
            width = 3 if summary == "median_iqr" else 2
            self.decimals(keys, t1, row, "summary_decimals", name)
            for g in groups:
                vals = row.get(g)
                if not isinstance(vals, list) or len(vals) != width:
                    what = "[median, P25, P75]" if width == 3 else "[mean, SD]"
                    self.fail(keys + (g,), f"{name}.{g}", f"must be {what}")
                for i, v in enumerate(vals):
                    self.number(keys + (g,), v, f"{name}.{g}[{i}]")
                if summary == "mean_sd" and vals[1] < 0:
                    self.fail(
                        keys + (g,),
                        f"{name}.{g}[1]",
                        f"= {vals[1]!r} is not a standard deviation (>= 0)",
                    )
            if "granularity" in row:
                self.number(
                    keys + ("granularity",),
                    row["granularity"],
                    f"{name}.granularity",
                    lo=1e-12,
                    what="a positive data resolution",
                )
            if "pvalue" in row:
                self.decimals(keys, t1, row, "p_decimals", name)
            self.pvalue(keys + ("pvalue",), row, name)

    def table2(self) -> None:
        t2 = self.raw.get("table2")
        if t2 is None:
            return
        self._cohort_ref(("table2", "cohort"), t2.get("cohort"), "table2.cohort")
        cl = t2.get("conf_level", 0.95)
        self.number(
            ("table2", "conf_level"),
            cl,
            "table2.conf_level",
            lo=0.5,
            hi=0.9999,
            what="a confidence level (0.5-0.9999)",
        )
        retained = t2.get("retained")
        if retained is not None:
            self.table(("table2", "retained"), retained, "table2.retained")
            self.strings(
                ("table2", "retained", "variables"),
                retained.get("variables", []),
                "table2.retained.variables",
            )
        for part in ("univariate", "multivariable"):
            self.table(("table2", part), t2.get(part, {}), f"table2.{part}")
            for var, row in t2.get(part, {}).items():
                keys = ("table2", part, var)
                name = f"table2.{part}.{var}"
                self.table(keys, row, name)
                if "exposed" in row and not isinstance(row["exposed"], str):
                    self.fail(
                        keys + ("exposed",),
                        f"{name}.exposed",
                        f"= {row['exposed']!r} is not a level name",
                    )
                if "significant" in row and not isinstance(row["significant"], bool):
                    self.fail(
                        keys + ("significant",),
                        f"{name}.significant",
                        f"= {row['significant']!r} is not true or false",
                    )
                ors = row.get("or")
                if not isinstance(ors, list) or len(ors) != 3:
                    self.fail(keys + ("or",), f"{name}.or", "must be [OR, CI low, CI high]")
                est, lo, hi = (
                    self.number(
                        keys + ("or",), v, f"{name}.or[{i}]", lo=0, what="an odds ratio (>= 0)"
                    )
                    for i, v in enumerate(ors)
                )
                if lo > est:
                    self.fail(
                        keys + ("or",),
                        f"{name}.or",
                        f"CI lower bound {lo!r} exceeds the estimate {est!r}",
                    )
                if hi < est:
                    self.fail(
                        keys + ("or",),
                        f"{name}.or",
                        f"CI upper bound {hi!r} is below the estimate {est!r}",
                    )
                self.decimals(keys, t2, row, "or_decimals", name)
                if "pvalue" in row:
                    self.decimals(keys, t2, row, "p_decimals", name)
                self.pvalue(keys + ("pvalue",), row, name)

    def performance(self) -> None:
        perf = self.raw.get("performance")
        if perf is None:
            return
        for key, value in perf.items():
            if key not in _PERFORMANCE_SETTINGS:
                self._cohort_ref(("performance", key), key, f"performance.{key}")
                for model, row in self.table(
                    ("performance", key), value, f"performance.{key}"
                ).items():
                    self.table(("performance", key, model), row, f"performance.{key}.{model}")
        rows = self.pub.performance_rows()
        if rows:
            self.decimals(("performance",), perf, {}, "decimals", "performance")
        cl = perf.get("conf_level", 0.95)
        self.number(
            ("performance", "conf_level"),
            cl,
            "performance.conf_level",
            lo=0.5,
            hi=0.9999,
            what="a confidence level (0.5-0.9999)",
        )
        for cid, model, row in rows:
            keys = ("performance", cid, model)
            name = f"performance.{cid}.{model}"
            self._cohort_ref(keys, cid, f"performance.{cid}")
            if "auc" in row:
                auc = row["auc"]
                if not isinstance(auc, list) or len(auc) not in (1, 3):
                    self.fail(
                        keys + ("auc",), f"{name}.auc", "must be [AUC, CI low, CI high] (or [AUC])"
                    )
                vals = [
                    self.number(
                        keys + ("auc",), v, f"{name}.auc[{i}]", lo=0, hi=1, what="an AUC (0-1)"
                    )
                    for i, v in enumerate(auc)
                ]
                if len(vals) == 3 and vals[1] > vals[0]:
                    self.fail(
                        keys + ("auc",),
                        f"{name}.auc",
                        f"CI lower bound {vals[1]!r} exceeds the AUC {vals[0]!r}",
                    )
                if len(vals) == 3 and vals[2] < vals[0]:
                    self.fail(
                        keys + ("auc",),
                        f"{name}.auc",
                        f"CI upper bound {vals[2]!r} is below the AUC {vals[0]!r}",
                    )
            for m in METRICS[1:]:
                if m in row:
                    self.number(
                        keys + (m,), row[m], f"{name}.{m}", lo=0, hi=1, what="a proportion (0-1)"
                    )
