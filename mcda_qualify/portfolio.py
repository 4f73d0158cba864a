"""Opportunity tables (CSV, XLSX or a DataFrame) turned into a validated numeric matrix.

Every check of an opportunity table lives here, once. A problem raises :class:`PortfolioError`
naming the file, the row (as the spreadsheet numbers it: the header is row 1), the column, the
value and what was expected. Nothing is dropped or filled silently: missing cells are an error
unless the caller picks ``missing="worst"``, and then every filled cell is listed in
:attr:`Portfolio.filled`.
"""
from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from .criteria import CriteriaSet, Criterion
from .errors import PortfolioError
from .io.tables import read_table

__all__ = ["Portfolio", "load_portfolio", "read_table", "MISSING_POLICIES", "EV_COLUMNS", "constant_columns",
           "check_count"]

MISSING_POLICIES = ("error", "worst")
#: optional columns used for the expected value of pursuing a deal
EV_COLUMNS = ("value", "win_probability", "pursuit_cost")
_MISSING_TOKENS = {"", "na", "n/a", "nan", "null", "none", "-", "?"}


@dataclass(frozen=True)
class Portfolio:
    """A validated opportunity table.

    ``matrix`` (N, M) holds the criterion values in the order of ``criteria.ids`` (scale labels
    already mapped to levels); ``table`` keeps every column of the input, indexed by position, with
    the criterion columns as numbers; ``rows`` are the input's row numbers for messages.
    """

    criteria: CriteriaSet
    table: pd.DataFrame
    matrix: np.ndarray
    ids: list[str]
    names: list[str]
    rows: list[Any]
    source: str
    filled: list[dict[str, Any]] = field(default_factory=list)

    @property
    def extra_columns(self) -> list[str]:
        skip = {"id", "name", *self.criteria.ids}
        return [c for c in self.table.columns if c not in skip]

    def __len__(self) -> int:
        return len(self.ids)

    def subset(self, ids: list[str]) -> "Portfolio":
        """The same portfolio restricted to ``ids`` (in this portfolio's order); validation is kept."""
        keep = [i for i, oid in enumerate(self.ids) if oid in set(ids)]
        unknown = sorted(set(ids) - set(self.ids))
        if unknown:
            raise PortfolioError("unknown opportunity id", file=self.source, value=unknown[0],
                                 expected=f"one of {', '.join(self.ids)}")
        return Portfolio(self.criteria, self.table.iloc[keep].reset_index(drop=True), self.matrix[keep],
                         [self.ids[i] for i in keep], [self.names[i] for i in keep], [self.rows[i] for i in keep],
                         self.source, [f for f in self.filled if f["id"] in set(ids)])


# ---------------------------------------------------------------------------------------------
# cell parsing and validation
# ---------------------------------------------------------------------------------------------


def _parse_number(text: str, decimal_comma: bool) -> float | None:
    t = text.strip().replace("\u00a0", "").replace(" ", "")
    if decimal_comma and t.count(",") == 1 and "." not in t:
        t = t.replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None


def _expected(c: Criterion) -> str:
    if c.scale is not None:
        levels = ", ".join(f"{k} = {v.label}" for k, v in sorted(c.scale.items()))
        return f"a level of the scale ({levels})"
    unit = f" {c.unit}" if c.unit else ""
    rng = f" between {c.bounds[0]:g} and {c.bounds[1]:g}" if c.bounds else ""
    return f"a number{unit}{rng}"


def _cell(value: Any, c: Criterion, err: dict[str, Any], decimal_comma: bool) -> float | None:
    """One criterion cell -> float, or None when missing; raises with the cell's location."""
    if _absent(value):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        x: float | None = float(value)
        text = repr(value)
    else:
        text = str(value).strip()
        level = c.level_of(text) if c.scale is not None and text else None
        if level is not None:  # a scale label wins over the missing tokens ('none' is a level)
            return float(level)
        if text.lower() in _MISSING_TOKENS:
            return None
        x = _parse_number(text, decimal_comma)
        if x is None and c.scale is not None:
            labels = [lv.label for lv in c.scale.values()]
            near = difflib.get_close_matches(text.lower(), [lb.lower() for lb in labels], n=1, cutoff=0.6)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            raise PortfolioError("label not on the scale" + hint, value=text, expected=_expected(c), **err)
        if x is None:
            raise PortfolioError("text in a numeric column", value=text, expected=_expected(c), **err)
    if not math.isfinite(x):
        raise PortfolioError("not a finite number", value=text, expected=_expected(c), **err)
    if c.scale is not None and not (x.is_integer() and int(x) in c.scale):
        raise PortfolioError("number is not a level of the scale", value=text, expected=_expected(c), **err)
    if c.bounds is not None and not c.bounds[0] <= x <= c.bounds[1]:
        raise PortfolioError("number outside the criterion's bounds", value=text,
                             expected=_expected(c) + " (widen 'bounds' in the criteria file if this is right)", **err)
    return x


def _row_label(numbers: list[int] | None, i: int, ident: str | None) -> Any:
    base = f"{numbers[i]}" if numbers is not None else f"{i}"
    return f"{base} (id {ident})" if ident else base


def _absent(v: Any) -> bool:
    """A cell with no value: None, NaN, pd.NA or NaT (DataFrames with nullable dtypes give pd.NA)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, (float, np.floating)) and math.isnan(v)


def load_portfolio(
    source: str | Path | pd.DataFrame,
    criteria: CriteriaSet,
    *,
    sheet: str | int | None = None,
    missing: Literal["error", "worst"] = "error",
) -> Portfolio:
    """Load and validate an opportunity table against ``criteria``.

    ``source`` is a CSV/XLSX path or a DataFrame with a column ``id``, optionally ``name``, then
    one column per criterion id (numbers, or labels of that criterion's scale). Other columns are
    carried along. ``missing="worst"`` fills a missing cell with the worst value of the criterion's
    scale or bounds (or the worst value in the column when the criterion has neither) and lists
    every filled cell in :attr:`Portfolio.filled`.
    """
    if missing not in MISSING_POLICIES:
        raise PortfolioError("unknown missing-value policy", value=missing, expected=f"one of {MISSING_POLICIES}")
    if isinstance(source, pd.DataFrame):
        where = source.attrs.get("where", "table")
        frame = source.copy()
        frame.columns = [str(c).strip().lower() for c in frame.columns]
        if frame.columns.duplicated().any():
            dup = frame.columns[frame.columns.duplicated()][0]
            raise PortfolioError("the column appears twice", file=where, column=dup, expected="each column once")
        frame = frame.reset_index(drop=True)
        first_row = source.attrs.get("first_row")
        numbers = None if first_row is None else [int(first_row) + i for i in range(len(frame))]
        delim = source.attrs.get("delimiter")  # set by read_table: ';' / tab files use decimal commas
    else:
        frame, delim = read_table(source, sheet)
        where = frame.attrs["where"]
        numbers = list(frame.attrs["row_numbers"])
    decimal_comma = delim in (";", "\t", "|")

    if frame.shape[0] == 0:
        raise PortfolioError("no opportunities: the table has a header but no rows", file=where,
                             expected="at least one row")
    if "id" not in frame.columns:
        raise PortfolioError("no 'id' column", file=where, value=list(frame.columns), has_value=True,
                             expected="a column 'id' with a unique identifier per opportunity")
    missing_cols = [cid for cid in criteria.ids if cid not in frame.columns]
    if missing_cols:
        cid = missing_cols[0]
        extra = [c for c in frame.columns if c not in criteria.ids and c not in ("id", "name")]
        near = difflib.get_close_matches(cid, extra, n=1, cutoff=0.6)
        hint = f"; column '{near[0]}' is not a criterion: did you mean '{cid}'?" if near else ""
        more = f" (also missing: {', '.join(missing_cols[1:])})" if len(missing_cols) > 1 else ""
        raise PortfolioError(f"missing criterion column{more}{hint}", file=where, column=cid,
                             expected=f"one column per criterion of '{criteria.name}': {', '.join(criteria.ids)}")

    ids: list[str] = []
    rows: list[Any] = []
    seen: dict[str, Any] = {}
    for i, raw in enumerate(frame["id"].tolist()):
        ident = "" if _absent(raw) else str(raw).strip()
        row = _row_label(numbers, i, None)
        if ident == "":
            raise PortfolioError("empty id", file=where, row=row, column="id", expected="a unique identifier")
        if ident in seen:
            raise PortfolioError(f"duplicate id (first used on row {seen[ident]})", file=where, row=row,
                                 column="id", value=ident, expected="each id once")
        seen[ident] = row
        ids.append(ident)
        rows.append(_row_label(numbers, i, ident))
    if "name" in frame.columns:
        names = [ids[i] if _absent(v) or str(v).strip() in ("", "nan", "None") else str(v).strip()
                 for i, v in enumerate(frame["name"].tolist())]
    else:
        names = list(ids)

    n, m = len(ids), len(criteria.ids)
    matrix = np.empty((n, m), dtype=float)
    holes: list[tuple[int, int]] = []
    for j, c in enumerate(criteria.criteria):
        col = frame[c.id].tolist()
        for i in range(n):
            err = {"file": where, "row": rows[i], "column": c.id}
            x = _cell(col[i], c, err, decimal_comma)
            if x is None:
                if missing == "error":
                    raise PortfolioError("missing value", value=None if _absent(col[i]) else str(col[i]),
                                         has_value=True, expected=_expected(c) + " (or choose missing='worst' / --missing worst)", **err)
                holes.append((i, j))
                x = np.nan
            matrix[i, j] = x

    filled: list[dict[str, Any]] = []
    for i, j in holes:
        c = criteria.criteria[j]
        col = matrix[:, j]
        if c.worst is not None:
            x, basis = c.worst, "worst level of the scale" if c.scale else "worst bound"
        elif np.isfinite(col).any():
            x = float(np.nanmin(col) if c.direction == "benefit" else np.nanmax(col))
            basis = "worst value in the column"
        else:
            raise PortfolioError("every value is missing and the criterion has no scale or bounds to fill from",
                                 file=where, column=c.id, expected=_expected(c))
        matrix[i, j] = x
        filled.append({"row": rows[i], "id": ids[i], "column": c.id, "value": x, "basis": basis})

    table = frame.copy()
    table["id"] = ids
    table["name"] = names
    for j, cid in enumerate(criteria.ids):
        table[cid] = matrix[:, j]
    ordered = ["id", "name", *criteria.ids]
    table = table[ordered + [c for c in table.columns if c not in ordered]]
    _parse_ev_columns(table, rows, where, decimal_comma)
    table.attrs = {}
    return Portfolio(criteria, table, matrix, ids, names, rows, where, filled)


def _parse_ev_columns(table: pd.DataFrame, rows: list[Any], where: str, decimal_comma: bool) -> None:
    """Validate ``value``, ``win_probability`` (0..1 or a percentage) and ``pursuit_cost`` in place."""
    present = [c for c in EV_COLUMNS if c in table.columns]
    if not present:
        return
    absent = [c for c in EV_COLUMNS if c not in table.columns]
    if absent:
        raise PortfolioError(f"expected-value columns come together: found {present}, missing {absent}",
                             file=where, column=absent[0], expected="all of value, win_probability, pursuit_cost, or none")
    for col in EV_COLUMNS:
        out = []
        for i, v in enumerate(table[col].tolist()):
            err = {"file": where, "row": rows[i], "column": col}
            text = "" if _absent(v) else str(v).strip()
            pct = col == "win_probability" and text.endswith("%")
            x = _parse_number(text.rstrip("%"), decimal_comma) if text else None
            if x is None or not math.isfinite(x):
                raise PortfolioError("missing value" if not text else "not a number", value=text or None, has_value=True,
                                     expected="a probability between 0 and 1 (or a percentage)" if col == "win_probability"
                                     else "a non-negative amount", **err)
            if pct:
                x /= 100.0
            if col == "win_probability" and not 0.0 <= x <= 1.0:
                raise PortfolioError("probability out of range", value=text, expected="a number between 0 and 1, or 0%-100%", **err)
            if col != "win_probability" and x < 0:
                raise PortfolioError("negative amount", value=text, expected="a non-negative amount", **err)
            out.append(x)
        table[col] = out


def check_rankable(portfolio: Portfolio, columns: list[int] | None = None) -> None:
    """Refuse what a relative ranking cannot handle: one opportunity, constant or all-zero columns."""
    if len(portfolio) < 2:
        raise PortfolioError("only one opportunity: a ranking compares opportunities with each other",
                             file=portfolio.source, row=portfolio.rows[0],
                             expected="at least two opportunities (or method 'ahp', which rates each on its own)")
    cols = range(portfolio.matrix.shape[1]) if columns is None else columns
    for j in cols:
        col = portfolio.matrix[:, j]
        if np.all(col == col[0]):
            cid = portfolio.criteria.ids[j]
            what = "every value is zero" if col[0] == 0 else "every opportunity has the same value"
            raise PortfolioError(f"constant column: {what}, so it cannot tell opportunities apart",
                                 file=portfolio.source, column=cid, value=portfolio.criteria[cid].describe(col[0]),
                                 expected=f"values that differ, or leave the criterion out (exclude=['{cid}'] / --exclude {cid})")


def check_count(portfolio: Portfolio) -> None:
    """Refuse fewer than two opportunities: a relative ranking compares opportunities with each other."""
    if len(portfolio) < 2:
        raise PortfolioError("only one opportunity: a ranking compares opportunities with each other"
                             if len(portfolio) else "no opportunities to rank",
                             file=portfolio.source, row=portfolio.rows[0] if len(portfolio) else None,
                             expected="at least two opportunities (or method 'ahp', which rates each on its own)")


def constant_columns(portfolio: Portfolio, columns: list[int] | None = None) -> list[int]:
    """Indices (into the criteria) of the ``columns`` on which every opportunity has the same value.

    Such a criterion cannot tell the opportunities apart: the ranking gives it zero contribution and
    says so in a note (issue 17), it never refuses it.
    """
    cols = range(portfolio.matrix.shape[1]) if columns is None else columns
    x = portfolio.matrix
    return [j for j in cols if x.shape[0] and bool(np.all(x[:, j] == x[0, j]))]
