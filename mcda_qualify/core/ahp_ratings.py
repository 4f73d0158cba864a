"""AHP ratings and relative modes: scoring opportunities with level priorities (Saaty 1986; 2006)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Literal
import numpy as np
from mcda_qualify.errors import JudgmentError
from .ahp import Method, _check_method, priorities


# --------------------------------------------------------------------------- ratings and relative modes
def ideal(weights: object) -> np.ndarray:
    """Ideal mode: divide by the largest priority so that the best is 1 (Saaty 1986; Belton & Gear 1983)."""
    w = np.asarray(weights, dtype=float)
    return w / w.max(axis=-1, keepdims=True)


def linear_level_priorities(n_levels: int) -> np.ndarray:
    """Default level priorities when no judgments between levels are given: rank / n_levels.

    Levels ordered worst (index 0) to best; priorities proportional to rank 1..L and
    ideal-normalised, so the best level is 1 and the worst 1/L (0.2 on a 1..5 scale): a ratio
    scale with no zero, as AHP intensities are (this default is the project's choice, not Saaty's).
    """
    if int(n_levels) != n_levels or n_levels < 1:
        raise JudgmentError("number of levels must be a positive integer", value=n_levels, expected=">= 1")
    return np.arange(1, int(n_levels) + 1, dtype=float) / n_levels


def _check_criterion_weights(weights: object, m: int) -> np.ndarray:
    w = np.array(weights, dtype=float)
    if w.ndim not in (1, 2) or w.shape[-1] != m:
        raise JudgmentError("criterion weights have the wrong shape", value=w.shape,
                            expected=f"({m},) or (K, {m})")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise JudgmentError("criterion weights must be non-negative and finite", expected=">= 0")
    s = w.sum(axis=-1)
    if np.any(np.abs(s - 1) > 1e-9):
        raise JudgmentError("criterion weights do not sum to 1", value=np.atleast_1d(s)[0].item(),
                            expected="weights summing to 1 (within 1e-9)")
    return w


def ratings_scores(levels: object, level_priorities: Sequence[object], weights: object) -> np.ndarray:
    """Absolute measurement (ratings mode): score_a = sum_j w_j p_j[level_aj].

    Saaty, T. L. (1986). Absolute and relative measurement with the AHP. Socio-Economic Planning
    Sciences 20(6), 327-331; Saaty (2008), Int. J. Services Sciences 1(1), 83-98. ``levels`` (N, M)
    holds integer indices into each criterion's level list; each ``level_priorities[j]`` is
    ideal-normalised here (divided by its max). ``weights`` (M,) or (K, M) summing to 1 give (N,) or
    (K, N); a score of 1 means the best level on every criterion.
    """
    lv = np.asarray(levels)
    if lv.ndim != 2:
        raise JudgmentError("levels must be a (alternatives, criteria) array", value=lv.shape, expected="(N, M)")
    if lv.size and not np.issubdtype(lv.dtype, np.integer):
        as_f = lv.astype(float)
        if not np.all(np.isfinite(as_f)) or np.any(as_f != np.round(as_f)):
            raise JudgmentError("levels must be integer indices", expected="integers 0 .. L-1")
        lv = as_f.astype(int)
    n_alt, m = lv.shape
    if len(level_priorities) != m:
        raise JudgmentError("one level-priority vector per criterion is needed",
                            value=len(level_priorities), expected=f"{m} vectors")
    w = _check_criterion_weights(weights, m)
    values = np.empty((n_alt, m))
    for j, p in enumerate(level_priorities):
        pj = np.asarray(p, dtype=float).reshape(-1)
        if pj.size == 0 or not np.all(np.isfinite(pj)) or np.any(pj <= 0):
            raise JudgmentError(f"level priorities of criterion {j} must be positive and finite",
                                expected="positive numbers, one per level")
        col = lv[:, j]
        bad = (col < 0) | (col >= pj.size)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise JudgmentError(f"level index out of range at row {row}, criterion {j}",
                                value=int(col[row]), expected=f"0 .. {pj.size - 1}")
        values[:, j] = ideal(pj)[col]
    return values @ w.T if w.ndim == 1 else w @ values.T


def local_priorities(matrices: object, method: Method = "eigenvector") -> np.ndarray:
    """Local priorities (M, N) of the alternatives, one row per criterion (distributive, rows sum 1).

    Relative measurement (Saaty 1980): one pairwise matrix of the N alternatives per criterion.
    """
    _check_method(method)
    mats = list(matrices)
    if not mats:
        raise JudgmentError("no criteria given", expected="one (N, N) matrix per criterion")
    return np.stack([priorities(m, method) for m in mats])


def relative_scores(matrices: object, weights: object, method: Method = "eigenvector",
                    mode: Literal["distributive", "ideal"] = "distributive") -> np.ndarray:
    """Relative measurement: per-criterion pairwise matrices of the alternatives -> weighted sum.

    score = sum_j w_j p_j with p_j the local priorities (Saaty 1980), distributive (sum 1) or
    ideal (max 1) mode (Belton, V., & Gear, T. (1983). On a short-coming of Saaty's method of
    analytic hierarchies. Omega 11, 228-230; Saaty 1994). ``weights`` (M,) or (K, M).
    """
    p = local_priorities(matrices, method)
    if mode == "ideal":
        p = ideal(p)
    elif mode != "distributive":
        raise JudgmentError("unknown synthesis mode", value=mode, expected="'distributive' or 'ideal'")
    w = _check_criterion_weights(weights, p.shape[0])
    return w @ p
