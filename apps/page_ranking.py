"""Ranking and qualification: table with status and reasons, charts, contributions, method comparison."""
from __future__ import annotations

import streamlit as st
import ui_state

from mcda_qualify.errors import InputError
from mcda_qualify.ranking import available_methods

S = ui_state.S
st.header("Ranking and qualification")

c1, c2 = st.columns(2)
methods = available_methods()
c1.selectbox("Method", methods, index=methods.index(S.method), key="method_select",
             on_change=lambda: S.update(method=S.method_select),
             help="TOPSIS and AHP ratings give a 0-1 score with qualification bands; the other methods rank only.")
c2.selectbox("TOPSIS normalisation", ["vector", "minmax"], index=["vector", "minmax"].index(S.normalization),
             key="norm_select", on_change=lambda: S.update(normalization=S.norm_select),
             help="vector: Hwang & Yoon (1981); minmax: pymcdm's default. The scores differ between them.")

result = ui_state.decision_or_stop()

ranking = getattr(result, "ranking", result)
table = ui_state.cached_table(result)
st.caption(f"{ranking.method.upper()}: {ranking.source}. A {ranking.better} score is better.")
st.dataframe(table, hide_index=True, width="stretch", key="ranking_table")

from mcda_qualify import (
    comparison,
    plots,  # noqa: E402
)

top_n = ui_state.TOP_N
key = ui_state.inputs_key()
st.plotly_chart(ui_state.memo("fig_score_bar", key, lambda: plots.score_bar_figure(table.head(top_n), better=ranking.better)),
                key="score_bar")
if ui_state.hidden_note(top_n, len(table)):
    st.caption(ui_state.hidden_note(top_n, len(table)) + " The table above lists them all.")

ids = table["id"].tolist()
st.subheader("Compare opportunities")
chosen = st.multiselect("Opportunities on the radar", ids, default=ids[:3], key="radar_ids")
if chosen:
    prof = ui_state.memo("profiles", key + tuple(chosen), lambda: comparison.profiles(
        ui_state.portfolio(), chosen, exclude=S.get("exclude", [])))
    st.plotly_chart(ui_state.memo("fig_radar", key + tuple(chosen), lambda: plots.radar_figure(
        prof, labels={c.id: c.name for c in ui_state.criteria().criteria})), key="radar")
c1, c2 = st.columns(2)
a = c1.selectbox("Head to head: first", ids, index=0, key="h2h_a")
b = c2.selectbox("second", [i for i in ids if i != a], index=0, key="h2h_b")
w = ui_state.weight_vector()
if ranking.method == "topsis":
    st.plotly_chart(ui_state.memo("fig_h2h", key + (a, b), lambda: plots.head_to_head_figure(comparison.head_to_head(
        ui_state.portfolio(), a, b, w, normalization=S.normalization, exclude=S.get("exclude", [])), kind="contribution")),
        key="h2h")
    st.subheader("Per-criterion contributions (TOPSIS)")
    contrib = ui_state.memo("contributions", ui_state.inputs_key(), ranking.contributions)
    st.plotly_chart(ui_state.memo("fig_contributions", key, lambda: plots.contributions_figure(
        contrib[contrib["id"].isin(ids[:top_n])])), key="contributions")
    if ui_state.hidden_note(top_n, len(ids)):
        st.caption(ui_state.hidden_note(top_n, len(ids)))
else:
    st.caption("Head to head and contributions are drawn for TOPSIS; choose it above to see them.")

st.subheader("Method comparison")
if len(ids) > ui_state.WHAT_IT_TAKES_AUTO_MAX and ("method_comparison", key) not in S.get("_memo", {}):
    # every method (PROMETHEE's pairwise flows grow with N^2) on a long pipeline: only on request
    if not st.button(f"Rank all {len(ids):,} opportunities with every method", key="mc_go"):
        st.stop()
with st.spinner("Ranking with every method"):
    try:
        mc = ui_state.memo("method_comparison", ui_state.inputs_key(), lambda: comparison.method_comparison(
            ui_state.portfolio(), weights=w, normalization=S.normalization, exclude=S.get("exclude", [])))
    except InputError as exc:
        st.error(str(exc))
    else:
        st.dataframe(mc.ranks.loc[ids], width="stretch", key="method_ranks")
        kind = st.radio("Correlation", ["rs", "rw", "ws"], horizontal=True, key="corr_kind",
                        format_func={"rs": "Spearman", "rw": "weighted Spearman", "ws": "WS similarity"}.get)
        st.plotly_chart(ui_state.memo("fig_correlations", key + (kind,), lambda: plots.correlation_figure(
            mc.correlations[kind])), key="correlations")
