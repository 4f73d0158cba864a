"""Templates: a blank pipeline per criteria file; filled, it loads with no import profile."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pytest

from mcda_qualify.criteria import criteria_from_dict, load_criteria
from mcda_qualify.errors import InputError
from mcda_qualify.io.spreadsheets import read_raw
from mcda_qualify.io.template import template_columns, write_template
from mcda_qualify.portfolio import load_portfolio

ROOT = Path(__file__).resolve().parents[1]
CRIT = load_criteria(ROOT / "criteria" / "qualify_selling_opportunity.yaml")


def _validations(ws):
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            out[rng.split(":")[0].rstrip("0123456789")] = dv
    return out


def test_xlsx_template_layout_and_dropdowns(tmp_path):
    path = write_template(CRIT, tmp_path / "pipeline.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Opportunities", "Instructions"]
    ws = wb["Opportunities"]
    header = [c.value for c in ws[1]]
    assert header == ["id", "name", *CRIT.ids, "value", "win_probability", "pursuit_cost"]
    assert ws.freeze_panes == "C2"
    dvs = _validations(ws)
    letter = {h: openpyxl.utils.get_column_letter(j + 1) for j, h in enumerate(header)}
    for c in CRIT.criteria:
        dv = dvs[letter[c.id]]
        assert str(dv.sqref) == f"{letter[c.id]}2:{letter[c.id]}1001"
        if c.scale is not None:
            # the dropdown lists the labels as the criteria file writes them, in level order
            labels = [c.scale[k].label for k in sorted(c.scale)]
            assert dv.type == "list" and dv.formula1 == '"' + ",".join(labels) + '"'
        else:
            assert (dv.type, dv.operator) == ("decimal", "between")
            assert (float(dv.formula1), float(dv.formula2)) == c.bounds
        assert dv.showErrorMessage
        note = ws[f"{letter[c.id]}1"].comment.text
        assert c.name in note and c.description in note
    assert dvs[letter["win_probability"]].formula1 == "0" and dvs[letter["win_probability"]].formula2 == "1"
    assert letter["id"] not in dvs and letter["name"] not in dvs
    risk_note = ws[f"{letter['risk']}1"].comment.text
    assert "Knock-out gate: at most high." in risk_note
    instructions = [r[0] for r in wb["Instructions"].iter_rows(values_only=True)]
    assert set(CRIT.ids) <= set(instructions)


def test_filled_xlsx_template_loads_without_a_profile(tmp_path):
    path = write_template(CRIT, tmp_path / "pipeline.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Opportunities"]
    header = [c.value for c in ws[1]]
    rows = []
    for i in range(3):
        row = {"id": f"N-{i}", "name": f"Deal {i}", "value": 100.0 * (i + 1), "win_probability": 0.25 * (i + 1),
               "pursuit_cost": 10 + i}
        for c in CRIT.criteria:
            row[c.id] = c.scale[sorted(c.scale)[i]].label if c.scale else c.bounds[0] + 10.5 * (i + 1)
        rows.append(row)
        ws.append([row[h] for h in header])
    wb.save(path)
    p = load_portfolio(path, CRIT)
    assert p.ids == ["N-0", "N-1", "N-2"] and p.names == ["Deal 0", "Deal 1", "Deal 2"]
    expected = np.array([[sorted(c.scale)[i] if c.scale else c.bounds[0] + 10.5 * (i + 1) for c in CRIT.criteria]
                         for i in range(3)], dtype=float)
    np.testing.assert_array_equal(p.matrix, expected)
    assert list(p.table["win_probability"]) == [0.25, 0.5, 0.75]
    # the new reader picks the data sheet too (the instructions sheet is second)
    _frame, info = read_raw(path)
    assert info.sheet == "Opportunities" and info.rows == 3


def test_csv_template_is_a_loadable_header(tmp_path):
    path = write_template(CRIT, tmp_path / "pipeline.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\n") == 1
    with path.open("a", encoding="utf-8", newline="") as fh:
        cells = {"id": "X-1", "name": "One", "value": "5", "win_probability": "0.5", "pursuit_cost": "1"}
        cells.update({c.id: (c.scale[min(c.scale)].label if c.scale else "12") for c in CRIT.criteria})
        fh.write(",".join(cells[h] for h in template_columns(CRIT)) + "\r\n")
    p = load_portfolio(path, CRIT)
    assert p.ids == ["X-1"] and p.matrix[0].tolist() == [min(c.scale) if c.scale else 12.0 for c in CRIT.criteria]


def test_long_or_comma_labels_use_a_hidden_list_sheet(tmp_path):
    crit = criteria_from_dict({"name": "t", "criteria": [
        {"id": "fit", "name": "Fit", "direction": "benefit", "scale": {1: "poor, unclear", 2: "good"}},
        {"id": "effort", "name": "Effort", "direction": "cost"}]})
    path = write_template(crit, tmp_path / "t.xlsx", expected_value=False)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Opportunities", "Instructions", "Lists"] and wb["Lists"].sheet_state == "hidden"
    dvs = _validations(wb["Opportunities"])
    assert dvs["C"].type == "list" and dvs["C"].formula1 == "=Lists!$A$2:$A$3"
    assert [wb["Lists"].cell(row=r, column=1).value for r in (2, 3)] == ["poor, unclear", "good"]
    assert dvs["D"].type == "custom"  # no bounds: any number
    assert [c.value for c in wb["Opportunities"][1]] == ["id", "name", "fit", "effort"]


def test_template_bytes_for_a_download(tmp_path):
    from mcda_qualify.io.template import template_bytes
    data = template_bytes(CRIT, "xlsx")
    (tmp_path / "d.xlsx").write_bytes(data)
    assert openpyxl.load_workbook(tmp_path / "d.xlsx").sheetnames == ["Opportunities", "Instructions"]
    assert template_bytes(CRIT, "csv").decode("utf-8-sig").strip() == ",".join(template_columns(CRIT))


def test_unknown_template_format(tmp_path):
    with pytest.raises(InputError, match="unknown template format"):
        write_template(CRIT, tmp_path / "t.ods")
