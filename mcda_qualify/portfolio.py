"""Opportunity tables (CSV, XLSX or a DataFrame) turned into a validated numeric matrix.

Every check of an opportunity table lives here, once. A problem raises :class:`PortfolioError`
naming the file, the row (as the spreadsheet numbers it: the header is row 1), the column, the
value and what was expected. Nothing is dropped or filled silently: missing cells are an error
unless the caller picks ``missing="worst"``, and then every filled cell is listed in
:attr:`Portfolio.filled`. Every problem of a table is reported at once (``.problems``, up to 50).
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
from .errors import InputError, PortfolioError
from .io.numbers import NumberError, NumberLocale, detect_locale, read_number
from .io.problems import raise_problems
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
        wanted = set(ids)
        keep = [i for i, oid in enumerate(self.ids) if oid in wanted]
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


def _number(text: str, loc: NumberLocale | None, err: dict[str, Any]) -> float | None:
    """``text`` as a number (no guessing: see :mod:`mcda_qualify.io.numbers`); None when it is not a
    number at all; raises PortfolioError for a number the format makes ambiguous or does not fit."""
    try:
        return read_number(text, *(loc or (None, None))).number
    except NumberError as exc:
        if exc.problem.startswith("not a number"):
            return None
        raise PortfolioError(exc.problem, value=text, expected=exc.expected, **err) from None


def _column_locale(values: list[Any], err: dict[str, Any]) -> NumberLocale | None:
    """The number format the text cells of a column agree on (None: undecided); mixed formats raise."""
    try:
        return detect_locale(v.strip() for v in values if isinstance(v, str))
    except NumberError as exc:
        raise PortfolioError(exc.problem, value=exc.value, expected=exc.expected, **err) from None


def _expected(c: Criterion) -> str:
    if c.scale is not None:
        levels = ", ".join(f"{k} = {v.label}" for k, v in sorted(c.scale.items()))
        return f"a level of the scale ({levels})"
    unit = f" {c.unit}" if c.unit else ""
    rng = f" between {c.bounds[0]:g} and {c.bounds[1]:g}" if c.bounds else ""
    return f"a number{unit}{rng}"


def _cell(value: Any, c: Criterion, err: dict[str, Any], loc: NumberLocale | None) -> float | None:
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
        if text.lower().lstrip("+-") in ("inf", "infinity"):
            raise PortfolioError("not a finite number", value=text, expected=_expected(c), **err)
        x = _number(text, loc, err)
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


def _row_numbers(source: pd.DataFrame, n: int) -> list[int] | None:
    """The file's row number of each row of a frame (``attrs``: ``row_numbers``, else ``first_row``)."""
    rows = source.attrs.get("row_numbers")
    if rows is not None and len(rows) == n:
        return [int(r) for r in rows]
    first_row = source.attrs.get("first_row")
    return None if first_row is None else [int(first_row) + i for i in range(n)]


def load_portfolio(
    source: str | Path | pd.DataFrame,
    criteria: CriteriaSet,
    *,
    sheet: str | int | None = None,
    missing: Literal["error", "worst"] = "error",
    mapping: Any = None,
    header_row: int | None = None,
) -> Portfolio:
    """Load and validate an opportunity table against ``criteria``.

    ``source`` is a CSV/XLSX path or a DataFrame with a column ``id``, optionally ``name``, then
    one column per criterion id (numbers, or labels of that criterion's scale). Other columns are
    carried along. A path is read by :func:`mcda_qualify.importing.read_opportunities` (hidden
    sheets, title blocks, encodings; numbers read without guessing), with the import profile
    ``mapping`` (a path or :class:`~mcda_qualify.io.profile.ImportProfile`) when the file is a raw
    CRM export. ``missing="worst"`` fills a missing cell with the worst value of the criterion's
    scale or bounds (or the worst value in the column when the criterion has neither) and lists
    every filled cell in :attr:`Portfolio.filled`.

    Every problem of the table is reported at once (up to 50): one problem raises itself, several
    raise :class:`~mcda_qualify.io.problems.ImportProblems`; both carry the list in ``.problems``.
    """
    if missing not in MISSING_POLICIES:
        raise PortfolioError("unknown missing-value policy", value=missing, expected=f"one of {MISSING_POLICIES}")
    if not isinstance(source, pd.DataFrame):
        from .importing import import_portfolio

        return import_portfolio(source, criteria, mapping=mapping, sheet=sheet, header_row=header_row,
                                missing=missing)[0]
    if mapping is not None:
        from .importing import profile_of
        from .io.recode import apply_profile

        source, found = apply_profile(source, profile_of(mapping), criteria, missing=missing)
        raise_problems(found, file=source.attrs.get("where"))
    where = source.attrs.get("where", "table")
    frame = source.copy()
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    if frame.columns.duplicated().any():
        dup = frame.columns[frame.columns.duplicated()][0]
        raise PortfolioError("the column appears twice", file=where, column=dup, expected="each column once")
    frame = frame.reset_index(drop=True)
    numbers = _row_numbers(source, len(frame))

    if frame.shape[0] == 0:
        raise PortfolioError("no opportunities: the table has a header but no rows", file=where,
                             expected="at least one row")
    head: list[InputError] = []
    cells: list[tuple[int, int, InputError]] = []
    if "id" not in frame.columns:
        head.append(PortfolioError("no 'id' column", file=where, value=list(frame.columns), has_value=True,
                                   expected="a column 'id' with a unique identifier per opportunity"))
    extra = [c for c in frame.columns if c not in criteria.ids and c not in ("id", "name")]
    absent = [cid for cid in criteria.ids if cid not in frame.columns]
    if len(absent) > 2 and 2 * len(absent) > len(criteria.ids):  # a raw export: one problem, and the way out
        head.append(PortfolioError(
            f"{len(absent)} of the {len(criteria.ids)} criterion columns are missing ({', '.join(absent)}): "
            "this looks like a raw export, not an opportunity table", file=where,
            expected="an import profile that maps its columns (--mapping FILE; `mcda-qualify import EXPORT "
                     f"--suggest profile.yaml` writes a starting one), or a table with the columns id, name, {', '.join(criteria.ids)}"))
        raise_problems(head, file=where)  # cell checks of a raw export are noise
    for cid in absent:
        near = difflib.get_close_matches(cid, extra, n=1, cutoff=0.6)
        hint = f"; column '{near[0]}' is not a criterion: did you mean '{cid}'?" if near else ""
        head.append(PortfolioError(f"missing criterion column{hint}", file=where, column=cid,
                                   expected=f"one column per criterion of '{criteria.name}': {', '.join(criteria.ids)}"))

    ids: list[str] = []
    rows: list[Any] = []
    seen: dict[str, Any] = {}
    raw_ids = frame["id"].tolist() if "id" in frame.columns else [None] * len(frame)
    for i, raw in enumerate(raw_ids):
        ident = "" if _absent(raw) else (str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw).strip())
        row = _row_label(numbers, i, None)
        if "id" in frame.columns:
            if ident == "":
                cells.append((i, -1, PortfolioError("empty id", file=where, row=row, column="id",
                                                    expected="a unique identifier")))
            elif ident in seen:
                cells.append((i, -1, PortfolioError(f"duplicate id (first used on row {seen[ident]})", file=where,
                                                    row=row, column="id", value=ident, expected="each id once")))
            else:
                seen[ident] = row
        ids.append(ident)
        rows.append(_row_label(numbers, i, ident or None))
    if "name" in frame.columns:
        names = [ids[i] if _absent(v) or str(v).strip() in ("", "nan", "None") else str(v).strip()
                 for i, v in enumerate(frame["name"].tolist())]
    else:
        names = list(ids)

    notes = {(i, str(col).strip().lower()): text for (i, col), text in (source.attrs.get("cell_notes") or {}).items()}
    n, m = len(ids), len(criteria.ids)
    matrix = np.full((n, m), np.nan, dtype=float)
    holes: list[tuple[int, int]] = []
    for j, c in enumerate(criteria.criteria):
        if c.id not in frame.columns:
            continue
        col = frame[c.id].tolist()
        try:
            loc = _column_locale(col, {"file": where, "column": c.id})
        except PortfolioError as exc:
            head.append(exc)
            continue
        read: dict[tuple[type, Any], float | None] = {}  # a column repeats its labels: read each once
        for i in range(n):
            err = {"file": where, "row": rows[i], "column": c.id}
            if (i, c.id) in notes:  # an Excel error cell or a formula with no saved value
                cells.append((i, j, PortfolioError(notes[(i, c.id)], expected=_expected(c), **err)))
                continue
            key = (type(col[i]), col[i])
            try:
                x = read[key] if key in read else read.setdefault(key, _cell(col[i], c, err, loc))
            except PortfolioError as exc:  # not kept: the same bad value elsewhere is reported at its own row
                cells.append((i, j, exc))
                continue
            except TypeError:  # an unhashable cell: read it as it is
                x = _cell(col[i], c, err, loc)
            if x is None:
                if missing == "error":
                    cells.append((i, j, PortfolioError(
                        "missing value", value=None if _absent(col[i]) else str(col[i]), has_value=True,
                        expected=_expected(c) + " (or choose missing='worst' / --missing worst)", **err)))
                    continue
                holes.append((i, j))
                x = np.nan
            matrix[i, j] = x

    table = frame.copy()
    ev_problems = _parse_ev_columns(table, rows, where)
    cells += [(i, m + k, e) for i, k, e in ev_problems if i >= 0]
    head += [e for i, _k, e in ev_problems if i < 0]
    raise_problems(head + [e for _i, _j, e in sorted(cells, key=lambda t: (t[0], t[1]))], file=where)

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

    table["id"] = ids
    table["name"] = names
    for j, cid in enumerate(criteria.ids):
        table[cid] = matrix[:, j]
    ordered = ["id", "name", *criteria.ids]
    table = table[ordered + [c for c in table.columns if c not in ordered]]
    table.attrs = {}
    return Portfolio(criteria, table, matrix, ids, names, rows, where, filled)


def _parse_ev_columns(table: pd.DataFrame, rows: list[Any], where: str) -> list[tuple[int, int, InputError]]:
    """Validate ``value``, ``win_probability`` (0..1 or a percentage) and ``pursuit_cost`` in place;
    returns the problems as (row index or -1, column index, error)."""
    present = [c for c in EV_COLUMNS if c in table.columns]
    if not present:
        return []
    absent = [c for c in EV_COLUMNS if c not in table.columns]
    if absent:
        return [(-1, 0, PortfolioError(f"expected-value columns come together: found {present}, missing {absent}",
                                       file=where, column=absent[0],
                                       expected="all of value, win_probability, pursuit_cost, or none"))]
    found: list[tuple[int, int, InputError]] = []
    for k, col in enumerate(EV_COLUMNS):
        values = table[col].tolist()
        what = "a probability between 0 and 1 (or a percentage)" if col == "win_probability" else "a non-negative amount"
        try:
            loc = _column_locale(values, {"file": where, "column": col})
        except PortfolioError as exc:
            found.append((-1, k, exc))
            continue
        out: list[float] = []
        for i, v in enumerate(values):
            err = {"file": where, "row": rows[i], "column": col}
            x: float | None
            if _absent(v):
                text, x = "", None
            elif isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
                text, x = repr(v), float(v)
            else:
                text = str(v).strip()
                try:
                    x = _number(text, loc, err) if text else None
                except PortfolioError as exc:
                    found.append((i, k, exc))
                    out.append(math.nan)
                    continue
            if x is None or not math.isfinite(x):
                found.append((i, k, PortfolioError("missing value" if not text else "not a number", value=text or None,
                                                   has_value=True, expected=what, **err)))
            elif col == "win_probability" and not 0.0 <= x <= 1.0:
                found.append((i, k, PortfolioError("probability out of range", value=text,
                                                   expected="a number between 0 and 1, or 0%-100%", **err)))
            elif col != "win_probability" and x < 0:
                found.append((i, k, PortfolioError("negative amount", value=text, expected="a non-negative amount", **err)))
            out.append(math.nan if x is None else x)
        table[col] = out
    return found


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
