"""Write pkg/cetrus/templates/reference.docx: the DOCX styles of every cetrus manuscript.

Starts from pandoc's own reference document (``pandoc --print-default-data-file
reference.docx``) and changes its styles only, to what journals' Word templates look
like: body text in Times New Roman 11 pt, black sans-serif headings, tables in 9 pt with
rules above and below the table and under the header row (a "three-line" table), no
theme colours. The zip is written with fixed dates and sorted entries, so the file is the
same bytes on every run. `cetrus render` passes it to pandoc (--reference-doc) and
_quarto.yml to Quarto (format: docx: reference-doc).

    python scripts/make_reference_docx.py [OUT]
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "pkg" / "cetrus" / "templates" / "reference.docx"
SERIF = 'w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"'
SANS = 'w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"'
RULE = 'w:val="single" w:sz="8" w:space="0" w:color="000000"'


def _style(xml: str, style_id: str, edit) -> str:
    pattern = re.compile(rf'(<w:style [^>]*w:styleId="{re.escape(style_id)}".*?</w:style>)', re.S)
    match = pattern.search(xml)
    if match is None:
        raise SystemExit(f"pandoc's reference.docx has no style {style_id!r}")
    return xml[: match.start()] + edit(match.group(1)) + xml[match.end() :]


def _heading(block: str) -> str:
    block = re.sub(r"<w:rFonts [^>]*/>", f"<w:rFonts {SANS} />", block)
    return re.sub(r"<w:color [^>]*/>", '<w:color w:val="000000" />', block)


def _table(block: str) -> str:
    borders = f"<w:tblBorders><w:top {RULE} /><w:bottom {RULE} /></w:tblBorders>"
    block = block.replace("<w:tblPr>", "<w:tblPr>" + borders, 1)
    block = block.replace(
        "</w:tblPr>", '</w:tblPr><w:rPr><w:sz w:val="18" /><w:szCs w:val="18" /></w:rPr>', 1
    )
    header_rule = (
        '<w:tcBorders><w:bottom w:val="single" w:sz="4" w:space="0" '
        'w:color="000000" /></w:tcBorders>'
    )
    return re.sub(
        r"(<w:tblStylePr w:type=\"firstRow\">.*?<w:tcPr>)",
        r"\1" + header_rule,
        block,
        count=1,
        flags=re.S,
    )


def styles(xml: str) -> str:
    xml = re.sub(r"(<w:rPrDefault>\s*<w:rPr>\s*)<w:rFonts [^>]*/>", rf"\1<w:rFonts {SERIF} />", xml)
    xml = re.sub(
        r'(<w:rPrDefault>.*?)<w:sz w:val="24" />\s*<w:szCs w:val="24" />',
        r'\1<w:sz w:val="22" /><w:szCs w:val="22" />',
        xml,
        count=1,
        flags=re.S,
    )
    for sid in ("Title", "Subtitle", "Heading1", "Heading2", "Heading3", "Heading4", "TOCHeading"):
        xml = _style(xml, sid, _heading)
    return _style(xml, "Table", _table)


def build() -> bytes:
    default = subprocess.run(
        ["pandoc", "--print-default-data-file", "reference.docx"], check=True, capture_output=True
    ).stdout
    out = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(default)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for name in sorted(src.namelist()):
            data = src.read(name)
            if name == "word/styles.xml":
                data = styles(data.decode("utf-8")).encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)
    return out.getvalue()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    target.write_bytes(build())
    print(f"wrote {target}")
