"""Reading exports robustly: sheets, title blocks, error cells, encodings and delimiters.

:func:`read_raw` returns the table of an export as it is (headers as written, no mapping) and a
:class:`TableInfo` saying how it was read: sheet, header row, encoding, delimiter, and notes such as
a title block skipped above the header or hidden sheets left unread. Nothing is chosen silently:
a hidden sheet is read only when named; when the sheet is not obvious, the error lists the sheets.

Cells are strings, except typed numbers of a workbook, which stay ``int``/``float`` (they need no
number format; a cell formatted as a percentage becomes a :class:`PercentCell`); dates become ISO text. Error cells (``#DIV/0!``) keep their text, and formula cells
without a saved value become ``""``; both are listed in ``frame.attrs["cell_notes"]`` with their
cell address, for the import profile to report when the column is used.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import PortfolioError

__all__ = ["EXCEL_ERRORS", "MAX_ROWS", "TableInfo", "detect_header", "list_sheets", "read_raw"]

MAX_ROWS = 100_000
#: most columns of an opportunity table (docs/bad_input.md)
MAX_COLUMNS = 1_000
#: most bytes of worksheet and shared-string XML in a workbook once unpacked (about 400,000 cells:
#: openpyxl reads some 30,000 cells a second, so a bigger sheet would take minutes; docs/bad_input.md)
MAX_XLSX_XML_BYTES = 16 * 1024 * 1024
#: the values Excel shows (and writes into CSV) for a failed formula
EXCEL_ERRORS = ("#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!")
_SCAN = 30  # rows looked at to find the header
_ID_WORDS = {"id", "nr", "no", "number", "nummer", "key", "code", "ref", "numéro", "num"}


class PercentCell(float):
    """A typed number shown as a percentage in Excel (stored 0.45, shown 45%): the float is the
    stored fraction; an import reads it as '45 %' so that ``units: percent`` applies once."""


@dataclass
class TableInfo:
    """How an export was read (for the user: the CLI prints :meth:`summary`)."""

    path: str
    kind: str  # "csv" or "xlsx"
    header_row: int
    rows: int
    sheet: str | None = None
    sheets: list[tuple[str, str]] = field(default_factory=list)  # (name, visible|hidden|veryHidden)
    encoding: str | None = None
    delimiter: str | None = None
    title_rows: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        where = f"sheet '{self.sheet}'" if self.kind == "xlsx" else \
            f"encoding {self.encoding}, delimiter {_DELIM_NAMES.get(self.delimiter or ',', self.delimiter)}"
        return f"read {self.path}: {where}, header row {self.header_row}, {self.rows} rows"


_DELIM_NAMES = {",": "','", ";": "';'", "\t": "tab"}


# ---------------------------------------------------------------------------------------------
# header detection (shared by CSV and XLSX)
# ---------------------------------------------------------------------------------------------


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and v.strip() == "")


_DATA_LIKE = re.compile(r"^[+\-]?[\d\s.,:/'%€$-]*\d[\d\s.,:/'%€$-]*$")


def _is_text(v: Any) -> bool:
    """A header-like cell: text that is not a number, date or time."""
    return isinstance(v, str) and not _DATA_LIKE.match(v.strip())


def detect_header(grid: list[list[Any]]) -> tuple[int, list[int]]:
    """0-based index of the header row in ``grid`` and the indexes of the title rows above it.

    The header is the first row where most cells (at least half of the table's width, and two)
    are distinct text (not numbers or dates) and the next non-blank row looks like data: at least
    half as full, and not fuller than the header (data needs named columns); or the last row when
    nothing follows (a blank template). Falls back to the first non-blank row.
    """
    filled = [i for i, r in enumerate(grid) if any(not _blank(v) for v in r)][:_SCAN]
    if not filled:
        raise ValueError("grid is blank")
    count = {i: sum(not _blank(v) for v in grid[i]) for i in filled}
    width = max(count.values())
    need = max(2, (width + 1) // 2) if width > 1 else 1
    for k, i in enumerate(filled):
        cells = [v for v in grid[i] if not _blank(v)]
        if count[i] < need or not all(_is_text(v) for v in cells):
            continue
        if len({str(v).strip().lower() for v in cells}) != len(cells):
            continue
        nxt = filled[k + 1] if k + 1 < len(filled) else None
        if nxt is None or need <= count[nxt] <= count[i]:
            return i, [j for j in filled if j < i]
    return filled[0], []


def _looks_like_table(grid: list[list[Any]], id_column: str | None) -> tuple[bool, str]:
    """Whether a sheet's first rows look like an opportunity table, and a few words on why."""
    if not any(any(not _blank(v) for v in r) for r in grid):
        return False, "empty"
    h, _ = detect_header(grid)
    header = [str(v).strip() for v in grid[h] if not _blank(v)]
    body = [r for r in grid[h + 1:] if any(not _blank(v) for v in r)]
    if len(header) < 2:
        return False, "no table (a cover or notes sheet?)"
    wanted = id_column.strip().lower() if id_column else None
    ids = [c for c in header if (c.lower() == wanted if wanted else
                                 bool(_ID_WORDS & set(re.split(r"[^\w]+", c.lower()))))]
    if not ids:
        return False, f"a table of {len(header)} columns without an id column"
    return bool(body), f"a table of {len(header)} columns with id column '{ids[0]}'" + ("" if body else ", no rows")


# ---------------------------------------------------------------------------------------------
# grid -> frame
# ---------------------------------------------------------------------------------------------


def _letter(j: int) -> str:
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def _frame(grid: list[list[Any]], where: str, header_row: int | None, max_rows: int,
           notes_by_cell: dict[tuple[int, int], str], info_notes: list[str]) -> tuple[pd.DataFrame, int, list[tuple[int, str]]]:
    """Cut ``grid`` at its header; returns the frame, the 1-based header row and the title rows."""
    if max((len(r) for r in grid), default=0) > MAX_COLUMNS:
        raise PortfolioError(f"too many columns ({max(len(r) for r in grid):,}; at most {MAX_COLUMNS:,})", file=where,
                             expected="id, name, one column per criterion and a few others")
    if not any(any(not _blank(v) for v in r) for r in grid):
        raise PortfolioError("the table is empty", file=where, expected="a header row and one row per opportunity")
    if header_row is not None:
        if header_row < 1 or header_row > len(grid) or all(_blank(v) for v in grid[header_row - 1]):
            raise PortfolioError("the given header row is blank or past the end", file=where, row=header_row,
                                 expected=f"a row with the column names (rows 1 to {len(grid)})")
        h, titles = header_row - 1, []
    else:
        h, title_idx = detect_header(grid)
        titles = [(i + 1, " | ".join(str(v).strip() for v in grid[i] if not _blank(v))) for i in title_idx]
        if titles:
            info_notes.append(f"title block above the header skipped (rows {titles[0][0]}-{titles[-1][0]}: "
                              f"{titles[0][1]!r}); header taken from row {h + 1} (give the header row to choose another)")
    width = max(len(r) for r in grid)
    header = [("" if _blank(v) else str(v).strip()) for v in grid[h]] + [""] * (width - len(grid[h]))
    body_idx = [i for i in range(h + 1, len(grid)) if any(not _blank(v) for v in grid[i])]
    if len(body_idx) > max_rows:
        raise PortfolioError(f"too many rows ({len(body_idx):,}; at most {max_rows:,})", file=where,
                             expected="a table of at most that many opportunities (split it, or filter it first)")
    used = [j for j in range(width) if header[j] != "" or
            any(j < len(grid[i]) and not _blank(grid[i][j]) for i in body_idx)]
    seen: dict[str, str] = {}
    for j in used:
        if header[j] == "":
            raise PortfolioError(f"column {_letter(j)} has data but no name in the header row", file=where,
                                 row=h + 1, column=_letter(j), expected="a name for every column with data")
        key = header[j].lower()
        if key in seen:
            raise PortfolioError(f"the column appears twice in the header (columns {seen[key]} and {_letter(j)})",
                                 file=where, row=h + 1, column=header[j], expected="each column name once")
        seen[key] = _letter(j)
    rows = []
    for i in body_idx:
        r = grid[i]
        rows.append(["" if j >= len(r) or r[j] is None else r[j] for j in used])
    frame = pd.DataFrame(rows, columns=[header[j] for j in used], dtype=object)
    pos = {i: k for k, i in enumerate(body_idx)}
    cell_notes = {(pos[i], header[j]): text for (i, j), text in notes_by_cell.items() if i in pos and j in used}
    frame.attrs.update({"where": where, "header_row": h + 1, "row_numbers": [i + 1 for i in body_idx],
                        "column_letters": {header[j]: _letter(j) for j in used}, "cell_notes": cell_notes})
    return frame, h + 1, titles


# ---------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------


def _decode(raw: bytes) -> tuple[str, str]:
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16"), "utf-16"
    if raw[:3] == b"\xef\xbb\xbf":
        return raw[3:].decode("utf-8"), "utf-8 (with BOM)"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def _sniff(text: str) -> str:
    """The delimiter among ',', ';' and tab that splits the first lines most consistently."""
    lines = [ln for ln in text.splitlines()[:60] if ln.strip()]
    best, score = ",", (0.0, 0)
    for d in (",", ";", "\t"):
        counts = [len(r) for r in csv.reader(lines, delimiter=d)]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        if mode < 2:
            continue
        s = (counts.count(mode) / len(counts), mode)
        if s > score:
            best, score = d, s
    return best


def _check_quotes(text: str, delim: str, where: str) -> None:
    """Refuse a quoted field left open (it would swallow the rest of the file into one cell)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise PortfolioError(f"malformed CSV (a quoted field that starts on line {start} is never closed)",
                                 file=where, row=start, expected='a closing " for every opening "') from None


def _read_csv(p: Path, header_row: int | None, max_rows: int) -> tuple[pd.DataFrame, TableInfo]:
    text, encoding = _decode(p.read_bytes())
    if not text.strip():
        raise PortfolioError("the file is empty", file=str(p), expected="a header row and one row per opportunity")
    delim = _sniff(text)
    _check_quotes(text, delim, str(p))
    grid: list[list[Any]] = []
    for r in csv.reader(io.StringIO(text, newline=""), delimiter=delim):
        grid.append(r)
        if len(grid) > max_rows + _SCAN + 1:
            raise PortfolioError(f"too many rows: more than {max_rows:,} rows of data", file=str(p),
                                 expected=f"at most {max_rows:,} opportunities (raise the row cap if this is right)")
    notes: list[str] = []
    if encoding in ("cp1252", "latin-1"):
        notes.append(f"not UTF-8: read as {encoding} (Windows Excel's default)")
    frame, h, titles = _frame(grid, str(p), header_row, max_rows, {}, notes)
    frame.attrs["delimiter"] = delim
    return frame, TableInfo(str(p), "csv", h, len(frame), encoding=encoding, delimiter=delim,
                            title_rows=titles, notes=notes)


# ---------------------------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------------------------


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


def _open(p: Path, data_only: bool) -> Any:
    import openpyxl

    try:  # from the bytes: openpyxl refuses a workbook by its file name (.csv) otherwise
        return openpyxl.load_workbook(io.BytesIO(p.read_bytes()), read_only=True, data_only=data_only)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises several unrelated types for a broken workbook
        raise PortfolioError(f"cannot open the workbook ({type(exc).__name__}: {exc})", file=str(p),
                             expected="an .xlsx workbook") from None


def list_sheets(path: str | Path) -> list[tuple[str, str]]:
    """The sheets of a workbook in order, each as (name, visible | hidden | veryHidden)."""
    book = _open(Path(path), data_only=False)
    try:
        return [(ws.title, ws.sheet_state) for ws in book.worksheets]
    finally:
        book.close()


def _grid(ws: Any, limit: int | None) -> list[list[Any]]:
    out = []
    for r in ws.iter_rows():
        out.append(list(r))
        if limit is not None and len(out) >= limit:
            break
    return out


def _value(v: Any) -> Any:
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    return v


def _choose_sheet(p: Path, book: Any, sheet: str | int | None, id_column: str | None,
                  notes: list[str]) -> str:
    sheets = [(ws.title, ws.sheet_state) for ws in book.worksheets]
    names = [n for n, _ in sheets]
    hidden = [n for n, s in sheets if s != "visible"]
    if sheet is not None:
        if isinstance(sheet, str) and sheet not in names:
            folded = [n for n in names if n.strip().lower() == sheet.strip().lower()]
            if folded:
                sheet = folded[0]
            elif sheet.isdigit():
                sheet = int(sheet)
        if isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise PortfolioError("no such sheet", file=str(p), value=sheet, expected=f"one of {_listing(sheets)}")
            sheet = names[sheet]
        if sheet not in names:
            import difflib
            near = difflib.get_close_matches(str(sheet), names, n=1, cutoff=0.5)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            raise PortfolioError("no such sheet" + hint, file=str(p), value=sheet, expected=f"one of {_listing(sheets)}")
        if sheet in hidden:
            notes.append(f"sheet '{sheet}' is hidden in the workbook; read because it was named")
        return str(sheet)
    visible = [n for n, s in sheets if s == "visible"]
    if hidden:
        notes.append(f"hidden sheet{'s' if len(hidden) > 1 else ''} not read: {', '.join(repr(h) for h in hidden)}")
    if len(visible) == 1:
        return visible[0]
    looks = {n: _looks_like_table([[c.value for c in r] for r in _grid(book[n], _SCAN)], id_column) for n in visible}
    if looks[visible[0]][0]:
        others = [n for n in visible[1:]]
        notes.append(f"read the first visible sheet '{visible[0]}' ({looks[visible[0]][1]}); "
                     f"other sheets: {', '.join(repr(o) for o in others)}")
        return visible[0]
    tables = [n for n in visible if looks[n][0]]
    desc = "; ".join(f"'{n}' ({s}{', ' + looks[n][1] if n in looks else ', not read unless named'})" for n, s in sheets)
    hint = f"--sheet '{tables[0]}' (or sheet: {tables[0]} in the import profile)" if tables else \
        "--sheet NAME (or sheet: NAME in the import profile)"
    raise PortfolioError(f"which sheet holds the opportunities is not obvious: the first visible sheet "
                         f"'{visible[0]}' is {looks[visible[0]][1]}. Sheets: {desc}", file=str(p),
                         expected=f"the sheet named with {hint}")


def _listing(sheets: list[tuple[str, str]]) -> str:
    return ", ".join(f"'{n}'" + ("" if s == "visible" else f" ({s})") for n, s in sheets) + " (or a 0-based position)"


def _read_xlsx(p: Path, sheet: str | int | None, header_row: int | None, max_rows: int,
               id_column: str | None) -> tuple[pd.DataFrame, TableInfo]:
    from openpyxl.utils import get_column_letter

    book = _open(p, data_only=False)
    notes: list[str] = []
    try:
        sheets = [(ws.title, ws.sheet_state) for ws in book.worksheets]
        name = _choose_sheet(p, book, sheet, id_column, notes)
        where = f"{p} [sheet {name}]"
        cells = _grid(book[name], max_rows + _SCAN + 2)
    finally:
        book.close()
    if len(cells) > max_rows + _SCAN + 1:
        raise PortfolioError(f"too many rows: more than {max_rows:,} rows of data", file=where,
                             expected=f"at most {max_rows:,} opportunities (raise the row cap if this is right)")
    formulas = {(i, j): c.value for i, r in enumerate(cells) for j, c in enumerate(r) if c.data_type == "f"}
    cached: dict[tuple[int, int], Any] = {}
    if formulas:
        values = _open(p, data_only=True)
        try:
            vgrid = _grid(values[name], len(cells))
        finally:
            values.close()
        cached = {(i, j): vgrid[i][j].value for (i, j) in formulas if i < len(vgrid) and j < len(vgrid[i])}
    grid: list[list[Any]] = []
    cell_notes: dict[tuple[int, int], str] = {}
    for i, r in enumerate(cells):
        row = []
        for j, c in enumerate(r):
            v = c.value
            addr = f"{get_column_letter(j + 1)}{i + 1}"
            if c.data_type == "f":
                v = cached.get((i, j))
                if v is None:
                    cell_notes[(i, j)] = f"cell {addr} is a formula ({formulas[(i, j)]}) with no saved value; " \
                                         "open and save the workbook in Excel, or paste values"
                    v = ""
            if isinstance(v, (int, float)) and not isinstance(v, bool) and "%" in str(getattr(c, "number_format", "")):
                v = PercentCell(v)
            if isinstance(v, str) and v.strip() in EXCEL_ERRORS:
                cell_notes[(i, j)] = f"cell {addr} holds the Excel error {v.strip()}"
            row.append(_value(v))
        grid.append(row)
    frame, h, titles = _frame(grid, where, header_row, max_rows, cell_notes, notes)
    frame.attrs["sheet"] = name
    return frame, TableInfo(str(p), "xlsx", h, len(frame), sheet=name, sheets=sheets, title_rows=titles, notes=notes)


# ---------------------------------------------------------------------------------------------


def read_raw(path: str | Path, sheet: str | int | None = None, header_row: int | None = None, *,
             max_rows: int | None = None, id_column: str | None = None) -> tuple[pd.DataFrame, TableInfo]:
    """Read a CSV or XLSX export as it is: (frame with the export's own headers, how it was read).

    ``sheet``: name or 0-based position (XLSX); ``header_row``: 1-based, else detected (a title
    block above it is skipped and reported in ``info.notes``); ``id_column``: the export's id column
    if known (from a profile), used to recognise the table among several sheets. ``frame.attrs``
    holds ``where``, ``header_row``, ``row_numbers`` (the file's row of each frame row),
    ``column_letters`` and ``cell_notes`` ({(frame row, column): message} for error cells and
    formulas without a saved value).
    """
    from .files import read_bytes_checked

    p = Path(path)
    # a regular file below the size cap, or a clear error naming the path (no FIFO, device or folder)
    data = read_bytes_checked(p, "a CSV or XLSX export", error=PortfolioError)
    max_rows = MAX_ROWS if max_rows is None else max_rows  # the module's cap at call time (docs/bad_input.md)
    if max_rows < 1:
        raise ValueError(f"max_rows must be >= 1, got {max_rows}")
    suffix = p.suffix.lower()
    if suffix == ".xls":
        raise PortfolioError("old binary .xls workbooks are not supported", file=str(p),
                             expected="an .xlsx workbook or a CSV file (Excel: Save As .xlsx)")
    zipped = data[:4] == b"PK\x03\x04"
    if suffix in (".xlsx", ".xlsm") or zipped:
        _check_unpacked(data, str(p))
        return _read_xlsx(p, sheet, header_row, max_rows, id_column)
    if sheet is not None:
        raise PortfolioError("a sheet was given for a CSV file", file=str(p), value=sheet,
                             expected="no sheet (CSV files have one table)")
    return _read_csv(p, header_row, max_rows)
