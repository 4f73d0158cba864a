"""Bid plan (labelled): which qualified opportunities to pursue with the capacity we have.

A :class:`~mcda_qualify.portfolio.Portfolio` in, a :class:`PlanResult` out. The numbers come from
:func:`mcda_qualify.decision.decide` (scores, statuses, gates, expected value) and the exact 0-1 program
of :mod:`mcda_qualify.core.selection` (HiGHS via ``scipy.optimize.milp``); the robust plan samples weights
with the SMAA weight models of :mod:`mcda_qualify.sensitivity` and solves every sample exactly
(:mod:`mcda_qualify.core.selection_robust`; Liesio, Mild & Salo (2007), EJOR 181(3), 1488-1505).

Objectives (the plan maximises the sum over the selected opportunities):

=================  ===========================================================================
``score``          the ranking method's score made additive, higher better, on a 0-1 scale:
``weighted_score`` that additive score times ``win_probability``
``expected_value`` EV = win_probability x value - pursuit_cost (qualify.py's formula)
=================  ===========================================================================

How each method's score is made additive:

==============  ==================  ===========================================================
method          additive value      note
==============  ==================  ===========================================================
topsis          C_i (closeness)     in [0, 1], as is (Hwang & Yoon 1981)
ahp             rating              in [0, 1], ideal mode, as is (Saaty 1986)
vikor           1 - Q_i             Q in [0, 1], lower better; the worst has value 0, never picked
promethee_ii    (phi_i + 1) / 2     net flow phi in [-1, 1] shifted to [0, 1]
spotis          1 - P_i             P in [0, 1], lower better
wsm, wpm        score as is         > 0 (sum-normalised, pymcdm)
copras          utility as is       > 0
moora           refused             the ratio-system score can be negative
==============  ==================  ===========================================================

An opportunity whose objective value is <= 0 is selected only when a constraint forces it. Eligible:
every gate passed (and, with ``only_statuses``, a status among them). Bad input raises
:class:`~mcda_qualify.errors.InputError` naming the column, id or value and what was expected;
constraints that no plan can meet raise :class:`PlanInfeasible`, naming a conflicting set.
"""
from __future__ import annotations

import difflib
import math
import time
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from .core import selection as sel
from .core.selection_robust import robust_plan
from .decision import decide
from .errors import InputError, PortfolioError
from .portfolio import EV_COLUMNS, Portfolio
from .qualify import Decision, gate_failures

__all__ = ["OBJECTIVES", "PlanInfeasible", "PlanResult", "plan", "additive_scores"]

OBJECTIVES: tuple[str, ...] = ("score", "expected_value", "weighted_score")
_AS_IS = ("topsis", "ahp", "wsm", "wpm", "copras")
#: left-out opportunities explained ("what it takes to get in") by default: the best ones by value
EXPLAIN_MAX = 15
#: above this many eligible opportunities "what it takes" gives the score increase only: the capacity
#: increase re-solves the plan up to 4N + 4 times per capacity and opportunity (minutes at 1,000 rows)
CAPACITY_SEARCH_MAX = 150
#: above this many eligible opportunities nothing is explained by default (each explanation is an exact
#: re-solve of seconds there); ``explain=N`` asks for N all the same
EXPLAIN_ELIGIBLE_MAX = 2_000
#: most (eligible opportunities x weight samples) of a robust plan: every sample is an exact 0-1 program
#: (50 x 1,000 takes seconds; 1,000 x 100 took 100 s here)
ROBUST_MAX_CELLS = 50_000


class PlanInfeasible(InputError):
    """No plan meets the constraints; ``conflict`` lists an irreducible conflicting set (readable)."""

    def __init__(self, conflict: list[str]) -> None:
        self.conflict = conflict
        super().__init__("no plan satisfies these constraints together: " + "; ".join(conflict),
                         expected="relax at least one of them")


@dataclass(frozen=True)
class PlanResult:
    """``table``: one row per opportunity (input order): id, name, score, value (objective), status,
    eligible, selected, the capacity columns' usages, acceptability, robust_class, value_increase,
    <capacity>_increase, reasons. ``capacities``: column, limit, used, slack. ``frontier``: limit, total,
    marginal (per unit, difference quotient), next_unit (exact), selected (ids); empty when not asked."""

    objective: str
    method: str
    total: float
    table: pd.DataFrame
    capacities: pd.DataFrame
    frontier: pd.DataFrame
    robust: dict[str, Any] = field(default_factory=dict)

    @property
    def selected(self) -> list[str]:
        return [str(i) for i in self.table.loc[self.table["selected"], "id"]]

    def to_json(self) -> dict[str, Any]:
        """The issue's JSON shape; strict (NaN and infinity become null)."""
        opp = [{"id": r["id"], "name": r["name"], "eligible": bool(r["eligible"]), "selected": bool(r["selected"]),
                "reasons": list(r["reasons"]), "acceptability": _num(r["acceptability"])}
               for r in self.table.to_dict("records")]
        return {
            "objective": self.objective,
            "total": _num(self.total),
            "capacities": {r["column"]: {"limit": _num(r["limit"]), "used": _num(r["used"])}
                           for r in self.capacities.to_dict("records")},
            "opportunities": opp,
            "frontier": [{"limit": _num(r["limit"]), "total": _num(r["total"]), "selected": list(r["selected"])}
                         for r in self.frontier.to_dict("records")],
        }


def _num(v: Any) -> float | None:
    if v is None:
        return None
    v = float(v)
    return v if math.isfinite(v) else None


def additive_scores(method: str, scores: np.ndarray) -> np.ndarray:
    """The method's scores as additive values, higher better (see the module's table)."""
    s = np.asarray(scores, dtype=float)
    if method in _AS_IS:
        return s
    if method in ("vikor", "spotis"):
        return 1.0 - s
    if method == "promethee_ii":
        return (s + 1.0) / 2.0
    raise InputError("no additive form of this method's score for a plan", value=method,
                     expected=f"one of {', '.join(_AS_IS + ('vikor', 'promethee_ii', 'spotis'))}, or objective expected_value")


def _column(portfolio: Portfolio, col: str, what: str) -> np.ndarray:
    table = portfolio.table
    if col not in table.columns:
        near = difflib.get_close_matches(col, [str(c) for c in table.columns], n=1, cutoff=0.6)
        hint = f" (did you mean '{near[0]}'?)" if near else ""
        raise PortfolioError(f"unknown column for {what}{hint}", file=portfolio.source, value=col,
                             expected="one of " + ", ".join(str(c) for c in table.columns if c not in ("id", "name")))
    return table[col].to_numpy()


def _numeric(portfolio: Portfolio, col: str, what: str) -> np.ndarray:
    raw = _column(portfolio, col, what)
    x = pd.to_numeric(pd.Series(raw), errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(x) | (x < 0))
    if bad.size:
        i = int(bad[0])
        raise PortfolioError(f"{what} needs a number >= 0 in every row", file=portfolio.source,
                             row=portfolio.rows[i], column=col, value=raw[i], has_value=True,
                             expected="a non-negative number (the capacity this opportunity uses)")
    return x


def _index(portfolio: Portfolio, oid: Any, what: str) -> int:
    key = str(oid).strip()
    if key not in portfolio.ids:
        near = difflib.get_close_matches(key, portfolio.ids, n=1, cutoff=0.6)
        hint = f" (did you mean '{near[0]}'?)" if near else ""
        raise InputError(f"unknown opportunity id in {what}{hint}", value=key, expected=f"one of {', '.join(portfolio.ids)}")
    return portfolio.ids.index(key)


def _count(v: Any, what: str) -> int | None:
    if v is None:
        return None
    if isinstance(v, bool) or not float(v).is_integer() or v < 0:
        raise InputError(f"{what} must be a whole number >= 0", value=v, expected="e.g. 3")
    return int(v)


def _values(portfolio: Portfolio, result: Any, objective: str, method: str) -> tuple[np.ndarray, np.ndarray]:
    """(objective values, additive scores) per opportunity."""
    ranking = getattr(result, "ranking", result)
    add = additive_scores(method, ranking.table["score"].to_numpy(dtype=float)) if objective != "expected_value" \
        else ranking.table["score"].to_numpy(dtype=float)
    if objective == "score":
        return add, add
    need = EV_COLUMNS if objective == "expected_value" else ("win_probability",)
    absent = [c for c in need if c not in portfolio.table.columns]
    if absent:
        raise PortfolioError(f"objective {objective!r} needs column {absent[0]}", file=portfolio.source, column=absent[0],
                             expected=f"columns {', '.join(need)} (or objective 'score')")
    p = portfolio.table["win_probability"].to_numpy(dtype=float)
    if objective == "weighted_score":
        return add * p, add
    return p * portfolio.table["value"].to_numpy(dtype=float) - portfolio.table["pursuit_cost"].to_numpy(dtype=float), add


def plan(portfolio: Portfolio, weights: Mapping[str, float] | Sequence[float] | None = None, method: str = "topsis", *,
         capacities: Mapping[str, float], objective: str = "score", must: Sequence[str] = (), never: Sequence[str] = (),
         per: Mapping[str, int] | None = None, per_exactly: Mapping[str, int] | None = None,
         requires: Sequence[tuple[str, str]] = (), min_count: int | None = None, max_count: int | None = None,
         only_statuses: Sequence[str] | None = None, frontier: str | None = None, levels: int = 20,
         robust: int | None = None, weight_model: str = "dirichlet", concentration: float = 100.0,
         weight_samples: Any = None, seed: int | None = None, explain: bool | int = True, judgments: Any = None,
         normalization: str = "vector", exclude: Sequence[str] = (), thresholds: Mapping[str, float] | None = None,
         **opts: Any) -> PlanResult:
    """The best set of opportunities under ``capacities`` ({column: limit}) and the other constraints.

    ``per`` {column: k}: at most k per value of the column (``per_exactly``: exactly k); ``requires``
    [(A, B)]: A only with B. ``frontier``: a column whose limit varies over ``levels`` levels (added with
    no limit when it is not among ``capacities``). ``robust`` N: plan acceptability over N weight samples
    of ``weight_model`` (uniform, dirichlet around the weights with ``concentration``, intervals, ordinal, or
    samples = ``weight_samples``, e.g. from judgment uncertainty), methods topsis and wsm. ``explain``: for
    the best left-out eligible opportunities by value (:data:`EXPLAIN_MAX` with True, or that many with a
    number; none with False), what it takes to enter (exact re-solves per opportunity and capacity).
    Weights, method, judgments, normalization, exclude, thresholds and ``opts`` go to
    :func:`~mcda_qualify.decision.decide`.
    """
    if objective not in OBJECTIVES:
        raise InputError("unknown objective", value=objective, expected=f"one of {', '.join(OBJECTIVES)}")
    result, _ = decide(portfolio, weights, method, judgments=judgments, normalization=normalization,
                       exclude=exclude, thresholds=thresholds, **opts)
    ranking = getattr(result, "ranking", result)
    m = ranking.method
    values, score = _values(portfolio, result, objective, m)
    n, ids = len(portfolio), portfolio.ids
    fails = gate_failures(portfolio)
    eligible = np.array([not f for f in fails])
    status = list(result.table["status"]) if isinstance(result, Decision) else [None] * n
    why_not: list[list[str]] = [list(f) for f in fails]
    if only_statuses is not None:
        if not isinstance(result, Decision):
            raise InputError("only_statuses needs statuses, and this method has no score bands", value=m,
                             expected="thresholds for the method, or no status filter")
        allowed = {str(s) for s in only_statuses}
        for i, st_ in enumerate(status):
            if st_ not in allowed:
                eligible[i] = False
                why_not[i].append(f"status {st_} is not among {', '.join(sorted(allowed))}")
    if not capacities and frontier is None:
        raise InputError("a plan needs at least one capacity", expected="e.g. capacities={'sales_effort': 600}")
    cap_cols = list(capacities)
    limits: list[float] = []
    for col in cap_cols:
        lim = capacities[col]
        if isinstance(lim, bool) or not isinstance(lim, (int, float, np.integer, np.floating)) or not math.isfinite(lim) or lim < 0:
            raise InputError("capacity limit must be a number >= 0", column=col, value=lim, expected="e.g. 600")
        limits.append(float(lim))
    if frontier is not None and frontier not in cap_cols:
        cap_cols.append(frontier)
        limits.append(math.inf)
    usage = [_numeric(portfolio, col, "a capacity") for col in cap_cols]
    limits = [float(u.sum()) if math.isinf(lim) else lim for u, lim in zip(usage, limits)]
    must_i = [_index(portfolio, o, "must") for o in must]
    never_i = [_index(portfolio, o, "never") for o in never]
    for i in must_i:
        if i in never_i:
            raise InputError("an opportunity is both a must and a never", value=ids[i], expected="each id in one list")
        if not eligible[i]:
            raise InputError("a must is not eligible: " + "; ".join(why_not[i]), value=ids[i],
                             expected="an opportunity that passes every gate" + (" and has an allowed status" if only_statuses else ""))
    req = [(_index(portfolio, a, "requires"), _index(portfolio, b, "requires")) for a, b in requires]
    groups, gdesc = [], []
    for spec, exact in ((per or {}, False), (per_exactly or {}, True)):
        for col, k in spec.items():
            raw = pd.Series(_column(portfolio, col, "per"), dtype=object)
            empty = raw.isna() | (raw.astype(str).str.strip() == "")
            codes, uniques = pd.factorize(raw.where(~empty).astype(str).str.strip())
            codes = np.where(empty.to_numpy(), -1, codes)
            kk = _count(k, f"per {col}")
            groups.append((codes.astype(int), kk, exact))
            gdesc.append((col, kk, exact, list(uniques)))
    lo, hi = _count(min_count, "min_count"), _count(max_count, "max_count")
    caps = list(zip(usage, limits))
    args = dict(eligible=eligible, capacities=caps, must=must_i, never=never_i, groups=groups, requires=req,
                min_count=lo, max_count=hi)

    def labelled(c: sel.Constraint) -> str:
        if c.kind == "capacity":
            return f"capacity {cap_cols[c.ref[0]]} <= {limits[c.ref[0]]:g}"
        if c.kind in ("must", "never"):
            return f"{c.kind} {ids[c.ref[0]]}"
        if c.kind == "ineligible":
            return f"{ids[c.ref[0]]} is not eligible ({'; '.join(why_not[c.ref[0]])})"
        if c.kind == "group":
            col, k, exact, labels = gdesc[c.ref[0]]
            return f"{'exactly' if exact else 'at most'} {k} per {col} ({col} = {labels[c.ref[1]]})"
        if c.kind == "requires":
            return f"{ids[c.ref[0]]} only with {ids[c.ref[1]]}"
        return f"{'at least' if c.kind == 'min_count' else 'at most'} {lo if c.kind == 'min_count' else hi} opportunities"

    try:
        best = sel.optimal_plan(values, **args)
    except sel.InfeasiblePlan as exc:
        raise PlanInfeasible([labelled(c) for c in exc.conflict]) from None

    table = pd.DataFrame({"id": ids, "name": portfolio.names, "score": ranking.table["score"].to_numpy(),
                          "value": values, "status": status, "eligible": eligible, "selected": best.selected})
    for col, u in zip(cap_cols, usage):
        table[col] = u
    table["acceptability"] = np.nan
    table["robust_class"] = None
    robust_info: dict[str, Any] = {}
    if robust is not None:
        acc, robust_info = _robust(portfolio, m, objective, robust, weights, weight_model, concentration,
                                   weight_samples, seed, normalization, exclude, args)
        table["acceptability"] = acc
        table["robust_class"] = np.where(acc == 1.0, "core", np.where(acc == 0.0, "exterior", "borderline"))
    table["value_increase"] = np.nan
    for col in cap_cols:
        table[f"{col}_increase"] = np.nan
    if explain:
        # each answer takes exact re-solves (capacity increases by iteration): the best left-out
        # opportunities by value only, EXPLAIN_MAX unless a number is given (a 1,000-row pipeline would
        # otherwise take minutes)
        n_ok = int(eligible.sum())
        limit = (EXPLAIN_MAX if n_ok <= EXPLAIN_ELIGIBLE_MAX else 0) if explain is True else int(explain)
        out_i = [i for i in np.flatnonzero(eligible & ~best.selected) if i not in never_i]
        out_i = sorted(out_i, key=lambda i: -values[i])[:limit]
        for i in out_i:
            w = sel.what_it_takes(values, **args, item=int(i), capacity_search=n_ok <= CAPACITY_SEARCH_MAX,
                                  base=best)
            table.loc[i, "value_increase"] = w.value_increase
            for col, d in zip(cap_cols, w.capacity_increase):
                table.loc[i, f"{col}_increase"] = d
    table["reasons"] = [_reasons(table.iloc[i], why_not[i], i in must_i, i in never_i, cap_cols, limits, objective, robust_info)
                        for i in range(n)]
    cap = pd.DataFrame({"column": cap_cols, "limit": limits, "used": best.used, "slack": np.array(limits) - best.used})
    fr = pd.DataFrame(columns=["limit", "total", "marginal", "next_unit", "selected"])
    if frontier is not None:
        f = sel.frontier(values, **args, capacity_index=cap_cols.index(frontier), levels=levels)
        fr = pd.DataFrame({"limit": f.levels, "total": f.totals, "marginal": f.marginal, "next_unit": f.next_unit,
                           "selected": [[ids[i] for i in np.flatnonzero(s)] for s in f.selected]})
    return PlanResult(objective, m, best.total, table, cap, fr, robust_info)


def _reasons(r: pd.Series, why_not: list[str], is_must: bool, is_never: bool, cols: list[str], limits: list[float],
             objective: str, robust: dict[str, Any]) -> list[str]:
    out: list[str] = []
    if not r["eligible"]:
        return ["not eligible: " + "; ".join(why_not)]
    if r["selected"]:
        out.append(f"selected{' (must)' if is_must else ''}: {objective} {r['value']:.4f}; uses "
                   + ", ".join(f"{c} {r[c]:g} of {lim:g}" for c, lim in zip(cols, limits)))
    elif is_never:
        out.append("left out: on the never list")
    else:
        out.append(f"left out: {objective} {r['value']:.4f}")
        if r["value"] <= 0:
            out.append(f"{objective} is not positive: never worth selecting unless a constraint forces it")
        d = r["value_increase"]
        if isinstance(d, float) and not math.isnan(d):
            out.append(f"enters the plan if its {objective} rises by {d:.4f}" if math.isfinite(d)
                       else "no value increase brings it in: no plan that meets the constraints contains it")
        for c, lim in zip(cols, limits):
            d = r.get(f"{c}_increase")
            if d is not None and not (isinstance(d, float) and math.isnan(d)):
                out.append(f"enters the plan if {c} grows by {d:g} (to {lim + d:g})")
            elif d is not None and not math.isnan(r["value_increase"]):
                out.append(f"no increase of {c} alone brings it in")
    if robust:
        a = r["acceptability"]
        share = f"{a:.0%}" if a in (0.0, 1.0) else f"{a:.1%}"  # never '100%' for a borderline one
        out.append(f"in {share} of {robust['samples']} sampled optimal plans ({r['robust_class']})")
    return out


def _robust(portfolio: Portfolio, method: str, objective: str, samples: Any, weights: Any, weight_model: str,
            concentration: float, weight_samples: Any, seed: int | None, normalization: str,
            exclude: Sequence[str], args: dict) -> tuple[np.ndarray, dict[str, Any]]:
    """Plan acceptability over weight samples scored in one batch (sensitivity.batch_scores)."""
    from .core.batch import batch_scores
    from .core.smaa import draw_weights
    from .sensitivity import _setup, _weight_model

    if objective == "expected_value":
        raise InputError("a robust plan varies the weights, and the expected value does not depend on them",
                         value=objective, expected="objective 'score' or 'weighted_score'")
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
        raise InputError("robust needs a number of weight samples", value=samples, expected="a whole number >= 1, e.g. 1000")
    n_ok = int(np.count_nonzero(args["eligible"])) if args.get("eligible") is not None else len(portfolio)
    if n_ok * int(samples) > ROBUST_MAX_CELLS:
        raise InputError(f"robust plan too large: {n_ok:,} eligible opportunities x {int(samples):,} samples, each an "
                         f"exact 0-1 program (at most {ROBUST_MAX_CELLS:,} in all)", value=int(samples),
                         expected=f"at most {max(1, ROBUST_MAX_CELLS // max(n_ok, 1)):,} samples, or fewer eligible "
                                  "opportunities (e.g. --only-status Qualified)")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise InputError("seed must be a non-negative integer", value=seed, expected="e.g. 42")
    s = _setup(portfolio, weights, method, normalization, exclude)
    wm = _weight_model(s, weight_model, concentration, None, None, weight_samples)
    w = draw_weights(wm, int(samples), len(s.criteria), seed)
    scores = additive_scores(s.method, batch_scores(s.method, s.matrix, w, s.types, normalization))
    if objective == "weighted_score":
        scores = scores * portfolio.table["win_probability"].to_numpy(dtype=float)
    t0 = time.perf_counter()
    res = robust_plan(scores, **args)
    secs = time.perf_counter() - t0
    return res.acceptability, {"samples": int(samples), "seed": seed, "weight_model": wm.describe(),
                               "seconds": secs, "solver_calls": res.solver_calls,
                               "sample_plans": res.selected}
