"""Reading opportunity tables as text cells: CSV or XLSX through :func:`~mcda_qualify.io.spreadsheets.read_raw`.

File formats only: this module knows rows, columns and sheets, not criteria; the labelled layer
(:mod:`mcda_qualify.portfolio`) turns the text cells into validated numbers. Reading is the one of
``read_raw``: encodings (UTF-8, else cp1252 / Latin-1, and said so), the delimiter, hidden sheets
never read unless named, a title block above the header skipped and reported, Excel error cells.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from .spreadsheets import MAX_COLUMNS, MAX_ROWS, MAX_XLSX_XML_BYTES, read_raw

__all__ = ["read_table", "MAX_ROWS", "MAX_COLUMNS", "MAX_XLSX_XML_BYTES"]

def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(float(v))
    return str(v)


def read_table(path: str | Path, sheet: str | int | None = None,
               header_row: int | None = None) -> tuple[pd.DataFrame, str]:
    """Read a CSV or XLSX file as text cells (header stripped and lower-cased).

    Returns the table and the delimiter (CSV) or the sheet (XLSX) used. ``attrs`` keep ``where``,
    ``row_numbers`` (the file's row of every table row), ``first_row``, ``cell_notes``, ``notes``
    (how the file was read, e.g. its encoding when not UTF-8) and ``delimiter``.
    """
    raw, info = read_raw(path, sheet, header_row)
    frame = raw.map(_text) if len(raw.columns) else raw.copy()
    frame.columns = [str(c).strip().lower() for c in raw.columns]
    frame.attrs = dict(raw.attrs)
    rows = frame.attrs.get("row_numbers") or []
    frame.attrs["first_row"] = rows[0] if rows else info.header_row + 1
    frame.attrs["notes"] = list(info.notes)
    if info.delimiter is not None:
        frame.attrs["delimiter"] = info.delimiter
    return frame, (info.delimiter if info.kind == "csv" else info.sheet) or ","
