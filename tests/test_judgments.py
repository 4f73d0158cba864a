"""Tests of the labelled AHP layer (mcda_qualify.judgments): forms, validation messages, summaries.

YAML files are written to pytest's tmp_path; figures are copied from their sources (named below).
"""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from mcda_qualify.core import ahp

from mcda_qualify.core import ahp_group
from mcda_qualify.errors import InputError, JudgmentError
from mcda_qualify.judgments import GroupJudgments, Hierarchy, Judgments, load_judgments, parse_document, parse_judgments
from mcda_qualify.judgments_summary import ahp_summary, weights_from_judgments

# Case "drinks": Saaty, T. L. (2008). Decision making with the analytic hierarchy process.
# Int. J. Services Sciences 1(1), 83-98 -- written as [a, b, v] judgments (upper triangle).
DRINKS_YAML = """
labels: [coffee, wine, tea, beer, soda, milk, water]
judgments:
  - [coffee, wine, 9]
  - [coffee, tea, 5]
  - [coffee, beer, 2]
  - [coffee, soda, 1]
  - [coffee, milk, 1]
  - [coffee, water, "1/2"]
  - [wine, tea, "1/3"]
  - [wine, beer, "1/9"]
  - [wine, soda, "1/9"]
  - [wine, milk, "1/9"]
  - [wine, water, "1/9"]
  - [tea, beer, "1/3"]
  - [tea, soda, "1/4"]
  - [tea, milk, "1/3"]
  - [tea, water, "1/9"]
  - [beer, soda, "1/2"]
  - [beer, milk, 1]
  - [beer, water, "1/3"]
  - [soda, milk, 2]
  - [soda, water, "1/2"]
  - [milk, water, "1/3"]
"""
DRINKS_EIGENVECTOR_4DP = {"coffee": 0.1775, "wine": 0.0191, "tea": 0.0418, "beer": 0.1164,
                          "soda": 0.1896, "milk": 0.1288, "water": 0.3268}
DRINKS_LAMBDA_MAX_4DP = 7.1766
DRINKS_CR_4DP = {"saaty_2005": 0.0218, "saaty_1980": 0.0223}

# Case "wang_chin_6x6": Wang, Y. M., & Chin, K. S. (2011). Information Sciences 181(23), 5240-5248.
WANG_CHIN_YAML = """
labels: [c1, c2, c3, c4, c5, c6]
matrix:
  - [1, 4, 3, 1, 3, 4]
  - ["1/4", 1, 7, 3, "1/5", 1]
  - ["1/3", "1/7", 1, "1/5", "1/5", "1/6"]
  - [1, "1/3", 5, 1, 1, "1/3"]
  - ["1/3", 5, 5, 1, 1, 3]
  - ["1/4", 1, 6, 3, "1/3", 1]
"""
WANG_CHIN_LAMBDA_MAX_4DP = 7.4199


def write(tmp_path, text, name="judgments.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def error_of(fn, *args, **kwargs) -> str:
    with pytest.raises(JudgmentError) as err:
        fn(*args, **kwargs)
    assert isinstance(err.value, InputError)
    return str(err.value)


# --------------------------------------------------------------------------- accepted forms
def test_drinks_file_reproduces_saaty_2008(tmp_path):
    path = write(tmp_path, DRINKS_YAML, "drinks.yaml")
    for table, cr in DRINKS_CR_4DP.items():
        s = ahp_summary(path, ri_table=table)
        assert {k: round(v, 4) for k, v in s["weights"].items()} == DRINKS_EIGENVECTOR_4DP
        assert round(s["lambda_max"], 4) == DRINKS_LAMBDA_MAX_4DP
        assert round(s["cr"], 4) == cr and s["consistent"] and s["repair"] is None
        assert s["ri_table"] == table and s["source"] == str(path) and s["kind"] == "single"


def test_pair_dict_triples_and_flat_mapping_agree():
    d = parse_judgments({("risk", "effort"): 3, ("effort", "size"): "1/2", ("risk", "size"): 2})
    t = parse_judgments([["risk", "effort", 3], ["effort", "size", "1/2"], ["risk", "size", 2]])
    f = parse_judgments({"labels": ["risk", "effort", "size"],
                         "judgments": [["risk", "effort", 3], ["effort", "size", "1/2"], ["risk", "size", 2]]})
    for j in (d, t, f):
        assert j.labels == ("risk", "effort", "size")
        assert j.value("risk", "effort") == 3 and j.value("effort", "risk") == pytest.approx(1 / 3)
        assert j.value("effort", "size") == 0.5 and j.is_complete
    np.testing.assert_array_equal(d.matrix, t.matrix)
    np.testing.assert_array_equal(d.matrix, f.matrix)


def test_labels_order_comes_from_labels_then_allowed_then_appearance():
    pairs = [["b", "a", 2]]
    assert parse_judgments(pairs).labels == ("b", "a")
    assert parse_judgments(pairs, labels=["a", "b"]).labels == ("a", "b")
    assert parse_judgments({"labels": ["a", "b"], "judgments": pairs}).labels == ("a", "b")


def test_fraction_text_is_parsed_exactly_without_eval():
    j = parse_judgments([["a", "b", " 1 / 7 "], ["b", "c", "0.5"], ["a", "c", "1/9"]])
    assert j.value("a", "b") == 1 / 7 and j.value("b", "c") == 0.5


def test_identical_repeats_are_accepted():
    j = parse_judgments([["a", "b", 3], ["b", "a", "1/3"], ["a", "b", 3.0]])
    assert j.value("a", "b") == 3


def test_values_within_1e_9_of_the_scale_are_snapped():
    j = parse_judgments([["a", "b", 0.3333333333]])  # |x - 1/3| < 1e-9
    assert j.value("a", "b") == 1 / 3 and j.value("b", "a") == 3.0


def test_continuous_scale_accepts_any_positive_ratio(tmp_path):
    j = parse_judgments([["a", "b", 2.5], ["b", "c", 12]], scale="continuous")
    assert j.value("a", "b") == 2.5 and j.value("c", "b") == pytest.approx(1 / 12)
    path = write(tmp_path, "scale: continuous\njudgments: [[a, b, 2.5]]\n")
    assert load_judgments(path).value("a", "b") == 2.5


def test_matrix_form_with_missing_entries_and_numpy_input(tmp_path):
    path = write(tmp_path, "labels: [a, b, c]\nmatrix: [[1, 2, null], [null, 1, 3], [null, null, 1]]\n")
    j = load_judgments(path)
    assert j.value("b", "a") == 0.5 and math.isnan(j.value("a", "c")) and not j.is_complete
    arr = np.array([[1, 2], [0.5, 1]])
    assert parse_judgments(arr, labels=["x", "y"]).value("x", "y") == 2


def test_wang_chin_matrix_file_and_review(tmp_path):
    s = ahp_summary(write(tmp_path, WANG_CHIN_YAML), top=3)
    assert round(s["lambda_max"], 4) == WANG_CHIN_LAMBDA_MAX_4DP
    assert not s["consistent"] and 0.22 < s["cr"] < 0.24
    review = s["judgments_to_review"]
    assert len(review) == 3
    assert set(review[0]) == {"a", "b", "given", "consistent_value", "suggested", "error"}
    assert abs(math.log(review[0]["error"])) >= abs(math.log(review[1]["error"]))
    assert s["repair"]["consistent"] and s["repair"]["cr_after"] < 0.1
    assert s["repair"]["changes"][0].keys() == {"a", "b", "old", "new", "cr_after"}
    assert s["inconsistent_triads"][0] == {"a": "c2", "b": "c4", "c": "c5", "ratio": pytest.approx(1 / 15),
                                           "index": pytest.approx(14 / 15)}


def test_incomplete_summary_lists_inferred_pairs():
    s = ahp_summary({"judgments": [["a", "b", 2], ["b", "c", 3]]})
    assert s["complete"] is False
    assert s["inferred"] == [{"a": "a", "b": "c", "value": pytest.approx(6.0)}]
    assert s["cr"] == pytest.approx(0.0, abs=1e-12)
    g = ahp_summary({"judgments": [["a", "b", 2], ["b", "c", 3]]}, method="geometric")
    assert g["gci"] == 0.0 and g["weights"]["a"] == pytest.approx(0.6)


# --------------------------------------------------------------------------- invalid values
@pytest.mark.parametrize("value, problem, expected", [
    (0, "value is not positive (got 0)", "use null for a missing judgment"),
    (-3, "value is not positive (got -3)", "a positive number or a fraction"),
    (float("inf"), "value is not finite (got inf)", "a positive number"),
    (float("nan"), "value is not finite (got nan)", "a positive number"),
    ("three", "value is not a number or fraction (got 'three')", '"1/3"'),
    ("1/0", "value is not a number or fraction (got '1/0')", "fraction"),
    ("3*3", "value is not a number or fraction (got '3*3')", "fraction"),
    ("__import__('os')", "not a number or fraction", "fraction"),
    (True, "value is not a number (got True)", "positive number"),
    (None, "value is not a number (got None)", "positive number"),
])
def test_bad_values_are_named_with_file_pair_and_expectation(value, problem, expected):
    msg = error_of(parse_judgments, [["risk", "effort", 3], ["effort", "size", value]], source="w.yaml")
    assert msg.startswith("w.yaml: judgment 2 [effort, size]: ")
    assert problem in msg and expected in msg


@pytest.mark.parametrize("value", [2.5, 0.3, 10, 0.333, "11/2"])
def test_values_off_the_saaty_scale_are_refused_unless_continuous(value):
    msg = error_of(parse_judgments, [["a", "b", value]], source="w.yaml")
    assert "w.yaml: judgment 1 [a, b]: value is not on Saaty's 1-9 scale" in msg
    assert f"(got {value!r})" in msg and 'scale="continuous"' in msg and "1/2..1/9" in msg
    assert parse_judgments([["a", "b", value]], scale="continuous").matrix[0, 1] > 0


def test_yaml_special_values_are_refused(tmp_path):
    msg = error_of(load_judgments, write(tmp_path, "judgments: [[a, b, .inf]]\n", "inf.yaml"))
    assert "inf.yaml: judgment 1 [a, b]: value is not finite" in msg
    msg = error_of(load_judgments, write(tmp_path, "judgments: [[a, b, yes]]\n", "bool.yaml"))
    assert "bool.yaml: judgment 1 [a, b]: value is not a number (got True)" in msg


# --------------------------------------------------------------------------- invalid labels and pairs
def test_unknown_label_names_the_criteria_ids_and_a_close_match():
    msg = error_of(parse_judgments, [["risk", "efort", 3]], labels=["risk", "effort", "size"], source="w.yaml")
    assert "w.yaml: judgment 1 [risk, efort]: unknown label 'efort' (did you mean 'effort'?)" in msg
    assert "expected one of the criteria ids: risk, effort, size" in msg


def test_label_not_in_the_files_labels():
    msg = error_of(parse_judgments, {"labels": ["a", "b"], "judgments": [["a", "c", 2]]}, source="w.yaml")
    assert "judgment 1 [a, c]: label 'c' is not in this node's labels" in msg and "one of a, b" in msg


def test_labels_list_errors():
    assert "listed twice" in error_of(parse_judgments, {"labels": ["a", "a"], "judgments": [["a", "b", 2]]})
    msg = error_of(parse_judgments, {"labels": ["a", 7], "judgments": [["a", "b", 2]]})
    assert "label in 'labels' is not a label (got 7)" in msg and "quote numbers" in msg
    msg = error_of(parse_judgments, {"labels": ["a", "zz"], "judgments": [["a", "zz", 2]]}, labels=["a", "b"])
    assert "unknown label 'zz' in 'labels'" in msg
    assert "must be a non-empty list" in error_of(parse_judgments, {"labels": "a", "judgments": []})


def test_self_comparison_is_refused():
    msg = error_of(parse_judgments, [["a", "b", 2], ["risk", "risk", 1]], source="w.yaml")
    assert "w.yaml: judgment 2 [risk, risk]: compares 'risk' with itself (got 1)" in msg
    assert "two different labels" in msg


@pytest.mark.parametrize("second, said", [
    (["a", "b", 5], "together they say a/b = 3 and 5"),
    (["b", "a", 3], "together they say a/b = 3 and 1/3"),
])
def test_conflicting_duplicates_name_both_judgments(second, said):
    msg = error_of(parse_judgments, [["a", "b", 3], ["a", "c", 2], second], source="w.yaml")
    assert f"w.yaml: judgment 3 [{second[0]}, {second[1]}]: conflicts with judgment 1 [a, b] (value 3)" in msg
    assert said in msg and "one value per pair" in msg


def test_not_a_triple():
    msg = error_of(parse_judgments, [["a", "b", 3], ["a", "b"]], source="w.yaml")
    assert "w.yaml: judgment 2: is not an [a, b, v] triple (got ['a', 'b'])" in msg
    assert "not a label" in error_of(parse_judgments, [[1, "b", 3]])


def test_disconnected_graph_names_the_groups():
    msg = error_of(parse_judgments, [["risk", "effort", 3], ["size", "value", 2]], source="w.yaml")
    assert "w.yaml: comparison graph is not connected: {risk, effort} | {size, value}" in msg
    assert "e.g. [risk, size, v]" in msg


def test_criterion_never_compared_is_reported_when_labels_are_given():
    msg = error_of(parse_judgments, [["risk", "effort", 3]], labels=["risk", "effort", "size"])
    assert "not connected: {risk, effort} | {size}" in msg


# --------------------------------------------------------------------------- invalid matrices
def test_matrix_not_reciprocal():
    msg = error_of(parse_judgments, {"labels": ["a", "b"], "matrix": [[1, 3], [3, 1]]}, source="m.yaml")
    assert "m.yaml: matrix is not reciprocal at [a, b] and [b, a] (got ('3', '3'))" in msg
    assert "[b, a] = 1/[a, b] = 1/3 (relative tolerance 1e-06)" in msg


def test_matrix_reciprocal_within_tolerance_is_accepted():
    j = parse_judgments({"labels": ["a", "b"], "matrix": [[1, 0.25], [4.0000001, 1]]}, scale="continuous")
    assert j.value("a", "b") == 0.25


def test_matrix_diagonal_not_one():
    msg = error_of(parse_judgments, {"labels": ["a", "b"], "matrix": [[2, 3], ["1/3", 1]]}, source="m.yaml")
    assert "m.yaml: matrix entry [a, a]: diagonal entry is not 1 (got 2)" in msg and "1 on the diagonal" in msg


def test_matrix_shape_and_labels():
    msg = error_of(parse_judgments, {"labels": ["a", "b"], "matrix": [[1, 3, 2], ["1/3", 1, 1]]})
    assert "matrix has the wrong shape" in msg and "2 rows of 2 values" in msg
    assert "a matrix needs 'labels'" in error_of(parse_judgments, {"matrix": [[1, 3], ["1/3", 1]]})
    assert "a matrix needs labels" in error_of(parse_judgments, np.eye(2))
    msg = error_of(parse_judgments, {"labels": ["a", "b"], "matrix": [[1, 0], [None, 1]]})
    assert "matrix entry [a, b]: value is not positive (got 0)" in msg and "use null" in msg


def test_both_judgments_and_matrix_or_neither():
    assert "both 'judgments' and 'matrix'" in error_of(
        parse_judgments, {"labels": ["a", "b"], "judgments": [], "matrix": [[1, 1], [1, 1]]})
    assert "has no judgments" in error_of(parse_judgments, {"labels": ["a", "b"]})


# --------------------------------------------------------------------------- files
def test_empty_file(tmp_path):
    msg = error_of(load_judgments, write(tmp_path, "  \n# nothing\n", "empty.yaml"))
    assert msg.startswith(str(tmp_path / "empty.yaml")) and "file is empty" in msg


def test_malformed_yaml_names_file_and_line(tmp_path):
    msg = error_of(load_judgments, write(tmp_path, "labels: [a, b\njudgments:\n  - [a, b, 2]\n", "bad.yaml"))
    assert "bad.yaml: malformed YAML at line" in msg


def test_wrong_top_level_type(tmp_path):
    msg = error_of(load_judgments, write(tmp_path, "just some text\n", "text.yaml"))
    assert "text.yaml: top level is a str (got 'just some text')" in msg and "a mapping with 'judgments'" in msg
    msg = error_of(load_judgments, write(tmp_path, "- 1\n- 2\n", "list.yaml"))
    assert "list.yaml: judgment 1: is not an [a, b, v] triple (got 1)" in msg


def test_missing_file(tmp_path):
    msg = error_of(load_judgments, tmp_path / "nope.yaml")
    assert "nope.yaml: file not found" in msg


def test_unknown_key_suggests_the_right_one(tmp_path):
    msg = error_of(load_judgments, write(tmp_path, "lables: [a, b]\njudgments: [[a, b, 2]]\n", "k.yaml"))
    assert "k.yaml: unknown key 'lables' (did you mean 'labels'?)" in msg


def test_judgments_must_be_a_list(tmp_path):
    msg = error_of(load_judgments, write(tmp_path, "judgments: {a: b}\n", "j.yaml"))
    assert "j.yaml: 'judgments' must be a list of [a, b, v] items" in msg


def test_unknown_scale(tmp_path):
    msg = error_of(load_judgments, write(tmp_path, "scale: fuzzy\njudgments: [[a, b, 2]]\n", "s.yaml"))
    assert "s.yaml: unknown scale (got 'fuzzy')" in msg


def test_flat_file_with_allowed_labels(tmp_path):
    path = write(tmp_path, "judgments:\n  - [risk, effort, 3]\n  - [effort, size, '1/2']\n")
    j = load_judgments(path, labels=["size", "effort", "risk"])
    assert isinstance(j, Judgments) and j.labels == ("size", "effort", "risk") and not j.is_complete


# --------------------------------------------------------------------------- groups
GROUP_YAML = """
labels: [risk, effort, size]
judges:
  - name: alice
    weight: 2
    judgments: [[risk, effort, 3], [effort, size, 2], [risk, size, 5]]
  - name: bob
    judgments: [[risk, effort, 5], [effort, size, "1/2"], [risk, size, 3]]
"""


def test_group_file_aij_summary(tmp_path):
    path = write(tmp_path, GROUP_YAML)
    node = load_judgments(path)
    assert isinstance(node, GroupJudgments) and [j.name for j in node.judges] == ["alice", "bob"]
    s = ahp_summary(path)
    assert s["kind"] == "group" and s["aggregation"]["method"] == "aij"
    agg = ahp_group.aggregate_judgments(node.matrices, [2, 1])
    assert list(s["weights"].values()) == pytest.approx(ahp.priorities(agg).tolist())
    assert s["judges"]["alice"]["weight"] == pytest.approx(2 / 3)
    assert set(s["judges"]["bob"]) >= {"weights", "cr", "consistent"}
    assert 0 < s["consensus"]["value"] < 1 and s["consensus"]["indicator"] == "goepel_2013"
    top = s["disagreements"][0]
    assert (top["a"], top["b"]) == ("effort", "size") and top["values"] == {"alice": 2.0, "bob": 0.5}
    json.dumps(s, allow_nan=False)


def test_group_aip_summary(tmp_path):
    s = ahp_summary(write(tmp_path, GROUP_YAML), aggregation="aip")
    wa = list(s["judges"]["alice"]["weights"].values())
    wb = list(s["judges"]["bob"]["weights"].values())
    expected = (2 * np.array(wa) + np.array(wb)) / 3
    assert list(s["weights"].values()) == pytest.approx(expected.tolist())
    assert s["cr"] is None and s["consistent"] == (s["judges"]["alice"]["consistent"]
                                                   and s["judges"]["bob"]["consistent"])


def test_group_labels_from_the_judges_union():
    g = parse_document({"judges": [{"name": "x", "judgments": [["a", "b", 2]]},
                                   {"name": "y", "judgments": [["b", "a", 1]]}]})
    assert isinstance(g, GroupJudgments) and g.labels == ("a", "b")


@pytest.mark.parametrize("judges, message", [
    ([{"judgments": [["a", "b", 2]]}], "judge 1: has no name"),
    ([{"name": "x", "judgments": [["a", "b", 2]]}, {"name": "x", "judgments": [["a", "b", 3]]}],
     "judge 'x': is listed twice"),
    ([{"name": "x", "weight": -1, "judgments": [["a", "b", 2]]}], "judge 'x': weight is not positive (got -1)"),
    ([{"name": "x", "weight": "heavy", "judgments": [["a", "b", 2]]}], "judge 'x': weight is not a number"),
    ([{"name": "x", "judgments": [["a", "b", 2]], "role": "cfo"}], "judge 'x': unknown key 'role'"),
    ([{"name": "x", "judgments": [["a", "b", 2]]}, {"name": "y", "judgments": [["c", "d", 2]]}],
     "judge 'x': comparison graph is not connected: {a, b} | {c} | {d}"),
    ([{"name": "x", "judgments": [["a", "b", 12]]}], "judge 'x', judgment 1 [a, b]: value is not on Saaty"),
    ("alice", "'judges' must be a non-empty list"),
    (["alice"], "judge 1: is not a mapping"),
])
def test_group_errors(judges, message):
    msg = error_of(parse_document, {"judges": judges}, source="g.yaml")
    assert msg.startswith("g.yaml: ") and message in msg


def test_judges_and_judgments_together_are_refused():
    msg = error_of(parse_document, {"judgments": [["a", "b", 2]],
                                    "judges": [{"name": "x", "judgments": [["a", "b", 2]]}]})
    assert "both 'judges' and the node's own judgments" in msg


def test_flat_parser_points_groups_to_parse_document():
    assert "parse_document() or load_judgments()" in error_of(parse_judgments, {"judges": []})


# --------------------------------------------------------------------------- hierarchy
HIERARCHY_YAML = """
labels: [commercial, delivery]
judgments: [[commercial, delivery, 3]]
children:
  commercial:
    labels: [size, strategic]
    judgments: [[size, strategic, 1]]
  delivery:
    judgments: [[risk, effort, 2], [effort, solution, 2], [risk, solution, 4]]
"""


def test_hierarchy_global_weights(tmp_path):
    path = write(tmp_path, HIERARCHY_YAML)
    node = load_judgments(path, labels=["size", "strategic", "risk", "effort", "solution"])
    assert isinstance(node, Hierarchy) and node.leaves == ("size", "strategic", "risk", "effort", "solution")
    s = ahp_summary(node)
    assert s["kind"] == "hierarchy" and s["weights"] == pytest.approx({"commercial": 0.75, "delivery": 0.25})
    assert s["children"]["delivery"]["weights"] == pytest.approx({"risk": 4 / 7, "effort": 2 / 7, "solution": 1 / 7})
    assert s["global_weights"] == pytest.approx({"size": 0.375, "strategic": 0.375, "risk": 0.25 * 4 / 7,
                                                 "effort": 0.25 * 2 / 7, "solution": 0.25 / 7})
    assert sum(s["global_weights"].values()) == pytest.approx(1.0)
    assert s["all_consistent"] is True
    assert weights_from_judgments(node) == pytest.approx(s["global_weights"])
    json.dumps(s, allow_nan=False)


def test_hierarchy_errors(tmp_path):
    bad_child = HIERARCHY_YAML.replace("  delivery:\n", "  delivry:\n")
    msg = error_of(load_judgments, write(tmp_path, bad_child, "h1.yaml"))
    assert "h1.yaml: children: 'delivry' is not a label of its parent node (did you mean 'delivery'?)" in msg
    twice = HIERARCHY_YAML.replace("[risk, effort, 2]", "[size, effort, 2]").replace(
        "[risk, solution, 4]", "[size, solution, 4]")
    msg = error_of(load_judgments, write(tmp_path, twice, "h2.yaml"))
    assert "h2.yaml: label 'size' appears in two nodes" in msg
    msg = error_of(load_judgments, write(tmp_path, HIERARCHY_YAML, "h3.yaml"), labels=["size", "strategic", "risk"])
    assert "h3.yaml: node 'delivery', judgment 1 [risk, effort]: unknown label 'effort'" in msg
    assert "criteria ids: size, strategic, risk" in msg
    off_scale = HIERARCHY_YAML.replace("[[size, strategic, 1]]", "[[size, strategic, 1.5]]")
    msg = error_of(load_judgments, write(tmp_path, off_scale, "h4.yaml"))
    assert "h4.yaml: node 'commercial', judgment 1 [size, strategic]: value is not on Saaty's 1-9 scale" in msg
    assert "'children' must be a non-empty mapping" in error_of(
        parse_document, {"labels": ["a"], "children": []})


# --------------------------------------------------------------------------- summary options
@pytest.mark.parametrize("kwargs, message", [
    ({"method": "mean"}, "unknown priority method"),
    ({"ri_table": "saaty"}, "unknown RI table"),
    ({"aggregation": "median"}, "unknown aggregation"),
    ({"threshold": "loose"}, "unknown CR threshold rule"),
])
def test_summary_rejects_bad_options(kwargs, message):
    assert message in error_of(ahp_summary, {"judgments": [["a", "b", 2]]}, **kwargs)


def test_summary_is_json_serialisable_for_each_kind(tmp_path):
    for text in (DRINKS_YAML, WANG_CHIN_YAML, GROUP_YAML, HIERARCHY_YAML):
        s = ahp_summary(write(tmp_path, text), method="geometric", ri_table="alonso_lamata_2006",
                        threshold="saaty_1994")
        back = json.loads(json.dumps(s, allow_nan=False))
        assert back["method"] == "geometric" and back["threshold"] == "saaty_1994"
        assert abs(sum(back.get("global_weights", back["weights"]).values()) - 1) < 1e-12


def test_leaf_at_the_top_of_a_hierarchy_is_checked_against_the_criteria():
    doc = {"labels": ["commercial", "risk"], "judgments": [["commercial", "risk", 2]],
           "children": {"commercial": {"judgments": [["size", "strategic", 1]]}}}
    msg = error_of(parse_document, doc, labels=["size", "strategic", "risks"], source="h.yaml")
    assert "h.yaml: unknown leaf label 'risk' (did you mean 'risks'?) (got 'risk')" in msg
    node = parse_document(doc, labels=["size", "strategic", "risk"])
    assert weights_from_judgments(node) == pytest.approx({"size": 1 / 3, "strategic": 1 / 3, "risk": 1 / 3})


def test_pair_dict_key_must_be_a_pair():
    msg = error_of(parse_judgments, {("a", "b", "c"): 2}, source="d.yaml")
    assert "d.yaml: key 1: is not a pair of labels (got ('a', 'b', 'c'))" in msg
