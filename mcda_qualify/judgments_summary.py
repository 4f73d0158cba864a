"""Weights and the AHP summary from parsed judgments: priorities, consistency, the judgments to review, group aggregation and consensus, in one plain dictionary for the CLI, the app and the report."""
from __future__ import annotations

import math
import os
from collections.abc import Sequence
from typing import Any, Literal
import numpy as np
from mcda_qualify.core import ahp
from mcda_qualify.core import ahp_review
from mcda_qualify.core import ahp_group
from mcda_qualify.errors import JudgmentError
from .judgments import GroupJudgments, Hierarchy, Judgments, Node, load_judgments, parse_document, parse_judgments


# --------------------------------------------------------------------------- results
def _check_options(method: str, ri_table: Any, threshold: Any, aggregation: str) -> None:
    ahp._check_method(method)
    ahp.random_index(3, ri_table)
    ahp.cr_threshold(3, threshold)
    if aggregation not in ("aij", "aip"):
        raise JudgmentError("unknown aggregation", value=aggregation,
                            expected="'aij' (aggregate judgments) or 'aip' (aggregate priorities)")


def _local(node: Judgments | GroupJudgments, method: str, aggregation: str) -> np.ndarray:
    if isinstance(node, Judgments):
        return ahp.priorities(node.matrix, method)
    if aggregation == "aij":
        return ahp.priorities(ahp_group.aggregate_judgments(node.matrices, node.judge_weights), method)
    ws = np.stack([ahp.priorities(j.judgments.matrix, method) for j in node.judges])
    return ahp_group.aggregate_priorities(ws, node.judge_weights)


def _local_tree(node: Node, method: str, aggregation: str, out: dict, key: Any) -> None:
    root = node.root if isinstance(node, Hierarchy) else node
    w = _local(root, method, aggregation)
    out[key] = dict(zip(root.labels, w.tolist()))
    if isinstance(node, Hierarchy):
        for label, child in node.children.items():
            _local_tree(child, method, aggregation, out, label)


_ROOT = ("<root>",)


def weights_from_judgments(node: Node, method: ahp.Method = "eigenvector",
                           aggregation: Literal["aij", "aip"] = "aij") -> dict[str, float]:
    """Leaf weights {label: w} of any node: local priorities, times the parents' global weights."""
    _check_options(method, "saaty_1980", 0.1, aggregation)
    local: dict = {}
    _local_tree(node, method, aggregation, local, _ROOT)
    return {str(k): float(v) for k, v in ahp_group.global_weights(local, _ROOT).items()}


def _num(x: Any) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _matrix_summary(labels: tuple[str, ...], matrix: np.ndarray, o: dict, repair: bool) -> dict:
    method, top = o["method"], o["top"]
    c = ahp.consistency(matrix, ri_table=o["ri_table"], method=method, threshold=o["threshold"])
    inferred = []
    if np.isnan(matrix).any():
        comp = ahp.complete(matrix, method)
        inferred = [{"a": labels[i], "b": labels[j], "value": v} for i, j, v in comp.inferred]
    reviews = ahp_review.judgments_to_review(matrix, c.weights, method=method, top=top)
    triads = ahp_review.inconsistent_triads(matrix, top=top)
    out = {
        "labels": list(labels),
        "weights": dict(zip(labels, (float(x) for x in c.weights))),
        "lambda_max": c.lambda_max, "ci": c.ci, "ri": c.ri, "cr": c.cr,
        "cr_threshold": c.threshold, "consistent": c.consistent,
        "gci": _num(c.gci), "gci_threshold": _num(c.gci_threshold), "gci_consistent": c.gci_consistent,
        "complete": not inferred, "inferred": inferred,
        "judgments_to_review": [
            {"a": labels[r.i], "b": labels[r.j], "given": r.given, "consistent_value": r.consistent_value,
             "suggested": r.suggested, "error": r.error} for r in reviews],
        "inconsistent_triads": [
            {"a": labels[t.i], "b": labels[t.j], "c": labels[t.k], "ratio": t.ratio, "index": t.index}
            for t in triads],
        # circular triads a > b > c > a (Kendall & Babington Smith 1940): flagged at any CR
        "intransitive_triads": [[labels[x], labels[y], labels[z]]
                                for x, y, z in ahp_review.intransitive_triads(matrix)],
    }
    if repair and not c.consistent:
        rep = ahp_review.propose_repair(matrix, ri_table=o["ri_table"], threshold=o["threshold"], method=method)
        out["repair"] = {
            "changes": [{"a": labels[s.i], "b": labels[s.j], "old": s.old, "new": s.new, "cr_after": s.cr_after}
                        for s in rep.steps],
            "cr_after": rep.cr_after, "consistent": rep.consistent}
    else:
        out["repair"] = None
    return out


def _group_summary(g: GroupJudgments, o: dict) -> dict:
    method, top, labels = o["method"], o["top"], g.labels
    jw = g.judge_weights
    judges = {}
    individual = []
    for judge, v in zip(g.judges, jw):
        c = ahp.consistency(judge.judgments.matrix, ri_table=o["ri_table"], method=method,
                            threshold=o["threshold"])
        individual.append(c.weights)
        reviews = ahp_review.judgments_to_review(judge.judgments.matrix, c.weights, method=method, top=top)
        judges[judge.name] = {
            "weight": float(v), "weights": dict(zip(labels, (float(x) for x in c.weights))),
            "lambda_max": c.lambda_max, "cr": c.cr, "consistent": c.consistent,
            "judgments_to_review": [
                {"a": labels[r.i], "b": labels[r.j], "given": r.given, "consistent_value": r.consistent_value,
                 "suggested": r.suggested, "error": r.error} for r in reviews]}
    ws = np.stack(individual)
    if o["aggregation"] == "aij":
        out = _matrix_summary(labels, ahp_group.aggregate_judgments(g.matrices, jw), o, repair=False)
        out["aggregation"] = {"method": "aij", "description": "weighted geometric mean of the judges' "
                              "judgments (Forman & Peniwati 1998, EJOR 108, 165-169)"}
    else:
        agg = ahp_group.aggregate_priorities(ws, jw)
        out = {"labels": list(labels), "weights": dict(zip(labels, (float(x) for x in agg))),
               "lambda_max": None, "ci": None, "ri": None, "cr": None, "cr_threshold": None,
               "consistent": all(j["consistent"] for j in judges.values()),
               "gci": None, "gci_threshold": None, "gci_consistent": None,
               "complete": True, "inferred": [], "judgments_to_review": [], "inconsistent_triads": [],
               "intransitive_triads": [],
               "repair": None,
               "aggregation": {"method": "aip", "description": "weighted arithmetic mean of the judges' "
                               "priorities (Forman & Peniwati 1998, EJOR 108, 165-169)"}}
    out["judges"] = judges
    out["consensus"] = {"value": ahp_group.consensus_indicator(ws, jw), "indicator": "goepel_2013",
                        "description": "AHP consensus indicator S* from Shannon alpha/beta entropy of the "
                                       "judges' priorities (Goepel 2013; 1 = identical priorities)"}
    names = [j.name for j in g.judges]
    out["disagreements"] = [
        {"a": labels[d.i], "b": labels[d.j], "log_sd": d.log_sd,
         "values": {nm: _num(v) for nm, v in zip(names, d.values)}}
        for d in ahp_group.disagreements(g.matrices, jw, top=top)]
    return out


def _node_summary(node: Node, o: dict) -> dict:
    if isinstance(node, Judgments):
        out = _matrix_summary(node.labels, node.matrix, o, repair=True)
        out["kind"] = "single"
        return out
    if isinstance(node, GroupJudgments):
        out = _group_summary(node, o)
        out["kind"] = "group"
        return out
    out = _node_summary(node.root, o)
    out["kind"] = "hierarchy"
    out["children"] = {k: _node_summary(c, o) for k, c in node.children.items()}
    out["all_consistent"] = bool(out["consistent"]) and all(
        c.get("all_consistent", c["consistent"]) for c in out["children"].values())
    local: dict = {}
    _local_tree(node, o["method"], o["aggregation"], local, _ROOT)
    out["global_weights"] = {str(k): float(v) for k, v in ahp_group.global_weights(local, _ROOT).items()}
    return out


def ahp_summary(judgments_or_path: Any, method: ahp.Method = "eigenvector",
                ri_table: str | Sequence[float] = "saaty_1980", threshold: float | str = 0.1,
                labels: Sequence[str] | None = None, aggregation: Literal["aij", "aip"] = "aij",
                top: int | None = 5, scale: Literal["saaty", "continuous"] | None = None) -> dict:
    """JSON-serialisable AHP report of a judgments file, parsed document or labelled node.

    Keys: ``kind`` (single | group | hierarchy), ``source``, ``method``, ``ri_table``, ``ri_source``,
    ``threshold``, ``labels``, ``weights`` {label: w}, ``lambda_max``, ``ci``, ``ri``, ``cr``,
    ``cr_threshold``, ``consistent``, ``gci`` (geometric method), ``complete``, ``inferred``
    [{a, b, value}], ``judgments_to_review`` [{a, b, given, consistent_value, suggested, error}]
    (worst first, ``top`` of them), ``inconsistent_triads``, ``repair`` (a proposal when not
    consistent, else None); for groups also ``judges``, ``aggregation``, ``consensus``,
    ``disagreements``; for a hierarchy also ``children`` (the same per node), ``global_weights``
    {leaf: w} and ``all_consistent``. Reads the file when given a path; never prints.
    """
    _check_options(method, ri_table, threshold, aggregation)
    if isinstance(judgments_or_path, (str, os.PathLike)):
        node: Node = load_judgments(judgments_or_path, labels=labels, scale=scale)
    elif isinstance(judgments_or_path, (Judgments, GroupJudgments, Hierarchy)):
        node = judgments_or_path
    elif isinstance(judgments_or_path, np.ndarray):
        node = parse_judgments(judgments_or_path, labels=labels, scale=scale or "saaty")
    else:
        node = parse_document(judgments_or_path, labels=labels, scale=scale)
    o = {"method": method, "ri_table": ri_table, "threshold": threshold, "aggregation": aggregation, "top": top}
    body = _node_summary(node, o)
    name = ri_table if isinstance(ri_table, str) else "custom"
    head = {"kind": body.pop("kind"), "source": getattr(node, "source", None), "method": method,
            "ri_table": name, "ri_source": ahp.RI_SOURCES.get(name, "custom table given by the caller"),
            "threshold": threshold if isinstance(threshold, str) else float(threshold)}
    return {**head, **body}
