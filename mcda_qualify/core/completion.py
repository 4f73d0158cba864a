"""Incomplete pairwise comparison matrices: lambda_max-optimal completion, weights, CR and its random index.

* :func:`optimal_completion` -- the completion that minimises the Perron root lambda_max over the
  missing entries (Bozoki, S., Fulop, J., & Ronyai, L. (2010). On optimal completion of incomplete
  pairwise comparison matrices. Mathematical and Computer Modelling 52(1-2), 318-333). It is unique
  iff the comparison graph is connected (their Theorem 2), which is required here.
* :func:`completion_weights` -- weights, lambda_max and CR of an incomplete matrix with the completion
  named (``"optimal"``, ``"harker"``, ``"llsm"``) and the random index named.
* :func:`completed_weights` -- the weights alone (no random index), as the labelled layer needs them.
* :func:`incomplete_random_index` / :func:`simulate_random_index` -- the random index RI(n, m) of a
  matrix of size n with m missing pairs, after Agoston, K. Cs., & Csato, L. (2022). Inconsistency
  thresholds for incomplete pairwise comparison matrices. Omega 108, 102576. Their published table
  is NOT bundled (its figures could not be obtained when this was written); ``"agoston_csato_2022"``
  is a seeded REPRODUCTION of their procedure by simulation, labelled as such in every answer. For
  n <= 12 it is read from :mod:`mcda_qualify.core.ri_incomplete_table` (precomputed offline by
  tools/make_ri_incomplete_table.py), so nothing is simulated at run time; beyond n = 12 it is
  simulated (RUNTIME_SAMPLES matrices, about 2 s for n = 13, cached) and the answer says so.

Conventions as in :mod:`mcda_qualify.core.ahp`: ``a_ij`` = how many times i is as important as j;
missing judgments are NaN or 0 off the diagonal; a one-sided pair counts as given.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from collections.abc import Sequence
from typing import Literal

import numpy as np

from . import ahp
from . import ri_incomplete_table as _table
from mcda_qualify.errors import JudgmentError

__all__ = [
    "COMPLETIONS",
    "INCOMPLETE_RI_TABLES",
    "CompletionWeights",
    "COMPLETION_SOURCES",
    "completed_weights",
    "completion_weights",
    "incomplete_random_index",
    "incomplete_random_index_source",
    "max_missing",
    "optimal_completion",
    "simulate_random_index",
]

Completion = Literal["optimal", "harker", "llsm"]
COMPLETIONS: tuple[str, ...] = ("optimal", "harker", "llsm")
#: Random-index tables for incomplete matrices (besides the complete-matrix tables of ahp.RI_TABLES).
INCOMPLETE_RI_TABLES: tuple[str, ...] = ("agoston_csato_2022",)
RI_REPRODUCTION_NOTE = ("reproduction by simulation of the procedure of Agoston & Csato (2022), "
                        "Omega 108, 102576 (their published table is not bundled)")
#: Where each completion comes from (named in every output of the labelled layer).
COMPLETION_SOURCES: dict[str, str] = {
    "optimal": "lambda_max-optimal completion: Bozoki, S., Fulop, J., & Ronyai, L. (2010). On optimal "
               "completion of incomplete pairwise comparison matrices. Math. Comput. Modelling 52, 318-333",
    "harker": "Harker, P. T. (1987). Incomplete pairwise comparisons in the analytic hierarchy process. "
              "Mathematical Modelling 9(11), 837-848",
    "llsm": "logarithmic least squares: Kwiesielewicz, M. (1996). EJOR 93, 611-619; Bozoki, Fulop & "
            "Ronyai (2010)",
}
#: Samples and seed of a run-time simulation (only beyond the precomputed table, n > 12).
RUNTIME_SAMPLES = 2_000
DEFAULT_SEED = 2022
_GRAD_TOL = 1e-11      # stop when max |d lambda_max / d log a_ij| <= this
_MAX_NEWTON = 60


@dataclass(frozen=True)
class CompletionWeights:
    """Weights of a (possibly incomplete) matrix, its completion and its consistency.

    ``lambda_max`` is the Perron root of the lambda_max-optimal completion (the inconsistency of the
    partial matrix, Bozoki et al. 2010) and ``ci``/``cr`` use it whatever ``completion`` gave the
    weights; ``completion_lambda_max`` is the Perron root of the completed ``matrix`` itself.
    """

    weights: np.ndarray
    matrix: np.ndarray
    completion: str
    method: str
    n: int
    missing: int
    lambda_max: float
    completion_lambda_max: float
    ci: float
    ri: float
    ri_table: str
    ri_source: str
    cr: float


# --------------------------------------------------------------------------- helpers
def max_missing(n: int) -> int:
    """Largest number of missing pairs that can leave the comparison graph connected: (n-1)(n-2)/2."""
    return (n - 1) * (n - 2) // 2 if n >= 2 else 0


def _perron_left_right(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Perron root (K,), right vector x (K, n) and left vector y (K, n) with y.x = 1, of a stack (K, n, n)."""
    vals, vecs = np.linalg.eig(a)
    k = np.argmax(vals.real, axis=-1)
    lam = np.take_along_axis(vals.real, k[:, None], axis=-1)[:, 0]
    x = np.abs(np.take_along_axis(vecs, k[:, None, None], axis=-1)[..., 0].real)
    lvals, lvecs = np.linalg.eig(np.swapaxes(a, -1, -2))
    kl = np.argmax(lvals.real, axis=-1)
    y = np.abs(np.take_along_axis(lvecs, kl[:, None, None], axis=-1)[..., 0].real)
    x = x / x.sum(axis=-1, keepdims=True)
    y = y / np.sum(x * y, axis=-1, keepdims=True)
    return lam, x, y


def _fill(a: np.ndarray, ii: np.ndarray, jj: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Copy of the stack ``a`` with a[k, ii, jj] = exp(t) and a[k, jj, ii] = exp(-t)."""
    out = a.copy()
    kk = np.arange(a.shape[0])[:, None]
    out[kk, ii, jj] = np.exp(t)
    out[kk, jj, ii] = np.exp(-t)
    return out


def _grad_hess(a: np.ndarray, ii: np.ndarray, jj: np.ndarray, t: np.ndarray):
    """lambda_max, gradient and Hessian w.r.t. t = log a_ij of the missing upper entries (batched).

    Simple-eigenvalue perturbation theory: d lambda = y' dA x (y'x = 1); second order
    y' A'' x + 2 y' A'_p S A'_q x with S = (lambda I - A + x y')^-1 - x y' the group inverse of
    lambda I - A (Kato 1966; Meyer & Stewart 1988). Exact, no finite differences.
    """
    a_full = _fill(a, ii, jj, t)
    lam, x, y = _perron_left_right(a_full)
    kk = np.arange(a.shape[0])[:, None]
    m = ii.shape[1]
    ll = np.arange(m)[None, :]
    up, lo = np.exp(t), np.exp(-t)
    xi, xj = x[kk, ii], x[kk, jj]
    yi, yj = y[kk, ii], y[kk, jj]
    grad = yi * up * xj - yj * lo * xi
    n = a.shape[-1]
    u = np.zeros((a.shape[0], n, m))
    r = np.zeros((a.shape[0], n, m))
    u[kk, ii, ll] = up * xj
    u[kk, jj, ll] = -lo * xi
    r[kk, jj, ll] = up * yi
    r[kk, ii, ll] = -lo * yj
    xy = x[:, :, None] * y[:, None, :]
    eye = np.eye(n)
    s = np.linalg.inv(lam[:, None, None] * eye - a_full + xy) - xy
    mm = np.swapaxes(r, -1, -2) @ s @ u
    hess = mm + np.swapaxes(mm, -1, -2)
    hess[:, np.arange(m), np.arange(m)] += yi * up * xj + yj * lo * xi
    return lam, grad, hess


def _lambda(a: np.ndarray, ii: np.ndarray, jj: np.ndarray, t: np.ndarray) -> np.ndarray:
    return np.linalg.eigvals(_fill(a, ii, jj, t)).real.max(axis=-1)


def _minimise(a: np.ndarray, ii: np.ndarray, jj: np.ndarray, t0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Damped Newton on t -> lambda_max(A(t)) for a stack; convex in t (Bozoki et al. 2010, Sec. 3).

    Returns (t, lambda_max). Each sample stops when max |gradient| <= 1e-11.
    """
    t = t0.astype(float).copy()
    lam = np.empty(a.shape[0])
    active = np.arange(a.shape[0])
    for _ in range(_MAX_NEWTON):
        if active.size == 0:
            break
        aa, ia, ja, ta = a[active], ii[active], jj[active], t[active]
        f, g, h = _grad_hess(aa, ia, ja, ta)
        lam[active] = f
        done = np.abs(g).max(axis=1) <= _GRAD_TOL
        # positive-definite shift (the Hessian is PSD by convexity; guard against round-off)
        w_min = np.linalg.eigvalsh(h)[:, 0]
        shift = np.maximum(0.0, 1e-12 - w_min)
        h = h + shift[:, None, None] * np.eye(h.shape[-1])
        d = -np.linalg.solve(h, g[..., None])[..., 0]
        slope = np.sum(g * d, axis=1)
        step = np.ones(active.size)
        todo = ~done
        # backtracking (Armijo) on the samples still moving; tiny predicted decreases are taken whole
        todo &= slope < -1e-24
        for _ls in range(40):
            if not todo.any():
                break
            idx = np.flatnonzero(todo)
            f_new = _lambda(aa[idx], ia[idx], ja[idx], ta[idx] + step[idx, None] * d[idx])
            ok = f_new <= f[idx] + 1e-4 * step[idx] * slope[idx] + 1e-14 * np.abs(f[idx])
            todo[idx[ok]] = False
            step[idx[~ok]] *= 0.5
        move = ~done
        t[active[move]] = ta[move] + step[move, None] * d[move]
        active = active[~done]
    if active.size:
        lam[active] = _lambda(a[active], ii[active], jj[active], t[active])
    return t, lam


def _llsm_logs(a: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """LLSM log-weights of a stack (Kwiesielewicz 1996; Bozoki et al. 2010): Laplacian system, batched."""
    n = a.shape[-1]
    present = ~missing & ~np.eye(n, dtype=bool)
    lap = -present.astype(float)
    lap[:, np.arange(n), np.arange(n)] = present.sum(axis=-1)
    rhs = np.where(present, np.log(np.where(present, a, 1.0)), 0.0).sum(axis=-1)
    return np.linalg.solve(lap + 1.0, rhs[..., None])[..., 0]


def _optimal_batch(a: np.ndarray, missing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Optimal completions (K, n, n) and their lambda_max (K,) of a stack with the same count of missing pairs."""
    k, n, _ = a.shape
    upper = np.triu(missing, 1).reshape(k, -1)
    m = int(upper[0].sum())
    if m == 0:
        return a.copy(), np.linalg.eigvals(a).real.max(axis=-1)
    flat = np.nonzero(upper)[1].reshape(k, m)
    ii, jj = flat // n, flat % n
    base = np.where(missing, 1.0, a)
    lw = _llsm_logs(base, missing)
    kk = np.arange(k)[:, None]
    t0 = lw[kk, ii] - lw[kk, jj]
    t, lam = _minimise(base, ii, jj, t0)
    return _fill(base, ii, jj, t), lam


def _prepared(matrix: object) -> tuple[np.ndarray, np.ndarray]:
    """Validated matrix (reciprocals filled, NaN where missing) and mask; the graph must be connected."""
    mask = ahp.missing_mask(matrix)  # validates: positive, reciprocal, diagonal 1
    groups = ahp.connected_components(matrix)
    if len(groups) > 1:
        raise JudgmentError("matrix: comparison graph is not connected: " + " | ".join(map(str, groups)),
                            expected="a chain of judgments linking every pair of items "
                                     "(Bozoki, Fulop & Ronyai 2010: the optimal completion is then unique)")
    a = ahp.harker_matrix(matrix)  # validated copy with zeros where missing
    a = np.where(mask, np.nan, a)
    a[np.diag_indices_from(a)] = 1.0
    return a, mask


# --------------------------------------------------------------------------- public API
def optimal_completion(matrix: object) -> tuple[np.ndarray, float]:
    """The lambda_max-optimal completion of an incomplete pairwise comparison matrix and its lambda_max.

    Bozoki, S., Fulop, J., & Ronyai, L. (2010). On optimal completion of incomplete pairwise
    comparison matrices. Mathematical and Computer Modelling 52, 318-333: minimise the Perron root
    over the missing entries. With t = log(missing entries) lambda_max is log-convex (Kingman 1961),
    so the minimum is global; it is unique iff the comparison graph is connected (else ValueError).
    Solved by damped Newton steps with the exact gradient and Hessian of the Perron root, started at
    the LLSM completion, until max |d lambda_max / d t| <= 1e-11 (their cyclic coordinates method
    reaches the same optimum, only more slowly). A complete matrix is returned unchanged.
    """
    a, mask = _prepared(matrix)
    full, lam = _optimal_batch(a[None], mask[None])
    return full[0], float(max(lam[0], a.shape[0]))


def _check(completion: str, method: str) -> None:
    if completion not in COMPLETIONS:
        raise JudgmentError("completion: unknown completion", value=completion,
                            expected=" or ".join(repr(c) for c in COMPLETIONS))
    if method not in ahp.METHODS:
        raise JudgmentError("method: unknown priority method", value=method,
                            expected=" or ".join(repr(m) for m in ahp.METHODS))


def completed_weights(matrix: object, completion: Completion = "optimal",
                      method: ahp.Method = "eigenvector") -> np.ndarray:
    """Priorities of a (possibly incomplete) matrix after ``completion`` (no random index computed).

    A complete matrix gives ``ahp.priorities(matrix, method)`` exactly, whatever ``completion``;
    see :func:`completion_weights` for the completions and their sources.
    """
    _check(completion, method)
    a, mask = _prepared(matrix)
    if not mask.any():
        return ahp.priorities(a, method)
    if completion == "optimal":
        full = _optimal_batch(a[None], mask[None])[0][0]
    else:
        full = ahp.complete(matrix, "eigenvector" if completion == "harker" else "geometric").matrix
    return ahp.priorities(full, method)


def completion_weights(matrix: object, completion: Completion = "optimal",
                       method: ahp.Method = "eigenvector",
                       ri_table: str | Sequence[float] = "agoston_csato_2022", *,
                       ri_samples: int | None = None, seed: int | None = None) -> CompletionWeights:
    """Weights, lambda_max and CR of a (possibly incomplete) matrix, naming completion and random index.

    ``completion``: ``"optimal"`` (Bozoki, Fulop & Ronyai 2010), ``"harker"`` (Harker, P. T. (1987).
    Incomplete pairwise comparisons in the AHP. Math. Modelling 9(11), 837-848) or ``"llsm"``
    (Kwiesielewicz 1996; Bozoki et al. 2010). ``method`` is applied to the completed matrix:
    ``"eigenvector"`` (Saaty 1977) or ``"geometric"`` (Crawford & Williams 1985); harker+eigenvector
    gives Harker's weights and llsm+geometric the LLSM weights.
    CR = CI / RI, CI = (lambda_max - n)/(n - 1) with lambda_max of the OPTIMAL completion (as
    Agoston & Csato 2022 define the CR of an incomplete matrix) and RI = :func:`incomplete_random_index`
    ``(n, missing pairs, ri_table, samples=ri_samples, seed=seed)``; a complete-matrix table name of
    ``ahp.RI_TABLES`` (or a custom sequence RI(1), RI(2), ...) ignores the missing pairs. CR = 0 when
    n <= 2 or when the given pairs form a spanning tree (RI = CI = 0). On a complete matrix the
    numbers are those of ``ahp.consistency`` (same lambda_max, same weights).
    """
    _check(completion, method)
    a, mask = _prepared(matrix)
    n = a.shape[0]
    n_missing = int(np.triu(mask, 1).sum())
    if n_missing == 0:
        full, lam = a, (float(ahp.lambda_max(a)) if n > 2 else float(n))  # as ahp.consistency
    else:
        opt, lam_opt = _optimal_batch(a[None], mask[None])
        lam = float(max(lam_opt[0], n))
        if completion == "optimal":
            full = opt[0]
        else:
            full = ahp.complete(matrix, "eigenvector" if completion == "harker" else "geometric").matrix
    w = ahp.priorities(full, method)
    lam_c = lam if (n_missing == 0 or completion == "optimal") else float(max(ahp.lambda_max(full), n))
    ri, source = _ri_and_source(n, n_missing, ri_table, ri_samples, seed)
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    cr = ci / ri if ri > 0 else 0.0
    name = ri_table if isinstance(ri_table, str) else "custom"
    return CompletionWeights(weights=w, matrix=full, completion=completion, method=method, n=n,
                             missing=n_missing, lambda_max=lam, completion_lambda_max=lam_c, ci=ci,
                             ri=ri, ri_table=name, ri_source=source, cr=cr)


def _ri_and_source(n: int, missing: int, table: str | Sequence[float], samples: int | None,
                   seed: int | None) -> tuple[float, str]:
    """RI(n, m) and a sentence naming where it comes from (see :func:`incomplete_random_index`)."""
    if int(n) != n or n < 1:
        raise JudgmentError("n: matrix size must be a positive integer", value=n, expected="n >= 1")
    n = int(n)
    top = max_missing(n)
    if int(missing) != missing or not 0 <= missing <= top:
        raise JudgmentError("missing: number of missing pairs out of range for a connected graph",
                            value=missing, expected=f"an integer 0 .. {top} for n = {n}")
    missing = int(missing)
    if not isinstance(table, str):
        return ahp.random_index(n, table), f"custom complete-matrix table: RI(n={n}), missing pairs ignored"
    if table in ahp.RI_TABLES:
        ri = ahp.random_index(n, table)
        note = f"{table}: complete-matrix RI(n={n}) = {ri:g}" + (
            f", the {missing} missing pair(s) ignored" if missing else "") + f" ({ahp.RI_SOURCES[table]})"
        return ri, note
    if table not in INCOMPLETE_RI_TABLES:
        raise JudgmentError("table: unknown random-index table", value=table,
                            expected="one of " + ", ".join(INCOMPLETE_RI_TABLES + tuple(ahp.RI_TABLES)))
    head = f"agoston_csato_2022 RI(n={n}, missing={missing})"
    if n <= 2 or (missing == top and missing > 0):
        why = "n <= 2" if n <= 2 else "the given pairs form a spanning tree"
        return 0.0, f"{head} = 0: {why}, so CI = 0"
    if missing == 0:
        ri = ahp.random_index(n, "alonso_lamata_2006")
        return ri, (f"{head} = {ri:g}: a complete matrix, Alonso & Lamata (2006) table "
                    f"({ahp.RI_SOURCES['alonso_lamata_2006']})")
    if samples is None and seed is None and (n, missing) in _table.RI_INCOMPLETE:
        ri, se = _table.RI_INCOMPLETE[(n, missing)]
        return ri, (f"{head} = {ri:.4f} (simulated reproduction of Agoston & Csato (2022), Omega 108, 102576, "
                    f"whose published table is not bundled: {_table.SAMPLES:,} samples, seed {_table.SEED}, "
                    f"standard error {se:.4f}, precomputed by {_table.GENERATED_BY})")
    k = int(samples) if samples is not None else RUNTIME_SAMPLES
    sd = int(seed) if seed is not None else DEFAULT_SEED
    ri, se = _cached_ri(n, missing, k, sd)
    why = (f"n = {n} is beyond the precomputed table (n <= {_table.N_MAX}), so simulated at run time: "
           if (n, missing) not in _table.RI_INCOMPLETE else "simulated at run time: ")
    return ri, (f"{head} = {ri:.4f} (simulated reproduction of Agoston & Csato (2022), Omega 108, 102576, "
                f"whose published table is not bundled; {why}{k:,} samples, seed {sd}, standard error {se:.4f})")


def incomplete_random_index_source(n: int, missing: int, table: str | Sequence[float] = "agoston_csato_2022",
                                   *, samples: int | None = None, seed: int | None = None) -> str:
    """The sentence naming where :func:`incomplete_random_index` takes RI(n, m) from."""
    return _ri_and_source(n, missing, table, samples, seed)[1]


def incomplete_random_index(n: int, missing: int, table: str | Sequence[float] = "agoston_csato_2022", *,
                            samples: int | None = None, seed: int | None = None) -> float:
    """Random index RI(n, m) for an n x n matrix with m missing pairs (above the diagonal).

    ``"agoston_csato_2022"``: Agoston, K. Cs., & Csato, L. (2022). Inconsistency thresholds for
    incomplete pairwise comparison matrices. Omega 108, 102576 -- RI(n, m) is the mean CI of the
    lambda_max-optimal completions of random incomplete matrices. THEIR PUBLISHED TABLE IS NOT
    BUNDLED: for m > 0 the value is a seeded reproduction of their procedure, read for n <= 12 from
    the precomputed :mod:`~mcda_qualify.core.ri_incomplete_table` when ``samples`` and ``seed`` are
    left None, otherwise simulated by :func:`simulate_random_index` (``samples``, default
    RUNTIME_SAMPLES = 2,000 beyond the table; ``seed``, default 2022; cached). For m = 0 it is Alonso &
    Lamata's (2006) table, which was estimated by the same procedure on complete matrices.
    m = (n-1)(n-2)/2 (a spanning tree) and n <= 2 give 0. Any name of ``ahp.RI_TABLES`` (e.g.
    ``"saaty_1980"``) or a custom sequence returns that complete-matrix RI(n) whatever m (the
    convention of AHPy and of ``ahp.consistency``). :func:`incomplete_random_index_source` names the source.
    """
    return _ri_and_source(n, missing, table, samples, seed)[0]


@lru_cache(maxsize=256)
def _cached_ri(n: int, missing: int, samples: int, seed: int) -> tuple[float, float]:
    return simulate_random_index(n, missing, samples=samples, seed=seed)


def _connected(present: np.ndarray) -> np.ndarray:
    """Whether each graph of a stack of adjacency matrices (K, n, n) is connected (boolean squaring)."""
    n = present.shape[-1]
    reach = (present | np.eye(n, dtype=bool)).astype(float)
    for _ in range(int(np.ceil(np.log2(max(n, 2))))):
        reach = np.minimum(reach @ reach, 1.0)
    return reach[:, 0, :].all(axis=-1) if n else np.ones(present.shape[0], dtype=bool)


def _random_missing(n: int, missing: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """(k, n, n) symmetric masks of ``missing`` pairs, uniform over those leaving the graph connected."""
    iu = np.triu_indices(n, 1)
    p = iu[0].size
    masks = np.zeros((k, n, n), dtype=bool)
    todo = np.arange(k)
    for _ in range(10_000):
        if todo.size == 0:
            break
        pick = np.argsort(rng.random((todo.size, p)), axis=1)[:, :missing]
        up = np.zeros((todo.size, p), dtype=bool)
        np.put_along_axis(up, pick, True, axis=1)
        m = np.zeros((todo.size, n, n), dtype=bool)
        m[:, iu[0], iu[1]] = up
        m |= np.swapaxes(m, -1, -2)
        ok = _connected(~m & ~np.eye(n, dtype=bool))
        masks[todo[ok]] = m[ok]
        todo = todo[~ok]
    return masks


def simulate_random_index(n: int, missing: int, *, samples: int = 10_000, seed: int = 2022,
                          batch: int = 5_000) -> tuple[float, float]:
    """Monte Carlo RI(n, m) and its standard error, after Agoston & Csato (2022), Omega 108, 102576.

    A REPRODUCTION of their procedure as we read it: each random matrix has its upper-triangle
    entries drawn independently and uniformly from Saaty's 17 values 1/9 .. 1/2, 1, 2 .. 9; ``missing``
    of the n(n-1)/2 pairs are removed uniformly at random among the choices that keep the comparison
    graph connected; the matrix is completed lambda_max-optimally (:func:`optimal_completion`,
    batched) and RI is the mean of CI = (lambda_max - n)/(n - 1). Seeded (``numpy.random.default_rng(seed)``),
    no global random state; computed in batches of ``batch`` matrices.
    """
    if int(n) != n or n < 3:
        raise JudgmentError("n: the random index is simulated for n >= 3", value=n, expected="n >= 3")
    n = int(n)
    if int(missing) != missing or not 0 <= missing <= max_missing(n):
        raise JudgmentError("missing: number of missing pairs out of range for a connected graph",
                            value=missing, expected=f"an integer 0 .. {max_missing(n)} for n = {n}")
    if int(samples) != samples or samples < 2:
        raise JudgmentError("samples: need at least 2 random matrices", value=samples, expected=">= 2")
    rng = np.random.default_rng(seed)
    iu = np.triu_indices(n, 1)
    cis = []
    left = int(samples)
    while left > 0:
        k = min(left, int(batch))
        vals = ahp.SAATY_SCALE[rng.integers(0, ahp.SAATY_SCALE.size, size=(k, iu[0].size))]
        a = np.ones((k, n, n))
        a[:, iu[0], iu[1]] = vals
        a[:, iu[1], iu[0]] = 1.0 / vals
        mask = _random_missing(n, int(missing), k, rng)
        a[mask] = np.nan
        _, lam = _optimal_batch(a, mask)
        cis.append((np.maximum(lam, n) - n) / (n - 1))
        left -= k
    ci = np.concatenate(cis)
    return float(ci.mean()), float(ci.std(ddof=1) / np.sqrt(ci.size))
