"""Comparing opportunities and methods (labelled): method comparison with rank correlations, what it takes for an opportunity to reach a rank, head to head, profiles."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence
import numpy as np
import pandas as pd
from .core import methods as core
from .core import batch, improvement
from .errors import InputError
from .portfolio import Portfolio
from .qualify import passes_gate
from .ranking import available_methods, rank
from .sensitivity import Weights, _setup


# ---------------------------------------------------------------------------------------------
# method comparison
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MethodComparison:
    """Ranks and scores by several methods side by side (index id, one column per method) and rank
    correlation matrices (methods x methods) by name: ``rs`` (Spearman), ``rw`` (weighted Spearman,
    Pinto da Costa & Soares 2005), ``ws`` (WS similarity, Salabun & Urbaniak 2020; asymmetric: the row
    method is the reference ranking), all from :mod:`pymcdm.correlations`."""

    ranks: pd.DataFrame
    scores: pd.DataFrame
    better: dict[str, str]
    correlations: dict[str, pd.DataFrame]
    #: methods left out because they cannot score this table (method -> the reason), when every method was asked
    skipped: dict[str, str] = field(default_factory=dict)


def method_comparison(portfolio: Portfolio, methods: Sequence[str] | None = None, weights: Weights = None, *,
                      normalization: str = "vector", exclude: Sequence[str] = (), **opts: Any) -> MethodComparison:
    """Rank the portfolio with each method (:func:`mcda_qualify.ranking.rank`) and correlate the rankings.

    ``methods`` defaults to every available method; then a method that cannot score this table (e.g. AHP
    ratings with a numeric criterion that has no bounds, WPM with a zero) is left out and named in
    ``skipped`` with the reason. Methods named in ``methods`` must all work. Ties share a rank
    (competition ranking).
    """
    from pymcdm import correlations as pc

    ms = list(available_methods() if methods is None else methods)
    if len(ms) < 2:
        raise InputError("a comparison needs at least two methods", value=ms,
                         expected=f"two or more of {', '.join(available_methods())}")
    index = pd.Index(portfolio.ids, name="id")
    ranks, scores, better, skipped = {}, {}, {}, {}
    for m in ms:
        try:
            r = rank(portfolio, weights, m, normalization=normalization, exclude=exclude, **opts)
        except InputError as exc:
            if methods is not None:
                raise
            skipped[m] = str(exc)
            continue
        ranks[r.method] = r.table["rank"].to_numpy()
        scores[r.method] = r.table["score"].to_numpy()
        better[r.method] = r.better
    names = list(ranks)
    if len(names) < 2:
        raise InputError("fewer than two methods can score this table", value=sorted(skipped),
                         expected="; ".join(f"{m}: {why}" for m, why in skipped.items()))
    funcs = {"rs": pc.rs, "rw": pc.rw, "ws": pc.ws}
    corr = {}
    for key, f in funcs.items():
        mat = np.array([[float(f(ranks[a].astype(float), ranks[b].astype(float))) for b in names] for a in names])
        corr[key] = pd.DataFrame(mat, index=pd.Index(names, name="method"), columns=pd.Index(names, name="method"))
    return MethodComparison(pd.DataFrame(ranks, index=index), pd.DataFrame(scores, index=index), better, corr,
                            skipped)


# ---------------------------------------------------------------------------------------------
# what it takes
# ---------------------------------------------------------------------------------------------


def what_it_takes(portfolio: Portfolio, opportunity: str, weights: Weights = None, *, method: str = "topsis",
                  normalization: str = "vector", threshold: float | None = None,
                  criteria: Sequence[str] | None = None, steps: int = 200,
                  exclude: Sequence[str] = ()) -> pd.DataFrame:
    """The smallest single-criterion improvement that lifts ``opportunity`` one place (``one_place``),
    to the top (``top``) or to the qualification threshold (``qualified``).

    Scale criteria move level by level (``steps_needed`` counts levels); numeric criteria move towards
    the best end of their bounds (or the best value in the table when they have none) on a grid of
    ``steps`` points, then the crossing is narrowed to 1e-9 of that span. Every candidate value
    re-normalises the whole table (batched). ``threshold`` defaults to the criteria file's ``qualified``
    for TOPSIS (no qualification target for WSM unless given). ``gates_pass`` says whether the
    opportunity passes every gate with the new value (a failed gate is never outweighed).
    Rows sorted by target, then by the share of the criterion's range the change needs. The question
    is Triantaphyllou & Sanchez's (1997) critical measure of performance, answered by direct search.
    """
    s = _setup(portfolio, weights, method, normalization, exclude)
    if opportunity not in portfolio.ids:
        raise InputError("unknown opportunity", value=opportunity, expected=f"one of {', '.join(portfolio.ids)}")
    i = portfolio.ids.index(opportunity)
    if threshold is None and s.method == "topsis":
        threshold = portfolio.criteria.qualification.qualified
    use = s.criteria if criteria is None else list(criteria)
    rows = []
    for cid in use:
        j = s.crit(cid)
        c = portfolio.criteria[cid]
        x0 = float(s.matrix[i, j])
        col = s.matrix[:, j]
        up = c.direction == "benefit"
        if c.scale is not None:
            levels = np.array(sorted(c.scale), dtype=float)
            cand = levels[levels > x0] if up else levels[levels < x0][::-1]
            continuous = False
            lo, hi = float(levels.min()), float(levels.max())
        else:
            if c.bounds is not None:
                lo, hi = c.bounds
            else:
                lo, hi = float(col.min()), float(col.max())
            best = hi if up else lo
            cand = np.linspace(x0, best, int(steps) + 1)[1:] if (best - x0) * (1 if up else -1) > 0 else np.empty(0)
            continuous = True
        if s.method == "wsm":
            cand = cand[cand > 0]
        found = improvement.smallest_improvement(s.matrix, s.weights, s.types, i, j, cand, continuous=continuous,
                                        threshold=threshold, method=s.method, normalization=s.normalization)
        span = hi - lo
        others = [(k, float(portfolio.matrix[i, k])) for k, cc in enumerate(portfolio.criteria.criteria) if cc.id != cid]
        gates_other = all(passes_gate(portfolio.criteria.criteria[k], v) for k, v in others)
        for key, imp in found.items():
            target = "qualified" if key == "threshold" else key
            change = None if imp.value is None else imp.value - x0
            steps_needed = None
            if c.scale is not None and imp.value is not None:
                lv = sorted(c.scale)
                steps_needed = abs(lv.index(int(imp.value)) - lv.index(int(x0)))
            rows.append({
                "criterion": cid,
                "target": target,
                "current": x0,
                "current_label": c.describe(x0),
                "needed": imp.value,
                "needed_label": None if imp.value is None else c.describe(imp.value),
                "change": change,
                "steps_needed": steps_needed,
                "share_of_range": None if change is None or span <= 0 else abs(change) / span,
                "new_score": imp.score,
                "new_rank": imp.rank,
                "reachable": imp.value is not None,
                "already": imp.already,
                "gates_pass": None if imp.value is None else bool(gates_other and passes_gate(c, imp.value)),
            })
    order = {"one_place": 0, "top": 1, "qualified": 2}
    out = pd.DataFrame(rows, columns=["criterion", "target", "current", "current_label", "needed", "needed_label",
                                      "change", "steps_needed", "share_of_range", "new_score", "new_rank",
                                      "reachable", "already", "gates_pass"])
    out["_t"] = out["target"].map(order)
    out["_s"] = out["share_of_range"].astype(float).fillna(np.inf)
    out = out.sort_values(["_t", "_s", "criterion"], kind="stable").drop(columns=["_t", "_s"]).reset_index(drop=True)
    out.attrs = {}
    return out


# ---------------------------------------------------------------------------------------------
# profiles for figures
# ---------------------------------------------------------------------------------------------


def head_to_head(portfolio: Portfolio, a: str, b: str, weights: Weights = None, *, method: str = "topsis",
                 normalization: str = "vector", exclude: Sequence[str] = ()) -> pd.DataFrame:
    """Two opportunities criterion by criterion: raw values (and labels), normalised values in benefit
    form (TOPSIS normalisation, or WSM's sum normalisation) and weighted normalised values w_j r_ij
    ("contribution"). Columns: a, b (the two ids), criterion, name, weight, value_a, value_b, label_a, label_b,
    normalized_a, normalized_b, contribution_a, contribution_b, ahead ('a', 'b' or 'tie')."""
    s = _setup(portfolio, weights, method, normalization, exclude)
    for o in (a, b):
        if o not in portfolio.ids:
            raise InputError("unknown opportunity", value=o, expected=f"one of {', '.join(portfolio.ids)}")
    ia, ib = portfolio.ids.index(a), portfolio.ids.index(b)
    if s.method == "topsis":
        r = core.normalize(s.matrix, s.types, s.normalization)
    else:
        r = batch.sum_normalize(s.matrix, s.types)
    crit = [portfolio.criteria[c] for c in s.criteria]
    diff = r[ia] - r[ib]
    return pd.DataFrame({
        "a": a,
        "b": b,
        "criterion": s.criteria,
        "name": [c.name for c in crit],
        "weight": s.weights,
        "value_a": s.matrix[ia],
        "value_b": s.matrix[ib],
        "label_a": [c.describe(v) for c, v in zip(crit, s.matrix[ia])],
        "label_b": [c.describe(v) for c, v in zip(crit, s.matrix[ib])],
        "normalized_a": r[ia],
        "normalized_b": r[ib],
        "contribution_a": s.weights * r[ia],
        "contribution_b": s.weights * r[ib],
        "ahead": np.where(np.isclose(diff, 0, atol=1e-12), "tie", np.where(diff > 0, "a", "b")),
    })


def profiles(portfolio: Portfolio, ids: Sequence[str] | None = None, *, basis: str = "data",
             exclude: Sequence[str] = ()) -> pd.DataFrame:
    """Opportunity profiles in [0, 1], benefit form (1 = best), for radar charts: index id, columns criteria.

    ``basis="data"``: min-max over the table's values; ``"bounds"``: over each criterion's scale or
    bounds (the data range where a criterion has neither). A constant column gives 1.
    """
    if basis not in ("data", "bounds"):
        raise InputError("unknown profile basis", value=basis, expected="'data' or 'bounds'")
    crit = [c for c in portfolio.criteria.criteria if c.id not in exclude]
    pick = list(portfolio.ids) if ids is None else list(ids)
    for o in pick:
        if o not in portfolio.ids:
            raise InputError("unknown opportunity", value=o, expected=f"one of {', '.join(portfolio.ids)}")
    rows = [portfolio.ids.index(o) for o in pick]
    out = {}
    for c in crit:
        col = portfolio.matrix[:, portfolio.criteria.ids.index(c.id)]
        lo, hi = (c.bounds if basis == "bounds" and c.bounds is not None else (float(col.min()), float(col.max())))
        v = (col[rows] - lo) / (hi - lo) if hi > lo else np.ones(len(rows))
        out[c.id] = v if c.direction == "benefit" else 1.0 - v
    return pd.DataFrame(out, index=pd.Index(pick, name="id"))
