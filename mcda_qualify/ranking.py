"""Labelled ranking: a validated :class:`~mcda_qualify.portfolio.Portfolio` in, a :class:`Ranking` out."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from .core import methods as core
from .core.methods import rank_scores  # ranks live with the scores in the numeric core
from .errors import InputError, PortfolioError
from .portfolio import Portfolio, check_count, constant_columns
from .weights import resolve_weights

__all__ = ["Ranking", "rank", "rank_scores", "available_methods", "NEUTRAL_SCORE", "tie_groups", "identical_groups"]

#: the score every opportunity gets when no criterion in use tells them apart (all tie): TOPSIS
#: closeness halfway between the anti-ideal and the ideal (0/0 otherwise); for the other methods the
#: value with no criterion contributing (PROMETHEE II net flow 0, VIKOR Q 0, sums 0). Issue 17.
NEUTRAL_SCORE: dict[str, float] = {"topsis": 0.5}
#: at most this many groups of tied opportunities are named in the notes
MAX_TIE_NOTES = 5

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
    #: plain-language notes on degenerate but valid input: constant criteria, ties (issue 17)
    notes: list[str] = field(default_factory=list)

    @property
    def compromise(self) -> dict[str, Any] | None:
        """VIKOR's compromise solution (Opricovic & Tzeng 2004), None for other methods.

        Keys: ``ids`` (the compromise set, best Q first), ``acceptable_advantage`` (C1: Q(a2) - Q(a1)
        >= DQ), ``acceptable_stability`` (C2: a1 also best by S or by R), ``dq`` = 1/(N - 1), ``v``.
        """
        return self.details.get("compromise")

    @property
    def explanation(self) -> Any:
        """The method's intermediate results: TOPSIS tables, VIKOR's S, R, Q and compromise, or None."""
        return self.details.get("explanation", self.details.get("vikor"))

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


def _check_positive(portfolio: Portfolio, method: str, cols: list[int],
                    expected: str = "positive numbers (or another method, e.g. topsis)") -> None:
    for j in cols:
        col = portfolio.matrix[:, j]
        bad = np.flatnonzero(col <= 0)
        if bad.size:
            cid = portfolio.criteria.ids[j]
            raise PortfolioError(f"method {method!r} needs values > 0", file=portfolio.source,
                                 row=portfolio.rows[bad[0]], column=cid, value=col[bad[0]],
                                 expected=expected)


def _promethee_opts(crit: Any, ids_kept: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Per-criterion preference functions and thresholds from the criteria file (usual where none)."""
    spec = crit.promethee(ids_kept)
    rows = [spec[c] for c in ids_kept]
    nan = float("nan")
    opts = {"promethee_preference": [r.function for r in rows],
            "promethee_q": np.array([nan if r.q is None else r.q for r in rows]),
            "promethee_p": np.array([nan if r.p is None else r.p for r in rows]),
            "promethee_s": np.array([nan if r.s is None else r.s for r in rows])}
    return opts, {c: spec[c].describe() for c in ids_kept}


def _vikor(x: np.ndarray, w: np.ndarray, t: np.ndarray, ids: list[str], v: Any) -> tuple[np.ndarray, dict[str, Any]]:
    from .core.vikor import vikor

    if not (isinstance(v, (int, float)) and 0.0 <= float(v) <= 1.0):
        raise InputError("VIKOR's v must be a number in [0, 1]", value=v, expected="e.g. 0.5 (the default)")
    res = vikor(x, w, t, v=float(v))
    comp = {"ids": [ids[i] for i in res.compromise], "acceptable_advantage": res.acceptable_advantage,
            "acceptable_stability": res.acceptable_stability, "dq": 1.0 / (len(ids) - 1), "v": res.v}
    return res.Q, {"vikor": res, "compromise": comp}


def _columns(opts: dict[str, Any], used: list[int]) -> dict[str, Any]:
    """Method options with the per-criterion ones (PROMETHEE's functions and thresholds) cut to ``used``."""
    out = dict(opts)
    for k in ("promethee_preference", "promethee_q", "promethee_p", "promethee_s"):
        v = out.get(k)
        if v is not None and not isinstance(v, str) and np.ndim(v) == 1:
            out[k] = [v[i] for i in used] if isinstance(v, list) else np.asarray(v)[used]
    return out


def rank(
    portfolio: Portfolio,
    weights: Mapping[str, float] | Sequence[float] | np.ndarray | None = None,
    method: str = "topsis",
    *,
    normalization: str = "vector",
    exclude: Sequence[str] = (),
    weights_source: str | None = None,
    wsm_normalization: str = "sum",
    **opts: Any,
) -> Ranking:
    """Rank the opportunities of ``portfolio``.

    ``weights``: None (the criteria file's), a mapping criterion -> weight, or an array in criteria
    order; normalised to sum 1. ``method``: one of :func:`available_methods`. ``normalization``
    (TOPSIS only): ``"vector"`` (Hwang & Yoon 1981, default) or ``"minmax"``. ``exclude`` leaves
    criteria out of the ranking (they still gate in :func:`~mcda_qualify.qualify.qualify`).
    ``wsm_normalization`` (WSM only): ``"sum"`` (default, pymcdm's), ``"max"`` (SAW) or ``"minmax"``.
    PROMETHEE II takes each criterion's preference function and thresholds from the criteria file's
    ``promethee`` blocks (``usual`` where none); VIKOR's compromise set is :attr:`Ranking.compromise`.
    Method options (``bounds``, ``vikor_v``, ``promethee_preference`` with ``promethee_q/p/s``, which
    override the criteria file, AHP's ``level_priorities``) pass through ``opts``.
    """
    method = method.lower().replace("-", "_")
    if method not in available_methods():
        raise InputError("unknown method", value=method, expected=f"one of {', '.join(available_methods())}")
    if normalization not in core.NORMALIZATIONS:
        raise InputError("unknown normalization", value=normalization, expected=f"one of {', '.join(core.NORMALIZATIONS)}")
    if wsm_normalization not in core.WSM_NORMALIZATIONS:
        raise InputError("unknown WSM normalization", value=wsm_normalization,
                         expected=f"one of {', '.join(core.WSM_NORMALIZATIONS)}")
    crit = portfolio.criteria
    w = resolve_weights(crit, weights, source=weights_source, exclude=exclude)
    keep = [j for j, cid in enumerate(crit.ids) if cid not in exclude]
    ids_kept = [crit.ids[j] for j in keep]
    x = portfolio.matrix[:, keep]
    t = crit.types[keep]
    wk = w[keep]
    details: dict[str, Any] = {}
    const = constant_columns(portfolio, keep)
    if method == "ahp":
        r = _rank_ahp(portfolio, wk, keep, ids_kept, list(exclude), **opts)
        notes = [_constant_note(portfolio, j, "it adds the same rating to every score") for j in const]
        return replace(r, notes=notes + _tie_notes(portfolio, r, keep))
    check_count(portfolio)
    meta = core.METHODS[method]
    better = meta.better
    norm = normalization if method == "topsis" else wsm_normalization if method == "wsm" else None
    _check_size(portfolio, method, len(keep))
    if method == "promethee_ii" and "promethee_preference" not in opts:
        popts, details["promethee"] = _promethee_opts(crit, ids_kept)
        opts.update(popts)
    # a criterion on which every opportunity has the same value contributes zero (issue 17): TOPSIS's
    # normalisation gives it zero gaps by itself; the other relative methods are computed without it
    drop = set(const)
    if method == "spotis":
        bounds, from_data = _bounds(portfolio)
        spans = bounds[:, 1] - bounds[:, 0]
        drop = {j for j in const if spans[j] <= 0}  # with bounds from the scale it adds the same to every score
        details["bounds_from_data"] = [c for c in from_data if c in ids_kept]
    elif method in ("copras", "moora"):  # they need their cost/benefit split: keep non-zero constants
        drop = {j for j in const if portfolio.matrix[0, j] == 0}
    used = [k for k, j in enumerate(keep) if j not in drop]
    if method in ("wpm", "copras"):
        _check_positive(portfolio, method, [keep[k] for k in used])
    if method == "wsm" and wsm_normalization != "minmax":  # sum and max divide by x for costs
        _check_positive(portfolio, method, [keep[k] for k in used],
                        expected=f"positive numbers for the {wsm_normalization!r} normalisation "
                        "(or --wsm-normalization minmax, or another method)")
    if method == "spotis":
        opts.setdefault("bounds", bounds[keep][used])
    same = "it adds the same amount to every score"
    if method == "topsis":  # one evaluation gives the scores and their explanation
        details["explanation"] = core.topsis_explain(x, wk, t, normalization)
        scores = details["explanation"].closeness
        how = "its normalised values are equal, so its gaps to the ideal and the anti-ideal are 0"
    else:
        if used:
            try:
                if method == "vikor":
                    scores, extra = _vikor(x[:, used], wk[used], t[used], list(portfolio.ids), opts.get("vikor_v", 0.5))
                    details.update(extra)
                else:
                    scores = _score_safely(portfolio, method, x[:, used], [ids_kept[k] for k in used],
                                           weights=wk[used], types=t[used], normalization=normalization,
                                           wsm_normalization=wsm_normalization, **_columns(opts, used))
            except ValueError as exc:  # a method's own limit
                if isinstance(exc, InputError):
                    raise
                raise InputError(f"method {method!r} cannot score this table: {exc}",
                                 file=portfolio.source, expected="another method, e.g. topsis") from None
        else:
            scores = np.full(len(portfolio), NEUTRAL_SCORE.get(method, 0.0))
        how = f"left out of the {method.upper()} computation, the other weights rescaled to sum 1"
    notes = [_constant_note(portfolio, j, how if j in drop or method == "topsis" else same) for j in const]
    if const and len(const) == len(keep):
        notes.append("no criterion in use tells the opportunities apart: every opportunity ties, with score "
                     f"{NEUTRAL_SCORE.get(method, 0.0):g} by convention")
    info = meta.source
    r = _ranking(portfolio, method, better, norm, wk, ids_kept, scores, info, list(exclude), details)
    return replace(r, notes=notes + _tie_notes(portfolio, r, keep))


def _constant_note(portfolio: Portfolio, j: int, how: str) -> str:
    c = portfolio.criteria.criteria[j]
    v = float(portfolio.matrix[0, j])
    what = "every value is zero" if v == 0 else f"every opportunity has the same value ({c.describe(v)})"
    return f"criterion '{c.id}': {what}, so it cannot tell the opportunities apart and contributes nothing ({how})"


def tie_groups(ranking: "Ranking") -> list[list[str]]:
    """Groups (2 or more ids, best first, ids sorted as in :meth:`Ranking.sorted`) of opportunities
    with equal scores. Vectorised: only the tied rows are looked at (long pipelines)."""
    t = ranking.table
    ranks = t["rank"].to_numpy(dtype=np.int64)
    if ranks.size == 0:
        return []
    tied = np.bincount(ranks)[ranks] > 1
    if not tied.any():
        return []
    sub = t.loc[tied, ["rank", "id"]].sort_values(["rank", "id"], kind="stable")
    return [[str(i) for i in g] for _, g in sub.groupby("rank", sort=True)["id"]]


def identical_groups(x: np.ndarray, ids: Sequence[str]) -> list[list[str]]:
    """Groups (2 or more ids, in input order, groups by first appearance) of rows equal on every column:
    opportunities that tie under any weights. Vectorised (``np.unique`` on rows)."""
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    if n < 2:
        return []
    if x.shape[1] == 0:
        return [list(ids)]
    _, inv, counts = np.unique(x, axis=0, return_inverse=True, return_counts=True)
    inv = inv.reshape(-1)
    groups: dict[int, list[str]] = {}
    for i in np.flatnonzero(counts[inv] > 1):
        groups.setdefault(int(inv[i]), []).append(ids[i])
    return list(groups.values())


def _tie_notes(portfolio: Portfolio, ranking: "Ranking", keep: list[int]) -> list[str]:
    """Ties in the scores, and opportunities identical on every criterion used (they tie under any weights)."""
    notes = []
    identical = identical_groups(portfolio.matrix[:, keep], portfolio.ids)
    groups = tie_groups(ranking)
    if len(groups) == 1 and len(groups[0]) == len(portfolio):
        notes.append(f"every opportunity ties (score {float(ranking.table['score'].iloc[0]):.4f}): they share rank 1")
    else:
        t = ranking.table.set_index("id")
        for g in groups[:MAX_TIE_NOTES]:
            rk, sc = int(t.loc[g[0], "rank"]), float(t.loc[g[0], "score"])
            notes.append(f"tie: {named_ids(g)} have equal scores ({sc:.4f}) and share rank {rk}"
                         + (" (a tie for first place)" if rk == 1 else ""))
        if len(groups) > MAX_TIE_NOTES:
            notes.append(f"... and {len(groups) - MAX_TIE_NOTES} more groups of tied opportunities")
    for g in identical[:MAX_TIE_NOTES]:
        notes.append(f"{named_ids(g)} have the same value on every criterion used: they tie under any weights")
    if len(identical) > MAX_TIE_NOTES:
        notes.append(f"... and {len(identical) - MAX_TIE_NOTES:,} more groups of opportunities with the same value "
                     "on every criterion used")
    return notes


#: ids named in one note at most (a long pipeline's note says how many more)
NAMED_MAX = 10


def named_ids(ids: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C', or the first NAMED_MAX and how many more."""
    ids = list(ids)
    if len(ids) > NAMED_MAX:
        return ", ".join(ids[:NAMED_MAX]) + f" and {len(ids) - NAMED_MAX:,} more"
    return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " and " + ids[-1]


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
