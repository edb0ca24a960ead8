"""findings.json and a self-contained HTML report of an audit.

Every string that comes from the published-numbers file (labels, titles, sentences) is
HTML-escaped; the page has no scripts and no external resources.
"""

from __future__ import annotations

import json
from collections import Counter
from html import escape
from pathlib import Path

from cetrus.audit.findings import SEVERITIES, VERDICTS, Finding

SCHEMA = "cetrus-audit/1"


def summary(findings: list[Finding]) -> dict:
    return {
        "n": len(findings),
        "by_verdict": {v: sum(f.verdict == v for f in findings) for v in VERDICTS},
        "by_severity": {s: sum(f.severity == s for f in findings) for s in SEVERITIES},
        "by_check": dict(Counter(f.check for f in findings)),
    }


def document(pub, findings: list[Finding]) -> dict:
    from cetrus import __version__

    meta = pub.raw.get("meta", {})
    return {
        "schema": SCHEMA,
        "cetrus_version": __version__,
        "published": pub.path.name,
        "title": str(meta.get("title", "")),
        "summary": summary(findings),
        "findings": [f.to_dict() for f in findings],
    }


def write_json(pub, findings: list[Finding], path: Path) -> None:
    path.write_text(
        json.dumps(document(pub, findings), indent=2, allow_nan=False) + "\n", encoding="utf-8"
    )


_CSS = """
body{font-family:Georgia,serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#222}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border-bottom:1px solid #ccc;padding:.2rem .6rem;text-align:left}
.f{border-left:4px solid #999;padding:.3rem .8rem;margin:1rem 0;background:#fafafa}
.high{border-color:#b00020}.medium{border-color:#e08000}.low{border-color:#3a70b0}.info{border-color:#6a6}
.tag{font:600 .75rem sans-serif;text-transform:uppercase;margin-right:.5rem}
pre{background:#f0f0f0;padding:.5rem;overflow-x:auto;font-size:.85rem}
code{font-size:.85rem}dt{font-weight:600}dd{margin:0 0 .3rem 1rem}
"""


def render_html(pub, findings: list[Finding]) -> str:
    meta = pub.raw.get("meta", {})
    s = summary(findings)
    e = escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Audit of {e(pub.path.name)}</title><style>{_CSS}</style></head><body>",
        "<h1>Audit of the published numbers</h1>",
        f"<p><strong>{e(str(meta.get('title', '')))}</strong><br>{e(str(meta.get('authors', '')))}</p>",
        f"<p>File: <code>{e(pub.path.name)}</code>. {s['n']} findings, ranked by severity. "
        "Every number was recomputed from the other printed numbers; each finding shows the "
        "computation and R code that reproduces it.</p>",
        "<table><tr><th>Verdict</th><th>Findings</th></tr>",
    ]
    parts += [f"<tr><td>{e(v)}</td><td>{n}</td></tr>" for v, n in s["by_verdict"].items()]
    parts.append("</table><table><tr><th>Severity</th><th>Findings</th></tr>")
    parts += [f"<tr><td>{e(v)}</td><td>{n}</td></tr>" for v, n in s["by_severity"].items()]
    parts.append("</table>")
    key = [(i, f) for i, f in enumerate(findings, 1) if f.severity != "info"]
    if key:
        parts.append("<h2>Findings to read first</h2><ol>")
        parts += [
            f'<li><a href="#finding-{i}">{e(f.title)}</a> ({e(f.severity)}, {e(f.verdict)})</li>'
            for i, f in key
        ]
        parts.append("</ol>")
    current = None
    for i, f in enumerate(findings, 1):
        if f.severity != current:
            current = f.severity
            parts.append(f"<h2>Severity: {e(current)}</h2>")
        parts.append(f'<div class="f {e(f.severity)}" id="finding-{i}">')
        parts.append(
            f'<p><span class="tag">{e(f.verdict)}</span><span class="tag">{e(f.check)}</span>'
            f"<strong>{e(f.title)}</strong></p><dl>"
        )
        parts.append(
            f"<dt>Recomputed</dt><dd>{e(f.recomputed)}</dd><dt>How</dt><dd>{e(f.method)}</dd>"
            f"<dt>Result</dt><dd>{e(f.detail)}</dd>"
        )
        if f.cells:
            parts.append(
                "<dt>Cells</dt><dd>" + ", ".join(f"<code>{e(c)}</code>" for c in f.cells) + "</dd>"
            )
        parts.append("</dl>")
        if f.r_code:
            parts.append(
                f"<details><summary>R code</summary><pre><code>{e(f.r_code)}</code></pre></details>"
            )
        parts.append("</div>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_html(pub, findings: list[Finding], path: Path) -> None:
    path.write_text(render_html(pub, findings), encoding="utf-8")
