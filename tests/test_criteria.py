"""Criteria files: the bundled file loads as written; every kind of mistake names the file and the key."""
from __future__ import annotations

import math

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mcda_qualify.criteria import Criterion, criteria_from_dict, load_criteria
from mcda_qualify.errors import CriteriaError, InputError


# ------------------------------------------------------------------------------------------------
# the bundled file
# ------------------------------------------------------------------------------------------------


def test_bundled_file_matches_its_yaml(criteria, criteria_yaml):
    assert criteria.ids == [c["id"] for c in criteria_yaml["criteria"]]
    for c, raw in zip(criteria.criteria, criteria_yaml["criteria"]):
        assert c.direction == raw["direction"]
        assert c.sign == (1 if raw["direction"] == "benefit" else -1)
    assert list(criteria.types) == [1 if c["direction"] == "benefit" else -1 for c in criteria_yaml["criteria"]]
    assert criteria.qualification.qualified == criteria_yaml["qualification"]["qualified"]
    assert criteria.qualification.conditional == criteria_yaml["qualification"]["conditional"]


def test_file_weights_are_normalised_in_criteria_order(criteria, criteria_yaml):
    raw = criteria_yaml["weights"]
    total = sum(raw.values())
    w = criteria.default_weights()
    assert w == pytest.approx([raw[i] / total for i in criteria.ids], abs=1e-15)
    assert math.isclose(float(w.sum()), 1.0)


def test_equal_weights_when_the_file_gives_none(tk):
    data = tk.small_dict()
    del data["weights"]
    crit = criteria_from_dict(data)
    assert list(crit.default_weights()) == pytest.approx([0.25] * 4)


def test_scale_bounds_worst_and_labels(criteria):
    risk = criteria["risk"]  # cost, scale 1..5
    assert risk.bounds == (1.0, 5.0)
    assert risk.worst == 5.0
    avail = criteria["solution_availability"]  # benefit, scale 1..4
    assert avail.bounds == (1.0, 4.0) and avail.worst == 1.0
    assert criteria["deal_size"].worst == 0.0  # benefit, bounds [0, 50000]
    assert criteria["sales_effort"].worst == 400.0  # cost, bounds [0, 400]
    assert risk.level_of("  Very HIGH ") == 5
    assert risk.level_of("enormous") is None
    assert risk.describe(4) == "high"
    assert criteria["deal_size"].describe(24000) == "24,000 kEUR"
    with pytest.raises(KeyError):
        criteria["no_such_criterion"]


def test_scale_given_as_plain_labels_or_mappings(tk):
    crit = criteria_from_dict(tk.small_dict())
    assert crit["risk"].scale[2].label == "medium"
    assert crit["effort"].worst is None  # no scale, no bounds


def test_errors_are_input_errors_with_parts(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("name: x\ncriteria:\n  - {id: a, name: A, direction: up}\n", encoding="utf-8")
    with pytest.raises(CriteriaError) as err:
        load_criteria(p)
    assert isinstance(err.value, InputError) and isinstance(err.value, ValueError)
    assert err.value.file == str(p)
    assert str(err.value) == err.value.message
    assert str(err.value).startswith(f"{p}: ")


# ------------------------------------------------------------------------------------------------
# errors, each naming the file and the key
# ------------------------------------------------------------------------------------------------


def _crit(**over):
    base = {"id": "a", "name": "A", "direction": "benefit"}
    base.update(over)
    return base


BAD_CRITERIA = {
    "bad direction": (
        {"name": "x", "criteria": [_crit(direction="more")]},
        ["key 'criteria[0] (id a).direction'", "'cost' or 'benefit'"]),
    "duplicate ids": (
        {"name": "x", "criteria": [_crit(), _crit(name="B")]},
        ["key 'criteria'", "duplicate criterion id(s): a"]),
    "bad id form": (
        {"name": "x", "criteria": [_crit(), _crit(id="Deal Size")]},
        ["key 'criteria[1] (id Deal Size).id'", "[a-z0-9_]+"]),
    "gate min above max": (
        {"name": "x", "criteria": [_crit(gate={"min": 3, "max": 2})]},
        ["key 'criteria[0] (id a).gate'", "min 3", "above max 2"]),
    "empty gate": (
        {"name": "x", "criteria": [_crit(gate={})]},
        ["key 'criteria[0] (id a).gate'", "at least one of min, max, allowed"]),
    "unknown gate label": (
        {"name": "x", "criteria": [_crit(scale={1: "no", 2: "yes"}, gate={"allowed": ["maybe"]})]},
        ["key 'criteria[0] (id a)'", "'maybe'", "not a label of the scale"]),
    "weights for unknown criteria": (
        {"name": "x", "criteria": [_crit()], "weights": {"a": 1, "b": 2}},
        ["key 'weights'", "unknown criteria ['b']"]),
    "weights missing a criterion": (
        {"name": "x", "criteria": [_crit(), _crit(id="b")], "weights": {"a": 1}},
        ["key 'weights'", "miss criteria ['b']"]),
    "zero weight": (
        {"name": "x", "criteria": [_crit()], "weights": {"a": 0}},
        ["key 'weights'", "finite and > 0"]),
    "bounds reversed": (
        {"name": "x", "criteria": [_crit(bounds=[5, 1])]},
        ["key 'criteria[0] (id a)'", "low < high"]),
    "duplicate scale labels": (
        {"name": "x", "criteria": [_crit(scale={1: "Low", 2: "low"})]},
        ["key 'criteria[0] (id a)'", "distinct"]),
    "unknown key": (
        {"name": "x", "criteria": [_crit(wieght=3)]},
        ["key 'criteria[0] (id a).wieght'"]),
    "no criteria": (
        {"name": "x", "criteria": []},
        ["key 'criteria'"]),
    "criteria missing": (
        {"name": "x"},
        ["key 'criteria'", "required"]),
    "bands out of order": (
        {"name": "x", "criteria": [_crit()], "qualification": {"qualified": 0.4, "conditional": 0.6}},
        ["key 'qualification'", "must not exceed"]),
}


@pytest.mark.parametrize("case", list(BAD_CRITERIA), ids=list(BAD_CRITERIA))
def test_bad_criteria_file_names_file_and_key(case, tmp_path):
    data, needles = BAD_CRITERIA[case]
    p = tmp_path / "criteria.yaml"
    p.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(CriteriaError) as err:
        load_criteria(p)
    msg = str(err.value)
    assert msg.startswith(f"{p}: ")
    for n in needles:
        assert n in msg, f"{n!r} not in {msg!r}"


def test_several_problems_are_counted(tmp_path):
    p = tmp_path / "criteria.yaml"
    p.write_text(yaml.safe_dump({"name": "x", "criteria": [_crit(direction="up", name=None)]}), encoding="utf-8")
    with pytest.raises(CriteriaError, match=r"and 1 more problem\)"):
        load_criteria(p)


def test_empty_file(tmp_path):
    p = tmp_path / "empty.yaml"
    p.write_text("# only a comment\n", encoding="utf-8")
    with pytest.raises(CriteriaError) as err:
        load_criteria(p)
    assert str(err.value) == f"{p}: the file is empty; expected a mapping with 'name' and 'criteria'"


def test_malformed_yaml_names_the_line(tmp_path):
    p = tmp_path / "broken.yaml"
    p.write_text("name: x\ncriteria:\n  - id: a\n    name: [unclosed\n", encoding="utf-8")
    with pytest.raises(CriteriaError) as err:
        load_criteria(p)
    msg = str(err.value)
    assert msg.startswith(f"{p}: line ")
    assert "not valid YAML" in msg


def test_not_a_mapping(tmp_path):
    p = tmp_path / "list.yaml"
    p.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(CriteriaError) as err:
        load_criteria(p)
    assert str(p) in str(err.value) and "must be a mapping" in str(err.value) and "'list'" in str(err.value)


def test_missing_file_and_folder(tmp_path):
    for p in (tmp_path / "nope.yaml", tmp_path):
        with pytest.raises(CriteriaError) as err:
            load_criteria(p)
        assert str(err.value).startswith(f"{p}: criteria file not found")


def test_not_utf8(tmp_path):
    p = tmp_path / "latin1.yaml"
    p.write_bytes("name: Caf\u00e9\ncriteria: []\n".encode("latin-1"))
    with pytest.raises(CriteriaError) as err:
        load_criteria(p)
    assert str(err.value).startswith(f"{p}: not a UTF-8 text file")


def test_bom_is_accepted(tmp_path, tk):
    p = tmp_path / "bom.yaml"
    p.write_bytes(b"\xef\xbb\xbf" + yaml.safe_dump(tk.small_dict()).encode())
    assert load_criteria(p).ids == [c["id"] for c in tk.small_dict()["criteria"]]


def test_criteria_from_dict_names_its_source():
    with pytest.raises(CriteriaError, match=r"^inline: key 'criteria\[0\] \(id a\)\.direction'"):
        criteria_from_dict({"name": "x", "criteria": [_crit(direction="sideways")]}, source="inline")


def test_criterion_is_frozen(criteria):
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="frozen"):
        criteria["risk"].direction = "benefit"  # type: ignore[misc]
    assert isinstance(criteria["risk"], Criterion) and criteria["risk"].direction == "cost"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=1e-3, max_value=1e3), min_size=1, max_size=6))
def test_file_weights_always_normalise(ws):
    data = {"name": "x", "criteria": [_crit(id=f"c{i}") for i in range(len(ws))],
            "weights": {f"c{i}": w for i, w in enumerate(ws)}}
    w = criteria_from_dict(data).default_weights()
    assert math.isclose(float(w.sum()), 1.0, rel_tol=1e-12)
    assert w == pytest.approx([x / sum(ws) for x in ws], rel=1e-12)
