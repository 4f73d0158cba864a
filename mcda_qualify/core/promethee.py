"""PROMETHEE II net flows with a preference function and thresholds per criterion.

Brans, J.-P. & Vincke, Ph. (1985). A preference ranking organisation method (The PROMETHEE method
for multiple criteria decision-making). Management Science 31(6), 647-656; the six generalised
criteria also in Brans, Vincke & Mareschal (1986), EJOR 24(2), 228-238.

For criterion j, d = g_j(a) - g_j(b) (sign flipped for a cost criterion) and P_j(d) in [0, 1]:

``usual``     (type I)   0 if d <= 0, else 1
``u-shape``   (type II)  0 if d <= q, else 1                                   (quasi-criterion)
``v-shape``   (type III) 0 if d <= 0, d/p if 0 < d <= p, else 1
``level``     (type IV)  0 if d <= q, 1/2 if q < d <= p, else 1
``linear``    (type V)   0 if d <= q, (d - q)/(p - q) if q < d <= p, else 1   (v-shape with indifference)
``gaussian``  (type VI)  0 if d <= 0, else 1 - exp(-d^2 / (2 s^2))

pi(a, b) = sum_j w_j P_j(a, b) with weights divided by their sum; phi+(a) = sum_b pi(a, b)/(N-1),
phi-(a) = sum_b pi(b, a)/(N-1), net flow phi = phi+ - phi- (larger is better). One alternative:
flows 0.

Because pi is linear in w, phi = F w with the weight-free per-criterion net flows F (N, M); so a
batch of K weight vectors costs one matrix product. F is computed in blocks of rows: each step
holds (block, N) arrays for one criterion, never the (N, N, M) tensor. The block is
``BLOCK_ELEMENTS // N`` rows (at least 1), i.e. about 2**21 float64 values = 16 MiB per temporary,
so 10,000 alternatives need tens of MiB instead of the 9 GB of an (N, N, M) table (issue 11).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mcda_qualify.core._checks import check_matrix, check_types, check_weights, normalise_weights

__all__ = [
    "PREFERENCE_FUNCTIONS",
    "BLOCK_ELEMENTS",
    "preference",
    "criterion_flows",
    "promethee_ii",
    "promethee_flows",
]

#: function name -> thresholds it needs
PREFERENCE_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "usual": (),
    "u-shape": ("q",),
    "v-shape": ("p",),
    "level": ("q", "p"),
    "linear": ("q", "p"),
    "gaussian": ("s",),
}
_ALIASES = {"ushape": "u-shape", "vshape": "v-shape", "vshape_2": "linear", "v-shape-indifference": "linear",
            "quasi": "u-shape", "gauss": "gaussian"}
_ALIASES.update({f"type{i}": name for i, name in enumerate(PREFERENCE_FUNCTIONS, start=1)})

BLOCK_ELEMENTS = 2**21


def preference(d: np.ndarray, function: str, q: float = np.nan, p: float = np.nan, s: float = np.nan) -> np.ndarray:
    """P(d) of one generalised criterion (Brans & Vincke 1985), elementwise on an array of d."""
    d = np.asarray(d, dtype=float)
    if function == "usual":
        return (d > 0).astype(float)
    if function == "u-shape":
        return (d > q).astype(float)
    if function == "v-shape":
        return np.clip(d / p, 0.0, 1.0)
    if function == "level":
        return np.where(d > p, 1.0, np.where(d > q, 0.5, 0.0))
    if function == "linear":
        return np.clip((d - q) / (p - q), 0.0, 1.0)
    if function == "gaussian":
        return np.where(d > 0, -np.expm1(-(d * d) / (2.0 * s * s)), 0.0)
    raise ValueError(f"unknown preference function {function!r}; expected one of {sorted(PREFERENCE_FUNCTIONS)}")


def _per_criterion(values, m: int, name: str) -> np.ndarray:
    if values is None:
        return np.full(m, np.nan)
    a = np.array([np.nan if v is None else v for v in np.atleast_1d(np.asarray(values, dtype=object))], dtype=float)
    if a.size == 1:
        a = np.full(m, a[0])
    if a.shape != (m,):
        raise ValueError(f"{name} must be a number or a sequence of length M = {m}; got {a.size} values")
    return a


def _functions(functions: str | Sequence[str], m: int) -> list[str]:
    fs = [functions] * m if isinstance(functions, str) else list(functions)
    if len(fs) != m:
        raise ValueError(f"functions must be a name or a sequence of length M = {m}; got {len(fs)}")
    out = []
    for f in fs:
        key = _ALIASES.get(str(f).lower(), str(f).lower())
        if key not in PREFERENCE_FUNCTIONS:
            raise ValueError(f"functions: unknown preference function {f!r}; expected one of {sorted(PREFERENCE_FUNCTIONS)}")
        out.append(key)
    return out


def _check_thresholds(fs: list[str], q: np.ndarray, p: np.ndarray, s: np.ndarray) -> None:
    given = {"q": q, "p": p, "s": s}
    for j, f in enumerate(fs):
        for k in PREFERENCE_FUNCTIONS[f]:
            if not np.isfinite(given[k][j]):
                raise ValueError(f"{k}: criterion {j} uses the {f!r} preference function and needs a finite {k}")
        if "q" in PREFERENCE_FUNCTIONS[f] and q[j] < 0:
            raise ValueError(f"q: criterion {j} has a negative indifference threshold {q[j]}")
        if "p" in PREFERENCE_FUNCTIONS[f] and p[j] <= 0:
            raise ValueError(f"p: criterion {j} needs a positive preference threshold; got {p[j]}")
        if f in ("level", "linear") and not q[j] < p[j]:
            raise ValueError(f"p: criterion {j} ({f!r}) needs q < p; got q={q[j]}, p={p[j]}")
        if f == "gaussian" and s[j] <= 0:
            raise ValueError(f"s: criterion {j} needs a positive Gaussian parameter; got {s[j]}")


def criterion_flows(
    matrix: np.ndarray,
    types: np.ndarray,
    functions: str | Sequence[str] = "usual",
    q=None,
    p=None,
    s=None,
    block_rows: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Weight-free per-criterion flows (F+, F-), each (N, M): F+_ij = sum_b P_j(a_i, b)/(N-1).

    ``functions``: one name for all criteria or one per criterion; ``q``, ``p``, ``s``: a number or
    one value per criterion (None/NaN where that criterion's function does not use it).
    """
    x = check_matrix(matrix)
    n, m = x.shape
    t = check_types(types, m)
    fs = _functions(functions, m)
    qa, pa, sa = (_per_criterion(v, m, k) for v, k in ((q, "q"), (p, "p"), (s, "s")))
    _check_thresholds(fs, qa, pa, sa)
    if block_rows is None:
        block_rows = max(1, BLOCK_ELEMENTS // n)
    if int(block_rows) < 1:
        raise ValueError(f"block_rows must be >= 1; got {block_rows!r}")
    block_rows = int(block_rows)
    g = x * t  # a cost criterion becomes a benefit one: d = -(x_a - x_b)
    fplus, fminus = np.zeros((n, m)), np.zeros((n, m))
    if n == 1:
        return fplus, fminus
    for j, f in enumerate(fs):
        col = g[:, j]
        for lo in range(0, n, block_rows):
            pref = preference(col[lo:lo + block_rows, None] - col[None, :], f, qa[j], pa[j], sa[j])
            fplus[lo:lo + block_rows, j] = pref.sum(axis=1)  # a in the block preferred to every b
            fminus[:, j] += pref.sum(axis=0)                  # every b beaten by the block's rows
    return fplus / (n - 1), fminus / (n - 1)


def promethee_flows(
    matrix, weights, types, functions="usual", q=None, p=None, s=None, block_rows=None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(phi+, phi-, phi) of PROMETHEE I/II; weights (M,) -> (N,) each, (K, M) -> (K, N)."""
    w = normalise_weights(check_weights(weights, check_matrix(matrix).shape[1]))
    fplus, fminus = criterion_flows(matrix, types, functions, q, p, s, block_rows)
    plus, minus = w @ fplus.T, w @ fminus.T
    return plus, minus, plus - minus


def promethee_ii(
    matrix, weights, types, functions="usual", q=None, p=None, s=None, block_rows=None
) -> np.ndarray:
    """PROMETHEE II net flow phi (larger is better); see the module docstring."""
    return promethee_flows(matrix, weights, types, functions, q, p, s, block_rows)[2]
