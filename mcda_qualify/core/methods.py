"""Ranking methods on arrays: our own batched TOPSIS and adapters to pymcdm's methods.

Numeric core: arrays in, arrays out. Nothing here reads files, knows labels or prints.

Conventions that change numbers, all visible parameters:

* ``types``: +1 for a benefit criterion (more is better), -1 for a cost criterion, as in pymcdm.
* ``normalization`` of TOPSIS: ``"vector"`` (Hwang & Yoon 1981, the default) or ``"minmax"``
  (pymcdm's default). The closeness values differ between them (see the tests).
* Weights need not sum to one for TOPSIS: closeness is invariant to scaling all weights.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal

import numpy as np
from scipy.stats import rankdata

from ._checks import check_matrix, check_types, check_weights

__all__ = [
    "NORMALIZATIONS",
    "METHODS",
    "MethodInfo",
    "normalize",
    "topsis",
    "topsis_explain",
    "TopsisExplanation",
    "score",
    "rank_scores",
    "TIE_DECIMALS",
]

Normalization = Literal["vector", "minmax"]
NORMALIZATIONS: tuple[str, ...] = ("vector", "minmax")


#: decimals to which scores are rounded before ranking, so float noise never splits a tie
TIE_DECIMALS = 12


def rank_scores(scores: np.ndarray, better: str) -> np.ndarray:
    """Competition ranks (1 = best; tied scores share the lowest rank) along the last axis."""
    s = np.round(np.asarray(scores, dtype=float), TIE_DECIMALS)
    key = -s if better == "higher" else s
    return rankdata(key, method="min", axis=-1).astype(int)


def normalize(matrix: np.ndarray, types: np.ndarray, normalization: str = "vector") -> np.ndarray:
    """Normalise a decision matrix (N, M) column-wise into benefit form (larger is better).

    ``vector``: r_ij = x_ij / sqrt(sum_i x_ij^2), cost columns as 1 - r_ij (Hwang & Yoon 1981, p. 131;
    the 1 - r form for costs is pymcdm's and leaves every TOPSIS distance unchanged).
    ``minmax``: r_ij = (x_ij - min_j) / (max_j - min_j), cost columns (max_j - x_ij) / (max_j - min_j).
    The caller guarantees non-degenerate columns (the labelled layer checks them and names them).
    """
    x = np.asarray(matrix, dtype=float)
    cost = np.asarray(types) < 0
    if normalization == "vector":
        # each column scaled by its largest magnitude before squaring: the same r_ij, but no overflow of
        # x_ij^2 for values above about 1e154 (nor underflow below 1e-154); a zero column stays 0 / 0
        top = np.max(np.abs(x), axis=0)
        xs = x / np.where(top > 0, top, 1.0)
        r = xs / np.sqrt(np.sum(xs * xs, axis=0))
        return np.where(cost, 1.0 - r, r)
    if normalization == "minmax":
        lo, hi = x.min(axis=0), x.max(axis=0)
        span = hi - lo
        return np.where(cost, hi - x, x - lo) / span
    raise ValueError(f"unknown normalization {normalization!r}; expected one of {NORMALIZATIONS}")


def _gaps(r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Squared gaps to the ideal and anti-ideal of a benefit-form normalised matrix.

    Because every weight is non-negative, the ideal of the weighted matrix is the weighted column
    maximum of ``r``; the gaps are therefore weight-free and reusable across weight vectors.
    """
    gp = (r - r.max(axis=0)) ** 2
    gm = (r - r.min(axis=0)) ** 2
    return gp, gm


def topsis(
    matrix: np.ndarray,
    weights: np.ndarray,
    types: np.ndarray,
    normalization: str = "vector",
) -> np.ndarray:
    """TOPSIS closeness coefficient C_i = D_i^- / (D_i^+ + D_i^-) (Hwang & Yoon 1981, ch. 3.3.2).

    With weighted normalised values v_ij = w_j r_ij, the distances are
    D_i^+ = sqrt(sum_j w_j^2 (r_ij - r_j^+)^2) and D_i^- = sqrt(sum_j w_j^2 (r_ij - r_j^-)^2), i.e.
    matrix products of the squared weights with weight-free squared gaps. So weights of shape (M,)
    give closeness (N,), and a batch of shape (K, M) gives (K, N) in one call, with no loop over K.
    Larger closeness is better. Bad arguments (non-finite values, negative or all-zero weights,
    ``types`` or ``weights`` of the wrong length) raise ValueError naming the argument.
    """
    x = check_matrix(matrix, min_rows=1)
    t = check_types(types, x.shape[1])
    w = check_weights(weights, x.shape[1], batch=True)
    if normalization not in NORMALIZATIONS:
        raise ValueError(f"unknown normalization {normalization!r}; expected one of {NORMALIZATIONS}")
    r = normalize(x, t, normalization)
    gp, gm = _gaps(r)
    w = w / w.max(axis=-1, keepdims=True)  # closeness is scale-free in w; this keeps w^2 finite for huge weights
    w2 = w * w
    dp = np.sqrt(w2 @ gp.T)
    dm = np.sqrt(w2 @ gm.T)
    return dm / (dp + dm)


@dataclass(frozen=True)
class TopsisExplanation:
    """Intermediate tables of one TOPSIS evaluation (shapes: N opportunities, M criteria)."""

    normalized: np.ndarray       # r_ij in benefit form, (N, M)
    weighted: np.ndarray         # v_ij = w_j r_ij, (N, M)
    ideal: np.ndarray            # v_j^+, (M,)
    anti_ideal: np.ndarray       # v_j^-, (M,)
    d_ideal: np.ndarray          # D_i^+, (N,)
    d_anti_ideal: np.ndarray     # D_i^-, (N,)
    closeness: np.ndarray        # C_i, (N,)
    share_ideal: np.ndarray      # criterion j's share of (D_i^+)^2, rows sum to 1 (or 0 at the ideal)
    share_anti_ideal: np.ndarray # criterion j's share of (D_i^-)^2


def topsis_explain(
    matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, normalization: str = "vector"
) -> TopsisExplanation:
    """TOPSIS with its intermediate tables and each criterion's contribution to both distances.

    The contribution of criterion j to opportunity i is its term w_j^2 (r_ij - r_j^*)^2 as a share
    of the squared distance, so the shares of each row sum to one.
    """
    r = normalize(matrix, types, normalization)
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1:
        raise ValueError("topsis_explain takes one weight vector of shape (M,)")
    v = r * w
    gp, gm = _gaps(r)
    tp, tm = gp * w * w, gm * w * w
    dp2, dm2 = tp.sum(axis=1), tm.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        sp = np.where(dp2[:, None] > 0, tp / dp2[:, None], 0.0)
        sm = np.where(dm2[:, None] > 0, tm / dm2[:, None], 0.0)
    dp, dm = np.sqrt(dp2), np.sqrt(dm2)
    return TopsisExplanation(r, v, v.max(axis=0), v.min(axis=0), dp, dm, dm / (dp + dm), sp, sm)


# --------------------------------------------------------------------------------------------
# Other methods, through pymcdm (imported lazily: pymcdm is heavy and only some callers need it)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MethodInfo:
    """A ranking method: how to score, and which direction of the score is better."""

    name: str
    better: Literal["higher", "lower"]
    source: str
    needs_bounds: bool = False


def _pymcdm(name: str, **kw) -> Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]:
    def run(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray) -> np.ndarray:
        from pymcdm import methods as pm

        body = getattr(pm, name)(**kw)
        return np.asarray(body(matrix, weights, types, validation=False), dtype=float)

    return run


METHODS: dict[str, MethodInfo] = {
    "topsis": MethodInfo("topsis", "higher", "Hwang & Yoon (1981), Multiple Attribute Decision Making, Springer (own batched implementation)"),
    "vikor": MethodInfo("vikor", "lower", "Opricovic & Tzeng (2004), EJOR 156(2), 445-455 (pymcdm VIKOR, v=0.5, Q index)"),
    "promethee_ii": MethodInfo("promethee_ii", "higher", "Brans & Vincke (1985), Management Science 31(6), 647-656 (pymcdm PROMETHEE_II, usual preference function, net flow)"),
    "spotis": MethodInfo("spotis", "lower", "Dezert, Tchamova, Han & Tacnet (2020), FUSION 2020 (pymcdm SPOTIS, bounds from the criteria scales)", needs_bounds=True),
    "wsm": MethodInfo("wsm", "higher", "Fishburn (1967), Additive utilities with incomplete product sets (pymcdm WSM, sum normalisation)"),
    "wpm": MethodInfo("wpm", "higher", "Bridgman (1922), Dimensional Analysis (pymcdm WPM, sum normalisation)"),
    "copras": MethodInfo("copras", "higher", "Zavadskas, Kaklauskas & Sarka (1994), Technological and Economic Development 1(3) (pymcdm COPRAS, utility degree)"),
    "moora": MethodInfo("moora", "higher", "Brauers & Zavadskas (2006), Control and Cybernetics 35(2), 445-469 (pymcdm MOORA, ratio system)"),
}


def score(
    method: str,
    matrix: np.ndarray,
    weights: np.ndarray,
    types: np.ndarray,
    *,
    normalization: str = "vector",
    bounds: np.ndarray | None = None,
    promethee_preference: str = "usual",
    promethee_p: np.ndarray | None = None,
    promethee_q: np.ndarray | None = None,
    vikor_v: float = 0.5,
) -> np.ndarray:
    """Scores of every opportunity by ``method`` (see :data:`METHODS` for direction and source).

    TOPSIS accepts a batch of weight vectors (K, M); the pymcdm adapters take one vector (M,).
    ``normalization`` applies to TOPSIS; pymcdm methods use their documented defaults, named in
    :data:`METHODS`. PROMETHEE II preference functions other than ``usual`` need their thresholds
    per criterion: ``promethee_p`` (preference; vshape, level, vshape_2) and ``promethee_q``
    (indifference; ushape, level, vshape_2).
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {sorted(METHODS)}")
    if method == "topsis":
        return topsis(matrix, weights, types, normalization)
    if np.ndim(weights) != 1:
        raise ValueError(f"method {method!r} takes one weight vector of shape (M,)")
    m = np.asarray(matrix, dtype=float)
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    t = np.asarray(types, dtype=int)
    if method == "spotis":
        if bounds is None:
            raise ValueError("SPOTIS needs bounds of shape (M, 2)")
        run = _pymcdm("SPOTIS", bounds=np.asarray(bounds, dtype=float))
    elif method == "vikor":
        run = _pymcdm("VIKOR", v=vikor_v)
    elif method == "promethee_ii":
        needs = {"usual": (), "ushape": ("q",), "vshape": ("p",), "level": ("p", "q"), "vshape_2": ("p", "q")}
        if promethee_preference not in needs:
            raise ValueError(f"unknown PROMETHEE preference function {promethee_preference!r}; expected one of {sorted(needs)}")
        given = {"p": promethee_p, "q": promethee_q}
        absent = [k for k in needs[promethee_preference] if given[k] is None]
        if absent:
            raise ValueError(f"PROMETHEE preference function {promethee_preference!r} needs "
                             + " and ".join(f"promethee_{k}" for k in absent) + " (one threshold per criterion)")
        kw = {k: np.asarray(given[k], dtype=float) for k in needs[promethee_preference]}
        run = _pymcdm("PROMETHEE_II", preference_function=promethee_preference, **kw)
    else:
        run = _pymcdm(method.upper())
    return run(m, w, t)
