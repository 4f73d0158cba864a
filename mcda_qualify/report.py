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

__all__ = ["report_tables", "html_report", "excel_report"]

_CSS = """body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#222}
h1{font-size:1.6rem}h2{border-bottom:1px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f5f5f5}.Qualified{color:#2e7d32;font-weight:600}.Conditional{color:#b28704;font-weight:600}
.Not-qualified{color:#c62828;font-weight:600}.meta{color:#666;font-size:.85rem}code{background:#f5f5f5;padding:0 .2rem}"""


#: how tightly the report's SMAA samples gather around the agreed weights (Dirichlet concentration)
SMAA_CONCENTRATION = 100.0


def report_tables(ws: Any, *, smaa_samples: int = 10_000, seed: int = 0) -> dict[str, Any]:
    """Every table of the report, computed from the workspace (and the sensitivity summary)."""
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
    out: dict[str, Any] = {"portfolio": portfolio, "result": result, "ranking": ranking, "table": table,
                           "weights": weights, "ahp": None, "stability": None, "smaa": None, "smaa_table": None}
    if ws.judgments:
        out["ahp"] = ahp_summary(parse_document(ws.judgments, labels=crit.ids))
    s = ws.settings
    sens_method = ranking.method if ranking.method in ("topsis", "wsm") else "topsis"
    opts = {"method": sens_method, "normalization": s.normalization, "exclude": list(s.exclude)}
    w = dict(zip(ranking.weights.index, ranking.weights.to_numpy()))
    if len(portfolio) >= 2:
        out["stability"] = stability_intervals(portfolio, w, **opts)
        sm = smaa(portfolio, smaa_samples, weights=w, weight_model="dirichlet", concentration=SMAA_CONCENTRATION,
                  seed=seed, **opts)
        out["smaa"] = sm
        out["smaa_table"] = sm.summary.sort_values(["first_rank", "holistic"], ascending=False).reset_index(drop=True)
    out["info"] = info
    return out


def _frame_html(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, escape=True, float_format=lambda x: f"{x:.4f}", border=0, na_rep="")


def html_report(ws: Any, *, smaa_samples: int = 10_000, seed: int = 0, title: str | None = None,
                history: Any = None) -> str:
    """The report as one HTML document: criteria and weights (with CR), ranking and qualification
    with reasons, sensitivity (stability intervals, SMAA), the inputs and their hash, the tool version.
    A "Bid plan" section when the settings carry a plan (capacities), a "Track record" section when a
    ``history`` (a history file, table or portfolio for :func:`~mcda_qualify.learn.learn`) is given."""
    from . import plots

    t = report_tables(ws, smaa_samples=smaa_samples, seed=seed)
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
        parts.append(f"<p>Weights from pairwise judgments ({esc(a['kind'])}, {esc(a['method'])} priorities): "
                     + (f"CR {cr:.4f} with RI table {esc(a['ri_table'])}, {verdict}." if cr is not None else f"{verdict}.")
                     + "</p>")
        if a.get("judges"):
            rows = [{"judge": n, "weight": j["weight"], "CR": j["cr"], "consistent": j["consistent"]}
                    for n, j in a["judges"].items()]
            parts.append(_frame_html(pd.DataFrame(rows)))

    parts.append("<h2>Ranking and qualification</h2>")
    fig = plots.score_bar_figure(table, better=ranking.better)
    parts.append(fig.to_html(full_html=False, include_plotlyjs="inline"))
    rows = ["<table><tr><th>rank</th><th>id</th><th>name</th><th>score</th><th>status</th><th>reasons</th></tr>"]
    for r in table.to_dict("records"):
        status = r.get("status", "")
        reasons = "<br>".join(esc(x) for x in r.get("reasons", []))
        rows.append(f"<tr><td>{int(r['rank'])}</td><td>{esc(str(r['id']))}</td><td>{esc(str(r['name']))}</td>"
                    f"<td>{r['score']:.4f}</td><td class='{esc(str(status).replace(' ', '-'))}'>{esc(str(status))}</td>"
                    f"<td>{reasons}</td></tr>")
    rows.append("</table>")
    parts.append("".join(rows))

    parts.append("<h2>Sensitivity</h2>")
    if t["stability"] is not None:
        parts.append("<p>Weight of one criterion varied, the others rescaled in proportion: the range within which "
                     "the top opportunity, and the whole ranking, stay the same.</p>")
        parts.append(plots.tornado_figure(t["stability"]).to_html(full_html=False, include_plotlyjs=False))
        parts.append(_frame_html(t["stability"]))
        sm = t["smaa"]
        parts.append(f"<p>SMAA-2 (Lahdelma &amp; Salminen 2001): {smaa_samples:,} weight samples drawn around the "
                     f"weights above (Dirichlet, concentration {SMAA_CONCENTRATION:g}: the weights are roughly agreed), "
                     f"seed {seed}. <code>first_rank</code>: share of samples in which the opportunity ranks first; "
                     "<code>confidence</code>: how often it is first with its own central weights (blank when never "
                     "first).</p>")
        parts.append(plots.acceptability_heatmap(sm.acceptability).to_html(full_html=False, include_plotlyjs=False))
        parts.append(_frame_html(t["smaa_table"]))
    else:
        parts.append("<p>One opportunity: no ranking to be sensitive.</p>")

    parts += plan_section(ws, t["ranking"], seed=seed)   # only when the settings carry a plan
    parts += track_record_section(ws, t["ranking"], history, seed=seed)   # only with a history

    parts.append("<h2>Inputs</h2>")
    parts.append(f"<p>Opportunities ({len(portfolio)}) as given:</p>")
    parts.append(_frame_html(ws.frame()))
    parts.append(f"<p class='meta'>Settings: {esc(str(ws.settings.model_dump()))}</p></body></html>")
    return "\n".join(parts)


def excel_report(ws: Any, *, smaa_samples: int = 10_000, seed: int = 0) -> bytes:
    """The report's tables as an .xlsx workbook, one sheet per table, cells neutralised."""
    from .io.export import to_excel_bytes

    t = report_tables(ws, smaa_samples=smaa_samples, seed=seed)
    sheets = {"ranking": t["table"], "weights": t["weights"], "opportunities": ws.frame()}
    if t["stability"] is not None:
        sheets["stability"] = t["stability"]
        sheets["smaa"] = t["smaa_table"]
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
