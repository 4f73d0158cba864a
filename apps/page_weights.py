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

left, right = st.columns([1, 1])
with left:
    if S.weights_mode == "direct":
        st.caption("Importance points per criterion; the shares are the weights (normalised live).")
        total = sum(S.weights.values())
        for c in crit.criteria:
            key = f"w_{c.id}"
            if key not in S:
                S[key] = int(round(S.weights[c.id]))

            def _set(cid: str = c.id, k: str = key) -> None:
                S.weights = {**S.weights, cid: float(S[k])}

            share = S.weights[c.id] / total
            st.slider(f"{c.name} ({'lower' if c.direction == 'cost' else 'higher'} is better) - {share:.1%}",
                      min_value=1, max_value=100, key=key, on_change=_set, help=c.description)
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
        top = t.iloc[0]
        st.metric("Top opportunity", str(top["id"]), help="Best score under the weights in force.")
        st.caption(str(top["name"]))
        cols = [c for c in ("rank", "id", "name", "score", "status") if c in t.columns]
        st.dataframe(t[cols], hide_index=True, width="stretch", key="live_ranking")
        w = ui_state.weight_vector()
        tot = sum(w.values())
        st.caption("Weights in force: " + ", ".join(f"{k} {v / tot:.1%}" for k, v in w.items()))
        first = ui_state.first_rank_chances()
        if first is not None:
            st.markdown(f"**Chance of ranking first** if the weights are only roughly agreed "
                        f"(SMAA-2, {S.smaa_samples:,} samples around them)")
            st.dataframe(first, hide_index=True, width="stretch", key="live_smaa")
