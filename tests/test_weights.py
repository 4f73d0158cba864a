"""Weights: from the criteria file, a mapping, an array or a YAML file; normalised; bad ones refused."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda_qualify.errors import WeightsError
from mcda_qualify.weights import load_weights, resolve_weights


def test_none_takes_the_criteria_files_weights(criteria, criteria_yaml):
    raw = criteria_yaml["weights"]
    w = resolve_weights(criteria)
    assert w == pytest.approx([raw[i] / sum(raw.values()) for i in criteria.ids], abs=1e-15)


def test_mapping_is_normalised_in_criteria_order(small):
    w = resolve_weights(small, {"effort": 1, "fit": 1, "risk": 2, "deal_size": 4})
    assert w.tolist() == pytest.approx([0.5, 0.25, 0.125, 0.125])


def test_array_in_criteria_order(small):
    assert resolve_weights(small, [2, 2, 2, 2]).tolist() == pytest.approx([0.25] * 4)
    assert resolve_weights(small, np.array([1.0, 3.0, 0.5, 0.5])).tolist() == pytest.approx([0.2, 0.6, 0.1, 0.1])


def test_numpy_scalars_in_a_mapping(small):
    w = resolve_weights(small, {k: np.float32(1) for k in small.ids})
    assert w.tolist() == pytest.approx([0.25] * 4)


def test_exclude_gives_zero_and_renormalises(small):
    w = resolve_weights(small, {"deal_size": 4, "risk": 3, "fit": 2, "effort": 1}, exclude=["risk"])
    assert w.tolist() == pytest.approx([4 / 7, 0.0, 2 / 7, 1 / 7])
    # an excluded criterion needs no weight in a mapping
    w2 = resolve_weights(small, {"deal_size": 4, "fit": 2, "effort": 1}, exclude=["risk"])
    assert w2.tolist() == pytest.approx(w.tolist())
    # the file's weights, renormalised
    base = small.default_weights()
    w3 = resolve_weights(small, exclude=["deal_size", "effort"])
    assert w3.tolist() == pytest.approx([0, base[1] / (base[1] + base[2]), base[2] / (base[1] + base[2]), 0])


def test_exclude_unknown_or_everything(small):
    with pytest.raises(WeightsError, match=r"cannot exclude an unknown criterion \(got 'size'\)"):
        resolve_weights(small, exclude=["size"])
    with pytest.raises(WeightsError, match="every criterion is excluded"):
        resolve_weights(small, exclude=small.ids)


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
def test_non_positive_or_non_finite_weight_in_a_mapping(bad, small):
    with pytest.raises(WeightsError) as err:
        resolve_weights(small, {"deal_size": 4, "risk": bad, "fit": 2, "effort": 1}, source="w.yaml")
    e = err.value
    assert e.file == "w.yaml" and e.column == "risk"
    assert "weight must be a finite number > 0" in str(e)
    assert (math.isnan(e.value) if isinstance(bad, float) and math.isnan(bad) else e.value == bad)
    assert "to drop a criterion, exclude it" in str(e)


@pytest.mark.parametrize("bad", [0, -2, float("nan")])
def test_non_positive_or_nan_weight_in_an_array(bad, small):
    with pytest.raises(WeightsError, match=r"column 'fit': weight must be a finite number > 0"):
        resolve_weights(small, [1, 1, bad, 1])


def test_missing_weight(small):
    with pytest.raises(WeightsError) as err:
        resolve_weights(small, {"deal_size": 1, "risk": 1}, source="w.yaml")
    assert str(err.value).startswith("w.yaml, column 'fit': no weight for criterion 'fit' (nor effort)")


def test_unknown_weight(small):
    with pytest.raises(WeightsError) as err:
        resolve_weights(small, {"deal_size": 1, "risk": 1, "fit": 1, "effort": 1, "margin": 1}, source="w.yaml")
    msg = str(err.value)
    assert msg.startswith("w.yaml, column 'margin': weight for an unknown criterion")
    assert "deal_size, risk, fit, effort" in msg


@pytest.mark.parametrize("bad", ["high", None, True, [1]])
def test_weight_that_is_not_a_number(bad, small):
    with pytest.raises(WeightsError) as err:
        resolve_weights(small, {"deal_size": 1, "risk": bad, "fit": 1, "effort": 1})
    assert err.value.column == "risk" and "weight is not a number" in str(err.value)


def test_array_of_wrong_length_or_not_numbers(small):
    with pytest.raises(WeightsError, match=r"wrong number of weights.*expected 4 weights in the order deal_size, risk, fit, effort"):
        resolve_weights(small, [1, 2, 3])
    with pytest.raises(WeightsError, match="weights are not numbers"):
        resolve_weights(small, ["a", "b", "c", "d"])


# ------------------------------------------------------------------------------------------------
# weights files
# ------------------------------------------------------------------------------------------------


def test_load_weights_file(write, small):
    p = write("w.yaml", "deal_size: 4\nrisk: 3\nfit: 2\neffort: 1\n")
    assert load_weights(p) == {"deal_size": 4.0, "risk": 3.0, "fit": 2.0, "effort": 1.0}
    nested = write("n.yaml", "weights:\n  deal_size: 0.4\n  risk: 0.3\n  fit: 0.2\n  effort: 0.1\n")
    assert resolve_weights(small, load_weights(nested)).tolist() == pytest.approx([0.4, 0.3, 0.2, 0.1])


@pytest.mark.parametrize("line, needle", [
    ("risk: 0", "weight must be a finite number > 0 (got 0.0)"),
    ("risk: -0.5", "weight must be a finite number > 0 (got -0.5)"),
    ("risk: .nan", "weight must be a finite number > 0 (got nan)"),
])
def test_bad_weight_in_a_file(line, needle, write, small):
    p = write("w.yaml", f"deal_size: 4\n{line}\nfit: 2\neffort: 1\n")
    with pytest.raises(WeightsError) as err:
        resolve_weights(small, load_weights(p), source=str(p))
    assert str(err.value).startswith(f"{p}, column 'risk': {needle}")


def test_missing_and_unknown_weight_in_a_file(write, small):
    p = write("w.yaml", "deal_size: 4\nfit: 2\neffort: 1\n")
    with pytest.raises(WeightsError, match=rf"^{p}, column 'risk': no weight for criterion 'risk'"):
        resolve_weights(small, load_weights(p), source=str(p))
    q = write("w2.yaml", "deal_size: 4\nrisk: 1\nfit: 2\neffort: 1\nrisc: 1\n")
    with pytest.raises(WeightsError, match=rf"^{q}, column 'risc': weight for an unknown criterion"):
        resolve_weights(small, load_weights(q), source=str(q))


def test_text_weight_in_a_file(write):
    p = write("w.yaml", "deal_size: high\n")
    with pytest.raises(WeightsError) as err:
        load_weights(p)
    assert str(err.value) == f"{p}, column 'deal_size': weight is not a number (got 'high'); expected a number > 0"


@pytest.mark.parametrize("text, kind", [("", "NoneType"), ("# nothing\n", "NoneType"), ("- 1\n- 2\n", "list"),
                                        ("{}\n", "dict"), ("just text\n", "str")])
def test_empty_or_shapeless_weights_file(text, kind, write):
    p = write("w.yaml", text)
    with pytest.raises(WeightsError) as err:
        load_weights(p)
    assert str(err.value).startswith(f"{p}: no weights in the file (got '{kind}')")


def test_malformed_weights_file(write):
    p = write("w.yaml", "risk: [0.2\nfit: 1\n")
    with pytest.raises(WeightsError) as err:
        load_weights(p)
    assert str(err.value).startswith(f"{p}: line ")
    assert "not valid YAML" in str(err.value)


def test_weights_file_not_found_or_not_text(tmp_path, write):
    with pytest.raises(WeightsError, match="weights file not found"):
        load_weights(tmp_path / "none.yaml")
    p = write("bin.yaml", b"\xff\xfe\x00r\x00i\x00s\x00k")
    with pytest.raises(WeightsError) as err:
        load_weights(p)
    assert str(err.value).startswith(f"{p}: not a UTF-8 text file")


@settings(max_examples=80, deadline=None)
@given(st.lists(st.floats(min_value=1e-3, max_value=1e3), min_size=4, max_size=4),
       st.floats(min_value=1e-3, max_value=1e3))
def test_resolved_weights_sum_to_one_and_ignore_scale(ws, k):
    from mcda_qualify.criteria import criteria_from_dict

    crit = criteria_from_dict({"name": "x", "criteria": [
        {"id": f"c{i}", "name": f"C{i}", "direction": "benefit"} for i in range(4)]})
    a = resolve_weights(crit, {f"c{i}": w for i, w in enumerate(ws)})
    b = resolve_weights(crit, [w * k for w in ws])
    assert math.isclose(float(a.sum()), 1.0, rel_tol=1e-12)
    np.testing.assert_allclose(a, b, rtol=1e-12)
    assert np.all(a > 0)
