"""Plotly figures of the ranking and of the sensitivity analysis, built from the labelled tables of
:mod:`mcda_qualify.ranking`, :mod:`mcda_qualify.qualify` and :mod:`mcda_qualify.sensitivity`.
Every function returns a ``plotly.graph_objects.Figure``; nothing is shown, written or printed.
"""
from __future__ import annotations

from collections import Counter

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .errors import InputError

__all__ = [
    "STATUS_COLOURS",
    "score_bar_figure",
    "contributions_figure",
    "correlation_figure",
    "sweep_figure",
    "tornado_figure",
    "acceptability_heatmap",
    "acceptability_bars",
    "head_to_head_figure",
    "radar_figure",
]


#: status colours shared by every chart and the report
STATUS_COLOURS = {"Qualified": "#2e7d32", "Conditional": "#f9a825", "Not qualified": "#c62828"}


def _unique_labels(ids: list[str], names: list[str]) -> list[str]:
    """Names for an axis; where two opportunities share a name, the id is added."""
    seen = Counter(names)  # one pass: a long pipeline has thousands of names
    dup = {n for n, k in seen.items() if k > 1}
    return [f"{n} ({i})" if n in dup or not n else n for i, n in zip(ids, names)]


def score_bar_figure(table: pd.DataFrame, *, better: str = "higher", title: str | None = None,
                     by_name: bool = False) -> go.Figure:
    """Scores best first, one bar per opportunity, coloured by status when the table has one.

    ``table``: :meth:`~mcda_qualify.qualify.Decision.sorted` or :meth:`~mcda_qualify.ranking.Ranking.sorted`.
    ``by_name``: label the bars with the opportunities' names (the id in the hover). Opportunities that
    fail a knock-out gate (``gates_passed`` False, or a ``gates`` column other than "passes") are
    cross-hatched and named "fails a gate" in the legend, whatever their score.
    """
    _need(table, ["id", "name", "score"], "score_bar_figure")
    status = table["status"] if "status" in table.columns else pd.Series(["score"] * len(table))
    status = status.reset_index(drop=True).astype(str)
    if "gates_passed" in table.columns:
        failing = ~table["gates_passed"].astype(bool).to_numpy()
    elif "gates" in table.columns:
        failing = table["gates"].astype(str).ne("passes").to_numpy()
    else:
        failing = np.zeros(len(table), dtype=bool)
    status = status.where(~failing, "fails a gate")
    ids = table["id"].astype(str).tolist()
    y_all = _unique_labels(ids, table["name"].astype(str).tolist()) if by_name else ids
    fig = go.Figure()
    for st in dict.fromkeys(status):
        mask = (status == st).to_numpy()
        part = table[mask]
        text = part["id" if by_name else "name"].astype(str)
        fig.add_trace(go.Bar(x=part["score"].to_numpy(dtype=float), y=[y for y, m in zip(y_all, mask) if m],
                             orientation="h", name=str(st),
                             marker_color=STATUS_COLOURS.get(str(st), "#9e9e9e" if st == "fails a gate" else None),
                             marker_pattern_shape="x" if st == "fails a gate" else None,
                             customdata=text, hovertemplate="%{y} %{customdata}: %{x:.4f}<extra></extra>"))
    fig.update_layout(title=title or f"Scores ({better} is better)", xaxis_title="score",
                      yaxis={"categoryorder": "array", "categoryarray": y_all, "autorange": "reversed"},
                      barmode="overlay")
    return fig


def contributions_figure(contributions: pd.DataFrame, *, title: str | None = None,
                         labels: Mapping[str, str] | None = None,
                         criteria_labels: Mapping[str, str] | None = None) -> go.Figure:
    """Per-criterion shares of each opportunity's squared distance to the ideal (TOPSIS): what keeps it
    from the top. ``contributions``: :meth:`~mcda_qualify.ranking.Ranking.contributions`; ``labels``
    (id -> name) and ``criteria_labels`` name the bars and the legend (ids stay in the hover)."""
    _need(contributions, ["id", "criterion", "share_of_distance_to_ideal"], "contributions_figure")
    fig = go.Figure()
    lab, clab = labels or {}, criteria_labels or {}
    for cid, part in contributions.groupby("criterion", sort=False):
        ids = part["id"].astype(str)
        fig.add_trace(go.Bar(x=part["share_of_distance_to_ideal"].to_numpy(dtype=float),
                             y=[lab.get(i, i) for i in ids], orientation="h", name=clab.get(str(cid), str(cid)),
                             customdata=ids, hovertemplate="%{y} (%{customdata}): %{x:.1%}<extra>%{fullData.name}</extra>"))
    fig.update_layout(barmode="stack", title=title or "What separates each opportunity from the ideal",
                      xaxis_title="share of the squared distance to the ideal", xaxis_range=[0, 1],
                      xaxis_tickformat=".0%", yaxis_autorange="reversed")
    return fig


def correlation_figure(correlations: pd.DataFrame, *, title: str | None = None) -> go.Figure:
    """Heatmap of rank correlations between methods (rows and columns: methods)."""
    z = correlations.to_numpy(dtype=float)
    fig = go.Figure(go.Heatmap(z=z, x=[str(c) for c in correlations.columns], y=[str(i) for i in correlations.index],
                               zmin=-1, zmax=1, colorscale="RdBu", text=np.round(z, 2), texttemplate="%{text}"))
    fig.update_layout(title=title or "Rank correlation between methods", yaxis_autorange="reversed")
    return fig


def _need(frame: pd.DataFrame, cols: list[str], what: str) -> None:
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise InputError(f"{what} needs columns {cols}", value=missing, expected=f"a frame from sensitivity_frames ({what})")


def sweep_figure(sweep: pd.DataFrame, reversals: pd.DataFrame | None = None, *,
                 current_weight: float | None = None, title: str | None = None,
                 highlight: int | None = None, criterion_label: str | None = None) -> go.Figure:
    """Gradient chart: each opportunity's score against the swept criterion's weight (one line each),
    the reversal points of that criterion as markers, the current weight as a dashed vertical line.

    ``sweep``: :func:`~mcda_qualify.sensitivity.weight_sweep`; ``reversals``:
    :func:`~mcda_qualify.sensitivity.reversal_points` (rows of other criteria are ignored);
    ``current_weight`` defaults to the sweep's ``current`` point. ``highlight=k`` keeps many lines
    legible: the k best at the current weight in colour with their names, the others thin and grey
    (one legend entry); reversal points name the two opportunities that swap, and those between two
    grey lines are grey too.
    """
    _need(sweep, ["criterion", "weight", "id", "score"], "sweep_figure")
    crit = str(sweep["criterion"].iloc[0])
    label = criterion_label or crit
    if current_weight is None and "current" in sweep and sweep["current"].any():
        current_weight = float(sweep.loc[sweep["current"], "weight"].iloc[0])
    names = ({str(i): str(n) for i, n in zip(sweep["id"], sweep["name"])} if "name" in sweep
             else {str(i): str(i) for i in sweep["id"]})
    top: set[str] = set(names)
    if highlight is not None:
        at = current_weight if current_weight is not None else float(sweep["weight"].median())
        near = sweep.loc[(sweep["weight"] - at).abs() == (sweep["weight"] - at).abs().min()]
        top = set(near.sort_values("score", ascending=False)["id"].astype(str).head(int(highlight)))
    fig = go.Figure()
    grey_shown = False
    for oid, part in sweep.groupby("id", sort=False):
        oid = str(oid)
        name = names[oid]
        hl = oid in top
        fig.add_trace(go.Scatter(x=part["weight"].to_numpy(dtype=float), y=part["score"].to_numpy(dtype=float),
                                 mode="lines", name=oid if highlight is None else (f"{name} ({oid})" if hl else oid),
                                 line=None if hl else {"color": "#c8c8c8", "width": 1},
                                 legendgroup=None if hl else "others",
                                 showlegend=True if hl or highlight is None else not grey_shown,
                                 legendrank=1 if hl else 1000,
                                 hovertext=[f"{name} ({oid})"] * len(part),
                                 hovertemplate="%{hovertext}<br>weight %{x:.1%}, score %{y:.3f}<extra></extra>"))
        if not hl and highlight is not None:
            if not grey_shown:
                fig.data[-1].name = "other opportunities"
            grey_shown = True
    if reversals is not None and len(reversals):
        _need(reversals, ["criterion", "weight", "a", "b", "score_a"], "sweep_figure")
        rv = reversals[reversals["criterion"] == crit]
        if len(rv):
            text = [f"{names.get(str(a), a)} ({a}) and {names.get(str(b), b)} ({b}) swap places"
                    for a, b in zip(rv["a"], rv["b"])]
            colours = ["black" if (str(a) in top or str(b) in top) else "#b0b0b0" for a, b in zip(rv["a"], rv["b"])]
            fig.add_trace(go.Scatter(x=rv["weight"].to_numpy(dtype=float), y=rv["score_a"].to_numpy(dtype=float),
                                     mode="markers", name="reversal points",
                                     marker={"symbol": "x", "size": 9, "color": colours},
                                     text=text, hovertemplate="%{text}<br>at weight %{x:.1%}<extra></extra>"))
    if current_weight is not None:
        fig.add_vline(x=float(current_weight), line_dash="dash", line_color="grey",
                      annotation_text="current weight", annotation_position="top")
    fig.update_layout(title=title or f"Scores as the weight of {label} varies",
                      xaxis_title=f"weight of {label} (others in proportion)", yaxis_title="score",
                      xaxis_range=[0, 1], xaxis_tickformat=".0%", hovermode="closest")
    return fig


def tornado_figure(stability: pd.DataFrame, *, title: str | None = None,
                   labels: Mapping[str, str] | None = None) -> go.Figure:
    """Tornado of stability intervals: per criterion a bar from the lowest to the highest weight keeping
    the top opportunity, a narrower bar keeping the whole ranking, and the current weight as a marker.
    Criteria sorted by the width of the top interval, the narrowest (most sensitive) at the top.

    ``stability``: :func:`~mcda_qualify.sensitivity.stability_intervals`; ``labels`` names the criteria.
    """
    _need(stability, ["criterion", "weight", "top_lo", "top_hi", "ranking_lo", "ranking_hi"], "tornado_figure")
    st = stability.assign(_w=stability["top_hi"] - stability["top_lo"]).sort_values(["_w", "criterion"],
                                                                                    ascending=[False, True])
    y = [(labels or {}).get(c, c) for c in st["criterion"].astype(str)]
    col = {c: st[c].to_numpy(dtype=float) for c in ("weight", "top_lo", "top_hi", "ranking_lo", "ranking_hi")}
    fig = go.Figure()
    fig.add_trace(go.Bar(y=y, x=col["top_hi"] - col["top_lo"], base=col["top_lo"], orientation="h",
                         name="top opportunity stays", marker_color="lightsteelblue"))
    fig.add_trace(go.Bar(y=y, x=col["ranking_hi"] - col["ranking_lo"], base=col["ranking_lo"], orientation="h",
                         name="whole ranking stays", marker_color="steelblue", width=0.4))
    fig.add_trace(go.Scatter(y=y, x=col["weight"], mode="markers", name="current weight",
                             marker={"symbol": "line-ns-open", "size": 16, "color": "black"}))
    fig.update_layout(barmode="overlay", title=title or "Stability intervals of the criterion weights",
                      xaxis_title="weight", xaxis_range=[0, 1], xaxis_tickformat=".0%")
    return fig


def acceptability_heatmap(acceptability: pd.DataFrame, *, title: str | None = None,
                          labels: Mapping[str, str] | None = None) -> go.Figure:
    """Heatmap of rank acceptability indices b_i^r: opportunities as rows, ranks as columns.

    ``acceptability``: :attr:`~mcda_qualify.sensitivity.SMAAFrames.acceptability`; ``labels`` (id ->
    name) names the rows, the id stays in the hover.
    """
    z = acceptability.to_numpy(dtype=float)
    ids = [str(i) for i in acceptability.index]
    y = _unique_labels(ids, [(labels or {}).get(i, i) for i in ids]) if labels else ids
    fig = go.Figure(go.Heatmap(z=z, x=[str(c) for c in acceptability.columns],
                               y=y, zmin=0, zmax=1, colorscale="Blues",
                               colorbar={"title": "share", "tickformat": ".0%"}, text=np.round(z, 3),
                               customdata=np.array([[i] * z.shape[1] for i in ids]),
                               hovertemplate="%{y} (%{customdata}), rank %{x}: %{z:.1%}<extra></extra>"))
    fig.update_layout(title=title or "Rank acceptability indices (SMAA-2)", xaxis_title="rank",
                      yaxis_autorange="reversed")
    return fig


def acceptability_bars(acceptability: pd.DataFrame, *, title: str | None = None,
                       labels: Mapping[str, str] | None = None) -> go.Figure:
    """Stacked bars: for every opportunity, its rank acceptability indices stacked from rank 1 up
    (each bar sums to 1). One trace per rank; ``labels`` (id -> name) names the bars."""
    fig = go.Figure()
    ids = [str(i) for i in acceptability.index]
    x = _unique_labels(ids, [(labels or {}).get(i, i) for i in ids]) if labels else ids
    for r in acceptability.columns:
        fig.add_trace(go.Bar(x=x, y=acceptability[r].to_numpy(dtype=float), name=f"rank {r}", customdata=ids,
                             hovertemplate="%{x} (%{customdata}): %{y:.1%}<extra>%{fullData.name}</extra>"))
    fig.update_layout(barmode="stack", title=title or "Rank acceptability (SMAA-2)",
                      yaxis_title="share of weight samples", yaxis_range=[0, 1], yaxis_tickformat=".0%")
    return fig


def head_to_head_figure(h2h: pd.DataFrame, *, kind: str = "normalized", title: str | None = None,
                        labels: Mapping[str, str] | None = None,
                        criteria_labels: Mapping[str, str] | None = None) -> go.Figure:
    """Two opportunities side by side per criterion: normalised values in benefit form (``kind=
    "normalized"``) or weighted normalised values w_j r_ij (``kind="contribution"``).

    ``h2h``: :func:`~mcda_qualify.sensitivity.head_to_head`.
    """
    if kind not in ("normalized", "contribution"):
        raise InputError("unknown head-to-head kind", value=kind, expected="'normalized' or 'contribution'")
    _need(h2h, ["a", "b", "criterion", f"{kind}_a", f"{kind}_b"], "head_to_head_figure")
    a, b = str(h2h["a"].iloc[0]), str(h2h["b"].iloc[0])
    if labels:
        a, b = f"{labels.get(a, a)} ({a})", f"{labels.get(b, b)} ({b})"
    y = [(criteria_labels or {}).get(c, c) for c in h2h["criterion"].astype(str)]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=y, x=h2h[f"{kind}_a"].to_numpy(dtype=float), orientation="h", name=a))
    fig.add_trace(go.Bar(y=y, x=h2h[f"{kind}_b"].to_numpy(dtype=float), orientation="h", name=b))
    label = "normalised value (benefit form)" if kind == "normalized" else "weighted normalised value"
    fig.update_layout(barmode="group", title=title or f"{a} vs {b}", xaxis_title=label, yaxis_autorange="reversed")
    return fig


def radar_figure(profiles: pd.DataFrame, *, labels: Mapping[str, str] | None = None,
                 title: str | None = None, names: Mapping[str, str] | None = None) -> go.Figure:
    """Radar of opportunity profiles in [0, 1], benefit form (1 = best): one closed polygon each.

    ``profiles``: :func:`~mcda_qualify.sensitivity.profiles`; ``labels`` maps criterion ids to
    axis labels (default: the ids).
    """
    theta = [(labels or {}).get(c, c) for c in profiles.columns]
    fig = go.Figure()
    for oid, row in profiles.iterrows():
        r = row.to_numpy(dtype=float)
        nm = f"{names[str(oid)]} ({oid})" if names and str(oid) in names else str(oid)
        fig.add_trace(go.Scatterpolar(r=np.append(r, r[0]), theta=theta + theta[:1], name=nm,
                                      fill="toself", opacity=0.6))
    fig.update_layout(polar={"radialaxis": {"range": [0, 1]}}, title=title or "Opportunity profiles")
    return fig


# ---------------------------------------------------------------------------------------------
# bid plan (issue 15) and learning from outcomes (issue 16)
# ---------------------------------------------------------------------------------------------

__all__ += ["PLAN_CLASS_COLOURS", "frontier_figure", "acceptability_plan_bars", "reliability_figure",
            "weights_comparison_figure"]

#: colours of the robust plan's classes (Liesio, Mild & Salo 2007)
PLAN_CLASS_COLOURS = {"core": "#2e7d32", "borderline": "#f9a825", "exterior": "#9e9e9e"}


def frontier_figure(frontier: pd.DataFrame, *, column: str = "capacity", limit: float | None = None,
                    title: str | None = None) -> go.Figure:
    """Efficient frontier: the best plan's total as the limit of ``column`` varies (a step line: the
    total is constant between the levels where the plan changes); ``limit`` marks the limit in force.

    ``frontier``: :attr:`~mcda_qualify.plan.PlanResult.frontier` (limit, total, marginal, selected).
    """
    _need(frontier, ["limit", "total", "selected"], "frontier_figure")
    sel = [", ".join(map(str, s)) for s in frontier["selected"]]
    count = [len(s) for s in frontier["selected"]]
    fig = go.Figure(go.Scatter(x=frontier["limit"].to_numpy(dtype=float), y=frontier["total"].to_numpy(dtype=float),
                               mode="lines+markers", line_shape="hv", name="best total", customdata=np.column_stack([count, sel]),
                               hovertemplate=f"{column} %{{x:g}}: total %{{y:.4f}}, %{{customdata[0]}} selected"
                                             "<br>%{customdata[1]}<extra></extra>"))
    if limit is not None:
        fig.add_vline(x=float(limit), line_dash="dash", line_color="#c62828",
                      annotation_text=f"limit {limit:g}", annotation_position="top left")
    fig.update_layout(title=title or f"Efficient frontier: best total as the {column} limit varies",
                      xaxis_title=f"{column} limit", yaxis_title="total of the plan's objective")
    return fig


def acceptability_plan_bars(table: pd.DataFrame, *, samples: int | None = None, title: str | None = None) -> go.Figure:
    """Plan acceptability per opportunity (share of weight samples whose optimal plan contains it), highest
    first, coloured core / borderline / exterior. ``table``: :attr:`~mcda_qualify.plan.PlanResult.table`
    of a robust plan (columns id, name, acceptability, robust_class)."""
    _need(table, ["id", "acceptability", "robust_class"], "acceptability_plan_bars")
    t = table.sort_values("acceptability", ascending=False, kind="stable")
    fig = go.Figure()
    for cls, colour in PLAN_CLASS_COLOURS.items():
        part = t[t["robust_class"] == cls]
        if len(part):
            names = part["name"].astype(str) if "name" in part.columns else part["id"].astype(str)
            fig.add_trace(go.Bar(x=part["acceptability"].to_numpy(dtype=float), y=part["id"].astype(str), orientation="h",
                                 name=cls, marker_color=colour, customdata=names,
                                 hovertemplate="%{y} %{customdata}: in %{x:.1%} of the sampled plans<extra></extra>"))
    fig.update_layout(title=title or ("Plan acceptability" + (f" over {samples:,} weight samples" if samples else "")),
                      xaxis_title="share of sampled optimal plans containing it", xaxis_range=[0, 1],
                      yaxis={"categoryorder": "array", "categoryarray": t["id"].astype(str).tolist(),
                             "autorange": "reversed"}, barmode="overlay")
    return fig


def reliability_figure(reliability: pd.DataFrame | list, *, title: str | None = None) -> go.Figure:
    """Reliability diagram of stated win probabilities (Murphy & Winkler 1977): per bin, the observed win
    rate against the mean stated probability, marker area by the number of deals; the diagonal is perfect
    calibration. ``reliability``: the ``reliability`` list of :meth:`~mcda_qualify.learn.LearnResult.to_dict`
    (or that list as a DataFrame); empty bins are left out."""
    rel = pd.DataFrame(list(reliability)) if not isinstance(reliability, pd.DataFrame) else reliability
    _need(rel, ["n", "mean_predicted", "observed_rate"], "reliability_figure")
    rel = rel[rel["n"] > 0]
    n = rel["n"].to_numpy(dtype=float)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", line={"dash": "dot", "color": "#9e9e9e"},
                             name="perfect calibration", hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=rel["mean_predicted"].to_numpy(dtype=float), y=rel["observed_rate"].to_numpy(dtype=float),
                             mode="lines+markers", name="deals", customdata=n,
                             marker={"size": 8 + 22 * np.sqrt(n / max(n.max(), 1.0))},
                             hovertemplate="stated %{x:.0%}, won %{y:.0%} of %{customdata:.0f} deals<extra></extra>"))
    fig.update_layout(title=title or "Calibration of the stated win probability", xaxis_title="mean stated win probability",
                      yaxis_title="observed win rate", xaxis_range=[0, 1], yaxis_range=[0, 1.02])
    return fig


def weights_comparison_figure(stated: Mapping[str, float], implied: Mapping[str, float | None], *,
                              ranges: Mapping[str, list[float] | None] | None = None, title: str | None = None) -> go.Figure:
    """Today's weights and the weights a history implies, side by side per criterion (largest implied
    first); the implied bars carry the range of weights consistent with the history as error bars.
    A criterion with no implied weight (constant in the history) has no implied bar."""
    ids = sorted(stated, key=lambda c: -(implied.get(c) or 0.0))
    iv = [implied.get(c) for c in ids]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=ids, y=[float(stated[c]) for c in ids], name="today"))
    err = None
    if ranges:
        lo = [(v - ranges[c][0]) if v is not None and ranges.get(c) else 0.0 for c, v in zip(ids, iv)]
        hi = [(ranges[c][1] - v) if v is not None and ranges.get(c) else 0.0 for c, v in zip(ids, iv)]
        err = {"type": "data", "symmetric": False, "array": hi, "arrayminus": lo}
    fig.add_trace(go.Bar(x=ids, y=[np.nan if v is None else float(v) for v in iv], name="implied by the history",
                         error_y=err))
    fig.update_layout(barmode="group", title=title or "Today's weights and the weights the history implies",
                      yaxis_title="weight")
    return fig
