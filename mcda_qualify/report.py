"""A self-contained HTML report of a decision (plotly embedded, works offline), and its Excel twin.

The report is computed from a :class:`~mcda_qualify.workspace.Workspace` alone, so the same
workspace gives the same report: it states the tool version and the hash of the inputs.
"""
from __future__ import annotations

import html
from datetime import datetime, timezone
from typing import Any

import pandas as pd

from . import __version__
from .decision import decide_workspace

__all__ = ["report_tables", "html_report", "excel_report", "ranking_with_inputs", "report_settings"]

# laid out for A4 landscape (277 mm of text width): tables fit the page and wrap, rows never split
_CSS = """@page{size:A4 landscape;margin:12mm}
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:1.5rem auto;max-width:277mm;color:#222}
h1{font-size:1.6rem}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem;break-after:avoid}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0;width:100%;table-layout:auto}
th,td{border:1px solid #ddd;padding:.2rem .4rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
tr{break-inside:avoid}th{background:#f5f5f5}td.num{text-align:right;white-space:nowrap}
table.inputs{font-size:.68rem}table.inputs td,table.inputs th{padding:.1rem .25rem;max-width:22mm}
.Qualified{color:#2e7d32;font-weight:600}.Conditional{color:#b28704;font-weight:600}
.Not-qualified{color:#c62828;font-weight:600}tr.gate-fail td{background:#fdecea;color:#8e1b1b}
tr.gate-fail td:first-child{border-left:4px solid #c62828}
.meta{color:#666;font-size:.85rem}code{background:#f5f5f5;padding:0 .2rem}
dl.settings{display:grid;grid-template-columns:max-content auto;gap:.1rem 1rem;font-size:.85rem;color:#444}
dl.settings dt{font-weight:600}dl.settings dd{margin:0}
.plotly-graph-div{max-width:100%}@media print{.plotly-graph-div{break-inside:avoid}}"""


#: how tightly the report's SMAA samples gather around the agreed weights (Dirichlet concentration)
SMAA_CONCENTRATION = 100.0


def report_settings(ws: Any, smaa_samples: int | None = None, seed: int | None = None,
                    concentration: float | None = None) -> dict[str, Any]:
    """The SMAA settings of a report: the arguments when given, else the workspace's ``settings.smaa``
    (the app writes its own there, so the report uses the app's concentration), else the defaults
    (10,000 samples, seed 0, concentration :data:`SMAA_CONCENTRATION`)."""
    sm = ws.settings.smaa
    return {"samples": int(smaa_samples if smaa_samples is not None else (sm.samples if sm else 10_000)),
            "seed": int(seed if seed is not None else (sm.seed if sm and sm.seed is not None else 0)),
            "concentration": float(concentration if concentration is not None else
                                   (sm.concentration if sm and getattr(sm, "concentration", None) else SMAA_CONCENTRATION))}


def ranking_with_inputs(table: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """The ranking with every column of the opportunity table it lacks (customer, owner, criteria,
    value, ...): the result columns first, then the inputs in their order, joined on ``id``."""
    extra = [c for c in frame.columns if c not in table.columns and c != "id"]
    if not extra or "id" not in frame.columns:
        return table
    inputs = frame[["id", *extra]].drop_duplicates("id").astype({"id": str})
    out = table.assign(id=table["id"].astype(str)).merge(inputs, on="id", how="left")
    front = [c for c in ("rank", "id", "name", "customer", "owner") if c in out.columns]
    return out[front + [c for c in out.columns if c not in front]]


def report_tables(ws: Any, *, smaa_samples: int | None = None, seed: int | None = None,
                  concentration: float | None = None) -> dict[str, Any]:
    """Every table of the report, computed from the workspace (and the sensitivity summary).
    ``smaa_samples``, ``seed``, ``concentration``: see :func:`report_settings`."""
    from .judgments import parse_document
    from .judgments_summary import ahp_summary
    from .sensitivity import smaa, stability_intervals

    portfolio, result, info = decide_workspace(ws)
    ranking = getattr(result, "ranking", result)
    table = result.sorted()
    crit = portfolio.criteria
    weights = pd.DataFrame({
        "criterion": ranking.weights.index,
        "name": [crit[c].name for c in ranking.weights.index],
        "direction": [crit[c].direction for c in ranking.weights.index],
        "weight": ranking.weights.to_numpy(),
    })
    sm_set = report_settings(ws, smaa_samples, seed, concentration)
    out: dict[str, Any] = {"portfolio": portfolio, "result": result, "ranking": ranking, "table": table,
                           "weights": weights, "ahp": None, "stability": None, "smaa": None, "smaa_table": None,
                           "smaa_settings": sm_set}
    if ws.judgments:
        out["ahp"] = ahp_summary(parse_document(ws.judgments, labels=crit.ids))
    s = ws.settings
    sens_method = ranking.method if ranking.method in ("topsis", "wsm") else "topsis"
    opts = {"method": sens_method, "normalization": s.normalization, "exclude": list(s.exclude)}
    w = dict(zip(ranking.weights.index, ranking.weights.to_numpy()))
    if len(portfolio) >= 2:
        out["stability"] = stability_intervals(portfolio, w, **opts)
        # a long pipeline: ranks 1..15 counted (top-r SMAA, memory N x 15), as the CLI's summary does
        from .sensitivity_summary import LIST_ALL_MAX, LIST_TOP

        long = len(portfolio) > LIST_ALL_MAX
        sm = smaa(portfolio, sm_set["samples"], weights=w, weight_model="dirichlet",
                  concentration=sm_set["concentration"], seed=sm_set["seed"], top_r=LIST_TOP if long else None,
                  score_uncertainty=False if long else "auto", **opts)
        out["smaa"] = sm
        out["smaa_table"] = sm.summary.sort_values(["first_rank", "holistic"], ascending=False).reset_index(drop=True)
    out["info"] = info
    return out


def _frame_html(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, escape=True, float_format=lambda x: f"{x:.4f}", border=0, na_rep="")


def _settings_html(ws: Any, sm: dict[str, Any]) -> str:
    s = ws.settings
    esc = html.escape
    rows = [("Method", f"{s.method.upper()} ({s.normalization} normalisation)"),
            ("Criteria left out", ", ".join(s.exclude) or "none"),
            ("Missing values", "refused" if s.missing == "error" else "filled with the worst level"),
            ("Score bands", f"qualified at {s.thresholds.qualified:g}, conditional at {s.thresholds.conditional:g}"
             if s.thresholds else "the criteria file's"),
            ("SMAA-2", f"{sm['samples']:,} samples, Dirichlet concentration {sm['concentration']:g}, seed {sm['seed']}")]
    rows += [(f"Option {k}", str(v)) for k, v in s.options.items()]
    return ("<dl class='settings'>" + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows) + "</dl>")


def html_report(ws: Any, *, smaa_samples: int | None = None, seed: int | None = None,
                concentration: float | None = None, title: str | None = None, history: Any = None) -> str:
    """The report as one HTML document: criteria and weights (with CR), ranking and qualification
    with reasons, sensitivity (stability intervals, SMAA), the inputs and their hash, the tool version.
    Laid out for A4 landscape printing. SMAA settings: see :func:`report_settings`. A "Bid plan" section
    when the settings carry a plan (capacities), a "Track record" section when a ``history`` (a history
    file, table or portfolio for :func:`~mcda_qualify.learn.learn`) is given."""
    from . import plots

    t = report_tables(ws, smaa_samples=smaa_samples, seed=seed, concentration=concentration)
    sm_set = t["smaa_settings"]
    smaa_samples, seed = sm_set["samples"], sm_set["seed"]
    ranking, table, portfolio = t["ranking"], t["table"], t["portfolio"]
    esc = html.escape
    head = esc(title or f"Qualification: {portfolio.criteria.name}")
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{head}</title>",
             f"<style>{_CSS}</style></head><body><h1>{head}</h1>",
             f"<p class='meta'>mcda-qualify {esc(__version__)} &middot; inputs hash <code>{esc(ws.inputs_hash())}</code>"
             f" &middot; generated {esc(datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC'))}"
             f" &middot; method {esc(ranking.method.upper())}"
             + (f" ({esc(ranking.normalization)} normalisation)" if ranking.normalization else "")
             + f" &middot; {esc(ranking.source)}</p>"]

    parts.append("<h2>Criteria and weights</h2>")
    parts.append(_frame_html(t["weights"]))
    if t["ahp"]:
        a = t["ahp"]
        cr = a.get("cr")
        verdict = "consistent" if a.get("consistent", a.get("all_consistent")) else "inconsistent"
        parts.append(f"<p>Weights from pairwise judgments ({esc(a['kind'])}, {esc(a['method'])} priorities, "
                     f"missing judgments completed by {esc(a.get('completion', 'optimal'))}): "
                     + (f"CR {cr:.4f} with RI table {esc(a['ri_table'])}, {verdict}." if cr is not None else f"{verdict}.")
                     + (f" RI: {esc(a['ri_source'])}." if a.get("missing_pairs") and a.get("ri_source") else "")
                     + "</p>")
        if a.get("judges"):
            rows = [{"judge": n, "weight": j["weight"], "CR": j["cr"], "consistent": j["consistent"]}
                    for n, j in a["judges"].items()]
            parts.append(_frame_html(pd.DataFrame(rows)))

    parts.append("<h2>Ranking and qualification</h2>")
    from .qualify import gate_failures

    fails = dict(zip(portfolio.ids, gate_failures(portfolio)))
    fig = plots.score_bar_figure(table.assign(gates=["passes" if not fails[i] else "fails" for i in table["id"]]),
                                 better=ranking.better, by_name=True)
    parts.append(fig.to_html(full_html=False, include_plotlyjs="inline", default_width="100%"))
    if any(fails.values()):
        parts.append("<p>Rows tinted red fail a knock-out gate: they are out whatever the weights.</p>")
    rows = ["<table><colgroup><col style='width:4%'><col style='width:7%'><col style='width:18%'>"
            "<col style='width:7%'><col style='width:10%'><col></colgroup>"
            "<tr><th>rank</th><th>id</th><th>name</th><th>score</th><th>status</th><th>reasons</th></tr>"]
    for r in table.to_dict("records"):
        status = r.get("status", "")
        reasons = "<br>".join(esc(x) for x in r.get("reasons", []))
        cls = " class='gate-fail'" if fails.get(r["id"]) else ""
        rows.append(f"<tr{cls}><td class='num'>{int(r['rank'])}</td><td>{esc(str(r['id']))}</td><td>{esc(str(r['name']))}</td>"
                    f"<td class='num'>{r['score']:.4f}</td><td class='{esc(str(status).replace(' ', '-'))}'>{esc(str(status))}</td>"
                    f"<td>{reasons}</td></tr>")
    rows.append("</table>")
    parts.append("".join(rows))
    notes = getattr(t["result"], "notes", None) or ranking.notes
    if notes:  # degenerate but valid input, in words (issue 17)
        parts.append("<p>Notes:</p><ul>" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>")

    parts.append("<h2>Sensitivity</h2>")
    if t["stability"] is not None:
        parts.append("<p>Weight of one criterion varied, the others rescaled in proportion: the range within which "
                     "the top opportunity, and the whole ranking, stay the same.</p>")
        cnames = {c.id: c.name for c in portfolio.criteria.criteria}
        parts.append(plots.tornado_figure(t["stability"], labels=cnames).to_html(full_html=False, include_plotlyjs=False,
                                                                                 default_width="100%"))
        stab = t["stability"].copy()
        for c in stab.columns:
            if c == "weight" or c.endswith(("_lo", "_hi")):
                stab[c] = stab[c].map(lambda v: "" if pd.isna(v) else f"{v:.1%}")
        stab["criterion"] = stab["criterion"].map(lambda c: cnames.get(c, c))
        parts.append(_frame_html(stab))
        sm = t["smaa"]
        parts.append(f"<p>SMAA-2 (Lahdelma &amp; Salminen 2001): {smaa_samples:,} weight samples drawn around the "
                     f"weights above (Dirichlet, concentration {sm_set['concentration']:g}: the weights are roughly agreed), "
                     f"seed {seed}. We ranked the opportunities with each sample: <em>ranks first</em> is the share of "
                     "samples in which an opportunity comes first, <em>overall acceptability</em> sums its shares of "
                     "every rank with better ranks counting more, and <em>confidence</em> is how often it is first "
                     "with its own central weights (blank when never first).</p>")
        onames = dict(zip(portfolio.ids, portfolio.names))
        parts.append(plots.acceptability_heatmap(sm.acceptability, labels=onames).to_html(
            full_html=False, include_plotlyjs=False, default_width="100%"))
        st_ = t["smaa_table"]
        nice = pd.DataFrame({"id": st_["id"], "opportunity": st_["name"], "rank today": st_["rank"]})
        for col, label in (("first_rank", "ranks first"), ("first_rank_se", "± std. error"),
                           ("holistic", "overall acceptability"), ("confidence", "confidence")):
            if col in st_.columns:
                nice[label] = st_[col].map(lambda v: "" if pd.isna(v) else f"{v:.1%}")
        parts.append(_frame_html(nice))
    else:
        parts.append("<p>One opportunity: no ranking to be sensitive.</p>")

    parts += plan_section(ws, t["ranking"], seed=seed)   # only when the settings carry a plan
    parts += track_record_section(ws, t["ranking"], history, seed=seed)   # only with a history

    parts.append("<h2>Inputs</h2>")
    parts.append(f"<p>Opportunities ({len(portfolio)}) as given:</p>")
    parts.append(ws.frame().to_html(index=False, escape=True, border=0, na_rep="", classes="inputs"))
    parts.append("<h2>Settings</h2>" + _settings_html(ws, sm_set))
    parts.append(f"<p class='meta'>inputs hash <code>{esc(ws.inputs_hash())}</code> &middot; mcda-qualify "
                 f"{esc(__version__)}</p></body></html>")
    return "\n".join(parts)


def excel_report(ws: Any, *, smaa_samples: int | None = None, seed: int | None = None,
                 concentration: float | None = None) -> bytes:
    """The report's tables as an .xlsx workbook, one sheet per table, cells neutralised; the ranking
    keeps every input column (customer, owner, ...)."""
    from .io.export import to_excel_bytes

    t = report_tables(ws, smaa_samples=smaa_samples, seed=seed, concentration=concentration)
    sheets = {"ranking": ranking_with_inputs(t["table"], ws.frame()), "weights": t["weights"],
              "opportunities": ws.frame()}
    if t["stability"] is not None:
        sheets["stability"] = t["stability"]
        sheets["smaa"] = t["smaa_table"]
    notes = getattr(t["result"], "notes", None) or t["ranking"].notes
    if notes:
        sheets["notes"] = pd.DataFrame({"note": notes})
    return to_excel_bytes(sheets)


# ---------------------------------------------------------------------------------------------
# bid plan (issue 15) and track record (issue 16): one section each, computed here
# ---------------------------------------------------------------------------------------------

#: weight samples of the report's robust plan
PLAN_SAMPLES = 1000


def plan_section(ws: Any, ranking: Any, *, seed: int = 0) -> list[str]:
    """The "Bid plan" section (HTML parts) from ``ws.settings.plan``: the plan, its capacities, the
    frontier of the first capacity and, for TOPSIS/WSM with a score objective, the robust plan. Empty
    when the workspace has no plan; constraints no plan meets are reported in the section."""
    from . import plots
    from .errors import InputError
    from .plan import plan

    spec = getattr(ws.settings, "plan", None)
    if spec is None:
        return []
    esc = html.escape
    caps = dict(spec.capacities)
    robust = PLAN_SAMPLES if ranking.method in ("topsis", "wsm") and spec.objective != "expected_value" else None
    thresholds = ws.settings.thresholds.model_dump() if ws.settings.thresholds is not None else None
    out = ["<h2>Bid plan</h2>"]
    try:
        r = plan(ws.portfolio(), ws.weights, ranking.method, judgments=ws.judgments, capacities=caps, objective=spec.objective, must=spec.must, never=spec.never,
                 frontier=next(iter(caps)), robust=robust, seed=seed, normalization=ws.settings.normalization,
                 exclude=list(ws.settings.exclude), thresholds=thresholds, **dict(ws.settings.options))
    except InputError as exc:
        return out + [f"<p>No plan: {esc(str(exc))}</p>"]
    limits = ", ".join(f"{esc(c['column'])} {c['used']:g} of {c['limit']:g}" for c in r.capacities.to_dict("records"))
    extra = "".join(f" Must: {esc(', '.join(v))}." if k == "must" else f" Never: {esc(', '.join(v))}."
                    for k, v in (("must", spec.must), ("never", spec.never)) if v)
    out.append(f"<p>The best set of eligible opportunities (every gate passed) within the capacities, maximising the "
               f"{esc(spec.objective)} (exact 0-1 program, HiGHS): {len(r.selected)} selected, total "
               f"{r.total:.4f}; uses {limits}.{extra}</p>")
    cols = ["id", "name", "status", "value", *r.capacities["column"], "selected", "reasons"]
    table = r.table.copy()
    if robust:
        cols.insert(-1, "acceptability")
        cols.insert(-1, "robust_class")
    table["reasons"] = ["; ".join(x) for x in table["reasons"]]
    out.append(_frame_html(table[cols]))
    col = next(iter(caps))
    out.append(plots.frontier_figure(r.frontier, column=col, limit=caps[col]).to_html(full_html=False, include_plotlyjs=False))
    if robust:
        out.append(f"<p>Robust plan (Liesio, Mild &amp; Salo 2007): {robust:,} weight samples around the weights above "
                   f"(Dirichlet), seed {seed}, each sample's plan solved exactly. <code>core</code>: in every sampled "
                   "plan; <code>exterior</code>: in none; <code>borderline</code>: in some.</p>")
        out.append(plots.acceptability_plan_bars(r.table, samples=robust).to_html(full_html=False, include_plotlyjs=False))
    return out


def track_record_section(ws: Any, ranking: Any, history: Any, *, seed: int = 0) -> list[str]:
    """The "Track record" section (HTML parts): :func:`~mcda_qualify.learn.learn` on ``history`` with the
    workspace's criteria, weights and method, and today's opportunities re-ranked. Empty without a history."""
    if history is None:
        return []
    from . import plots
    from .learn import learn

    esc = html.escape
    r = learn(history, ws.criteria(), ws.weights, ranking.method, judgments=ws.judgments,
              normalization=ws.settings.normalization, current=ws.portfolio(), seed=seed)
    d = r.to_dict()
    out = ["<h2>Track record</h2>"]
    out += [f"<p><strong>Warning:</strong> {esc(x)}</p>" for x in r.warnings]
    auc = "AUC not defined" if r.auc is None else f"AUC {r.auc:.3f}"
    if r.auc_interval is not None:
        iv = r.auc_interval
        auc += f" ({iv.level:.0%} bootstrap interval {iv.low:.3f} to {iv.high:.3f}, {iv.samples:,} samples, seed {seed})"
    out.append(f"<p>{r.n_decided} decided deals ({r.n_won} won, {r.n_lost} lost). {esc(auc)}: the chance that a won "
               "deal scores above a lost one (0.5 is chance; Hanley &amp; McNeil 1982)."
               + (f" Lift of the top third {r.lift.lift:.2f}." if r.lift is not None and r.lift.lift is not None else "")
               + (f" Brier score of the stated win probability {r.brier:.3f} (Brier 1950)." if r.brier is not None else "")
               + "</p>")
    if d["win_rate_by_status"]:
        out.append(_frame_html(pd.DataFrame([{"status": k, **v} for k, v in d["win_rate_by_status"].items()])))
    if d["reliability"]:
        out.append(plots.reliability_figure(d["reliability"]).to_html(full_html=False, include_plotlyjs=False))
    out.append(f"<p>Weights the history implies (UTA-STAR, one segment per criterion; Siskos &amp; Yannacopoulos 1985), "
               f"fitting error {r.fit_error:.4f}; the range is every weight consistent with the history "
               "(post-optimality).</p>")
    out.append(plots.weights_comparison_figure(r.stated_weights, r.implied_weights, ranges=r.implied_weight_ranges)
               .to_html(full_html=False, include_plotlyjs=False))
    if r.ranking_change is not None:
        out.append("<p>Today's opportunities ranked under today's and the implied weights:</p>")
        out.append(_frame_html(r.ranking_change))
    return out
