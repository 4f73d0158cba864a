"""Your own pipeline in the command line: raw CRM exports with import profiles, every problem in one run,
templates, the default criteria, spreadsheets and encodings, weights files with did-you-mean."""
from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from mcda_qualify.cli import app
from mcda_qualify.criteria import criteria_from_dict, default_criteria_path
from mcda_qualify.portfolio import load_portfolio

from testkit import ten_problem_export

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "case_studies" / "telecom_b2b"
EXPORTS = CASE / "exports"
SMALL = {"name": "small", "criteria": [
    {"id": "deal_size", "name": "Deal size", "direction": "benefit", "unit": "kEUR", "bounds": [0, 1000]},
    {"id": "risk", "name": "Risk", "direction": "cost", "scale": {1: "low", 2: "medium", 3: "high"}},
    {"id": "effort", "name": "Effort", "direction": "cost", "unit": "days", "bounds": [0, 400]},
]}


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def _lines(stderr: str, prefix: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith(prefix)]


def _ranking(stdout: str) -> list[tuple]:
    data = json.loads(stdout)
    return [(o["id"], o["rank"], o["score"], o["status"], tuple(o["reasons"])) for o in data["opportunities"]]


@pytest.mark.parametrize("export, profile", [("salesforce_pipeline.csv", "salesforce.profile.yaml"),
                                             ("dynamics_pipeline.xlsx", "dynamics.profile.yaml")])
@pytest.mark.parametrize("command", ["rank", "qualify"])
def test_bundled_exports_give_the_clean_tables_ranking_in_one_run(command, export, profile):
    ref = invoke(command, CASE / "opportunities.csv", "-f", "json")
    got = invoke(command, EXPORTS / export, "--mapping", EXPORTS / profile, "-f", "json")
    assert ref.exit_code == 0 and got.exit_code == 0, got.stderr
    assert _ranking(got.stdout) == _ranking(ref.stdout)
    assert json.loads(got.stdout)["weights"] == json.loads(ref.stdout)["weights"]
    assert _lines(got.stderr, "error:") == []


def test_dynamics_export_says_how_it_was_read():
    r = invoke("rank", EXPORTS / "dynamics_pipeline.xlsx", "--mapping", EXPORTS / "dynamics.profile.yaml")
    assert r.exit_code == 0, r.stderr
    # the profile names the sheet and the header row; the hidden metadata sheet is not read
    assert "OPP-03" in r.stdout.splitlines()[3]


def test_sensitivity_and_save_take_a_mapping(tmp_path):
    args = [EXPORTS / "salesforce_pipeline.csv", "--mapping", EXPORTS / "salesforce.profile.yaml"]
    ref = invoke("sensitivity", CASE / "opportunities.csv", "-f", "json")
    got = invoke("sensitivity", *args, "-f", "json")
    assert got.exit_code == 0, got.stderr
    a, b = json.loads(ref.stdout), json.loads(got.stdout)
    assert a["stability_intervals"] == b["stability_intervals"] and a["top"] == b["top"]
    db, ws = tmp_path / "d.sqlite", tmp_path / "ws.json"
    r = invoke("save", *args, "-d", "pipeline", "--db", db, "-o", ws)
    assert r.exit_code == 0, r.stderr
    from mcda_qualify.io.workspace import load_workspace

    p = load_workspace(ws).portfolio()
    assert p.ids == load_portfolio(CASE / "opportunities.csv", load_workspace(ws).criteria()).ids


def test_an_export_with_ten_problems_is_answered_with_all_ten_in_one_run(tmp_path):
    export = ten_problem_export(tmp_path / "bad.xlsx")
    crit = tmp_path / "small.yaml"
    crit.write_text(yaml.safe_dump(SMALL), encoding="utf-8")
    prof = tmp_path / "p.yaml"
    prof.write_text(yaml.safe_dump({
        "columns": {"Opp ID": "id", "Opp Nme": "name", "Amount": "deal_size", "Risk": "risk", "Effort": "effort",
                    "Margin": "value", "Probability (%)": "win_probability", "Bid cost": "pursuit_cost"},
        "values": {"risk": {"Med": "medium"}}, "units": {"win_probability": "percent"}}), encoding="utf-8")
    for command in ("rank", "import"):
        r = invoke(command, export, "-c", crit, "--mapping", prof)
        assert r.exit_code == 2 and "Traceback" not in r.stderr
        errors = _lines(r.stderr, "error: ")
        assert len(errors) == 10, r.stderr
        for needle in ("did you mean 'Opp Name'?", "ambiguous number: 8.500 could be 8500", "unknown label (did you mean 'medium'?)",
                       "duplicate id", "text in a number column", "missing id", "percent above 100", "#DIV/0!",
                       "outside the criterion's bounds", "formula (=1/0) with no saved value"):
            assert sum(needle in e for e in errors) == 1, needle


def test_a_clean_table_reports_every_problem_too(tmp_path):
    crit = tmp_path / "small.yaml"
    crit.write_text(yaml.safe_dump(SMALL), encoding="utf-8")
    bad = tmp_path / "t.csv"
    bad.write_text("id,deal_size,risk,effort\nA,10,lo,1\nA,x,high,2\n,5,medium,inf\n", encoding="utf-8")
    r = invoke("rank", bad, "-c", crit)
    errors = _lines(r.stderr, "error: ")
    assert r.exit_code == 2 and len(errors) == 5, r.stderr
    assert [e.split(": ", 2)[1].split(",")[1:] for e in errors][:2] == [[" row 2 (id A)", " column 'risk'"],
                                                                      [" row 3", " column 'id'"]]
    assert "did you mean 'low'?" in errors[0] and "empty id" in r.stderr and "not a finite number" in r.stderr


def test_a_german_semicolon_file_never_reads_8_500_as_8_5(tmp_path):
    crit = tmp_path / "small.yaml"
    crit.write_text(yaml.safe_dump(SMALL), encoding="utf-8")
    f = tmp_path / "de.csv"
    f.write_bytes("id;risk;deal_size;effort\nA;low;8.500;12\nB;high;300;7\n".encode("cp1252"))
    r = invoke("rank", f, "-c", crit)
    assert r.exit_code == 2
    (err,) = _lines(r.stderr, "error: ")
    assert "row 2 (id A), column 'deal_size'" in err and "could be 8500 (thousands '.') or 8.5 (decimal '.')" in err
    prof = tmp_path / "de.yaml"
    prof.write_text("numbers: {decimal: ',', thousands: '.'}\nunits: {deal_size: 0.1}\n", encoding="utf-8")
    r = invoke("rank", f, "-c", crit, "--mapping", prof, "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert [o["id"] for o in json.loads(r.stdout)["opportunities"]][0] == "A"


def test_cp1252_hidden_sheet_title_block_and_header_row_are_said(tmp_path):
    crit = tmp_path / "small.yaml"
    crit.write_text(yaml.safe_dump(SMALL), encoding="utf-8")
    f = tmp_path / "win.csv"
    f.write_bytes("id,name,deal_size,risk,effort\nA,Café Zürich €,500,low,10\nB,Beta,300,high,20\n".encode("cp1252"))
    r = invoke("rank", f, "-c", crit)
    assert r.exit_code == 0 and "Café Zürich €" in r.stdout
    assert _lines(r.stderr, "note: ") == [f"note: {f}: not UTF-8: read as cp1252 (Windows Excel's default)"]

    wb = openpyxl.Workbook()
    wb.active.title = "meta"
    wb.active.append(["id", "deal_size", "risk", "effort"])
    wb.active.append(["HIDDEN", 1, "low", 1])
    wb.active.sheet_state = "hidden"
    ws = wb.create_sheet("Pipeline")
    ws.append(["Pipeline export, Q3"])
    ws.append([])
    ws.append(["id", "deal_size", "risk", "effort"])
    ws.append(["A", 500, "low", 10])
    ws.append(["B", 300, "high", 20])
    x = tmp_path / "book.xlsx"
    wb.save(x)
    r = invoke("rank", x, "-c", crit, "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert [o["id"] for o in json.loads(r.stdout)["opportunities"]] == ["A", "B"]
    notes = "\n".join(_lines(r.stderr, "note: "))
    assert "hidden sheet not read: 'meta'" in notes and "title block above the header skipped" in notes
    r = invoke("rank", x, "-c", crit, "--header-row", "3", "-f", "json")
    assert r.exit_code == 0 and "title block" not in r.stderr
    r = invoke("rank", x, "-c", crit, "--header-row", "4")
    assert r.exit_code == 2 and "no 'id' column" in r.stderr


def test_import_writes_the_clean_table_atomically_and_never_over_an_input(tmp_path):
    out = tmp_path / "clean.csv"
    r = invoke("import", EXPORTS / "dynamics_pipeline.xlsx", "--mapping", EXPORTS / "dynamics.profile.yaml", "-o", out)
    assert r.exit_code == 0, r.stderr
    assert "read " in r.stderr and "sheet 'Vertriebschancen', header row 4, 14 rows" in r.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["clean.csv"]  # no temporary file left
    a = invoke("rank", out, "-f", "json")
    b = invoke("rank", CASE / "opportunities.csv", "-f", "json")
    assert _ranking(a.stdout) == _ranking(b.stdout)
    copy = tmp_path / "export.csv"
    copy.write_bytes((EXPORTS / "salesforce_pipeline.csv").read_bytes())
    r = invoke("import", copy, "--mapping", EXPORTS / "salesforce.profile.yaml", "-o", copy)
    assert r.exit_code == 2 and "would overwrite an input" in r.stderr
    assert copy.read_bytes() == (EXPORTS / "salesforce_pipeline.csv").read_bytes()
    r = invoke("import", EXPORTS / "salesforce_pipeline.csv", "--mapping", EXPORTS / "salesforce.profile.yaml")
    assert r.exit_code == 0 and r.stdout.splitlines()[0].startswith("id,name,risk,")


def test_import_suggest_writes_a_starting_profile(tmp_path):
    out = tmp_path / "p.yaml"
    r = invoke("import", EXPORTS / "salesforce_pipeline.csv", "--suggest", out)
    assert r.exit_code == 0, r.stderr
    prof = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert prof["columns"]["Opportunity ID"] == "id" and prof["units"] == {"win_probability": "percent"}
    assert "# Criteria with no column yet" in out.read_text(encoding="utf-8")


def test_a_raw_export_without_a_profile_points_to_one():
    r = invoke("rank", EXPORTS / "salesforce_pipeline.csv")
    assert r.exit_code == 2
    assert "this looks like a raw export" in r.stderr and "--suggest" in r.stderr
    assert len(_lines(r.stderr, "error: ")) == 2  # no id column, and the criteria: not one line per cell


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_template_command_and_a_filled_template_loads_without_mapping(suffix, tmp_path):
    out = tmp_path / f"pipeline{suffix}"
    r = invoke("template", "-o", out)
    assert r.exit_code == 0, r.stderr
    crit = criteria_from_dict(yaml.safe_load(default_criteria_path().read_text(encoding="utf-8")))
    if suffix == ".csv":
        header = out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
        assert header == ["id", "name", *crit.ids, "value", "win_probability", "pursuit_cost"]
        return
    wb = openpyxl.load_workbook(out)
    ws = wb["Opportunities"]
    header = [c.value for c in ws[1]]
    assert header[:2] == ["id", "name"] and header[2:2 + len(crit.ids)] == crit.ids
    lists = {}
    for dv in ws.data_validations.dataValidation:
        col = str(dv.sqref).split(":")[0].rstrip("0123456789")
        lists[header[openpyxl.utils.column_index_from_string(col) - 1]] = dv
    for c in crit.criteria:
        dv = lists[c.id]
        if c.scale is not None:  # a dropdown with exactly the scale's labels
            assert dv.type == "list"
            assert dv.formula1.strip('"').split(",") == [lv.label for _, lv in sorted(c.scale.items())]
        else:
            assert dv.type in ("decimal", "custom")
    # fill two rows with labels from the dropdowns and numbers, save, rank with no mapping
    for r_, pick in ((2, 0), (3, -1)):
        ws.cell(row=r_, column=1, value=f"N-{r_}")
        ws.cell(row=r_, column=2, value=f"Deal {r_}")
        for j, c in enumerate(crit.criteria, start=3):
            labels = [lv.label for _, lv in sorted(c.scale.items())] if c.scale else None
            ws.cell(row=r_, column=j, value=labels[pick] if labels else (c.bounds[0] if c.bounds and pick == 0 else 100 + r_))
        for j, v in enumerate((100, 0.5, 10), start=3 + len(crit.ids)):
            ws.cell(row=r_, column=j, value=v)
    wb.save(out)
    r = invoke("rank", out, "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert sorted(o["id"] for o in json.loads(r.stdout)["opportunities"]) == ["N-2", "N-3"]


def test_template_refuses_other_formats(tmp_path):
    r = invoke("template", "-o", tmp_path / "p.txt")
    assert r.exit_code == 2 and "unknown template format" in r.stderr


def test_criteria_default_to_the_bundled_file():
    a = invoke("rank", CASE / "opportunities.csv", "-f", "json")
    b = invoke("rank", CASE / "opportunities.csv", "-c", ROOT / "criteria" / "qualify_selling_opportunity.yaml", "-f", "json")
    assert a.exit_code == 0 and _ranking(a.stdout) == _ranking(b.stdout)
    # the copy shipped in the package (for a non-editable install) is the same file
    shipped = ROOT / "mcda_qualify" / "data" / "qualify_selling_opportunity.yaml"
    assert shipped.read_bytes() == (ROOT / "criteria" / "qualify_selling_opportunity.yaml").read_bytes()


def test_weights_file_did_you_mean_and_partial_file(tmp_path):
    w = tmp_path / "w.yaml"
    w.write_text("risc: 3\nsales_effort: 1\ndeal_size: 2\n", encoding="utf-8")
    r = invoke("rank", CASE / "opportunities.csv", "-w", w)
    assert r.exit_code == 2
    errors = _lines(r.stderr, "error: ")
    assert len(errors) == 2, r.stderr
    assert "column 'risc': weight for an unknown criterion (did you mean 'risk'?)" in errors[0]
    assert "no weight for criterion 'risk' (nor resources, financing, commitment" in errors[1]
    assert "missing: risk, resources, financing" in errors[1]


def test_app_command_checks_the_files_then_hands_them_over(tmp_path, monkeypatch):
    import subprocess

    seen = {}
    monkeypatch.setattr(subprocess, "call", lambda cmd, cwd=None, env=None: seen.update(cmd=cmd, env=env) or 0)
    r = invoke("app", "--opportunities", EXPORTS / "salesforce_pipeline.csv", "--mapping", EXPORTS / "salesforce.profile.yaml")
    assert r.exit_code == 0, r.stderr
    assert seen["env"]["MCDA_QUALIFY_MAPPING"] == str((EXPORTS / "salesforce.profile.yaml").resolve())
    assert seen["env"]["MCDA_QUALIFY_OPPORTUNITIES"].endswith("salesforce_pipeline.csv")
    seen.clear()
    r = invoke("app", "--opportunities", EXPORTS / "salesforce_pipeline.csv")
    assert r.exit_code == 2 and "raw export" in r.stderr and not seen  # refused before the app starts
    r = invoke("app", "--workspace", tmp_path / "nope.json", "--criteria", ROOT / "criteria" / "qualify_selling_opportunity.yaml")
    assert r.exit_code == 2 and "--workspace alone" in r.stderr
