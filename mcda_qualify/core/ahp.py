"""AHP numeric core: pairwise-comparison matrices in, priorities and diagnostics out.

Conventions (see docs/ahp.md for the full reference)
----------------------------------------------------
* ``matrix[i, j] = a_ij`` says how many times item *i* is as important as item *j*;
  ``a_ji = 1 / a_ij`` and ``a_ii = 1`` (Saaty 1980).
* A missing judgment is NaN (or 0) off the diagonal. If only one of ``a_ij``, ``a_ji`` is given,
  the other is its reciprocal. Reciprocity is checked with a relative tolerance of 1e-6
  (``|a_ij * a_ji - 1| <= 1e-6``); the diagonal must be 1 within 1e-6 (or missing, read as 1).
* Priorities are normalised to sum to 1 (distributive mode); :func:`ideal` divides by the maximum.
* Methods: ``"eigenvector"`` (principal right eigenvector, Saaty 1977/1980) and ``"geometric"``
  (row geometric mean = logarithmic least squares, Crawford & Williams 1985).
* Batched where cheap: a stack ``(K, n, n)`` gives ``(K, n)`` from :func:`priorities` and
  ``(K,)`` from :func:`lambda_max` / :func:`consistency_ratio`.
* Arrays in, arrays and frozen dataclasses out. Inputs are never modified, nothing is printed,
  nothing is read from files. Bad input raises :class:`~mcda_qualify.errors.JudgmentError`.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from mcda_qualify.errors import JudgmentError
from .consistency_rules import GCI_THRESHOLD_LARGE, GCI_THRESHOLDS_UNROUNDED
from .consistency_rules import consistency_verdict
from .consistency_rules import gci_threshold as _gci_threshold

__all__ = [
    "RI_TABLES", "RI_SOURCES", "SAATY_SCALE", "GCI_THRESHOLDS", "RECIPROCAL_RTOL",
    "Consistency", "JudgmentReview", "Triad", "RepairStep", "Repair", "Completion", "Disagreement",
    "random_index", "cr_threshold", "gci_threshold",
    "priorities", "principal_eigen", "lambda_max", "consistency", "consistency_ratio",
    "geometric_consistency_index",
    "judgment_errors", "nearest_scale_value", "judgments_to_review", "inconsistent_triads",
    "koczkodaj_index", "propose_repair",
    "missing_mask", "connected_components", "complete", "harker_matrix", "llsm_priorities",
    "aggregate_judgments", "aggregate_priorities", "consensus_indicator", "disagreements",
    "global_weights", "ideal", "linear_level_priorities", "ratings_scores", "local_priorities",
    "relative_scores",
]

Method = Literal["eigenvector", "geometric"]
METHODS: tuple[str, ...] = ("eigenvector", "geometric")

#: Relative tolerance of the reciprocity check |a_ij * a_ji - 1| <= RECIPROCAL_RTOL.
RECIPROCAL_RTOL = 1e-6

#: Random consistency index RI(n), n = 1..15, by table name.
RI_TABLES: dict[str, tuple[float, ...]] = {
    "saaty_1980": (0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59),
    "saaty_2005": (0, 0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59),
    "alonso_lamata_2006": (0, 0, 0.5245, 0.8815, 1.1086, 1.2479, 1.3417, 1.4056, 1.4499, 1.4854,
                           1.5141, 1.5365, 1.5551, 1.5713, 1.5838),
    "tummala_ling_1998": (0, 0, 0.5799, 0.8921, 1.1159, 1.2358, 1.3322, 1.3952, 1.4537, 1.4882,
                          1.5117, 1.5356, 1.5571, 1.5714, 1.5831),
}
RI_SOURCES: dict[str, str] = {
    "saaty_1980": "Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill.",
    "saaty_2005": "Saaty, T. L. (2005). Theory and Applications of the Analytic Network Process. "
                  "RWS Publications, p. 31.",
    "alonso_lamata_2006": "Alonso, J. A., & Lamata, M. T. (2006). Consistency in the analytic hierarchy "
                          "process: a new approach. IJUFKS 14(4), 445-459.",
    "tummala_ling_1998": "Tummala, V. M. R., & Ling, H. (1998). A note on the computation of the mean "
                         "random consistency index of the AHP. Theory and Decision 44(3), 221-230.",
}

#: Saaty's fundamental scale: 1/9 .. 1/2, 1, 2 .. 9 (Saaty 1980).
SAATY_SCALE: np.ndarray = np.array([1 / k for k in range(9, 1, -1)] + [float(k) for k in range(1, 10)])
_LOG_SCALE = np.log(SAATY_SCALE)

#: GCI thresholds by n, unrounded (Aguaron & Moreno-Jimenez 2003): 0.3147 (n=3), 0.3526 (n=4),
#: 0.370 (n>4); the one copy lives in :mod:`.consistency_rules`.
GCI_THRESHOLDS: dict[int, float] = GCI_THRESHOLDS_UNROUNDED
_GCI_THRESHOLD_LARGE = GCI_THRESHOLD_LARGE

#: Named CR threshold rules. "flat": 0.1 for every n (Saaty 1980).
#: "saaty_1994": 0.05 (n=3), 0.08 (n=4), 0.10 (n>4) (Saaty 1994, Fundamentals of Decision Making).
THRESHOLD_RULES: tuple[str, ...] = ("flat", "saaty_1994")


# --------------------------------------------------------------------------- dataclasses
@dataclass(frozen=True)
class Consistency:
    """Consistency of one judgment matrix (Saaty 1980; GCI after Aguaron & Moreno-Jimenez 2003)."""

    n: int
    method: str
    weights: np.ndarray
    lambda_max: float
    ci: float
    ri: float
    cr: float
    ri_table: str
    threshold: float
    consistent: bool
    gci: float | None = None
    gci_threshold: float | None = None
    gci_consistent: bool | None = None


@dataclass(frozen=True)
class JudgmentReview:
    """One judgment and how far it is from the priorities: error e_ij = a_ij w_j / w_i."""

    i: int
    j: int
    given: float
    consistent_value: float
    suggested: float
    error: float


@dataclass(frozen=True)
class Triad:
    """A triad (i, j, k), its ratio a_ik / (a_ij a_jk) and Koczkodaj's (1993) index 1 - min(r, 1/r)."""

    i: int
    j: int
    k: int
    ratio: float
    index: float


@dataclass(frozen=True)
class RepairStep:
    """One revised judgment of a repair proposal: a_ij from ``old`` to ``new``; CR afterwards."""

    i: int
    j: int
    old: float
    new: float
    cr_after: float


@dataclass(frozen=True)
class Repair:
    """A proposed repair: the revised copy of the matrix and the steps that led to it."""

    matrix: np.ndarray
    steps: tuple[RepairStep, ...]
    cr_before: float
    cr_after: float
    threshold: float
    consistent: bool


@dataclass(frozen=True)
class Completion:
    """An incomplete matrix completed by ``method``; ``inferred`` holds (i, j, w_i / w_j), i < j."""

    matrix: np.ndarray
    weights: np.ndarray
    inferred: tuple[tuple[int, int, float], ...]
    method: str


@dataclass(frozen=True)
class Disagreement:
    """Spread of the judges' log a_ij on one pair (weighted standard deviation of ln a_ij)."""

    i: int
    j: int
    log_sd: float
    values: tuple[float, ...]


# --------------------------------------------------------------------------- validation helpers
def _check_method(method: str) -> str:
    if method not in METHODS:
        raise JudgmentError("unknown priority method", value=method,
                            expected=" or ".join(repr(m) for m in METHODS))
    return method


def _prepare(matrix: object, *, allow_missing: bool = True,
             batch: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Validated float copy (diagonal 1, reciprocals filled, NaN = missing) and the missing mask."""
    try:
        a = np.array(matrix, dtype=float)
    except (TypeError, ValueError) as exc:
        raise JudgmentError("judgment matrix is not numeric", expected="a square array of positive numbers") from exc
    ok_dims = a.ndim == 2 or (batch and a.ndim == 3)
    if not ok_dims or a.shape[-1] != a.shape[-2] or a.shape[-1] == 0:
        raise JudgmentError("judgment matrix has the wrong shape", value=a.shape,
                            expected="(n, n)" + (" or (K, n, n)" if batch else "") + " with n >= 1")
    n = a.shape[-1]
    off = ~np.eye(n, dtype=bool)
    missing = (np.isnan(a) | (a == 0)) & off
    bad = off & ~missing & (~np.isfinite(a) | (a < 0))
    if bad.any():
        idx = tuple(int(x) for x in np.argwhere(bad)[0])
        raise JudgmentError(f"judgment matrix entry {_where(idx)} is not a positive finite number",
                            value=float(a[idx]), expected="a positive finite ratio (NaN or 0 = missing)")
    diag = np.diagonal(a, axis1=-2, axis2=-1)
    diag_bad = ~np.isnan(diag) & (diag != 0) & ~(np.abs(diag - 1) <= RECIPROCAL_RTOL)
    if diag_bad.any():
        idx = tuple(int(x) for x in np.argwhere(diag_bad)[0])
        raise JudgmentError(f"diagonal entry {_where(idx[:-1] + (idx[-1], idx[-1]))} is not 1",
                            value=float(diag[idx]), expected="1 on the diagonal")
    eye = np.broadcast_to(np.eye(n, dtype=bool), a.shape)
    a[eye] = 1.0
    a[missing] = np.nan
    at = np.swapaxes(a, -1, -2)
    both = ~missing & ~np.swapaxes(missing, -1, -2)
    prod = a * at
    nonrecip = both & (np.abs(prod - 1) > RECIPROCAL_RTOL)
    if nonrecip.any():
        idx = tuple(int(x) for x in np.argwhere(nonrecip)[0])
        rev = idx[:-2] + (idx[-1], idx[-2])
        raise JudgmentError(
            f"judgment matrix is not reciprocal at {_where(idx)} and {_where(rev)}",
            value=(float(a[idx]), float(a[rev])),
            expected=f"a[j,i] = 1/a[i,j] (relative tolerance {RECIPROCAL_RTOL:g})")
    one_sided = missing & ~np.swapaxes(missing, -1, -2)
    if one_sided.any():
        a[one_sided] = 1.0 / at[one_sided]
        missing = missing & np.swapaxes(missing, -1, -2)
    if missing.any() and not allow_missing:
        idx = tuple(int(x) for x in np.argwhere(missing)[0])
        raise JudgmentError(f"judgment matrix has a missing entry at {_where(idx)}",
                            expected="a complete matrix here; use complete() for missing judgments")
    return a, missing


def _where(idx: tuple[int, ...]) -> str:
    if len(idx) == 3:
        return f"matrix {idx[0]}, pair ({idx[1]}, {idx[2]})"
    return f"pair ({idx[0]}, {idx[1]})"


def _normalise_weights(weights: object, n: int, what: str = "weights") -> np.ndarray:
    w = np.array(weights, dtype=float).reshape(-1)
    if w.shape != (n,):
        raise JudgmentError(f"{what} have the wrong length", value=int(w.size), expected=f"{n} values")
    if not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise JudgmentError(f"{what} must be positive and finite", value=w.tolist(),
                            expected="positive finite numbers")
    return w / w.sum()


# --------------------------------------------------------------------------- random index, thresholds
def random_index(n: int, ri_table: str | Sequence[float] = "saaty_1980") -> float:
    """RI(n) from a named table (see :data:`RI_SOURCES`) or a custom sequence RI(1), RI(2), ...

    Beyond n = 15 only ``"alonso_lamata_2006"`` answers, by Alonso & Lamata's (2006) regression
    lambda_max(random) = 2.7699 n - 4.3513, i.e. RI(n) = (1.7699 n - 4.3513) / (n - 1).
    """
    if n < 1:
        raise JudgmentError("matrix size must be at least 1", value=n, expected="n >= 1")
    if isinstance(ri_table, str):
        if ri_table not in RI_TABLES:
            raise JudgmentError("unknown RI table", value=ri_table,
                                expected="one of " + ", ".join(RI_TABLES) + " or a sequence of RI values")
        table: Sequence[float] = RI_TABLES[ri_table]
        if n > len(table):
            if ri_table == "alonso_lamata_2006":
                return (1.7699 * n - 4.3513) / (n - 1)
            raise JudgmentError(
                f"RI table '{ri_table}' stops at n={len(table)}", value=n,
                expected=f"n <= {len(table)}, or ri_table=\"alonso_lamata_2006\" "
                         "(extended to any n by its regression 2.7699 n - 4.3513)")
    else:
        try:
            table = [float(x) for x in ri_table]
        except (TypeError, ValueError) as exc:
            raise JudgmentError("custom RI table is not a sequence of numbers", value=ri_table,
                                expected="RI(1), RI(2), ... as numbers") from exc
        if n > len(table):
            raise JudgmentError(f"custom RI table stops at n={len(table)}", value=n,
                                expected=f"a table with at least {n} values")
    ri = float(table[n - 1])
    if not np.isfinite(ri) or ri < 0 or (n > 2 and ri == 0):
        raise JudgmentError(f"RI({n}) is not usable", value=ri, expected="a positive finite number for n > 2")
    return ri


def _ri_table_name(ri_table: str | Sequence[float]) -> str:
    return ri_table if isinstance(ri_table, str) else "custom"


def cr_threshold(n: int, threshold: float | str = 0.1) -> float:
    """CR threshold for size n: a number, ``"flat"`` (0.1, Saaty 1980) or ``"saaty_1994"``.

    ``"saaty_1994"``: 0.05 for n = 3, 0.08 for n = 4, 0.10 for n > 4 (Saaty, T. L. (1994).
    Fundamentals of Decision Making and Priority Theory with the AHP. RWS Publications).
    """
    if isinstance(threshold, str):
        if threshold == "flat":
            return 0.1
        if threshold == "saaty_1994":
            return 0.05 if n <= 3 else (0.08 if n == 4 else 0.10)
        raise JudgmentError("unknown CR threshold rule", value=threshold,
                            expected="a number or one of " + ", ".join(THRESHOLD_RULES))
    t = float(threshold)
    if not np.isfinite(t) or t <= 0:
        raise JudgmentError("CR threshold must be positive", value=threshold, expected="a number > 0")
    return t


def gci_threshold(n: int) -> float | None:
    """Unrounded GCI threshold (Aguaron & Moreno-Jimenez 2003): 0.3147 (n=3), 0.3526 (n=4), 0.370 (n>4);
    None for n < 3. Same as :func:`.consistency_rules.gci_threshold`."""
    return _gci_threshold(n)


# --------------------------------------------------------------------------- priorities
def _rgm(a: np.ndarray) -> np.ndarray:
    """Row geometric mean, normalised (Crawford & Williams 1985); works on stacks."""
    g = np.log(a).mean(axis=-1)
    w = np.exp(g - g.max(axis=-1, keepdims=True))
    return w / w.sum(axis=-1, keepdims=True)


def _perron(a: np.ndarray) -> tuple[np.ndarray | float, np.ndarray]:
    """Perron root and normalised Perron vector of positive (or irreducible, positive-diagonal) matrices.

    numpy's eig works on stacks; the Perron root is the eigenvalue with the largest real part
    (it is real, simple and dominant for such matrices: Perron-Frobenius).
    """
    vals, vecs = np.linalg.eig(a)
    k = np.argmax(vals.real, axis=-1)
    lam = np.take_along_axis(vals.real, k[..., None], axis=-1)[..., 0]
    idx = np.broadcast_to(k[..., None, None], vecs.shape[:-1] + (1,))
    v = np.take_along_axis(vecs, idx, axis=-1)[..., 0].real
    v = v / v.sum(axis=-1, keepdims=True)
    v = np.abs(v)
    v = v / v.sum(axis=-1, keepdims=True)
    return (float(lam) if np.ndim(lam) == 0 else lam), v


def priorities(matrix: object, method: Method = "eigenvector") -> np.ndarray:
    """Priority vector(s) summing to 1.

    ``"eigenvector"``: principal right eigenvector (Saaty, T. L. (1977). A scaling method for
    priorities in hierarchical structures. J. Math. Psychology 15, 234-281; Saaty 1980).
    ``"geometric"``: row geometric mean (Crawford, G., & Williams, C. (1985). A note on the
    analysis of subjective judgment matrices. J. Math. Psychology 29, 387-405).
    A stack (K, n, n) of complete matrices gives (K, n). A single incomplete matrix (NaN or 0 =
    missing) is completed first: Harker (1987) for the eigenvector, LLSM for the geometric mean.
    """
    _check_method(method)
    a, missing = _prepare(matrix, allow_missing=True, batch=True)
    if missing.any():
        if a.ndim == 3:
            raise JudgmentError("incomplete matrices are not batched",
                                expected="complete matrices in a stack, or one incomplete matrix at a time")
        return _complete(a, missing, method).weights
    if method == "geometric":
        return _rgm(a)
    return _perron(a)[1]


def principal_eigen(matrix: object) -> tuple[float, np.ndarray]:
    """(lambda_max, w) of a complete matrix: Perron root and vector (Saaty 1977)."""
    a, _ = _prepare(matrix, allow_missing=False)
    lam, w = _perron(a)
    return float(lam), w


def lambda_max(matrix: object) -> float | np.ndarray:
    """Perron root lambda_max of a complete matrix, or of each matrix of a stack (K, n, n)."""
    a, _ = _prepare(matrix, allow_missing=False, batch=True)
    n = a.shape[-1]
    lam = np.maximum(_perron(a)[0], n)  # lambda_max >= n for positive reciprocal matrices (Saaty 1977)
    return float(lam) if np.ndim(lam) == 0 else lam


def consistency_ratio(matrix: object, ri_table: str | Sequence[float] = "saaty_1980") -> float | np.ndarray:
    """CR = CI / RI(n), CI = (lambda_max - n) / (n - 1) (Saaty 1980); batched over (K, n, n); 0 for n <= 2."""
    a, _ = _prepare(matrix, allow_missing=False, batch=True)
    n = a.shape[-1]
    ri = random_index(n, ri_table)
    if n <= 2:
        return 0.0 if a.ndim == 2 else np.zeros(a.shape[0])
    lam = np.maximum(_perron(a)[0], n)
    cr = (lam - n) / (n - 1) / ri
    return float(cr) if np.ndim(cr) == 0 else cr


def _gci(a: np.ndarray, missing: np.ndarray, w: np.ndarray) -> float:
    n = a.shape[0]
    iu = np.triu_indices(n, 1)
    present = ~missing[iu]
    if not present.any():
        return 0.0
    e = np.log(a[iu][present] * w[iu[1]][present] / w[iu[0]][present])
    dof = int(present.sum()) - (n - 1)
    return float(np.sum(e ** 2) / dof) if dof > 0 else 0.0


def geometric_consistency_index(matrix: object, weights: object | None = None) -> float:
    """GCI = 2 / ((n-1)(n-2)) * sum_{i<j} ln^2(a_ij w_j / w_i) (Aguaron, J., & Moreno-Jimenez, J. M.
    (2003). The geometric consistency index: approximated thresholds. EJOR 147, 137-145).

    ``weights`` default to the row geometric mean (LLSM when judgments are missing). With missing
    judgments the sum runs over the given pairs and is divided by (given pairs - (n - 1)) instead of
    (n-1)(n-2)/2 (same count of redundant judgments; an extension documented in docs/ahp.md).
    """
    a, missing = _prepare(matrix, allow_missing=True)
    n = a.shape[0]
    if n < 3:
        return 0.0
    if weights is None:
        w = _complete(a, missing, "geometric").weights if missing.any() else _rgm(a)
    else:
        w = _normalise_weights(weights, n)
    return _gci(a, missing, w)


def consistency(matrix: object, weights: object | None = None,
                ri_table: str | Sequence[float] = "saaty_1980", method: Method = "eigenvector",
                threshold: float | str = 0.1) -> Consistency:
    """Saaty's consistency of a judgment matrix (Saaty 1980) and, for ``method="geometric"``, the GCI.

    lambda_max is always the Perron root of the (completed) matrix; CI = (lambda_max - n)/(n - 1);
    CR = CI / RI(n) with RI from ``ri_table``; CR = 0 for n <= 2. ``consistent`` is CR <= the
    threshold of :func:`cr_threshold` (default flat 0.1), by :func:`.consistency_rules.consistency_verdict`
    (the CR decides; the GCI, unrounded thresholds, is reported beside it). ``weights`` default to ``method``'s
    priorities; they are used for the GCI (Aguaron & Moreno-Jimenez 2003). Missing judgments are
    completed first (:func:`complete`); RI is then still the complete-matrix table.
    """
    _check_method(method)
    a, missing = _prepare(matrix, allow_missing=True)
    n = a.shape[0]
    ri = random_index(n, ri_table)
    thr = cr_threshold(n, threshold)
    if missing.any():
        comp = _complete(a, missing, method)
        full, w_default = comp.matrix, comp.weights
    else:
        full, w_default = a, None
    lam, w_ev = _perron(full)
    if w_default is None:
        w_default = w_ev if method == "eigenvector" else _rgm(full)
    w = w_default if weights is None else _normalise_weights(weights, n)
    if n <= 2:
        lam_v, ci, cr = float(n), 0.0, 0.0
    else:
        lam_v = max(float(lam), float(n))
        ci = (lam_v - n) / (n - 1)
        cr = ci / ri
    gci = gthr = gok = None
    if method == "geometric":
        gci = _gci(a, missing, w) if n >= 3 else 0.0
        gthr = gci_threshold(n)
    verdict = consistency_verdict(cr, gci, n=n, cr_threshold=thr)  # the one rule: CR decides, GCI reported
    if method == "geometric":
        gok = True if gthr is None else verdict.other_consistent
    return Consistency(n=n, method=method, weights=w, lambda_max=lam_v, ci=ci, ri=ri, cr=cr,
                       ri_table=_ri_table_name(ri_table), threshold=thr, consistent=verdict.consistent,
                       gci=gci, gci_threshold=gthr, gci_consistent=gok)


# --------------------------------------------------------------------------- incomplete judgments
def missing_mask(matrix: object) -> np.ndarray:
    """Boolean mask of missing off-diagonal judgments (NaN or 0; a one-sided pair is not missing)."""
    return _prepare(matrix, allow_missing=True)[1]


def _components(present: np.ndarray) -> list[list[int]]:
    n = present.shape[0]
    seen = np.zeros(n, dtype=bool)
    groups = []
    for start in range(n):
        if seen[start]:
            continue
        stack, group = [start], []
        seen[start] = True
        while stack:
            u = stack.pop()
            group.append(u)
            for v in np.flatnonzero(present[u] & ~seen):
                seen[v] = True
                stack.append(int(v))
        groups.append(sorted(group))
    return groups


def connected_components(matrix: object) -> list[list[int]]:
    """Groups of items linked by chains of given judgments (the comparison graph's components).

    Priorities of an incomplete matrix exist and are unique only when this graph is connected
    (Harker 1987; Bozoki, Fulop & Ronyai 2010).
    """
    a, missing = _prepare(matrix, allow_missing=True)
    present = ~missing & ~np.eye(a.shape[0], dtype=bool)
    return _components(present)


def harker_matrix(matrix: object) -> np.ndarray:
    """Harker's (1987) matrix: missing a_ij -> 0, diagonal 1 + (number of missing entries in row i).

    Harker, P. T. (1987). Incomplete pairwise comparisons in the analytic hierarchy process.
    Mathematical Modelling 9(11), 837-848.
    """
    a, missing = _prepare(matrix, allow_missing=True)
    return _harker(a, missing)


def _harker(a: np.ndarray, missing: np.ndarray) -> np.ndarray:
    c = np.where(missing, 0.0, a)
    c[np.diag_indices_from(c)] = 1.0 + missing.sum(axis=1)
    return c


def _llsm(a: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """LLSM: minimise sum over given pairs of (ln a_ij - ln w_i + ln w_j)^2 (Laplacian system)."""
    n = a.shape[0]
    present = ~missing & ~np.eye(n, dtype=bool)
    lap = -present.astype(float)
    lap[np.diag_indices(n)] = present.sum(axis=1)
    r = np.where(present, np.log(np.where(present, a, 1.0)), 0.0).sum(axis=1)
    y = np.linalg.solve(lap + np.ones((n, n)), r)
    w = np.exp(y - y.max())
    return w / w.sum()


def llsm_priorities(matrix: object) -> np.ndarray:
    """Logarithmic least squares priorities of a (possibly incomplete) matrix.

    Kwiesielewicz, M. (1996). The logarithmic least squares and the generalized pseudoinverse in
    estimating ratios. EJOR 93, 611-619; Bozoki, S., Fulop, J., & Ronyai, L. (2010). On optimal
    completion of incomplete pairwise comparison matrices. Math. Comput. Modelling 52, 318-333.
    Equals the row geometric mean on a complete matrix (Crawford & Williams 1985).
    """
    a, missing = _prepare(matrix, allow_missing=True)
    _require_connected(missing)
    return _llsm(a, missing)


def _require_connected(missing: np.ndarray) -> None:
    present = ~missing & ~np.eye(missing.shape[0], dtype=bool)
    groups = _components(present)
    if len(groups) > 1:
        raise JudgmentError("comparison graph is not connected: " + " | ".join(map(str, groups)),
                            expected="a chain of judgments linking every pair of items")


def _complete(a: np.ndarray, missing: np.ndarray, method: str) -> Completion:
    _require_connected(missing)
    if method == "geometric":
        w, name = _llsm(a, missing), "llsm"
    else:
        w, name = _perron(_harker(a, missing))[1], "harker_1987"
    full = a.copy()
    ratio = w[:, None] / w[None, :]
    full[missing] = ratio[missing]
    inferred = tuple((int(i), int(j), float(ratio[i, j]))
                     for i, j in zip(*np.nonzero(np.triu(missing, 1))))
    return Completion(matrix=full, weights=w, inferred=inferred, method=name)


def complete(matrix: object, method: Method = "eigenvector") -> Completion:
    """Complete a matrix with missing judgments (NaN or 0); the comparison graph must be connected.

    ``"eigenvector"``: Harker (1987) -- Perron vector of :func:`harker_matrix`; the completed matrix
    (a_ij = w_i / w_j where missing) has that same Perron vector. ``"geometric"``: logarithmic
    least squares (Kwiesielewicz 1996; Bozoki, Fulop & Ronyai 2010), whose completion has the same
    row geometric mean. Exact on consistent partial matrices.
    """
    _check_method(method)
    a, missing = _prepare(matrix, allow_missing=True)
    return _complete(a, missing, method)


