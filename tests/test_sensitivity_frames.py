"""Labelled sensitivity analysis on the telecom B2B case study (mcda_qualify.sensitivity)."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from mcda_qualify.core import reversal
from mcda_qualify import sensitivity as sf
from mcda_qualify import sensitivity_summary
from mcda_qualify import comparison
from mcda_qualify.criteria import CriteriaSet
from mcda_qualify.errors import InputError, PortfolioError
from mcda_qualify.portfolio import Portfolio, load_portfolio
from mcda_qualify.ranking import available_methods, rank


@pytest.fixture(scope="module")
def port(criteria: CriteriaSet, tk) -> Portfolio:
    return load_portfolio(tk.CASE, criteria)


@pytest.fixture(scope="module")
def reversals(port: Portfolio) -> pd.DataFrame:
    return sf.reversal_points(port)


@pytest.fixture(scope="module")
def stability(port: Portfolio) -> pd.DataFrame:
    return sf.stability_intervals(port)


def with_columns(port: Portfolio, **cols: list) -> Portfolio:
    """The case study with extra (or replaced) columns, loaded again from a DataFrame."""
    df = port.table.copy()
    for k, v in cols.items():
        df[k] = v
    return load_portfolio(df, port.criteria)


def test_sweep_passes_through_the_current_ranking(port: Portfolio) -> None:
    sw = sf.weight_sweep(port, "deal_size", points=21)
    n = len(port)
    assert len(sw) == 22 * n
    assert list(sw.columns) == ["criterion", "weight", "current", "id", "name", "score", "rank"]
    now = sw[sw["current"]]
    assert now["weight"].iloc[0] == pytest.approx(port.criteria.weights["deal_size"])
    base = rank(port).table
    np.testing.assert_allclose(now["score"].to_numpy(), base["score"].to_numpy(), atol=1e-12)
    np.testing.assert_array_equal(now["rank"].to_numpy(), base["rank"].to_numpy())
    at_one = sw[sw["weight"] == 1.0]
    # with all the weight on deal size the biggest deal ranks first
    assert at_one.loc[at_one["score"].idxmax(), "id"] == port.ids[int(np.argmax(port.matrix[:, 2]))]


def test_reversal_points_frame(port: Portfolio, reversals: pd.DataFrame) -> None:
    assert len(reversals) > 0
    assert set(reversals["criterion"]) <= set(port.criteria.ids)
    np.testing.assert_allclose(reversals["score_a"], reversals["score_b"], atol=1e-9)
    w0 = reversals["current_weight"]
    np.testing.assert_allclose(reversals["change"], (reversals["weight"] - w0) / (1 - reversals["weight"]))
    np.testing.assert_allclose(reversals["change_pct"], 100 * reversals["change"] / w0)
    top = rank(port).top
    np.testing.assert_array_equal(reversals["involves_top"], (reversals["a"] == top) | (reversals["b"] == top))
    # at each point, a leads just below and b just above (scores from an independent ranking call)
    for _, r in reversals.sample(12, random_state=np.random.default_rng(0)).iterrows():
        j = port.criteria.ids.index(r["criterion"])
        w = reversal.proportional_weights(port.criteria.default_weights(), j, np.array([r["weight"] - 1e-6, r["weight"] + 1e-6]))
        before, after = (rank(port, list(wk)).table.set_index("id")["score"] for wk in w)
        assert before[r["a"]] > before[r["b"]] and after[r["a"]] < after[r["b"]]


def test_stability_intervals_frame(port: Portfolio, stability: pd.DataFrame, reversals: pd.DataFrame) -> None:
    assert list(stability["criterion"]) == port.criteria.ids
    assert (stability["top"] == rank(port).top).all()
    assert (stability["top_lo"] <= stability["ranking_lo"]).all()
    assert (stability["ranking_lo"] <= stability["weight"]).all() and (stability["weight"] <= stability["ranking_hi"]).all()
    assert (stability["ranking_hi"] <= stability["top_hi"]).all()
    for _, s in stability.iterrows():
        here = reversals[reversals["criterion"] == s["criterion"]]["weight"]
        inside = here[(here > s["ranking_lo"]) & (here < s["ranking_hi"])]
        assert inside.empty  # no reversal strictly inside the interval
    # the WSM intervals differ from TOPSIS's, computed with the same sweep
    wsm = sf.stability_intervals(port, method="wsm")
    assert not np.allclose(wsm["ranking_hi"], stability["ranking_hi"])


def test_critical_criteria_frame(port: Portfolio, reversals: pd.DataFrame) -> None:
    cc = sf.critical_criteria(port)
    assert cc["pt_critical"].sum() == 1 and cc["pa_critical"].sum() == 1
    pa = cc.loc[cc["pa_critical"]].iloc[0]
    assert abs(pa["pa_change_pct"]) == pytest.approx(np.nanmin(np.abs(cc["pa_change_pct"])))
    assert abs(pa["pa_change_pct"]) == pytest.approx(np.abs(reversals["change_pct"]).min())
    np.testing.assert_allclose(cc["criticality_pct"], np.abs(cc["pa_change_pct"]))
    ok = cc["criticality_pct"].notna()
    np.testing.assert_allclose(cc.loc[ok, "sensitivity"], 1 / cc.loc[ok, "criticality_pct"])
    assert (cc.loc[~ok, "sensitivity"] == 0).all()
    pt = cc.loc[cc["pt_critical"]].iloc[0]
    assert rank(port).top in (pt["pt_a"], pt["pt_b"])
    # applying the PT change (that weight alone, then renormalised) just past the point changes the top
    w = port.criteria.default_weights().copy()
    j = port.criteria.ids.index(pt["criterion"])
    w[j] += pt["pt_change"] * (1 + 1e-6)
    assert rank(port, list(w)).top != rank(port).top


def test_smaa_frame_on_the_case_study(port: Portfolio) -> None:
    f = sf.smaa(port, 4000, seed=42)
    n = len(port)
    assert list(f.acceptability.index) == port.ids and list(f.acceptability.columns) == list(range(1, n + 1))
    np.testing.assert_allclose(f.acceptability.sum(axis=1), 1.0)
    np.testing.assert_allclose(f.acceptability.sum(axis=0), 1.0)
    assert list(f.central_weights.columns) == port.criteria.ids
    firsts = f.acceptability[1] > 0
    np.testing.assert_allclose(f.central_weights[firsts].sum(axis=1), 1.0)
    assert f.summary["first_rank"].tolist() == f.acceptability[1].tolist()
    np.testing.assert_allclose(f.summary["first_rank_se"], np.sqrt(f.acceptability[1] * (1 - f.acceptability[1]) / 4000))
    assert f.result.seed == 42 and f.result.samples == 4000
    again = sf.smaa(port, 4000, seed=42)
    pd.testing.assert_frame_equal(f.acceptability, again.acceptability)


@pytest.mark.parametrize("model,kw", [
    ("dirichlet", {"concentration": 30.0}),
    ("intervals", {"intervals": {"risk": [0.2, 0.4], "deal_size": [0.1, 0.2]}}),
    ("ordinal", {"order": ["risk", "deal_size", "strategic_importance", "commitment", "customer_importance",
                           "requirements_fit", "resources", "wider_application", "sales_effort", "financing",
                           "customisation", "solution_availability"]}),
])
def test_smaa_weight_models(port: Portfolio, model: str, kw: dict) -> None:
    f = sf.smaa(port, 2000, seed=1, weight_model=model, **kw)
    np.testing.assert_allclose(f.acceptability.to_numpy().sum(axis=1), 1.0)
    assert f.result.weight_model["model"] == model
    if model == "intervals":
        cw = f.central_weights.dropna()
        assert (cw["risk"] >= 0.2 - 1e-12).all() and (cw["risk"] <= 0.4 + 1e-12).all()
    if model == "ordinal":
        cw = f.central_weights.dropna()
        assert (cw["risk"] >= cw["deal_size"]).all()


def test_smaa_with_ahp_judgment_samples(port: Portfolio) -> None:
    ids = port.criteria.ids
    level = {c: 1 + (5 * i) // len(ids) for i, c in enumerate(ids)}  # importance classes 1..5

    def judge(a: str, b: str) -> float:
        d = level[b] - level[a]  # earlier criteria (lower class) are more important
        return float(d + 1) if d >= 0 else 1.0 / (1 - d)

    judgments = pd.DataFrame([[judge(a, b) for b in ids] for a in ids], index=ids, columns=ids)
    samples = sf.ahp_weight_samples(judgments, 1500, seed=3)
    assert list(samples.columns) == ids and samples.shape == (1500, len(ids))
    np.testing.assert_allclose(samples.sum(axis=1), 1.0)
    f = sf.smaa(port, None, weight_model="samples", weight_samples=samples)
    assert f.result.samples == 1500
    np.testing.assert_allclose(f.acceptability.sum(axis=0), 1.0)


def test_score_ranges_from_extra_columns(port: Portfolio) -> None:
    n = len(port)
    risk = port.table["risk"].astype(int).tolist()
    labels = {lvl: port.criteria["risk"].scale[lvl].label for lvl in range(1, 6)}
    low = [labels[max(1, r - 1)] for r in risk]  # one level better (lower risk) ...
    high = [str(min(5, r + 1)) for r in risk]  # ... to one worse, as labels and as numbers
    size = port.table["deal_size"].to_numpy()
    p = with_columns(port, risk_low=low, risk_high=high, deal_size_low=list(size * 0.7),
                     deal_size_likely=[""] * (n - 1) + [str(size[-1])], deal_size_high=list(size * 1.2))
    sr = sf.score_ranges(p)
    j = port.criteria.ids.index("risk")
    np.testing.assert_array_equal(sr.low[:, j], [max(1, r - 1) for r in risk])
    np.testing.assert_array_equal(sr.high[:, j], [min(5, r + 1) for r in risk])
    assert sr.describe() == {"uniform_cells": 2 * n - 1, "triangular_cells": 1}
    assert sf.score_ranges(port) is None
    f = sf.smaa(p, 1024, seed=5)
    assert f.result.score_model == sr.describe()
    np.testing.assert_allclose(f.acceptability.sum(axis=0), 1.0)
    known = f.summary["confidence"].dropna()
    assert ((known >= 0) & (known <= 1)).all() and not set(known) <= {0.0, 1.0}
    exact = sf.smaa(p, 1024, seed=5, score_uncertainty=False)
    assert exact.result.score_model is None
    with pytest.raises(PortfolioError, match="score range"):
        sf.smaa(port, 100, seed=1, score_uncertainty=True)


@pytest.mark.parametrize("cols,needle", [
    ({"risk_low": ["low"] * 14}, "risk_high"),
    ({"risk_low": ["very low"] * 14, "risk_high": ["very low"] * 14}, "outside its score range"),
    ({"deal_size_low": ["1"] * 14, "deal_size_high": ["60000"] * 14}, "bounds"),
    ({"deal_size_low": ["1"] * 13 + [""], "deal_size_high": ["49000"] * 14}, "only one end"),
    ({"deal_size_low": ["1"] * 14, "deal_size_high": ["49000"] * 14, "deal_size_likely": ["2"] + ["x"] * 13}, "not a number"),
    ({"deal_size_low": ["1"] * 14, "deal_size_high": ["49000"] * 14, "deal_size_likely": ["49500"] * 14}, "deal_size_likely"),
])
def test_bad_score_ranges_name_row_and_column(port: Portfolio, cols: dict, needle: str) -> None:
    with pytest.raises(PortfolioError, match=needle) as err:
        sf.score_ranges(with_columns(port, **cols))
    assert err.value.column is not None


def test_method_comparison(port: Portfolio) -> None:
    mc = comparison.method_comparison(port)
    assert list(mc.ranks.columns) == available_methods()
    for m in mc.ranks.columns:
        np.testing.assert_array_equal(mc.ranks[m].to_numpy(), rank(port, method=m).table["rank"].to_numpy())
    rs = mc.correlations["rs"]
    np.testing.assert_allclose(np.diag(rs), 1.0)
    np.testing.assert_allclose(rs.to_numpy(), rs.to_numpy().T)
    a, b = mc.ranks["topsis"].to_numpy(float), mc.ranks["wsm"].to_numpy(float)
    assert rs.loc["topsis", "wsm"] == pytest.approx(np.corrcoef(a, b)[0, 1])
    np.testing.assert_allclose(np.diag(mc.correlations["ws"]), 1.0)
    assert set(mc.correlations) == {"rs", "rw", "ws"}
    with pytest.raises(InputError, match="at least two methods"):
        comparison.method_comparison(port, ["topsis"])


def test_what_it_takes_values_do_what_they_say(port: Portfolio) -> None:
    who = "OPP-05"
    out = comparison.what_it_takes(port, who)
    assert set(out["target"]) == {"one_place", "top", "qualified"}
    assert set(out["criterion"]) == set(port.criteria.ids)
    base = rank(port).table.set_index("id")
    r0 = int(base.loc[who, "rank"])
    reach = out[out["reachable"]]
    assert {"one_place", "qualified"} <= set(reach["target"])
    for _, row in reach.iterrows():
        col = port.table[row["criterion"]].to_numpy(dtype=float).copy()
        i = port.ids.index(who)
        col[i] = row["needed"]
        after = rank(with_columns(port, **{row["criterion"]: list(col)})).table.set_index("id")
        assert after.loc[who, "rank"] == row["new_rank"]
        assert after.loc[who, "score"] == pytest.approx(row["new_score"], abs=1e-9)
        assert {"one_place": after.loc[who, "rank"] < r0, "top": after.loc[who, "rank"] == 1,
                "qualified": after.loc[who, "score"] >= port.criteria.qualification.qualified}[row["target"]]
        c = port.criteria[row["criterion"]]
        if c.scale is not None:
            assert row["steps_needed"] >= 1 and row["needed"] in c.scale
        else:
            assert c.bounds[0] <= row["needed"] <= c.bounds[1]
            assert np.sign(row["change"]) == (1 if c.direction == "benefit" else -1)
    # sorted by target, then by the share of the range the change needs
    one = out[(out["target"] == "one_place") & out["reachable"]]
    assert one["share_of_range"].is_monotonic_increasing


def test_what_it_takes_for_the_top_opportunity(port: Portfolio) -> None:
    top = rank(port).top
    out = comparison.what_it_takes(port, top, criteria=["risk", "deal_size"])
    assert out[out["target"].isin(["one_place", "top"])]["already"].all()
    with pytest.raises(InputError, match="unknown opportunity"):
        comparison.what_it_takes(port, "OPP-99")


def test_head_to_head_and_profiles(port: Portfolio) -> None:
    h = comparison.head_to_head(port, "OPP-01", "OPP-02")
    assert list(h["criterion"]) == port.criteria.ids
    w = port.criteria.default_weights()
    np.testing.assert_allclose(h["contribution_a"], w * h["normalized_a"])
    assert (h.loc[h["normalized_a"] > h["normalized_b"], "ahead"] == "a").all()
    pr = comparison.profiles(port, ["OPP-01", "OPP-03"])
    assert pr.shape == (2, len(port.criteria.ids))
    assert ((pr >= 0) & (pr <= 1)).all().all()
    full = comparison.profiles(port)
    # benefit form: the best value of each criterion in the table maps to 1
    np.testing.assert_allclose(full.max(axis=0), 1.0)
    assert full.loc["OPP-03", "deal_size"] == 1.0  # the largest deal
    b = comparison.profiles(port, basis="bounds")
    assert b.loc["OPP-03", "deal_size"] == pytest.approx(24000 / 50000)


def test_sensitivity_summary_is_plain_json(port: Portfolio, stability: pd.DataFrame, reversals: pd.DataFrame) -> None:
    d = sensitivity_summary.sensitivity_summary(port, smaa=1500, seed=9)
    text = json.dumps(d, allow_nan=False)
    back = json.loads(text)
    for key in ("stability_intervals", "reversal_points", "critical_criterion", "rank_acceptability",
                "central_weights", "confidence", "samples", "seed", "standard_error"):
        assert key in back
    assert back["seed"] == 9 and back["samples"] == 1500
    for _, s in stability.iterrows():
        assert back["stability_intervals"][s["criterion"]] == pytest.approx([s["ranking_lo"], s["ranking_hi"]])
    assert sum(len(v) for v in back["reversal_points"].values()) == len(reversals)
    assert set(back["critical_criterion"]["pt"]) >= {"criterion", "change_pct", "a", "b"}
    assert len(back["rank_acceptability"]["OPP-01"]) == len(port)
    assert back == json.loads(json.dumps(sensitivity_summary.sensitivity_summary(port, smaa=1500, seed=9)))
    plain = sensitivity_summary.sensitivity_summary(port)
    assert "rank_acceptability" not in plain and plain["top"] == rank(port).top


def test_bad_requests_raise_input_errors(port: Portfolio) -> None:
    with pytest.raises(InputError, match="not supported"):
        sf.stability_intervals(port, method="vikor")
    with pytest.raises(InputError, match="unknown criterion"):
        sf.weight_sweep(port, "colour")
    with pytest.raises(InputError, match="excluded"):
        sf.weight_sweep(port, "risk", exclude=["risk"])
    with pytest.raises(InputError, match="unknown weight model"):
        sf.smaa(port, 10, weight_model="gaussian")
    with pytest.raises(InputError, match="ordinal"):
        sf.smaa(port, 10, weight_model="ordinal", order=["risk"])
    with pytest.raises(InputError, match="seed"):
        sf.smaa(port, 10, seed=-3)
    with pytest.raises(InputError, match="intervals"):
        sf.smaa(port, 10, weight_model="intervals", intervals={"risk": [0.9, 1.0], "deal_size": [0.5, 1.0]})
    with pytest.raises(InputError, match="grid"):
        sf.reversal_points(port, grid=2)
    exc = sf.stability_intervals(port, exclude=["customisation"])
    assert "customisation" not in set(exc["criterion"])


def test_method_comparison_leaves_out_a_method_that_cannot_score_the_table(small, tk):
    """AHP ratings need bounds for every numeric criterion: the small set's 'effort' has none. Comparing
    every method leaves AHP out and says why; naming AHP explicitly is still an error."""
    import pandas as pd

    from mcda_qualify.comparison import method_comparison
    from mcda_qualify.errors import InputError
    from mcda_qualify.portfolio import load_portfolio

    p = load_portfolio(pd.DataFrame(tk.small_rows(), columns=tk.SMALL_HEADER), small)
    mc = method_comparison(p)
    assert "ahp" in mc.skipped and "bounds" in mc.skipped["ahp"] and "ahp" not in mc.ranks.columns
    assert {"topsis", "wsm", "vikor"} <= set(mc.ranks.columns)
    assert list(mc.correlations["rs"].index) == list(mc.ranks.columns)
    with pytest.raises(InputError, match="bounds"):
        method_comparison(p, methods=["topsis", "ahp"])
