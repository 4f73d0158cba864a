""""What it takes": the smallest improvement of one criterion that lifts an opportunity to a target rank.

Numeric core (arrays in, arrays out; bad arguments raise :class:`ValueError`). The conventions
(``matrix``, ``types``, the methods, the weight sweep, ranks and ties) are those of
:mod:`mcda_qualify.core.batch`; docs/sensitivity.md has the formulas and sources.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .methods import rank_scores
from .batch import stack_scores



def improvement_scores(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, i: int, j: int,
                       values: np.ndarray, *, method: str = "topsis", normalization: str = "vector") -> np.ndarray:
    """Scores (G, N) of every opportunity when x_ij takes each of the G ``values`` (one 3-D batch).

    Changing one value changes the column's normalisation, so every score is recomputed (TOPSIS:
    Hwang & Yoon 1981; WSM: Fishburn 1967).
    """
    x = np.asarray(matrix, dtype=float)
    v = np.asarray(values, dtype=float).reshape(-1)
    stack = np.broadcast_to(x, (v.size, *x.shape)).copy()
    stack[:, i, j] = v
    return stack_scores(method, stack, weights, types, normalization)


@dataclass(frozen=True)
class Improvement:
    """Smallest improvement of one value for one target: the value needed (None when no candidate
    reaches the target, ``already`` when the current value does) and the score and rank it gives."""

    target: str
    value: float | None
    score: float | None
    rank: int | None
    already: bool


TARGETS: tuple[str, ...] = ("one_place", "top", "threshold")


def smallest_improvement(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, i: int, j: int,
                         candidates: np.ndarray, *, continuous: bool, threshold: float | None = None,
                         method: str = "topsis", normalization: str = "vector",
                         rtol: float = 1e-9) -> dict[str, Improvement]:
    """For each target, the first of ``candidates`` (ordered from the smallest improvement of x_ij
    on) that lifts opportunity i one place (``one_place``), to rank 1 (``top``), or to a score >=
    ``threshold``. With ``continuous`` the step between the last failing and the first succeeding
    candidate is narrowed by batched multisection (33 points a round) to ``rtol`` of the candidate span.
    The question is Triantaphyllou & Sanchez's (1997) critical measure of performance (the smallest
    change of one a_ij that changes a ranking), answered by direct search for TOPSIS and WSM.
    """
    x = np.asarray(matrix, dtype=float)
    cand = np.asarray(candidates, dtype=float).reshape(-1)
    vals = np.concatenate([[x[i, j]], cand])
    s = improvement_scores(x, weights, types, i, j, vals, method=method, normalization=normalization)
    ranks = rank_scores(s, "higher")[:, i]
    r0 = int(ranks[0])
    conds: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
        "one_place": lambda sc, rk: rk < r0,
        "top": lambda sc, rk: rk == 1,
    }
    if threshold is not None:
        conds["threshold"] = lambda sc, rk: sc >= threshold
    span = abs(cand[-1] - vals[0]) if cand.size else 0.0
    out: dict[str, Improvement] = {}
    for name, ok in conds.items():
        good = ok(s[:, i], ranks)
        if good[0] and name != "one_place":
            out[name] = Improvement(name, float(vals[0]), float(s[0, i]), r0, True)
            continue
        if name == "one_place" and r0 == 1:
            out[name] = Improvement(name, float(vals[0]), float(s[0, i]), r0, True)
            continue
        hit = np.flatnonzero(good[1:])
        if not hit.size:
            out[name] = Improvement(name, None, None, None, False)
            continue
        g = int(hit[0]) + 1
        lo, hi = vals[g - 1], vals[g]
        sc, rk = float(s[g, i]), int(ranks[g])
        while continuous and abs(hi - lo) > rtol * max(span, 1e-300):
            pts = np.linspace(lo, hi, 35)[1:-1]
            ps = improvement_scores(x, weights, types, i, j, pts, method=method, normalization=normalization)
            pr = rank_scores(ps, "higher")[:, i]
            okp = np.flatnonzero(ok(ps[:, i], pr))
            if okp.size:
                q = int(okp[0])
                lo, hi = (pts[q - 1] if q > 0 else lo), pts[q]
                sc, rk = float(ps[q, i]), int(pr[q])
            else:
                lo = pts[-1]
        out[name] = Improvement(name, float(hi), sc, rk, False)
    return out
