"""Applying an import profile: a raw export becomes a clean opportunity table plus every problem.

:func:`apply_profile` maps the export's columns, recodes its values to scale labels, reads numbers
in the declared (or column-decided) format, applies units and checks ids, labels, bounds and the
expected-value columns, collecting **every** problem (up to a cap): each names the file's row, the
export's column, the value, what was expected and a did-you-mean where one fits.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

import pandas as pd

from ..criteria import CriteriaSet, Criterion
from ..errors import InputError
from .numbers import NumberError, NumberLocale, detect_locale, read_number
from .problems import MAX_PROBLEMS, ProfileError, _dym, _near, _norm, _Problems
from .profile import ImportProfile
from .spreadsheets import EXCEL_ERRORS, PercentCell

__all__ = ["RESERVED", "apply_profile"]

RESERVED = ("id", "name", "value", "win_probability", "pursuit_cost")
_AMOUNTS = ("value", "pursuit_cost")
_MISSING = {"", "na", "n/a", "nan", "null", "none", "-", "?", "#n/a"}


def _expected(c: Criterion) -> str:
    if c.scale is not None:
        return "a label of the scale: " + ", ".join(f"'{lv.label}'" for _, lv in sorted(c.scale.items()))
    unit = f" in {c.unit}" if c.unit else ""
    rng = f" between {c.bounds[0]:g} and {c.bounds[1]:g}" if c.bounds else ""
    return f"a number{unit}{rng}"


def _level(target: Any, c: Criterion) -> int | None:
    if isinstance(target, (int, float)) and float(target).is_integer() and int(target) in (c.scale or {}):
        return int(target)
    if isinstance(target, str):
        lv = c.level_of(target)
        if lv is None and target.strip().isdigit() and int(target) in (c.scale or {}):
            lv = int(target)
        return lv
    return None


def _canonical(target: str, criteria: CriteriaSet) -> str:
    key = target.strip().lower()
    return key if key in RESERVED or key in criteria.ids else target.strip()


def apply_profile(raw: pd.DataFrame, profile: ImportProfile | None, criteria: CriteriaSet,
                  source: str | None = None, *, missing: Literal["error", "worst"] = "error",
                  max_problems: int = MAX_PROBLEMS) -> tuple[pd.DataFrame, list[InputError]]:
    """Map, recode, parse and check an export; returns (clean table, every problem found).

    The clean table has ``id``, ``name``, one column per criterion (scale labels as the criteria
    file spells them, numbers as floats after units, None where a cell is missing or wrong), the
    expected-value columns when given and the other columns as they are; it loads with
    :func:`mcda_qualify.portfolio.load_portfolio`. Problems name the file's row, the export's
    column, the value and what was expected; at most ``max_problems``, then one 'N more' note.
    ``missing="worst"`` leaves empty criterion cells for ``load_portfolio(missing="worst")``.
    """
    profile = profile or ImportProfile()
    where = source or raw.attrs.get("where") or "table"
    P = _Problems(where, max_problems)
    n = len(raw)
    rownum: list[int] = list(raw.attrs.get("row_numbers") or
                             range(int(raw.attrs.get("header_row", 1)) + 1, int(raw.attrs.get("header_row", 1)) + 1 + n))
    export = [str(c) for c in raw.columns]
    by_norm = {_norm(c): c for c in export}
    cell_notes: dict[tuple[int, str], str] = raw.attrs.get("cell_notes", {})

    # 1. columns: export column -> target
    target_of: dict[str, str | None] = {}
    mapped = {_norm(k) for k in profile.columns}
    for key, tgt in profile.columns.items():
        col = by_norm.get(_norm(key))
        if col is None:
            free = [c for c in export if _norm(c) not in mapped]
            P.add("the profile maps a column that the export does not have" + _dym(key, free, 0.5), ProfileError,
                  column=key, key="columns", expected="one of the export's columns: " + ", ".join(f"'{c}'" for c in export))
            continue
        target_of[col] = None if tgt is None else _canonical(tgt, criteria)
    for c in export:
        target_of.setdefault(c, _canonical(c, criteria))
    sources: dict[str, list[str]] = {}
    for c in export:
        t = target_of[c]
        if t is not None:
            sources.setdefault(t, []).append(c)
    for t, cols in sources.items():
        if len(cols) > 1:
            P.add(f"several export columns give '{t}': {', '.join(repr(c) for c in cols)}", ProfileError, column=cols[1],
                  key="columns", expected="one column per target (map the others to null to drop them)")
    src = {t: cols[0] for t, cols in sources.items()}
    extras = [t for t in src if t not in RESERVED and t not in criteria.ids]

    # 2. required columns
    if "id" not in src:
        guess = _near("id", extras, 0.3) or next((c for c in extras if "id" in _norm(c).split()), None)
        P.add("no id column" + (f" (is '{src[guess]}' the id? map it: '{src[guess]}: id')" if guess else ""),
              ProfileError, key="columns", expected="an export column mapped to id, e.g. columns: {Opportunity ID: id}")
    for c in criteria.criteria:
        if c.id in src:
            continue
        near = _near(c.id, extras, 0.6) or _near(c.name, extras, 0.6)
        hint = f" (did you mean to map '{src[near]}' to '{c.id}'?)" if near else ""
        P.add(f"no column for the criterion '{c.id}' ({c.name})" + hint, ProfileError, column=c.id, key="columns",
              expected=f"an export column mapped to {c.id} under columns:, holding {_expected(c)}")
    ev = [t for t in ("value", "win_probability", "pursuit_cost") if t in src]
    if ev and len(ev) < 3:
        absent = [t for t in ("value", "win_probability", "pursuit_cost") if t not in src]
        P.add(f"expected-value columns come together: found {ev}, missing {absent}", ProfileError, column=absent[0],
              key="columns", expected="all of value, win_probability, pursuit_cost, or none")

    # 3. values and units refer to target columns and scale labels
    vmaps: dict[str, dict[str, Any]] = {}
    for tgt, mapping in profile.values.items():
        t = _canonical(tgt, criteria)
        if t not in src:
            P.add("values given for a column that is not in the table" + _dym(tgt, list(src)), ProfileError,
                  key=f"values.{tgt}", expected="a target column: " + ", ".join(src))
            continue
        vm: dict[str, Any] = {}
        for k, target in mapping.items():
            if t in criteria.ids and criteria[t].scale is not None:
                c = criteria[t]
                lv = _level(target, c)
                if lv is None:
                    P.add("not a label of the scale" + _dym(str(target), [x.label for x in c.scale.values()]),
                          ProfileError, key=f"values.{tgt}.{k}", value=target, expected=_expected(c))
                    vm[_norm(k)] = _BAD
                    continue
                target = c.scale[lv].label
            vm[_norm(k)] = target
        vmaps[t] = vm
    units: dict[str, Any] = {}
    for tgt, u in profile.units.items():
        t = _canonical(tgt, criteria)
        numeric = t in ("value", "win_probability", "pursuit_cost") or (t in criteria.ids and criteria[t].scale is None)
        if t not in src or not numeric:
            what = "is not in the table" + _dym(tgt, list(src)) if t not in src else "is not a numeric column"
            P.add(f"units given for a column that {what}", ProfileError, key=f"units.{tgt}",
                  expected="a numeric column: value, win_probability, pursuit_cost or a criterion without a scale")
            continue
        units[t] = u

    # 4. cells
    order = {t: k for k, t in enumerate(src)}
    out: dict[str, list[Any]] = {}
    for t, col in src.items():
        values = raw[col].tolist()
        vm = vmaps.get(t, {})
        crit = criteria[t] if t in criteria.ids else None
        kind = ("id" if t == "id" else "name" if t == "name" else "scale" if crit is not None and crit.scale is not None
                else "number" if crit is not None or t in ("value", "win_probability", "pursuit_cost") else "extra")
        if kind == "extra":
            out[t] = [vm.get(_norm(v), v) if isinstance(v, str) else v for v in values]
            continue
        loc = None
        if kind == "number":
            if profile.numbers is not None:
                loc = profile.numbers.locale
            else:
                texts = [vm.get(_norm(v), v) for v in values if isinstance(v, str)]
                try:
                    loc = detect_locale(texts)
                except NumberError as exc:
                    P.add(exc.problem, column=col, value=exc.value, expected=exc.expected)
        res: list[Any] = []
        seen_ids: dict[str, int] = {}
        for i, v in enumerate(values):
            at = {"row": rownum[i], "column": col}
            key = (rownum[i], order[t])
            note = cell_notes.get((i, col))
            if note is not None:
                P.cell(key, note, value=v if v != "" else None, has_value=v != "", expected=_what(kind, crit, t), **at)
                res.append(None)
                continue
            text = v.strip() if isinstance(v, str) else v
            if isinstance(text, str) and text.upper() in EXCEL_ERRORS:
                P.cell(key, f"the cell holds the Excel error {text}", value=text, expected=_what(kind, crit, t), **at)
                res.append(None)
                continue
            if kind == "id":
                ident = "" if text is None else (str(int(text)) if isinstance(text, float) and text.is_integer() else str(text))
                if ident == "":
                    P.cell(key, "missing id", expected="a unique identifier for every opportunity", **at)
                elif ident in seen_ids:
                    P.cell(key, f"duplicate id (first on row {seen_ids[ident]})", value=ident, expected="each id once", **at)
                else:
                    seen_ids[ident] = rownum[i]
                res.append(ident or None)
                continue
            if kind == "name":
                res.append(None if text in (None, "") else str(text))
                continue
            if isinstance(text, str) and _norm(text) in vm:
                text = vm[_norm(text)]
                if text is _BAD:
                    res.append(None)
                    continue
            if text is None or (isinstance(text, str) and _norm(text) in _MISSING and
                                 (crit is None or crit.scale is None or crit.level_of(text) is None)):
                if missing == "error" and kind in ("scale", "number"):
                    hint = " (or choose missing='worst' / --missing worst)" if crit is not None else ""
                    P.cell(key, "missing value", value=v if v != "" else None, has_value=True,
                           expected=_what(kind, crit, t) + hint, **at)
                res.append(None)
                continue
            if kind == "scale":
                res.append(_scale_cell(text, crit, vm, P, key, at, loc))  # type: ignore[arg-type]
            else:
                res.append(_number_cell(text, v, t, crit, units.get(t), loc, P, key, at))
        out[t] = res

    ordered = [t for t in ("id", "name") if t in out] + [c for c in criteria.ids if c in out] + \
        [t for t in out if t not in ("id", "name") and t not in criteria.ids]  # the others in the export's order
    clean = pd.DataFrame({t: out[t] for t in ordered}, dtype=object) if ordered else pd.DataFrame(index=range(n))
    clean.attrs["where"] = where
    clean.attrs["row_numbers"] = rownum
    if rownum == list(range(rownum[0], rownum[0] + n)) if rownum else False:
        clean.attrs["first_row"] = rownum[0]
    return clean, P.result()


_BAD = object()  # a value mapping whose target was refused (already reported)


def _what(kind: str, crit: Criterion | None, t: str) -> str:
    if crit is not None:
        return _expected(crit)
    if t == "win_probability":
        return "a probability between 0 and 1 (or a percentage with units: {win_probability: percent})"
    if t in _AMOUNTS:
        return "a non-negative amount"
    return "a unique identifier" if kind == "id" else "a value"


def _scale_cell(text: Any, c: Criterion, vm: dict[str, Any], P: _Problems, key: tuple[int, int],
                at: dict[str, Any], loc: NumberLocale | None) -> str | None:
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        lv = _level(text, c)
    else:
        lv = _level(str(text), c)
    if lv is not None:
        return c.scale[lv].label  # type: ignore[index]
    labels = [x.label for x in c.scale.values()]  # type: ignore[union-attr]
    hint = _dym(str(text), labels) or (
        f" (a prefix of '{pre[0]}'?)" if (pre := [lb for lb in labels if _norm(lb).startswith(_norm(text))]) else "")
    P.cell(key, "unknown label" + hint, value=text, expected=_expected(c) + f" (or a mapping under values: {{{c.id}: ...}})", **at)
    return None


def _number_cell(text: Any, raw: Any, t: str, crit: Criterion | None, unit: Any, loc: NumberLocale | None,
                 P: _Problems, key: tuple[int, int], at: dict[str, Any]) -> float | None:
    what = _what("number", crit, t)
    if isinstance(text, bool):
        P.cell(key, "not a number", value=text, expected=what, **at)
        return None
    if isinstance(text, PercentCell):  # Excel stores 45% as 0.45
        x, pct = Decimal(repr(float(text))) * 100, True
    elif isinstance(text, (int, float)):
        x, pct = Decimal(repr(float(text))) if isinstance(text, float) else Decimal(int(text)), False
        if not x.is_finite():
            P.cell(key, "not a finite number", value=text, expected=what, **at)
            return None
    else:
        try:
            parsed = read_number(str(text), *(loc or (None, None)))
        except NumberError as exc:
            plain = exc.problem.startswith("not a number")
            problem = "text in a number column" if exc.problem == "not a number" else exc.problem
            P.cell(key, problem, value=raw, expected=what if plain else exc.expected, **at)
            return None
        x, pct = parsed.value, parsed.percent
    given = x
    if unit == "percent":
        x = x / 100
    else:
        if pct:
            x = x / 100
        if unit is not None:
            x = x * Decimal(repr(unit))
    if t == "win_probability" and not 0 <= x <= 1:
        if unit == "percent" or pct:
            problem = "percent above 100" if x > 1 else "negative percentage"
            expected = "a percentage between 0 and 100"
        else:
            problem = "probability out of range"
            expected = what + ("; the column looks like percentages: add units: {win_probability: percent}" if 1 < x <= 100 else "")
        P.cell(key, problem, value=raw, expected=expected, **at)
        return None
    if t in _AMOUNTS and x < 0:
        P.cell(key, "negative amount", value=raw, expected=what, **at)
        return None
    if crit is not None and crit.bounds is not None and not crit.bounds[0] <= x <= crit.bounds[1]:
        after = f" (read as {given}, {float(x):g} after units)" if x != given else ""
        P.cell(key, "number outside the criterion's bounds" + after, value=raw,
               expected=what + " (check units: in the profile, or widen 'bounds' in the criteria file)", **at)
        return None
    return float(x)
