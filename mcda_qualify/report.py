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


def html_report(ws: Any, *, smaa_samples: int = 10_000, seed: int = 0, title: str | None = None) -> str:
    """The report as one HTML document: criteria and weights (with CR), ranking and qualification
    with reasons, sensitivity (stability intervals, SMAA), the inputs and their hash, the tool version."""
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
    notes = getattr(t["result"], "notes", None) or ranking.notes
    if notes:  # degenerate but valid input, in words (issue 17)
        parts.append("<p>Notes:</p><ul>" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>")

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
    notes = getattr(t["result"], "notes", None) or t["ranking"].notes
    if notes:
        sheets["notes"] = pd.DataFrame({"note": notes})
    return to_excel_bytes(sheets)
