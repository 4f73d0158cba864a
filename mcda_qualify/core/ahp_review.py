"""AHP diagnostics: the judgments to review, inconsistent triads, Koczkodaj's index and a repair proposal that is never applied by itself (Saaty 2003; Koczkodaj 1993; Bozoki & Rapcsak 2008)."""
from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Literal
import numpy as np
from mcda_qualify.errors import JudgmentError
from .ahp import JudgmentReview, Method, Repair, RepairStep, SAATY_SCALE, Triad, _LOG_SCALE, _check_method, _complete, _normalise_weights, _perron, _prepare, _rgm, cr_threshold, random_index


# --------------------------------------------------------------------------- diagnostics
def judgment_errors(matrix: object, weights: object) -> np.ndarray:
    """e_ij = a_ij w_j / w_i (Saaty 1980; Saaty 2003, EJOR 145, 85-91); NaN where missing; 1 = consistent."""
    a, _ = _prepare(matrix, allow_missing=True)
    w = _normalise_weights(weights, a.shape[0])
    return a * w[None, :] / w[:, None]


def nearest_scale_value(x: float | np.ndarray) -> float | np.ndarray:
    """Nearest value of Saaty's (1980) fundamental 1-9 scale (1..9 and 1/2..1/9) in ratio (log) distance."""
    arr = np.asarray(x, dtype=float)
    idx = np.argmin(np.abs(np.log(arr)[..., None] - _LOG_SCALE), axis=-1)
    out = SAATY_SCALE[idx]
    return float(out) if out.ndim == 0 else out


def judgments_to_review(matrix: object, weights: object | None = None, method: Method = "eigenvector",
                        top: int | None = None, tol: float = 1e-9) -> list[JudgmentReview]:
    """Given judgments sorted worst first by |ln e_ij|, e_ij = a_ij w_j / w_i.

    Each item carries the given value, the consistent value w_i / w_j and its nearest Saaty scale
    value (Saaty 2003, EJOR 145, 85-91: revise the judgment with the largest e_ij towards w_i/w_j).
    Pairs with |ln e_ij| <= tol are left out; only given (not inferred) pairs are listed.
    """
    _check_method(method)
    a, missing = _prepare(matrix, allow_missing=True)
    n = a.shape[0]
    if weights is None:
        w = _complete(a, missing, method).weights if missing.any() else (
            _perron(a)[1] if method == "eigenvector" else _rgm(a))
    else:
        w = _normalise_weights(weights, n)
    items = []
    for i, j in combinations(range(n), 2):
        if missing[i, j]:
            continue
        e = a[i, j] * w[j] / w[i]
        if abs(np.log(e)) <= tol:
            continue
        cv = w[i] / w[j]
        items.append(JudgmentReview(i=i, j=j, given=float(a[i, j]), consistent_value=float(cv),
                                    suggested=float(nearest_scale_value(cv)), error=float(e)))
    items.sort(key=lambda r: -abs(np.log(r.error)))
    return items if top is None else items[:top]


def inconsistent_triads(matrix: object, top: int | None = None, tol: float = 1e-9) -> list[Triad]:
    """Triads i < j < k sorted worst first by Koczkodaj's index 1 - min(r, 1/r), r = a_ik / (a_ij a_jk).

    Koczkodaj, W. W. (1993). A new definition of consistency of pairwise comparisons.
    Mathematical and Computer Modelling 18(7), 79-84. Triads with a missing judgment are skipped.
    """
    a, missing = _prepare(matrix, allow_missing=True)
    n = a.shape[0]
    out = []
    for i, j, k in combinations(range(n), 3):
        if missing[i, j] or missing[j, k] or missing[i, k]:
            continue
        r = a[i, k] / (a[i, j] * a[j, k])
        idx = 1.0 - min(r, 1.0 / r)
        if idx > tol:
            out.append(Triad(i=i, j=j, k=k, ratio=float(r), index=float(idx)))
    out.sort(key=lambda t: -t.index)
    return out if top is None else out[:top]


def koczkodaj_index(matrix: object) -> float:
    """Koczkodaj's (1993) inconsistency index: the largest triad index (0 for n < 3)."""
    triads = inconsistent_triads(matrix, tol=-1.0)
    return max((t.index for t in triads), default=0.0)


def _weights_and_cr(a: np.ndarray, missing: np.ndarray, method: str,
                    ri: float, completion: str | None = None) -> tuple[np.ndarray, float]:
    n = a.shape[0]
    if missing.any() and completion is not None:
        from .completion import completion_weights

        r = completion_weights(np.where(missing, np.nan, a), completion, method, ri_table="alonso_lamata_2006")
        return r.weights, (r.ci / ri if n > 2 and ri > 0 else 0.0)
    if missing.any():
        comp = _complete(a, missing, method)
        full, w = comp.matrix, comp.weights
        lam, _ = _perron(full)
    else:
        lam, w_ev = _perron(a)
        w = w_ev if method == "eigenvector" else _rgm(a)
    if n <= 2:
        return w, 0.0
    return w, (max(float(lam), n) - n) / (n - 1) / ri


def propose_repair(matrix: object, ri_table: str | Sequence[float] = "saaty_1980",
                   threshold: float | str = 0.1, max_steps: int | None = None,
                   method: Method = "eigenvector", scale: Literal["saaty", "continuous"] = "saaty",
                   *, completion: str | None = None) -> Repair:
    """Propose revised judgments until CR <= threshold; the input is never modified.

    Each step takes the given judgment with the largest |ln e_ij| (e_ij = a_ij w_j / w_i) whose
    revision changes it and sets a_ij to the nearest Saaty scale value of w_i / w_j (or to w_i / w_j
    itself with ``scale="continuous"``), a_ji to its reciprocal (after Saaty, T. L. (2003).
    Decision-making with the AHP: Why is the principal eigenvector necessary. EJOR 145, 85-91).
    Stops when consistent, after ``max_steps`` (default n(n-1)/2) or when no revision is possible.
    ``completion`` (None: Harker for the eigenvector, LLSM for the geometric mean, as ``consistency``):
    with ``"optimal"``, ``"harker"`` or ``"llsm"`` an incomplete matrix is weighted as
    :func:`.completion.completion_weights` does and its CR uses the lambda_max-optimal completion
    (Bozoki, Fulop & Ronyai 2010); give the RI for its missing pairs as ``ri_table`` (a sequence).
    """
    _check_method(method)
    if scale not in ("saaty", "continuous"):
        raise JudgmentError("unknown scale", value=scale, expected="'saaty' or 'continuous'")
    a, missing = _prepare(matrix, allow_missing=True)
    n = a.shape[0]
    ri = random_index(n, ri_table)
    thr = cr_threshold(n, threshold)
    limit = n * (n - 1) // 2 if max_steps is None else int(max_steps)
    w, cr = _weights_and_cr(a, missing, method, ri, completion)
    cr0 = cr
    steps: list[RepairStep] = []
    while cr > thr and len(steps) < limit:
        chosen = None
        for r in judgments_to_review(a, w, method=method):
            new = r.suggested if scale == "saaty" else r.consistent_value
            if abs(np.log(new / r.given)) > 1e-9:
                chosen = (r, new)
                break
        if chosen is None:
            break
        r, new = chosen
        a[r.i, r.j] = new
        a[r.j, r.i] = 1.0 / new
        w, cr = _weights_and_cr(a, missing, method, ri, completion)
        steps.append(RepairStep(i=r.i, j=r.j, old=r.given, new=float(new), cr_after=float(cr)))
    return Repair(matrix=a, steps=tuple(steps), cr_before=float(cr0), cr_after=float(cr),
                  threshold=thr, consistent=bool(cr <= thr))


def intransitive_triads(matrix: object, tol: float = 1e-9) -> list[tuple[int, int, int]]:
    """Circular triads of the given judgments: i preferred to j, j to k and k to i (a_ij, a_jk, a_ki > 1).

    Kendall, M. G. & Babington Smith, B. (1940). On the method of paired comparisons. Biometrika
    31(3/4), 324-345: a circular triad is an ordinal inconsistency, a contradiction in the *order* of
    preference that no adjustment of the intensities repairs, so it is worth a second look even when
    Saaty's CR is below 0.1. Only given judgments count (missing ones and ties, |ln a_ij| <= tol, are
    no preference). Each cycle is returned once, as (x, y, z) with x > y > z > x, x the smallest index.
    """
    a, missing = _prepare(matrix, allow_missing=True)
    n = a.shape[0]
    with np.errstate(invalid="ignore", divide="ignore"):
        pref = ~missing & (np.log(np.where(missing, 1.0, a)) > tol)  # pref[i, j]: i preferred to j
    out = []
    for i, j, k in combinations(range(n), 3):
        if pref[i, j] and pref[j, k] and pref[k, i]:
            out.append((i, j, k))
        elif pref[i, k] and pref[k, j] and pref[j, i]:
            out.append((i, k, j))
    return out
