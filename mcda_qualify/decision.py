"""One decision end to end: weights (direct or from AHP judgments) -> ranking -> qualification.

The CLI, the app and the report all go through :func:`decide`, so a number seen in one of them is
the number a script gets.
"""
from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

from .criteria import CriteriaSet
from .portfolio import Portfolio
from .qualify import Decision, has_bands, qualify
from .ranking import Ranking, rank

__all__ = ["judgment_weights", "decide", "decide_workspace", "result_payload"]


def judgment_weights(judgments: Any, criteria: CriteriaSet, *, source: str | None = None,
                     method: str = "eigenvector", aggregation: str = "aij",
                     completion: str = "optimal") -> tuple[dict[str, float], dict[str, Any]]:
    """Leaf weights from AHP judgments (a YAML path or a parsed document), and a short consistency note.

    The note has ``cr``, ``consistent`` (the verdict rule ``verdict_rule`` of
    ``core.consistency_rules.consistency_verdict``), ``completion`` (of incomplete judgments: optimal,
    harker or llsm), ``missing_pairs``, ``ri_source`` and, when not consistent, ``review``: the worst
    judgment with its suggested value, so that callers can act on the CR rather than only show it.
    """
    import os

    from .judgments import load_judgments, parse_document

    from .judgments_summary import ahp_summary, weights_from_judgments

    if isinstance(judgments, (str, os.PathLike)):
        node = load_judgments(judgments, labels=criteria.ids)
        source = source or str(judgments)
    else:
        node = parse_document(judgments, labels=criteria.ids, source=source)
    summary = ahp_summary(node, method=method, aggregation=aggregation, completion=completion)
    consistent = summary.get("consistent", summary.get("all_consistent"))
    verdict = summary.get("verdict") or {}
    info: dict[str, Any] = {"file": source, "kind": summary["kind"], "method": summary["method"],
                            "completion": summary["completion"], "missing_pairs": summary.get("missing_pairs"),
                            "ri_table": summary["ri_table"], "ri_source": summary.get("ri_source"),
                            "cr": summary.get("cr"), "cr_threshold": summary.get("cr_threshold"),
                            "verdict_rule": verdict.get("rule"), "consistent": bool(consistent)}
    review = summary.get("judgments_to_review") or []
    if not consistent and review:
        info["review"] = review[0]
    return weights_from_judgments(node, method=method, aggregation=aggregation, completion=completion), info


def decide(
    portfolio: Portfolio,
    weights: Mapping[str, float] | Sequence[float] | None = None,
    method: str = "topsis",
    *,
    judgments: Any = None,
    normalization: str = "vector",
    exclude: Sequence[str] = (),
    thresholds: Mapping[str, float] | None = None,
    weights_source: str | None = None,
    completion: str = "optimal",
    **opts: Any,
) -> tuple[Decision | Ranking, dict[str, Any]]:
    """Rank, then qualify where the method has bands (or ``thresholds`` are given).

    Returns the :class:`~mcda_qualify.qualify.Decision` (or the bare :class:`Ranking` for a method
    without bands) and the AHP note when ``judgments`` gave the weights (else ``{}``); incomplete
    judgments are completed by ``completion`` (see :func:`judgment_weights`).
    """
    from .errors import InputError

    info: dict[str, Any] = {}
    if judgments is not None:
        if weights is not None:
            raise InputError("give weights or judgments, not both")
        weights, info = judgment_weights(judgments, portfolio.criteria, source=weights_source,
                                         completion=completion)
        weights_source = info["file"]
    ranking = rank(portfolio, weights, method, normalization=normalization, exclude=exclude,
                   weights_source=weights_source, **opts)
    if thresholds is not None or has_bands(portfolio, ranking.method):
        return qualify(portfolio, ranking=ranking, thresholds=thresholds), info
    return ranking, info


def decide_workspace(ws: Any) -> tuple[Portfolio, Decision | Ranking, dict[str, Any]]:
    """Recompute a saved :class:`~mcda_qualify.workspace.Workspace` from its inputs and settings."""
    s = ws.settings.model_dump()
    portfolio = ws.portfolio(missing=s["missing"])
    result, info = decide(portfolio, ws.weights, s["method"], judgments=ws.judgments,
                          normalization=s["normalization"], exclude=s["exclude"], thresholds=s["thresholds"],
                          weights_source="workspace", **s["options"])
    return portfolio, result, info


def result_payload(portfolio: Portfolio, result: Decision | Ranking, info: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The JSON form of a decision (the CLI's ``--format json``): method, weights, opportunities best first."""
    ranking = getattr(result, "ranking", result)
    out: dict[str, Any] = {
        "method": ranking.method,
        "normalization": ranking.normalization,
        "better": ranking.better,
        "source": ranking.source,
        "criteria": portfolio.criteria.source,
        "opportunities_file": portfolio.source,
        "weights": {k: float(v) for k, v in ranking.weights.items()},
        "excluded": ranking.excluded,
    }
    if ranking.details.get("promethee"):
        out["promethee"] = dict(ranking.details["promethee"])
    if ranking.compromise is not None:
        out["compromise"] = dict(ranking.compromise)
    if info:
        out["weights_from_judgments"] = dict(info)
    if isinstance(result, Decision):
        out["thresholds"] = result.thresholds
    out["notes"] = list(getattr(result, "notes", None) or ranking.notes)
    if portfolio.filled:
        out["filled"] = [{k: (float(v) if k == "value" else v) for k, v in f.items()} for f in portfolio.filled]
    rows = []
    for r in result.sorted().to_dict("records"):
        row: dict[str, Any] = {"id": r["id"], "name": r["name"], "score": float(r["score"]), "rank": int(r["rank"])}
        if "status" in r:
            row["status"] = r["status"]
            row["reasons"] = list(r["reasons"])
        for k in ("expected_value", "break_even_probability"):
            if k in r:  # JSON has no infinity: break-even is null when the deal's value is 0
                row[k] = float(r[k]) if math.isfinite(r[k]) else None
        rows.append(row)
    out["opportunities"] = rows
    return out
