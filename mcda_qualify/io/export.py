"""Exports that are safe to open in a spreadsheet."""
from __future__ import annotations

import os

import pandas as pd

__all__ = ["neutralise", "to_csv_text", "to_excel_bytes", "write_atomic"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


def to_excel_bytes(tables: "dict[str, pd.DataFrame]") -> bytes:
    """An .xlsx workbook with one sheet per table (sheet names cut to Excel's 31 characters), every
    text cell neutralised like the CSV export."""
    import io

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        for name, table in tables.items():
            safe = table.copy()
            for col in safe.columns:
                if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
                    safe[col] = safe[col].map(lambda v: neutralise("; ".join(map(str, v)) if isinstance(v, list) else v))
            safe.columns = [neutralise(str(c)) for c in safe.columns]
            safe.to_excel(xl, sheet_name=name[:31], index=False)
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
