"""Opportunity tables from files: a clean table or a raw CRM export with its import profile.

Every file the CLI, the app or a script reads as opportunities goes through :func:`read_opportunities`:
:func:`~mcda_qualify.io.spreadsheets.read_raw` (sheets, hidden sheets, title blocks, error cells,
encodings, delimiters), then :func:`~mcda_qualify.io.recode.apply_profile` (columns, values, numbers
read without guessing, units), collecting **every** problem of the file (up to 50) into one
exception with ``.problems``. A clean table needs no profile.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pandas as pd

from .criteria import CriteriaSet
from .errors import InputError
from .io.problems import MAX_PROBLEMS, raise_problems
from .io.profile import ImportProfile, load_profile
from .io.recode import apply_profile
from .io.spreadsheets import TableInfo, read_raw

__all__ = ["import_portfolio", "profile_of", "read_opportunities", "write_table"]


def profile_of(mapping: str | Path | ImportProfile | None) -> ImportProfile | None:
    """An import profile from its file, as given, or None."""
    if mapping is None or isinstance(mapping, ImportProfile):
        return mapping
    return load_profile(mapping)


def _id_column(profile: ImportProfile | None) -> str | None:
    if profile is None:
        return None
    return next((k for k, v in profile.columns.items() if v is not None and v.strip().lower() == "id"), None)


def read_opportunities(
    path: str | Path,
    criteria: CriteriaSet,
    *,
    mapping: str | Path | ImportProfile | None = None,
    sheet: str | int | None = None,
    header_row: int | None = None,
    missing: Literal["error", "worst"] = "error",
    max_problems: int = MAX_PROBLEMS,
) -> tuple[pd.DataFrame, TableInfo]:
    """Read an opportunity file (CSV or XLSX, clean or a CRM export) into a clean table.

    ``mapping`` is an import profile (its path or the model); ``sheet`` and ``header_row`` (1-based)
    override the profile's. Returns the clean table (it loads with
    :func:`~mcda_qualify.portfolio.load_portfolio`) and how the file was read (``info.notes``: the
    encoding when not UTF-8, a title block skipped, hidden sheets left unread). Raises the problem,
    or :class:`~mcda_qualify.io.problems.ImportProblems` with every problem found; either has
    ``.problems``.
    """
    profile = profile_of(mapping)
    if sheet is None and profile is not None:
        sheet = profile.sheet
    if header_row is None and profile is not None:
        header_row = profile.header_row
    if header_row is not None and (isinstance(header_row, bool) or header_row < 1):
        raise InputError("the header row is counted from 1", value=header_row, expected="a row number >= 1")
    raw, info = read_raw(path, sheet=sheet, header_row=header_row, id_column=_id_column(profile))
    clean, problems = apply_profile(raw, profile, criteria, missing=missing, max_problems=max_problems)
    try:
        raise_problems(problems, file=info.path, cap=max_problems)
    except InputError as exc:
        exc.table_info = info  # type: ignore[attr-defined]  # how the file was read, for the message's reader
        raise
    clean.attrs["info"] = info
    return clean, info


def import_portfolio(
    path: str | Path,
    criteria: CriteriaSet,
    *,
    mapping: str | Path | ImportProfile | None = None,
    sheet: str | int | None = None,
    header_row: int | None = None,
    missing: Literal["error", "worst"] = "error",
) -> tuple[Any, TableInfo]:
    """A validated :class:`~mcda_qualify.portfolio.Portfolio` from a file, and how the file was read.

    With an import profile: :func:`read_opportunities`, then ``load_portfolio`` on the clean table.
    Without one the file is a clean table: :func:`~mcda_qualify.io.spreadsheets.read_raw`, then
    ``load_portfolio`` on it (every problem reported at once, numbers read without guessing).
    """
    from .portfolio import load_portfolio

    profile = profile_of(mapping)
    if profile is None:
        if header_row is not None and (isinstance(header_row, bool) or header_row < 1):
            raise InputError("the header row is counted from 1", value=header_row, expected="a row number >= 1")
        raw, info = read_raw(path, sheet=sheet, header_row=header_row)
        try:
            return load_portfolio(raw, criteria, missing=missing), info
        except InputError as exc:
            exc.table_info = info  # type: ignore[attr-defined]
            raise
    clean, info = read_opportunities(path, criteria, mapping=profile, sheet=sheet, header_row=header_row,
                                     missing=missing)
    return load_portfolio(clean, criteria, missing=missing), info


def write_table(table: pd.DataFrame, output: str | Path, *, inputs: tuple[str | Path, ...] = ()) -> Path:
    """Write a clean table as CSV (UTF-8) or XLSX, atomically; never over one of ``inputs``."""
    from .io.export import to_csv_text, to_excel_bytes, write_atomic

    out = Path(output)
    for given in inputs:
        if Path(given).exists() and out.exists() and out.resolve() == Path(given).resolve():
            raise InputError("the output would overwrite an input", file=str(out),
                             expected="another file name for the output")
    suffix = out.suffix.lower()
    frame = table.copy()
    frame.attrs = {}
    if suffix == ".csv":
        data = to_csv_text(frame).encode("utf-8")
    elif suffix == ".xlsx":
        data = to_excel_bytes({"opportunities": frame})
    else:
        raise InputError("unknown table format", file=str(out), value=out.suffix or "(none)",
                         expected="a file name ending in .csv or .xlsx")
    write_atomic(out, data)
    return out
