"""Render the manuscript without Quarto: ``cetrus render`` (pandoc → HTML + DOCX).

The sources are Quarto's (``reports/manuscript.qmd``, ``reports/validation.qmd``);
this module does the few things Quarto would do for them, then calls pandoc:

* ``{{< cetrus include FILE >}}`` (the study's Quarto extension, ``_extensions/cetrus``)
  and Quarto's own ``{{< include FILE >}}`` — replaced by the file's text (paths relative
  to the .qmd; the study's results folder as the .qmd names it — ``../results/`` for the
  replica's ``reports/manuscript.qmd``, ``results/`` beside a ``cetrus init`` study — is
  mapped to the results folder being rendered);
* ``{{< meta res.KEY >}}`` — replaced by the value in the results' ``values.yml``
  (the file ``_quarto.yml`` lists under ``metadata-files``); an unknown key is an error
  naming it, so no number in the text can silently go missing;
* cross-references — Quarto's div form (``::: {#tbl-id}`` or ``::: {#fig-id}``, the
  table or image, the caption as the last paragraph, ``:::``), ``: Caption {#tbl-id}``
  after a table and ``![Caption](file){#fig-id}`` are numbered in order of appearance;
  ``@tbl-id`` /
  ``@fig-id`` become "Table N" / "Figure N" and captions get their "Table N:" prefix,
  as Quarto's crossref does; an undefined reference is an error;
* image paths point into the results folder; pandoc embeds them (``--self-contained``
  HTML; DOCX always embeds).

Output goes to the study's ``[report] output`` folder atomically: everything is rendered
into a temporary folder beside it and moved in only when every document rendered.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from cetrus._fs import atomic_directory
from cetrus.errors import CetrusError, InputError

__all__ = ["render_all", "render_document", "preprocess", "RenderError"]

_INCLUDE = re.compile(r"\{\{<\s*(?:cetrus\s+)?include\s+(\S+?)\s*>\}\}")
_FLOAT_DIV = re.compile(
    r"^:{3,}[ \t]*\{#((?:tbl|fig)-[\w\-]+)\}[ \t]*\n(.*?)\n:{3,}[ \t]*$", re.M | re.S
)
_IMAGE_ONLY = re.compile(r"\A!\[[^\]]*\]\(([^)\s]+)\)(\{[^}]*\})?\Z")
_META = re.compile(r"\{\{<\s*meta\s+([\w.\-]+)\s*>\}\}")
_SHORTCODE = re.compile(r"\{\{<.*?>\}\}")
_TBL_CAPTION = re.compile(r"^:[ \t]+(.*?)[ \t]*\{#(tbl-[\w\-]+)\}[ \t]*$", re.M)
_FIG = re.compile(r"!\[(.*?)\]\(([^)\s]+)\)\{#(fig-[\w\-]+)([^}]*)\}", re.S)
_REF = re.compile(r"@((?:tbl|fig)-[\w\-]*[\w])")
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


class RenderError(CetrusError):
    """The manuscript could not be rendered (the message says which file/key)."""


def _pandoc() -> str:
    exe = shutil.which("pandoc")
    if exe is None:
        try:  # PyPI's pypandoc-binary ships the executable
            import pypandoc

            exe = pypandoc.get_pandoc_path()
        except Exception:  # noqa: BLE001
            exe = None
    if exe is None:
        raise RenderError(
            "pandoc is not installed: apt-get install pandoc (or pip install "
            "pypandoc-binary), or render with Quarto: quarto render"
        )
    return exe


#: 1980-01-01T00:00:00Z, the earliest date a ZIP entry can carry: DOCX zip entries and
#: docProps/core.xml's dcterms:created/modified get this instead of the render's clock
_FIXED_EPOCH = "315532800"


def _pandoc_env() -> dict[str, str]:
    """pandoc's environment with ``SOURCE_DATE_EPOCH`` set, so a rerun writes the same bytes.

    A caller's own valid ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) is kept;
    otherwise the fixed epoch above (not the inputs' mtimes: those change on every analyze).
    """
    import os

    env = dict(os.environ)
    if not env.get("SOURCE_DATE_EPOCH", "").isdigit():
        env["SOURCE_DATE_EPOCH"] = _FIXED_EPOCH
    return env


def _map_path(target: str, qmd_dir: Path, results: Path, results_ref: str = "../results") -> Path:
    """``<results_ref>/x`` → ``<results>/x``; other paths relative to the .qmd.

    ``results_ref`` is the study's results folder as seen from the .qmd; the two
    conventional spellings (``../results`` for a manuscript in ``reports/``,
    ``results`` beside it) map to the rendered results folder as well, so one template
    renders any study's results.
    """
    parts = Path(target).parts
    for ref in dict.fromkeys((results_ref, "../results", "results")):
        ref_parts = Path(ref).parts
        if len(parts) > len(ref_parts) and parts[: len(ref_parts)] == ref_parts:
            return results.joinpath(*parts[len(ref_parts) :])
    p = Path(target)
    return p if p.is_absolute() else (qmd_dir / p)


def _includes(
    text: str, qmd_dir: Path, results: Path, source: str, results_ref: str, depth: int = 0
) -> str:
    if depth > 8:
        raise RenderError(f"{source}: includes nested more than 8 deep")

    def repl(m: re.Match) -> str:
        path = _map_path(m.group(1), qmd_dir, results, results_ref)
        if not path.is_file():
            raise RenderError(
                f"{source}: included file {m.group(1)} not found ({path}); "
                f"run `cetrus analyze` first"
            )
        # as in Quarto, paths inside an included file are relative to the main document
        return _includes(
            path.read_text(encoding="utf-8"), qmd_dir, results, path.name, results_ref, depth + 1
        )

    return _INCLUDE.sub(repl, text)


def _meta(text: str, values: dict, source: str, *, yaml: bool = False) -> str:
    """Replace ``{{< meta KEY >}}``; in YAML front matter (``yaml=True``, inside double
    quotes) the value's backslashes and quotes are escaped, so it stays one string."""

    def repl(m: re.Match) -> str:
        node = values
        for part in m.group(1).split("."):
            if not isinstance(node, dict) or part not in node:
                raise RenderError(
                    f"{source}: {{{{< meta {m.group(1)} >}}}}: no value "
                    f"{m.group(1)!r} in values.yml"
                )
            node = node[part]
        text = str(node)
        if yaml:
            text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
        return text

    return _META.sub(repl, text)


def _float_divs(text: str, source: str) -> str:
    """Quarto's div form of a cross-referenced table or figure → the caption forms pandoc
    reads (``: Caption {#tbl-id}`` after the table; ``![Caption](file){#fig-id}``)."""

    def repl(m: re.Match) -> str:
        ident, content = m.group(1), m.group(2).strip()
        paragraphs = [p.strip() for p in re.split(r"\n[ \t]*\n", content) if p.strip()]
        if len(paragraphs) < 2:
            raise RenderError(
                f"{source}: ::: {{#{ident}}} needs its content and a caption "
                "(the div's last paragraph)"
            )
        caption = " ".join(paragraphs[-1].split())
        body = "\n\n".join(paragraphs[:-1])
        if ident.startswith("tbl-"):
            return f"{body}\n\n: {caption} {{#{ident}}}"
        image = _IMAGE_ONLY.match(body)
        if image is None:
            raise RenderError(f"{source}: ::: {{#{ident}}} must hold one image and its caption")
        return f"![{caption}]({image.group(1)}){{#{ident}}}"

    return _FLOAT_DIV.sub(repl, text)


def _crossrefs(text: str, source: str) -> str:
    """Number tables and figures in order of appearance and resolve @tbl-/@fig- refs."""
    numbers: dict[str, int] = {}
    events = sorted(
        [(m.start(), "tbl", m.group(2)) for m in _TBL_CAPTION.finditer(text)]
        + [(m.start(), "fig", m.group(3)) for m in _FIG.finditer(text)]
    )
    counters = {"tbl": 0, "fig": 0}
    for _, kind, ident in events:
        if ident in numbers:
            raise RenderError(f"{source}: cross-reference label {ident!r} defined twice")
        counters[kind] += 1
        numbers[ident] = counters[kind]

    text = _TBL_CAPTION.sub(lambda m: f": Table {numbers[m.group(2)]}: {m.group(1)}", text)
    text = _FIG.sub(
        lambda m: (
            f"![Figure {numbers[m.group(3)]}: {m.group(1)}]({m.group(2)})"
            f"{{#{m.group(3)}{m.group(4)}}}"
        ),
        text,
    )

    def ref(m: re.Match) -> str:
        ident = m.group(1)
        if ident not in numbers:
            raise RenderError(f"{source}: reference @{ident} has no table/figure with that label")
        word = "Table" if ident.startswith("tbl-") else "Figure"
        return (
            f"[{word} {numbers[ident]}](#{ident})"
            if word == "Figure"
            else f"{word} {numbers[ident]}"
        )

    return _REF.sub(ref, text)


def _images(text: str, qmd_dir: Path, results: Path, source: str, results_ref: str) -> str:
    def repl(m: re.Match) -> str:
        path = _map_path(m.group(2), qmd_dir, results, results_ref)
        if not path.is_file():
            raise RenderError(f"{source}: figure {m.group(2)} not found ({path})")
        return f"![{m.group(1)}]({path.resolve()})"

    return re.sub(r"!\[(.*?)\]\(([^)\s]+)\)", repl, text, flags=re.S)


def preprocess(qmd: Path, results: Path, results_ref: str = "../results") -> tuple[str, str]:
    """The .qmd with includes, meta values, cross-refs and image paths resolved.

    ``results_ref`` is how the .qmd names the results folder (relative to itself).
    Returns ``(front_matter_yaml, body_markdown)``.
    """
    qmd = Path(qmd)
    results = Path(results)
    if not qmd.is_file():
        raise RenderError(f"manuscript source not found: {qmd}")
    text = qmd.read_text(encoding="utf-8")
    m = _FRONT.match(text)
    front, body = (m.group(1), text[m.end() :]) if m else ("", text)
    values_file = results / "values.yml"
    if not values_file.is_file():
        raise RenderError(f"{values_file} not found: run `cetrus analyze --out {results}` first")
    values = json.loads(values_file.read_text(encoding="utf-8"))  # JSON is YAML 1.2
    body = _includes(body, qmd.parent, results, qmd.name, results_ref)
    body = _meta(body, values, qmd.name)
    front = _meta(front, values, qmd.name, yaml=True)
    leftover = _SHORTCODE.search(body)
    if leftover:
        raise RenderError(f"{qmd.name}: unsupported shortcode {leftover.group(0)}")
    body = _crossrefs(_float_divs(body, qmd.name), qmd.name)
    body = _images(body, qmd.parent, results, qmd.name, results_ref)
    return front, body


def _front_for_pandoc(front: str) -> str:
    """Keep the plain metadata pandoc understands (title, subtitle, author, date, abstract)."""
    keep, current = [], None
    for line in front.splitlines():
        key = re.match(r"^([A-Za-z_-]+):", line)
        if key:
            current = key.group(1)
        if current in ("title", "subtitle", "author", "date", "abstract", "lang"):
            keep.append(line)
    return "\n".join(keep)


def render_document(
    qmd: Path,
    results: Path,
    out_dir: Path,
    *,
    formats: tuple[str, ...] = ("html", "docx"),
    results_ref: str = "../results",
) -> dict[str, Path]:
    """Render one .qmd into ``out_dir`` (which must exist); return format → path."""
    front, body = preprocess(qmd, results, results_ref)
    stem = Path(qmd).stem
    md = out_dir / f".{stem}.md"
    md.write_text(f"---\n{_front_for_pandoc(front)}\n---\n\n{body}", encoding="utf-8")
    from importlib import resources

    templates = Path(str(resources.files("cetrus") / "templates"))
    css = Path(qmd).parent / "style.css"  # the study's own style, else the package's
    if not css.is_file():
        css = templates / "style.css"
    page_css = templates / "page.css"  # pandoc's page; Quarto lays out its own
    reference_docx = Path(qmd).parent / "reference.docx"  # the study's Word styles, else ours
    if not reference_docx.is_file():
        reference_docx = templates / "reference.docx"
    paths = {}
    for fmt in formats:
        target = out_dir / f"{stem}.{fmt}"
        cmd = [
            _pandoc(),
            str(md),
            "--from",
            "markdown+pipe_tables+fenced_divs+link_attributes",
            "--standalone",
            "--toc",
            "--toc-depth=2",
            "--number-sections",
            "-o",
            str(target),
            "--resource-path",
            f"{results}:{Path(qmd).parent}",
        ]
        if fmt == "docx":
            cmd += ["--reference-doc", str(reference_docx)]
        if fmt == "html":
            cmd += ["--self-contained", "--metadata", f"pagetitle={stem}"]
            cmd += ["--css", str(page_css)]
            if css.is_file():
                cmd += ["--css", str(css)]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=_pandoc_env())
        if proc.returncode != 0:
            msg = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
            raise RenderError(f"pandoc failed on {qmd.name} → {fmt}: {msg}")
        paths[fmt] = target
    md.unlink()
    return paths


def render_all(
    config, *, results: str | Path | None = None, out: str | Path | None = None
) -> dict[str, Path]:
    """Render the study's manuscript (HTML + DOCX) and validation report (HTML) atomically,
    and, when the study names a ``[published] file``, that paper's audit
    (:func:`cetrus.audit.run_audit`: ``audit/audit.html``, which the appendix links to).

    ``config`` is the study (its ``[report]`` sources and output folder, its results
    folder); ``results``/``out`` override those folders. The validation report is an
    audit table of every parity check (thousands of rows): HTML keeps it searchable,
    while a Word table of that size takes pandoc minutes and serves no reader.
    """
    import os

    results = Path(results) if results is not None else config.results_dir
    out = Path(out) if out is not None else config.render_dir
    if not (results / "results.json").is_file():
        raise InputError(
            f"no results in {results}: run `cetrus analyze --config {config.path.name}` first"
        )
    paths = {}
    with atomic_directory(out) as tmp:
        for name, qmd, formats in (
            ("manuscript", config.manuscript, ("html", "docx")),
            ("validation", config.validation_source, ("html",)),
        ):
            ref = Path(os.path.relpath(config.results_dir, qmd.parent)).as_posix()
            for fmt, p in render_document(
                qmd, results, tmp, formats=formats, results_ref=ref
            ).items():
                paths[f"{name}_{fmt}"] = out / p.name
        if config.published is not None:  # the published tables, checked against themselves
            from cetrus.audit import REPORT_HTML, run_audit

            run_audit(config.published, tmp / "audit")
            paths["audit_html"] = out / "audit" / REPORT_HTML
    return paths
