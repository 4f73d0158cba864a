"""Issue 12 at the labelled layer and the CLI: the top-r SMAA mode, strict JSON where a pair is tied at
the current weights (unbounded sensitivity), and the O(NM) profiles of qualify() equal to the former
per-opportunity computation (copied below as the reference)."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from mcda_qualify.qualify import _profiles, qualify
from mcda_qualify import sensitivity as sf
from mcda_qualify import sensitivity_summary
from mcda_qualify.cli import app
from mcda_qualify.criteria import criteria_from_dict
from mcda_qualify.errors import InputError
from mcda_qualify.portfolio import load_portfolio
from mcda_qualify.ranking import rank


def test_smaa_top_r_equals_the_first_columns_of_the_full_smaa(case) -> None:
    full = sf.smaa(case, 3000, seed=9, weight_model="dirichlet", concentration=30)
    top = sf.smaa(case, 3000, seed=9, weight_model="dirichlet", concentration=30, top_r=2)
    assert list(top.acceptability.columns) == [1, 2] and list(top.acceptability.index) == case.ids
    pd.testing.assert_frame_equal(top.acceptability, full.acceptability[[1, 2]])
    pd.testing.assert_frame_equal(top.central_weights, full.central_weights, rtol=1e-12)
    np.testing.assert_array_equal(top.summary["first_rank"], full.summary["first_rank"])
    assert top.summary["holistic"].isna().all()
    with pytest.raises(InputError, match="top_r"):
        sf.smaa(case, 100, top_r=0)
    with pytest.raises(InputError, match="top_r"):
        sf.smaa(case, 100, top_r=len(case) + 1)


def test_smaa_top_r_refuses_score_ranges_rather_than_ignoring_them(case) -> None:
    df = case.table.copy()
    df["deal_size_low"], df["deal_size_high"] = df["deal_size"], df["deal_size"].astype(float) * 1.1
    p = load_portfolio(df, case.criteria)
    with pytest.raises(InputError, match="score ranges"):
        sf.smaa(p, 100, top_r=1)
    assert sf.smaa(p, 100, top_r=1, score_uncertainty=False).acceptability.shape == (len(p), 1)


def test_cli_smaa_top_r_json_is_strict_and_equals_the_full_first_rank(tk) -> None:
    runner = CliRunner()
    base = [str(tk.CASE), "--criteria", str(tk.CRITERIA_FILE), "--smaa", "2000", "--seed", "4", "-f", "json"]
    top = runner.invoke(app, ["sensitivity", *base, "--smaa-top-r", "1"])
    full = runner.invoke(app, ["sensitivity", *base])
    assert top.exit_code == 0 and full.exit_code == 0, top.output
    a = json.loads(top.stdout, parse_constant=lambda c: pytest.fail(f"non-strict JSON {c}"))
    b = json.loads(full.stdout)
    assert a["top_r"] == 1 and all(len(v) == 1 for v in a["rank_acceptability"].values())
    assert {k: v[0] for k, v in a["rank_acceptability"].items()} == {k: v[0] for k, v in b["rank_acceptability"].items()}
    assert set(a["holistic"].values()) == {None}
    bad = runner.invoke(app, ["sensitivity", str(tk.CASE), "--criteria", str(tk.CRITERIA_FILE), "--smaa-top-r", "1"])
    assert bad.exit_code == 2 and "--smaa-top-r needs --smaa" in bad.output


def tied_portfolio():
    """A and B mirror each other on two equally weighted criteria: tied at the current weights."""
    crit = criteria_from_dict({"name": "tie", "criteria": [
        {"id": "x", "name": "X", "direction": "benefit"}, {"id": "y", "name": "Y", "direction": "benefit"}],
        "weights": {"x": 1, "y": 1}}, source="tie.yaml")
    df = pd.DataFrame({"id": ["A", "B", "C"], "x": ["2", "1", "1.5"], "y": ["1", "2", "1.5"]})
    return load_portfolio(df, crit)


def test_a_tie_at_the_current_weights_gives_none_and_a_reason_not_infinity() -> None:
    p = tied_portfolio()
    cc = sf.critical_criteria(p)
    assert cc["sensitivity"].isna().all() and cc["sensitivity_note"].notna().all()
    assert (cc["pa_change_pct"] == 0).all()
    out = sensitivity_summary.sensitivity_summary(p)
    text = json.dumps(out, allow_nan=False)  # strict: raises on inf or NaN
    for c in ("x", "y"):
        entry = json.loads(text)["critical_criterion"]["criteria"][c]
        assert entry["sensitivity"] is None and "tied" in entry["sensitivity_note"]


def test_reversal_points_accept_the_deprecated_grid(case) -> None:
    a = sf.reversal_points(case)
    b = sf.reversal_points(case, grid=11)
    pd.testing.assert_frame_equal(a, b)


def reference_profile(portfolio, weights, i, k=2):
    """The former per-opportunity _profile (column extremes per call: O(N^2 M) over a table)."""
    crit = portfolio.criteria
    strong, weak, up, down = [], [], [], []
    for cid, w in weights.items():
        j = crit.ids.index(cid)
        col = portfolio.matrix[:, j]
        lo, hi = col.min(), col.max()
        if hi == lo:
            continue
        r = (col[i] - lo) / (hi - lo)
        if crit[cid].direction == "cost":
            r = 1 - r
        up.append((w * r, cid, r))
        down.append((w * (1 - r), cid, r))
    for _, cid, r in sorted(up, key=lambda t: (-t[0], t[1]))[:k]:
        if r >= 0.75:
            strong.append(f"{cid} ({crit[cid].describe(portfolio.matrix[i, crit.ids.index(cid)])})")
    for _, cid, r in sorted(down, key=lambda t: (-t[0], t[1]))[:k]:
        if r <= 0.25:
            weak.append(f"{cid} ({crit[cid].describe(portfolio.matrix[i, crit.ids.index(cid)])})")
    return strong, weak


@pytest.mark.parametrize("weights", [None, "equal"])
def test_profiles_equal_the_former_per_opportunity_computation(case, weights) -> None:
    w = None if weights is None else {c: 1.0 for c in case.criteria.ids}  # equal weights: many ties by id
    r = rank(case, w)
    got = _profiles(case, r.weights)
    assert got == [reference_profile(case, r.weights, i) for i in range(len(case))]
    assert any(s for s, _ in got) and any(wk for _, wk in got)
    d = qualify(case, ranking=r)
    assert all(any(x.startswith(("strongest", "weakest")) for x in reasons) or not (got[i][0] or got[i][1])
               for i, reasons in enumerate(d.table["reasons"]))


def test_reversal_points_among_ids_are_those_of_the_whole_table(case) -> None:
    ids = case.ids[:5]
    part = sf.reversal_points(case, among=ids)
    full = sf.reversal_points(case)
    keep = full["a"].isin(ids) & full["b"].isin(ids)
    pd.testing.assert_frame_equal(part.reset_index(drop=True), full[keep].reset_index(drop=True))
    with pytest.raises(InputError, match="unknown opportunity"):
        sf.reversal_points(case, among=["nope"])


def test_weight_sweep_of_some_ids_is_those_rows_of_the_whole_sweep(case) -> None:
    full = sf.weight_sweep(case, "risk", points=11)
    ids = [case.ids[3], case.ids[0]]
    part = sf.weight_sweep(case, "risk", points=11, ids=ids)
    want = full[full["id"].isin(ids)].reset_index(drop=True)
    pd.testing.assert_frame_equal(part, want)  # ranks among all 14, not among the two
    with pytest.raises(InputError, match="unknown opportunity"):
        sf.weight_sweep(case, "risk", ids=["nope"])
