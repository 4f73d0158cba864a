"""Which single judgment decides the top opportunity: reverse it (v -> 1/v) and rank again.

A one-at-a-time sensitivity analysis on the pairwise judgments, in the spirit of the "most critical
criterion" analysis of Triantaphyllou, E. & Sanchez, A. (1997), A sensitivity analysis approach for
some deterministic multi-criteria decision-making methods, Decision Sciences 28(1), 151-194, applied
to judgments instead of weights: a judgment whose reversal changes the top *qualified* opportunity
is worth a second look whatever the consistency ratio says (a reversal can keep CR below 0.1).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

from .errors import InputError
from .portfolio import Portfolio
from .qualify import gate_failures

__all__ = ["top_qualified", "pivotal_judgments"]


def top_qualified(result: Any, portfolio: Portfolio) -> str | None:
    """The best opportunity that qualifies: status ``Qualified`` where the method has score bands,
    else the best one that passes every knock-out gate; None when there is none."""
    table = result.sorted()
    if "status" in table.columns:
        ok = table["status"].eq("Qualified")
    else:
        fails = dict(zip(portfolio.ids, gate_failures(portfolio)))
        ok = table["id"].map(lambda i: not fails[i])
    return str(table.loc[ok, "id"].iloc[0]) if ok.any() else None


def _value(v: Any) -> float:
    return float(Fraction(str(v)))


def pivotal_judgments(document: Mapping[str, Any], judge: str, portfolio: Portfolio, *, method: str = "topsis",
                      normalization: str = "vector", exclude: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The judgments of ``judge`` in a group (or flat) judgments ``document`` whose reversal changes
    the top qualified opportunity: ``[{"a", "b", "given", "reversed", "top", "top_if_reversed"}]``.

    Each judgment [a, b, v] is replaced by [a, b, 1/v] alone, the (group) weights recomputed as
    :func:`~mcda_qualify.decision.decide` does, and the portfolio ranked again. Judgments equal to 1
    reverse to themselves and are skipped; a reversal that makes the judgments unusable is skipped.
    """
    from .judgments import parse_document
    from .judgments_summary import weights_from_judgments
    from .qualify import _thresholds, has_bands
    from .ranking import rank

    fails = [bool(f) for f in gate_failures(portfolio)]
    labels = portfolio.criteria.ids

    def ranked(doc: Mapping[str, Any]) -> Any:
        w = weights_from_judgments(parse_document(dict(doc), labels=labels))
        return rank(portfolio, w, method, normalization=normalization, exclude=exclude)

    first = ranked(document)
    bands = _thresholds(portfolio, first, None) if has_bands(portfolio, first.method) else None

    def top(doc: Mapping[str, Any]) -> str | None:
        # the same rule as qualify(): a failed gate is never outweighed, then the qualified band
        r = first if doc is document else ranked(doc)
        t = r.sorted()
        for oid, score in zip(t["id"], t["score"]):
            i = portfolio.ids.index(oid)
            if fails[i]:
                continue
            if bands is None or (score >= bands["qualified"] if r.better == "higher" else score <= bands["qualified"]):
                return str(oid)
        return None

    judges = document.get("judges")
    entry = next((j for j in judges if j.get("name") == judge), None) if judges else document
    if entry is None:
        raise InputError("no such judge in the judgments", value=judge,
                         expected=f"one of {[j.get('name') for j in judges]}")
    base = top(document)
    out = []
    for k, (a, b, v) in enumerate(entry.get("judgments", [])):
        given = _value(v)
        if abs(given - 1.0) < 1e-12:
            continue
        flipped = [list(t) for t in entry["judgments"]]
        flipped[k] = [a, b, str(Fraction(1 / given).limit_denominator(9)) if given > 1 else round(1 / given, 9)]
        new_entry = {**entry, "judgments": flipped}
        doc = ({**document, "judges": [new_entry if j is entry else j for j in judges]} if judges else new_entry)
        try:
            after = top(doc)
        except InputError:
            continue
        if after != base:
            out.append({"a": str(a), "b": str(b), "given": given, "reversed": 1 / given, "top": base,
                        "top_if_reversed": after})
    return out
