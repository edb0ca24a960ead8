"""The TRIPOD+AI appendix never says "reported" for content the rendered manuscript lacks:
every location it gives is a table, figure or section of the rendered HTML, in the generic
manuscript (`cetrus init`) and in the replica's (the paper's wording)."""

from __future__ import annotations

import dataclasses
import html as htmllib
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from cetrus.report import render as R
from cetrus.report import tripod as TR
from cetrus.study.config import load_config
from cetrus.study.pipeline import analyze
from tests.study.conftest import write_tiny_study

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "pkg" / "cetrus" / "templates"
REPORTS = ROOT / "reports"


def _generic(folder: Path):
    path = write_tiny_study(folder, spread=True)
    for name in ("manuscript.qmd", "validation.qmd"):
        shutil.copy(TEMPLATES / name, folder / name)
    return load_config(path)


def _replica(folder: Path):
    path = write_tiny_study(folder, spread=True)
    text = path.read_text().replace("synthetic = false", "synthetic = true")
    text = text.replace("[models]\n", '[models]\nintegrated = "best_test"\n')
    text += (
        f'\n[report]\nmanuscript = "{REPORTS}/manuscript.qmd"\n'
        f'validation = "{REPORTS}/validation.qmd"\noutput = "_output"\n'
    )
    path.write_text(text)
    return load_config(path)


@pytest.fixture(scope="module", params=["generic", "replica"])
def rendered(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    config = (_generic if request.param == "generic" else _replica)(folder)
    results = analyze(config, config.results_dir)
    paths = R.render_all(config, out=folder / "_output")
    return request.param, config, results, paths["manuscript_html"].read_text()


def _tripod_rows(html: str) -> list[list[str]]:
    """The cells (inner HTML) of the TRIPOD table's body rows."""
    caption = re.search(
        r"TRIPOD\+AI checklist:\s+where\s+each\s+item\s+is\s+reported\s*"
        r"</caption>",
        html,
    ).start()
    table = html[html.rindex("<table", 0, caption) : html.index("</table>", caption)]
    body = table[table.index("<tbody>") :]
    return [
        re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_every_reported_location_exists_in_the_rendered_html(rendered):
    kind, config, results, html = rendered
    csv = pd.read_csv(
        config.results_dir / "tables" / "tripod.csv", dtype=str, keep_default_na=False
    )
    rows = _tripod_rows(html)
    assert len(rows) == len(csv) == len(TR.ITEMS) == 52
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    captions = set(re.findall(r"<caption>(Table \d+):", html))
    reported = 0
    for cells, (_, row) in zip(rows, csv.iterrows()):
        item = htmllib.unescape(re.sub(r"<[^>]+>", "", cells[0]))
        where = " ".join(cells[3].split())  # pandoc wraps long lines
        assert item == row["Item"]
        if row["Reported"] == "no":
            assert where == "not reported", item
            assert row["Anchors"] == ""
            continue
        reported += 1
        anchors = row["Anchors"].split()
        links = re.findall(r'href="#([^"]+)"', where)
        tables = re.findall(r"\bTable \d+\b", where)
        assert links or tables, item
        # every section/figure link of the cell lands on an element of the document ...
        for target in links:
            assert target in ids, (kind, item, target)
        # ... every table it names is a captioned table of the document ...
        for t in tables:
            assert t in captions, (kind, item, t)
        # ... and the cell shows each location the CSV lists (tables by number, the rest
        # as links)
        assert len(links) + len(tables) == len(anchors), (kind, item, where, anchors)
        assert [a for a in anchors if not a.startswith("tbl-")] == links
    assert reported == results["tripod"]["reported"] >= 8
    # the appendix itself is in the document, after the published-values appendix
    assert html.index("Appendix: TRIPOD+AI checklist") > html.index("<h1")


def test_tables_named_by_the_checklist_are_the_right_ones(rendered):
    """A table location is the float that holds the evidence: Table 1 (tbl-baseline)
    for participant characteristics; the performance table(s) for item 23a."""
    kind, config, results, html = rendered
    rows = {r["Item"]: r for r in results["tripod"]["rows"]}
    assert rows["20b"]["Anchors"] == "tbl-baseline"
    perf = {"generic": "tbl-performance", "replica": "tbl-radiomics"}[kind]
    assert rows["23a"]["Anchors"].split()[0] == perf
    assert "fig-roc" in rows["23a"]["Anchors"].split()
    # the tiny study has no sample-size result, no table by cohort, no full models
    for item in ("10", "20c", "22"):
        assert rows[item]["Reported"] == "no" and rows[item]["Note"], item


@pytest.mark.parametrize("rendered", ["generic"], indirect=True)  # the generic one
def test_generated_content_missing_from_the_manuscript_is_not_reported(rendered, tmp_path):
    """Drop the patients passage from a copy of the generic manuscript: the items it
    reported become "not reported" (the content exists in results, not in the document)."""
    kind, config, results, _ = rendered
    qmd = tmp_path / "manuscript.qmd"
    text = config.manuscript.read_text()
    assert "{{< cetrus include results/include/population.md >}}" in text
    qmd.write_text(text.replace("{{< cetrus include results/include/population.md >}}", ""))
    other = dataclasses.replace(
        config, report=dataclasses.replace(config.report, manuscript=str(qmd))
    )
    before = {r["item"]: r for r in TR.checklist(results, config, config.results_dir)[0]}
    after = {r["item"]: r for r in TR.checklist(results, other, config.results_dir)[0]}
    assert before["11"]["reported"] and before["20a"]["reported"]
    for item in ("11", "16"):
        assert not after[item]["reported"], item
        assert after[item]["note"] == "generated, but not in this manuscript"
    # 20a and 12a still have a quoted value elsewhere (the abstract's patient counts)
    assert [loc.label for loc in after["20a"]["locations"]] == ["Abstract"]


@pytest.mark.parametrize("rendered", ["generic"], indirect=True)  # the generic one
def test_a_future_result_is_reported_once_written_and_included(rendered, tmp_path):
    """results["sample_size"] + its passage, included by the manuscript → item 10 reported
    at that section; the result alone, or the passage alone, is not enough."""
    kind, config, results, _ = rendered
    folder = tmp_path / "results"
    shutil.copytree(config.results_dir, folder)
    (folder / "include" / "sample_size.md").write_text("The minimum sample size was 120.\n")
    qmd = tmp_path / "manuscript.qmd"
    qmd.write_text(
        config.manuscript.read_text().replace(
            "## Models\n",
            "## Sample size\n\n{{< cetrus include results/include/sample_size.md >}}"
            "\n\n## Models\n",
        )
    )
    other = dataclasses.replace(
        config, report=dataclasses.replace(config.report, manuscript=str(qmd))
    )

    def item10(res, cfg):
        return {r["item"]: r for r in TR.checklist(res, cfg, folder)[0]}["10"]

    assert not item10(results, other)["reported"]  # no result
    with_result = {**results, "sample_size": {"n_min": 120}}
    assert not item10(with_result, config)["reported"]  # not in the manuscript
    row = item10(with_result, other)
    assert row["reported"] and [(loc.kind, loc.ident) for loc in row["locations"]] == [
        ("section", "sample-size")
    ]


def test_no_manuscript_source_reports_nothing(tmp_path):
    config = load_config(write_tiny_study(tmp_path))
    assert not config.manuscript.exists()
    res = analyze(config, tmp_path / "results")
    assert res["tripod"]["reported"] == 0 and res["tripod"]["not_located"]
    text = (tmp_path / "results" / "include" / "tripod.md").read_text()
    assert "0 of the 52 items" in text and "no item could be located" in text


@pytest.mark.parametrize(
    "title, ident",
    [
        ("Materials and methods", "materials-and-methods"),
        (
            "Nomogram and calibration of the final model",
            "nomogram-and-calibration-of-the-final-model",
        ),
        ("Appendix: published and regenerated values", "appendix-published-and-regenerated-values"),
        ("2.1 Patients’ *data*", "patients-data"),
    ],
)
def test_heading_id_is_pandocs(title, ident, tmp_path):
    assert TR.heading_id(title) == ident
    md = tmp_path / "h.md"
    md.write_text(f"# {title}\n")
    out = R.subprocess.run(
        [R._pandoc(), str(md), "-t", "html"], capture_output=True, text=True, check=True
    ).stdout
    assert f'id="{ident}"' in out
