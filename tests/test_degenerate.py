"""Valid but degenerate decisions (issue 17): every command, every output format, every case.

Ties at the current weights (two, three, all opportunities; a tie for first place), two
opportunities only, identical rows, one opportunity dominating the others, a single criterion, all
weight on one criterion, a criterion with zero weight (an exclusion), a constant criterion, an
all-zero column, every opportunity failing a gate, exactly one passing. Each must exit 0, write
strict JSON (no NaN, no Infinity) and say what the degenerate result means.

The expected meanings are facts of the inputs, not numbers produced by our code: (4, 1) and (1, 4)
on two equally weighted benefit criteria tie by symmetry; cyclic permutations of (5, 1, 3) on three
equally weighted criteria tie by symmetry; an opportunity best on every criterion ranks first under
any weights; identical rows tie under any weights.
"""
from __future__ import annotations

import json
from html import escape as html_escape
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from mcda_qualify.cli import app
from mcda_qualify.criteria import criteria_from_dict
from mcda_qualify.portfolio import load_portfolio
from mcda_qualify.ranking import available_methods, rank

runner = CliRunner()

LEVELS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


def _crit(*ids: str, gate: bool = False, discount: bool = False) -> dict[str, Any]:
    crit = [{"id": c, "name": c.upper(), "direction": "benefit", "scale": dict(LEVELS)} for c in ids]
    if gate:
        crit.append({"id": "risk", "name": "Risk", "direction": "cost", "scale": dict(LEVELS), "gate": {"max": 3}})
    if discount:
        crit.append({"id": "discount", "name": "Discount", "direction": "benefit", "unit": "pct", "bounds": [0, 100]})
    return {"name": "Degenerate set", "criteria": crit, "weights": {c["id"]: 1 for c in crit}}


@dataclass
class Case:
    name: str
    criteria: dict[str, Any]
    rows: list[list[Any]]
    args: list[str] = field(default_factory=list)
    tied_first: list[str] = field(default_factory=list)   # the ids that tie for first at the current weights
    top: str | None = None                                 # the one top opportunity, when it is certain
    at_current: bool = False                               # a reversal point at the current weight
    rank_notes: list[str] = field(default_factory=list)    # substrings expected among the ranking's notes
    sens_notes: list[str] = field(default_factory=list)    # substrings expected among the sensitivity notes
    never_first: list[str] = field(default_factory=list)   # SMAA: ids that never rank first
    all_fail: bool = False
    one_pass: str | None = None

    @property
    def ids(self) -> list[str]:
        return [str(r[0]) for r in self.rows]

    def csv(self) -> str:
        header = ["id", "name", *[c["id"] for c in self.criteria["criteria"]]]
        return "\n".join(",".join(map(str, r)) for r in [header, *[[r[0], f"Opp {r[0]}", *r[1:]] for r in self.rows]]) + "\n"


CASES = [
    Case("tie_two", _crit("q1", "q2"), [["A", 4, 1], ["B", 1, 4]], tied_first=["A", "B"], at_current=True,
         rank_notes=["every opportunity ties"], sens_notes=["tie for first place", "single-point stability interval"]),
    Case("tie_three", _crit("q1", "q2", "q3"), [["A", 5, 1, 3], ["B", 3, 5, 1], ["C", 1, 3, 5]],
         tied_first=["A", "B", "C"], at_current=True, rank_notes=["every opportunity ties"]),
    Case("tie_for_first", _crit("q1", "q2"), [["A", 4, 1], ["B", 1, 4], ["C", 1, 1]], tied_first=["A", "B"],
         at_current=True, rank_notes=["tie: A and B", "tie for first place"], never_first=["C"]),
    Case("two_only", _crit("q1", "q2"), [["A", 5, 2], ["B", 2, 3]], top="A"),
    Case("identical_rows", _crit("q1", "q2"), [["A", 3, 3], ["B", 3, 3], ["C", 3, 3]], tied_first=["A", "B", "C"],
         rank_notes=["criterion 'q1'", "every opportunity ties", "same value on every criterion"],
         sens_notes=["tie in every sample"]),
    Case("identical_pair", _crit("q1", "q2"), [["A", 4, 2], ["B", 4, 2], ["C", 1, 3]], tied_first=["A", "B"],
         rank_notes=["A and B have the same value on every criterion used"]),
    Case("dominating", _crit("q1", "q2"), [["A", 5, 5], ["B", 3, 3], ["C", 1, 1]], top="A",
         sens_notes=["A dominates every other opportunity", "every sample gives the same ranking"],
         never_first=["B", "C"]),
    Case("single_criterion", _crit("q1"), [["A", 4], ["B", 2], ["C", 5]], top="C",
         sens_notes=["one criterion in use (q1)"]),
    Case("all_weight_on_one", _crit("q1", "q2"), [["A", 4, 1], ["B", 2, 5], ["C", 5, 2]],
         args=["--exclude", "q2"], top="C", sens_notes=["one criterion in use (q1)"]),
    Case("zero_weight_by_exclusion", _crit("q1", "q2", "q3"), [["A", 4, 1, 5], ["B", 2, 5, 1], ["C", 5, 2, 1]],
         args=["--exclude", "q3"]),
    Case("constant_criterion", _crit("q1", "q2", "avail"), [["A", 4, 1, 4], ["B", 2, 5, 4], ["C", 5, 2, 4]],
         rank_notes=["criterion 'avail': every opportunity has the same value (four)"],
         sens_notes=["avail: the same value for every opportunity"]),
    Case("all_zero_column", _crit("q1", "q2", discount=True), [["A", 4, 1, 0], ["B", 2, 5, 0], ["C", 5, 2, 0]],
         rank_notes=["criterion 'discount': every value is zero"]),
    Case("all_fail_gate", _crit("q1", "q2", gate=True), [["A", 4, 1, 4], ["B", 2, 5, 5], ["C", 5, 2, 4]],
         all_fail=True),
    Case("one_passes_gate", _crit("q1", "q2", gate=True), [["A", 4, 1, 4], ["B", 2, 5, 2], ["C", 5, 2, 5]],
         one_pass="B"),
]
IDS = [c.name for c in CASES]


def _strict(text: str) -> Any:
    def refuse(token: str) -> Any:
        raise AssertionError(f"non-strict JSON constant {token}")

    return json.loads(text, parse_constant=refuse)


def invoke(*args: Any):
    res = runner.invoke(app, [str(a) for a in args])
    assert res.exit_code == 0, (args, res.output, res.exception)
    assert "Traceback" not in res.output
    return res


@pytest.fixture()
def files(tmp_path: Path):
    def make(case: Case) -> tuple[Path, Path]:
        c = tmp_path / f"{case.name}.yaml"
        c.write_text(yaml.safe_dump(case.criteria, sort_keys=False), encoding="utf-8")
        o = tmp_path / f"{case.name}.csv"
        o.write_text(case.csv(), encoding="utf-8")
        return o, c

    return make


def _check_ranking(case: Case, out: dict[str, Any]) -> None:
    rows = {r["id"]: r for r in out["opportunities"]}
    assert set(rows) == set(case.ids)
    notes = " | ".join(out["notes"])
    for needle in case.rank_notes:
        assert needle in notes, (needle, out["notes"])
    if case.tied_first:
        assert {i for i, r in rows.items() if r["rank"] == 1} == set(case.tied_first)
        assert len({round(rows[i]["score"], 9) for i in case.tied_first}) == 1
    if case.top:
        assert [i for i, r in rows.items() if r["rank"] == 1] == [case.top]


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.parametrize("command", ["rank", "qualify"])
def test_rank_and_qualify_every_format(case, command, files):
    o, c = files(case)
    out = _strict(invoke(command, o, "-c", c, *case.args, "-f", "json").stdout)
    _check_ranking(case, out)
    if command == "qualify":
        status = {r["id"]: r["status"] for r in out["opportunities"]}
        if case.all_fail:
            assert set(status.values()) == {"Not qualified"}
            assert any("every opportunity fails a knock-out gate" in n for n in out["notes"])
        if case.one_pass:
            assert any(f"only {case.one_pass} passes every knock-out gate" in n for n in out["notes"])
            fails = {r["id"] for r in out["opportunities"] if any("fails gate" in w for w in r["reasons"])}
            assert fails == set(case.ids) - {case.one_pass}
    table = invoke(command, o, "-c", c, *case.args, "-f", "table").stdout
    assert all(i in table for i in case.ids)
    for n in out["notes"]:
        assert f"note: {n}" in table
    res = invoke(command, o, "-c", c, *case.args, "-f", "csv")
    lines = res.stdout.strip().splitlines()
    assert lines[0].startswith("id,name,score,rank") and len(lines) == 1 + len(case.ids)
    for n in out["notes"]:
        assert f"note: {n}" in res.stderr


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_method_gives_finite_scores_and_the_notes(case, files):
    """The Python API: every method copes (constant and all-zero columns contribute zero)."""
    o, c = files(case)
    crit = criteria_from_dict(case.criteria, source=str(c))
    p = load_portfolio(o, crit)
    exclude = case.args[1::2] if case.args[:1] == ["--exclude"] else []
    for method in available_methods():
        for norm in (("vector", "minmax") if method == "topsis" else ("vector",)):
            # COPRAS and MOORA are our own (core/copras.py, core/methods.moora): with no cost criterion they are
            # defined (Q = S+, ratio system of the benefits alone), so every case scores
            r = rank(p, method=method, normalization=norm, exclude=exclude)
            assert np.all(np.isfinite(r.table["score"])), (method, norm)
            if case.tied_first:  # symmetric ties and identical rows tie for every method (others may join them)
                assert set(case.tied_first) <= set(r.table.loc[r.table["rank"] == 1, "id"]), (method, r.table)
            if case.top and method != "ahp":
                assert r.top == case.top, (method, r.table)
            notes = " | ".join(r.notes)
            for needle in case.rank_notes:
                if needle.startswith("criterion '"):
                    assert needle in notes, (method, r.notes)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_sensitivity_json_and_table(case, files):
    o, c = files(case)
    common = [o, "-c", c, *case.args, "--smaa", "400", "--seed", "3"]
    out = _strict(invoke("sensitivity", *common, "-f", "json").stdout)
    notes = " | ".join(out["notes"])
    for needle in case.sens_notes:
        assert needle in notes, (needle, out["notes"])
    if case.tied_first:
        assert set(out["tied_for_first"]) == set(case.tied_first)
        assert out["top"] in case.tied_first
    else:
        assert out["tied_for_first"] == []
    if case.top:
        assert out["top"] == case.top
    if case.at_current:  # the tied pair: a reversal at the current weight, change 0, sensitivity null + why
        pts = [p for ps in out["reversal_points"].values() for p in ps if p["at_current_weight"]]
        assert pts and all(p["change"] == pytest.approx(0, abs=1e-9) for p in pts)
        assert {frozenset((p["a"], p["b"])) for p in pts} <= {frozenset(x) for x in _pairs(case.tied_first)}
        pa = out["critical_criterion"]["pa"]
        assert pa["tied_now"] and pa["change_pct"] == pytest.approx(0, abs=1e-7)
        undefined = [e for e in out["critical_criterion"]["criteria"].values() if e["sensitivity"] is None]
        assert undefined and all("tied at the current weights" in e["note"] for e in undefined)
        w = out["weights"]
        single = [k for k, (lo, hi) in out["stability_intervals"].items() if hi - lo <= 1e-9]
        assert single and all(out["stability_intervals"][k][0] == pytest.approx(w[k]) for k in single)
    for oid in case.never_first:
        assert out["confidence"][oid] is None and out["central_weights"][oid] is None
        assert "never ranks first" in out["confidence_notes"][oid]
    for oid, conf in out["confidence"].items():
        assert (conf is None) == (oid in out["confidence_notes"])
    acc = np.array(list(out["rank_acceptability"].values()))
    assert np.allclose(acc.sum(axis=0), 1) and np.allclose(acc.sum(axis=1), 1)
    text = invoke("sensitivity", *common, "-f", "table").stdout
    for n in out["notes"]:
        assert f"note: {n}" in text
    if case.at_current:
        assert "only at" in text and "are tied at the current weights" in text
    for oid in case.never_first:
        assert any(line.split()[:1] == [oid] and "undefined (never first)" in line for line in text.splitlines())


def _pairs(ids: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for k, a in enumerate(ids) for b in ids[k + 1:]]


@pytest.mark.parametrize("case", [c for c in CASES if c.all_fail or c.one_pass], ids=lambda c: c.name)
def test_sensitivity_passing_only_with_none_or_one_left(case, files):
    o, c = files(case)
    out = _strict(invoke("sensitivity", o, "-c", c, "--passing-only", "--smaa", "200", "-f", "json").stdout)
    n = 0 if case.all_fail else 1
    assert out["opportunities"] == n
    assert out["notes"][0] == f"--passing-only: {n} of {len(case.ids)} opportunities pass every gate"
    assert out["top"] == case.one_pass and out["reversal_points"] == {}
    text = invoke("sensitivity", o, "-c", c, "--passing-only", "-f", "table").stdout
    assert "note: --passing-only" in text


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_report_from_a_saved_workspace(case, files, tmp_path):
    o, c = files(case)
    ws = tmp_path / "ws.json"
    invoke("save", o, "-c", c, *case.args, "-d", case.name, "--db", tmp_path / "d.sqlite", "-o", ws)
    _strict(ws.read_text(encoding="utf-8"))
    html = tmp_path / "r.html"
    invoke("report", ws, "-o", html, "--smaa", "300")
    page = html.read_text(encoding="utf-8")
    assert all(i in page for i in case.ids)
    for needle in case.rank_notes:
        assert html_escape(needle) in page, needle
    invoke("report", ws, "-o", tmp_path / "r.xlsx", "--smaa", "300")
    assert (tmp_path / "r.xlsx").stat().st_size > 0


@pytest.mark.parametrize("case", [c for c in CASES if len(c.criteria["criteria"]) >= 2], ids=lambda c: c.name)
def test_ahp_with_equal_judgments_ranks_every_case(case, files, tmp_path):
    """Judgments that are all 'equally important' (tied weights) give equal weights, then rank the case."""
    o, c = files(case)
    ids = [x["id"] for x in case.criteria["criteria"]]
    j = tmp_path / "j.yaml"
    j.write_text(yaml.safe_dump({"labels": ids, "judgments": [[ids[0], b, 1] for b in ids[1:]]}), encoding="utf-8")
    s = _strict(invoke("ahp", j, "-f", "json").stdout)
    assert all(v == pytest.approx(1 / len(ids)) for v in s["weights"].values())
    assert "AHP weights" in invoke("ahp", j, "-f", "table").stdout
    out = _strict(invoke("rank", o, "-c", c, "-j", j, *case.args, "-f", "json").stdout)
    _check_ranking(case, out)
    out = _strict(invoke("rank", o, "-c", c, "-m", "ahp", *case.args, "-f", "json").stdout)
    assert {r["id"] for r in out["opportunities"]} == set(case.ids)


def test_a_zero_weight_in_a_weights_file_is_a_clear_error_and_exclusion_is_the_way(files, tmp_path, tk):
    case = next(c for c in CASES if c.name == "zero_weight_by_exclusion")
    o, c = files(case)
    w = tmp_path / "w.yaml"
    w.write_text("q1: 1\nq2: 1\nq3: 0\n", encoding="utf-8")
    res = runner.invoke(app, ["rank", str(o), "-c", str(c), "-w", str(w)])
    tk.assert_clean_error(res.exit_code, res.stderr, "column 'q3'", "weight must be a finite number > 0", "exclude")
    out = _strict(invoke("rank", o, "-c", c, "--exclude", "q3", "-f", "json").stdout)
    assert out["excluded"] == ["q3"] and set(out["weights"]) == {"q1", "q2"}


# ------------------------------------------------------------------------------------------------
# the app: every page opens on every case (Streamlit AppTest)
# ------------------------------------------------------------------------------------------------

APP = str(Path(__file__).resolve().parents[1] / "apps" / "app.py")
PAGES = ["page_weights.py", "page_opportunities.py", "page_ranking.py", "page_sensitivity.py", "page_export.py"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_app_page_opens_on_the_case(case, tmp_path):
    import pandas as pd
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["db_path"] = str(tmp_path / "d.sqlite")
    at.run()
    crit = criteria_from_dict(case.criteria, source="case.yaml")
    header = ["id", "name", *crit.ids]
    frame = pd.DataFrame([[str(r[0]), f"Opp {r[0]}", *map(str, r[1:])] for r in case.rows], columns=header)
    frame.attrs.update(where="case table", first_row=2)
    at.session_state["criteria"] = crit
    at.session_state["table"] = frame
    at.session_state["portfolio"] = load_portfolio(frame, crit)
    at.session_state["table_source"] = case.name
    at.session_state["weights"] = {c: 1.0 for c in crit.ids}
    at.session_state["exclude"] = case.args[1::2] if case.args[:1] == ["--exclude"] else []
    at.session_state["smaa_samples"] = 1_000
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.header, page
        if page == "page_ranking.py":
            shown = [i.value for i in at.info]
            for needle in case.rank_notes:
                assert any(needle in s for s in shown), (needle, shown)
        if page == "page_sensitivity.py" and case.name.startswith(("single", "all_weight")):
            assert any("its weight is always 1" in i.value for i in at.info)
        if page == "page_sensitivity.py" and case.at_current:
            assert any("holds only at its current weight" in i.value for i in at.info)
    at.switch_page("page_sensitivity.py").run()
    at.toggle(key="passing_only").set_value(True).run()  # gates: none or one left must not break the page
    assert not at.exception, [e.value for e in at.exception]
    if case.all_fail or case.one_pass:
        assert any("nothing can change places" in i.value for i in at.info)


def test_a_slider_at_zero_leaves_the_criterion_out(tmp_path, case):
    """In the app a zero weight is an exclusion, as --exclude in the CLI (weights files refuse 0)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["db_path"] = str(tmp_path / "d.sqlite")
    at.run()
    at.slider(key="w_risk").set_value(0).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("risk left out" in c.value for c in at.caption)
    weights = {k: v for k, v in at.session_state["weights"].items() if k != "risk"}
    expected = rank(case, weights, exclude=["risk"]).sorted()
    shown = at.dataframe[0].value
    assert shown["id"].tolist() == expected["id"].tolist()
    assert shown["score"].tolist() == pytest.approx(expected["score"].tolist())
    for page in PAGES[1:]:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])


# ------------------------------------------------------------------------------------------------
# invariants (hypothesis): a constant criterion contributes nothing; ties are ties
# ------------------------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra.numpy import arrays  # noqa: E402

from mcda_qualify.core import methods as core  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(x=arrays(float, (5, 3), elements=st.floats(1, 100)), const=st.sampled_from([0.0, 1.0, 7.5]),
       w=arrays(float, 4, elements=st.floats(0.05, 1)), norm=st.sampled_from(core.NORMALIZATIONS),
       cost=st.booleans())
def test_a_constant_column_leaves_topsis_closeness_unchanged(x, const, w, norm, cost):
    """Adding a constant (or all-zero) column of any weight and direction changes no closeness."""
    x[0, :] += np.arange(1, 4) * 200.0  # every other column varies
    types = np.array([1, -1, 1])
    with_col = np.column_stack([x, np.full(5, const)])
    t2 = np.append(types, -1 if cost else 1)
    a = core.topsis(with_col, w, t2, norm)
    b = core.topsis(x, w[:3], types, norm)
    assert np.allclose(a, b, atol=1e-12)
    ex = core.topsis_explain(with_col, w, t2, norm)
    assert np.all(ex.share_ideal[:, 3] == 0) and np.all(ex.share_anti_ideal[:, 3] == 0)


@settings(max_examples=30, deadline=None)
@given(x=arrays(float, (4, 2), elements=st.floats(0, 10)), w=arrays(float, 2, elements=st.floats(0.05, 1)),
       norm=st.sampled_from(core.NORMALIZATIONS))
def test_identical_rows_tie_and_nothing_varies_gives_one_half(x, w, norm):
    same = np.tile(x[:1], (4, 1))
    c = core.topsis(same, w, np.array([1, -1]), norm)
    assert np.all(c == 0.5)
    batch = core.topsis(x, np.vstack([w, w]), np.array([1, 1]), norm)
    assert np.all(np.isfinite(batch)) and np.all((batch >= 0) & (batch <= 1))


# ------------------------------------------------------------------------------------------------
# plan and learn (issues 15, 16) over the same cases
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_plan_every_format(case, files):
    o, c = files(case)
    args = [o, "-c", c, *case.args, "--capacity", "q1=1000"]  # room for every opportunity
    out = _strict(invoke("plan", *args, "-f", "json").stdout)
    rows = {r["id"]: r for r in out["opportunities"]}
    assert set(rows) == set(case.ids)
    eligible = {i for i, r in rows.items() if r["eligible"]}
    selected = {i for i, r in rows.items() if r["selected"]}
    assert selected <= eligible
    if case.all_fail:
        assert not eligible and not selected and out["total"] == 0
    elif case.one_pass:
        assert eligible == {case.one_pass}
    if case.tied_first and not case.all_fail:  # tied opportunities stand or fall together here
        assert set(case.tied_first) <= selected
    for fmt in ("table", "csv"):
        assert invoke("plan", *args, "-f", fmt).stdout.strip()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_learn_on_the_case_with_outcomes(case, files):
    o, c = files(case)
    lines = o.read_text(encoding="utf-8").splitlines()
    lines[0] += ",outcome,decided"
    for k in range(1, len(lines)):  # the first opportunity won, the others lost
        lines[k] += ("," + ("won" if k == 1 else "lost") + ",2026-01-15")
    o.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = _strict(invoke("learn", o, "-c", c, "-f", "json").stdout)  # learn fits every criterion (no --exclude)
    assert out["n_won"] == 1 and out["n_lost"] == len(case.ids) - 1 and out["n_decided"] == len(case.ids)
    assert out["auc"] is None or 0.0 <= out["auc"] <= 1.0
    assert invoke("learn", o, "-c", c).stdout.strip()
    if case.name == "identical_rows":  # nothing tells the won deal from the lost ones: no implied weights, said so
        assert all(w is None for w in out["implied_weights"].values()) and out["fit_error"] is None
        assert "no criterion varies" in out["implied_weights_reason"]
