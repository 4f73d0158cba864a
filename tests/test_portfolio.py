"""Opportunity tables: every supported way in gives the same validated matrix, and every bad input
is refused with a message naming the file, row, column, value and what was expected."""
from __future__ import annotations

import math

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda_qualify.criteria import criteria_from_dict
from mcda_qualify.errors import PortfolioError
from mcda_qualify.io.tables import read_table
from mcda_qualify.portfolio import EV_COLUMNS, load_portfolio
from mcda_qualify.ranking import rank


def _expected_matrix(crit, header, rows):
    """What the matrix must be, computed from the scale definitions (not by the loader)."""
    out = []
    for r in rows:
        cells = dict(zip(header, r))
        line = []
        for c in crit.criteria:
            text = cells[c.id].strip()
            level = None
            if c.scale:
                level = next((k for k, lv in c.scale.items() if lv.label.lower() == text.lower()), None)
            line.append(float(level) if level is not None else float(text.replace(",", ".").replace(" ", "")))
        out.append(line)
    return np.array(out)


# ------------------------------------------------------------------------------------------------
# loading
# ------------------------------------------------------------------------------------------------


def test_case_study_loads(case, criteria, case_rows):
    assert case.ids == [r["id"] for r in case_rows]
    assert case.names == [r["name"] for r in case_rows]
    assert case.matrix.shape == (len(case_rows), len(criteria.ids))
    header = list(case_rows[0])
    expected = _expected_matrix(criteria, header, [[r[h] for h in header] for r in case_rows])
    np.testing.assert_array_equal(case.matrix, expected)
    assert len(case) == len(case_rows)
    assert case.filled == []
    assert case.rows[0] == f"2 (id {case_rows[0]['id']})"


def test_extra_columns_are_carried_along(case, case_rows):
    assert case.extra_columns == ["customer", "owner", *EV_COLUMNS]
    assert list(case.table["customer"]) == [r["customer"] for r in case_rows]
    assert list(case.table["owner"]) == [r["owner"] for r in case_rows]
    assert list(case.table["value"]) == [float(r["value"]) for r in case_rows]
    assert list(case.table.columns[:2]) == ["id", "name"]


def test_criterion_columns_in_any_order_and_case(small, tk, write):
    header = ["EFFORT", "Fit", "id", "Risk", "deal_size", "note"]
    rows = [["10", "FULL", "A", " Low ", "500", "x"], ["20", "Partial", "B", "MEDIUM", "300", "y"],
            ["30", "none", "C", "high", "100", "z"]]
    p = load_portfolio(write("t.csv", tk.csv_text(header, rows)), small)
    expected = _expected_matrix(small, [h.lower() for h in header], rows)
    np.testing.assert_array_equal(p.matrix, expected)
    assert p.names == ["A", "B", "C"]  # no name column: the id stands in
    assert p.extra_columns == ["note"]


def test_none_is_a_scale_level_not_a_missing_value(small, tk, write):
    p = load_portfolio(write("t.csv", tk.csv_text(tk.SMALL_HEADER, tk.small_rows())), small)
    j = small.ids.index("fit")
    assert p.matrix[2, j] == small["fit"].level_of("none")
    assert p.filled == []


@pytest.mark.parametrize("sep", [";", "\t"])
def test_semicolon_and_tab_with_decimal_comma(sep, small, tk, write):
    rows = tk.small_rows()
    rows[0][2] = "512,5"
    rows[1][5] = "1 250,75"  # a space as thousands separator
    p = load_portfolio(write("t.csv", tk.csv_text(tk.SMALL_HEADER, rows, sep=sep)), small)
    assert p.matrix[0, 0] == 512.5
    assert p.matrix[1, 3] == 1250.75
    np.testing.assert_array_equal(p.matrix[2], _expected_matrix(small, tk.SMALL_HEADER, rows)[2])


def test_read_table_then_dataframe_keeps_the_decimal_comma(small, tk, write):
    """The app reads a file with read_table and loads the (possibly edited) frame afterwards."""
    rows = tk.small_rows()
    rows[0][5] = "10,5"
    frame, delim = read_table(write("t.csv", tk.csv_text(tk.SMALL_HEADER, rows, sep=";")))
    assert delim == ";"
    assert all(isinstance(v, str) for v in frame["effort"])  # every cell is text as read
    p = load_portfolio(frame.assign(), small)
    assert p.matrix[0, 3] == 10.5


def test_comma_file_with_semicolons_in_names(small, tk, write):
    rows = tk.small_rows()
    rows[0][1] = "Alpha; phase 1"
    rows[1][1] = "Beta, phase 2"
    p = load_portfolio(write("t.csv", tk.csv_text(tk.SMALL_HEADER, rows)), small)
    assert p.names[:2] == ["Alpha; phase 1", "Beta, phase 2"]


def test_utf8_with_bom(small, tk, write):
    text = tk.csv_text(tk.SMALL_HEADER, tk.small_rows())
    p = load_portfolio(write("bom.csv", b"\xef\xbb\xbf" + text.encode("utf-8")), small)
    assert p.ids == ["A", "B", "C"]
    assert "id" in p.table.columns


def _workbook(path, header, rows, sheet="Deals", lead_blank=0):
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb.active["A1"] = "read me"
    ws = wb.create_sheet(sheet)
    for r in range(lead_blank):
        ws.cell(row=r + 1, column=1, value=None)
    for i, line in enumerate([header, *rows]):
        for j, v in enumerate(line):
            ws.cell(row=lead_blank + i + 1, column=j + 1, value=v)
    wb.save(path)
    return path


def test_xlsx_by_sheet_name_and_index(small, tk, tmp_path):
    rows = [["A", "Alpha", 500, "low", "full", 10.5], ["B", "Beta", 300, "Medium", "partial", 20],
            ["C", "Gamma", 100, "high", "none", 30]]
    path = _workbook(tmp_path / "deals.xlsx", tk.SMALL_HEADER, rows)
    by_name = load_portfolio(path, small, sheet="Deals")
    by_index = load_portfolio(path, small, sheet=1)
    by_text_index = load_portfolio(path, small, sheet="1")
    expected = _expected_matrix(small, tk.SMALL_HEADER, [[str(v) for v in r] for r in rows])
    for p in (by_name, by_index, by_text_index):
        np.testing.assert_array_equal(p.matrix, expected)
        assert p.source == f"{path} [sheet Deals]"
    frame, label = read_table(path, "Deals")
    assert label == "Deals" and list(frame.columns) == tk.SMALL_HEADER


def test_xlsx_missing_sheet(small, tk, tmp_path):
    path = _workbook(tmp_path / "deals.xlsx", tk.SMALL_HEADER, tk.small_rows())
    for sheet in ("Opportunities", 7):
        with pytest.raises(PortfolioError) as err:
            load_portfolio(path, small, sheet=sheet)
        msg = str(err.value)
        assert msg.startswith(f"{path}: no such sheet (got {sheet!r})")
        assert "one of 'Notes', 'Deals'" in msg


def test_xlsx_row_numbers_are_spreadsheet_rows(small, tk, tmp_path):
    rows = tk.small_rows()
    rows[1][5] = "lots"
    path = _workbook(tmp_path / "deals.xlsx", tk.SMALL_HEADER, rows, lead_blank=2)
    with pytest.raises(PortfolioError) as err:
        load_portfolio(path, small, sheet="Deals")
    # two blank rows, the header on row 3, A on row 4, B on row 5
    assert err.value.row == "5 (id B)"
    assert err.value.column == "effort"


def test_broken_workbook(small, write):
    p = write("broken.xlsx", b"this is not a zip archive")
    with pytest.raises(PortfolioError, match="cannot open the workbook"):
        load_portfolio(p, small)


def test_workbook_saved_with_csv_name(small, tk, tmp_path):
    path = _workbook(tmp_path / "deals.csv", tk.SMALL_HEADER, tk.small_rows())
    assert load_portfolio(path, small, sheet="Deals").ids == ["A", "B", "C"]


def test_old_xls_is_refused(small, write):
    with pytest.raises(PortfolioError, match=r"\.xls workbooks are not supported"):
        load_portfolio(write("old.xls", b"\xd0\xcf\x11\xe0"), small)


def test_dataframe_input(small, tk):
    frame = pd.DataFrame(tk.small_rows(), columns=tk.SMALL_HEADER)
    frame["deal_size"] = [500, 300.5, 100]
    frame["effort"] = np.array([10, 20, 30], dtype=np.int64)
    p = load_portfolio(frame, small)
    assert p.matrix[:, 0].tolist() == [500, 300.5, 100]
    assert p.matrix[:, 3].tolist() == [10, 20, 30]
    assert p.source == "table"
    assert frame["risk"].tolist() == ["low", "medium", "high"]  # the caller's frame is untouched


def test_dataframe_with_nullable_missing_values(small, tk):
    frame = pd.DataFrame(tk.small_rows(), columns=tk.SMALL_HEADER)
    frame["effort"] = pd.array([10, None, 30], dtype="Int64")
    frame["name"] = pd.array(["Alpha", pd.NA, "Gamma"], dtype="string")
    with pytest.raises(PortfolioError) as err:
        load_portfolio(frame, small)
    assert err.value.problem == "missing value" and err.value.column == "effort" and err.value.value is None
    p = load_portfolio(frame, small, missing="worst")
    assert p.names == ["Alpha", "B", "Gamma"]
    frame["id"] = pd.array(["A", pd.NA, "C"], dtype="string")
    with pytest.raises(PortfolioError, match="empty id"):
        load_portfolio(frame, small)


def test_dataframe_rows_use_first_row_attr(small, tk):
    frame = pd.DataFrame(tk.small_rows(), columns=tk.SMALL_HEADER)
    frame.loc[2, "fit"] = "perfect"
    frame.attrs.update(where="edited table", first_row=2)
    with pytest.raises(PortfolioError) as err:
        load_portfolio(frame, small)
    assert str(err.value).startswith("edited table, row 4 (id C), column 'fit': label not on the scale")


def test_blank_lines_keep_row_numbers(small, tk, write):
    rows = tk.small_rows()
    rows[2][3] = "extreme"
    lines = tk.csv_text(tk.SMALL_HEADER, rows).splitlines()
    text = "\n" + lines[0] + "\n\n" + lines[1] + "\n" + lines[2] + "\n,,,,,\n" + lines[3] + "\n\n"
    p = write("gaps.csv", text)
    with pytest.raises(PortfolioError) as err:
        load_portfolio(p, small)
    # line 1 blank, header line 2, blank line 3, A line 4, B line 5, empty cells line 6, C line 7
    assert err.value.row == "7 (id C)"
    rows[2][3] = "high"
    good = write("gaps2.csv", text.replace("extreme", "high"))
    assert load_portfolio(good, small).rows == ["4 (id A)", "5 (id B)", "7 (id C)"]


def test_missing_worst_fills_and_reports(small, tk, write):
    rows = tk.small_rows()
    rows[0][3] = ""        # risk (cost scale): worst level = highest
    rows[1][2] = "n/a"     # deal_size (benefit, bounds [0, 1000]): worst bound = 0
    rows[2][5] = "?"       # effort (cost, no bounds): worst value in the column = max
    p = load_portfolio(write("holes.csv", tk.csv_text(tk.SMALL_HEADER, rows)), small, missing="worst")
    assert p.matrix[0, 1] == max(small["risk"].scale)
    assert p.matrix[1, 0] == small["deal_size"].bounds[0]
    assert p.matrix[2, 3] == max(float(rows[0][5]), float(rows[1][5]))
    # one entry per filled cell, criteria in file order
    assert [(f["id"], f["column"], f["value"]) for f in p.filled] == [
        ("B", "deal_size", p.matrix[1, 0]), ("A", "risk", p.matrix[0, 1]), ("C", "effort", p.matrix[2, 3])]
    assert {f["basis"] for f in p.filled} == {"worst bound", "worst level of the scale", "worst value in the column"}
    assert p.filled[1]["row"] == "2 (id A)"


def test_missing_worst_with_a_whole_unbounded_column_missing(small, tk, write):
    rows = tk.small_rows()
    for r in rows:
        r[5] = ""
    with pytest.raises(PortfolioError) as err:
        load_portfolio(write("t.csv", tk.csv_text(tk.SMALL_HEADER, rows)), small, missing="worst")
    assert err.value.column == "effort" and "every value is missing" in str(err.value)


def test_unknown_missing_policy(small, small_csv):
    with pytest.raises(PortfolioError, match="unknown missing-value policy"):
        load_portfolio(small_csv, small, missing="mean")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------
# bad input: one test per mistake, each checking what the message tells the user
# ------------------------------------------------------------------------------------------------


def _load_with(small, tk, write, row, col, value):
    rows = tk.small_rows()
    rows[row][tk.SMALL_HEADER.index(col)] = value
    path = write("bad.csv", tk.csv_text(tk.SMALL_HEADER, rows))
    with pytest.raises(PortfolioError) as err:
        load_portfolio(path, small)
    return path, err.value


@pytest.mark.parametrize("value", ["", "  ", "NaN", "n/a", "-"])
def test_missing_cell(value, small, tk, write):
    path, e = _load_with(small, tk, write, 1, "deal_size", value)
    msg = str(e)
    assert msg.startswith(f"{path}, row 3 (id B), column 'deal_size': missing value")
    assert "expected a number kEUR between 0 and 1000" in msg
    assert "--missing worst" in msg


def test_text_in_a_numeric_column(small, tk, write):
    path, e = _load_with(small, tk, write, 0, "effort", "ten")
    assert str(e) == (f"{path}, row 2 (id A), column 'effort': text in a numeric column (got 'ten'); "
                      "expected a number days")


def test_label_not_on_the_scale(small, tk, write):
    path, e = _load_with(small, tk, write, 2, "risk", "extreme")
    assert str(e) == (f"{path}, row 4 (id C), column 'risk': label not on the scale (got 'extreme'); "
                      "expected a level of the scale (1 = low, 2 = medium, 3 = high)")


@pytest.mark.parametrize("value", ["4", "0", "2.5"])
def test_number_that_is_not_a_scale_level(value, small, tk, write):
    path, e = _load_with(small, tk, write, 0, "fit", value)
    msg = str(e)
    assert msg.startswith(f"{path}, row 2 (id A), column 'fit': number is not a level of the scale (got '{value}')")
    assert "1 = none, 2 = partial, 3 = full" in msg


@pytest.mark.parametrize("value", ["1000.5", "-1"])
def test_value_outside_bounds(value, small, tk, write):
    path, e = _load_with(small, tk, write, 1, "deal_size", value)
    msg = str(e)
    assert msg.startswith(f"{path}, row 3 (id B), column 'deal_size': number outside the criterion's bounds (got '{value}')")
    assert "between 0 and 1000" in msg and "widen 'bounds'" in msg


@pytest.mark.parametrize("value", ["inf", "-Infinity"])
def test_infinite_value(value, small, tk, write):
    path, e = _load_with(small, tk, write, 0, "effort", value)
    assert "not a finite number" in str(e) and e.value == value and e.column == "effort"


def test_missing_criterion_column_with_hint(small, tk, write):
    header = [("deal_sise" if h == "deal_size" else h) for h in tk.SMALL_HEADER]
    path = write("t.csv", tk.csv_text(header, tk.small_rows()))
    with pytest.raises(PortfolioError) as err:
        load_portfolio(path, small)
    msg = str(err.value)
    assert msg.startswith(f"{path}, column 'deal_size': missing criterion column")
    assert "column 'deal_sise' is not a criterion: did you mean 'deal_size'?" in msg
    assert "deal_size, risk, fit, effort" in msg


def test_several_missing_columns_are_listed(small, tk, write):
    header = ["id", "name", "deal_size", "risk"]
    path = write("t.csv", tk.csv_text(header, [r[:4] for r in tk.small_rows()]))
    with pytest.raises(PortfolioError) as err:  # every missing column is its own problem, reported together
        load_portfolio(path, small)
    assert [(e.column, e.problem) for e in err.value.problems] == [("fit", "missing criterion column"),
                                                                   ("effort", "missing criterion column")]


def test_no_id_column(small, tk, write):
    header = ["ref", *tk.SMALL_HEADER[1:]]
    path = write("t.csv", tk.csv_text(header, tk.small_rows()))
    with pytest.raises(PortfolioError) as err:
        load_portfolio(path, small)
    assert str(err.value).startswith(f"{path}: no 'id' column (got ['ref', 'name', ")
    assert "expected a column 'id'" in str(err.value)


def test_empty_id(small, tk, write):
    path, e = _load_with(small, tk, write, 1, "id", "  ")
    assert str(e) == f"{path}, row 3, column 'id': empty id; expected a unique identifier"


def test_duplicate_id(small, tk, write):
    path, e = _load_with(small, tk, write, 2, "id", "A")
    assert str(e) == f"{path}, row 4, column 'id': duplicate id (first used on row 2) (got 'A'); expected each id once"


def test_empty_file(small, write):
    for name, content in (("empty.csv", ""), ("blank.csv", "\n  \n")):
        p = write(name, content)
        with pytest.raises(PortfolioError) as err:
            load_portfolio(p, small)
        assert str(err.value).startswith(f"{p}: the file is empty")


def test_only_empty_cells(small, write):
    p = write("cells.csv", ",,,\n,,,\n")
    with pytest.raises(PortfolioError) as err:
        load_portfolio(p, small)
    assert str(err.value).startswith(f"{p}: the table is empty")


def test_header_only(small, tk, write):
    p = write("head.csv", tk.csv_text(tk.SMALL_HEADER, []))
    with pytest.raises(PortfolioError) as err:
        load_portfolio(p, small)
    assert str(err.value) == f"{p}: no opportunities: the table has a header but no rows; expected at least one row"


def test_file_that_does_not_exist(small, tmp_path):
    p = tmp_path / "missing.csv"
    with pytest.raises(PortfolioError) as err:
        load_portfolio(p, small)
    assert str(err.value) == f"{p}: file not found; expected a CSV or XLSX export"


def test_folder(small, tmp_path):
    with pytest.raises(PortfolioError) as err:
        load_portfolio(tmp_path, small)
    assert str(err.value) == f"{tmp_path}: is a folder, not a file; expected a CSV or XLSX export"


def test_not_utf8_is_read_as_windows_1252(small, tk, write):
    """Windows Excel's default CSV encoding is read (it used to be refused), and the reader says so."""
    from mcda_qualify.importing import import_portfolio

    rows = tk.small_rows()
    rows[0][1] = "Caf\u00e9 de Paris \u20ac"
    p = write("cp1252.csv", tk.csv_text(tk.SMALL_HEADER, rows), encoding="cp1252")
    assert load_portfolio(p, small).names[0] == "Caf\u00e9 de Paris \u20ac"
    _, info = import_portfolio(p, small)
    assert info.encoding == "cp1252" and any("cp1252" in n for n in info.notes)


@pytest.mark.parametrize("text, needle", [
    ("id,name,deal_size,risk,fit,effort\nA,Alpha,500,low,full,10\nB,Beta,300,low,full,20,99\n",
     ", row 1, column 'G': column G has data but no name in the header row"),
    ('id,name,deal_size,risk,fit,effort\nA,"Alpha,500,low,full,10\n',
     ", row 2: malformed CSV (a quoted field that starts on line 2 is never closed)"),
])
def test_malformed_csv(text, needle, small, write):
    p = write("bad.csv", text)
    with pytest.raises(PortfolioError) as err:
        load_portfolio(p, small)
    assert str(err.value).startswith(f"{p}{needle}")


def test_duplicate_header_columns(small, tk, write):
    header = [*tk.SMALL_HEADER, "Risk"]
    rows = [[*r, "low"] for r in tk.small_rows()]
    p = write("dup.csv", tk.csv_text(header, rows))
    with pytest.raises(PortfolioError) as err:
        load_portfolio(p, small)
    assert str(err.value) == (f"{p}, row 1, column 'Risk': the column appears twice in the header (columns D and G); "
                              "expected each column name once")


def test_unnamed_column_with_data(small, tk, write):
    header = [*tk.SMALL_HEADER, ""]
    rows = [[*r, "x"] for r in tk.small_rows()]
    with pytest.raises(PortfolioError, match=r"row 1, column 'G': column G has data but no name in the header row"):
        load_portfolio(write("t.csv", tk.csv_text(header, rows)), small)


def test_trailing_empty_columns_are_ignored(small, tk, write):
    header = [*tk.SMALL_HEADER, "", ""]
    rows = [[*r, "", ""] for r in tk.small_rows()]
    p = load_portfolio(write("t.csv", tk.csv_text(header, rows)), small)
    assert p.extra_columns == []


def test_duplicate_columns_in_a_dataframe(small, tk):
    frame = pd.DataFrame(tk.small_rows(), columns=tk.SMALL_HEADER)
    frame.columns = [*tk.SMALL_HEADER[:-1], "RISK"]
    with pytest.raises(PortfolioError, match=r"column 'risk': the column appears twice"):
        load_portfolio(frame, small)


# ------------------------------------------------------------------------------------------------
# expected-value columns
# ------------------------------------------------------------------------------------------------


def _ev_table(tk, values, sep=","):
    header = [*tk.SMALL_HEADER, *EV_COLUMNS]
    rows = [[*r, *v] for r, v in zip(tk.small_rows(), values)]
    return tk.csv_text(header, rows, sep=sep)


def test_ev_columns_parsed(small, tk, write):
    p = load_portfolio(write("ev.csv", _ev_table(tk, [["1000", "35%", "50"], ["200", "0.5", "0"], ["50", "1", "5"]])), small)
    assert p.table["win_probability"].tolist() == [0.35, 0.5, 1.0]
    assert p.table["value"].tolist() == [1000.0, 200.0, 50.0]
    assert p.table["pursuit_cost"].tolist() == [50.0, 0.0, 5.0]


def test_ev_decimal_comma(small, tk, write):
    p = load_portfolio(write("ev.csv", _ev_table(tk, [["1000", "0,35", "50,5"], ["200", "50%", "0"], ["50", "1", "5"]], sep=";")), small)
    assert p.table["win_probability"].tolist()[:2] == [0.35, 0.5]
    assert p.table["pursuit_cost"].iloc[0] == 50.5


@pytest.mark.parametrize("prob", ["1.2", "120%", "-0.1"])
def test_probability_above_one(prob, small, tk, write):
    p = write("ev.csv", _ev_table(tk, [["1000", prob, "50"], ["200", "0.5", "0"], ["50", "1", "5"]]))
    with pytest.raises(PortfolioError) as err:
        load_portfolio(p, small)
    assert str(err.value) == (f"{p}, row 2 (id A), column 'win_probability': probability out of range (got '{prob}'); "
                              "expected a number between 0 and 1, or 0%-100%")


def test_negative_cost(small, tk, write):
    p = write("ev.csv", _ev_table(tk, [["1000", "0.3", "50"], ["200", "0.5", "-10"], ["50", "1", "5"]]))
    with pytest.raises(PortfolioError) as err:
        load_portfolio(p, small)
    assert str(err.value) == (f"{p}, row 3 (id B), column 'pursuit_cost': negative amount (got '-10'); "
                              "expected a non-negative amount")


def test_ev_missing_and_text(small, tk, write):
    p = write("ev.csv", _ev_table(tk, [["1000", "0.3", "50"], ["", "0.5", "1"], ["50", "1", "5"]]))
    with pytest.raises(PortfolioError, match=r"row 3 \(id B\), column 'value': missing value \(got None\)"):
        load_portfolio(p, small)
    p = write("ev2.csv", _ev_table(tk, [["1000", "likely", "50"], ["1", "0.5", "1"], ["50", "1", "5"]]))
    with pytest.raises(PortfolioError, match=r"column 'win_probability': not a number \(got 'likely'\)"):
        load_portfolio(p, small)


def test_only_some_ev_columns(small, tk, write):
    header = [*tk.SMALL_HEADER, "value", "win_probability"]
    rows = [[*r, "100", "0.5"] for r in tk.small_rows()]
    p = write("ev.csv", tk.csv_text(header, rows))
    with pytest.raises(PortfolioError) as err:
        load_portfolio(p, small)
    msg = str(err.value)
    assert msg.startswith(f"{p}, column 'pursuit_cost': expected-value columns come together")
    assert "found ['value', 'win_probability'], missing ['pursuit_cost']" in msg


# ------------------------------------------------------------------------------------------------
# tables a ranking cannot use (raised by rank)
# ------------------------------------------------------------------------------------------------


def test_constant_column_is_a_note_and_contributes_nothing(small, tk, write):
    """Issue 17: no refusal; the scores equal those with the criterion left out, for every method."""
    rows = tk.small_rows()
    for r in rows:
        r[3] = "medium"
    p = load_portfolio(write("t.csv", tk.csv_text(tk.SMALL_HEADER, rows)), small)
    for method, norm in [("topsis", "vector"), ("topsis", "minmax"), ("vikor", "vector"), ("promethee_ii", "vector"),
                         ("wsm", "vector"), ("wpm", "vector")]:
        r = rank(p, method=method, normalization=norm)
        assert r.notes[0].startswith("criterion 'risk': every opportunity has the same value (medium), so it cannot "
                                     "tell the opportunities apart and contributes nothing")
        alone = rank(p, method=method, normalization=norm, exclude=["risk"])
        assert r.table["score"].tolist() == pytest.approx(alone.table["score"].tolist()), method
        assert "risk" in r.weights.index  # the user's weight is kept and shown
    c = rank(p).contributions()
    assert (c.loc[c["criterion"] == "risk", ["share_of_distance_to_ideal", "share_of_distance_to_anti_ideal"]] == 0).all().all()


def test_all_zero_column_is_a_note(small, tk, write):
    rows = tk.small_rows()
    for r in rows:
        r[2] = "0"
    p = load_portfolio(write("t.csv", tk.csv_text(tk.SMALL_HEADER, rows)), small)
    r = rank(p)
    assert r.notes[0].startswith("criterion 'deal_size': every value is zero")
    assert r.table["score"].tolist() == pytest.approx(rank(p, exclude=["deal_size"]).table["score"].tolist())


def test_single_opportunity_raised_by_rank(small, tk, write):
    p = load_portfolio(write("one.csv", tk.csv_text(tk.SMALL_HEADER, tk.small_rows()[:1])), small)
    assert len(p) == 1  # loading one opportunity is fine
    with pytest.raises(PortfolioError) as err:
        rank(p)
    assert str(err.value).startswith(f"{p.source}, row 2 (id A): only one opportunity")


# ------------------------------------------------------------------------------------------------
# properties of the reader
# ------------------------------------------------------------------------------------------------

_finite = st.floats(min_value=0, max_value=1000, allow_nan=False, allow_infinity=False)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(_finite, st.floats(min_value=0, max_value=1e6)), min_size=2, max_size=6),
       st.sampled_from([",", ";", "\t"]))
def test_numbers_round_trip_through_any_delimiter(tmp_path_factory, values, sep):
    crit = criteria_from_dict({"name": "x", "criteria": [
        {"id": "size", "name": "S", "direction": "benefit", "bounds": [0, 1000]},
        {"id": "cost", "name": "C", "direction": "cost"}]})
    decimal = "," if sep != "," else "."
    rows = [[f"o{i}", repr(a).replace(".", decimal), repr(b).replace(".", decimal)] for i, (a, b) in enumerate(values)]
    header = ["id", "size", "cost"]
    text = sep.join(header) + "\n" + "\n".join(sep.join(r) for r in rows) + "\n"
    path = tmp_path_factory.mktemp("rt") / "t.csv"
    path.write_text(text, encoding="utf-8")
    p = load_portfolio(path, crit)
    assert p.matrix.tolist() == [[a, b] for a, b in values]
    assert not any(math.isnan(x) for x in p.matrix.ravel())


def test_a_value_read_once_per_column_is_still_checked_at_every_row(small):
    """load_portfolio reads each distinct value of a column once (long pipelines repeat their labels):
    a good value read once serves every row, a bad one is reported at every row it appears in."""
    import pandas as pd

    from mcda_qualify.errors import InputError

    t = pd.DataFrame({"id": [f"O{i}" for i in range(6)], "name": list("abcdef"),
                      "deal_size": ["120", "120", "5000", "120", "x", "120"],
                      "risk": ["low", "medum", "low", "high", "medum", "low"],
                      "fit": ["full"] * 6, "effort": ["10"] * 6})
    with pytest.raises(InputError) as e:
        load_portfolio(t, small)
    where = sorted((p.row, p.column, str(p.value)) for p in e.value.problems)
    assert where == [("1 (id O1)", "risk", "medum"), ("2 (id O2)", "deal_size", "5000"),
                     ("4 (id O4)", "deal_size", "x"), ("4 (id O4)", "risk", "medum")]
    ok = t.assign(deal_size="120", risk=["low", "high"] * 3)
    p = load_portfolio(ok, small)
    assert list(p.table["risk"]) == [1.0, 3.0] * 3 and list(p.table["deal_size"]) == [120.0] * 6
