"""Reading exports: sheets (hidden ones never by default), title blocks, error cells, row caps,
encodings and delimiters; every choice is reported in the returned info."""
from __future__ import annotations

import openpyxl
import pytest

from mcda_qualify.errors import PortfolioError
from mcda_qualify.io.spreadsheets import detect_header, list_sheets, read_raw

HEADER = ["Opportunity ID", "Opportunity Name", "Risk", "Amount"]
ROWS = [["OPP-1", "Campus 5G", "Med", "EUR 1,250,000.00"], ["OPP-2", "SOC", "Low", "EUR 300,000.00"]]


def _book(path, sheets):
    """sheets: list of (name, state, rows)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, state, rows in sheets:
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
        ws.sheet_state = state
    wb.save(path)
    return path


def test_hidden_first_sheet_is_skipped_and_reported(tmp_path):
    p = _book(tmp_path / "x.xlsx", [("old", "hidden", [["id", "risk"], ["WRONG", "high"]]),
                                    ("Pipeline", "visible", [HEADER, *ROWS])])
    frame, info = read_raw(p)
    assert info.sheet == "Pipeline" and list(frame["Opportunity ID"]) == ["OPP-1", "OPP-2"]
    assert any("hidden sheet not read: 'old'" in n for n in info.notes)
    assert info.sheets == [("old", "hidden"), ("Pipeline", "visible")]
    assert list_sheets(p) == [("old", "hidden"), ("Pipeline", "visible")]
    # named, a hidden sheet is read, and that is said
    frame, info = read_raw(p, sheet="old")
    assert list(frame["id"]) == ["WRONG"] and any("is hidden" in n for n in info.notes)
    frame, info = read_raw(p, sheet=0)
    assert info.sheet == "old"


def test_cover_sheet_first_lists_the_sheets(tmp_path):
    p = _book(tmp_path / "x.xlsx", [("Cover", "visible", [["Q4 pipeline review"], ["Prepared by sales ops"]]),
                                    ("Pipeline", "visible", [HEADER, *ROWS]),
                                    ("meta", "hidden", [["x"]])])
    with pytest.raises(PortfolioError) as exc:
        read_raw(p)
    msg = str(exc.value)
    assert "not obvious" in msg and "'Cover'" in msg and "'Pipeline'" in msg and "'meta' (hidden" in msg
    assert "--sheet 'Pipeline'" in msg
    frame, info = read_raw(p, sheet="pipeline")  # case-insensitive name
    assert info.sheet == "Pipeline" and len(frame) == 2


def test_first_visible_table_with_id_is_taken_and_others_named(tmp_path):
    p = _book(tmp_path / "x.xlsx", [("Pipeline", "visible", [HEADER, *ROWS]),
                                    ("Summary", "visible", [["Stage", "Count"], ["Open", 2]])])
    _frame, info = read_raw(p)
    assert info.sheet == "Pipeline" and any("other sheets: 'Summary'" in n for n in info.notes)


def test_no_such_sheet_did_you_mean(tmp_path):
    p = _book(tmp_path / "x.xlsx", [("Pipeline", "visible", [HEADER, *ROWS])])
    with pytest.raises(PortfolioError, match="did you mean 'Pipeline'"):
        read_raw(p, sheet="Pipline")


def test_title_block_detected_and_header_row_given(tmp_path):
    rows = [["Opportunities - export"], ["Created:", "2025-10-01"], [], HEADER, *ROWS]
    p = _book(tmp_path / "x.xlsx", [("Pipeline", "visible", rows)])
    frame, info = read_raw(p)
    assert info.header_row == 4 and list(frame.columns) == HEADER
    assert [r for r, _ in info.title_rows] == [1, 2] and "Opportunities - export" in info.title_rows[0][1]
    assert any("title block" in n and "row 4" in n for n in info.notes)
    assert frame.attrs["row_numbers"] == [5, 6]
    frame, info = read_raw(p, header_row=4)
    assert list(frame.columns) == HEADER and info.title_rows == []
    with pytest.raises(PortfolioError, match="blank"):
        read_raw(p, header_row=3)
    # CSV: the same detection
    c = tmp_path / "x.csv"
    c.write_text("Pipeline export\nfiltered: open\n\n" + ",".join(HEADER) + "\nOPP-1,A,Med,5\nOPP-2,B,Low,6\n", encoding="utf-8")
    frame, info = read_raw(c)
    assert info.header_row == 4 and list(frame.columns) == HEADER and frame.attrs["row_numbers"] == [5, 6]


def test_detect_header_on_a_blank_template():
    assert detect_header([["id", "name", "risk"]]) == (0, [])
    assert detect_header([["Title"], [], ["id", "name", "risk"]]) == (2, [0])


def test_error_cells_and_formulas_without_value(tmp_path):
    p = _book(tmp_path / "x.xlsx", [("Pipeline", "visible", [HEADER, ["OPP-1", "A", "Med", "#DIV/0!"],
                                                             ["OPP-2", "B", "Low", "=1/0"], ["OPP-3", "C", "#N/A", 5]])])
    frame, _info = read_raw(p)
    notes = frame.attrs["cell_notes"]
    assert notes[(0, "Amount")] == "cell D2 holds the Excel error #DIV/0!"
    assert notes[(1, "Amount")].startswith("cell D3 is a formula (=1/0) with no saved value")
    assert notes[(2, "Risk")] == "cell C4 holds the Excel error #N/A"
    assert frame.loc[1, "Amount"] == "" and frame.loc[2, "Amount"] == 5  # typed numbers stay numbers


def test_row_cap(tmp_path):
    c = tmp_path / "big.csv"
    c.write_text("id,x\n" + "".join(f"r{i},{i}\n" for i in range(12)), encoding="utf-8")
    with pytest.raises(PortfolioError, match=r"too many rows \(12; at most 10\)"):
        read_raw(c, max_rows=10)
    _frame, info = read_raw(c, max_rows=12)
    assert info.rows == 12
    p = _book(tmp_path / "big.xlsx", [("S", "visible", [["id", "x"], *[[f"r{i}", i] for i in range(60)]])])
    with pytest.raises(PortfolioError, match="too many rows"):
        read_raw(p, max_rows=5)


@pytest.mark.parametrize("encoding, data, expected", [
    ("utf-8 (with BOM)", "\ufeffid;Kunde;Betrag\nA;Müller GmbH;1.250,50 €\n".encode("utf-8"), "Müller GmbH"),
    ("utf-8", "id;Kunde;Betrag\nA;Müller GmbH;1.250,50 €\n".encode(), "Müller GmbH"),
    ("cp1252", "id;Kunde;Betrag\nA;Müller GmbH;1.250,50 €\n".encode("cp1252"), "Müller GmbH"),
    ("latin-1", b"id;Kunde;Betrag\nA;M\xfcller\x81 GmbH;1.250,50\n", "Müller\x81 GmbH"),
    ("utf-16", "id\tKunde\tBetrag\nA\tMüller GmbH\t1.250,50 €\n".encode("utf-16"), "Müller GmbH"),
])
def test_encodings(tmp_path, encoding, data, expected):
    c = tmp_path / "x.csv"
    c.write_bytes(data)
    frame, info = read_raw(c)
    assert info.encoding == encoding
    assert frame.loc[0, "Kunde"] == expected
    assert list(frame.columns) == ["id", "Kunde", "Betrag"]
    if encoding in ("cp1252", "latin-1"):
        assert any(encoding in n for n in info.notes)


@pytest.mark.parametrize("text, delim", [
    ('id,name,amount\nA,"Campus, 5G","EUR 1,250,000.00"\nB,SOC,"EUR 300,000.00"\n', ","),
    ("id;name;amount\nA;Campus, 5G;1.250.000,00\nB;SOC;300.000,50\n", ";"),
    ("id\tname\tamount\nA\tCampus, 5G\t1,250\nB\tSOC\t300\n", "\t"),
])
def test_delimiters(tmp_path, text, delim):
    c = tmp_path / "x.csv"
    c.write_text(text, encoding="utf-8")
    frame, info = read_raw(c)
    assert info.delimiter == delim and list(frame.columns) == ["id", "name", "amount"]
    assert frame.loc[0, "name"] == "Campus, 5G"


def test_structural_problems(tmp_path):
    c = tmp_path / "x.csv"
    c.write_text("id,Amount,amount\nA,1,2\n", encoding="utf-8")
    with pytest.raises(PortfolioError, match="appears twice"):
        read_raw(c)
    c.write_text("id,x,\nA,1,2\n", encoding="utf-8")
    with pytest.raises(PortfolioError, match="column C has data but no name"):
        read_raw(c)
    c.write_text("", encoding="utf-8")
    with pytest.raises(PortfolioError, match="empty"):
        read_raw(c)
    with pytest.raises(PortfolioError, match="not found"):
        read_raw(tmp_path / "nope.csv")
    with pytest.raises(PortfolioError, match="sheet was given for a CSV"):
        c.write_text("id\nA\n", encoding="utf-8")
        read_raw(c, sheet="x")


def test_case_study_dynamics_export_detected_without_profile():
    from pathlib import Path
    p = Path(__file__).resolve().parents[1] / "case_studies/telecom_b2b/exports/dynamics_pipeline.xlsx"
    _frame, info = read_raw(p)
    assert info.sheet == "Vertriebschancen" and info.header_row == 4 and info.rows == 14
    assert any("hiddenSheet" in n for n in info.notes)
