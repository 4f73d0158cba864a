"""Exports that are safe to open in a spreadsheet, and that people can read there."""
from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping

import pandas as pd

__all__ = ["neutralise", "to_csv_text", "to_excel_bytes", "write_atomic", "PERCENT_COLUMNS", "STATUS_FILLS"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: columns written with a percent format (shares and probabilities in [0, 1])
PERCENT_COLUMNS = frozenset({
    "weight", "group weight", "first_rank", "first_rank_se", "holistic", "confidence", "confidence_se",
    "break_even_probability", "win_probability", "share_of_distance_to_ideal", "share_of_distance_to_anti_ideal",
    "share_of_range"})
#: light fills of the status cells (the same hues as the charts' status colours)
STATUS_FILLS = {"Qualified": "C8E6C9", "Conditional": "FFF3C4", "Not qualified": "FFCDD2"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe (OWASP CSV injection).

    Only text cells are touched; numbers (including negative ones) stay numbers.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def to_csv_text(table: pd.DataFrame) -> str:
    """CSV text of ``table`` with every text cell neutralised."""
    safe = table.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(neutralise)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    return safe.to_csv(index=False)


def _numeric(col: pd.Series) -> pd.Series:
    """A text column whose every non-empty cell is a plain number, as numbers (ids such as '007',
    with a leading zero, stay text); anything else unchanged."""
    if not (col.dtype == object or pd.api.types.is_string_dtype(col)):
        return col
    text = col.map(lambda v: v.strip() if isinstance(v, str) else v)
    filled = [v for v in text if not (v is None or (isinstance(v, float) and v != v) or v == "")]
    if not filled or not all(isinstance(v, str) and _NUMBER.match(v) and not re.match(r"^[+-]?0\d", v) for v in filled):
        return col
    return pd.to_numeric(text.replace("", None), errors="coerce")


def to_excel_bytes(tables: "dict[str, pd.DataFrame]", *, percent: Iterable[str] | None = None,
                   status: Mapping[str, str] | None = None) -> bytes:
    """An .xlsx workbook with one sheet per table (sheet names cut to Excel's 31 characters), every
    text cell neutralised like the CSV export, and laid out to be read: numbers stored as numbers
    (also when the table holds them as text), ``percent`` columns (default :data:`PERCENT_COLUMNS`)
    formatted as percentages, widths that fit, the header row frozen with filters, and the ``status``
    cells filled by status (default :data:`STATUS_FILLS`)."""
    import io

    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    pct = set(PERCENT_COLUMNS if percent is None else percent)
    fills = dict(STATUS_FILLS if status is None else status)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        for name, table in tables.items():
            safe = table.copy()
            for col in safe.columns:
                safe[col] = _numeric(safe[col])
                if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
                    safe[col] = safe[col].map(lambda v: neutralise("; ".join(map(str, v)) if isinstance(v, list) else v))
            safe.columns = [neutralise(str(c)) for c in safe.columns]
            sheet_name = name[:31]
            safe.to_excel(xl, sheet_name=sheet_name, index=False)
            ws = xl.sheets[sheet_name]
            ws.freeze_panes = "A2"
            if len(safe.columns):
                ws.auto_filter.ref = ws.dimensions
            for j, col in enumerate(safe.columns, start=1):
                letter = get_column_letter(j)
                ws.cell(row=1, column=j).font = Font(bold=True)
                values = safe[col]
                if col in pct and pd.api.types.is_numeric_dtype(values):
                    for row in range(2, len(safe) + 2):
                        ws.cell(row=row, column=j).number_format = "0.0%"
                if col == "status":
                    for row in range(2, len(safe) + 2):
                        cell = ws.cell(row=row, column=j)
                        if cell.value in fills:
                            cell.fill = PatternFill("solid", start_color=fills[cell.value], end_color=fills[cell.value])
                longest = max([len(str(col))] + [len(str(v)) for v in values.head(500) if v is not None])
                ws.column_dimensions[letter].width = min(max(8, longest + 2), 60)
    return buf.getvalue()


def write_atomic(path: "str | os.PathLike[str]", data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed over it (never a half-written file).

    Raises :class:`~mcda_qualify.errors.InputError` naming the file when it cannot be written.
    """
    import tempfile
    from pathlib import Path

    from ..errors import InputError

    p = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=str(p.parent) if str(p.parent) else ".")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, p.stat().st_mode & 0o777 if p.exists() else 0o644)
            os.replace(tmp, p)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as exc:
        raise InputError(f"cannot write the output ({exc.strerror})", file=str(p)) from None
