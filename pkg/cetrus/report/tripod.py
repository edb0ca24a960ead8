"""The TRIPOD+AI checklist appendix: where the manuscript reports each item, or that it does not.

TRIPOD+AI (Collins et al., BMJ 2024;385:e078378) lists 27 reporting items (52 with their
sub-items) for studies that develop or evaluate a prediction model. :data:`ITEMS` gives
each item's number and a brief paraphrase of its title, and a *predicate*: a function of
the results and the config that returns either the reason the item's content was not
generated (a string), or the pieces of generated content that report it — passages
(``include/NAME.md``), tables (``tables/NAME.md``), figures (``figures/NAME.png``) or
text values (``res.KEY``). An item is *reported* only where one of those pieces is found
in the manuscript source (``[report] manuscript``) with its includes expanded from the
results being written; its location is the cross-referenced table or figure holding it
(``tbl-…``/``fig-…``) or else the section whose heading precedes it (pandoc's identifier
of that heading). Content the study generated but the manuscript does not show is *not
reported*; so is every item that rests on the authors' own prose (introduction, setting,
ethics, funding…), which cetrus neither writes nor reads.

Results expected from work in progress (items stay "not reported" until they exist,
under these names): ``results["sample_size"]`` with passage ``include/sample_size.md``
or table ``tables/sample_size.md`` (item 10); ``results["optimism"]`` with table
``tables/optimism.md`` (12c, 23a); ``results["decision_curve"]`` with figure
``figures/decision_curve.png`` (12e, 23a); ``results["final_models"]`` with table
``tables/final_models.md`` (12g, 22); ``results["table1_by_cohort"]`` with table
``tables/table1_cohort.md`` (16, 20c); calibration of every model:
``results["calibration"]`` (table ``calibration``, figure ``calibration_test``; 12e, 23a).

Written: ``tables/tripod.csv|md`` and ``include/tripod.md`` (an appendix, the table in
Quarto's div form ``tbl-tripod``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from cetrus.report.tables import md_text, table_float

__all__ = ["ITEMS", "Item", "checklist", "write_tripod", "heading_id"]

#: where TRIPOD+AI is published (the checklist's items and numbers are facts from it)
REFERENCE = "Collins GS et al. TRIPOD+AI statement. BMJ 2024;385:e078378"

Evidence = tuple[str, str]  # (kind, name): passage | table | figure | meta
Need = Callable[[dict, Any], "tuple[Evidence, ...] | str"]

AUTHORS = "the authors' own text: cetrus does not write or check it"


def _authors(results: dict, config) -> str:
    return AUTHORS


def _not_done(what: str) -> Need:
    return lambda results, config: what


def _has(key: str, evidence: tuple[Evidence, ...], missing: str) -> Need:
    """Reported by ``evidence`` when ``results[key]`` exists."""
    return lambda results, config: evidence if key in results else missing


def _any_of(*needs: Need) -> Need:
    """Every piece of evidence of the needs that apply (the first reason otherwise)."""

    def need(results: dict, config) -> tuple[Evidence, ...] | str:
        found: list[Evidence] = []
        reasons = []
        for n in needs:
            r = n(results, config)
            if isinstance(r, str):
                reasons.append(r)
            else:
                found += [e for e in r if e not in found]
        return tuple(found) if found else next((r for r in reasons if r), reasons[0])

    return need


def _always(*evidence: Evidence) -> Need:
    return lambda results, config: evidence


def _data_preparation(results: dict, config) -> tuple[Evidence, ...] | str:
    if results.get("meta", {}).get("extraction"):
        return (("passage", "features"),)
    return (
        "the features were given as tables: their extraction and pre-processing are not "
        "described from the results"
    )


def _performance_tables(results: dict, config) -> tuple[Evidence, ...] | str:
    return (("table", "performance"), ("table", "table3"), ("table", "table4"))


@dataclass(frozen=True)
class Item:
    """One TRIPOD+AI item: number, checklist section, topic, a brief paraphrase of its
    title, and the predicate saying which generated content reports it."""

    number: str
    section: str
    topic: str
    title: str
    need: Need


ITEMS: tuple[Item, ...] = (
    Item(
        "1",
        "Title",
        "Title",
        "study type, target population and outcome named in the title",
        _authors,
    ),
    Item(
        "2",
        "Abstract",
        "Abstract",
        "structured abstract (TRIPOD+AI for Abstracts)",
        _always(("meta", "best_test_auc")),
    ),
    Item(
        "3a",
        "Introduction",
        "Background",
        "healthcare context and rationale, existing models",
        _authors,
    ),
    Item("3b", "Introduction", "Background", "target population, intended use and users", _authors),
    Item("3c", "Introduction", "Background", "known health inequalities between groups", _authors),
    Item("4", "Introduction", "Objectives", "objectives: development and/or evaluation", _authors),
    Item("5a", "Methods", "Data", "data sources, rationale and representativeness", _authors),
    Item(
        "5b",
        "Methods",
        "Data",
        "dates of participant accrual and follow-up",
        _not_done("no dates in the study configuration or data"),
    ),
    Item(
        "6a", "Methods", "Participants", "study setting, number and location of centres", _authors
    ),
    Item("6b", "Methods", "Participants", "eligibility criteria", _authors),
    Item(
        "6c", "Methods", "Participants", "treatments received and how they were handled", _authors
    ),
    Item(
        "7",
        "Methods",
        "Data preparation",
        "pre-processing and quality checks of the data",
        _data_preparation,
    ),
    Item(
        "8a",
        "Methods",
        "Outcome",
        "outcome definition, time horizon, how and when assessed",
        _not_done(
            "the configuration gives the outcome's label, not its definition or time horizon"
        ),
    ),
    Item("8b", "Methods", "Outcome", "qualifications of outcome assessors", _authors),
    Item("8c", "Methods", "Outcome", "blinding of outcome assessment", _authors),
    Item(
        "9a",
        "Methods",
        "Predictors",
        "choice of candidate predictors and any pre-selection",
        _always(("passage", "variables"), ("passage", "features")),
    ),
    Item(
        "9b",
        "Methods",
        "Predictors",
        "definition of predictors, how and when measured",
        _not_done("how and when the clinical variables were measured is not in the configuration"),
    ),
    Item(
        "9c",
        "Methods",
        "Predictors",
        "qualifications of predictor assessors (e.g. raters)",
        _authors,
    ),
    Item(
        "10",
        "Methods",
        "Sample size",
        "how the study size was arrived at, and its adequacy",
        _has(
            "sample_size",
            (("passage", "sample_size"), ("table", "sample_size")),
            "no sample-size calculation in the results",
        ),
    ),
    Item(
        "11",
        "Methods",
        "Missing data",
        "handling of missing data",
        _always(("passage", "population")),
    ),
    Item(
        "12a",
        "Methods",
        "Analytical methods",
        "how the data were used, including partitioning",
        _always(("passage", "population"), ("meta", "train_percent")),
    ),
    Item(
        "12b",
        "Methods",
        "Analytical methods",
        "handling of predictors (form, scaling)",
        _not_done("the functional form and scaling of the predictors are not stated"),
    ),
    Item(
        "12c",
        "Methods",
        "Analytical methods",
        "model type, building steps, tuning and internal validation",
        _any_of(
            _always(("passage", "models_methods"), ("meta", "lambda_rule")),
            _has("optimism", (("table", "optimism"),), ""),
        ),
    ),
    Item(
        "12d",
        "Methods",
        "Analytical methods",
        "heterogeneity across clusters",
        _not_done("one data set without clusters (centres) in the configuration"),
    ),
    Item(
        "12e",
        "Methods",
        "Analytical methods",
        "performance measures and plots, and model comparison",
        _any_of(
            _always(("passage", "statistics_methods")),
            _performance_tables,
            _has("decision_curve", (("figure", "decision_curve"),), ""),
        ),
    ),
    Item(
        "12f",
        "Methods",
        "Analytical methods",
        "model updating (e.g. recalibration)",
        _not_done("no model updating was done"),
    ),
    Item(
        "12g",
        "Methods",
        "Analytical methods",
        "how predictions are calculated",
        _any_of(
            _has("final_models", (("table", "final_models"),), ""),
            _has("nomogram", (("figure", "nomogram"),), "no nomogram of the final model"),
        ),
    ),
    Item(
        "13",
        "Methods",
        "Class imbalance",
        "class-imbalance methods and recalibration",
        _not_done("no class-imbalance method was used, and the text does not say so"),
    ),
    Item("14", "Methods", "Fairness", "approaches to model fairness", _authors),
    Item(
        "15",
        "Methods",
        "Model output",
        "model output and classification thresholds",
        _always(("passage", "statistics_methods")),
    ),
    Item(
        "16",
        "Methods",
        "Training versus evaluation",
        "differences between development and evaluation data",
        _any_of(
            _has("table1_by_cohort", (("table", "table1_cohort"),), ""),
            _always(("passage", "population")),
        ),
    ),
    Item("17", "Methods", "Ethical approval", "ethics committee and consent", _authors),
    Item("18a", "Open science", "Funding", "funding and role of funders", _authors),
    Item("18b", "Open science", "Conflicts of interest", "conflicts of interest", _authors),
    Item("18c", "Open science", "Protocol", "where the protocol can be accessed", _authors),
    Item("18d", "Open science", "Registration", "study registration", _authors),
    Item("18e", "Open science", "Data sharing", "availability of the study data", _authors),
    Item("18f", "Open science", "Code sharing", "availability of the analysis code", _authors),
    Item(
        "19",
        "Patient and public involvement",
        "Patient and public involvement",
        "patient and public involvement, or none",
        _authors,
    ),
    Item(
        "20a",
        "Results",
        "Participants",
        "participant flow, numbers with and without the outcome",
        _always(("passage", "population"), ("meta", "cases")),
    ),
    Item(
        "20b",
        "Results",
        "Participants",
        "participant characteristics, events and missing data",
        _always(("table", "table1")),
    ),
    Item(
        "20c",
        "Results",
        "Participants",
        "development vs evaluation data: distribution of predictors",
        _has(
            "table1_by_cohort",
            (("table", "table1_cohort"),),
            "no table of characteristics by cohort in the results",
        ),
    ),
    Item(
        "21",
        "Results",
        "Model development",
        "participants and events in each analysis",
        _always(("passage", "population"), ("meta", "train_cases")),
    ),
    Item(
        "22",
        "Results",
        "Model specification",
        "the full model (e.g. formula) and access to it",
        _has(
            "final_models",
            (("table", "final_models"),),
            "the full models (every coefficient, the radiomics scores' included) are not in "
            "the results",
        ),
    ),
    Item(
        "23a",
        "Results",
        "Model performance",
        "performance estimates with confidence intervals, with plots",
        _any_of(
            _performance_tables,
            _always(("figure", "roc_test")),
            _has("calibration", (("table", "calibration"), ("figure", "calibration_test")), ""),
            _has("optimism", (("table", "optimism"),), ""),
            _has("decision_curve", (("figure", "decision_curve"),), ""),
        ),
    ),
    Item(
        "23b",
        "Results",
        "Model performance",
        "heterogeneity of performance across clusters",
        _not_done("one data set without clusters (centres) in the configuration"),
    ),
    Item(
        "24",
        "Results",
        "Model updating",
        "results of any model updating",
        _not_done("no model updating was done"),
    ),
    Item(
        "25", "Discussion", "Interpretation", "overall interpretation, including fairness", _authors
    ),
    Item(
        "26",
        "Discussion",
        "Limitations",
        "limitations: sample, overfitting, missing data, generalisability",
        _always(("passage", "discussion"), ("passage", "choice_limitation")),
    ),
    Item(
        "27a",
        "Discussion",
        "Usability in current care",
        "handling poor-quality or missing input data in use",
        _authors,
    ),
    Item(
        "27b",
        "Discussion",
        "Usability in current care",
        "user interaction and expertise required",
        _authors,
    ),
    Item("27c", "Discussion", "Usability in current care", "next steps for research", _authors),
)


# --------------------------------------------------------------------------- the manuscript

_INCLUDE = re.compile(r"\{\{<\s*(?:cetrus\s+)?include\s+(\S+?)\s*>\}\}")
_META = re.compile(r"\{\{<\s*meta\s+res\.([\w.\-]+)\s*>\}\}")
_SHORTCODE = re.compile(r"\{\{<.*?>\}\}")
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_FLOAT = re.compile(r"^:{3,}[ \t]*\{#((?:tbl|fig)-[\w\-]+)\}[ \t]*\n.*?\n:{3,}[ \t]*$", re.M | re.S)
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*(?:\{([^}]*)\})?[ \t]*$", re.M)
_IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


def heading_id(text: str) -> str:
    """pandoc's ``auto_identifiers`` of a heading's text (Quarto's too): formatting and
    punctuation other than ``_-.`` dropped, spaces to hyphens, lower case, everything
    before the first letter removed; ``section`` when nothing is left."""
    t = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link: its text
    t = re.sub(r"\\(.)", r"\1", t)  # escapes
    t = re.sub(r"[*`]", "", t)  # emphasis, code marks
    t = "".join(ch for ch in t if ch.isalnum() or ch in "_-. \t\n").strip().lower()
    t = re.sub(r"\s+", "-", t)
    t = re.sub(r"^[^a-z\u00c0-\uffff]+", "", t)
    return t or "section"


@dataclass(frozen=True)
class _Section:
    start: int
    title: str
    ident: str | None  # None: the heading holds a shortcode (its text is known at render only)


@dataclass(frozen=True)
class _Location:
    kind: str  # "float" or "section"
    ident: str
    label: str

    @property
    def abstract(self) -> bool:
        return self.kind == "section" and self.label.strip().lower() == "abstract"


class _Manuscript:
    """The manuscript source, its results includes expanded from the folder being written."""

    def __init__(self, qmd: Path, folder: Path) -> None:
        text = qmd.read_text(encoding="utf-8")
        text = _COMMENT.sub("", _FRONT.sub("", text, count=1))
        self.passages: dict[str, list[int]] = {}
        parts, pos = [], 0
        for m in _INCLUDE.finditer(text):
            parts.append(text[pos : m.start()])
            content = self._resolve(m.group(1), qmd.parent, folder)
            path = Path(m.group(1))
            if path.parent.name == "include" and content.strip():
                offset = sum(len(p) for p in parts)
                self.passages.setdefault(path.stem, []).append(offset)
            parts.append(content)
            pos = m.end()
        parts.append(text[pos:])
        self.text = "".join(parts)
        self.floats = [(m.start(), m.end(), m.group(1)) for m in _FLOAT.finditer(self.text)]
        self.sections: list[_Section] = []
        seen: dict[str, int] = {}
        for m in _HEADING.finditer(self.text):
            if self._in_float(m.start()):
                continue
            title, attrs = m.group(2).strip(), m.group(3) or ""
            explicit = re.search(r"#([\w\-.:]+)", attrs)
            if _SHORTCODE.search(title):
                ident = None
            elif explicit:
                ident = explicit.group(1)
            else:
                base = heading_id(title)
                k = seen.get(base, 0)
                seen[base] = k + 1
                ident = base if k == 0 else f"{base}-{k}"
            self.sections.append(_Section(m.start(), title, ident))

    @staticmethod
    def _resolve(target: str, qmd_dir: Path, folder: Path) -> str:
        path = Path(target)
        if path.parent.name in ("include", "tables"):  # the results being written
            p = folder / path.parent.name / path.name
        else:
            p = qmd_dir / path
        return p.read_text(encoding="utf-8") if p.is_file() else ""

    def _in_float(self, pos: int) -> str | None:
        for start, end, ident in self.floats:
            if start <= pos < end:
                return ident
        return None

    def _location(self, pos: int, *, floats: bool) -> _Location | None:
        if floats:
            ident = self._in_float(pos)
            if ident:
                return _Location("float", ident, ident)
        before = [s for s in self.sections if s.start <= pos]
        if not before:
            return None
        s = before[-1]
        if s.ident is None:
            return None
        return _Location("section", s.ident, s.title)

    def locate(self, evidence: Evidence, folder: Path) -> list[_Location]:
        kind, name = evidence
        if kind == "passage":
            positions, floats = self.passages.get(name, []), False
        elif kind == "meta":
            positions = [m.start() for m in _META.finditer(self.text) if m.group(1) == name]
            floats = False
        elif kind == "table":
            f = folder / "tables" / f"{name}.md"
            body = f.read_text(encoding="utf-8").strip() if f.is_file() else ""
            positions = [m.start() for m in re.finditer(re.escape(body), self.text)] if body else []
            floats = True
        elif kind == "figure":
            positions = [
                m.start()
                for m in _IMAGE.finditer(self.text)
                if Path(m.group(1)).parent.name == "figures"
                and Path(m.group(1)).name == f"{name}.png"
            ]
            floats = True
        else:
            raise ValueError(f"unknown evidence kind {kind!r}")
        out = []
        for p in positions:
            loc = self._location(p, floats=floats)
            if loc is not None and loc not in out:
                out.append(loc)
        return out


# --------------------------------------------------------------------------- the checklist


def checklist(results: dict, config, folder: Path) -> tuple[list[dict], str | None]:
    """One row per item: number, topic, title, reported, locations, note. ``folder`` is the
    results folder being written (its tables and passages); the second value says why
    nothing could be located (no manuscript source), else ``None``."""
    qmd = Path(config.manuscript)
    manuscript = _Manuscript(qmd, folder) if qmd.is_file() else None
    rows = []
    for item in ITEMS:
        need = item.need(results, config)
        locations: list[_Location] = []
        note = ""
        if isinstance(need, str):
            note = need
        elif manuscript is None:
            note = "generated, but no manuscript source to locate it in"
        else:
            for ev in need:  # each piece where it first appears, the body before the abstract
                found = manuscript.locate(ev, folder)
                body = [loc for loc in found if not loc.abstract]
                if (body or found) and (body or found)[0] not in locations:
                    locations.append((body or found)[0])
            if any(not loc.abstract for loc in locations):
                locations = [loc for loc in locations if not loc.abstract]
            locations = locations[:3]
            if not locations:
                note = "generated, but not in this manuscript"
        rows.append(
            {
                "item": item.number,
                "section": item.section,
                "topic": item.topic,
                "title": item.title,
                "reported": bool(locations),
                "locations": locations,
                "note": note,
            }
        )
    reason = None if manuscript is not None else f"manuscript source {qmd} not found"
    return rows, reason


def _where_md(locations: list[_Location]) -> str:
    cells = []
    for loc in locations:
        if loc.kind == "float":
            cells.append(f"@{loc.ident}")
        else:
            cells.append(f"[{md_text(loc.label)}](#{loc.ident})")
    return "; ".join(cells) if cells else "not reported"


def _where_text(locations: list[_Location]) -> str:
    return (
        "; ".join(
            loc.ident if loc.kind == "float" else f'section "{loc.label}"' for loc in locations
        )
        or "not reported"
    )


def tripod_frame(rows: list[dict]) -> pd.DataFrame:
    """The checklist as a plain table (``tables/tripod.csv``): anchors are the
    identifiers the rendered document gives the locations."""
    return pd.DataFrame(
        [
            {
                "Item": r["item"],
                "Section": r["section"],
                "Topic": r["topic"],
                "Checklist item (paraphrased)": r["title"],
                "Reported": "yes" if r["reported"] else "no",
                "Where reported": _where_text(r["locations"]),
                "Anchors": " ".join(loc.ident for loc in r["locations"]),
                "Note": r["note"],
            }
            for r in rows
        ]
    )


def tripod_markdown(rows: list[dict]) -> str:
    """The checklist as a pipe table whose locations are cross-references (``@tbl-…``,
    ``@fig-…``) and links to section anchors; every other cell is inert text."""
    from tabulate import tabulate

    cells = [
        [
            md_text(r["item"]),
            md_text(r["topic"]),
            md_text(r["title"]),
            _where_md(r["locations"]),
            md_text(r["note"]),
        ]
        for r in rows
    ]
    return (
        tabulate(
            cells,
            headers=["Item", "Topic", "Checklist item (paraphrased)", "Where reported", "Note"],
            tablefmt="github",
            disable_numparse=True,
        )
        + "\n"
    )


def write_tripod(results: dict, config, folder: Path) -> list[str]:
    """Write ``tables/tripod.csv|md`` and ``include/tripod.md`` into the results folder
    being written; store the checklist in ``results["tripod"]``; return the table's files."""
    folder = Path(folder)
    rows, reason = checklist(results, config, folder)
    frame = tripod_frame(rows)
    frame.to_csv(folder / "tables" / "tripod.csv", index=False)
    table_md = tripod_markdown(rows)
    (folder / "tables" / "tripod.md").write_text(table_md, encoding="utf-8")
    n = sum(r["reported"] for r in rows)
    results["tripod"] = {
        "reference": REFERENCE,
        "manuscript": str(config.manuscript),
        "reported": n,
        "items": len(rows),
        "not_located": reason,
        "rows": frame.to_dict(orient="records"),
    }
    source = md_text(Path(config.manuscript).name)
    text = (
        "# Appendix: TRIPOD+AI checklist {.appendix .unnumbered}\n\n"
        f"Where this document reports each item of the TRIPOD+AI checklist ({REFERENCE}; "
        "item titles paraphrased). An item is marked as reported only where content "
        "generated from this study's results (a passage, table, figure or quoted value) "
        f"was found in the manuscript source ({source}) when the results were written; "
        "items that rest on the authors' own text are not checked and are listed as not "
        f"reported. {n} of the {len(rows)} items and sub-items are reported."
    )
    if reason:
        text += (
            " The manuscript source was not found when the results were written, so no "
            "item could be located."
        )
    text += "\n\n" + table_float(
        "tbl-tripod", table_md, "TRIPOD+AI checklist: where each item is reported"
    )
    (folder / "include" / "tripod.md").write_text(text, encoding="utf-8")
    return ["tripod.csv", "tripod.md"]
