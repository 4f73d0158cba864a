"""Reading opportunity tables: CSV (delimiter sniffed, UTF-8) and XLSX, every cell as text.

File formats only: this module knows rows, columns and sheets, not criteria; the labelled layer
(:mod:`mcda_qualify.portfolio`) turns the text cells into validated numbers.
"""
from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pandas as pd

from ..errors import PortfolioError
from .files import read_bytes_checked

__all__ = ["read_table", "MAX_ROWS", "MAX_COLUMNS", "MAX_XLSX_XML_BYTES"]

#: most data rows of an opportunity table (CSV or one worksheet)
MAX_ROWS = 100_000
#: most columns of an opportunity table
MAX_COLUMNS = 1_000
#: most bytes of worksheet and shared-string XML in a workbook once unpacked (about 400,000 cells:
#: openpyxl reads some 30,000 cells a second, so a bigger sheet would take minutes)
MAX_XLSX_XML_BYTES = 16 * 1024 * 1024
_WHAT = "a CSV or XLSX opportunity table"


def _too_many_rows(n: int, where: str) -> PortfolioError:
    return PortfolioError(f"too many rows ({n:,}; at most {MAX_ROWS:,})", file=where,
                          expected="a table of at most 100,000 opportunities (split it, or filter it first)")


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def read_table(path: str | Path, sheet: str | int | None = None) -> tuple[pd.DataFrame, str]:
    """Read a CSV (delimiter sniffed, UTF-8 with or without BOM) or XLSX file as text cells.

    Returns the raw table (every cell a string, header as given) and the delimiter or sheet used.
    """
    p = Path(path)
    where = str(p)
    suffix = p.suffix.lower()
    raw = read_bytes_checked(p, _WHAT, error=PortfolioError)  # a regular file below the size cap, or a clear error
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(p, sheet, raw)
    if suffix == ".xls":
        raise PortfolioError("old binary .xls workbooks are not supported", file=where,
                             expected="an .xlsx workbook or a CSV file")
    if raw[:4] == b"PK\x03\x04":  # a workbook saved with a .csv name
        return _read_xlsx(p, sheet, raw)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PortfolioError(f"not UTF-8 text (byte {exc.start})", file=where,
                             expected="a CSV saved as UTF-8 (Excel: 'CSV UTF-8')") from None
    if not text.strip():
        raise PortfolioError("the file is empty", file=where, expected="a header row with 'id' and one column per criterion")
    delim = _sniff_delimiter(text)
    # blank lines are kept as rows (a spreadsheet shows them) so that row numbers in messages match;
    # leading ones are cut here because pandas takes the number of columns from the first line
    body = text.lstrip("\r\n")
    lead = text[: len(text) - len(body)].count("\n")
    lines = body.count("\n")  # an upper bound of the rows (quoted cells may hold line breaks)
    if lines > MAX_ROWS + 1:
        n = sum(1 for line in body.splitlines() if line.strip()) - 1
        if n > MAX_ROWS:
            raise _too_many_rows(n, where)
    try:
        frame = pd.read_csv(io.StringIO(body), sep=delim, dtype=str, keep_default_na=False,
                            header=None, skip_blank_lines=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise PortfolioError(f"malformed CSV ({str(exc).strip()})", file=where) from None
    table = _with_header(frame, where, first_row=lead + 1)
    if len(table) > MAX_ROWS:
        raise _too_many_rows(len(table), where)
    table.attrs["delimiter"] = delim  # so that a frame from read_table keeps its decimal comma in load_portfolio
    return table, delim


def _check_unpacked(raw: bytes, where: str) -> None:
    """Refuse a workbook whose sheets unpack to more XML than :data:`MAX_XLSX_XML_BYTES` (before parsing it)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            size = sum(i.file_size for i in zf.infolist()
                       if i.filename.startswith("xl/worksheets/") or i.filename == "xl/sharedStrings.xml")
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PortfolioError(f"cannot open the workbook ({exc})", file=where, expected="an .xlsx workbook") from None
    if size > MAX_XLSX_XML_BYTES:
        raise PortfolioError(f"workbook too large to read in reasonable time ({size / 2**20:,.0f} MiB of sheet data "
                             f"once unpacked; at most {MAX_XLSX_XML_BYTES // 2**20} MiB, about 400,000 cells)",
                             file=where, expected="a smaller workbook, or the sheet saved as CSV (read much faster)")


def _read_xlsx(p: Path, sheet: str | int | None, raw: bytes) -> tuple[pd.DataFrame, str]:
    import openpyxl  # noqa: F401  (a clear ImportError here beats pandas' generic one)

    where = str(p)
    _check_unpacked(raw, where)
    try:
        book = pd.ExcelFile(io.BytesIO(raw), engine="openpyxl")
    except Exception as exc:  # openpyxl raises several unrelated types for a broken workbook
        raise PortfolioError(f"cannot open the workbook ({type(exc).__name__}: {exc})", file=where,
                             expected="an .xlsx workbook") from None
    with book:
        names = book.sheet_names
        if sheet is None:
            chosen: str | int = names[0]
        elif isinstance(sheet, str) and sheet.isdigit() and sheet not in names:
            chosen = int(sheet)
        else:
            chosen = sheet
        if isinstance(chosen, int) and not 0 <= chosen < len(names) or isinstance(chosen, str) and chosen not in names:
            raise PortfolioError("no such sheet", file=where, value=sheet,
                                 expected=f"one of {names} (or its 0-based position)")
        # pd.read_excel keeps leading blank rows, so position i is spreadsheet row i + 1
        frame = pd.read_excel(book, sheet_name=chosen, header=None, dtype=object, nrows=MAX_ROWS + 2)
    if len(frame) > MAX_ROWS + 1:
        raise _too_many_rows(len(frame) - 1, where)
    frame = frame.map(lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) else
                      (repr(v) if isinstance(v, float) else str(v)))
    label = names[chosen] if isinstance(chosen, int) else chosen
    where = f"{where} [sheet {label}]"
    if frame.empty or not any(s.strip() for s in frame.to_numpy().ravel()):
        raise PortfolioError("the sheet is empty", file=where,
                             expected="a header row with 'id' and one column per criterion")
    return _with_header(frame, where, first_row=1), label


def _with_header(frame: pd.DataFrame, where: str, first_row: int = 1) -> pd.DataFrame:
    """Use the first non-blank row as the header (stripped, lower-cased); refuse blank or duplicate names.

    ``first_row`` is the spreadsheet number of the frame's first row; the spreadsheet numbers of the
    body's rows (blank rows skipped) are kept in ``attrs["row_numbers"]`` for messages.
    """
    if frame.shape[1] > MAX_COLUMNS:
        raise PortfolioError(f"too many columns ({frame.shape[1]:,}; at most {MAX_COLUMNS:,})", file=where,
                             expected="id, name, one column per criterion and a few others")
    keep = [not all(str(v).strip() == "" for v in r) for r in frame.itertuples(index=False)]
    numbers = [first_row + k for k, ok in enumerate(keep) if ok]
    frame = frame.loc[keep]
    if frame.empty:
        raise PortfolioError("no header row: every cell is blank", file=where,
                             expected="a header row with 'id' and one column per criterion")
    header_row = numbers[0]
    header = [str(h).strip() for h in frame.iloc[0].tolist()]
    body = frame.iloc[1:].reset_index(drop=True)
    # trailing columns with no header and no data (spreadsheets leave them) are not data
    while header and header[-1] == "" and all(str(v).strip() == "" for v in body.iloc[:, len(header) - 1]):
        header.pop()
        body = body.iloc[:, :-1]
    norm = [h.lower() for h in header]
    for i, h in enumerate(norm):
        if h == "":
            raise PortfolioError("a column has no name in the header", file=where, row=header_row,
                                 column=f"#{i + 1}", expected="a name for every column")
        if norm.index(h) != i:
            raise PortfolioError("the column appears twice in the header", file=where, row=header_row,
                                 column=header[i], expected="each column once")
    body.columns = norm
    body.attrs["where"] = where
    body.attrs["first_row"] = header_row + 1
    body.attrs["row_numbers"] = numbers[1:]
    return body
