"""Exports that are safe to open in a spreadsheet."""
from __future__ import annotations

import pandas as pd

__all__ = ["neutralise", "to_csv_text"]

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
