"""`cetrus render`: includes, meta values and cross-references resolved; every table and
figure in the HTML; failures leave the output folder untouched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cetrus.report import render as R
from cetrus.study.config import load_config
from cetrus.study.pipeline import analyze
from tests.study.conftest import write_tiny_study

#: the replica study's manuscript (the paper's own wording), rendered here on a tiny study
#: with the paper's modality names
REPORTS_DIR = Path(__file__).resolve().parents[2] / "reports"


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    folder = tmp_path_factory.mktemp("study")
    config = write_tiny_study(folder, spread=True)
    text = config.read_text().replace("synthetic = false", "synthetic = true")
    text += (
        f'\n[report]\nmanuscript = "{REPORTS_DIR}/manuscript.qmd"\n'
        f'validation = "{REPORTS_DIR}/validation.qmd"\noutput = "_output"\n'
    )
    config.write_text(text)
    config = load_config(config)
    analyze(config, config.results_dir)
    return config


@pytest.fixture(scope="module")
def results(study):
    return study.results_dir


def _ref(study) -> str:
    import os

    return os.path.relpath(study.results_dir, REPORTS_DIR)


def test_preprocess_resolves_everything(study, results):
    front, body = R.preprocess(REPORTS_DIR / "manuscript.qmd", results, _ref(study))
    assert "{{<" not in body and "{{<" not in front
    assert not re.search(r"@(tbl|fig)-", body)
    assert "Table 1: Baseline characteristics" in body
    # the paper's four tables keep their numbers
    for k, words in enumerate(
        [
            "Baseline characteristics",
            "logistic regression of the clinical",
            "deep learning radiomics models",
            "clinical, best radiomics",
        ],
        1,
    ):
        assert f"Table {k}: " in body and words in body.split(f"Table {k}: ", 1)[1][:80]


@pytest.mark.slow
def test_rendered_html_contains_every_table_and_figure(study, tmp_path):
    paths = R.render_all(study, out=tmp_path / "_output")
    html = paths["manuscript_html"].read_text()
    qmd = (REPORTS_DIR / "manuscript.qmd").read_text()
    n_tables = len(re.findall(r"\{#tbl-", qmd))
    n_figures = len(re.findall(r"\{#fig-", qmd))
    assert n_tables >= 4 and n_figures >= 3
    for k in range(1, n_tables + 1):
        assert f"Table {k}: " in html, k
    assert html.count("<table") >= n_tables
    for k in range(1, n_figures + 1):
        assert f"Figure {k}: " in html, k
    assert html.count('src="data:image/png;base64,') >= n_figures  # embedded, self-contained
    assert "SYNTHETIC DATA" in html
    assert paths["manuscript_docx"].stat().st_size > 10_000
    assert "Not validated yet" in paths["validation_html"].read_text()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_unknown_meta_key_is_named(results, tmp_path):
    qmd = tmp_path / "x.qmd"
    qmd.write_text("AUC {{< meta res.no_such_value >}}\n")
    with pytest.raises(R.RenderError, match=r"no value 'res\.no_such_value'"):
        R.preprocess(qmd, results)


def test_undefined_reference_is_named(results, tmp_path):
    qmd = tmp_path / "x.qmd"
    qmd.write_text("See @tbl-nowhere.\n")
    with pytest.raises(R.RenderError, match="@tbl-nowhere"):
        R.preprocess(qmd, results)


def test_crossrefs_numbered_in_order(results, tmp_path):
    qmd = tmp_path / "x.qmd"
    qmd.write_text(
        "See @tbl-b then @fig-a.\n\n| a |\n|---|\n| 1 |\n\n: First {#tbl-a}\n\n"
        "| b |\n|---|\n| 2 |\n\n: Second {#tbl-b}\n\n"
        "![Plot](../results/figures/roc_test.png){#fig-a}\n"
    )
    _, body = R.preprocess(qmd, results)
    assert "See Table 2 then [Figure 1](#fig-a)." in body
    assert ": Table 1: First" in body and ": Table 2: Second" in body
    assert "![Figure 1: Plot](" in body


def test_failed_render_leaves_output_untouched(study, tmp_path, monkeypatch):
    out = tmp_path / "_output"
    out.mkdir()
    (out / "manuscript.html").write_text("previous")
    monkeypatch.setattr(R, "_pandoc", lambda: "/bin/false")
    with pytest.raises(R.RenderError, match="pandoc failed"):
        R.render_all(study, out=out)
    assert (out / "manuscript.html").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_output"]


def test_render_without_results(study, tmp_path):
    from cetrus.errors import InputError

    with pytest.raises(InputError, match="cetrus analyze"):
        R.render_all(study, results=tmp_path / "none", out=tmp_path / "_output")


def test_cli_render_without_results_is_one_line(study, tmp_path, capsys):
    from cetrus.cli import main

    assert (
        main(
            [
                "render",
                "--config",
                str(study.path),
                "--results",
                str(tmp_path / "none"),
                "--out",
                str(tmp_path / "o"),
            ]
        )
        == 2
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cetrus analyze" in err[0]
    assert not (tmp_path / "o").exists()
