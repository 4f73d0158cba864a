"""Weights and the AHP summary from parsed judgments: priorities, consistency, the judgments to review, group aggregation and consensus, in one plain dictionary for the CLI, the app and the report."""
from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any, Literal
import numpy as np
from mcda_qualify.core import ahp
from mcda_qualify.core import ahp_review
from mcda_qualify.core import ahp_group
from mcda_qualify.core import completion as _completion
from mcda_qualify.core import consistency_rules
from mcda_qualify.errors import JudgmentError
from .judgments import GroupJudgments, Hierarchy, Judgments, Node, load_judgments, parse_document, parse_judgments


#: Completions of incomplete judgments (the first is the default): see COMPLETION_SOURCES.
COMPLETIONS: tuple[str, ...] = _completion.COMPLETIONS
#: The default random index: Saaty's (1980) table for complete matrices (unchanged), Agoston & Csato's
#: (2022) RI(n, missing pairs) (a simulated reproduction, see core/completion.py) for incomplete ones.
DEFAULT_RI = ("saaty_1980", "agoston_csato_2022")
RI_DEFAULT_RULE = ("saaty_1980 for complete matrices; agoston_csato_2022 RI(n, missing pairs) for "
                   "incomplete ones (a named table of --ri applies to both)")


# --------------------------------------------------------------------------- results
def _check_options(method: str, ri_table: Any, threshold: Any, aggregation: str,
                   completion: str = "optimal") -> None:
    ahp._check_method(method)
    if ri_table is not None and not (isinstance(ri_table, str) and ri_table in _completion.INCOMPLETE_RI_TABLES):
        ahp.random_index(3, ri_table)
    ahp.cr_threshold(3, threshold)
    if aggregation not in ("aij", "aip"):
        raise JudgmentError("unknown aggregation", value=aggregation,
                            expected="'aij' (aggregate judgments) or 'aip' (aggregate priorities)")
    if completion not in COMPLETIONS:
        raise JudgmentError("unknown completion of incomplete judgments", value=completion,
                            expected=" or ".join(repr(c) for c in COMPLETIONS))


def _priorities(matrix: np.ndarray, method: str, completion: str) -> np.ndarray:
    """Priorities of a matrix; an incomplete one is completed by ``completion`` first."""
    return _completion.completed_weights(matrix, completion, method)


def _local(node: Judgments | GroupJudgments, method: str, aggregation: str, completion: str) -> np.ndarray:
    if isinstance(node, Judgments):
        return _priorities(node.matrix, method, completion)
    if aggregation == "aij":
        return _priorities(ahp_group.aggregate_judgments(node.matrices, node.judge_weights), method, completion)
    ws = np.stack([_priorities(j.judgments.matrix, method, completion) for j in node.judges])
    return ahp_group.aggregate_priorities(ws, node.judge_weights)


def _local_tree(node: Node, method: str, aggregation: str, out: dict, key: Any, completion: str = "optimal") -> None:
    root = node.root if isinstance(node, Hierarchy) else node
    w = _local(root, method, aggregation, completion)
    out[key] = dict(zip(root.labels, w.tolist()))
    if isinstance(node, Hierarchy):
        for label, child in node.children.items():
            _local_tree(child, method, aggregation, out, label, completion)


_ROOT = ("<root>",)


def weights_from_judgments(node: Node, method: ahp.Method = "eigenvector",
                           aggregation: Literal["aij", "aip"] = "aij",
                           completion: Literal["optimal", "harker", "llsm"] = "optimal") -> dict[str, float]:
    """Leaf weights {label: w} of any node: local priorities, times the parents' global weights.

    Incomplete judgments are completed by ``completion``: ``"optimal"`` (lambda_max-optimal, Bozoki,
    Fulop & Ronyai 2010; the default), ``"harker"`` (Harker 1987) or ``"llsm"`` (logarithmic least
    squares); complete matrices give the same weights whatever ``completion``.
    """
    _check_options(method, "saaty_1980", 0.1, aggregation, completion)
    local: dict = {}
    _local_tree(node, method, aggregation, local, _ROOT, completion)
    return {str(k): float(v) for k, v in ahp_group.global_weights(local, _ROOT).items()}


def _num(x: Any) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _consistency(matrix: np.ndarray, o: dict) -> dict:
    """Weights, CR (optimal lambda_max, RI for n and missing pairs), GCI and the one verdict of a matrix."""
    method = o["method"]
    table = o["ri_table"]
    if table is None:
        table = DEFAULT_RI[1] if ahp.missing_mask(matrix).any() else DEFAULT_RI[0]
    r = _completion.completion_weights(matrix, o["completion"], method, ri_table=table)
    gci = gthr = None
    if method == "geometric":
        gci = ahp.geometric_consistency_index(matrix, r.weights)
        gthr = consistency_rules.gci_threshold(r.n)
    v = consistency_rules.consistency_verdict(r.cr, gci, n=r.n, cr_threshold=o["threshold"])
    gok = None if gci is None else (True if gthr is None else v.other_consistent)
    return {"result": r, "weights": r.weights, "lambda_max": r.lambda_max, "ci": r.ci, "ri": r.ri, "cr": r.cr,
            "cr_threshold": ahp.cr_threshold(r.n, o["threshold"]), "consistent": v.consistent,
            "gci": gci, "gci_threshold": gthr, "gci_consistent": gok,
            "verdict": asdict(v), "completion": o["completion"], "missing_pairs": r.missing,
            "ri_table": r.ri_table, "ri_source": r.ri_source}


def _matrix_summary(labels: tuple[str, ...], matrix: np.ndarray, o: dict, repair: bool) -> dict:
    method, top = o["method"], o["top"]
    c = _consistency(matrix, o)
    res = c["result"]
    inferred = []
    if res.missing:
        full = res.matrix
        inferred = [{"a": labels[i], "b": labels[j], "value": float(full[i, j])}
                    for i, j in zip(*np.nonzero(np.triu(ahp.missing_mask(matrix), 1)))]
    reviews = ahp_review.judgments_to_review(matrix, c["weights"], method=method, top=top)
    triads = ahp_review.inconsistent_triads(matrix, top=top)
    out = {
        "labels": list(labels),
        "weights": dict(zip(labels, (float(x) for x in c["weights"]))),
        "lambda_max": c["lambda_max"], "ci": c["ci"], "ri": c["ri"], "cr": c["cr"],
        "cr_threshold": c["cr_threshold"], "consistent": c["consistent"],
        "gci": _num(c["gci"]), "gci_threshold": _num(c["gci_threshold"]), "gci_consistent": c["gci_consistent"],
        "verdict": c["verdict"],
        "complete": not inferred, "inferred": inferred,
        "completion": c["completion"], "missing_pairs": c["missing_pairs"],
        # lambda_max of the matrix completed by `completion` (= lambda_max for "optimal" or complete)
        "completion_lambda_max": res.completion_lambda_max,
        "ri_table": c["ri_table"], "ri_source": c["ri_source"],
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
    if repair and not c["consistent"]:
        if res.missing:  # the CR as shown: optimal lambda_max, RI for the missing pairs
            ri_seq = [0.0] * (res.n - 1) + [res.ri]
            rep = ahp_review.propose_repair(matrix, ri_table=ri_seq, threshold=o["threshold"], method=method,
                                            completion=o["completion"])
        else:
            rep = ahp_review.propose_repair(matrix, ri_table=c["ri_table"] if o["ri_table"] is not None
                                            else DEFAULT_RI[0], threshold=o["threshold"], method=method)
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
        c = _consistency(judge.judgments.matrix, o)
        individual.append(c["weights"])
        reviews = ahp_review.judgments_to_review(judge.judgments.matrix, c["weights"], method=method, top=top)
        judges[judge.name] = {
            "weight": float(v), "weights": dict(zip(labels, (float(x) for x in c["weights"]))),
            "lambda_max": c["lambda_max"], "cr": c["cr"], "consistent": c["consistent"],
            "verdict": c["verdict"], "missing_pairs": c["missing_pairs"], "ri": c["ri"],
            "ri_table": c["ri_table"], "ri_source": c["ri_source"],
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
               "verdict": None, "completion": o["completion"],
               "missing_pairs": max(j["missing_pairs"] for j in judges.values()),
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
    _local_tree(node, o["method"], o["aggregation"], local, _ROOT, o["completion"])
    out["global_weights"] = {str(k): float(v) for k, v in ahp_group.global_weights(local, _ROOT).items()}
    return out


def ahp_summary(judgments_or_path: Any, method: ahp.Method = "eigenvector",
                ri_table: str | Sequence[float] | None = None, threshold: float | str = 0.1,
                labels: Sequence[str] | None = None, aggregation: Literal["aij", "aip"] = "aij",
                top: int | None = 5, scale: Literal["saaty", "continuous"] | None = None,
                completion: Literal["optimal", "harker", "llsm"] = "optimal") -> dict:
    """JSON-serialisable AHP report of a judgments file, parsed document or labelled node.

    Keys: ``kind`` (single | group | hierarchy), ``source``, ``method``, ``completion`` (of incomplete
    judgments: ``"optimal"`` lambda_max-optimal, Bozoki, Fulop & Ronyai 2010, the default;
    ``"harker"`` Harker 1987; ``"llsm"``) and ``completion_source``, ``ri_table``, ``ri_source`` (the
    sentence naming the random index used), ``threshold``, ``labels``, ``weights`` {label: w},
    ``lambda_max`` (of the optimal completion when incomplete), ``ci``, ``ri``, ``cr``,
    ``cr_threshold``, ``consistent``, ``verdict`` (the one rule of
    :func:`mcda_qualify.core.consistency_rules.consistency_verdict`: the CR decides, the GCI is
    reported beside it), ``gci`` (geometric method; unrounded thresholds), ``complete``,
    ``missing_pairs``, ``inferred`` [{a, b, value}], ``judgments_to_review`` [{a, b, given,
    consistent_value, suggested, error}] (worst first, ``top`` of them), ``inconsistent_triads``,
    ``repair`` (a proposal when not consistent, else None); for groups also ``judges``,
    ``aggregation``, ``consensus``, ``disagreements``; for a hierarchy also ``children`` (the same per
    node), ``global_weights`` {leaf: w} and ``all_consistent``.
    ``ri_table`` None (default): Saaty's 1980 table for complete matrices and Agoston & Csato's (2022)
    RI(n, missing pairs) for incomplete ones; a named table applies to every matrix.
    Reads the file when given a path; never prints.
    """
    _check_options(method, ri_table, threshold, aggregation, completion)
    if isinstance(judgments_or_path, (str, os.PathLike)):
        node: Node = load_judgments(judgments_or_path, labels=labels, scale=scale)
    elif isinstance(judgments_or_path, (Judgments, GroupJudgments, Hierarchy)):
        node = judgments_or_path
    elif isinstance(judgments_or_path, np.ndarray):
        node = parse_judgments(judgments_or_path, labels=labels, scale=scale or "saaty")
    else:
        node = parse_document(judgments_or_path, labels=labels, scale=scale)
    o = {"method": method, "ri_table": ri_table, "threshold": threshold, "aggregation": aggregation, "top": top,
         "completion": completion}
    body = _node_summary(node, o)
    name = ri_table if isinstance(ri_table, str) else ("custom" if ri_table is not None else DEFAULT_RI[0])
    head = {"kind": body.pop("kind"), "source": getattr(node, "source", None), "method": method,
            "completion": completion, "completion_source": _completion.COMPLETION_SOURCES[completion],
            "ri_table": name, "ri_source": ahp.RI_SOURCES.get(name, "custom table given by the caller"),
            "ri_rule": RI_DEFAULT_RULE if ri_table is None else f"{name} for every matrix",
            "threshold": threshold if isinstance(threshold, str) else float(threshold)}
    return {**head, **body}
