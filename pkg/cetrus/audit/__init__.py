"""``cetrus audit``: check a published paper's tables against themselves.

Input is a published-numbers file (:mod:`cetrus.study.published` documents the schema);
output is a list of :class:`~cetrus.audit.findings.Finding` ranked by severity, written by
:func:`run_audit` as ``findings.json`` and a self-contained ``audit.html``.

The checks, one module each:

* :mod:`~cetrus.audit.table1` — percentages against counts (denominator and rounding
  rule), counts against the cohort, categorical P values under χ² with and without
  continuity correction and Fisher;
* :mod:`~cetrus.audit.summaries` — medians/quartiles impossible for the n, GRIM for means,
  t-test P values from means and SDs;
* :mod:`~cetrus.audit.odds` — OR CIs' log symmetry, the P a CI implies, crude ORs from
  Table 1's counts, significance claims against CIs touching 1;
* :mod:`~cetrus.audit.confusion` — cohort sizes and every integer confusion matrix behind
  the printed threshold metrics, models sharing one matrix;
* :mod:`~cetrus.audit.auc` — AUC CIs against Hanley–McNeil and the largest possible width;
* :mod:`~cetrus.audit.statements` — sentences of the text against the tables.
"""

from __future__ import annotations

from pathlib import Path

from cetrus.audit.findings import Finding, rank

__all__ = ["audit", "run_audit", "Finding", "FINDINGS_JSON", "REPORT_HTML"]

#: file names :func:`run_audit` writes into its output folder
FINDINGS_JSON = "findings.json"
REPORT_HTML = "audit.html"


def audit(published, *, statements: str | Path | None = None) -> list[Finding]:
    """Every check on a loaded :class:`~cetrus.study.published.Published`, ranked.

    ``statements`` is a text file of sentences (default: the file's ``[statements] file``,
    relative to the published-numbers file; none when neither is given).
    """
    from cetrus.audit import auc, confusion, odds, summaries, table1
    from cetrus.audit import statements as st

    findings: list[Finding] = []
    findings += table1.check_counts(published)
    findings += table1.check_percentages(published)
    findings += table1.check_pvalues(published)
    findings += summaries.check(published)
    findings += summaries.check_t(published)
    findings += odds.check(published)
    cm = confusion.check(published)
    findings += cm
    solved = {}
    for f in cm:  # a cohort size the tables pin down feeds the AUC checks
        if f.check != "cohort_size" or f.verdict != "consistent":
            continue
        if f.values.get("n_sizes") == 1:
            solved[f.cells[0].split(".")[1]] = tuple(f.values["sizes"][0])
        combos = f.values.get("combinations")
        if combos is not None and len(combos) == 1:  # siblings that add up in one way only
            for cell, size in zip(f.cells, combos[0]):
                solved[cell.split(".")[1]] = tuple(size)
    findings += auc.check(published, solved)
    if statements is None:
        rel = published.raw.get("statements", {}).get("file")
        if rel:
            statements = published.path.parent / str(rel)
    if statements is not None:
        findings += st.check(published, statements)
    return rank(findings)


def run_audit(
    path: str | Path, out_dir: str | Path, *, statements: str | Path | None = None
) -> Path:
    """Audit the published-numbers file ``path`` into ``out_dir`` (written atomically).

    Writes ``findings.json`` (:data:`FINDINGS_JSON`) and ``audit.html`` (:data:`REPORT_HTML`);
    returns ``out_dir``. Bad input raises :class:`~cetrus.errors.InputError` (one line,
    naming the file, line and field) before anything is written.
    """
    from cetrus._fs import atomic_directory, check_output
    from cetrus.audit.report import write_html, write_json
    from cetrus.study.published import load

    out = Path(out_dir)
    check_output(out, "audit")
    pub = load(path)
    findings = audit(pub, statements=statements)
    with atomic_directory(out, kind="audit") as tmp:
        write_json(pub, findings, tmp / FINDINGS_JSON)
        write_html(pub, findings, tmp / REPORT_HTML)
    return out
