"""Weights: direct sliders (normalised live) or AHP pairwise judgments; the ranking moves beside them."""
from __future__ import annotations

import streamlit as st
import ui_state

from mcda_qualify.errors import InputError

S = ui_state.S
crit = ui_state.criteria()
st.header("Criteria and weights")
for note in S.get("messages", []):
    st.info(note)
S.messages = []

mode = st.radio("How do you want to weight the criteria?", ["Direct weights", "Pairwise judgments (AHP)"],
                index=0 if S.weights_mode == "direct" else 1, horizontal=True, key="mode_radio")
S.weights_mode = "direct" if mode == "Direct weights" else "ahp"


def _reset() -> None:
    """Back to the criteria file's weights, every criterion included."""
    S.weights = ui_state.file_weights()
    S.exclude = []
    for k in [k for k in S if str(k).startswith(("w_", "inc_"))]:
        del S[k]


def _include(cid: str, key: str) -> None:
    excluded = [c for c in S.get("exclude", []) if c != cid]
    S.exclude = excluded if S[key] else excluded + [cid]


left, right = st.columns([1, 1])
with left:
    if S.weights_mode == "direct":
        c1, c2 = st.columns([3, 1])
        c1.caption("Importance points (0-100) per criterion; the percentages are the weights, normalised live. "
                   "Untick a criterion to leave it out.")
        c2.button("Reset", key="reset_weights", on_click=_reset, icon=":material/restart_alt:",
                  help="Back to the criteria file's weights, every criterion used.")
        excluded = set(S.get("exclude", []))
        total = sum(v for k, v in S.weights.items() if k not in excluded) or 1.0
        for c in crit.criteria:
            key, inc = f"w_{c.id}", f"inc_{c.id}"
            if key not in S:
                S[key] = min(100, max(0, int(round(S.weights[c.id]))))  # within the slider's range
            if inc not in S:
                S[inc] = c.id not in excluded

            def _set(cid: str = c.id, k: str = key) -> None:
                S.weights = {**S.weights, cid: float(S[k])}

            share = "left out" if c.id in excluded or S.weights[c.id] <= 0 else f"{S.weights[c.id] / total:.1%}"
            cb, sl = st.columns([1, 12], vertical_alignment="bottom")
            cb.checkbox("use", key=inc, on_change=_include, args=(c.id, inc), label_visibility="collapsed",
                        help=f"Use {c.name} in the ranking")
            sl.slider(f"{c.name} ({'lower' if c.direction == 'cost' else 'higher'} is better) - {share}",
                      min_value=0, max_value=100, key=key, on_change=_set, help=c.description + " 0 leaves the criterion out of the ranking (its gate still applies).",
                      disabled=c.id in excluded)
    else:
        import ui_ahp

        ui_ahp.render()

with right:
    st.subheader("Live ranking")
    try:
        result = ui_state.cached_decision()
    except InputError as exc:
        st.error(str(exc))
    else:
        t = ui_state.cached_table(result)
        top, note = ui_state.headline(t)
        if top is None:
            st.metric("Top qualified opportunity", "none", help="No opportunity qualifies under these weights.")
            st.caption(note)
        else:
            st.metric("Top qualified opportunity", str(top["id"]),
                      help="The best score among the opportunities that qualify (pass every knock-out gate "
                           "and, where the method has score bands, reach the qualified band).")
            st.caption(str(top["name"]))
            if note:
                st.caption(note)
        ui_state.show_ranking(t, "live_ranking", ["rank", "id", "name", "score", "status", "gates"],
                              rows=ui_state.LIVE_ROWS)
        for n in getattr(result, "notes", None) or getattr(result, "ranking", result).notes:
            st.caption(f"Note: {n}")
        w = ui_state.weight_vector()
        excluded = set(ui_state.excluded())
        tot = sum(v for k, v in w.items() if k not in excluded) or 1.0
        names = {c.id: c.name for c in crit.criteria}
        st.caption("Weights in force: " + ", ".join(f"{k} {v / tot:.1%}" if k not in excluded else f"{k} left out"
                                                   for k, v in w.items()),
                   help="; ".join(f"{k}: {names.get(k, k)}" for k in w))
        s = ui_state.settings()
        if s.sensitivity_method is None:
            st.caption(f"Chance of ranking first: computed for TOPSIS and WSM only; {s.method.upper()} is chosen "
                       "(see the Ranking page).")
        else:
            first = ui_state.first_rank_chances()
            if first is not None:
                live = ui_state.live_samples(len(ui_state.portfolio()), s.smaa_samples)
                fewer = (f" (not {s.smaa_samples:,}: with {len(ui_state.portfolio()):,} opportunities this panel keeps "
                         "up with the sliders; the Sensitivity page uses them all)") if live < s.smaa_samples else ""
                st.markdown(f"**Chance of ranking first** if the weights are only roughly agreed "
                            f"({s.sensitivity_method.upper()}, SMAA-2, {live:,} samples around them{fewer}, "
                            f"concentration {s.smaa_concentration:g})")
                st.dataframe(first, hide_index=True, width="stretch", key="live_smaa",
                             column_config={"id": "Id", "name": "Opportunity",
                                            "first": st.column_config.NumberColumn("Chance of ranking first",
                                                                                   format="percent")})
