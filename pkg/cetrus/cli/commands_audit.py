"""``cetrus audit PUBLISHED.toml --out DIR``: check a paper's tables against themselves.

Writes ``DIR/findings.json`` and ``DIR/audit.html`` (atomically) and prints a JSON
summary; a bad file is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import sys

from cetrus.cli._common import path_type


def register(commands: argparse._SubParsersAction) -> None:
    aud = commands.add_parser("audit", help="check a published paper's numbers against each other")
    aud.add_argument(
        "published",
        type=path_type,
        metavar="PUBLISHED.toml",
        help="published-numbers file (schema: README, 'Auditing a published paper')",
    )
    aud.add_argument(
        "--out",
        type=path_type,
        required=True,
        metavar="DIR",
        help="output folder (replaced atomically)",
    )
    aud.add_argument(
        "--text",
        type=path_type,
        default=None,
        metavar="FILE",
        help="sentences with numbers, one per line (default: the file's [statements])",
    )
    aud.set_defaults(handler=_audit)


def _audit(args):
    import json

    from cetrus.audit import FINDINGS_JSON, REPORT_HTML, run_audit

    out = run_audit(args.published, args.out, statements=args.text)
    doc = json.loads((out / FINDINGS_JSON).read_text(encoding="utf-8"))
    s = doc["summary"]
    print(
        f"cetrus: {s['n']} findings ({s['by_verdict']['inconsistent']} inconsistent, "
        f"{s['by_verdict']['cannot tell']} cannot tell) written to {out}",
        file=sys.stderr,
    )
    return {
        "out": str(out),
        "findings": str(out / FINDINGS_JSON),
        "report": str(out / REPORT_HTML),
        "summary": s,
    }
