"""Issue 11, values: non-finite numbers refused with the key named; reserved column names are not
criterion ids; a scale label cannot read as another level's number; huge numbers are computed
safely (vector normalisation scaled before squaring) or refused; huge integers give exit 2."""
from __future__ import annotations

import numpy as np
import pytest
import yaml

from mcda_qualify.core.methods import normalize, topsis
from mcda_qualify.criteria import RESERVED_IDS, criteria_from_dict
from mcda_qualify.errors import CriteriaError, InputError
from mcda_qualify.judgments import parse_document
from mcda_qualify.portfolio import EV_COLUMNS, load_portfolio
from mcda_qualify.ranking import rank

from testkit import err_of, invoke


def _crit_file(write, tk, edit):
    data = tk.small_dict()
    edit(data)
    return write("c.yaml", yaml.safe_dump(data, sort_keys=False).replace("'.nan'", ".nan").replace("'.inf'", ".inf"))


# ------------------------------------------------------------------ non-finite numbers
@pytest.mark.parametrize("edit, key", [
    (lambda d: d["criteria"][1]["gate"].update(max=".nan"), "criteria[1] (id risk).gate.max"),
    (lambda d: d["criteria"][0].update(bounds=[0, ".inf"]), "criteria[0] (id deal_size).bounds[1]"),
    (lambda d: d["weights"].update(fit=".inf"), "weights.fit"),
    (lambda d: d["qualification"].update(qualified=".nan"), "qualification.qualified"),
])
def test_non_finite_in_criteria_names_the_key(edit, key, write, tk, small_csv):
    c = _crit_file(write, tk, edit)
    err_of(invoke("rank", small_csv, "-c", c), "c.yaml", f"key '{key}'", "finite number")


def test_gate_nan_was_silently_disabled_now_refused(tk):
    d = tk.small_dict()
    d["criteria"][1]["gate"] = {"max": float("nan")}
    with pytest.raises(CriteriaError, match="gate.max': Input should be a finite number"):
        criteria_from_dict(d, source="c.yaml")


@pytest.mark.parametrize("text", ["risk: .inf\ndeal_size: 1\nfit: 1\neffort: 1\n",
                                  "risk: -.inf\ndeal_size: 1\nfit: 1\neffort: 1\n"])
def test_non_finite_weight_in_file(text, write, small_csv, small_yaml):
    err_of(invoke("rank", small_csv, "-c", small_yaml, "-w", write("w.yaml", text)),
           "w.yaml, column 'risk': weight must be a finite number > 0")


def test_non_finite_judgment_is_refused():
    with pytest.raises(InputError, match="not finite"):
        parse_document({"judgments": [["a", "b", float("nan")]]}, source="j.yaml")


def test_huge_integers_exit_2(write, small_yaml, small_csv, tk, tmp_path):
    rows = tk.small_rows()
    rows[0][2] = "9" * 400
    table = write("t.csv", tk.csv_text(tk.SMALL_HEADER, rows))
    err_of(invoke("rank", table, "-c", small_yaml), "t.csv, row 2 (id A), column 'deal_size': not a finite number")
    err_of(invoke("rank", small_csv, "-c", small_yaml, "-w", write("w.yaml", f"risk: {'9' * 400}\n")),
           "w.yaml: line 1", "number too large")
    err_of(invoke("diff", tmp_path / "s.sqlite", "99999999999999999999", "1"), "s.sqlite")


def test_huge_version_number_in_an_existing_store(tmp_path, tk):
    db = tmp_path / "s.sqlite"
    assert invoke("save", tk.CASE, "-c", tk.CRITERIA_FILE, "-d", "q", "--db", db).exit_code == 0
    err_of(invoke("diff", db, "99999999999999999999", "1"), "no such version", "99999999999999999999",
           "a version from 1 to 1")


def test_huge_weights_from_python_are_normalised_safely(small, small_csv):
    p = load_portfolio(small_csv, small)
    a = rank(p, {"deal_size": 4e307, "risk": 3e307, "fit": 2e307, "effort": 1e307})
    b = rank(p, {"deal_size": 4, "risk": 3, "fit": 2, "effort": 1})
    np.testing.assert_allclose(a.table["score"], b.table["score"], rtol=1e-12)
    with pytest.raises(InputError, match="weight must be a finite number > 0"):
        rank(p, {"deal_size": 10**400, "risk": 3, "fit": 2, "effort": 1})


# ------------------------------------------------------------------ reserved names and labels
@pytest.mark.parametrize("cid", sorted(RESERVED_IDS))
def test_reserved_column_names_are_not_criterion_ids(cid, tk):
    d = tk.small_dict()
    d["criteria"][0]["id"] = cid
    d["weights"] = None
    with pytest.raises(CriteriaError, match=f"id '{cid}' is reserved"):
        criteria_from_dict(d, source="c.yaml")


def test_reserved_names_cover_the_expected_value_columns():
    assert set(EV_COLUMNS) <= RESERVED_IDS and {"id", "name", "outcome", "decided"} <= RESERVED_IDS


def test_value_as_criterion_id_exit_2(write, tk, small_csv):
    c = _crit_file(write, tk, lambda d: (d["criteria"][0].update(id="value"), d.pop("weights")))
    err_of(invoke("rank", small_csv, "-c", c), "id 'value' is reserved")


def test_numeric_labels_of_other_levels_are_refused(tk):
    d = tk.small_dict()
    d["criteria"][2]["scale"] = {1: "3", 2: "2", 3: "1"}  # a cell '1' would have read as level 3
    with pytest.raises(CriteriaError, match="scale label '3' of level 1 reads as the number 3"):
        criteria_from_dict(d, source="c.yaml")


def test_numeric_label_equal_to_its_level_is_fine(tk):
    d = tk.small_dict()
    d["criteria"][2]["scale"] = {1: "1", 2: "2", 3: "3 (full)"}
    assert criteria_from_dict(d).criteria[2].level_of("1") == 1


# ------------------------------------------------------------------ overflow
def test_vector_normalisation_equals_the_unscaled_one_on_normal_data():
    """Scaling each column by its largest magnitude first changes nothing on ordinary data (reference:
    the textbook formula x / sqrt(sum x^2), Hwang & Yoon 1981, computed directly here)."""
    rng = np.random.default_rng(11)
    x = rng.uniform(-50, 200, size=(40, 6))
    types = np.array([1, -1, 1, 1, -1, 1])
    direct = x / np.sqrt((x ** 2).sum(axis=0))
    direct = np.where(types < 0, 1 - direct, direct)
    np.testing.assert_allclose(normalize(x, types, "vector"), direct, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("scale", [1e200, 1e300, 1e-200])
def test_vector_normalisation_is_scale_free_at_extreme_magnitudes(scale):
    x = np.array([[1.0, 3.0], [2.0, 2.0], [3.0, 1.0], [2.5, 1.5]])
    t = np.array([1, -1])
    w = np.array([0.6, 0.4])
    np.testing.assert_allclose(topsis(x * scale, w, t), topsis(x, w, t), rtol=1e-12)


def test_distinct_huge_values_no_longer_collapse(write, small_yaml, tk):
    """The issue's case: values above 1e154 overflowed x^2, giving 1.0 / 0.5 / 0.0 or a false tie."""
    rows = tk.small_rows()
    for r, v in zip(rows, ("5e200", "3e200", "1e200")):
        r[2] = v
    d = tk.small_dict()
    d["criteria"][0].pop("bounds")
    c = write("c.yaml", yaml.safe_dump(d))
    big = invoke("rank", write("big.csv", tk.csv_text(tk.SMALL_HEADER, rows)), "-c", c, "-f", "json")
    for r, v in zip(rows, ("5", "3", "1")):
        r[2] = v
    small = invoke("rank", write("s.csv", tk.csv_text(tk.SMALL_HEADER, rows)), "-c", c, "-f", "json")
    assert big.exit_code == 0 and small.exit_code == 0, big.stderr
    import json

    scores = lambda res: [o["score"] for o in json.loads(res.stdout)["opportunities"]]  # noqa: E731
    np.testing.assert_allclose(scores(big), scores(small), rtol=1e-12)


@pytest.mark.parametrize("method", ["moora", "wsm", "copras", "vikor", "promethee_ii", "spotis", "wpm"])
def test_other_methods_refuse_overflow_or_agree_with_ordinary_magnitudes(method, write, tk):
    """Never a silent inf or 0: either the same ranking as with the values divided by 1e200, or exit 2."""
    import json

    rows = tk.small_rows()
    d = tk.small_dict()
    d["criteria"][0].pop("bounds")
    d["qualification"]["methods"] = {method: {"qualified": 0.5, "conditional": 0.5}}
    c = write("c.yaml", yaml.safe_dump(d))
    out = {}
    for tag, vals in (("big", ("5e200", "3e200", "1e200")), ("small", ("5", "3", "1"))):
        for r, v in zip(rows, vals):
            r[2] = v
        out[tag] = invoke("rank", write(f"{tag}.csv", tk.csv_text(tk.SMALL_HEADER, rows)), "-c", c, "-m", method,
                          "-f", "json")
    assert out["small"].exit_code in (0, 2)
    if out["big"].exit_code == 2:
        err_of(out["big"], "big.csv")
        assert "nan" not in out["big"].stderr.lower() or "finite" in out["big"].stderr
    else:
        assert out["big"].exit_code == 0, out["big"].stderr
        ranks = lambda res: {o["id"]: o["rank"] for o in json.loads(res.stdout)["opportunities"]}  # noqa: E731
        assert ranks(out["big"]) == ranks(out["small"])


def test_an_overflow_inside_a_method_names_column_and_method(small, small_csv, monkeypatch):
    """ranking._score_safely turns numpy's overflow inside any method into a located PortfolioError."""
    from mcda_qualify import ranking

    def overflowing(method, x, **kw):
        return np.square(np.full(3, 1e200))  # raises FloatingPointError under errstate(over="raise")

    monkeypatch.setattr(ranking.core, "score", overflowing)
    p = load_portfolio(small_csv, small)
    with pytest.raises(InputError, match="column 'deal_size': numbers too large for method 'wsm'"):
        rank(p, method="wsm")
