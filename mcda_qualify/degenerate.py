"""Valid but degenerate decisions, explained (issue 17): ties, constant criteria, one criterion, too few
opportunities, opportunities that never rank first in SMAA, samples that all agree.

Labelled layer. Nothing here refuses input: every case gets a defined result and a note in words.
The meanings (docs/sensitivity.md, "Degenerate cases"):

* a reversal point at the current weight (``at_current_weight``): the pair is tied now; the change
  that reaches it is 0 and any change of that weight, however small, puts one of the two ahead;
* a stability interval that is a single point [w, w]: the current ranking, with its tie, holds only
  at exactly this weight;
* a critical criterion with ``change_pct`` 0 (``tied_now``): its sensitivity coefficient 1 / 0 is
  infinite and is given as null with a ``note``; a criterion whose weight alone never reverses a
  pair has ``pa_change_pct`` null (no change reaches a reversal) and sensitivity 0;
* relative changes are always finite: weights in use are > 0 (a zero weight is an exclusion) and
  reversal points lie strictly inside (0, 1);
* SMAA: an opportunity that never ranks first has no central weight vector (null) and an undefined
  confidence factor (null), with the reason in ``confidence_notes``; when every sample gives the same
  ranking the acceptabilities are 0 or 1 and a note says so.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .core import batch, reversal
from .errors import InputError
from .portfolio import Portfolio
from .ranking import MAX_TIE_NOTES, Ranking, identical_groups, named_ids as _and, tie_groups

__all__ = ["AT_CURRENT_TOL", "reversals_or_none", "too_few_summary", "explain_summary", "confidence_notes",
           "dominating", "identical_groups", "stability_notes"]

#: a reversal point this close to the current weight is "at the current weight" (a tie now)
AT_CURRENT_TOL = 1e-9
NEVER_FIRST = "never ranks first in any sample: no central weight vector, so its confidence factor is undefined"


def reversals_or_none(matrix: np.ndarray, weights: np.ndarray, types: np.ndarray, cols: Sequence[int] | None,
                      method: str, normalization: str, grid: int) -> reversal.Reversals:
    """Reversal points of every criterion's sweep; none with one criterion (its weight is always 1)."""
    if np.asarray(matrix).shape[1] < 2:
        return reversal.Reversals.empty()
    return reversal.reversal_points(matrix, weights, types, cols, method=method, normalization=normalization,
                                    grid=grid)


def dominating(matrix: np.ndarray, types: np.ndarray) -> list[int]:
    """Opportunities at least as good as every other on every criterion and better on one against each."""
    x = np.asarray(matrix, dtype=float) * np.where(np.asarray(types) < 0, -1.0, 1.0)
    n = x.shape[0]
    out = []
    for i in range(n):
        others = np.delete(np.arange(n), i)
        if others.size and np.all(x[i] >= x[others]) and np.all(np.any(x[i] > x[others], axis=1)):
            out.append(i)
    return out


def confidence_notes(first_rank: np.ndarray) -> list[str | None]:
    """Per opportunity, why its SMAA confidence is undefined (None when it is defined)."""
    return [NEVER_FIRST if f <= 0 else None for f in np.asarray(first_rank)]


def too_few_summary(portfolio: Portfolio, weights: Any, method: str, normalization: str,
                    exclude: Sequence[str]) -> dict[str, Any]:
    """The sensitivity summary of fewer than two opportunities: nothing to compare, nothing can reverse."""
    from .weights import resolve_weights

    m = str(method).lower().replace("-", "_")
    if m not in batch.SENSITIVITY_METHODS:
        raise InputError("method not supported by the sensitivity analysis", value=method,
                         expected=f"one of {', '.join(batch.SENSITIVITY_METHODS)}")
    crit = portfolio.criteria
    w = resolve_weights(crit, weights, exclude=exclude)
    n = len(portfolio)
    note = (f"one opportunity ({portfolio.ids[0]}): nothing to compare it with, so no weight can change its place"
            if n == 1 else "no opportunity to analyse (for example none passes every gate)")
    return {
        "method": m, "normalization": normalization if m == "topsis" else None,
        "weights": {c: float(w[j]) for j, c in enumerate(crit.ids) if c not in exclude},
        "top": portfolio.ids[0] if n == 1 else None, "opportunities": n, "ties": [], "tied_for_first": [],
        "stability_intervals": {}, "top_stability_intervals": {}, "reversal_points": {},
        "critical_criterion": {"pt": None, "pa": None, "criteria": {},
                               "source": "Triantaphyllou & Sanchez (1997), Decision Sciences 28(1), 151-194"},
        "notes": [note],
    }


def explain_summary(out: dict[str, Any], portfolio: Portfolio, ranking: Ranking, matrix: np.ndarray,
                    types: np.ndarray, criteria: list[str]) -> dict[str, Any]:
    """Add to a sensitivity summary what its degenerate values mean: ties, single-point intervals,
    reversals at the current weight, undefined sensitivities and SMAA indices, in keys and in ``notes``."""
    ids = list(portfolio.ids)
    notes = list(ranking.notes)
    groups = tie_groups(ranking)
    ranks = dict(zip(ranking.table["id"], ranking.table["rank"]))
    first = next((g for g in groups if ranks[g[0]] == 1), [])
    out["opportunities"] = len(ids)
    out["ties"] = groups
    out["tied_for_first"] = first
    if first:
        notes.append(f"'top' is {first[0]}, the first in input order of {_and(first)}, which tie for first place "
                     "at the current weights")
    w = out["weights"]
    if len(criteria) == 1:
        notes.append(f"one criterion in use ({criteria[0]}): its weight is always 1, so no weight change can alter "
                     "the ranking; the weight analyses have nothing to vary and every SMAA sample agrees")
    for c, pts in out["reversal_points"].items():
        for p in pts:
            d = (p["weight"] - w[c]) / (1.0 - p["weight"])
            p["change"], p["change_pct"] = float(d), float(100.0 * d / w[c])
            p["at_current_weight"] = bool(abs(p["weight"] - w[c]) <= AT_CURRENT_TOL)
        now = [f"{p['a']} and {p['b']}" for p in pts if p["at_current_weight"]]
        lo, hi = out["stability_intervals"][c]
        if now and hi - lo <= AT_CURRENT_TOL:
            notes.append(f"{c}: the ranking holds only at its current weight {w[c]:.3f} (a single-point stability "
                         f"interval): {'; '.join(now)} tie there, and any change of this weight puts one of them ahead")
    x = np.asarray(matrix)
    if len(criteria) > 1:
        for j, c in enumerate(criteria):
            if np.all(x[:, j] == x[0, j]):
                notes.append(f"{c}: the same value for every opportunity, so its weight only rescales the others: no "
                             "reversal below weight 1 (at weight 1 nothing else counts and every opportunity ties)")
    cc = out["critical_criterion"]
    for kind in ("pt", "pa"):
        e = cc.get(kind)
        if e:
            e["tied_now"] = bool(e["change_pct"] is not None and abs(e["change_pct"]) <= 1e-7)
    for c, e in cc["criteria"].items():
        if e["sensitivity"] is None:
            e["note"] = ("infinite sensitivity: a pair is tied at the current weights (criticality 0), so any change "
                         "of this weight reorders it")
        elif e["pa_change_pct"] is None:
            e["note"] = "no change of this weight alone reverses any pair (sensitivity 0)"
    dom = dominating(x, types)
    if dom:
        notes.append(f"{ids[dom[0]]} dominates every other opportunity (at least as good on every criterion in use, "
                     "better on one): it ranks first under any weights")
    if "rank_acceptability" in out:
        acc = np.array([out["rank_acceptability"][o] for o in ids])
        out["confidence_notes"] = {o: r for o, r in zip(ids, confidence_notes(acc[:, 0])) if r}
        never = list(out["confidence_notes"])
        if never:
            notes.append(f"SMAA: {_and(never)} never rank{'s' if len(never) == 1 else ''} first in any sample: no "
                         "central weight vector, so the confidence factor is undefined (null)")
        if np.all(np.isclose(acc.max(axis=1), 1.0)):
            notes.append("SMAA: every sample gives the same ranking, so the acceptabilities are 0 or 1 and their "
                         "standard errors 0")
        same = identical_groups(x, ids)
        for g in same[:MAX_TIE_NOTES]:
            notes.append(f"SMAA: {_and(g)} tie in every sample; tied opportunities are ranked in input order, so read "
                         "their acceptabilities together")
        if len(same) > MAX_TIE_NOTES:
            notes.append(f"SMAA: ... and {len(same) - MAX_TIE_NOTES:,} more groups of opportunities that tie in every sample")
    out["notes"] = notes
    return out


def stability_notes(stability: Any) -> list[str]:
    """Words for the single-point intervals of a :func:`~mcda_qualify.sensitivity.stability_intervals` frame."""
    out = []
    for r in stability.to_dict("records"):
        if r["ranking_hi"] - r["ranking_lo"] <= AT_CURRENT_TOL:
            out.append(f"{r['criterion']}: the ranking holds only at its current weight {r['weight']:.3f}: opportunities "
                       "tie there, and any change of this weight puts one of them ahead")
    return out
