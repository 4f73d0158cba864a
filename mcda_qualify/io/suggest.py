"""A starting import profile for a new export (the app's import wizard pre-fills from it)."""
from __future__ import annotations

import difflib
import re
from typing import Any

import pandas as pd

from ..criteria import CriteriaSet, Criterion
from .numbers import NumberError, detect_locale, read_number
from .problems import _near, _norm

__all__ = ["suggest_profile"]


_ALIASES = {
    "id": ["id", "opportunity id", "opportunity number", "opp id", "number", "nr", "deal id", "record id"],
    "name": ["name", "opportunity name", "opportunity", "title", "topic", "subject", "deal name"],
    "value": ["value", "expected value", "margin", "expected margin", "contribution", "gross margin"],
    "win_probability": ["win probability", "probability", "probability (%)", "chance", "win chance"],
    "pursuit_cost": ["pursuit cost", "bid cost", "presales cost", "cost of sale", "cost of pursuit"],
}


def _similarity(a: str, b: str) -> float:
    na, nb = _norm(re.sub(r"[_\-()%.]+", " ", a)), _norm(re.sub(r"[_\-()%.]+", " ", b))
    ratio = difflib.SequenceMatcher(None, na, nb).ratio()
    ta, tb = set(na.split()), set(nb.split())
    jacc = len(ta & tb) / len(ta | tb) if ta | tb else 0.0
    return max(ratio, jacc)


def _guess_label(value: str, c: Criterion) -> str | None:
    labels = [x.label for x in c.scale.values()]  # type: ignore[union-attr]
    v = _norm(value)
    pre = [lb for lb in labels if _norm(lb).startswith(v) or v.startswith(_norm(lb))]
    if len(pre) == 1:
        return pre[0]
    return _near(value, labels, 0.6)


def suggest_profile(raw: pd.DataFrame, criteria: CriteriaSet, cutoff: float = 0.6) -> dict[str, Any]:
    """A starting profile for ``raw``: columns matched to targets by name similarity (difflib),
    each distinct value of a scale column matched to a label (prefix or did-you-mean; None where
    nothing fits), the number format when the columns decide it, and ``percent`` for a
    win-probability column holding numbers above 1. A person confirms it; nothing here is final.
    """
    names = {t: [t.replace("_", " "), *a] for t, a in _ALIASES.items()}
    for c in criteria.criteria:
        names[c.id] = [c.id, c.id.replace("_", " "), c.name]
    pairs = sorted(((max(_similarity(col, a) for a in aliases), col, t)
                    for col in map(str, raw.columns) for t, aliases in names.items()), reverse=True)
    columns: dict[str, str] = {}
    taken: set[str] = set()
    for score, col, t in pairs:
        if score >= cutoff and col not in columns and t not in taken:
            columns[col] = t
            taken.add(t)
    profile: dict[str, Any] = {"columns": {c: columns[c] for c in map(str, raw.columns) if c in columns}}
    values: dict[str, dict[str, str | None]] = {}
    numeric_texts: list[str] = []
    units: dict[str, str] = {}
    for col, t in profile["columns"].items():
        crit = criteria[t] if t in criteria.ids else None
        cells = [v for v in raw[col].tolist() if not (isinstance(v, str) and not v.strip())]
        if crit is not None and crit.scale is not None:
            distinct = sorted({str(v).strip() for v in cells}, key=_norm)
            recode = {v: _guess_label(v, crit) for v in distinct if crit.level_of(v) is None}
            if recode:
                values[t] = recode
        elif crit is not None or t in ("value", "win_probability", "pursuit_cost"):
            numeric_texts += [v for v in cells if isinstance(v, str)]
            if t == "win_probability":
                nums = []
                for v in cells:
                    try:
                        nums.append(float(v) if not isinstance(v, str) else read_number(v).number)
                    except (NumberError, ValueError):
                        pass
                if nums and max(nums) > 1 and all(0 <= x <= 100 for x in nums):
                    units[t] = "percent"
    if values:
        profile["values"] = values
    try:
        loc = detect_locale(numeric_texts)
    except NumberError:
        loc = None
    if loc is not None:
        profile["numbers"] = {"decimal": loc.decimal, "thousands": loc.thousands}
    if units:
        profile["units"] = units
    return profile
