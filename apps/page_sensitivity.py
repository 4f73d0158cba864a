"""Sensitivity: how fragile is the ranking? Sweeps, reversal points, stability, SMAA, what it takes."""
from __future__ import annotations

import time

import pandas as pd
import streamlit as st
import ui_state

from mcda_qualify import comparison, plots
from mcda_qualify import sensitivity as sf
from mcda_qualify.errors import InputError
from mcda_qualify.ranking import rank

from mcda_qualify.degenerate import stability_notes

S = ui_state.S
crit = ui_state.criteria()

st.header("Sensitivity")
s = ui_state.settings()
method = s.sensitivity_method or "topsis"
if method != s.method:
    st.info(f"The weight analyses use TOPSIS (the ranking page uses {s.method.upper()}).")
w = ui_state.weight_vector()
opts = {"method": method, "normalization": s.normalization, "exclude": list(s.exclude)}
p = ui_state.portfolio()
passing = st.toggle("Only opportunities that pass every gate", value=False, key="passing_only",
                    help="Leave out what fails a knock-out gate: its rank reversals change no decision.")
if passing:
    from mcda_qualify.qualify import gate_failures

    p = ui_state.memo("passing", (ui_state.fingerprint(p),),
                      lambda: p.subset([i for i, f in zip(p.ids, gate_failures(p)) if not f]))
key = ui_state.inputs_key() + (passing, method)
top_n = ui_state.TOP_N
names = {c.id: c.name for c in crit.criteria}
opp_names = dict(zip(p.ids, p.names))
used = [c for c in crit.ids if c not in opts["exclude"]]

if len(p) < 2:  # e.g. only one opportunity passes every gate (issue 17)
    st.info(f"{len(p)} opportunity(ies) to analyse: nothing can change places, so there is no sensitivity to show.")
elif len(used) < 2:
    st.info(f"One criterion in use ({names[used[0]]}): its weight is always 1, so no weight change can alter "
            "the ranking. There is nothing to sweep.")
else:
    try:
        c = st.selectbox("Criterion to sweep", used, format_func=names.get, key="sweep_criterion")
        # heavy views: the top opportunities only (lines and the reversal points among them)
        shown = ui_state.memo("top_ids", key, lambda: rank(p, w, **opts).sorted()["id"].head(top_n).tolist())
        k = st.slider("Opportunities drawn in colour (the best at the current weight)", 1, max(len(shown), 1),
                      min(5, len(shown)), key="sweep_highlight")
        sweep = ui_state.memo("sweep", key + (c,), lambda: sf.weight_sweep(p, c, w, points=201, ids=shown, **opts))
        rev = ui_state.memo("reversals", key + (c,), lambda: sf.reversal_points(p, w, criteria=[c], among=shown, **opts))
        current = float(sweep.loc[sweep["current"], "weight"].iloc[0]) if sweep["current"].any() else None
        st.plotly_chart(ui_state.memo("fig_sweep", key + (c, k), lambda: plots.sweep_figure(
            sweep, rev, current_weight=current, highlight=k, criterion_label=names[c])), key="sweep")
        st.caption(f"The other weights are rescaled in proportion. {len(rev)} rank reversals on this criterion"
                   f"{' among the opportunities shown' if len(shown) < len(p) else ''} (hover a cross to see who "
                   "swaps with whom; black crosses involve a coloured line). The points are exact (closed form), "
                   "not grid readings. " + ui_state.hidden_note(len(shown), len(p)))
        stab = ui_state.memo("stability", key, lambda: sf.stability_intervals(p, w, **opts))
        st.plotly_chart(ui_state.memo("fig_tornado", key, lambda: plots.tornado_figure(stab, labels=names)),
                        key="tornado")
        st.caption("Light bar: the weights of that criterion for which the top opportunity stays first; dark bar: "
                   "for which the whole ranking stays as it is; the tick is today's weight.")
        for note in stability_notes(stab):  # a single-point interval in words (issue 17)
            st.info(note)
    except InputError as exc:
        st.error(str(exc))

st.subheader("SMAA-2: rank acceptability")
c1, c2, c3 = st.columns(3)
S.smaa_samples = c1.select_slider("Samples", [1_000, 5_000, 10_000, 50_000, 100_000], value=S.smaa_samples,
                                  key="smaa_samples_select")
model = c2.selectbox("Weight uncertainty", ["dirichlet", "uniform"], key="smaa_model",
                     format_func={"dirichlet": "around our weights", "uniform": "no information"}.get)
S.smaa_concentration = c3.slider("Agreement on the weights (Dirichlet concentration)", 5.0, 500.0,
                                 float(S.smaa_concentration), key="smaa_conc", disabled=model != "dirichlet",
                                 help="Higher: the team agrees closely on the weights. The report uses the same value.")
s = ui_state.settings()
try:
    t0 = time.perf_counter()
    # beyond SMAA_FULL_MAX opportunities only ranks 1..SMAA_TOP_R are counted (memory N x R, not N^2)
    top_r = None if len(p) <= ui_state.SMAA_FULL_MAX else min(ui_state.SMAA_TOP_R, len(p))
    skey = key + (s.smaa_samples, model, s.smaa_concentration, s.seed)
    frames = ui_state.memo("smaa", skey, lambda: sf.smaa(
        p, s.smaa_samples, weights=w, weight_model=model, concentration=s.smaa_concentration, seed=s.seed,
        top_r=top_r, score_uncertainty="auto" if top_r is None else False, **opts))
    ms = (time.perf_counter() - t0) * 1000
    acc = frames.acceptability
    best = frames.summary.sort_values(["first_rank", "rank"], ascending=[False, True]).head(top_n)["id"].tolist()
    view = acc.loc[best, acc.columns[:top_n]]
    st.plotly_chart(ui_state.memo("fig_heatmap", skey, lambda: plots.acceptability_heatmap(view, labels=opp_names)),
                    key="smaa_heatmap")
    st.plotly_chart(ui_state.memo("fig_acc_bars", skey, lambda: plots.acceptability_bars(view, labels=opp_names)),
                    key="smaa_bars")
    if len(best) < len(p) or len(acc.columns) > top_n:
        st.caption(ui_state.hidden_note(len(best), len(p)) + f" Ranks 1 to {len(view.columns)} shown"
                   + (" (only those were counted)." if top_r else "."))
    st.markdown("We drew many weight sets close to the agreed ones and ranked the opportunities with each: "
                "**ranks first** is the share of those draws in which an opportunity comes first, and "
                "**overall acceptability** sums its shares of every rank, better ranks counting more.")
    table = frames.summary.sort_values("first_rank", ascending=False)[
        ["id", "name", "rank", "first_rank", "first_rank_se", "holistic"]]
    st.dataframe(table, hide_index=True, width="stretch", key="smaa_summary", column_config={
        "id": "Id", "name": "Opportunity", "rank": st.column_config.NumberColumn("Rank today"),
        "first_rank": st.column_config.NumberColumn("Ranks first", format="percent"),
        "first_rank_se": st.column_config.NumberColumn("± (standard error)", format="percent"),
        "holistic": st.column_config.NumberColumn("Overall acceptability", format="percent")})
    st.caption(f"{s.smaa_samples:,} samples, seed {s.seed}, concentration {s.smaa_concentration:g}, computed in "
               f"{ms:.0f} ms (Lahdelma & Salminen 2001).")
except InputError as exc:
    st.error(str(exc))

st.subheader("What it takes")
ids = p.ids
target = st.selectbox("Opportunity", ids, index=min(1, len(ids) - 1), key="wit_id",
                      format_func=lambda i: f"{opp_names.get(i, i)} ({i})")
wit_key = ("what_it_takes", key + (target,))
if len(p) > ui_state.WHAT_IT_TAKES_AUTO_MAX and wit_key[1] not in {k[1] for k in S.get("_memo", {}) if k[0] == wit_key[0]}:
    # every candidate value re-scores the whole table: on a long pipeline only on request
    if not st.button(f"Compute what it takes for {target} (re-scores all {len(p):,} opportunities per candidate value)",
                     key="wit_go"):
        st.stop()
try:
    if target is None:
        raise InputError("no opportunity to improve")
    wit = ui_state.memo("what_it_takes", key + (target,), lambda: comparison.what_it_takes(p, target, w, **opts))
    show = wit[wit["reachable"] | wit["already"]][["target", "criterion", "current_label", "needed_label",
                                                   "steps_needed", "new_score", "new_rank", "gates_pass"]]
    if show.empty:
        st.info(f"No single-criterion improvement lifts {target}.")
    else:
        def _txt(v: object, fmt: str = "{:g}") -> str:
            return "" if v is None or (isinstance(v, float) and v != v) else fmt.format(v)

        show = pd.DataFrame({
            "Aim": show["target"].map({"one_place": "one place up", "top": "first place",
                                       "qualified": "reach the qualified band"}).fillna(show["target"]),
            "Criterion": show["criterion"].map(names).fillna(show["criterion"]),
            "Today": show["current_label"].map(lambda v: _txt(v, "{}")),
            "Needed": show["needed_label"].map(lambda v: _txt(v, "{}")),
            "Steps on the scale": show["steps_needed"].map(_txt),
            "New score": show["new_score"].map(lambda v: _txt(v, "{:.3f}")),
            "New rank": show["new_rank"].map(lambda v: _txt(v, "{:.0f}")),
            "Passes the gates": show["gates_pass"].map({True: "yes", False: "no"}).fillna(""),
        })
        st.dataframe(show, hide_index=True, width="stretch", key="wit")
except InputError as exc:
    st.error(str(exc))
