"""A study's own words (title, labels, levels) are data: rendered as text in the HTML and
DOCX, never as markup, shortcodes or local resources."""

from __future__ import annotations

import base64
import re
import subprocess

import pytest

from cetrus.cli import main
from tests.study.second_study import make_second_study

SECRET = "SECRET-7f3a9c-not-for-the-manuscript"


@pytest.mark.slow
def test_script_image_and_shortcode_labels_stay_text(tmp_path):
    study = tmp_path / "study"
    assert main(["init", str(study)]) == 0
    config = make_second_study(study, n_patients=60, images=False)
    secret = tmp_path / "secret.md"
    secret.write_text(SECRET + "\n")
    png = tmp_path / "secret.png"
    from PIL import Image

    Image.new("RGB", (3, 3), (12, 34, 56)).save(png)
    title = f'Evil <script>alert("title")</script> {{{{< include {secret} >}}}}'
    label = f'<img src="{png}" onerror="alert(1)">Size'
    level = "<b>G3</b>"
    text = config.read_text()
    text = re.sub(r'(?m)^title = ".*"$', f"title = '{title} (SYNTHETIC)'", text, count=1)
    text = text.replace('label = "Tumour size"', f"label = '{label}'")
    text = text.replace('levels = ["G1", "G2", "G3"]', f'levels = ["G1", "G2", "{level}"]')
    # the study's own Quarto extension shortcode, in the case label
    text = text.replace(
        'case_label = "Relapse group"',
        f"case_label = 'Relapse {{{{< cetrus include {secret} >}}}} group'",
    )
    text = text.replace("spread = true", "spread = false")
    config.write_text(text)
    clinical = study / "clinical.csv"
    clinical.write_text(clinical.read_text().replace(",G3,", f",{level},"))
    assert main(["paper", "--config", str(config), "--no-validate"]) == 0
    html = " ".join((study / "_output" / "manuscript.html").read_text().split())
    # nothing acts: no script or img element from the study's words, no file pulled in
    assert "<script>alert" not in html and 'onerror="alert' not in html
    assert "<b>G3</b>" not in html
    assert SECRET not in html
    assert base64.b64encode(png.read_bytes()).decode()[:40] not in html
    # ... and the words are all there, as text
    assert "&lt;script&gt;alert" in html and "&lt;b&gt;G3&lt;/b&gt;" in html
    assert "&lt;img src=" in html and f"include {secret}" in html
    assert f"cetrus include {secret}" in html
    # the same words as text in the Markdown Quarto reads: no shortcode can form
    values = (study / "results" / "values.yml").read_text()
    includes = " ".join(p.read_text() for p in (study / "results" / "include").glob("*.md"))
    tables = " ".join(p.read_text() for p in (study / "results" / "tables").glob("*.md"))
    for md in (values, includes, tables):
        assert "{{<" not in md
        assert not re.search(r"(?<!\\)<(script|img|b>)", md)  # every < backslash-escaped
    assert r"\\<script\\>" in values  # (JSON doubles Markdown's backslash)
    from cetrus.report.render import _pandoc

    plain = subprocess.run(
        [_pandoc(), "-t", "plain", "--wrap=none", str(study / "_output" / "manuscript.docx")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "<b>G3</b>" in plain and 'onerror="alert(1)">Size' in plain  # words, printed
    assert SECRET not in plain
    import zipfile

    with zipfile.ZipFile(study / "_output" / "manuscript.docx") as z:
        core = z.read("docProps/core.xml").decode()
    assert "Evil &lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in core
