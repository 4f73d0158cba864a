"""The sensitivity analysis as one plain JSON-serialisable summary (the CLI's `sensitivity` command and scripts)."""
from __future__ import annotations

from typing import Any, Mapping, Sequence
import numpy as np
import pandas as pd
from .core import reversal
from .degenerate import explain_summary, too_few_summary
from .portfolio import Portfolio
from .sensitivity import Weights, _grid, _num, _reversals, _run_smaa, _sensitivity, _setup


# one JSON-ready summary (for the CLI)
# ---------------------------------------------------------------------------------------------


#: up to this many opportunities the summary lists every reversal point; beyond, those among the top LIST_TOP
LIST_ALL_MAX = 100
LIST_TOP = 15


def sensitivity_summary(portfolio: Portfolio, weights: Weights = None, method: str = "topsis",
                        normalization: str = "vector", smaa: int = 0, seed: int | None = None, *,
                        exclude: Sequence[str] = (), grid: int = 2001, weight_model: str = "uniform",
                        concentration: float = 100.0, intervals: Mapping[str, Sequence[float]] | None = None,
                        order: Sequence[str] | None = None, score_uncertainty: bool | str = "auto",
                        chunk_size: int | None = None, workers: int | None = None,
                        meta: str | Sequence[float] = "centroid",
                        weight_samples: pd.DataFrame | np.ndarray | None = None,
                        wsm_normalization: str = "sum", smaa_top_r: int | None = None) -> dict[str, Any]:
    """Everything as plain JSON-serialisable data (no NaN: missing values are None).

    Keys: method, normalization, weights, top, ``stability_intervals`` {criterion: [lo, hi]} (the
    whole ranking), ``top_stability_intervals`` {criterion: [lo, hi]}, ``reversal_points`` {criterion:
    [{weight, a, b, score}]}, ``critical_criterion`` {pt, pa, criteria}; with ``smaa`` > 0 samples also
    ``rank_acceptability`` {id: [b1..bN]}, ``standard_error`` {id: [...]}, ``central_weights`` {id:
    {criterion: w} or None}, ``confidence`` {id: p or None}, ``holistic`` {id: a}, ``samples``,
    ``seed``, ``meta_weights``, ``weight_model``, ``score_model``; ``notes``, ``ties``, ``tied_for_first``
    and the meaning of degenerate values (ties, null sensitivities): :mod:`mcda_qualify.degenerate`.
        ``smaa_top_r`` R: ranks 1..R only
    (``rank_acceptability`` lists of R shares, ``holistic`` None, ``top_r`` R).
    """
    if len(portfolio) < 2:  # e.g. --passing-only with one or no opportunity left (issue 17)
        return too_few_summary(portfolio, weights, method, normalization, exclude)
    s = _setup(portfolio, weights, method, normalization, exclude, wsm_normalization)
    scope = None
    if len(portfolio) <= LIST_ALL_MAX:
        rv = _reversals(s, None, grid)
        st = reversal.stability_intervals(s.matrix, s.weights, s.types, method=s.method,
                                          normalization=s.normalization, reversals=rv)
        cc = reversal.critical_criteria(s.matrix, s.weights, s.types, method=s.method,
                                        normalization=s.normalization, reversals=rv)
    else:
        # a long pipeline: stability intervals and critical criteria from every opportunity (N - 1 adjacent
        # pairs per criterion), the listed reversal points only among the top LIST_TOP (all of them would be
        # about N^2 / 4 records: 250,000 per criterion at 1,000 opportunities)
        from .core.batch import batch_scores
        from .core.exact_reversal import reversal_points as exact_points

        _grid(grid)
        st = reversal.stability_intervals(s.matrix, s.weights, s.types, method=s.method,
                                          normalization=s.normalization)
        cc = reversal.critical_criteria(s.matrix, s.weights, s.types, method=s.method,
                                        normalization=s.normalization)
        score = batch_scores(s.method, s.matrix, s.weights, s.types, s.normalization)
        top = np.sort(np.argsort(-score, kind="stable")[:LIST_TOP])
        rv = exact_points(s.matrix, s.weights, s.types, None, method=s.method, normalization=s.normalization,
                          among=top)
        scope = (f"reversal points listed among the top {LIST_TOP} of {len(portfolio):,} opportunities at the "
                 "current weights; stability intervals and critical criteria use every opportunity")
    ids = portfolio.ids

    def crit_entry(kind: str, j: int | None) -> dict[str, Any] | None:
        if j is None:
            return None
        pct, ch = getattr(cc, f"{kind}_pct")[j], getattr(cc, f"{kind}_change")[j]
        a, b = getattr(cc, f"{kind}_a")[j], getattr(cc, f"{kind}_b")[j]
        return {"criterion": s.criteria[j], "change_pct": _num(pct), "change": _num(ch), "a": ids[a], "b": ids[b]}

    out: dict[str, Any] = {
        "method": s.method,
        "normalization": s.normalization if s.method == "topsis" else None,
        "weights": {c: float(w) for c, w in zip(s.criteria, s.weights)},
        "top": ids[st.top],
        "stability_intervals": {c: [float(st.ranking_lo[j]), float(st.ranking_hi[j])] for j, c in enumerate(s.criteria)},
        "top_stability_intervals": {c: [float(st.top_lo[j]), float(st.top_hi[j])] for j, c in enumerate(s.criteria)},
        "reversal_points": {c: [{"weight": float(rv.weight[p]), "a": ids[rv.a[p]], "b": ids[rv.b[p]],
                                 "score": float(rv.score_a[p])} for p in np.flatnonzero(rv.criterion == j)]
                            for j, c in enumerate(s.criteria)},
        **({"reversal_points_scope": scope} if scope else {}),
        "critical_criterion": {
            "pt": crit_entry("pt", cc.pt_criterion),
            "pa": crit_entry("pa", cc.pa_criterion),
            "criteria": {c: {"pt_change_pct": _num(cc.pt_pct[j]), "pa_change_pct": _num(cc.pa_pct[j]),
                             "criticality_pct": _num(cc.criticality[j]), "sensitivity": _sensitivity(cc.sensitivity[j])[0],
                             **({"sensitivity_note": _sensitivity(cc.sensitivity[j])[1]}
                                if _sensitivity(cc.sensitivity[j])[1] else {})}
                         for j, c in enumerate(s.criteria)},
            "source": "Triantaphyllou & Sanchez (1997), Decision Sciences 28(1), 151-194",
        },
    }
    if smaa and int(smaa) > 0:
        if smaa_top_r is None and len(portfolio) > LIST_ALL_MAX:
            # the full N x N acceptability of a long pipeline is millions of shares nobody reads (and as
            # much memory): ranks 1..LIST_TOP are counted, as --smaa-top-r would (top-r SMAA, memory N x r)
            smaa_top_r = LIST_TOP
            out["smaa_scope"] = (f"ranks 1 to {LIST_TOP} counted for each of {len(portfolio):,} opportunities "
                                 "(top-r SMAA; --smaa-top-r R chooses R)")
        f = _run_smaa(s, int(smaa), weight_model, concentration, intervals, order, weight_samples,
                      score_uncertainty, seed, chunk_size, workers, meta, smaa_top_r)
        r = f.result
        out.update({
            "samples": r.samples,
            "seed": r.seed,
            "rank_acceptability": {o: [float(v) for v in r.acceptability[i]] for i, o in enumerate(ids)},
            "standard_error": {o: [float(v) for v in r.standard_error[i]] for i, o in enumerate(ids)},
            "central_weights": {o: (None if np.isnan(r.central_weights[i]).any() else
                                    {c: float(r.central_weights[i, j]) for j, c in enumerate(s.criteria)})
                                for i, o in enumerate(ids)},
            "confidence": {o: _num(r.confidence[i]) for i, o in enumerate(ids)},
            "holistic": {o: _num(r.holistic[i]) for i, o in enumerate(ids)},
            "meta_weights": [float(a) for a in r.meta_weights],
            "weight_model": r.weight_model,
            "score_model": r.score_model,
            "smaa_source": "Lahdelma & Salminen (2001), Operations Research 49(3), 444-454",
        })
        if smaa_top_r is not None:
            out["top_r"] = int(smaa_top_r)
    return explain_summary(out, s.portfolio, s.ranking, s.matrix, s.types, s.criteria)
