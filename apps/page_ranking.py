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
for note in getattr(result, "notes", None) or ranking.notes:  # ties, constant criteria, gates (issue 17)
    st.info(note)
ui_state.show_ranking(table, "ranking_table")
opp_names = dict(zip(ui_state.portfolio().ids, ui_state.portfolio().names))
crit_names = {c.id: c.name for c in ui_state.criteria().criteria}

from mcda_qualify import (
    comparison,
    plots,  # noqa: E402
)

top_n = ui_state.TOP_N
key = ui_state.inputs_key()
st.plotly_chart(ui_state.memo("fig_score_bar", key, lambda: plots.score_bar_figure(
    table.head(top_n), better=ranking.better, by_name=True)), key="score_bar")
if ui_state.hidden_note(top_n, len(table)):
    st.caption(ui_state.hidden_note(top_n, len(table)) + " The table above lists them all.")

ids = table["id"].tolist()
st.subheader("Compare opportunities")
chosen = st.multiselect("Opportunities on the radar", ids, default=ids[:3], key="radar_ids",
                        format_func=lambda i: f"{opp_names.get(i, i)} ({i})")
if chosen:
    prof = comparison.profiles(ui_state.portfolio(), chosen, exclude=ui_state.excluded())
    st.plotly_chart(plots.radar_figure(prof, labels=crit_names, names=opp_names), key="radar")
c1, c2 = st.columns(2)
a = c1.selectbox("Head to head: first", ids, index=0, key="h2h_a", format_func=lambda i: f"{opp_names.get(i, i)} ({i})")
b = c2.selectbox("second", [i for i in ids if i != a], index=0, key="h2h_b",
                 format_func=lambda i: f"{opp_names.get(i, i)} ({i})")
w = ui_state.weight_vector()
if ranking.method == "topsis":
    h2h = comparison.head_to_head(ui_state.portfolio(), a, b, w, normalization=S.normalization, exclude=ui_state.excluded())
    st.plotly_chart(plots.head_to_head_figure(h2h, kind="contribution", labels=opp_names, criteria_labels=crit_names),
                    key="h2h")
    st.subheader("Per-criterion contributions (TOPSIS)")
    contrib = ui_state.memo("contributions", key, ranking.contributions)
    shown_ids = table["id"].head(top_n).tolist()
    st.plotly_chart(ui_state.memo("fig_contributions", key, lambda: plots.contributions_figure(
        contrib[contrib["id"].isin(shown_ids)], labels=opp_names, criteria_labels=crit_names)), key="contributions")
    if ui_state.hidden_note(top_n, len(table)):
        st.caption(ui_state.hidden_note(top_n, len(table)))
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
            ui_state.portfolio(), weights=w, normalization=S.normalization, exclude=ui_state.excluded()))
    except InputError as exc:
        st.error(str(exc))
    else:
        ranks = mc.ranks.loc[ids].reset_index(names="id")
        ranks.insert(1, "name", [opp_names.get(i, i) for i in ranks["id"]])
        st.caption("Rank of each opportunity under every method (1 = best), with the same weights."
                   + "".join(f" {m.upper()} is left out: {why}." for m, why in mc.skipped.items()))
        st.dataframe(ranks, hide_index=True, width="stretch", key="method_ranks",
                     column_config={"id": "Id", "name": "Opportunity"})
        kind = st.radio("Correlation", ["rs", "rw", "ws"], horizontal=True, key="corr_kind",
                        format_func={"rs": "Spearman", "rw": "weighted Spearman", "ws": "WS similarity"}.get)
        st.plotly_chart(ui_state.memo("fig_correlations", key + (kind,), lambda: plots.correlation_figure(
            mc.correlations[kind])), key="correlations")
