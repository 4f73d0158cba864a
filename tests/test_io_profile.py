"""Import profiles: the two CRM-style exports of the case study give back the clean table exactly,
and an export with many problems is answered with all of them in one call."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml

from mcda_qualify.criteria import criteria_from_dict, load_criteria
from mcda_qualify.io.problems import ImportProblems, ProfileError
from mcda_qualify.io.profile import ImportProfile, load_profile, profile_from_dict
from mcda_qualify.io.recode import apply_profile
from mcda_qualify.io.spreadsheets import read_raw
from mcda_qualify.io.suggest import suggest_profile
from mcda_qualify.portfolio import load_portfolio
from mcda_qualify.ranking import rank

from testkit import ten_problem_export

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "case_studies" / "telecom_b2b"
EXPORTS = CASE / "exports"
CRIT = load_criteria(ROOT / "criteria" / "qualify_selling_opportunity.yaml")

SMALL = criteria_from_dict({"name": "small", "criteria": [
    {"id": "deal_size", "name": "Deal size", "direction": "benefit", "unit": "kEUR", "bounds": [0, 1000]},
    {"id": "risk", "name": "Risk", "direction": "cost", "scale": {1: "low", 2: "medium", 3: "high"}},
    {"id": "effort", "name": "Effort", "direction": "cost", "unit": "days", "bounds": [0, 400]},
]})


def _import(export: str, profile: str):
    prof = load_profile(EXPORTS / profile)
    raw, info = read_raw(EXPORTS / export, prof.sheet, prof.header_row)
    clean, problems = apply_profile(raw, prof, CRIT)
    return clean, problems, info


@pytest.mark.parametrize("export, profile", [("salesforce_pipeline.csv", "salesforce.profile.yaml"),
                                             ("dynamics_pipeline.xlsx", "dynamics.profile.yaml")])
def test_case_study_exports_give_the_clean_table(export, profile):
    clean, problems, _info = _import(export, profile)
    assert problems == []
    got = load_portfolio(clean, CRIT)
    ref = load_portfolio(CASE / "opportunities.csv", CRIT)
    assert got.ids == ref.ids and got.names == ref.names
    np.testing.assert_array_equal(got.matrix, ref.matrix)  # exact: numbers are read as decimals
    for col in ("value", "win_probability", "pursuit_cost", "customer", "owner"):
        assert list(got.table[col]) == list(ref.table[col]), col
    a, b = rank(got), rank(ref)
    assert list(a.table["rank"]) == list(b.table["rank"])
    np.testing.assert_array_equal(a.table["score"].to_numpy(), b.table["score"].to_numpy())


def test_profile_module_exposes_apply_and_suggest():
    from mcda_qualify.io import profile
    assert profile.apply_profile is apply_profile and profile.suggest_profile is suggest_profile


def test_clean_table_needs_no_profile():
    raw, _info = read_raw(CASE / "opportunities.csv")
    clean, problems = apply_profile(raw, None, CRIT)
    assert problems == []
    np.testing.assert_array_equal(load_portfolio(clean, CRIT).matrix, load_portfolio(CASE / "opportunities.csv", CRIT).matrix)


def test_profile_keys_and_did_you_mean(tmp_path):
    with pytest.raises(ProfileError, match=r"key 'colums'.*did you mean 'columns'"):
        profile_from_dict({"colums": {}})
    with pytest.raises(ProfileError, match=r"key 'numbers.decmal'.*did you mean 'decimal'"):
        profile_from_dict({"numbers": {"decmal": ","}})
    with pytest.raises(ImportProblems) as exc:
        profile_from_dict({"colums": {}, "header_row": 0, "units": {"deal_size": -1}})
    assert len(exc.value.problems) == 3
    with pytest.raises(ProfileError, match="quotes"):
        profile_from_dict(yaml.safe_load("values: {risk: {Yes: high}}"))
    with pytest.raises(ProfileError, match="differ"):
        profile_from_dict({"numbers": {"decimal": ",", "thousands": ","}})
    p = profile_from_dict({"numbers": {"decimal": ","}, "units": {"deal_size": "0.001", "win_probability": "percent"},
                           "columns": {"Stage": None, 2025: "year"}})
    assert p.numbers.thousands == "." and p.units["deal_size"] == 0.001 and p.columns == {"Stage": None, "2025": "year"}
    f = tmp_path / "p.yaml"
    f.write_text("columns: [unclosed\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="line"):
        load_profile(f)
    with pytest.raises(ProfileError, match="not found"):
        load_profile(tmp_path / "nope.yaml")


def _raw(rows, header, first_row=2):
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    frame.attrs["row_numbers"] = list(range(first_row, first_row + len(rows)))
    return frame


def test_values_units_numbers_and_dropped_columns():
    raw = _raw([["a", "  MED ", "1.250,5 €", "12", "x"], ["b", "Hi", "300", "7,5", "y"]],
               ["Opp", "Risk level", "Amount", "Days", "Stage"])
    prof = profile_from_dict({"columns": {"opp": "id", "RISK LEVEL": "risk", "amount": "deal_size", "days": "effort",
                                          "Stage": None},
                              "values": {"risk": {"med": "medium", "hi": 3}},
                              "numbers": {"decimal": ",", "thousands": "."}, "units": {"deal_size": 0.5}})
    clean, problems = apply_profile(raw, prof, SMALL, "x.csv")
    assert problems == []
    assert list(clean.columns) == ["id", "deal_size", "risk", "effort"]
    assert list(clean["risk"]) == ["medium", "high"]
    assert list(clean["deal_size"]) == [625.25, 150.0] and list(clean["effort"]) == [12.0, 7.5]


def test_undeclared_locale_decided_by_the_column_and_missing_worst():
    raw = _raw([["a", "low", "1,250.5", "5"], ["b", "high", "8,500", ""]], ["id", "risk", "deal_size", "effort"])
    prof = ImportProfile(units={"deal_size": 0.1})
    clean, problems = apply_profile(raw, prof, SMALL, "x.csv", missing="worst")
    assert problems == [] and list(clean["deal_size"]) == [125.05, 850.0] and clean.loc[1, "effort"] is None
    p = load_portfolio(clean, SMALL, missing="worst")
    assert p.matrix[1, 2] == 400.0  # effort is a cost: worst is the upper bound
    clean, problems = apply_profile(raw, prof, SMALL, "x.csv")
    assert len(problems) == 1 and "missing value" in problems[0].message and problems[0].row == 3


def test_percent_hint_when_units_are_missing():
    raw = _raw([["a", "low", "1", "1", "60", "1", "1"]],
               ["id", "risk", "deal_size", "effort", "Probability (%)", "value", "pursuit_cost"])
    prof = ImportProfile(columns={"Probability (%)": "win_probability"})
    _clean, problems = apply_profile(raw, prof, SMALL, "x.csv")
    assert len(problems) == 1 and "units: {win_probability: percent}" in problems[0].message


def test_percent_formatted_cells_are_read_once(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "risk", "deal_size", "effort", "value", "Chance", "pursuit_cost"])
    for i, (prob, fmt) in enumerate([(0.45, "0%"), (45, "General"), ("45 %", "General")]):
        ws.append([f"o{i}", "low", 1, 1, 1, prob, 1])
        ws.cell(row=i + 2, column=6).number_format = fmt
    wb.save(tmp_path / "p.xlsx")
    raw, _ = read_raw(tmp_path / "p.xlsx")
    prof = ImportProfile(columns={"Chance": "win_probability"}, units={"win_probability": "percent"})
    clean, problems = apply_profile(raw, prof, SMALL)
    assert problems == [] and list(clean["win_probability"]) == [0.45, 0.45, 0.45]
    clean, problems = apply_profile(raw, ImportProfile(columns={"Chance": "win_probability"}), SMALL)
    assert clean.loc[0, "win_probability"] == 0.45 and clean.loc[2, "win_probability"] == 0.45
    assert len(problems) == 1 and problems[0].row == 3  # 45 with no unit: the percent hint


def test_ten_problems_reported_in_one_call(tmp_path):
    path = ten_problem_export(tmp_path / "bad.xlsx")
    prof = profile_from_dict({"columns": {"Opp ID": "id", "Opp Nme": "name", "Amount": "deal_size", "Risk": "risk",
                                          "Effort": "effort", "Margin": "value", "Probability (%)": "win_probability",
                                          "Bid cost": "pursuit_cost"},
                              "values": {"risk": {"Med": "medium"}}, "units": {"win_probability": "percent"}})
    raw, _info = read_raw(path)
    _clean, problems = apply_profile(raw, prof, SMALL)
    text = [p.message for p in problems]
    expected = [
        ("column 'Opp Nme'", "the profile maps a column that the export does not have (did you mean 'Opp Name'?)"),
        ("row 2, column 'Amount'", "ambiguous number: 8.500 could be 8500 (thousands '.') or 8.5 (decimal '.')"),
        ("row 3, column 'Risk'", "unknown label (did you mean 'medium'?)"),
        ("row 4, column 'Opp ID'", "duplicate id (first on row 3)"),
        ("row 4, column 'Effort'", "text in a number column"),
        ("row 5, column 'Opp ID'", "missing id"),
        ("row 5, column 'Probability (%)'", "percent above 100"),
        ("row 6, column 'Effort'", "cell E6 holds the Excel error #DIV/0!"),
        ("row 7, column 'Effort'", "number outside the criterion's bounds"),
        ("row 7, column 'Margin'", "cell F7 is a formula (=1/0) with no saved value"),
    ]
    assert len(problems) == 10, "\n".join(text)
    assert "numbers: {decimal: ',', thousands: '.'} if it is 8500" in text[1]
    for where, what in expected:
        assert sum(where in t and what in t for t in text) == 1, (where, what, text)
    # the same list, as one exception, for callers that want to raise
    err = ImportProblems(problems, file=str(path))
    assert err.problems == problems and str(err).count("\n  - ") == 10


def test_problem_cap_and_note():
    rows = [[f"o{i}", "nope", "1", "1"] for i in range(60)]
    _, problems = apply_profile(_raw(rows, ["id", "risk", "deal_size", "effort"]), None, SMALL, "x.csv")
    assert len(problems) == 51 and "10 more problems not shown" in problems[-1].message
    _clean, problems = apply_profile(_raw(rows, ["id", "risk", "deal_size", "effort"]), None, SMALL, "x.csv", max_problems=5)
    assert len(problems) == 6 and "55 more problems" in problems[-1].message


def test_profile_that_does_not_fit_the_criteria():
    raw = _raw([["a", "low", "1", "1", "x"]], ["id", "risk", "Amount", "effort", "Stage"])
    prof = profile_from_dict({"columns": {"Amount": "deal_sise"}, "values": {"risk": {"L": "lowish"}, "rsk": {"a": "b"}},
                              "units": {"risk": 2, "stage": "percent"}})
    _clean, problems = apply_profile(raw, prof, SMALL, "x.csv")
    text = "\n".join(p.message for p in problems)
    assert "no column for the criterion 'deal_size'" in text and "did you mean to map 'Amount' to 'deal_size'?" in text
    assert "key 'values.risk.L'" in text and "not a label of the scale" in text and "did you mean 'low'?" in text
    assert "key 'values.rsk'" in text and "did you mean 'risk'?" in text
    assert "key 'units.risk'" in text and "not a numeric column" in text
    assert "key 'units.stage'" in text
    assert len(problems) == 5


def test_two_columns_for_one_target_and_no_id():
    raw = _raw([["low", "high", "1", "1"]], ["risk", "Risk level", "deal_size", "effort"])
    _clean, problems = apply_profile(raw, ImportProfile(columns={"Risk level": "risk"}), SMALL, "x.csv")
    text = "\n".join(p.message for p in problems)
    assert "several export columns give 'risk'" in text and "no id column" in text and len(problems) == 2


def test_suggest_profile_on_the_salesforce_export():
    raw, _ = read_raw(EXPORTS / "salesforce_pipeline.csv")
    s = suggest_profile(raw, CRIT)
    cols = s["columns"]
    assert cols["Opportunity ID"] == "id" and cols["Opportunity Name"] == "name"
    assert cols["Risk"] == "risk" and cols["Probability (%)"] == "win_probability"
    assert cols["Requirements Fit"] == "requirements_fit" and cols["Customization"] == "customisation"
    assert s["values"]["risk"] == {"Med": "medium"}
    assert s["numbers"] == {"decimal": ".", "thousands": ","} and s["units"] == {"win_probability": "percent"}
    # what it suggests is a valid profile once the person fills the open values
    filled = {**s, "values": {t: {k: v for k, v in m.items() if v is not None} for t, m in s["values"].items()}}
    assert isinstance(profile_from_dict(filled), ImportProfile)


def test_german_excel_csv_never_silently_reads_8_500_as_8_5(tmp_path):
    c = tmp_path / "pipeline.csv"
    c.write_bytes("id;risk;deal_size;effort\nA;low;8.500;12\nB;high;300;7\n".encode("cp1252"))
    raw, info = read_raw(c)
    assert (info.encoding, info.delimiter) == ("utf-8", ";")  # plain ASCII is valid UTF-8
    _, problems = apply_profile(raw, None, SMALL)
    assert len(problems) == 1 and "could be 8500 (thousands '.') or 8.5 (decimal '.')" in problems[0].message
    # a value elsewhere in the column decides (1.000,5 has a decimal comma), and so does a declaration
    c.write_bytes("id;risk;deal_size;effort\nA;low;8.500;12\nB;high;1.000,5;7\nC;low;5;1\n".encode("cp1252"))
    clean, problems = apply_profile(read_raw(c)[0], ImportProfile(units={"deal_size": 0.1}), SMALL)
    assert problems == [] and list(clean["deal_size"]) == [850.0, 100.05, 0.5]
    clean, problems = apply_profile(raw, profile_from_dict({"numbers": {"decimal": ","}, "units": {"deal_size": 0.1}}), SMALL)
    assert problems == [] and list(clean["deal_size"]) == [850.0, 30.0]
