"""The HTML report (self-contained, reproducible) and the Excel twin (formulas made inert)."""
from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from mcda_qualify import __version__
from mcda_qualify.cli import app
from mcda_qualify.report import excel_report, html_report
from mcda_qualify.io.workspace import Workspace, workspace_from

runner = CliRunner()
EVIL = '=HYPERLINK("http://example.invalid","click")'


@pytest.fixture()
def ws(tk, criteria):
    frame = pd.read_csv(tk.CASE, dtype=str, keep_default_na=False)
    frame.loc[0, "name"] = EVIL
    frame.loc[1, "name"] = "<script>alert(1)</script>"
    data = workspace_from(tk.CRITERIA_FILE, frame, judgments=None,
                          settings={"method": "topsis", "normalization": "vector"})
    return Workspace.from_dict(data)


def test_html_is_self_contained_and_complete(ws):
    text = html_report(ws, smaa_samples=500, seed=3)
    assert not re.search(r"<script[^>]+src=", text), "no external scripts: the report works offline"
    assert ws.inputs_hash() in text and __version__ in text
    for oid in ws.ids:
        assert oid in text
    assert "Not qualified" in text and "fails gate solution_availability" in text
    assert "Rank acceptability" in text and "stability" in text.lower()
    assert "<script>alert(1)</script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_same_workspace_same_tables(ws):
    a = html_report(ws, smaa_samples=500, seed=3)
    b = html_report(ws, smaa_samples=500, seed=3)
    strip = lambda s: re.sub(r"generated [^&]*", "", re.sub(r'id="[0-9a-f-]{36}"|"[0-9a-f-]{36}"', "", s))
    assert strip(a) == strip(b)


def test_excel_report_neutralises_formulas(ws, tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(excel_report(ws, smaa_samples=500))
    book = openpyxl.load_workbook(path)
    assert {"ranking", "weights", "opportunities", "stability", "smaa"} <= set(book.sheetnames)
    cells = [c.value for row in book["opportunities"].iter_rows() for c in row]
    assert "'" + EVIL in cells and EVIL not in cells
    assert all(not (isinstance(c, str) and c.startswith("=")) for sheet in book for row in sheet.iter_rows()
               for c in (x.value for x in row))


def test_cli_report(tmp_path, ws, tk):
    src = tmp_path / "ws.json"
    src.write_text(ws.to_json(), encoding="utf-8")
    res = runner.invoke(app, ["report", str(src), "-o", str(tmp_path / "r.html"), "--smaa", "500"])
    assert res.exit_code == 0, res.output
    assert "OPP-03" in (tmp_path / "r.html").read_text(encoding="utf-8")
    bad = tk.run_cli("report", src, "-o", tmp_path / "r.pdf")
    tk.assert_clean_error(bad.returncode, bad.stderr, ".pdf")
    missing = tk.run_cli("report", tmp_path / "nope.json", "-o", tmp_path / "r.html")
    tk.assert_clean_error(missing.returncode, missing.stderr, "nope.json")
