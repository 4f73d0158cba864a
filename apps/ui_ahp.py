"""Pairwise judgments in the app: questions in words, live CR, suggestions, several stakeholders.

All numbers come from :func:`mcda_qualify.judgments_summary.ahp_summary`,
:func:`mcda_qualify.judgments_summary.weights_from_judgments` and
:func:`mcda_qualify.judgment_impact.pivotal_judgments`; the answers live in :mod:`ui_judges`.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any

import pandas as pd
import streamlit as st
import ui_judges
import ui_state
import ui_team
import yaml
from ui_judges import document, judges_from, recompute, text

from mcda_qualify.errors import InputError
from mcda_qualify.io.yaml_loader import load_yaml
from mcda_qualify.judgments import parse_document
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
    ui_judges.init(ui_state.DEFAULT_JUDGMENTS)


def save_mine(name: str) -> int:
    """Store this judge's judgments under their name (a new revision); in team mode only with their link."""
    if not ui_team.can_edit(name):
        raise InputError(f"only {name}, with their own link, can save {name}'s judgments")
    return ui_judges.save(ui_state.db_path(), S.decision_name, name)


def _judge_summary(name: str) -> dict[str, Any] | None:
    j = S.judges[name]
    if not ui_judges.linked(j["pairs"], ui_state.criteria().ids):
        return None
    doc = {"labels": ui_state.criteria().ids, "judgments": [[a, b, text(v)] for (a, b), v in j["pairs"].items()]}
    try:
        return ahp_summary(parse_document(doc, labels=ui_state.criteria().ids))
    except InputError as exc:
        st.error(f"{name}: {exc}")
        return None


def _set(name: str, pair: tuple[str, str], value: float) -> None:
    if not ui_team.can_edit(name):  # a widget drawn disabled is also refused here
        S.pop(f"pair_{name}_{pair[0]}_{pair[1]}", None)
        return
    ui_judges.answer(name, pair, value)
    S.pop(f"pair_{name}_{pair[0]}_{pair[1]}", None)  # the slider shows the new value


def _on_pair(name: str, pair: tuple[str, str], key: str) -> None:
    """A pairwise slider moved. Its key can be gone when another stakeholder's saved judgments were taken
    in meanwhile (:func:`ui_judges.sync` resets that judge's sliders): then there is nothing to record."""
    if S.get(key) is not None and name in S.judges:
        _set(name, pair, float(S[key]))


def _ask(name: str, pair: tuple[str, str], key: str) -> None:
    if S.get(key) is not None and ui_team.can_edit(name):
        ui_judges.answer(name, pair, float(S[key]))


def _add_judge() -> None:
    new = str(S.get("new_judge") or "").strip()
    if new and new not in S.judges:
        ui_judges.add_judge(new)
        S.new_judge = ""


def _colour(cr: float, threshold: float, verdict: dict[str, Any] | None = None) -> str:
    """Green when the summary's verdict (core.consistency_rules.consistency_verdict) says consistent."""
    ok = verdict["consistent"] if verdict else cr <= threshold
    return "green" if ok else ("orange" if cr <= 2 * threshold else "red")


def pivotal(name: str) -> dict[tuple[str, str], dict[str, Any]]:
    """This judge's judgments whose reversal changes the top qualified opportunity (memoised on the
    judgments and settings; :func:`mcda_qualify.judgment_impact.pivotal_judgments`)."""
    from mcda_qualify.judgment_impact import pivotal_judgments

    if name not in ui_judges.counted():
        return {}
    doc = document()
    s = ui_state.settings()
    stamp = (yaml.safe_dump(doc, sort_keys=True), name, s.method, s.normalization, s.exclude, id(ui_state.portfolio()))
    memo = S.setdefault("pivotal_memo", {})
    if stamp not in memo:
        try:
            found = pivotal_judgments(doc, name, ui_state.portfolio(), method=s.method,
                                      normalization=s.normalization, exclude=list(s.exclude))
        except InputError:
            found = []
        memo.clear()
        memo[stamp] = {(r["a"], r["b"]): r for r in found}
    return memo[stamp]


def _second_look(name: str, summary: dict[str, Any], names: dict[str, str], editable: bool) -> None:
    """The judgments worth a second look at any CR: the furthest from the priorities (Saaty 2003), the
    circular triads (Kendall & Babington Smith 1940)."""
    judge = S.judges[name]
    reviews = summary["judgments_to_review"]
    if not summary["consistent"]:
        st.warning(f"{name}'s judgments are inconsistent (CR {summary['cr']:.3f} > {summary['cr_threshold']:g}). "
                   "Suggestions below.")
    shown = reviews[:3] if not summary["consistent"] else reviews[:1]
    if shown and summary["consistent"]:
        st.caption("Worth a second look even so: the judgment furthest from what the others imply (Saaty 2003).")
    for r in shown:
        pair = (r["a"], r["b"]) if (r["a"], r["b"]) in judge["pairs"] else (r["b"], r["a"])
        if pair not in judge["pairs"]:
            continue
        given = judge["pairs"][pair]
        same = pair == (r["a"], r["b"])
        suggested = r["suggested"] if same else 1 / r["suggested"]
        consistent = r["consistent_value"] if same else 1 / r["consistent_value"]
        c1, c2 = st.columns([4, 1])
        c1.write(f"{names[pair[0]]} vs {names[pair[1]]}: given {text(given)}, consistent value "
                 f"{consistent:.2f}, suggest **{text(suggested)}**")
        if editable and abs(suggested - given) > 1e-9:
            c2.button("Apply", key=f"apply_{name}_{pair[0]}_{pair[1]}", on_click=_set,
                      args=(name, pair, float(suggested)))
    for a, b, c in summary.get("intransitive_triads", []):
        st.warning(f"Circular preference: {names[a]} over {names[b]}, {names[b]} over {names[c]}, yet "
                   f"{names[c]} over {names[a]}. No weights can honour all three (a circular triad, "
                   "Kendall & Babington Smith 1940); the CR may still look fine.", icon=":material/sync_problem:")


def render() -> None:
    init()
    crit = ui_state.criteria()
    names = {c.id: c.name for c in crit.criteria}
    top = st.columns([2, 1])
    if S.get("judge") not in S.judges:
        S.judge = next(iter(S.judges))
    if S.get("judge_select") not in S.judges:
        S.judge_select = S.judge
    S.judge = top[0].selectbox("Stakeholder answering", list(S.judges), key="judge_select")
    if not ui_team.team_mode():
        with top[1].popover("Add a stakeholder"):
            st.text_input("Name", key="new_judge")
            st.button("Add", key="add_judge", on_click=_add_judge)
    ui_team.link_maker()

    name = S.judge
    judge = S.judges[name]
    editable = ui_team.can_edit(name)
    if not editable:
        st.info(f"You see {name}'s judgments; only {name}, with their own link, can change them.")
    if not judge["pairs"]:
        st.info(f"{name} has not answered yet and does not count in the group until their answers link every "
                "criterion (one question per criterion below).")
    summary = _judge_summary(name)
    if summary is not None:
        cr, thr = summary["cr"], summary["cr_threshold"]
        colour = _colour(cr, thr, summary.get("verdict"))
        verdict = "consistent" if summary["consistent"] else "inconsistent: review the judgments below"
        st.markdown(f"**{name}**: consistency ratio :{colour}[**CR {cr:.3f}**] ({verdict}; threshold {thr:g}, "
                    f"RI table {summary['ri_table']})")
        _second_look(name, summary, names, editable)
    elif judge["pairs"]:
        st.caption(f"{name} counts once their answers link every criterion.")

    if editable:
        unsaved = name in ui_judges.dirty()
        if st.button(f"Save {name}'s judgments for everyone", key="save_judge", type="primary" if unsaved else "secondary",
                     help=f"Stored per stakeholder in the decision '{S.decision_name}' ({ui_state.db_path()}); "
                          "the others see them on their next refresh."):
            try:
                rev = save_mine(name)
            except InputError as exc:
                st.error(str(exc))
            else:
                st.success(f"Saved {name}'s judgments (revision {rev}).")
        if name in ui_judges.dirty():
            st.caption(":orange[Unsaved answers]: the others do not see them yet.")
    flips = pivotal(name)
    if flips:
        st.caption(":red[Marked questions decide the top opportunity]: reversing that one answer alone "
                   "(e.g. 5 to 1/5) changes which opportunity comes first.")
    st.caption("Each question: the first criterion is ... important than the second (Saaty's 1-9 scale).")
    for a, b in ui_judges.questions(name):
        label = f"**{names[a]}** is ... than **{names[b]}**"
        if (a, b) in flips:
            f = flips[(a, b)]
            label += (f" :red[(reversing it changes the top opportunity: {f['top']} -> "
                      f"{f['top_if_reversed'] or 'none qualifies'})]")
        if (a, b) not in judge["pairs"]:
            key = f"ask_{name}_{a}_{b}"
            st.selectbox(label, OPTIONS, index=None, key=key, format_func=_label, placeholder="not answered yet",
                         disabled=not editable, on_change=_ask, args=(name, (a, b), key))
            continue
        v = judge["pairs"][(a, b)]
        key = f"pair_{name}_{a}_{b}"
        if key not in S:
            S[key] = Fraction(text(v)) if isinstance(text(v), int) else Fraction(str(text(v)))
        st.select_slider(label, options=OPTIONS, key=key, disabled=not editable,
                         format_func=_label, on_change=_on_pair, args=(name, (a, b), key))
    if editable:
        with st.expander("Ask another pair"):
            c1, c2 = st.columns(2)
            a = c1.selectbox("First criterion", crit.ids, key="new_pair_a", format_func=names.get)
            b = c2.selectbox("Second criterion", [c for c in crit.ids if c != a], key="new_pair_b", format_func=names.get)
            if st.button("Add this question", key="add_pair") and (a, b) not in judge["pairs"] and (b, a) not in judge["pairs"]:
                _set(name, (a, b), 1.0)
                st.rerun()

    _group(names)
    _import_export()


def _set_judge_weight(name: str, key: str) -> None:
    if not ui_team.is_facilitator() or S.get(key) is None or name not in S.judges:
        return
    ui_judges.set_weight(ui_state.db_path(), S.decision_name, name, float(S[key]))


def _group(names: dict[str, str]) -> None:
    st.subheader("The group")
    st.markdown("**Progress**")
    prog = pd.DataFrame(ui_judges.progress())
    st.dataframe(prog, hide_index=True, width="stretch", key="judge_progress",
                 column_config={"stakeholder": "Stakeholder", "answered": "Pairs answered", "of": "Of",
                                "counts": "Counts in the group",
                                "weight": st.column_config.NumberColumn("Judge weight", format="%.2g"),
                                "CR": "CR", "saved": "Saved"})
    if ui_team.is_facilitator():
        with st.expander("Judge weights (facilitator)"):
            st.caption("How much each stakeholder's judgments count in the group (weighted geometric mean, "
                       "Forman & Peniwati 1998). Stored at once for everyone once the judge has saved.")
            for n, j in S.judges.items():
                key = f"jw_{n}"
                if key not in S:
                    S[key] = float(j["weight"])
                st.number_input(n, min_value=0.1, max_value=10.0, step=0.5, key=key,
                                on_change=_set_judge_weight, args=(n, key))
    if S.ahp_error:
        st.error(f"Group weights not updated, the last valid ones stay in force: {S.ahp_error}")
    g = S.get("ahp_summary")
    if g:
        judges = g.get("judges") or {}
        rows = [{"criterion": names.get(k, k), "group": v, **{n: j["weights"].get(k) for n, j in judges.items()}}
                for k, v in g["weights"].items()]
        pct = {n: st.column_config.NumberColumn(n, format="percent", width="small") for n in judges}
        st.dataframe(pd.DataFrame(rows).sort_values("group", ascending=False), hide_index=True,
                     width="stretch", key="group_weights",
                     column_config={"criterion": st.column_config.TextColumn("Criterion", width="medium"),
                                    "group": st.column_config.NumberColumn("Group", format="percent", width="small"),
                                    **pct})
        st.caption("Counted in the group: " + ", ".join(ui_judges.counted()) + ".")
        if g.get("consensus"):
            st.caption(f"Consensus {g['consensus']['value']:.2f} ({g['consensus']['description']}).")
        if g.get("disagreements"):
            st.markdown("**Where the stakeholders disagree most**")
            st.dataframe(pd.DataFrame([{"pair": f"{names.get(d['a'], d['a'])} vs {names.get(d['b'], d['b'])}",
                                        **{n: ("" if v is None else str(text(v))) for n, v in d["values"].items()}}
                                       for d in g["disagreements"]]), hide_index=True, width="stretch",
                         key="disagreements")

def _import_export() -> None:
    c1, c2 = st.columns(2)
    c1.download_button("Export judgments (YAML)", yaml.safe_dump(document(), sort_keys=False, allow_unicode=True),
                       file_name="judgments.yaml", mime="text/yaml", key="export_judgments")
    up = c2.file_uploader("Import judgments (YAML)", type=["yaml", "yml"], key="import_judgments",
                          disabled=not ui_team.is_facilitator())
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
            ui_judges.dirty().clear()
            for k in [k for k in S if str(k).startswith(("pair_", "ask_", "jw_", "judge_select"))]:
                del S[k]
            recompute()
            st.rerun()
    if S.get("judgments_import_error"):
        st.error(f"Import not used, the previous judgments are kept: {S.judgments_import_error}")
