"""The library side of 'every problem at once': load_portfolio collects every problem of a table (with
``.problems``, capped at 50), reads files through read_raw (how it read them is returned), applies an
import profile to a frame too, writes clean tables atomically; weights name every problem."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mcda_qualify.criteria import criteria_from_dict
from mcda_qualify.errors import InputError, PortfolioError, WeightsError
from mcda_qualify.importing import import_portfolio, read_opportunities, write_table
from mcda_qualify.io.problems import ImportProblems
from mcda_qualify.portfolio import load_portfolio
from mcda_qualify.weights import resolve_weights

ROOT = Path(__file__).resolve().parents[1]
EXPORTS = ROOT / "case_studies" / "telecom_b2b" / "exports"
SMALL = criteria_from_dict({"name": "small", "criteria": [
    {"id": "deal_size", "name": "Deal size", "direction": "benefit", "bounds": [0, 1000]},
    {"id": "risk", "name": "Risk", "direction": "cost", "scale": {1: "low", 2: "medium", 3: "high"}},
    {"id": "effort", "name": "Effort", "direction": "cost"},
]})


def test_a_frame_with_many_problems_reports_each_in_row_order():
    frame = pd.DataFrame({"id": ["A", "A", None, "D"], "deal_size": ["10", "2000", "x", "8.500"],
                          "risk": ["lo", "high", "medium", "low"], "effort": ["1", None, "inf", "2"],
                          "value": ["1", "-1", "1", "1"], "win_probability": ["0.5", "0.5", "1.5", "0.5"],
                          "pursuit_cost": ["1", "1", "1", "1"]}, dtype=object)
    frame.attrs["first_row"] = 2
    with pytest.raises(ImportProblems) as err:
        load_portfolio(frame, SMALL)
    got = [(p.row, p.column, p.problem.split(" (")[0]) for p in err.value.problems]
    assert got == [
        ("2 (id A)", "risk", "label not on the scale"),
        ("3", "id", "duplicate id"),
        ("3 (id A)", "deal_size", "number outside the criterion's bounds"),
        ("3 (id A)", "effort", "missing value"),
        ("3 (id A)", "value", "negative amount"),
        ("4", "id", "empty id"),
        ("4", "deal_size", "text in a numeric column"),
        ("4", "effort", "not a finite number"),
        ("4", "win_probability", "probability out of range"),
        ("5 (id D)", "deal_size", "ambiguous number: 8.500 could be 8500"),
    ]
    assert isinstance(err.value, PortfolioError) and str(err.value).count("\n  - ") == 10


def test_one_problem_raises_itself_with_the_list_and_the_cap_is_50():
    frame = pd.DataFrame({"id": ["A", "B"], "deal_size": ["1", "2"], "risk": ["low", "nope"], "effort": ["1", "2"]})
    with pytest.raises(PortfolioError) as err:
        load_portfolio(frame, SMALL)
    assert not isinstance(err.value, ImportProblems) and err.value.problems == [err.value]
    assert err.value.row == "1 (id B)" and err.value.column == "risk"
    many = pd.DataFrame({"id": [f"o{i}" for i in range(60)], "deal_size": ["1"] * 60, "risk": ["x"] * 60,
                         "effort": ["1"] * 60})
    with pytest.raises(ImportProblems) as err:
        load_portfolio(many, SMALL)
    assert len(err.value.problems) == 51 and err.value.problems[-1].is_note
    assert "10 more problems not shown" in err.value.problems[-1].message


def test_a_decimal_comma_column_decides_and_no_delimiter_is_trusted():
    frame = pd.DataFrame({"id": ["A", "B"], "deal_size": ["8.500", "1.000,5"], "risk": ["low", "high"],
                          "effort": ["1,5", "2"]})
    frame.attrs["delimiter"] = ","  # the delimiter no longer decides anything: the values do
    p = load_portfolio(frame, criteria_from_dict({"name": "s", "criteria": [
        {"id": "deal_size", "name": "D", "direction": "benefit"}, *SMALL.model_dump()["criteria"][1:]]}))
    assert p.matrix[:, 0].tolist() == [8500.0, 1000.5] and p.matrix[:, 2].tolist() == [1.5, 2.0]


def test_files_return_how_they_were_read_and_profiles_apply_to_frames_too(tmp_path):
    from mcda_qualify.criteria import default_criteria_path, load_criteria

    crit = load_criteria(default_criteria_path())
    p, info = import_portfolio(EXPORTS / "dynamics_pipeline.xlsx", crit, mapping=EXPORTS / "dynamics.profile.yaml")
    assert (info.sheet, info.header_row, len(p)) == ("Vertriebschancen", 4, 14)
    clean, info = read_opportunities(EXPORTS / "salesforce_pipeline.csv", crit, mapping=EXPORTS / "salesforce.profile.yaml")
    assert clean.attrs["info"] is info and list(clean.columns[:3]) == ["id", "name", "risk"]
    from mcda_qualify.io.spreadsheets import read_raw

    raw, _ = read_raw(EXPORTS / "salesforce_pipeline.csv")
    q = load_portfolio(raw, crit, mapping=EXPORTS / "salesforce.profile.yaml")
    assert q.ids == p.ids and (q.matrix == p.matrix).all()
    with pytest.raises(InputError) as err:
        read_opportunities(EXPORTS / "salesforce_pipeline.csv", crit, mapping=EXPORTS / "dynamics.profile.yaml")
    assert "a sheet was given for a CSV file" in str(err.value) and err.value.problems == [err.value]


def test_write_table_is_atomic_and_refuses_an_input(tmp_path):
    frame = pd.DataFrame({"id": ["A"], "name": ["=HYPERLINK()"]})
    out = write_table(frame, tmp_path / "t.csv")
    assert out.read_text(encoding="utf-8") == "id,name\nA,'=HYPERLINK()\n"  # formulas neutralised
    with pytest.raises(InputError, match="would overwrite an input"):
        write_table(frame, out, inputs=(out,))
    with pytest.raises(InputError, match="ending in .csv or .xlsx"):
        write_table(frame, tmp_path / "t.txt")
    assert sorted(x.name for x in tmp_path.iterdir()) == ["t.csv"]


def test_weights_every_problem_with_did_you_mean():
    with pytest.raises(ImportProblems) as err:
        resolve_weights(SMALL, {"deal_sise": 1, "risk": "high", "efort": 2}, source="w.yaml")
    msgs = [p.message for p in err.value.problems]
    assert len(msgs) == 4 and all(isinstance(p, WeightsError) for p in err.value.problems)
    assert "column 'deal_sise': weight for an unknown criterion (did you mean 'deal_size'?)" in msgs[0]
    assert "column 'efort': weight for an unknown criterion (did you mean 'effort'?)" in msgs[1]
    assert "no weight for criterion 'deal_size' (nor effort)" in msgs[2] and "missing: deal_size, effort" in msgs[2]
    assert "column 'risk': weight is not a number" in msgs[3]
