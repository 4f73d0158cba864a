"""Weight sweeps, exact rank-reversal points, stability intervals and critical criteria.

Numeric core (arrays in, arrays out; bad arguments raise :class:`ValueError`). The conventions
(``matrix``, ``types``, the methods, the weight sweep, ranks and ties) are those of
:mod:`mcda_qualify.core.batch`; docs/sensitivity.md has the formulas and sources.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .methods import rank_scores
from .batch import unit_weights, batch_scores


def proportional_weights(weights: np.ndarray, criterion: int, t: np.ndarray | float) -> np.ndarray:
    """Weights along the sweep of ``criterion``: w_j(t) = t, w_k(t) = (1 - t) w_k / sum_{l != j} w_l.

    ``t`` scalar gives (M,); an array (K,) gives (K, M): the whole sweep as one batch. Equivalent to
    changing w_j alone and renormalising (Triantaphyllou & Sanchez 1997, Decision Sciences 28(1)).
    """
    w = unit_weights(weights)
    j = int(criterion)
    rest = 1.0 - w[j]
    if w.ndim != 1 or not 0 <= j < w.size:
        raise ValueError("weights must be one vector and criterion an index into it")
    if rest <= 0:
        raise ValueError("a sweep needs another criterion with weight > 0")
    tt = np.asarray(t, dtype=float)
    out = (1.0 - tt)[..., None] * (w / rest)
    out[..., j] = tt
    return out


@dataclass(frozen=True)
class WeightSweep:
    """Scores and competition ranks (K, N) of every opportunity at the K weights ``t`` of one criterion."""

    criterion: int
    t: np.ndarray
    weights: np.ndarray
    scores: np.ndarray
    ranks: np.ndarray
    current: float


def weight_sweep(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, criterion: int,
                 t: int | np.ndarray = 101, *, method: str = "topsis",
                 normalization: str = "vector") -> WeightSweep:
    """Sweep one criterion's weight over [0, 1], the others rescaled in proportion (one batched call).

    ``t``: number of evenly spaced points (the current weight is added) or the points themselves.
    Scores by :func:`batch_scores` (TOPSIS: Hwang & Yoon 1981; WSM: Fishburn 1967).
    """
    w = unit_weights(weights)
    if np.ndim(t) == 0:
        grid = np.union1d(np.linspace(0.0, 1.0, int(t)), [w[criterion]])
    else:
        grid = np.asarray(t, dtype=float)
    if np.any((grid < 0) | (grid > 1)):
        raise ValueError("sweep points must lie in [0, 1]")
    wt = proportional_weights(w, criterion, grid)
    s = batch_scores(method, matrix, wt, types, normalization)
    return WeightSweep(int(criterion), grid, wt, s, rank_scores(s, "higher"), float(w[criterion]))


@dataclass(frozen=True)
class Reversals:
    """Rank-reversal points, one entry per (criterion, weight, pair).

    ``a`` ranks above ``b`` just below ``weight`` and ``b`` above ``a`` just above it; ``score_a`` and
    ``score_b`` are their (equal) scores at the point. Sorted by criterion, weight, a, b.
    """

    criterion: np.ndarray
    weight: np.ndarray
    a: np.ndarray
    b: np.ndarray
    score_a: np.ndarray
    score_b: np.ndarray

    def __len__(self) -> int:
        return int(self.weight.size)

    @staticmethod
    def empty() -> "Reversals":
        """No reversal points (e.g. one criterion: its weight is always 1)."""
        i, f = np.empty(0, dtype=np.int64), np.empty(0)
        return Reversals(i, f, i.copy(), i.copy(), f.copy(), f.copy())

    def of(self, criterion: int) -> "Reversals":
        k = self.criterion == criterion
        return Reversals(self.criterion[k], self.weight[k], self.a[k], self.b[k], self.score_a[k], self.score_b[k])


def reversal_points(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray,
                    criteria: Iterable[int] | None = None, *, method: str = "topsis",
                    normalization: str = "vector", grid: int | None = None,
                    xtol: float | None = None) -> Reversals:
    """Every weight t of each criterion's sweep at which two opportunities swap, in closed form.

    TOPSIS: the real roots of one quadratic in s = (t / (1 - t))^2 per pair; WSM: one linear root per
    pair (Triantaphyllou & Sanchez 1997, Decision Sciences 28(1), 151-194, Theorem 1). All pairs at
    once, no grid, so no double crossing is missed: :func:`mcda_qualify.core.exact_reversal.reversal_points`.
    ``grid`` and ``xtol`` are deprecated and ignored (they tuned the former grid search).
    """
    from . import exact_reversal

    return exact_reversal.reversal_points(matrix, weights, types, criteria, method=method,
                                          normalization=normalization)


@dataclass(frozen=True)
class Stability:
    """Per criterion (M,): current weight and the weight ranges, containing it, within which the top
    opportunity (``top_lo``..``top_hi``) and the full ranking (``ranking_lo``..``ranking_hi``) stay."""

    weight: np.ndarray
    top: int
    top_lo: np.ndarray
    top_hi: np.ndarray
    ranking_lo: np.ndarray
    ranking_hi: np.ndarray


def top_opportunity(matrix: np.ndarray, w: np.ndarray, types: np.ndarray, method: str, normalization: str) -> int:
    """The current top opportunity: the first (in input order) of rank 1 under core.ties' rule."""
    s = batch_scores(method, matrix, w, types, normalization)
    return int(np.flatnonzero(rank_scores(s, "higher") == 1)[0])


def stability_intervals(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, *,
                        method: str = "topsis", normalization: str = "vector",
                        reversals: Reversals | None = None, grid: int | None = None) -> Stability:
    """Stability intervals of every criterion's weight, from the nearest exact reversal point either side.

    The ranking interval ends at the nearest reversal of any pair; the top interval at the nearest
    reversal involving the current top opportunity (the first with rank 1). Ends 0 and 1 mean no
    reversal up to that end of the sweep; a tie at the current weight gives [w_j, w_j]. Weight stability
    intervals after Mareschal (1988), EJOR 33(1), 54-64, here along the proportional sweep.
    ``reversals`` must cover every criterion. ``grid`` is deprecated and ignored.
    """
    from . import exact_reversal

    return exact_reversal.stability_intervals(matrix, weights, types, method=method,
                                              normalization=normalization, reversals=reversals)


def weight_change(t: np.ndarray | float, w0: np.ndarray | float) -> np.ndarray | float:
    """Change D of the current weight w0 (others unchanged, then all renormalised) that gives sweep weight t.

    (w0 + D) / (1 + D) = t, so D = (t - w0) / (1 - t): Triantaphyllou & Sanchez's (1997) change of one
    weight, up to their sign (their delta is a decrease: W*_k = W_k - delta).
    """
    return (np.asarray(t, dtype=float) - w0) / (1.0 - np.asarray(t, dtype=float))


@dataclass(frozen=True)
class Criticality:
    """Critical criteria after Triantaphyllou & Sanchez (1997, Decision Sciences 28(1), 151-194).

    Per criterion (M,): the smallest relative change (percent of the current weight, signed: > 0 an
    increase) that changes the top opportunity (``pt_pct``) and any ranking (``pa_pct``), their absolute
    changes and the pairs that swap (indices; -1 and NaN where no change of that weight does it);
    ``criticality`` = |pa_pct| (their criticality degree D'_k, percent) and ``sensitivity`` = 1 / D'_k
    (0 when infeasible). ``pt_criterion``/``pa_criterion``: the PT and PA critical criteria (or None).
    """

    weight: np.ndarray
    top: int
    pt_pct: np.ndarray
    pt_change: np.ndarray
    pt_a: np.ndarray
    pt_b: np.ndarray
    pa_pct: np.ndarray
    pa_change: np.ndarray
    pa_a: np.ndarray
    pa_b: np.ndarray
    criticality: np.ndarray
    sensitivity: np.ndarray
    pt_criterion: int | None
    pa_criterion: int | None


def critical_criteria(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, *,
                      method: str = "topsis", normalization: str = "vector",
                      reversals: Reversals | None = None, grid: int | None = None) -> Criticality:
    """PT and PA critical criteria and sensitivity coefficients (Triantaphyllou & Sanchez 1997).

    A change D of one weight W_k with the others unchanged and all renormalised is the sweep point
    t = (W_k + D) / (1 + D), because WSM and TOPSIS rankings are invariant to scaling the weights. So
    every exact reversal point t* gives D = (t* - W_k) / (1 - t*) and the relative change 100 D / W_k.
    For WSM this is T&S's closed form delta'_{k,i,j} = (P_j - P_i) / (a_jk - a_ik) (opposite sign).
    Sensitivity is inf for a criterion when a pair is tied at the current weights (a zero change
    reverses it). ``grid`` is deprecated and ignored.
    """
    from . import exact_reversal

    return exact_reversal.critical_criteria(matrix, weights, types, method=method,
                                            normalization=normalization, reversals=reversals)
