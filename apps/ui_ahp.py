"""Pairwise judgments in the app: questions in words, live CR, suggestions, several stakeholders.

All numbers come from :func:`mcda_qualify.judgments.ahp_summary` and
:func:`mcda_qualify.judgments.weights_from_judgments`; this module only keeps the judges' answers.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any

import pandas as pd
import streamlit as st
import ui_state
import yaml
from ui_judges import document, judges_from, recompute, text

from mcda_qualify.errors import InputError
from mcda_qualify.io.yaml_loader import load_yaml
from mcda_qualify.judgments import parse_document, read_document
from mcda_qualify.judgments_summary import ahp_summary, weights_from_judgments

S = ui_state.S
#: Saaty's scale in words, from "b extremely more important" to "a extremely more important"
WORDS = {1: "equally", 2: "equally to moderately", 3: "moderately", 4: "moderately to strongly", 5: "strongly",
         6: "strongly to very strongly", 7: "very strongly", 8: "very to extremely", 9: "extremely"}
OPTIONS = [Fraction(1, k) for k in range(9, 1, -1)] + [Fraction(k) for k in range(1, 10)]


def _label(v: Fraction) -> str:
    if v >= 1:
        return f"{WORDS[int(v)]} more important ({v})" if v > 1 else "equally important (1)"
    return f"{WORDS[int(1 / v)]} less important ({v})"




def init() -> None:
    if "judges" in S:
        return
    data = read_document(ui_state.DEFAULT_JUDGMENTS)
    S.judges = judges_from(data)
    S.judge = next(iter(S.judges))
    S.ahp_error = None
    recompute()








def _sync() -> None:
    """Take the other stakeholders' latest saved judgments from the decision store (issue: each
    judge answers in their own browser); the judge answering here keeps their unsaved answers."""
    from mcda_qualify.io import store

    from mcda_qualify.io.files import is_file

    path = ui_state.db_path()
    try:
        if not is_file(path):
            return
        panel = store.panel_judgments(path, S.decision_name)
    except InputError:
        return
    if not panel:
        return
    stamp = yaml.safe_dump(panel, sort_keys=True)
    if S.get("panel_stamp") == stamp:
        return
    S.panel_stamp = stamp
    for j in panel["judges"]:
        if j["name"] == S.get("judge"):
            continue
        pairs = {(a, b): float(Fraction(str(v))) for a, b, v in j["judgments"]}
        S.judges[j["name"]] = {"weight": float(j.get("weight", 1)), "pairs": pairs}
        for k in [k for k in S if str(k).startswith(f"pair_{j['name']}_")]:
            del S[k]
    recompute()


def save_mine(name: str) -> int:
    """Store this judge's judgments under their name (a new revision)."""
    from mcda_qualify.io import store

    j = S.judges[name]
    doc = {"labels": ui_state.criteria().ids, "judgments": [[a, b, text(v)] for (a, b), v in j["pairs"].items()]}
    return store.save_judgments(ui_state.db_path(), S.decision_name, name, doc, weight=j["weight"])


def _judge_summary(name: str) -> dict[str, Any] | None:
    j = S.judges[name]
    doc = {"labels": ui_state.criteria().ids, "judgments": [[a, b, text(v)] for (a, b), v in j["pairs"].items()]}
    try:
        return ahp_summary(parse_document(doc, labels=ui_state.criteria().ids))
    except InputError as exc:
        st.error(f"{name}: {exc}")
        return None


def _set(name: str, pair: tuple[str, str], value: float) -> None:
    S.judges[name]["pairs"][pair] = value
    S.pop(f"pair_{name}_{pair[0]}_{pair[1]}", None)  # the slider shows the new value
    recompute()


def _colour(cr: float, threshold: float) -> str:
    return "green" if cr <= threshold else ("orange" if cr <= 2 * threshold else "red")


def render() -> None:
    init()
    _sync()
    crit = ui_state.criteria()
    names = {c.id: c.name for c in crit.criteria}
    top = st.columns([2, 1])
    S.judge = top[0].selectbox("Stakeholder answering", list(S.judges), index=list(S.judges).index(S.judge),
                               key="judge_select")
    with top[1].popover("Add a stakeholder"):
        new = st.text_input("Name", key="new_judge")
        if st.button("Add", key="add_judge") and new.strip() and new.strip() not in S.judges:
            first = crit.ids[0]
            S.judges[new.strip()] = {"weight": 1.0, "pairs": {(first, c): 1.0 for c in crit.ids[1:]}}
            S.judge = new.strip()
            recompute()
            st.rerun()

    name = S.judge
    judge = S.judges[name]
    summary = _judge_summary(name)
    if summary is not None:
        cr, thr = summary["cr"], summary["cr_threshold"]
        colour = _colour(cr, thr)
        verdict = "consistent" if summary["consistent"] else "inconsistent: review the judgments below"
        st.markdown(f"**{name}**: consistency ratio :{colour}[**CR {cr:.3f}**] ({verdict}; threshold {thr:g}, "
                    f"RI table {summary['ri_table']})")
        if not summary["consistent"]:
            st.warning(f"{name}'s judgments are inconsistent (CR {cr:.3f} > {thr:g}). Suggestions below.")
            for r in summary["judgments_to_review"][:3]:
                pair = (r["a"], r["b"]) if (r["a"], r["b"]) in judge["pairs"] else (r["b"], r["a"])
                if pair not in judge["pairs"]:
                    continue
                given = judge["pairs"][pair]
                suggested = r["suggested"] if pair == (r["a"], r["b"]) else 1 / r["suggested"]
                c1, c2 = st.columns([4, 1])
                c1.write(f"{names[pair[0]]} vs {names[pair[1]]}: given {text(given)}, consistent value "
                         f"{(r['consistent_value'] if pair == (r['a'], r['b']) else 1 / r['consistent_value']):.2f}, "
                         f"suggest **{text(suggested)}**")
                c2.button("Apply", key=f"apply_{name}_{pair[0]}_{pair[1]}", on_click=_set,
                          args=(name, pair, float(suggested)))

    if st.button(f"Save {name}'s judgments for everyone", key="save_judge",
                 help=f"Stored per stakeholder in the decision '{S.decision_name}' ({ui_state.db_path()}); "
                      "the others see them on their next refresh."):
        try:
            rev = save_mine(name)
        except InputError as exc:
            st.error(str(exc))
        else:
            st.success(f"Saved {name}'s judgments (revision {rev}).")
    st.caption("Each question: the first criterion is ... important than the second (Saaty's 1-9 scale).")
    for (a, b), v in list(judge["pairs"].items()):
        key = f"pair_{name}_{a}_{b}"
        if key not in S:
            S[key] = Fraction(text(v)) if isinstance(text(v), int) else Fraction(str(text(v)))
        st.select_slider(f"**{names[a]}** is ... than **{names[b]}**", options=OPTIONS, key=key,
                         format_func=_label, on_change=lambda k=key, p=(a, b): _set(name, p, float(S[k])))
    with st.expander("Ask another pair"):
        c1, c2 = st.columns(2)
        a = c1.selectbox("First criterion", crit.ids, key="new_pair_a", format_func=names.get)
        b = c2.selectbox("Second criterion", [c for c in crit.ids if c != a], key="new_pair_b", format_func=names.get)
        if st.button("Add this question", key="add_pair") and (a, b) not in judge["pairs"] and (b, a) not in judge["pairs"]:
            _set(name, (a, b), 1.0)
            st.rerun()

    st.subheader("The group")
    if S.ahp_error:
        st.error(f"Group weights not updated, the last valid ones stay in force: {S.ahp_error}")
    g = S.get("ahp_summary")
    if g:
        rows = [{"criterion": k, "group weight": v,
                 **{f"{n}": j["weights"].get(k) for n, j in (g.get("judges") or {}).items()}}
                for k, v in g["weights"].items()]
        st.dataframe(pd.DataFrame(rows).sort_values("group weight", ascending=False), hide_index=True,
                     width="stretch", key="group_weights")
        if g.get("consensus"):
            st.caption(f"Consensus {g['consensus']['value']:.2f} ({g['consensus']['description']}).")
        if g.get("disagreements"):
            st.markdown("**Where the stakeholders disagree most**")
            st.dataframe(pd.DataFrame([{"pair": f"{d['a']} vs {d['b']}",
                                        **{n: (None if v is None else str(text(v))) for n, v in d["values"].items()}}
                                       for d in g["disagreements"]]), hide_index=True, width="stretch",
                         key="disagreements")

    c1, c2 = st.columns(2)
    c1.download_button("Export judgments (YAML)", yaml.safe_dump(document(), sort_keys=False, allow_unicode=True),
                       file_name="judgments.yaml", mime="text/yaml", key="export_judgments")
    up = c2.file_uploader("Import judgments (YAML)", type=["yaml", "yml"], key="import_judgments")
    if ui_state.fresh_upload(up, "judgments_upload"):
        try:
            data = load_yaml(up.getvalue().decode("utf-8"))  # duplicate keys, alias bombs refused
            if not isinstance(data, dict):
                raise InputError("the judgments file must be a mapping", file=up.name)
            if "children" in data:  # sub-criteria: their global leaf weights become the direct weights
                node = parse_document(data, labels=ui_state.criteria().ids, source=up.name)
                w = weights_from_judgments(node)
                S.weights = {c: round(w[c] * 100, 9) for c in ui_state.criteria().ids}
                S.weights_mode = "direct"
                for k in [k for k in S if str(k).startswith(("w_", "mode_radio"))]:
                    del S[k]
                S.judgments_import_error = None
                S.messages = [f"{up.name}: hierarchy of judgments; its global leaf weights are now the direct weights."]
                st.rerun()
            judges = judges_from(data)
        except (InputError, yaml.YAMLError, UnicodeDecodeError) as exc:
            S.judgments_import_error = f"{up.name}: {exc}"
        else:
            S.judges = judges
            S.judge = next(iter(judges))
            S.judgments_import_error = None
            for k in [k for k in S if str(k).startswith("pair_")]:
                del S[k]
            recompute()
            st.rerun()
    if S.get("judgments_import_error"):
        st.error(f"Import not used, the previous judgments are kept: {S.judgments_import_error}")
