"""AHP for groups and hierarchies: aggregation of individual judgments (AIJ) and priorities (AIP) (Forman & Peniwati 1998, EJOR 108, 165-169), consensus (Goepel 2013), disagreements, global weights of a hierarchy."""
from __future__ import annotations

from collections.abc import Hashable, Mapping
from itertools import combinations
from typing import Literal
import numpy as np
from mcda_qualify.errors import JudgmentError
from .ahp import Disagreement, _normalise_weights, _prepare


# --------------------------------------------------------------------------- groups
def _judge_weights(judge_weights: object | None, k: int) -> np.ndarray:
    if judge_weights is None:
        return np.full(k, 1.0 / k)
    return _normalise_weights(judge_weights, k, what="judge weights")


def _stack(matrices: object) -> tuple[np.ndarray, np.ndarray]:
    mats = [m for m in matrices] if not isinstance(matrices, np.ndarray) else list(matrices)
    if not mats:
        raise JudgmentError("no judges given", expected="at least one judgment matrix")
    prepared = [_prepare(m, allow_missing=True) for m in mats]
    shapes = {p[0].shape for p in prepared}
    if len(shapes) > 1:
        raise JudgmentError("judges' matrices differ in size", value=sorted(shapes),
                            expected="matrices of one size (n, n)")
    return np.stack([p[0] for p in prepared]), np.stack([p[1] for p in prepared])


def aggregate_judgments(matrices: object, judge_weights: object | None = None) -> np.ndarray:
    """AIJ: weighted geometric mean of the judges' matrices, a_ij = prod_k a_ij,k ^ v_k.

    Forman, E., & Peniwati, K. (1998). Aggregating individual judgments and priorities with the
    AHP. EJOR 108, 165-169. Where some judges left a pair out, the mean runs over those who gave
    it (their weights renormalised); NaN where nobody did.
    """
    a, missing = _stack(matrices)
    v = _judge_weights(judge_weights, a.shape[0])
    present = ~missing
    vw = v[:, None, None] * present
    total = vw.sum(axis=0)
    logs = np.where(present, np.log(np.where(present, a, 1.0)), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        agg = np.exp((vw * logs).sum(axis=0) / total)
    agg[total == 0] = np.nan
    return agg


def aggregate_priorities(weights: object, judge_weights: object | None = None,
                         mean: Literal["arithmetic", "geometric"] = "arithmetic") -> np.ndarray:
    """AIP: weighted arithmetic or geometric mean of the judges' priority vectors, normalised to sum 1.

    Forman & Peniwati (1998), EJOR 108, 165-169 (either mean is admissible for AIP).
    """
    w = np.array(weights, dtype=float)
    if w.ndim != 2 or w.shape[0] == 0:
        raise JudgmentError("priorities must be a (judges, items) array", value=w.shape, expected="(K, n)")
    if not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise JudgmentError("priorities must be positive and finite", expected="positive finite numbers")
    v = _judge_weights(judge_weights, w.shape[0])
    if mean == "arithmetic":
        out = v @ (w / w.sum(axis=1, keepdims=True))
    elif mean == "geometric":
        out = np.exp(v @ np.log(w))
    else:
        raise JudgmentError("unknown mean", value=mean, expected="'arithmetic' or 'geometric'")
    return out / out.sum()


def _entropy(p: np.ndarray) -> np.ndarray:
    return -np.sum(p * np.log(p), axis=-1)


def consensus_indicator(weights: object, judge_weights: object | None = None,
                        scale_max: float = 9.0) -> float:
    """Goepel's AHP consensus indicator S* in [0, 1] (1 = identical priorities).

    Goepel, K. D. (2013). Implementing the AHP as a standard method for MCDM in corporate
    enterprises - a new AHP Excel template with multiple inputs. Proc. ISAHP 2013; correction term
    as in Goepel, K. D. (2018). Implementation of an online software tool for the AHP (AHP-OS).
    IJAHP 10(3), 469-487. H_alpha = mean Shannon entropy of the judges' priorities, H_gamma = entropy
    of their mean, M = 1 / exp(H_gamma - H_alpha), c = exp(H_alpha,min) / n with
    H_alpha,min the entropy of (M_s, 1, ..., 1) / (n + M_s - 1), M_s = ``scale_max``;
    S* = (M - c) / (1 - c). Judge weights (an extension) replace the plain means by weighted means.
    """
    w = np.array(weights, dtype=float)
    if w.ndim != 2 or w.shape[0] == 0:
        raise JudgmentError("priorities must be a (judges, items) array", value=w.shape, expected="(K, n)")
    if not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise JudgmentError("priorities must be positive and finite", expected="positive finite numbers")
    k, n = w.shape
    if k == 1 or n == 1:
        return 1.0
    w = w / w.sum(axis=1, keepdims=True)
    v = _judge_weights(judge_weights, k)
    h_alpha = float(v @ _entropy(w))
    h_gamma = float(_entropy(v @ w))
    m = float(np.exp(-(h_gamma - h_alpha)))
    pmin = np.array([scale_max] + [1.0] * (n - 1)) / (n + scale_max - 1)
    c = float(np.exp(_entropy(pmin))) / n
    return (m - c) / (1 - c)


def disagreements(matrices: object, judge_weights: object | None = None, top: int | None = None,
                  tol: float = 1e-12) -> list[Disagreement]:
    """Pairs on which the judges disagree most: weighted standard deviation of ln a_ij, largest first.

    The log scale is the one AIJ averages on (Forman & Peniwati 1998); only pairs given by at
    least two judges and with a spread above ``tol`` are listed.
    """
    a, missing = _stack(matrices)
    k, n, _ = a.shape
    v = _judge_weights(judge_weights, k)
    out = []
    for i, j in combinations(range(n), 2):
        have = ~missing[:, i, j]
        if have.sum() < 2:
            continue
        x = np.log(a[have, i, j])
        vv = v[have] / v[have].sum()
        mu = vv @ x
        sd = float(np.sqrt(vv @ (x - mu) ** 2))
        if sd > tol:
            vals = tuple(float(a[q, i, j]) if have[q] else float("nan") for q in range(k))
            out.append(Disagreement(i=i, j=j, log_sd=sd, values=vals))
    out.sort(key=lambda d: -d.log_sd)
    return out if top is None else out[:top]


# --------------------------------------------------------------------------- hierarchy
def global_weights(local: Mapping[Hashable, Mapping[Hashable, float]], root: Hashable,
                   include_internal: bool = False) -> dict[Hashable, float]:
    """Global weight of each leaf = its local weight times its parent's global weight (Saaty 1980).

    ``local`` maps a parent node to ``{child: local weight}`` (local weights sum to 1, within 1e-9);
    nodes that are not keys of ``local`` are leaves. Leaves come out in depth-first order.
    """
    out: dict[Hashable, float] = {}
    path: list[Hashable] = []

    def walk(node: Hashable, g: float) -> None:
        if node in path:
            raise JudgmentError("hierarchy has a cycle", value=[*path, node], expected="a tree")
        children = local.get(node)
        if children is None:
            if node in out:
                raise JudgmentError("a leaf appears twice in the hierarchy", value=node,
                                    expected="each leaf under one parent")
            out[node] = g
            return
        total = float(sum(children.values()))
        if abs(total - 1) > 1e-9:
            raise JudgmentError(f"local weights under {node!r} do not sum to 1", value=total,
                                expected="local priorities summing to 1")
        if include_internal and node != root:
            out[node] = g
        path.append(node)
        for child, lw in children.items():
            walk(child, g * float(lw))
        path.pop()

    if root not in local:
        raise JudgmentError("root of the hierarchy has no local weights", value=root,
                            expected="a key of the local-weights mapping")
    walk(root, 1.0)
    return out
