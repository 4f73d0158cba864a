"""Qualification decision: knock-out gates first, then score bands, each with readable reasons.

A failed gate is never outweighed: an opportunity that fails any gate is *Not qualified* whatever
its score. The others fall into bands of the ranking score (thresholds from the criteria file's
``qualification`` section, defaults qualified >= 0.60, conditional >= 0.40). Bands are defined on a
score in [0, 1] where higher is better (TOPSIS closeness, AHP ratings); for another method the
caller gives thresholds in that method's units and direction.

Where the table has ``value``, ``win_probability`` and ``pursuit_cost``: expected value
EV = p * value - cost and the break-even win probability p* = cost / value.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from .criteria import Criterion
from .errors import InputError
from .portfolio import EV_COLUMNS, Portfolio
from .ranking import Ranking, rank

__all__ = ["QUALIFIED", "CONDITIONAL", "NOT_QUALIFIED", "Decision", "qualify", "gate_failures", "passes_gate", "BANDED_METHODS", "has_bands"]

QUALIFIED, CONDITIONAL, NOT_QUALIFIED = "Qualified", "Conditional", "Not qualified"
#: methods whose score lies in [0, 1] with higher better, so the criteria file's bands apply
BANDED_METHODS = ("topsis", "ahp")


def has_bands(portfolio: Portfolio, method: str) -> bool:
    """Whether ``method``'s scores have qualification bands without explicit thresholds."""
    return method in BANDED_METHODS or method in portfolio.criteria.qualification.methods


@dataclass(frozen=True)
class Decision:
    """The ranking and, per opportunity, status and reasons (``table``, in input order)."""

    ranking: Ranking
    table: pd.DataFrame
    thresholds: dict[str, float]
    #: the ranking's notes, then notes on the gates (every opportunity fails one; only one passes)
    notes: list[str] = field(default_factory=list)

    def sorted(self) -> pd.DataFrame:
        return self.table.sort_values(["rank", "id"], kind="stable").reset_index(drop=True)


def _gate_text(c: Criterion) -> str:
    g = c.gate
    assert g is not None
    parts = []
    if g.min is not None:
        parts.append(f"at least {c.describe(g.min)}")
    if g.max is not None:
        parts.append(f"at most {c.describe(g.max)}")
    if g.allowed:
        parts.append("one of " + ", ".join(a if isinstance(a, str) else c.describe(a) for a in g.allowed))
    return " and ".join(parts)


def passes_gate(c: Criterion, x: float) -> bool:
    """Whether value ``x`` passes criterion ``c``'s knock-out gate (True when it has none)."""
    g = c.gate
    if g is None:
        return True
    if g.min is not None and x < g.min:
        return False
    if g.max is not None and x > g.max:
        return False
    if g.allowed:
        levels = [c.level_of(a) if isinstance(a, str) else float(a) for a in g.allowed]
        if x not in levels:
            return False
    return True


def _gate_mask(c: Criterion, col: np.ndarray) -> np.ndarray:
    """:func:`passes_gate` over a whole column at once (True where the value passes)."""
    g = c.gate
    ok = np.ones(col.shape, dtype=bool)
    if g is None:
        return ok
    if g.min is not None:
        ok &= ~(col < g.min)
    if g.max is not None:
        ok &= ~(col > g.max)
    if g.allowed:
        levels = [c.level_of(a) if isinstance(a, str) else float(a) for a in g.allowed]
        ok &= np.isin(col, [v for v in levels if v is not None])
    return ok


def gate_failures(portfolio: Portfolio) -> list[list[str]]:
    """For each opportunity, the readable reasons of every gate it fails (empty when it passes)."""
    out: list[list[str]] = [[] for _ in portfolio.ids]
    for j, c in enumerate(portfolio.criteria.criteria):
        if c.gate is None:
            continue
        col = portfolio.matrix[:, j]
        for i in np.flatnonzero(~_gate_mask(c, col)):
            out[int(i)].append(f"fails gate {c.id}: {c.describe(col[i])} (needs {_gate_text(c)})")
    return out


def _profiles(portfolio: Portfolio, weights: pd.Series, k: int = 2) -> list[tuple[list[str], list[str]]]:
    """The k strongest and weakest criteria of every opportunity, by weight x position in the column
    range (column extremes once: O(N M)). Ties in weight x position go to the criterion id first in
    alphabetical order."""
    crit = portfolio.criteria
    n = len(portfolio.ids)
    cids = sorted(weights.index, key=str)  # a stable sort below then breaks ties by id
    cols = [crit.ids.index(c) for c in cids]
    x = portfolio.matrix[:, cols] if cols else np.empty((n, 0))
    lo, hi = (x.min(axis=0), x.max(axis=0)) if n else (np.empty(0), np.empty(0))
    live = hi != lo
    x, lo, hi = x[:, live], lo[live], hi[live]
    cids = [c for c, ok in zip(cids, live) if ok]
    w = np.array([float(weights[c]) for c in cids])
    r = (x - lo) / (hi - lo) if cids else x
    cost = np.array([crit[c].direction == "cost" for c in cids], dtype=bool)
    r[:, cost] = 1 - r[:, cost]
    up = np.argsort(-(w * r), axis=1, kind="stable")[:, :k]
    down = np.argsort(-(w * (1 - r)), axis=1, kind="stable")[:, :k]
    objs = [crit[c] for c in cids]
    text: dict[tuple[int, float], str] = {}  # "id (value)" once per distinct value: scale levels repeat

    def said(i: int, j: int) -> str:
        key = (j, float(x[i, j]))
        if key not in text:
            text[key] = f"{cids[j]} ({objs[j].describe(key[1])})"
        return text[key]

    strong_ok, weak_ok = np.take_along_axis(r, up, axis=1) >= 0.75, np.take_along_axis(r, down, axis=1) <= 0.25
    return [([said(i, j) for j, ok in zip(up[i], strong_ok[i]) if ok],
             [said(i, j) for j, ok in zip(down[i], weak_ok[i]) if ok]) for i in range(n)]


def _profile(portfolio: Portfolio, weights: pd.Series, i: int, k: int = 2) -> tuple[list[str], list[str]]:
    """The k strongest and weakest criteria of opportunity i (see :func:`_profiles`, which does all at once)."""
    return _profiles(portfolio, weights, k)[i]


def _thresholds(portfolio: Portfolio, ranking: Ranking, thresholds: Mapping[str, float] | None) -> dict[str, float]:
    per_method = portfolio.criteria.qualification.methods.get(ranking.method)
    if thresholds is None and per_method is not None:
        thresholds = per_method.model_dump()
    if thresholds is None:
        if ranking.method not in BANDED_METHODS:
            raise InputError(
                f"score bands in the criteria file are on a 0-1 higher-is-better score ({', '.join(BANDED_METHODS)}); "
                f"method {ranking.method!r} scores on another scale ({ranking.better} is better)",
                expected="thresholds for this method: qualified and conditional (CLI: --qualified X --conditional Y, "
                     f"or qualification.methods.{ranking.method} in the criteria file)")
        q = portfolio.criteria.qualification
        return {"qualified": q.qualified, "conditional": q.conditional}
    try:
        t = {"qualified": float(thresholds["qualified"]), "conditional": float(thresholds["conditional"])}
    except (KeyError, TypeError, ValueError):
        raise InputError("thresholds need numbers 'qualified' and 'conditional'", value=dict(thresholds),
                         expected="e.g. {'qualified': 0.6, 'conditional': 0.45}") from None
    if not all(np.isfinite(list(t.values()))):
        raise InputError("thresholds must be finite numbers", value=t)
    ok = t["conditional"] <= t["qualified"] if ranking.better == "higher" else t["conditional"] >= t["qualified"]
    if not ok:
        raise InputError("conditional threshold is on the wrong side of the qualified threshold", value=t,
                         expected=f"{'conditional <= qualified' if ranking.better == 'higher' else 'conditional >= qualified'} ({ranking.better} scores are better)")
    return t


def _money(x: float) -> str:
    return f"{x:,.0f}"


def qualify(
    portfolio: Portfolio,
    weights: Mapping[str, float] | Sequence[float] | np.ndarray | None = None,
    method: str = "topsis",
    *,
    thresholds: Mapping[str, float] | None = None,
    ranking: Ranking | None = None,
    **opts: Any,
) -> Decision:
    """Gates, then score bands, with reasons; expected value where the table has its columns.

    Pass ``ranking`` to reuse one already computed; otherwise :func:`~mcda_qualify.ranking.rank`
    is called with ``weights``, ``method`` and ``opts``.
    """
    if ranking is None:
        ranking = rank(portfolio, weights, method, **opts)
    t = _thresholds(portfolio, ranking, thresholds)
    higher = ranking.better == "higher"
    fails = gate_failures(portfolio)
    has_ev = all(c in portfolio.table.columns for c in EV_COLUMNS)
    filled_by_id: dict[str, list[dict[str, Any]]] = {}
    for f in portfolio.filled:
        filled_by_id.setdefault(f["id"], []).append(f)
    statuses, reasons, evs, breakeven = [], [], [], []
    scores = ranking.table["score"].to_numpy(dtype=float)
    profiles = _profiles(portfolio, ranking.weights)
    if has_ev:
        ev_cols = {c: [float(v) for v in portfolio.table[c].to_numpy()] for c in EV_COLUMNS}
    for i, oid in enumerate(portfolio.ids):
        s = float(scores[i])
        why = list(fails[i])
        at_least_q = s >= t["qualified"] if higher else s <= t["qualified"]
        at_least_c = s >= t["conditional"] if higher else s <= t["conditional"]
        cmp = ">=" if higher else "<="
        if fails[i]:
            status = NOT_QUALIFIED
            why.append(f"score {s:.4f} not considered: a failed gate is never outweighed")
        elif at_least_q:
            status = QUALIFIED
            why.append(f"score {s:.4f} {cmp} {t['qualified']:g} (qualified band)")
        elif at_least_c:
            status = CONDITIONAL
            why.append(f"score {s:.4f} in the conditional band (qualified at {t['qualified']:g}, conditional at {t['conditional']:g})")
        else:
            status = NOT_QUALIFIED
            why.append(f"score {s:.4f} below the conditional threshold {t['conditional']:g}")
        strong, weak = profiles[i]
        if strong:
            why.append("strongest on " + ", ".join(strong))
        if weak:
            why.append("weakest on " + ", ".join(weak))
        for f in filled_by_id.get(oid, []):
            c = portfolio.criteria[f["column"]]
            why.append(f"{f['column']} was missing: filled with {c.describe(f['value'])} ({f['basis']})")
        if has_ev:
            p, v, cost = ev_cols["win_probability"][i], ev_cols["value"][i], ev_cols["pursuit_cost"][i]
            ev = p * v - cost
            be = cost / v if v > 0 else float("inf")
            evs.append(ev)
            breakeven.append(be)
            be_text = f"{be:.0%}" if be <= 1 else "never (cost exceeds value)"
            why.append(f"expected value {_money(ev)} = {p:.0%} x {_money(v)} - {_money(cost)}; break-even win probability {be_text}")
            if ev < 0:
                why.append("expected value is negative: pursuing costs more than it is expected to return")
        statuses.append(status)
        reasons.append(why)
    table = ranking.table.copy()
    table["status"] = statuses
    table["reasons"] = reasons
    table["gates_passed"] = [not f for f in fails]
    if has_ev:
        table["expected_value"] = evs
        table["break_even_probability"] = breakeven
    passing = [oid for oid, f in zip(portfolio.ids, fails) if not f]
    notes = list(ranking.notes)
    if not passing:
        notes.append("every opportunity fails a knock-out gate: none is qualified, whatever its score "
                     "(the ranking still orders them)")
    elif len(passing) == 1 and len(portfolio) > 1:
        notes.append(f"only {passing[0]} passes every knock-out gate: it is the only one that can qualify")
    return Decision(ranking, table, t, notes)
