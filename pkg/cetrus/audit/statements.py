"""Statements in the text against the tables.

The input is a text file with one statement per line (lines starting with ``#`` are
comments), e.g. the sentences of a Results section that quote numbers. For each line the
audit finds the variables, models and cohorts it names (their IDs and the words in
``[labels]``), then every number with a decimal point: a number that equals a printed cell
of a row the sentence names (at the cell's decimals, or the cell rounded to the fewer
decimals the text uses) is consistent; a number found only in rows the sentence does not
name cannot be told; a number in no table, in a sentence that names rows, is inconsistent.
Whole numbers are checked only against cohort sizes (others are years, references, …).
A claim ``P < a`` or ``P > a`` is checked against the printed P values of the Table 1
variables (else Table 2's univariate) the sentence names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from cetrus.audit.findings import Finding, r_vec
from cetrus.audit.rounding import Printed, round_rule
from cetrus.errors import InputError

_NUM = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?![\w.]*\d)")
_PCLAIM = re.compile(r"\bP\s*(<|>|≤|≥|<=|>=)\s*(0?\.\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class Cell:
    id: str
    entities: frozenset
    printed: Printed


def _pool(pub) -> list[Cell]:
    cells: list[Cell] = []
    for cid, c in pub.cohorts.items():
        for attr in ("n", "cases"):
            v = getattr(c, attr)
            if v is not None:
                cells.append(Cell(f"cohorts.{cid}.{attr}", frozenset({cid}), Printed(float(v), 0)))
    for var, row in pub.categorical.items():
        ents = frozenset({var})
        for g in pub.groups:
            for i, c in enumerate(row[g]):
                cells.append(Cell(f"table1.categorical.{var}.{g}[{i}]", ents, Printed(float(c), 0)))
            if f"percent_{g}" in row:
                d = pub.decimals("table1", "percent_decimals", row)
                for i, p in enumerate(row[f"percent_{g}"]):
                    cells.append(
                        Cell(
                            f"table1.categorical.{var}.percent_{g}[{i}]", ents, Printed(float(p), d)
                        )
                    )
        if "pvalue" in row:
            cells.append(
                Cell(
                    f"table1.categorical.{var}.pvalue",
                    ents,
                    Printed(float(row["pvalue"]), pub.decimals("table1", "p_decimals", row)),
                )
            )
    for var, row in pub.continuous.items():
        ents = frozenset({var})
        d = pub.decimals("table1", "summary_decimals", row)
        for g in pub.groups:
            for i, v in enumerate(row[g]):
                cells.append(Cell(f"table1.continuous.{var}.{g}[{i}]", ents, Printed(float(v), d)))
        if "pvalue" in row:
            cells.append(
                Cell(
                    f"table1.continuous.{var}.pvalue",
                    ents,
                    Printed(float(row["pvalue"]), pub.decimals("table1", "p_decimals", row)),
                )
            )
    for part in ("univariate", "multivariable"):
        for var, row in pub.raw.get("table2", {}).get(part, {}).items():
            ents = frozenset({var})
            d = pub.decimals("table2", "or_decimals", row)
            for i, v in enumerate(row["or"]):
                cells.append(Cell(f"table2.{part}.{var}.or[{i}]", ents, Printed(float(v), d)))
            if "pvalue" in row:
                cells.append(
                    Cell(
                        f"table2.{part}.{var}.pvalue",
                        ents,
                        Printed(float(row["pvalue"]), pub.decimals("table2", "p_decimals", row)),
                    )
                )
    if pub.performance_rows():
        d = pub.decimals("performance", "decimals")
        for cid, model, row in pub.performance_rows():
            ents = frozenset({cid, model})
            for key, v in row.items():
                if key == "auc":
                    for i, x in enumerate(v):
                        cells.append(
                            Cell(f"performance.{cid}.{model}.auc[{i}]", ents, Printed(float(x), d))
                        )
                elif key in ("accuracy", "sensitivity", "specificity", "ppv", "npv"):
                    cells.append(
                        Cell(f"performance.{cid}.{model}.{key}", ents, Printed(float(v), d))
                    )
    return cells


def _equal(text: str, cell: Printed) -> bool:
    """Whether the text's number is the cell as printed, or the cell rounded to fewer decimals."""
    k = len(text.split(".")[1]) if "." in text else 0
    t = Fraction(text)
    if k == cell.decimals:
        return t == cell.exact
    if k < cell.decimals:
        return round_rule(cell.exact, k, "half_up") == t
    return False


def _mentions(pub, sentence: str) -> set[str]:
    names: set[str] = set(pub.cohorts) | set(pub.categorical) | set(pub.continuous)
    names |= set(pub.raw.get("table2", {}).get("univariate", {})) | set(pub.multivariable)
    names |= {m for _, m, _ in pub.performance_rows()}
    found = set()
    for name in names:
        for label in pub.labels(name):
            if re.search(r"(?<![\w-])" + re.escape(label) + r"(?!\w)", sentence, re.IGNORECASE):
                found.add(name)
                break
    return found


def read_statements(path: str | Path) -> list[tuple[int, str]]:
    p = Path(path)
    if not p.is_file():
        raise InputError(f"statements file not found: {p}")
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise InputError(f"statements file {p.name} is not UTF-8 text") from None
    return [
        (i + 1, ln.strip())
        for i, ln in enumerate(lines)
        if ln.strip() and not ln.lstrip().startswith("#")
    ]


def check(pub, path: str | Path) -> list[Finding]:
    pool = _pool(pub)
    perf_models = {m for _, m, _ in pub.performance_rows()}
    out: list[Finding] = []
    for line_no, sentence in read_statements(path):
        ents = _mentions(pub, sentence)
        cohorts_named = ents & set(pub.cohorts)
        models_named = ents & perf_models

        def relevant(cell: Cell) -> bool:
            if cell.id.startswith("performance."):
                cid, model = cell.id.split(".")[1:3]
                return model in models_named and (not cohorts_named or cid in cohorts_named)
            if cell.id.startswith("cohorts."):
                return True
            return bool(cell.entities & ents)

        claims = list(_PCLAIM.finditer(sentence))
        scan = _PCLAIM.sub(" ", sentence)
        results = []  # (number, verdict, cells)
        for m in _NUM.finditer(scan):
            text = m.group(1)
            if "." not in text:
                hits = [c for c in pool if c.id.startswith("cohorts.") and _equal(text, c.printed)]
                if hits:
                    results.append((text, "consistent", [c.id for c in hits]))
                continue
            near = [c for c in pool if relevant(c) and _equal(text, c.printed)]
            if near:
                results.append((text, "consistent", [c.id for c in near][:4]))
                continue
            far = [c for c in pool if _equal(text, c.printed)]
            if far:
                results.append((text, "cannot tell", [c.id for c in far][:4]))
            else:
                results.append((text, "inconsistent" if ents else "cannot tell", []))
        for cm in claims:
            op, bound = cm.group(1), float(cm.group(2))
            less = op in ("<", "≤", "<=")
            for var in sorted(ents):
                row = pub.categorical.get(var) or pub.continuous.get(var)
                sec = "table1"
                if row is None:
                    row, sec = pub.raw.get("table2", {}).get("univariate", {}).get(var), "table2"
                if row is None or "pvalue" not in row:
                    continue
                pp = Printed(
                    float(row["pvalue"]),
                    pub.decimals(sec, "p_decimals", row),
                    row.get("pvalue_bound"),
                )
                if less:
                    verdict = (
                        "consistent"
                        if float(pp.high) < bound or (pp.bound in ("<", "<=") and pp.value <= bound)
                        else "inconsistent"
                        if float(pp.low) >= bound
                        else "cannot tell"
                    )
                else:
                    verdict = (
                        "consistent"
                        if float(pp.low) > bound and pp.bound not in ("<", "<=")
                        else "inconsistent"
                        if float(pp.high) <= bound
                        else "cannot tell"
                    )
                cell = f"{sec}.{'categorical' if var in pub.categorical else 'continuous' if var in pub.continuous else 'univariate'}.{var}.pvalue"
                results.append((f"P {op} {cm.group(2)} ({var}: {pp.text})", verdict, [cell]))
        if not results:
            continue
        order = ("inconsistent", "cannot tell", "consistent")
        verdict = min((r[1] for r in results), key=order.index)
        sev = {"inconsistent": "medium", "cannot tell": "low", "consistent": "info"}[verdict]
        detail = "; ".join(
            f"{num} -> {v}" + (f" ({', '.join(cells)})" if cells else " (in no table)")
            for num, v, cells in results
        )
        nums = [float(r[0]) for r in results if re.fullmatch(r"\d+(\.\d+)?", r[0])]
        cells = tuple(dict.fromkeys(c for r in results for c in r[2]))
        out.append(
            Finding(
                "statement",
                f"Statement on line {line_no}: "
                + {
                    "consistent": "matches the tables",
                    "cannot tell": "partly unmatched",
                    "inconsistent": "contradicts the tables",
                }[verdict],
                verdict,
                sev,
                "each number and P claim of the sentence against the printed cells",
                "numbers matched to cells of the rows the sentence names (at the printed decimals); "
                "P claims against the named variables' printed P",
                f"\u201c{sentence}\u201d: {detail}.",
                cells,
                f"text_numbers <- {r_vec(nums)}  # compare with the cells listed" if nums else "",
                {"line": line_no, "mentions": sorted(ents)},
            )
        )
    return out
