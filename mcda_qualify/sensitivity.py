"""Labelled sensitivity analysis: a :class:`~mcda_qualify.portfolio.Portfolio` in, DataFrames out.

One function per analysis, each validating its input once (through :func:`mcda_qualify.ranking.rank`,
so weights, method, normalisation and the table are checked exactly as for a ranking) and calling the
numeric core :mod:`mcda_qualify.sensitivity`. Problems with user input raise
:class:`~mcda_qualify.errors.InputError` naming what, where and what was expected.

Score uncertainty columns (read by :func:`score_ranges`): for a criterion ``risk`` the opportunity
table may carry ``risk_low`` and ``risk_high`` (together) and optionally ``risk_likely``. A row with
low and high draws the value uniformly from [low, high], or from the triangular distribution
(low, likely, high) where ``risk_likely`` is filled; an empty low/high pair keeps the value exact.
Scale criteria accept levels or labels. The criterion's own value must lie within [low, high].
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from .core import batch, reversal, weight_models
from .core import smaa as smaa_core
from .criteria import Criterion
from .degenerate import confidence_notes, reversals_or_none
from .errors import InputError, JudgmentError, PortfolioError
from .portfolio import Portfolio
from .ranking import Ranking, rank

__all__ = [
    "RANGE_SUFFIXES",
    "weight_sweep",
    "reversal_points",
    "stability_intervals",
    "critical_criteria",
    "score_ranges",
    "SMAAFrames",
    "smaa",
    "ahp_weight_samples",
    "judgment_weight_samples",
    "MethodComparison",
    "method_comparison",
    "what_it_takes",
    "head_to_head",
    "profiles",
    "sensitivity_summary",
]

#: suffixes of the score-uncertainty columns: <criterion>_low, <criterion>_likely, <criterion>_high
RANGE_SUFFIXES: tuple[str, str, str] = ("_low", "_likely", "_high")
WEIGHT_MODELS: tuple[str, ...] = ("uniform", "dirichlet", "intervals", "ordinal", "samples")
Weights = Mapping[str, float] | Sequence[float] | np.ndarray | None


@dataclass(frozen=True)
class _Setup:
    """A validated problem: the baseline ranking and the arrays of the criteria it uses."""

    portfolio: Portfolio
    ranking: Ranking
    criteria: list[str]
    keep: list[int]
    matrix: np.ndarray
    types: np.ndarray
    weights: np.ndarray
    method: str
    normalization: str

    @property
    def ids(self) -> list[str]:
        return list(self.portfolio.ids)

    def crit(self, criterion: str) -> int:
        if criterion not in self.criteria:
            known = self.portfolio.criteria.ids
            what = "criterion is excluded" if criterion in known else "unknown criterion"
            raise InputError(what, value=criterion, expected=f"one of {', '.join(self.criteria)}")
        return self.criteria.index(criterion)


def _setup(portfolio: Portfolio, weights: Weights, method: str, normalization: str,
           exclude: Sequence[str], wsm_normalization: str = "sum") -> _Setup:
    m = str(method).lower().replace("-", "_")
    if m not in batch.SENSITIVITY_METHODS:
        raise InputError("method not supported by the sensitivity analysis", value=method,
                         expected=f"one of {', '.join(batch.SENSITIVITY_METHODS)} (compare other methods with method_comparison)")
    if m == "wsm" and wsm_normalization != "sum":
        # the sweeps, reversal points and SMAA of core/batch.py use WSM's sum normalisation only
        raise InputError("the sensitivity analysis of WSM supports the sum normalisation only",
                         value=wsm_normalization, expected="--wsm-normalization sum (the default), or method topsis")
    r = rank(portfolio, weights, m, normalization=normalization, exclude=exclude)
    crit = [str(c) for c in r.weights.index]
    keep = [portfolio.criteria.ids.index(c) for c in crit]
    x = portfolio.matrix[:, keep]
    if m == "wsm":  # a constant column adds the same to every WSM score: as a column of ones (issue 17)
        x = x.copy()
        x[:, np.all(x == x[:1], axis=0)] = 1.0
        bad = np.argwhere(x <= 0)
        if bad.size:
            i, j = (int(v) for v in bad[0])
            raise PortfolioError("WSM's sum normalisation needs values > 0", file=portfolio.source,
                                 row=portfolio.rows[i], column=crit[j], value=float(x[i, j]),
                                 expected="positive numbers (or method topsis)")
    return _Setup(portfolio, r, crit, keep, x, portfolio.criteria.types[keep], r.weights.to_numpy(dtype=float),
                  m, normalization)


#: most opportunities of an analysis of reversal points (sensitivity summary, stability intervals,
#: critical criteria): the pairs that can swap grow with the square of the number (docs/bad_input.md)
MAX_REVERSAL_OPPORTUNITIES = 2_000
#: most samples x opportunities of one SMAA run (the rank of every opportunity in every sample)
MAX_SMAA_CELLS = 50_000_000
#: in top-r mode (memory N x r) the cap is this many times larger (50,000 x 10,000 runs in about 15 s)
TOP_R_FACTOR = 10


def _check_reversal_size(portfolio: Portfolio) -> None:
    n = len(portfolio)
    if n > MAX_REVERSAL_OPPORTUNITIES:
        raise PortfolioError(f"too many opportunities for the reversal analysis ({n:,}; at most "
                             f"{MAX_REVERSAL_OPPORTUNITIES:,}: every pair can swap, so the work grows with the square "
                             "of the number)", file=portfolio.source,
                             expected="fewer opportunities (e.g. --passing-only, or the top of a ranking)")


def _grid(grid: int) -> int:
    """The former bracketing grid: deprecated and ignored (reversal points are in closed form now),
    still checked so that a call that passes it keeps failing or passing as before."""
    if isinstance(grid, bool) or not isinstance(grid, (int, np.integer)) or grid < 3:
        raise InputError("the bracketing grid needs at least three points", value=grid,
                         expected="an integer >= 3 (default 2001; deprecated and ignored)")
    return int(grid)


def _reversals(s: _Setup, cols: Sequence[int] | None, grid: int) -> reversal.Reversals:
    return reversals_or_none(s.matrix, s.weights, s.types, cols, s.method, s.normalization, _grid(grid))


#: why a sensitivity coefficient is missing where the core gives inf (a pair tied at the current weights)
TIED_NOTE = "a pair is tied at the current weights: any change of this weight reverses it (coefficient unbounded)"


def _sensitivity(v: float) -> tuple[float | None, str | None]:
    """The coefficient 1 / criticality as JSON-safe data: None and a reason where it is unbounded."""
    v = float(v)
    return (v, None) if math.isfinite(v) else (None, TIED_NOTE)


def _nearest_only(s: _Setup, grid: int) -> reversal.Reversals | None:
    """None: the core finds the nearest reversal on each side from N - 1 adjacent pairs per criterion
    (O(N log N), no N^2 listing, so no size cap); with one criterion in use, no reversal at all."""
    _grid(grid)
    return reversal.Reversals.empty() if s.matrix.shape[1] < 2 else None


def _num(v: float) -> float | None:
    v = float(v)
    return v if math.isfinite(v) else None


# ---------------------------------------------------------------------------------------------
# weight sweep, reversal points, stability, critical criteria

def weight_sweep(portfolio: Portfolio, criterion: str, weights: Weights = None, *, method: str = "topsis",
                 normalization: str = "vector", points: int = 101, exclude: Sequence[str] = (),
                 ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Scores and ranks of every opportunity while ``criterion``'s weight runs over [0, 1].

    The other weights keep their proportions: w_k(t) = (1 - t) w_k / sum_{l != j} w_l. ``points``
    evenly spaced weights plus the current one (flagged ``current``). Long format: one row per weight
    and opportunity, columns criterion, weight, current, id, name, score, rank (competition ranks).
    TOPSIS (Hwang & Yoon 1981) or WSM (Fishburn 1967) scores. ``ids``: rows of these opportunities
    only (ranks still among all), e.g. the top 15 of a long pipeline for a chart.
    """
    s = _setup(portfolio, weights, method, normalization, exclude)
    if len(s.criteria) < 2:
        raise InputError(f"one criterion in use ({s.criteria[0]}): its weight is always 1, nothing to sweep")
    if int(points) < 2:
        raise InputError("a sweep needs at least two points", value=points, expected="points >= 2")
    sw = reversal.weight_sweep(s.matrix, s.weights, s.types, s.crit(criterion), int(points),
                         method=s.method, normalization=s.normalization)
    keep = np.arange(len(portfolio.ids))
    if ids is not None:
        pos = {o: i for i, o in enumerate(portfolio.ids)}
        unknown = [o for o in ids if o not in pos]
        if unknown:
            raise InputError("unknown opportunity id", value=unknown[0], expected="ids of the opportunity table")
        keep = np.array(sorted({pos[o] for o in ids}), dtype=int)
    k, n = sw.scores.shape[0], keep.size
    return pd.DataFrame({
        "criterion": criterion,
        "weight": np.repeat(sw.t, n),
        "current": np.repeat(sw.t == sw.current, n),
        "id": np.tile(np.asarray(portfolio.ids, dtype=object)[keep], k),
        "name": np.tile(np.asarray(portfolio.names, dtype=object)[keep], k),
        "score": sw.scores[:, keep].ravel(),
        "rank": sw.ranks[:, keep].ravel(),
    })


def _reversal_frame(s: _Setup, rv: reversal.Reversals, top: int) -> pd.DataFrame:
    ids, names = np.array(s.portfolio.ids, dtype=object), np.array(s.portfolio.names, dtype=object)
    w0 = s.weights[rv.criterion] if len(rv) else np.empty(0)
    change = reversal.weight_change(rv.weight, w0)
    return pd.DataFrame({
        "criterion": [s.criteria[j] for j in rv.criterion],
        "weight": rv.weight,
        "current_weight": w0,
        "change": change,
        "change_pct": 100.0 * change / w0 if len(rv) else np.empty(0),
        "a": ids[rv.a] if len(rv) else [],
        "b": ids[rv.b] if len(rv) else [],
        "a_name": names[rv.a] if len(rv) else [],
        "b_name": names[rv.b] if len(rv) else [],
        "score_a": rv.score_a,
        "score_b": rv.score_b,
        "involves_top": (rv.a == top) | (rv.b == top),
    })


def reversal_points(portfolio: Portfolio, weights: Weights = None, *, method: str = "topsis",
                    normalization: str = "vector", criteria: Sequence[str] | None = None, grid: int = 2001,
                    exclude: Sequence[str] = (), among: Sequence[str] | None = None) -> pd.DataFrame:
    """Exact weights at which two opportunities swap, for each criterion's sweep.

    Columns: criterion, weight (t in (0, 1)), current_weight, change and change_pct (the change of the
    current weight, others unchanged then renormalised, that reaches t: Triantaphyllou & Sanchez 1997),
    a and b (a ranks above b just below the weight, b above a just above it), their names, score_a and
    score_b (equal at the point), involves_top (the current top opportunity is a or b). Closed form for
    WSM and TOPSIS, every pair at once (:mod:`mcda_qualify.core.exact_reversal`); ``grid`` is
    deprecated and ignored. ``among``: only pairs of these opportunity ids (scored with the whole
    table), e.g. the top 15 of a long pipeline.
    """
    _check_reversal_size(portfolio)
    s = _setup(portfolio, weights, method, normalization, exclude)
    cols = None if criteria is None else [s.crit(c) for c in criteria]
    sub = None
    if among is not None:
        pos = {o: i for i, o in enumerate(s.ids)}
        unknown = [o for o in among if o not in pos]
        if unknown:
            raise InputError("unknown opportunity id", value=unknown[0], expected="ids of the opportunity table")
        sub = [pos[o] for o in among]
    _grid(grid)
    if sub is None:
        rv = _reversals(s, cols, grid)
    else:
        from .core.exact_reversal import reversal_points as exact_points

        rv = exact_points(s.matrix, s.weights, s.types, cols, method=s.method, normalization=s.normalization,
                          among=sub)
    return _reversal_frame(s, rv, reversal.top_opportunity(s.matrix, s.weights, s.types, s.method, s.normalization))


def _stability_frame(s: _Setup, st: reversal.Stability) -> pd.DataFrame:
    return pd.DataFrame({
        "criterion": s.criteria,
        "weight": st.weight,
        "top": s.portfolio.ids[st.top],
        "top_lo": st.top_lo,
        "top_hi": st.top_hi,
        "ranking_lo": st.ranking_lo,
        "ranking_hi": st.ranking_hi,
    })


def stability_intervals(portfolio: Portfolio, weights: Weights = None, *, method: str = "topsis",
                        normalization: str = "vector", grid: int = 2001,
                        exclude: Sequence[str] = ()) -> pd.DataFrame:
    """Per criterion, the weight ranges around the current weight (same sweep as :func:`weight_sweep`)
    within which the top opportunity stays (top_lo..top_hi) and the whole ranking stays (ranking_lo..
    ranking_hi). Columns: criterion, weight, top, top_lo, top_hi, ranking_lo, ranking_hi. Weight
    stability intervals after Mareschal (1988), EJOR 33(1), 54-64."""
    s = _setup(portfolio, weights, method, normalization, exclude)
    st = reversal.stability_intervals(s.matrix, s.weights, s.types, method=s.method,
                                      normalization=s.normalization, reversals=_nearest_only(s, grid))
    return _stability_frame(s, st)


def _critical_frame(s: _Setup, c: reversal.Criticality) -> pd.DataFrame:
    ids = s.portfolio.ids

    def pair(v: np.ndarray) -> list[str | None]:
        return [ids[i] if i >= 0 else None for i in v]

    return pd.DataFrame({
        "criterion": s.criteria,
        "weight": c.weight,
        "pt_change_pct": c.pt_pct,
        "pt_change": c.pt_change,
        "pt_a": pair(c.pt_a),
        "pt_b": pair(c.pt_b),
        "pa_change_pct": c.pa_pct,
        "pa_change": c.pa_change,
        "pa_a": pair(c.pa_a),
        "pa_b": pair(c.pa_b),
        "criticality_pct": c.criticality,
        "sensitivity": [_sensitivity(v)[0] for v in c.sensitivity],
        "pt_critical": [j == c.pt_criterion for j in range(len(s.criteria))],
        "pa_critical": [j == c.pa_criterion for j in range(len(s.criteria))],
        "sensitivity_note": [_sensitivity(v)[1] for v in c.sensitivity],
    })


def critical_criteria(portfolio: Portfolio, weights: Weights = None, *, method: str = "topsis",
                      normalization: str = "vector", grid: int = 2001,
                      exclude: Sequence[str] = ()) -> pd.DataFrame:
    """Critical criteria after Triantaphyllou & Sanchez (1997, Decision Sciences 28(1), 151-194).

    Per criterion: the smallest relative change of its weight (percent, signed: > 0 an increase; the
    others unchanged, then all renormalised) that changes the top opportunity (pt_change_pct, pair
    pt_a/pt_b) and any ranking (pa_change_pct, pa_a/pa_b), the absolute changes, the criticality degree
    (|pa_change_pct|) and the sensitivity coefficient 1 / criticality (0 when no change of that weight
    alters the ranking). ``pt_critical``/``pa_critical`` mark the Percent-Top and Percent-Any critical
    criteria. NaN / None where no change of the weight reaches a reversal. Where a pair is tied at the
    current weights the sensitivity is unbounded: NaN, with the reason in ``sensitivity_note``.
    """
    s = _setup(portfolio, weights, method, normalization, exclude)
    c = reversal.critical_criteria(s.matrix, s.weights, s.types, method=s.method,
                             normalization=s.normalization, reversals=_nearest_only(s, grid))
    return _critical_frame(s, c)


# ---------------------------------------------------------------------------------------------
# SMAA-2

def _cell_value(raw: Any, c: Criterion) -> float | None:
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None
    if isinstance(raw, (int, float, np.integer, np.floating)) and not isinstance(raw, bool):
        return float(raw)
    text = str(raw).strip()
    if text == "" or text.lower() in ("na", "n/a", "nan", "none", "null", "-"):
        level = c.level_of(text) if c.scale is not None and text else None
        return None if level is None else float(level)
    level = c.level_of(text) if c.scale is not None else None
    if level is not None:
        return float(level)
    try:
        v = float(text.replace("\u00a0", "").replace(" ", ""))
    except ValueError:
        return math.nan
    return v


def score_ranges(portfolio: Portfolio, criteria: Sequence[str] | None = None) -> weight_models.ScoreRanges | None:
    """Score uncertainty from the table's ``<criterion>_low`` / ``_high`` (/ ``_likely``) columns.

    Returns None when the table has no such column for the ``criteria`` used (default: all). Every
    problem (a lone low or high column or cell, text, low > value > high, likely outside [low, high],
    a value outside the criterion's bounds) raises :class:`PortfolioError` naming row and column.
    """
    crit = list(portfolio.criteria.ids if criteria is None else criteria)
    table = portfolio.table
    cols = set(table.columns)
    lo_s, lk_s, hi_s = RANGE_SUFFIXES
    if not any(f"{c}{suf}" in cols for c in crit for suf in RANGE_SUFFIXES):
        return None
    n = len(portfolio)
    base = portfolio.matrix[:, [portfolio.criteria.ids.index(c) for c in crit]]
    low, high, likely = base.copy(), base.copy(), np.full(base.shape, np.nan)
    for j, cid in enumerate(crit):
        c = portfolio.criteria[cid]
        names = {suf: f"{cid}{suf}" for suf in RANGE_SUFFIXES}
        present = {suf for suf, col in names.items() if col in cols}
        if not present:
            continue
        if lo_s not in present or hi_s not in present:
            missing = names[lo_s] if lo_s not in present else names[hi_s]
            raise PortfolioError("score range columns come in pairs", file=portfolio.source, column=missing,
                                 expected=f"both {names[lo_s]} and {names[hi_s]} (and optionally {names[lk_s]})")
        for i in range(n):
            got = {}
            for suf in present:
                raw = table[names[suf]].iloc[i]
                v = _cell_value(raw, c)
                if v is not None and not math.isfinite(v):
                    raise PortfolioError("not a number", file=portfolio.source, row=portfolio.rows[i],
                                         column=names[suf], value=raw, expected=_expect(c))
                got[suf] = v
            where = {"file": portfolio.source, "row": portfolio.rows[i]}
            if got[lo_s] is None and got[hi_s] is None:
                if got.get(lk_s) is not None:
                    raise PortfolioError("a likely value needs low and high", column=names[lk_s],
                                         value=table[names[lk_s]].iloc[i], expected=f"{names[lo_s]} and {names[hi_s]} filled too", **where)
                continue
            if got[lo_s] is None or got[hi_s] is None:
                gap = names[lo_s] if got[lo_s] is None else names[hi_s]
                raise PortfolioError("score range has only one end", column=gap, value=None, has_value=True,
                                     expected=f"both {names[lo_s]} and {names[hi_s]} (or neither)", **where)
            lo, hi, x = got[lo_s], got[hi_s], base[i, j]
            if c.bounds is not None:
                for suf, v in got.items():
                    if v is not None and not c.bounds[0] <= v <= c.bounds[1]:
                        raise PortfolioError("outside the criterion's bounds", column=names[suf], value=v,
                                             expected=_expect(c), **where)
            if not lo <= x <= hi:
                raise PortfolioError(f"the value {c.describe(x)} lies outside its score range", column=names[lo_s],
                                     value=(lo, hi), expected=f"{names[lo_s]} <= {cid} <= {names[hi_s]}", **where)
            lk = got.get(lk_s)
            if lk is not None and not lo <= lk <= hi:
                raise PortfolioError("likely value outside [low, high]", column=names[lk_s], value=lk,
                                     expected=f"{names[lo_s]} <= {names[lk_s]} <= {names[hi_s]}", **where)
            low[i, j], high[i, j] = lo, hi
            if lk is not None:
                likely[i, j] = lk
    return weight_models.ScoreRanges(base, low, high, likely)


def _expect(c: Criterion) -> str:
    if c.scale is not None:
        return "a level or label of the scale (" + ", ".join(f"{k} = {v.label}" for k, v in sorted(c.scale.items())) + ")"
    rng = f" between {c.bounds[0]:g} and {c.bounds[1]:g}" if c.bounds else ""
    return f"a number{rng}"


@dataclass(frozen=True)
class SMAAFrames:
    """SMAA-2 results with labels.

    ``acceptability``: b_i^r (index id, columns ranks 1..N); ``standard_error`` of each index;
    ``central_weights`` (index id, columns criteria; NaN where an opportunity never ranks first);
    ``summary``: id, name, rank (the deterministic one), first_rank (b_i^1), first_rank_se, holistic,
    confidence, confidence_se, note (why confidence is undefined); ``result``: the numeric :class:`~mcda_qualify.sensitivity.SMAAResult`.
    """

    acceptability: pd.DataFrame
    standard_error: pd.DataFrame
    central_weights: pd.DataFrame
    summary: pd.DataFrame
    result: smaa_core.SMAAResult
    criteria: list[str]


def _weight_model(s: _Setup, model: str, concentration: float, intervals: Mapping[str, Sequence[float]] | None,
                  order: Sequence[str] | None, weight_samples: Any) -> weight_models.WeightModel:
    try:
        if model == "uniform":
            return weight_models.UniformWeights()
        if model == "dirichlet":
            return weight_models.DirichletWeights(s.weights, float(concentration))
        if model == "intervals":
            if not intervals:
                raise InputError("weight model 'intervals' needs intervals", expected="criterion -> [low, high]")
            unknown = [k for k in intervals if k not in s.criteria]
            if unknown:
                raise InputError("interval for an unknown or excluded criterion", value=unknown[0],
                                 expected=f"criteria of the analysis: {', '.join(s.criteria)}")
            lo = np.array([float(intervals[c][0]) if c in intervals else 0.0 for c in s.criteria])
            hi = np.array([float(intervals[c][1]) if c in intervals else 1.0 for c in s.criteria])
            return weight_models.IntervalWeights(lo, hi)
        if model == "ordinal":
            if order is None or sorted(order) != sorted(s.criteria):
                raise InputError("weight model 'ordinal' needs every criterion once, most important first",
                                 value=None if order is None else list(order), has_value=True,
                                 expected=", ".join(s.criteria))
            return weight_models.OrdinalWeights([s.criteria.index(c) for c in order])
        if model == "samples":
            if weight_samples is None:
                raise InputError("weight model 'samples' needs weight_samples", expected="an array (K, M) or a DataFrame with criteria columns")
            if isinstance(weight_samples, pd.DataFrame):
                missing = [c for c in s.criteria if c not in weight_samples.columns]
                if missing:
                    raise InputError("weight samples lack a criterion column", value=missing[0],
                                     expected=f"columns {', '.join(s.criteria)}")
                arr = weight_samples[s.criteria].to_numpy(dtype=float)
            else:
                arr = np.asarray(weight_samples, dtype=float)
            return weight_models.SampledWeights(arr)
    except ValueError as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"weight model {model!r}: {exc}") from None
    raise InputError("unknown weight model", value=model, expected=f"one of {', '.join(WEIGHT_MODELS)}")


def _run_smaa(s: _Setup, samples: int | None, weight_model: str, concentration: float,
              intervals: Mapping[str, Sequence[float]] | None, order: Sequence[str] | None, weight_samples: Any,
              score_uncertainty: bool | str, seed: int | None, chunk_size: int | None, workers: int | None,
              meta: str | Sequence[float], top_r: int | None = None) -> SMAAFrames:
    k = 10_000 if samples is None else int(samples)
    # top-r mode holds N x r counts, not N x N: only its time grows with samples x opportunities
    cap = MAX_SMAA_CELLS if top_r is None else TOP_R_FACTOR * MAX_SMAA_CELLS
    if k * len(s.portfolio) > cap:
        raise InputError(f"too many SMAA samples for {len(s.portfolio):,} opportunities ({k:,} samples; at most "
                         f"{cap // max(1, len(s.portfolio)):,})", value=k,
                         expected=f"samples x opportunities at most {cap:,}")
    wm = _weight_model(s, str(weight_model), concentration, intervals, order, weight_samples)
    if top_r is not None and (isinstance(top_r, bool) or not isinstance(top_r, (int, np.integer))
                              or not 1 <= top_r <= len(s.portfolio)):
        raise InputError("top_r must be a number of ranks", value=top_r,
                         expected=f"an integer from 1 to {len(s.portfolio)} (the number of opportunities), or none for all")
    ranges = None
    if score_uncertainty not in (False, None):
        ranges = score_ranges(s.portfolio, s.criteria)
        if ranges is None and score_uncertainty is True:
            raise PortfolioError("no score range columns", file=s.portfolio.source,
                                 expected=f"columns such as {s.criteria[0]}_low and {s.criteria[0]}_high")
        if ranges is not None and ranges.uncertain == 0:
            ranges = None
        if ranges is not None and top_r is not None:
            raise InputError("the top-r SMAA samples weights only, and the table has score ranges", value=top_r,
                             expected="score_uncertainty=False (ignore the ranges) or the full SMAA (top_r none)")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise InputError("seed must be a non-negative integer", value=seed, expected="e.g. 42, or none for a fresh one")
    if samples is not None and (isinstance(samples, bool) or int(samples) < 1):
        raise InputError("samples must be a positive integer", value=samples, expected="e.g. 10000")
    try:
        if top_r is not None:
            from .core.smaa_topr import smaa2_topr

            res = smaa2_topr(s.matrix, s.types, int(top_r), samples=samples, weights=wm, method=s.method,
                             normalization=s.normalization, seed=seed, chunk_size=chunk_size, meta=meta)
        else:
            res = smaa_core.smaa2(s.matrix, s.types, samples=samples, weights=wm, scores=ranges, method=s.method,
                           normalization=s.normalization, seed=seed, chunk_size=chunk_size, workers=workers, meta=meta)
    except ValueError as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"SMAA: {exc}") from None
    ids, n = s.portfolio.ids, len(s.portfolio)
    ranks = list(range(1, res.acceptability.shape[1] + 1))
    acc = pd.DataFrame(res.acceptability, index=pd.Index(ids, name="id"), columns=pd.Index(ranks, name="rank"))
    se = pd.DataFrame(res.standard_error, index=acc.index, columns=acc.columns)
    cw = pd.DataFrame(res.central_weights, index=acc.index, columns=pd.Index(s.criteria, name="criterion"))
    summary = pd.DataFrame({
        "id": ids,
        "name": s.portfolio.names,
        "rank": s.ranking.table["rank"].to_numpy(),
        "first_rank": res.acceptability[:, 0],
        "first_rank_se": res.standard_error[:, 0],
        "holistic": res.holistic,
        "confidence": res.confidence,
        "confidence_se": res.confidence_se,
        "note": confidence_notes(res.acceptability[:, 0]),  # why confidence is NaN, in words (issue 17)
    })
    return SMAAFrames(acc, se, cw, summary, res, list(s.criteria))


def smaa(portfolio: Portfolio, samples: int | None = 10_000, *, weights: Weights = None,
         weight_model: str = "uniform", concentration: float = 100.0,
         intervals: Mapping[str, Sequence[float]] | None = None, order: Sequence[str] | None = None,
         weight_samples: Any = None, score_uncertainty: bool | str = "auto", method: str = "topsis",
         normalization: str = "vector", seed: int | None = None, chunk_size: int | None = None,
         workers: int | None = None, meta: str | Sequence[float] = "centroid",
         exclude: Sequence[str] = (), top_r: int | None = None) -> SMAAFrames:
    """SMAA-2 (Lahdelma & Salminen 2001, Operations Research 49(3), 444-454) of the portfolio.

    ``weight_model``: ``uniform`` (no preference information), ``dirichlet`` (around ``weights``, or the
    criteria file's, with ``concentration`` c: Dirichlet(c w)), ``intervals`` (criterion -> [low, high]
    on weights summing to 1; unlisted criteria [0, 1]), ``ordinal`` (``order``: criteria most important
    first) or ``samples`` (``weight_samples`` (K, M), e.g. from :func:`ahp_weight_samples`).
    ``score_uncertainty``: ``"auto"`` uses the table's range columns when present (see
    :func:`score_ranges`), True requires them, False ignores them. ``meta``: meta-weights of the
    holistic index (centroid by default). ``seed`` makes the run reproducible; the result records it.
    ``top_r``: count only ranks 1..top_r (memory N * top_r instead of N^2, for tens of thousands of
    opportunities; the same samples, so the same first columns; holistic is NaN; no score ranges).
    """
    s = _setup(portfolio, weights, method, normalization, exclude)
    return _run_smaa(s, samples, weight_model, concentration, intervals, order, weight_samples,
                     score_uncertainty, seed, chunk_size, workers, meta, top_r)


def ahp_weight_samples(judgments: pd.DataFrame, samples: int = 10_000, seed: int | None = None, *,
                       steps: int = 1, method: str = "geometric") -> pd.DataFrame:
    """Weight samples from a labelled pairwise judgment matrix (index and columns: criteria), each
    judgment moved within ``steps`` positions of Saaty's 1-9 scale (Saaty 1980): one row per sample,
    one column per criterion. Feed them to :func:`smaa` with ``weight_model="samples"``."""
    if not isinstance(judgments, pd.DataFrame) or list(judgments.index) != list(judgments.columns):
        raise JudgmentError("judgments must be a square table with the same criteria as rows and columns",
                            expected="a DataFrame whose index equals its columns")
    w = weight_models.ahp_weight_samples(judgments.to_numpy(dtype=float), int(samples), seed, steps=int(steps), method=method)
    return pd.DataFrame(w, columns=pd.Index([str(c) for c in judgments.columns], name="criterion"))


def judgment_weight_samples(judgments: Any, criteria: Any, samples: int = 10_000, seed: int | None = None, *,
                            steps: int = 1) -> pd.DataFrame:
    """Weight samples from AHP judgments (a YAML path or a parsed document; one judge or a group), every
    given judgment moved within ``steps`` positions of Saaty's scale, propagated to the weights by
    weighted logarithmic least squares (:func:`mcda_qualify.sensitivity.judges_weight_samples`).
    Columns in the order of ``criteria.ids``; feed to :func:`smaa` with ``weight_model="samples"``."""
    import os

    from .judgments import GroupJudgments, Hierarchy, load_judgments, parse_document

    if isinstance(judgments, (str, os.PathLike)):
        node = load_judgments(judgments, labels=criteria.ids)
    else:
        node = parse_document(judgments, labels=criteria.ids)
    if isinstance(node, Hierarchy):
        raise JudgmentError("judgment uncertainty is sampled for one level of criteria, not a hierarchy",
                            file=getattr(node, "source", None), expected="a flat or a group judgments file")
    labels = list(node.labels)
    absent = [c for c in criteria.ids if c not in labels]
    if absent:
        raise JudgmentError("the judgments leave criteria out", value=absent, has_value=True,
                            expected=f"judgments over every criterion: {', '.join(criteria.ids)}")
    order = [labels.index(c) for c in criteria.ids]
    if isinstance(node, GroupJudgments):
        mats, jw = [j.judgments.matrix for j in node.judges], node.judge_weights
    else:
        mats, jw = [node.matrix], None
    mats = [m[np.ix_(order, order)] for m in mats]
    w = weight_models.judges_weight_samples(mats, jw, int(samples), seed, steps=int(steps))
    return pd.DataFrame(w, columns=pd.Index(list(criteria.ids), name="criterion"))
