"""Bid plan: which opportunities to pursue with the capacity we have (mcda_qualify.plan.plan)."""
from __future__ import annotations

import pandas as pd
import streamlit as st
import ui_state

from mcda_qualify import plots
from mcda_qualify.errors import InputError
from mcda_qualify.plan import EXPLAIN_MAX, OBJECTIVES, plan

S = ui_state.S
st.header("Bid plan")
st.caption("The best set of eligible opportunities (every gate passed) within the capacities you have: an exact "
           "0-1 program (HiGHS). Move a capacity and the plan follows.")

p = ui_state.portfolio()
table = p.table
numeric = [c for c in table.columns if c not in ("id", "name")
           and pd.to_numeric(table[c], errors="coerce").notna().all() and (pd.to_numeric(table[c]) >= 0).all()
           and pd.to_numeric(table[c]).sum() > 0]
if not numeric:
    st.info("The opportunity table has no numeric column to use as a capacity (e.g. sales_effort in person-days).")
    st.stop()
preferred = [c for c in ("sales_effort", "pursuit_cost") if c in numeric] or numeric[:1]
cols = st.multiselect("Capacities (the chosen opportunities' column sums to at most the limit)", numeric,
                      default=S.get("plan_columns", preferred), key="plan_cols")
S.plan_columns = cols
caps: dict[str, float] = {}
if cols:
    sliders = st.columns(len(cols))
    for box, col in zip(sliders, cols):
        total = float(pd.to_numeric(table[col]).sum())
        step = 1.0 if total <= 5_000 else float(10 ** (len(str(int(total))) - 4))
        default = float(round(0.45 * total / step) * step)
        caps[col] = box.slider(col, 0.0, total, default, step=step, key=f"cap_{col}",
                               help=f"From 0 to {total:g}, everything in the table.")
c1, c2, c3 = st.columns(3)
objective = c1.radio("Maximise", OBJECTIVES, key="plan_objective", horizontal=True,
                     format_func={"score": "score", "expected_value": "expected value",
                                  "weighted_score": "score x win probability"}.get)
must = c2.multiselect("Must pursue", p.ids, key="plan_must")
never = c3.multiselect("Never pursue", [i for i in p.ids if i not in must], key="plan_never")
long = len(p) > ui_state.PLAN_LIVE_MAX  # a long pipeline: each extra exact solve costs about a second
c1, c2, c3 = st.columns(3)
frontier_col = c1.selectbox("Frontier of", [None, *cols] if long else (cols or [None]), key="plan_frontier",
                            format_func=lambda c: "none" if c is None else c,
                            help="The best total as the limit of this capacity varies (one exact solve per level).")
robust = c2.number_input("Robust plan: weight samples (0: off)", 0, 20_000, 0, step=500, key="plan_robust",
                         help="Each sample's plan solved exactly; plan acceptability per opportunity "
                              "(Liesio, Mild & Salo 2007). TOPSIS or WSM.")
concentration = c3.slider("Agreement on the weights (Dirichlet concentration)", 5.0, 500.0,
                          float(S.smaa_concentration), key="plan_conc")

explain = st.checkbox(f"Say what it takes for the best {EXPLAIN_MAX} left out to get in (one exact solve each)",
                      value=not long, key="plan_explain")
if long and (frontier_col is None or not explain):
    st.caption(f"{len(p):,} opportunities: the frontier and what it takes are computed when you ask for them.")

S.plan_settings = {"capacities": caps, "objective": objective, "must": list(must), "never": list(never)} if caps else None
if not caps:
    st.info("Choose at least one capacity.")
    st.stop()
key = (ui_state.inputs_key(), tuple(sorted(caps.items())), objective, tuple(must), tuple(never), frontier_col,
       int(robust), float(concentration), S.seed, bool(explain))
if len(p) > ui_state.WHAT_IT_TAKES_AUTO_MAX and ("plan", key) not in S.get("_memo", {}):
    # an exact 0-1 program over thousands of opportunities can take HiGHS tens of seconds: on request
    if not st.button(f"Solve the plan for {len(p):,} opportunities", key="plan_go"):
        st.stop()
try:  # once per state of its inputs: a rerun with nothing changed solves nothing
    r = ui_state.memo("plan", key, lambda: plan(
        p, ui_state.weight_vector(), S.method, capacities=caps, objective=objective, must=must, never=never,
        frontier=frontier_col, robust=int(robust) or None, weight_model="dirichlet", concentration=concentration,
        seed=S.seed, normalization=S.normalization, exclude=S.get("exclude", []), explain=bool(explain)))
except InputError as exc:
    st.error(str(exc))
    st.stop()

c1, c2, *rest = st.columns(2 + len(cols))
c1.metric("Selected", f"{len(r.selected)} of {len(p)}")
c2.metric(f"Total {objective}", f"{r.total:.4f}")
for box, rec in zip(rest, r.capacities.to_dict("records")):
    box.metric(rec["column"], f"{rec['used']:g} of {rec['limit']:g}")
show = r.table.copy()
show["reasons"] = ["; ".join(x) for x in show["reasons"]]
keep = ["id", "name", "selected", "eligible", "status", "value", *r.capacities["column"]]
if robust:
    keep += ["acceptability", "robust_class"]
show = show.sort_values(["selected", "value"], ascending=[False, False], kind="stable")
st.dataframe(show[keep + ["reasons"]], hide_index=True, width="stretch", key="plan_table")
st.caption(f"Method {r.method.upper()}; objective {objective}. Reasons say what it takes for a left-out "
           "opportunity to enter: the score increase, or the capacity increase.")
if len(r.frontier):
    st.plotly_chart(plots.frontier_figure(r.frontier, column=frontier_col, limit=caps.get(frontier_col)),
                    key="plan_frontier_chart")
if robust:
    rb = r.robust
    st.plotly_chart(plots.acceptability_plan_bars(r.table, samples=rb["samples"]), key="plan_acceptability")
    st.caption(f"{rb['samples']:,} weight samples (Dirichlet around the weights, concentration {concentration:g}), "
               f"seed {S.seed}; {rb['solver_calls']} HiGHS solve(s) in {rb['seconds']:.2f} s. core: in every sampled "
               "plan; exterior: in none; borderline: in some.")
