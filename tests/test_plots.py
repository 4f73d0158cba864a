"""Figures of the sensitivity analysis on the case study: traces and data, not pixels."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from mcda_qualify import plots
from mcda_qualify import sensitivity as sf
from mcda_qualify import comparison
from mcda_qualify.criteria import CriteriaSet
from mcda_qualify.errors import InputError
from mcda_qualify.portfolio import Portfolio, load_portfolio


@pytest.fixture(scope="module")
def port(criteria: CriteriaSet, tk) -> Portfolio:
    return load_portfolio(tk.CASE, criteria)


@pytest.fixture(scope="module")
def smaa(port: Portfolio) -> sf.SMAAFrames:
    return sf.smaa(port, 2000, seed=4)


def test_sweep_figure_lines_reversals_and_current_weight(port: Portfolio) -> None:
    sweep = sf.weight_sweep(port, "risk", points=51)
    rv = sf.reversal_points(port, criteria=["risk", "deal_size"])
    fig = plots.sweep_figure(sweep, rv)
    assert isinstance(fig, go.Figure)
    lines = [t for t in fig.data if t.mode == "lines"]
    assert [t.name for t in lines] == port.ids
    first = sweep[sweep["id"] == port.ids[0]]
    np.testing.assert_allclose(lines[0].x, first["weight"])
    np.testing.assert_allclose(lines[0].y, first["score"])
    marks = [t for t in fig.data if t.name == "reversal points"]
    assert len(marks) == 1
    mine = rv[rv["criterion"] == "risk"]
    np.testing.assert_allclose(marks[0].x, mine["weight"])  # only this criterion's points
    np.testing.assert_allclose(marks[0].y, mine["score_a"])
    shapes = [s for s in fig.layout.shapes if s.type == "line"]
    assert len(shapes) == 1 and shapes[0].x0 == pytest.approx(port.criteria.weights["risk"])
    assert plots.sweep_figure(sweep, current_weight=0.5).layout.shapes[0].x0 == 0.5


def test_tornado_figure(port: Portfolio) -> None:
    st = sf.stability_intervals(port)
    fig = plots.tornado_figure(st)
    top, whole, now = fig.data
    assert top.orientation == "h" and fig.layout.barmode == "overlay"
    order = list(top.y)
    assert sorted(order) == sorted(port.criteria.ids)
    s = st.set_index("criterion").loc[order]
    base = np.asarray(top.base, dtype=float)  # plotly keeps 'base' as an object array
    np.testing.assert_allclose(base, s["top_lo"])
    np.testing.assert_allclose(base + np.asarray(top.x), s["top_hi"])
    np.testing.assert_allclose(np.asarray(whole.base, dtype=float), s["ranking_lo"])
    np.testing.assert_allclose(np.asarray(whole.base, dtype=float) + np.asarray(whole.x), s["ranking_hi"])
    np.testing.assert_allclose(now.x, s["weight"])
    widths = (s["top_hi"] - s["top_lo"]).to_numpy()
    assert np.all(np.diff(widths) <= 0)  # narrowest last, drawn at the top


def test_acceptability_heatmap_and_bars(port: Portfolio, smaa: sf.SMAAFrames) -> None:
    heat = plots.acceptability_heatmap(smaa.acceptability)
    (h,) = heat.data
    assert h.type == "heatmap"
    np.testing.assert_allclose(np.asarray(h.z), smaa.acceptability.to_numpy())
    assert list(h.y) == port.ids and list(h.x) == [str(r) for r in range(1, len(port) + 1)]
    bars = plots.acceptability_bars(smaa.acceptability)
    assert bars.layout.barmode == "stack" and len(bars.data) == len(port)
    stacked = np.sum([np.asarray(t.y) for t in bars.data], axis=0)
    np.testing.assert_allclose(stacked, 1.0)
    np.testing.assert_allclose(bars.data[0].y, smaa.acceptability[1])


@pytest.mark.parametrize("kind", ["normalized", "contribution"])
def test_head_to_head_figure(port: Portfolio, kind: str) -> None:
    h = comparison.head_to_head(port, "OPP-02", "OPP-03")
    fig = plots.head_to_head_figure(h, kind=kind)
    a, b = fig.data
    assert (a.name, b.name) == ("OPP-02", "OPP-03")
    np.testing.assert_allclose(a.x, h[f"{kind}_a"])
    np.testing.assert_allclose(b.x, h[f"{kind}_b"])
    assert list(a.y) == port.criteria.ids
    with pytest.raises(InputError):
        plots.head_to_head_figure(h, kind="raw")


def test_radar_figure(port: Portfolio) -> None:
    pr = comparison.profiles(port, ["OPP-01", "OPP-02", "OPP-03"])
    names = {c.id: c.name for c in port.criteria.criteria}
    fig = plots.radar_figure(pr, labels=names)
    assert [t.name for t in fig.data] == ["OPP-01", "OPP-02", "OPP-03"]
    for t, (_, row) in zip(fig.data, pr.iterrows()):
        assert t.type == "scatterpolar"
        r = np.asarray(t.r)
        assert r[0] == r[-1] and t.theta[0] == t.theta[-1]  # closed
        np.testing.assert_allclose(r[:-1], row.to_numpy())
        assert np.all((r >= 0) & (r <= 1))
    assert fig.data[0].theta[0] == names[port.criteria.ids[0]]


def test_figures_refuse_foreign_frames() -> None:
    with pytest.raises(InputError, match="sweep_figure"):
        plots.sweep_figure(pd.DataFrame({"x": [1]}))
    with pytest.raises(InputError, match="tornado_figure"):
        plots.tornado_figure(pd.DataFrame({"criterion": ["a"]}))
