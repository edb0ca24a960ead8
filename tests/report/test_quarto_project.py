"""The Quarto projects (the replica's at the repository root, the one `cetrus init` writes)
are laid out so that `quarto render` works on a fresh clone and lands where `cetrus render`
does.

Quarto cannot be installed on these machines, so these tests check the project files
against the behaviour observed with a real Quarto 1.10.18 build (../shared/DESIGN.md,
"Quarto"): its own ``{{< include >}}`` is resolved before ``pre-render`` runs (so the
sources use the project's extension shortcode, which runs at render time); a ``default``
project renders every file of ``project.render`` into ``output-dir``/<source folder>; and
Quarto rewrites a ``.gitignore`` that lacks ``/.quarto/``. The extension's Lua runs here
under pandoc's own Lua engine, with the two Quarto functions it calls supplied by a
small harness (``quarto.doc.input_file`` and ``quarto.utils.string_to_blocks`` →
``pandoc.read``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from cetrus.cli import main
from cetrus.study.config import load_config

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "pkg" / "cetrus" / "templates"
LUA = TEMPLATES / "_extensions" / "cetrus" / "cetrus.lua"


@pytest.fixture(scope="module")
def init_study(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("init") / "study"
    assert main(["init", str(folder)]) == 0
    return folder


def _projects(init_study):
    return [(ROOT, ROOT / "study.toml"), (init_study, init_study / "study.toml")]


def test_sources_never_use_quartos_own_include(init_study):
    """Quarto resolves {{< include >}} before pre-render: on a fresh clone it fails."""
    for project, _ in _projects(init_study):
        spec = yaml.safe_load((project / "_quarto.yml").read_text())
        for source in spec["project"]["render"]:
            text = (project / source).read_text()
            assert not re.search(r"\{\{<\s*include\s", text), f"{source} uses Quarto's include"
            assert "{{< cetrus include" in text


def test_project_renders_both_documents_where_cetrus_render_writes(init_study):
    for project, toml in _projects(init_study):
        spec = yaml.safe_load((project / "_quarto.yml").read_text())
        config = load_config(toml)
        proj = spec["project"]
        assert proj["type"] == "default"  # a manuscript project renders its article only
        sources = [project / s for s in proj["render"]]
        assert [p.resolve() for p in sources] == [
            config.manuscript.resolve(),
            config.validation_source.resolve(),
        ]
        # Quarto: <output-dir>/<the source's folder, relative to the project>/<stem>.html
        out = project / proj["output-dir"]
        for src in sources:
            quarto_dir = (out / src.parent.relative_to(project)).resolve()
            assert quarto_dir == config.render_dir.resolve(), (project, src)
        assert proj["pre-render"].split() == ["cetrus", "prepare", "--config", toml.name]
        values = (project / spec["metadata-files"][0]).resolve()
        assert values == (config.results_dir / "values.yml").resolve()
        css = spec["format"]["html"]["css"]
        assert (project / css).is_file() and "page.css" not in css


def test_the_extension_is_where_quarto_looks(init_study):
    """Quarto finds extensions in the project's own _extensions/ folder; the repository's
    copy (real files, not a link: a Windows checkout turns links into text files) must
    equal the one `cetrus init` ships."""
    for project, _ in _projects(init_study):
        assert not (project / "_extensions").is_symlink()
        ext = project / "_extensions" / "cetrus"
        spec = yaml.safe_load((ext / "_extension.yml").read_text())
        assert spec["contributes"]["shortcodes"] == ["cetrus.lua"]
        assert (ext / "cetrus.lua").read_bytes() == LUA.read_bytes()


def test_gitignore_already_holds_what_quarto_would_append(init_study):
    for path in (ROOT / ".gitignore", init_study / ".gitignore"):
        lines = [line.strip() for line in path.read_text().splitlines()]
        assert "/.quarto/" in lines, path


def test_shared_style_leaves_quartos_page_alone():
    """A body width in the CSS Quarto loads squeezed its main column to ~515 px."""
    style = (TEMPLATES / "style.css").read_text()
    assert not re.search(r"(^|\})\s*body\s*\{", style)
    assert "max-width: 60em" in (TEMPLATES / "page.css").read_text()


# --------------------------------------------------------------------- the Lua shortcode

_HARNESS = """
local doc_path = os.getenv("CETRUS_TEST_DOC")
quarto = {
  doc = { input_file = doc_path },
  utils = { string_to_blocks = function(text) return pandoc.read(text, "markdown").blocks end },
}
local shortcodes = dofile(os.getenv("CETRUS_TEST_LUA"))

function Para(el)
  local text = pandoc.utils.stringify(el)
  local verb, target = text:match("^SHORTCODE (%S+) (%S+)$")
  if verb then
    return shortcodes["cetrus"]({ verb, target }, {}, {})
  end
end
"""


def _run_lua(tmp_path: Path, body: str):
    pandoc = shutil.which("pandoc")
    if pandoc is None:  # part of `make setup`: under CI its absence fails
        if os.environ.get("CI"):
            pytest.fail("pandoc is not installed (CI)")
        pytest.skip("pandoc is not installed")
    doc = tmp_path / "reports" / "manuscript.md"
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(body)
    harness = tmp_path / "harness.lua"
    harness.write_text(_HARNESS)
    env = dict(os.environ, CETRUS_TEST_DOC=str(doc), CETRUS_TEST_LUA=str(LUA))
    return subprocess.run(
        [pandoc, str(doc), "--lua-filter", str(harness), "-t", "html"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )


def test_lua_include_reads_the_file_relative_to_the_document(tmp_path):
    tables = tmp_path / "results" / "tables"
    tables.mkdir(parents=True)
    (tables / "t.md").write_text("| A | B |\n|---|---|\n| 1 | 2 |\n")
    proc = _run_lua(tmp_path, "Before.\n\nSHORTCODE include ../results/tables/t.md\n\nAfter.\n")
    assert proc.returncode == 0, proc.stderr
    assert "<table>" in proc.stdout and "<td>2</td>" in proc.stdout
    assert "SHORTCODE" not in proc.stdout


def test_lua_include_of_a_missing_file_fails_naming_it(tmp_path):
    proc = _run_lua(tmp_path, "SHORTCODE include ../results/include/none.md\n")
    assert proc.returncode != 0
    assert "none.md" in proc.stderr and "cetrus prepare" in proc.stderr


def test_lua_unknown_verb_is_an_error(tmp_path):
    proc = _run_lua(tmp_path, "SHORTCODE value res.n\n")
    assert proc.returncode != 0 and "unknown shortcode" in proc.stderr
