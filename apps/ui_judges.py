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


def document(*, every: bool = False) -> dict[str, Any]:
    """The judges' answers as a judgments document (the YAML file format): the judges who count
    (see :func:`counted`), or ``every`` judge with at least one answer."""
    names = [n for n, j in S.judges.items() if j["pairs"]] if every else counted()
    return {"labels": _ids(),
            "judges": [{"name": n, "weight": S.judges[n]["weight"],
                        "judgments": [[a, b, text(v)] for (a, b), v in S.judges[n]["pairs"].items()]}
                       for n in names]}


def recompute() -> None:
    """Aggregate weights of the group; on an error keep the last good weights and say why."""
    try:
        node = parse_document(document(), labels=_ids())
        S.ahp_summary = ahp_summary(node)
        S.ahp_weights = weights_from_judgments(node)
        S.ahp_error = None
    except InputError as exc:
        S.ahp_error = str(exc)


# --------------------------------------------------------------------------------------------
# a meeting: who counts, what is unsaved, what others saved (issue 14)
# --------------------------------------------------------------------------------------------


def init(default_path: Any) -> None:
    """The bundled judges on a session's first run (the store's are merged in by :func:`sync`)."""
    if "judges" in S:
        return
    from mcda_qualify.io.yaml_loader import read_yaml

    data = read_yaml(default_path, "a judgments YAML file")
    S.ahp_error = None
    load_document(data, "bundled judgments")  # set aside, with a message, when they fit other criteria


def dirty() -> set[str]:
    """Judges with answers given in this session and not saved yet."""
    if "dirty_judges" not in S:
        S.dirty_judges = set()
    return S.dirty_judges


def linked(pairs: Any, ids: list[str]) -> bool:
    """True when the answered pairs link every criterion to every other (a connected comparison graph:
    the least an incomplete AHP matrix needs, Harker 1987); until then a judge does not count."""
    parent = {c: c for c in ids}

    def root(c: str) -> str:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for a, b in pairs:
        if a in parent and b in parent:
            parent[root(a)] = root(b)
    return len({root(c) for c in ids}) == 1


def counted() -> list[str]:
    """The judges whose answers enter the group weights (answered pairs linking every criterion)."""
    return [n for n, j in S.judges.items() if j["pairs"] and linked(j["pairs"], _ids())]


def questions(name: str) -> list[tuple[str, str]]:
    """The pairs put to a judge: those answered, then those asked and not answered yet."""
    j = S.judges[name]
    asked = [tuple(p) for p in j.get("asked", []) if tuple(p) not in j["pairs"] and tuple(p[::-1]) not in j["pairs"]]
    return list(j["pairs"]) + asked


def add_judge(name: str) -> None:
    """A new stakeholder, asked each criterion against the first; unanswered pairs are missing, not equal."""
    ids = _ids()
    S.judges[name] = {"weight": 1.0, "pairs": {}, "asked": [(ids[0], c) for c in ids[1:]]}
    S.judge = name
    S.judge_select = name


def answer(name: str, pair: tuple[str, str], value: float) -> None:
    S.judges[name]["pairs"][pair] = float(value)
    dirty().add(name)
    recompute()


def progress() -> list[dict[str, Any]]:
    """Who has answered how many pairs, whether they count yet, their weight and unsaved changes."""
    n = len(_ids())
    total = n * (n - 1) // 2
    g = S.get("ahp_summary") or {}
    crs = {k: v.get("cr") for k, v in (g.get("judges") or {}).items()}
    if not crs and len(counted()) == 1 and g.get("cr") is not None:
        crs = {counted()[0]: g["cr"]}
    rows = []
    for name, j in S.judges.items():
        k = len(j["pairs"])
        rows.append({"stakeholder": name, "answered": k, "of": total,
                     "counts": "yes" if name in counted() else f"after at least {max(n - 1 - k, 1)} more answers",
                     "weight": float(j["weight"]),
                     "CR": "" if crs.get(name) is None else f"{crs[name]:.3f}",
                     "saved": "unsaved changes" if name in dirty() else ("saved" if name in S.get("stored_judges", ()) else "not saved")})
    return rows


def sync(path: Any, decision: str) -> bool:
    """Take every judge's latest saved judgments from the decision store; a judge with unsaved answers
    in this session keeps them. True when something changed. (Before issue 14 the judge selected in
    the session was skipped, so a new browser, which selects the first judge, never saw that judge's
    saved answers.)"""
    from fractions import Fraction

    import yaml

    from mcda_qualify.io import store

    if path is None or not path.exists():
        return False
    try:
        panel = store.panel_judgments(path, decision)
    except InputError:
        return False
    if not panel:
        return False
    stamp = yaml.safe_dump(panel, sort_keys=True)
    if S.get("panel_stamp") == stamp:
        return False
    S.panel_stamp = stamp
    S.stored_judges = {j["name"] for j in panel["judges"]}
    for j in panel["judges"]:
        if j["name"] in dirty():
            continue
        pairs = {(a, b): float(Fraction(str(v))) for a, b, v in j.get("judgments", [])}
        if not {x for pair in pairs for x in pair} <= set(_ids()):
            continue  # saved for other criteria: never applied
        S.judges[j["name"]] = {"weight": float(j.get("weight", 1)), "pairs": pairs}
        for k in [k for k in S if str(k).startswith((f"pair_{j['name']}_", f"ask_{j['name']}_"))
                  or k == f"jw_{j['name']}"]:
            del S[k]
    recompute()
    return True


def save(path: Any, decision: str, name: str, *, author: str | None = None) -> int:
    """Store one judge's judgments under their name (a new revision); they are no longer unsaved."""
    from mcda_qualify.io import store

    j = S.judges[name]
    doc = {"labels": _ids(), "judgments": [[a, b, text(v)] for (a, b), v in j["pairs"].items()]}
    rev = store.save_judgments(path, decision, name, doc, weight=j["weight"], author=author)
    dirty().discard(name)
    return rev


def set_weight(path: Any, decision: str, name: str, weight: float) -> None:
    """The facilitator's weight for a judge; stored at once (a new revision of that judge's saved
    judgments, by 'facilitator') when the judge has saved judgments, else kept in this session."""
    from mcda_qualify.io import store

    S.judges[name]["weight"] = float(weight)
    if path is not None and path.exists():
        try:
            latest = store.load_judgments(path, decision).get(name)
        except InputError:  # no judgments saved for this decision yet
            latest = None
        if latest is not None:
            store.save_judgments(path, decision, name, latest, weight=float(weight), author="facilitator",
                                 note="judge weight set by the facilitator")
    recompute()


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
