"""The command line: formats, options, and bad input (exit 2, one line on stderr, no traceback)."""
from __future__ import annotations

import csv
import io
import json
from importlib.metadata import version

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from mcda_qualify.cli import app
from mcda_qualify.io.export import neutralise, to_csv_text
from mcda_qualify.weights import resolve_weights

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture()
def case_args(tk):
    return [tk.CASE, "--criteria", tk.CRITERIA_FILE]


def _small_file(tmp_path, tk, rows=None, header=None, name="opps.csv", extra=None):
    header = header or tk.SMALL_HEADER
    rows = rows if rows is not None else tk.small_rows()
    if extra:
        header = [*header, *extra[0]]
        rows = [[*r, *e] for r, e in zip(rows, extra[1])]
    p = tmp_path / name
    p.write_text(tk.csv_text(header, rows), encoding="utf-8")
    return p


# ------------------------------------------------------------------------------------------------
# formats and options
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["rank", "qualify"])
def test_table_output(command, case_args, case_rows):
    r = invoke(command, *case_args)
    assert r.exit_code == 0, r.stderr
    out = r.stdout
    assert out.splitlines()[0].startswith("Qualify Selling Opportunity (eTOM 1.1.9.1): TOPSIS, vector normalisation")
    for row in case_rows:
        assert row["id"] in out
    assert r.stderr == ""
    if command == "qualify":
        assert "      - fails gate solution_availability: not available" in out  # reasons listed
    else:
        assert "fails gate" not in out


@pytest.mark.parametrize("command", ["rank", "qualify"])
def test_json_output_shape(command, case_args, criteria, case_rows):
    r = invoke(command, *case_args, "--format", "json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert {"method", "normalization", "weights", "opportunities"} <= set(data)
    assert data["method"] == "topsis" and data["normalization"] == "vector"
    assert list(data["weights"]) == criteria.ids
    assert list(data["weights"].values()) == pytest.approx(resolve_weights(criteria).tolist())
    opps = data["opportunities"]
    assert sorted(o["id"] for o in opps) == sorted(r["id"] for r in case_rows)
    for o in opps:
        assert {"id", "name", "score", "rank", "status", "reasons"} <= set(o)
        assert isinstance(o["score"], float) and isinstance(o["rank"], int)
        assert o["status"] in ("Qualified", "Conditional", "Not qualified")
        assert isinstance(o["reasons"], list) and o["reasons"]
    assert [o["rank"] for o in opps] == sorted(o["rank"] for o in opps)  # best first
    assert "filled" not in data


@pytest.mark.parametrize("command", ["rank", "qualify"])
def test_csv_output(command, case_args, case_rows):
    r = invoke(command, *case_args, "-f", "csv")
    assert r.exit_code == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == len(case_rows)
    assert {"id", "name", "score", "rank", "status", "reasons"} <= set(rows[0])
    assert all(0 <= float(x["score"]) <= 1 for x in rows)


@pytest.mark.parametrize("suffix, kind", [(".json", "json"), (".csv", "csv"), (".txt", "table"), (".JSON", "json")])
def test_output_file_format_from_extension(suffix, kind, case_args, tmp_path):
    out = tmp_path / f"result{suffix}"
    r = invoke("qualify", *case_args, "-o", out)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    assert r.stderr.strip() == f"wrote {out}"
    text = out.read_text(encoding="utf-8")
    if kind == "json":
        assert json.loads(text)["method"] == "topsis"
    elif kind == "csv":
        assert next(csv.reader(io.StringIO(text)))[:4] == ["id", "name", "score", "rank"]
    else:
        assert text.startswith("Qualify Selling Opportunity")


def test_explicit_format_beats_the_extension(case_args, tmp_path):
    out = tmp_path / "result.json"
    assert invoke("rank", *case_args, "-o", out, "-f", "csv").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("id,name,score,rank")


def test_weights_file(case_args, tmp_path, criteria):
    raw = {cid: (3 if cid == "deal_size" else 1) for cid in criteria.ids}
    wf = tmp_path / "weights.yaml"
    wf.write_text(yaml.safe_dump(raw), encoding="utf-8")
    data = json.loads(invoke("rank", *case_args, "--weights", wf, "-f", "json").stdout)
    total = sum(raw.values())
    assert data["weights"] == pytest.approx({k: v / total for k, v in raw.items()})
    default = json.loads(invoke("rank", *case_args, "-f", "json").stdout)
    assert [o["score"] for o in data["opportunities"]] != [o["score"] for o in default["opportunities"]]


def test_exclude(case_args, criteria):
    r = invoke("qualify", *case_args, "--exclude", "risk", "-x", "deal_size", "-f", "json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["excluded"] == ["risk", "deal_size"]
    assert list(data["weights"]) == [c for c in criteria.ids if c not in ("risk", "deal_size")]
    assert sum(data["weights"].values()) == pytest.approx(1.0)
    # gates still apply to excluded criteria: OPP-08's risk is 'very high'
    opp08 = next(o for o in data["opportunities"] if o["id"] == "OPP-08")
    assert "fails gate risk: very high (needs at most high)" in opp08["reasons"]
    table = invoke("rank", *case_args, "-x", "risk").stdout
    assert "excluded from the ranking: risk" in table


def test_method_vikor(case_args, tmp_path):
    r = invoke("rank", *case_args, "--method", "vikor", "-f", "json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["method"] == "vikor" and data["better"] == "lower" and data["normalization"] is None
    scores = [o["score"] for o in data["opportunities"]]
    assert scores == sorted(scores)  # best (lowest) first
    assert "status" not in data["opportunities"][0]
    assert "VIKOR, lower score is better" in invoke("rank", *case_args, "-m", "vikor").stdout
    r = invoke("qualify", *case_args, "-m", "vikor", "--qualified", "0.3", "--conditional", "0.6", "-f", "json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["thresholds"] == {"qualified": 0.3, "conditional": 0.6}
    for o in data["opportunities"]:
        if o["status"] == "Qualified":
            assert o["score"] <= 0.3


def test_minmax_normalisation(case_args):
    data = json.loads(invoke("rank", *case_args, "-n", "minmax", "-f", "json").stdout)
    assert data["normalization"] == "minmax"


def test_version_and_help():
    r = invoke("--version")
    assert r.exit_code == 0 and r.stdout.strip() == f"mcda-qualify {version('mcda-qualify')}"
    r = invoke("--help")
    assert r.exit_code == 0 and "rank" in r.stdout and "qualify" in r.stdout
    for command in ("rank", "qualify"):
        r = invoke(command, "--help")
        assert r.exit_code == 0
        assert "--criteria" in r.stdout and "--weights" in r.stdout and "--missing" in r.stdout


def test_missing_worst_is_reported(tmp_path, tk, small_yaml):
    rows = tk.small_rows()
    rows[1][4] = ""
    path = _small_file(tmp_path, tk, rows)
    r = invoke("qualify", path, "-c", small_yaml, "--missing", "worst")
    assert r.exit_code == 0, r.stderr
    assert "filled missing fit of B with 1 (worst level of the scale)" in r.stdout
    assert "fit was missing: filled with none (worst level of the scale)" in r.stdout
    data = json.loads(invoke("qualify", path, "-c", small_yaml, "--missing", "worst", "-f", "json").stdout)
    assert data["filled"] == [{"row": "3 (id B)", "id": "B", "column": "fit", "value": 1.0,
                               "basis": "worst level of the scale"}]
    # without the option the same file is refused
    tk.assert_clean_error(*_code_err(invoke("qualify", path, "-c", small_yaml)), "row 3 (id B)", "column 'fit'",
                          "missing value", "--missing worst")


def test_xlsx_with_sheet(tmp_path, tk, small_yaml):
    wb = openpyxl.Workbook()
    wb.active.title = "Cover"
    ws = wb.create_sheet("Deals")
    for line in [tk.SMALL_HEADER, *tk.small_rows()]:
        ws.append([float(v) if v.isdigit() else v for v in line])
    path = tmp_path / "deals.xlsx"
    wb.save(path)
    for sheet in ("Deals", "1"):
        r = invoke("rank", path, "-c", small_yaml, "--sheet", sheet, "-f", "json")
        assert r.exit_code == 0, r.stderr
        assert json.loads(r.stdout)["opportunities_file"] == f"{path} [sheet Deals]"
    tk.assert_clean_error(*_code_err(invoke("rank", path, "-c", small_yaml, "--sheet", "Sales")),
                          str(path), "no such sheet", "'Sales'", "one of 'Cover', 'Deals'")


# ------------------------------------------------------------------------------------------------
# spreadsheet-safe CSV
# ------------------------------------------------------------------------------------------------


def test_csv_export_neutralises_formulas_but_keeps_negative_numbers(tmp_path, tk, small_yaml):
    rows = tk.small_rows()
    rows[0][1] = '=HYPERLINK("http://x","y")'
    rows[1][1] = "@SUM(A1:A2)"
    extra = (["value", "win_probability", "pursuit_cost"], [["1000", "0.5", "10"], ["100", "0.1", "90"], ["10", "0.5", "1"]])
    path = _small_file(tmp_path, tk, rows, extra=extra)
    r = invoke("qualify", path, "-c", small_yaml, "-f", "csv")
    assert r.exit_code == 0, r.stderr
    out = {row["id"]: row for row in csv.DictReader(io.StringIO(r.stdout))}
    assert out["A"]["name"] == "'" + '=HYPERLINK("http://x","y")'
    assert out["B"]["name"] == "'@SUM(A1:A2)"
    assert out["C"]["name"] == "Gamma"
    ev = out["B"]["expected_value"]  # 0.1 * 100 - 90 = -80: negative, and still a number
    assert ev.startswith("-") and float(ev) == pytest.approx(0.1 * 100 - 90)


def test_neutralise():
    for text in ("=1+2", "+1", "-1+2", "@cmd", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
    for value in ("plain", "", 3, -2.5, None):
        assert neutralise(value) == value


def test_to_csv_text_neutralises_headers_and_object_columns():
    import pandas as pd

    frame = pd.DataFrame({"=bad": ["=x", "ok"], "n": [-1.5, 2.0]})
    rows = list(csv.reader(io.StringIO(to_csv_text(frame))))
    assert rows == [["'=bad", "n"], ["'=x", "-1.5"], ["ok", "2.0"]]


# ------------------------------------------------------------------------------------------------
# bad input: exit 2, one line on stderr, no traceback
# ------------------------------------------------------------------------------------------------


def _code_err(result):
    return result.exit_code, result.stderr


def _with_cell(row, col):
    def edit(tk, value):
        rows = tk.small_rows()
        rows[row][tk.SMALL_HEADER.index(col)] = value
        return rows
    return edit


# each case: (table rows edit or None, extra CLI args, needles)
BAD_TABLES = {
    "empty cell": (_with_cell(1, "deal_size"), "", ["row 3 (id B)", "column 'deal_size'", "missing value", "a number kEUR between 0 and 1000"]),
    "NaN cell": (_with_cell(1, "effort"), "NaN", ["row 3 (id B)", "column 'effort'", "missing value", "(got 'NaN')"]),
    "text in a numeric column": (_with_cell(0, "effort"), "ten", ["row 2 (id A)", "column 'effort'", "text in a numeric column", "(got 'ten')"]),
    "label not on the scale": (_with_cell(2, "risk"), "extreme", ["row 4 (id C)", "column 'risk'", "label not on the scale", "(got 'extreme')", "1 = low, 2 = medium, 3 = high"]),
    "number not a level": (_with_cell(0, "fit"), "4", ["row 2 (id A)", "column 'fit'", "number is not a level of the scale", "(got '4')"]),
    "outside bounds": (_with_cell(1, "deal_size"), "5000", ["row 3 (id B)", "column 'deal_size'", "outside the criterion's bounds", "(got '5000')", "between 0 and 1000"]),
    "empty id": (_with_cell(1, "id"), "", ["row 3", "column 'id'", "empty id"]),
    "duplicate id": (_with_cell(2, "id"), "A", ["row 4", "column 'id'", "duplicate id (first used on row 2)", "(got 'A')"]),
}


@pytest.mark.parametrize("case", list(BAD_TABLES), ids=list(BAD_TABLES))
def test_bad_cells(case, tmp_path, tk, small_yaml):
    edit, value, needles = BAD_TABLES[case]
    path = _small_file(tmp_path, tk, edit(tk, value))
    for command in ("rank", "qualify"):
        tk.assert_clean_error(*_code_err(invoke(command, path, "-c", small_yaml)), str(path), *needles)


def _header_case(tmp_path, tk, header):
    return _small_file(tmp_path, tk, header=header)


def test_missing_column_with_hint(tmp_path, tk, small_yaml):
    path = _header_case(tmp_path, tk, ["id", "name", "deal_size", "risk", "fitt", "effort"])
    tk.assert_clean_error(*_code_err(invoke("rank", path, "-c", small_yaml)), str(path), "column 'fit'",
                          "missing criterion column", "did you mean 'fit'?")


def test_no_id_column(tmp_path, tk, small_yaml):
    path = _header_case(tmp_path, tk, ["key", *tk.SMALL_HEADER[1:]])
    tk.assert_clean_error(*_code_err(invoke("rank", path, "-c", small_yaml)), str(path), "no 'id' column")


def test_duplicate_header(tmp_path, tk, small_yaml):
    path = _small_file(tmp_path, tk, extra=(["RISK"], [["low"]] * 3))
    tk.assert_clean_error(*_code_err(invoke("rank", path, "-c", small_yaml)), str(path), "row 1", "column 'RISK'",
                          "appears twice")


@pytest.mark.parametrize("col, value, needle", [("risk", "medium", "every opportunity has the same value (medium)"),
                                                ("deal_size", "0", "every value is zero")])
def test_constant_and_zero_columns_are_notes(col, value, needle, tmp_path, tk, small_yaml):
    """Issue 17: a criterion that cannot tell the opportunities apart is a note, never a refusal; it
    contributes nothing, so the scores are those with the criterion left out."""
    rows = tk.small_rows()
    for r in rows:
        r[tk.SMALL_HEADER.index(col)] = value
    path = _small_file(tmp_path, tk, rows)
    res = invoke("rank", path, "-c", small_yaml, "-f", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert any(n.startswith(f"criterion '{col}': {needle}") for n in out["notes"]), out["notes"]
    alone = json.loads(invoke("rank", path, "-c", small_yaml, "--exclude", col, "-f", "json").stdout)
    assert [(r["id"], r["rank"]) for r in out["opportunities"]] == [(r["id"], r["rank"]) for r in alone["opportunities"]]
    assert [r["score"] for r in out["opportunities"]] == pytest.approx([r["score"] for r in alone["opportunities"]])
    table = invoke("rank", path, "-c", small_yaml).stdout
    assert f"note: criterion '{col}': {needle}" in table


def test_single_opportunity(tmp_path, tk, small_yaml):
    path = _small_file(tmp_path, tk, tk.small_rows()[:1])
    tk.assert_clean_error(*_code_err(invoke("qualify", path, "-c", small_yaml)), str(path), "row 2 (id A)",
                          "only one opportunity")


@pytest.mark.parametrize("content, needle", [
    (b"", "the file is empty"),
    (b"id,name,deal_size,risk,fit,effort\n", "header but no rows"),
    (b"id,name,deal_size,risk,fit,effort\nA,Alpha,1,low,full,1\nB,Beta,2,low,full,2,3\n", "column G has data but no name"),
    (b'id,name,deal_size,risk,fit,effort\nA,"Alpha,1,low,full,1\n', "malformed CSV"),
    (b"\n,,,\n", "the table is empty"),
])
def test_unreadable_tables(content, needle, tmp_path, tk, small_yaml):
    path = tmp_path / "opps.csv"
    path.write_bytes(content)
    tk.assert_clean_error(*_code_err(invoke("rank", path, "-c", small_yaml)), str(path), needle)


def test_missing_file_and_folder(tmp_path, tk, small_yaml):
    tk.assert_clean_error(*_code_err(invoke("rank", tmp_path / "nope.csv", "-c", small_yaml)), "nope.csv", "file not found")
    tk.assert_clean_error(*_code_err(invoke("rank", tmp_path, "-c", small_yaml)), str(tmp_path), "is a folder")


@pytest.mark.parametrize("values, needles", [
    (["1000", "1.5", "10"], ["column 'win_probability'", "probability out of range", "(got '1.5')"]),
    (["1000", "0.5", "-10"], ["column 'pursuit_cost'", "negative amount", "(got '-10')"]),
])
def test_bad_expected_value_columns(values, needles, tmp_path, tk, small_yaml):
    extra = (["value", "win_probability", "pursuit_cost"], [values, ["1", "0.5", "1"], ["1", "0.5", "1"]])
    path = _small_file(tmp_path, tk, extra=extra)
    tk.assert_clean_error(*_code_err(invoke("qualify", path, "-c", small_yaml)), str(path), "row 2 (id A)", *needles)


def test_only_some_expected_value_columns(tmp_path, tk, small_yaml):
    path = _small_file(tmp_path, tk, extra=(["win_probability"], [["0.5"]] * 3))
    tk.assert_clean_error(*_code_err(invoke("qualify", path, "-c", small_yaml)), str(path),
                          "expected-value columns come together", "missing ['value', 'pursuit_cost']")


@pytest.mark.parametrize("text, needles", [
    ("deal_size: 0\nrisk: 1\nfit: 1\neffort: 1\n", ["column 'deal_size'", "finite number > 0", "(got 0.0)"]),
    ("deal_size: -2\nrisk: 1\nfit: 1\neffort: 1\n", ["column 'deal_size'", "finite number > 0", "(got -2.0)"]),
    ("deal_size: .nan\nrisk: 1\nfit: 1\neffort: 1\n", ["column 'deal_size'", "finite number > 0", "(got nan)"]),
    ("deal_size: 1\nrisk: 1\nfit: 1\n", ["column 'effort'", "no weight for criterion 'effort'"]),
    ("deal_size: 1\nrisk: 1\nfit: 1\neffort: 1\nprice: 2\n", ["column 'price'", "weight for an unknown criterion"]),
    ("deal_size: lots\n", ["column 'deal_size'", "weight is not a number"]),
    ("", ["no weights in the file"]),
    ("deal_size: [1\n", ["not valid YAML"]),
])
def test_bad_weights_file(text, needles, tmp_path, tk, small_yaml):
    wf = tmp_path / "weights.yaml"
    wf.write_text(text, encoding="utf-8")
    path = _small_file(tmp_path, tk)
    tk.assert_clean_error(*_code_err(invoke("rank", path, "-c", small_yaml, "-w", wf)), str(wf), *needles)


def test_weights_file_missing(tmp_path, tk, small_yaml):
    path = _small_file(tmp_path, tk)
    tk.assert_clean_error(*_code_err(invoke("rank", path, "-c", small_yaml, "-w", tmp_path / "w.yaml")),
                          "w.yaml", "weights file not found")


def _criteria_text(tk, edit):
    data = tk.small_dict()
    edit(data)
    return yaml.safe_dump(data, sort_keys=False)


BAD_CRITERIA = {
    "empty": (lambda tk: "", ["the file is empty"]),
    "malformed": (lambda tk: "name: x\ncriteria: [\n", ["line ", "not valid YAML"]),
    "bad direction": (lambda tk: _criteria_text(tk, lambda d: d["criteria"][1].update(direction="lower")),
                      ["key 'criteria[1] (id risk).direction'"]),
    "duplicate ids": (lambda tk: _criteria_text(tk, lambda d: d["criteria"][2].update(id="risk")),
                      ["key 'criteria'", "duplicate criterion id(s): risk"]),
    "bad id form": (lambda tk: _criteria_text(tk, lambda d: d["criteria"][0].update(id="Deal-Size")),
                    ["key 'criteria[0] (id Deal-Size).id'", "[a-z0-9_]+"]),
    "gate min above max": (lambda tk: _criteria_text(tk, lambda d: d["criteria"][1].update(gate={"min": 3, "max": 1})),
                           ["key 'criteria[1] (id risk).gate'", "above max"]),
    "unknown gate label": (lambda tk: _criteria_text(tk, lambda d: d["criteria"][2].update(gate={"allowed": ["perfect"]})),
                           ["key 'criteria[2] (id fit)'", "'perfect'", "not a label of the scale"]),
    "weights for unknown criteria": (lambda tk: _criteria_text(tk, lambda d: d["weights"].update(price=1)),
                                     ["key 'weights'", "unknown criteria ['price']"]),
}


@pytest.mark.parametrize("case", list(BAD_CRITERIA), ids=list(BAD_CRITERIA))
def test_bad_criteria_file(case, tmp_path, tk):
    make, needles = BAD_CRITERIA[case]
    cf = tmp_path / "criteria.yaml"
    cf.write_text(make(tk), encoding="utf-8")
    path = _small_file(tmp_path, tk)
    tk.assert_clean_error(*_code_err(invoke("qualify", path, "-c", cf)), str(cf), *needles)


def test_criteria_file_missing(tmp_path, tk):
    path = _small_file(tmp_path, tk)
    tk.assert_clean_error(*_code_err(invoke("qualify", path, "-c", tmp_path / "c.yaml")), "c.yaml", "criteria file not found")


@pytest.mark.parametrize("args, needles", [
    (["qualify", "-m", "vikor"], ["method 'vikor' scores on another scale", "--qualified X --conditional Y"]),
    (["qualify", "--qualified", "0.5"], ["give both --qualified and --conditional"]),
    (["qualify", "--qualified", "0.3", "--conditional", "0.6"], ["conditional threshold is on the wrong side"]),
    (["rank", "-m", "electre"], ["unknown method (got 'electre')"]),
    (["rank", "-n", "l1"], ["unknown normalization (got 'l1')"]),
    (["rank", "-x", "colour"], ["cannot exclude an unknown criterion (got 'colour')"]),
    (["rank", "-x", "risk", "-x", "deal_size", "-x", "fit", "-x", "effort"], ["every criterion is excluded"]),
    (["rank", "-w", "w.yaml", "-j", "j.yaml"], ["give --weights or --judgments, not both"]),
])
def test_bad_options(args, needles, tmp_path, tk, small_yaml):
    path = _small_file(tmp_path, tk)
    command, *rest = args
    tk.assert_clean_error(*_code_err(invoke(command, path, "-c", small_yaml, *rest)), *needles)


def test_output_into_a_missing_folder(tmp_path, tk, small_yaml):
    path = _small_file(tmp_path, tk)
    out = tmp_path / "no" / "such" / "dir" / "out.json"
    tk.assert_clean_error(*_code_err(invoke("rank", path, "-c", small_yaml, "-o", out)), str(out), "cannot write the output")


# ------------------------------------------------------------------------------------------------
# the same through a real process: exit status and stderr as a shell sees them
# ------------------------------------------------------------------------------------------------


def test_subprocess_missing_file(tmp_path, tk):
    r = tk.run_cli("qualify", tmp_path / "nope.csv", "--criteria", tk.CRITERIA_FILE)
    tk.assert_clean_error(r.returncode, r.stderr, "nope.csv", "file not found")
    assert r.stdout == ""


def test_subprocess_bad_label(tmp_path, tk, small_yaml):
    path = _small_file(tmp_path, tk, _with_cell(2, "risk")(tk, "extreme"))
    r = tk.run_cli("rank", path, "-c", small_yaml)
    tk.assert_clean_error(r.returncode, r.stderr, str(path), "row 4 (id C)", "column 'risk'", "label not on the scale")


def test_subprocess_bad_weights(tmp_path, tk, small_yaml):
    wf = tmp_path / "w.yaml"
    wf.write_text("deal_size: 0\nrisk: 1\nfit: 1\neffort: 1\n", encoding="utf-8")
    r = tk.run_cli("rank", _small_file(tmp_path, tk), "-c", small_yaml, "--weights", wf)
    tk.assert_clean_error(r.returncode, r.stderr, str(wf), "column 'deal_size'", "weight must be a finite number > 0")


def test_subprocess_json_to_stdout(tk):
    r = tk.run_cli("qualify", tk.CASE, "-c", tk.CRITERIA_FILE, "-f", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["method"] == "topsis"
