"""AHP as a ranking method (labelled layer): ratings (absolute measurement) and relative mode.

Ratings mode (Saaty 1986, Socio-Economic Planning Sciences 20(6), 327-331; Saaty 2008): every
criterion's levels get priorities, ideal-normalised (best level = 1), and an opportunity's score is
sum_j w_j p_j(level_ij) with weights summing to 1, so a score of 1 means the best level everywhere.
Each opportunity is rated on its own: adding or removing one never changes another's score.

Level priorities, a visible choice:

* scale criteria: ``level_priorities={criterion: [p_worst, ..., p_best]}`` (e.g. from judgments
  between the levels via :func:`mcda_qualify.ahp.priorities`), else the default
  :func:`mcda_qualify.ahp.linear_level_priorities`: rank / L (on a 1-5 scale 0.2, 0.4, ..., 1).
* numeric criteria (a unit and bounds): the continuous form of the same default,
  p = 1/L + (1 - 1/L) u with u the linear utility between the bounds (u = 0 at the worst bound,
  1 at the best) and L = 5, so the worst bound rates 0.2 like the worst level of a 1-5 scale.

Relative mode (Saaty 1980): pairwise matrices of the opportunities under each criterion give local
priorities (distributive mode, or ideal mode), combined with the criterion weights.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np


from .core import ahp_ratings as ratings_core
from .errors import InputError
from .portfolio import Portfolio

__all__ = ["ahp_ratings", "ahp_relative", "NUMERIC_LEVELS"]

#: the number of levels whose linear default the continuous rating of numeric criteria follows
NUMERIC_LEVELS = 5


def _criterion_rating(portfolio: Portfolio, j: int, given: Sequence[float] | None) -> np.ndarray:
    c = portfolio.criteria.criteria[j]
    x = portfolio.matrix[:, j]
    if c.scale is not None:
        levels = sorted(c.scale)
        ordered = levels if c.direction == "benefit" else levels[::-1]  # worst first
        if given is None:
            p = ratings_core.linear_level_priorities(len(levels))
        else:
            p = np.asarray(given, dtype=float)
            if p.shape != (len(levels),) or not np.all(np.isfinite(p)) or np.any(p <= 0):
                raise InputError("level priorities must be positive, one per level, worst level first",
                                 column=c.id, value=list(np.ravel(p)), has_value=True,
                                 expected=f"{len(levels)} positive numbers for {[c.scale[k].label for k in ordered]}")
            p = ratings_core.ideal(p)
        index = {lv: i for i, lv in enumerate(ordered)}
        return p[[index[int(v)] for v in x]]
    if given is not None:
        raise InputError("level priorities apply to criteria with a scale", column=c.id,
                         expected="a criterion with 'scale' levels (numeric criteria are rated linearly between their bounds)")
    if c.bounds is None:
        raise InputError("AHP ratings need bounds for a numeric criterion", column=c.id,
                         file=portfolio.criteria.source, expected="'bounds: [low, high]' in the criteria file")
    lo, hi = c.bounds
    u = (x - lo) / (hi - lo) if c.direction == "benefit" else (hi - x) / (hi - lo)
    base = 1.0 / NUMERIC_LEVELS
    return base + (1.0 - base) * u


def ahp_ratings(
    portfolio: Portfolio,
    weights: np.ndarray,
    columns: Sequence[int],
    *,
    level_priorities: Mapping[str, Sequence[float]] | None = None,
) -> np.ndarray:
    """Ratings-mode scores (N,) of the used ``columns`` with ``weights`` (their own, summing to 1)."""
    given = dict(level_priorities or {})
    unknown = [k for k in given if k not in portfolio.criteria.ids]
    if unknown:
        raise InputError("level priorities for an unknown criterion", value=unknown[0],
                         expected=f"one of {', '.join(portfolio.criteria.ids)}")
    ratings = np.column_stack([_criterion_rating(portfolio, j, given.get(portfolio.criteria.ids[j])) for j in columns])
    w = np.asarray(weights, dtype=float)
    return ratings @ (w / w.sum())


def ahp_relative(
    portfolio: Portfolio,
    weights: np.ndarray,
    columns: Sequence[int],
    *,
    comparisons: Mapping[str, Any],
    mode: str = "distributive",
    priority_method: str = "eigenvector",
) -> np.ndarray:
    """Relative-mode scores: ``comparisons`` maps each used criterion to pairwise judgments of the
    opportunities (any form :func:`mcda_qualify.judgments.parse_judgments` reads, keyed by id)."""
    from .judgments import parse_judgments

    ids = portfolio.ids
    mats = []
    for j in columns:
        cid = portfolio.criteria.ids[j]
        if cid not in comparisons:
            raise InputError("relative AHP needs pairwise comparisons of the opportunities under every criterion",
                             column=cid, expected=f"comparisons['{cid}'] with judgments between the ids {ids}")
        node = parse_judgments(comparisons[cid], labels=ids, source=f"comparisons[{cid}]")
        mats.append(node.matrix)
    w = np.asarray(weights, dtype=float)
    return ratings_core.relative_scores(np.stack(mats), w / w.sum(), priority_method, mode=mode)
