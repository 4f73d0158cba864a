"""Labelled ranking: a validated :class:`~mcda_qualify.portfolio.Portfolio` in, a :class:`Ranking` out."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from .core import methods as core
from .core.methods import rank_scores  # ranks live with the scores in the numeric core
from .errors import InputError, PortfolioError
from .portfolio import Portfolio, check_rankable
from .weights import resolve_weights

__all__ = ["Ranking", "rank", "rank_scores", "available_methods"]

def available_methods() -> list[str]:
    return [*core.METHODS, "ahp"]


#: PROMETHEE II through pymcdm holds (N, N, M) tables: refuse above this many elements (about 160 MB
#: each; N = 1,290 opportunities with 12 criteria). The guard is off once the method is the blocked
#: implementation of core/promethee.py (its source then no longer names pymcdm).
PROMETHEE_DENSE_MAX = 20_000_000


def _check_size(portfolio: Portfolio, method: str, m: int) -> None:
    """Refuse a method whose memory grows with N^2 above :data:`PROMETHEE_DENSE_MAX` (docs/bad_input.md)."""
    n = len(portfolio)
    if method == "promethee_ii" and "pymcdm" in core.METHODS[method].source and n * n * m > PROMETHEE_DENSE_MAX:
        limit = int((PROMETHEE_DENSE_MAX / m) ** 0.5)
        raise PortfolioError(f"too many opportunities for PROMETHEE II ({n:,}; at most {limit:,} with {m} criteria: "
                             "it compares every pair, so memory grows with the square of the number)",
                             file=portfolio.source, expected="fewer opportunities, or a method such as topsis")


def _score_safely(portfolio: Portfolio, method: str, x: np.ndarray, ids: list[str], **kw: Any) -> np.ndarray:
    """``core.score``, with an overflow inside the method refused (never a silent inf or 0)."""
    try:
        with np.errstate(over="raise", invalid="ignore", divide="ignore"):  # NaN is refused by _ranking
            return core.score(method, x, **kw)
    except (FloatingPointError, OverflowError):
        j = int(np.argmax(np.max(np.abs(x), axis=0)))
        raise PortfolioError(f"numbers too large for method {method!r}: a step of the method overflows",
                             file=portfolio.source, column=ids[j], value=float(np.max(np.abs(x[:, j]))),
                             expected="values of ordinary size (rescale the column, e.g. to thousands), "
                                      "or method topsis") from None


@dataclass(frozen=True)
class Ranking:
    """Scores and ranks of every opportunity by one method, with the inputs that made them.

    ``table`` has one row per opportunity in input order: id, name, score, rank. ``better`` says
    whether a higher or a lower score is better. Ties share a rank (competition ranking) and are
    listed by id, so the same input always gives the same order.
    """

    method: str
    better: str
    normalization: str | None
    weights: pd.Series
    table: pd.DataFrame
    source: str
    excluded: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    def sorted(self) -> pd.DataFrame:
        """The table best first (ties by id)."""
        return self.table.sort_values(["rank", "id"], kind="stable").reset_index(drop=True)

    @property
    def top(self) -> str:
        return str(self.sorted().iloc[0]["id"])

    def contributions(self) -> pd.DataFrame:
        """Per-criterion shares of the squared TOPSIS distances (columns: id, criterion, ...)."""
        ex = self.details.get("explanation")
        if ex is None:
            raise InputError(f"contributions are defined for TOPSIS; this ranking used {self.method!r}")
        crit = list(self.weights.index)
        ids = list(self.table["id"])
        rows = []
        for i, oid in enumerate(ids):
            for j, cid in enumerate(crit):
                rows.append({
                    "id": oid, "criterion": cid, "weight": float(self.weights.iloc[j]),
                    "normalized": ex.normalized[i, j], "weighted": ex.weighted[i, j],
                    "share_of_distance_to_ideal": ex.share_ideal[i, j],
                    "share_of_distance_to_anti_ideal": ex.share_anti_ideal[i, j],
                })
        return pd.DataFrame(rows)


def _bounds(portfolio: Portfolio) -> tuple[np.ndarray, list[str]]:
    """SPOTIS bounds from the criteria scales/bounds; data range where a criterion has neither."""
    out, from_data = [], []
    for j, c in enumerate(portfolio.criteria.criteria):
        if c.bounds is not None:
            out.append(c.bounds)
        else:
            col = portfolio.matrix[:, j]
            out.append((float(col.min()), float(col.max())))
            from_data.append(c.id)
    return np.array(out, dtype=float), from_data


def _check_positive(portfolio: Portfolio, method: str, cols: list[int]) -> None:
    for j in cols:
        col = portfolio.matrix[:, j]
        bad = np.flatnonzero(col <= 0)
        if bad.size:
            cid = portfolio.criteria.ids[j]
            raise PortfolioError(f"method {method!r} needs values > 0", file=portfolio.source,
                                 row=portfolio.rows[bad[0]], column=cid, value=col[bad[0]],
                                 expected="positive numbers (or another method, e.g. topsis)")


def rank(
    portfolio: Portfolio,
    weights: Mapping[str, float] | Sequence[float] | np.ndarray | None = None,
    method: str = "topsis",
    *,
    normalization: str = "vector",
    exclude: Sequence[str] = (),
    weights_source: str | None = None,
    **opts: Any,
) -> Ranking:
    """Rank the opportunities of ``portfolio``.

    ``weights``: None (the criteria file's), a mapping criterion -> weight, or an array in criteria
    order; normalised to sum 1. ``method``: one of :func:`available_methods`. ``normalization``
    (TOPSIS only): ``"vector"`` (Hwang & Yoon 1981, default) or ``"minmax"``. ``exclude`` leaves
    criteria out of the ranking (they still gate in :func:`~mcda_qualify.qualify.qualify`).
    Method options (``bounds``, ``vikor_v``, ``promethee_preference``, AHP's ``level_priorities``)
    pass through ``opts``.
    """
    method = method.lower().replace("-", "_")
    if method not in available_methods():
        raise InputError("unknown method", value=method, expected=f"one of {', '.join(available_methods())}")
    if normalization not in core.NORMALIZATIONS:
        raise InputError("unknown normalization", value=normalization, expected=f"one of {', '.join(core.NORMALIZATIONS)}")
    crit = portfolio.criteria
    w = resolve_weights(crit, weights, source=weights_source, exclude=exclude)
    keep = [j for j, cid in enumerate(crit.ids) if cid not in exclude]
    ids_kept = [crit.ids[j] for j in keep]
    x = portfolio.matrix[:, keep]
    t = crit.types[keep]
    wk = w[keep]
    details: dict[str, Any] = {}
    if method == "ahp":
        return _rank_ahp(portfolio, wk, keep, ids_kept, list(exclude), **opts)
    check_rankable(portfolio, keep)
    meta = core.METHODS[method]
    better = meta.better
    norm = normalization if method == "topsis" else None
    if method in ("wpm", "copras"):
        _check_positive(portfolio, method, keep)
    if method == "spotis":
        bounds, from_data = _bounds(portfolio)
        opts.setdefault("bounds", bounds[keep])
        details["bounds_from_data"] = [c for c in from_data if c in ids_kept]
    _check_size(portfolio, method, len(keep))
    if method == "topsis":  # one evaluation gives the scores and their explanation
        details["explanation"] = core.topsis_explain(x, wk, t, normalization)
        scores = details["explanation"].closeness
    else:
        scores = _score_safely(portfolio, method, x, ids_kept, weights=wk, types=t, normalization=normalization, **opts)
    info = meta.source
    return _ranking(portfolio, method, better, norm, wk, ids_kept, scores, info, list(exclude), details)


AHP_SOURCE = ("Saaty (1986), Absolute and relative measurement with the AHP, Socio-Economic Planning Sciences 20(6), "
              "327-331: ratings mode, ideal-normalised level priorities")


def _rank_ahp(portfolio: Portfolio, w: np.ndarray, keep: list[int], ids_kept: list[str], excluded: list[str],
              *, mode: str = "ratings", level_priorities: Mapping[str, Sequence[float]] | None = None,
              comparisons: Mapping[str, Any] | None = None, synthesis: str = "distributive") -> Ranking:
    """AHP scores: ratings (absolute, default) or relative (pairwise comparisons of opportunities)."""
    from .ratings import ahp_ratings, ahp_relative

    if mode == "ratings":
        scores = ahp_ratings(portfolio, w, keep, level_priorities=level_priorities)
        source = AHP_SOURCE
    elif mode == "relative":
        if comparisons is None:
            raise InputError("relative AHP needs comparisons of the opportunities", expected="comparisons={criterion: judgments}")
        scores = ahp_relative(portfolio, w, keep, comparisons=comparisons, mode=synthesis)
        source = f"Saaty (1980), The Analytic Hierarchy Process, McGraw-Hill: relative measurement, {synthesis} mode"
    else:
        raise InputError("unknown AHP mode", value=mode, expected="'ratings' or 'relative'")
    return _ranking(portfolio, "ahp", "higher", None, w, ids_kept, scores, source, excluded, {"mode": mode})


def _ranking(portfolio: Portfolio, method: str, better: str, norm: str | None, w: np.ndarray, ids_kept: list[str],
             scores: np.ndarray, source: str, excluded: list[str], details: dict[str, Any]) -> Ranking:
    scores = np.asarray(scores, dtype=float)
    if not np.all(np.isfinite(scores)):
        bad = int(np.flatnonzero(~np.isfinite(scores))[0])
        raise PortfolioError(f"method {method!r} gave no finite score", file=portfolio.source,
                             row=portfolio.rows[bad], expected="inputs the method can score (try topsis)")
    table = pd.DataFrame({"id": portfolio.ids, "name": portfolio.names, "score": scores,
                          "rank": rank_scores(scores, better)})
    return Ranking(method, better, norm, pd.Series(w, index=ids_kept, name="weight"), table, source,
                   excluded, details)
