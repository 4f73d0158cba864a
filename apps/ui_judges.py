"""The judges' answers held in the session: reading them from a judgments document, writing them back,
and the group weights they give. No page rendering here, so that the state module and the AHP page can
both use it without importing each other.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import streamlit as st

from mcda_qualify.errors import InputError
from mcda_qualify.judgments import GroupJudgments, Hierarchy, Judge, parse_document
from mcda_qualify.judgments_summary import ahp_summary, weights_from_judgments

S = st.session_state


def _ids() -> list[str]:
    return S.criteria.ids


def text(v: float) -> Any:
    """A judgment value as the YAML file writes it: 3, or "1/3"."""
    f = Fraction(v).limit_denominator(9)
    return int(f) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def judges_from(data: dict[str, Any], labels: list[str] | None | bool = True) -> dict[str, dict[str, Any]]:
    """{name: {"weight": w, "pairs": {(a, b): value}}} from a flat or group judgments document (any
    form :func:`parse_document` reads: triples or matrices). Raises JudgmentError as the CLI does.
    ``labels``: checked against the criteria in the session (default), or None for the document's own."""
    node = parse_document(data, labels=_ids() if labels is True else labels or None)
    if isinstance(node, Hierarchy):
        raise InputError("a hierarchy of judgments is used as weights, not edited here", expected="see import")
    judges = node.judges if isinstance(node, GroupJudgments) else [Judge("Team", 1.0, node)]
    raw = data.get("judges") or [data]
    out = {}
    for j, given in zip(judges, raw):
        if isinstance(given.get("judgments"), list):  # keep each question the way round it was asked
            pairs = {(str(a), str(b)): float(Fraction(str(v))) for a, b, v in given["judgments"]}
        else:  # matrix form: the judgments above the diagonal
            labels, m = j.judgments.labels, j.judgments.matrix
            pairs = {(labels[a], labels[b]): float(m[a, b]) for a in range(len(labels))
                     for b in range(a + 1, len(labels)) if not np.isnan(m[a, b])}
        out[str(j.name)] = {"weight": float(j.weight), "pairs": pairs}
    return out


def document() -> dict[str, Any]:
    """The judges' answers as a judgments document (the YAML file format)."""
    return {"labels": _ids(),
            "judges": [{"name": n, "weight": j["weight"],
                        "judgments": [[a, b, text(v)] for (a, b), v in j["pairs"].items()]}
                       for n, j in S.judges.items()]}


def recompute() -> None:
    """Aggregate weights of the group; on an error keep the last good weights and say why."""
    try:
        node = parse_document(document(), labels=_ids())
        S.ahp_summary = ahp_summary(node)
        S.ahp_weights = weights_from_judgments(node)
        S.ahp_error = None
    except InputError as exc:
        S.ahp_error = str(exc)


def fitting(judges: dict[str, dict[str, Any]], ids: list[str]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The judges whose every pair names criteria in ``ids``, and a message per judge set aside (never
    applied: judgments about other criteria would weight the wrong things)."""
    kept, notes = {}, []
    for name, j in judges.items():
        unknown = sorted({x for pair in j["pairs"] for x in pair} - set(ids))
        if unknown or not j["pairs"]:
            why = f"criteria not in this criteria file: {', '.join(unknown)}" if unknown else "no judgments"
            notes.append(f"{name}'s judgments set aside ({why}).")
        else:
            kept[name] = j
    return kept, notes


def starting_judges(ids: list[str]) -> dict[str, dict[str, Any]]:
    """One stakeholder judging every criterion equal to the first: a start that fits any criteria."""
    return {"Team": {"weight": 1.0, "pairs": {(ids[0], c): 1.0 for c in ids[1:]}}}


def install(judges: dict[str, dict[str, Any]], source: str | None = None) -> list[str]:
    """Put ``judges`` in the session for the criteria in force, setting aside those that do not fit;
    returns the messages (also appended to ``S.messages``). Pairwise widgets are reset."""
    kept, notes = fitting(judges, _ids())
    if notes:
        S.judges_set_aside = {**S.get("judges_set_aside", {}), **{n: j for n, j in judges.items() if n not in kept}}
        notes = [f"{source}: {n}" if source else n for n in notes]
    if not kept:
        kept = starting_judges(_ids())
        if judges:
            notes.append("Pairwise judgments start afresh for these criteria (one stakeholder, 'Team').")
    S.judges = kept
    S.judge = next(iter(kept))
    for k in [k for k in S if str(k).startswith("pair_")]:
        del S[k]
    S.messages = [*S.get("messages", []), *notes]
    S.pop("ahp_weights", None)  # weights of other judgments never stay in force
    S.pop("ahp_summary", None)
    recompute()
    return notes


def load_document(data: Any, source: str | None = None) -> list[str]:
    """Judges from a judgments document, checked against the criteria in force (see :func:`install`)."""
    return install(judges_from(data, labels=None), source)
