"""Ranking methods on arrays: our own batched TOPSIS and adapters to pymcdm's methods.

Numeric core: arrays in, arrays out. Nothing here reads files, knows labels or prints.

Conventions that change numbers, all visible parameters:

* ``types``: +1 for a benefit criterion (more is better), -1 for a cost criterion, as in pymcdm.
* ``normalization`` of TOPSIS: ``"vector"`` (Hwang & Yoon 1981, the default) or ``"minmax"``
  (pymcdm's default). The closeness values differ between them (see the tests).
* Weights need not sum to one for TOPSIS: closeness is invariant to scaling all weights.
* ``wsm_normalization`` of WSM: ``"sum"`` (the default, pymcdm's, x/sum x and (1/x)/sum(1/x) for
  costs; kept as default so earlier rankings reproduce), ``"max"`` (SAW: x/max, min/x) or
  ``"minmax"``; see :mod:`mcda_qualify.core.wsm`.
* PROMETHEE II: one preference function and its thresholds (q, p, s) per criterion; ``usual``
  where none is given (:mod:`mcda_qualify.core.promethee`).
* VIKOR: ``vikor_v`` (0.5), score = Q, smaller is better; the compromise set is in
  :func:`mcda_qualify.core.vikor.vikor`.
* COPRAS: textbook formula (:mod:`mcda_qualify.core.copras`); the score is the utility degree as a
  fraction, Q_i / max Q (= N_i / 100), as pymcdm and pyDecision report it.
* Ties: :func:`rank_scores` is :func:`mcda_qualify.core.ties.rank_scores` (tolerance relative to the
  score scale, 1e-9 * max(1, max |score|)), the one tie rule of rankings, sweeps and SMAA.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal, Sequence

import numpy as np

from . import ties
from .copras import copras
from .promethee import promethee_ii
from .vikor import vikor
from .wsm import WSM_NORMALIZATIONS, wsm

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
    "moora",
    "WSM_NORMALIZATIONS",
    "closeness",
]

Normalization = Literal["vector", "minmax"]
NORMALIZATIONS: tuple[str, ...] = ("vector", "minmax")


def rank_scores(scores: np.ndarray, better: str) -> np.ndarray:
    """Competition ranks (1 = best; tied scores share the lowest rank) along the last axis.

    Scores within the tie tolerance of :mod:`mcda_qualify.core.ties` (1e-9 * max(1, max |score|),
    chained) are tied, so float noise never splits a tie and no rounding boundary splits two
    neighbours.
    """
    return ties.rank_scores(scores, better)


def normalize(matrix: np.ndarray, types: np.ndarray, normalization: str = "vector") -> np.ndarray:
    """Normalise a decision matrix (N, M) column-wise into benefit form (larger is better).

    ``vector``: r_ij = x_ij / sqrt(sum_i x_ij^2), cost columns as 1 - r_ij (Hwang & Yoon 1981, p. 131;
    the 1 - r form for costs is pymcdm's and leaves every TOPSIS distance unchanged).
    ``minmax``: r_ij = (x_ij - min_j) / (max_j - min_j), cost columns (max_j - x_ij) / (max_j - min_j).
    Degenerate columns (issue 17): a constant column under ``minmax`` (zero range) and an all-zero
    column under ``vector`` (zero norm) normalise to 0 for every opportunity, so they add nothing to
    either TOPSIS distance: the criterion cannot tell the opportunities apart and contributes zero.
    (A constant non-zero column under ``vector`` gives 1/sqrt(N) everywhere: zero gaps as it is.)
    """
    x = np.asarray(matrix, dtype=float)
    cost = np.asarray(types) < 0
    if normalization == "vector":
        # each column scaled by its largest magnitude before squaring: the same r_ij, but no overflow of
        # x_ij^2 for values above about 1e154 (nor underflow below 1e-154); an all-zero column stays 0
        top = np.max(np.abs(x), axis=0)
        xs = x / np.where(top > 0, top, 1.0)
        norm = np.sqrt(np.sum(xs * xs, axis=0))
        r = xs / np.where(norm > 0, norm, 1.0)
        return np.where(cost & (norm > 0), 1.0 - r, r)
    if normalization == "minmax":
        lo, hi = x.min(axis=0), x.max(axis=0)
        span = hi - lo
        return np.where(span > 0, np.where(cost, hi - x, x - lo) / np.where(span > 0, span, 1.0), 0.0)
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
    Larger closeness is better. When no criterion with weight > 0 tells the opportunities apart,
    D_i^+ = D_i^- = 0 for every opportunity and C_i is defined as 0.5 (halfway: all tie; issue 17).
    Bad arguments (non-finite values, negative or all-zero weights,
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
    return closeness(dp, dm)


def closeness(dp: np.ndarray, dm: np.ndarray) -> np.ndarray:
    """C = D^- / (D^+ + D^-), defined as 0.5 where both distances are 0 (nothing discriminates)."""
    tot = dp + dm
    return np.where(tot > 0, dm / np.where(tot > 0, tot, 1.0), 0.5)


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
    return TopsisExplanation(r, v, v.max(axis=0), v.min(axis=0), dp, dm, closeness(dp, dm), sp, sm)


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


def moora(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray) -> np.ndarray:
    """MOORA ratio system y_i = sum_benefit w_j r_ij - sum_cost w_j r_ij, r_ij = x_ij / sqrt(sum_k x_kj^2).

    Brauers, W. K. M. & Zavadskas, E. K. (2006). The MOORA method and its application to privatization
    in a transition economy. Control and Cybernetics 35(2), 445-469. Larger is better. Same numbers as
    pymcdm's MOORA, which however refuses problems without a cost criterion; the ratio system is
    well defined there (the cost sum is empty, i.e. 0), so we score them. Weights (M,) or (K, M).
    """
    x = np.asarray(matrix, dtype=float)
    r = x / np.sqrt(np.sum(x * x, axis=0))
    signed = r * np.where(np.asarray(types) < 0, -1.0, 1.0)
    return np.asarray(weights, dtype=float) @ signed.T


METHODS: dict[str, MethodInfo] = {
    "topsis": MethodInfo("topsis", "higher", "Hwang & Yoon (1981), Multiple Attribute Decision Making, Springer (own batched implementation)"),
    "vikor": MethodInfo("vikor", "lower", "Opricovic & Tzeng (2004), EJOR 156(2), 445-455 (own implementation: Q index, v=0.5 unless set; compromise set with acceptable advantage and stability)"),
    "promethee_ii": MethodInfo("promethee_ii", "higher", "Brans & Vincke (1985), Management Science 31(6), 647-656 (own implementation: net flow; per-criterion preference function and thresholds from the criteria file, usual where none)"),
    "spotis": MethodInfo("spotis", "lower", "Dezert, Tchamova, Han & Tacnet (2020), FUSION 2020 (pymcdm SPOTIS, bounds from the criteria scales)", needs_bounds=True),
    "wsm": MethodInfo("wsm", "higher", "Fishburn (1967), Operations Research 15(3), 537-542 (own implementation: weighted sum; sum normalisation unless set: sum, max or minmax)"),
    "wpm": MethodInfo("wpm", "higher", "Bridgman (1922), Dimensional Analysis (pymcdm WPM, sum normalisation)"),
    "copras": MethodInfo("copras", "higher", "Zavadskas, Kaklauskas & Sarka (1994), Technological and Economic Development of Economy 1(3), 131-139 (own implementation of the textbook formula: utility degree Q/max Q)"),
    "moora": MethodInfo("moora", "higher", "Brauers & Zavadskas (2006), Control and Cybernetics 35(2), 445-469 (own implementation of the ratio system, vector normalisation; pymcdm's numbers)"),
}

#: methods whose score accepts a batch of weight vectors (K, M)
BATCHED = ("topsis", "wsm", "copras", "promethee_ii", "moora")


def score(
    method: str,
    matrix: np.ndarray,
    weights: np.ndarray,
    types: np.ndarray,
    *,
    normalization: str = "vector",
    wsm_normalization: str = "sum",
    bounds: np.ndarray | None = None,
    promethee_preference: str | Sequence[str] = "usual",
    promethee_p: np.ndarray | float | None = None,
    promethee_q: np.ndarray | float | None = None,
    promethee_s: np.ndarray | float | None = None,
    vikor_v: float = 0.5,
) -> np.ndarray:
    """Scores of every opportunity by ``method`` (see :data:`METHODS` for direction and source).

    TOPSIS, WSM, COPRAS, PROMETHEE II and MOORA accept a batch of weight vectors (K, M); the others
    take one vector (M,). ``normalization`` applies to TOPSIS, ``wsm_normalization`` to WSM
    (``sum``, ``max``, ``minmax``). PROMETHEE II: ``promethee_preference`` is one preference
    function for all criteria or one per criterion (usual, u-shape, v-shape, level, linear,
    gaussian; pymcdm's names ushape, vshape, vshape_2 are accepted), with the thresholds it needs
    per criterion: ``promethee_q`` (indifference), ``promethee_p`` (preference), ``promethee_s``
    (Gaussian); NaN/None where a criterion's function does not use one. VIKOR: ``vikor_v``, the
    score is Q. COPRAS: the utility degree Q / max Q.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {sorted(METHODS)}")
    if method == "topsis":
        return topsis(matrix, weights, types, normalization)
    if method not in BATCHED and np.ndim(weights) != 1:
        raise ValueError(f"method {method!r} takes one weight vector of shape (M,)")
    m = np.asarray(matrix, dtype=float)
    w = np.asarray(weights, dtype=float)
    w = w / w.sum(axis=-1, keepdims=True)
    t = np.asarray(types, dtype=int)
    if method == "wsm":
        return wsm(m, w, t, wsm_normalization)
    if method == "copras":
        q = copras(m, w, t)
        return q / q.max(axis=-1, keepdims=True)
    if method == "moora":
        return moora(m, w, t)
    if method == "promethee_ii":
        return promethee_ii(m, w, t, promethee_preference, q=promethee_q, p=promethee_p, s=promethee_s)
    if method == "vikor":
        return vikor(m, w, t, v=vikor_v).Q
    if method == "spotis":
        if bounds is None:
            raise ValueError("SPOTIS needs bounds of shape (M, 2)")
        run = _pymcdm("SPOTIS", bounds=np.asarray(bounds, dtype=float))
    else:
        run = _pymcdm(method.upper())
    return run(m, w, t)
