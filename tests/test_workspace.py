"""Workspace files: exact round trips of every field, schema upgrades and refusals, clear errors."""
from __future__ import annotations

import copy
import json
import math
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from mcda_qualify import __version__
from mcda_qualify.criteria import CriteriaError, criteria_from_dict, load_criteria
from mcda_qualify.errors import InputError
from mcda_qualify.io.tables import read_table
from mcda_qualify.portfolio import load_portfolio
from mcda_qualify.qualify import qualify
from mcda_qualify.io.workspace import (
    SCHEMA_VERSION,
    Workspace,
    WorkspaceError,
    inputs_hash,
    load_workspace,
    results_from,
    save_workspace,
    upgrade,
    workspace_from,
)

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "case_studies" / "telecom_b2b" / "opportunities.csv"
CRITERIA_FILE = ROOT / "criteria" / "qualify_selling_opportunity.yaml"
FORMULA = '=HYPERLINK("x")'

WEIGHTS = {"risk": 3, "sales_effort": 0.1 + 0.2, "deal_size": 2.5, "resources": 1e-300, "financing": 1,
           "commitment": 1, "strategic_importance": 2, "wider_application": 1, "customer_importance": 1,
           "requirements_fit": 1.0, "customisation": 0.7, "solution_availability": 1 / 3}
FLAT = {"labels": ["risk", "deal_size", "commitment"],
        "judgments": [["risk", "deal_size", 3], ["deal_size", "commitment", "1/3"], ["risk", "commitment", 2.5]]}
PANEL = {"labels": ["risk", "deal_size"],
         "judges": [{"name": "alice", "weight": 2, "judgments": [["risk", "deal_size", 3]]},
                    {"name": "bob", "weight": 0.5, "judgments": [["risk", "deal_size", "1/5"]]}]}
SETTINGS = {"method": "topsis", "normalization": "minmax", "exclude": ["financing"], "missing": "worst",
            "thresholds": {"qualified": 0.6, "conditional": 0.45}, "smaa": {"samples": 5000, "seed": 42},
            "options": {"vikor_v": 0.5}}
META = {"author": "Ana Lima", "note": "Q3 pipeline review", "created": "2025-06-30T09:15:00.000Z"}


@pytest.fixture(scope="module")
def crit():
    return load_criteria(CRITERIA_FILE)


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """The case study as raw text cells, a formula-like name, and an extra column of mixed values."""
    frame, _ = read_table(CASE)
    frame = frame.copy()
    frame.loc[0, "name"] = FORMULA
    frame["comment"] = pd.Series([0.1 + 0.2, 1e-300, -0.0, 2**62, True, None, "naïve\nline", "  spaced  ", "",
                                  "+1", "@sum", 7, 1.5e16, "x"], dtype=object)
    return frame


@pytest.fixture(scope="module")
def decision(crit, raw):
    return qualify(load_portfolio(raw, crit, missing="worst"), WEIGHTS, exclude=["financing"],
                   normalization="minmax", thresholds=SETTINGS["thresholds"])


@pytest.fixture(scope="module")
def doc(raw, decision) -> dict[str, Any]:
    return workspace_from(CRITERIA_FILE, raw, weights=WEIGHTS, judgments=FLAT, settings=SETTINGS,
                          results=decision, meta=META)


def exact(a: Any, b: Any) -> bool:
    """Equal values of the same type (so 1 != 1.0 and -0.0 != 0.0)."""
    if isinstance(a, float) and isinstance(b, float):
        return a.hex() == b.hex()
    return type(a) is type(b) and a == b


# ---------------------------------------------------------------------------------------------
# round trips
# ---------------------------------------------------------------------------------------------


def test_save_load_save_is_byte_identical(doc, tmp_path):
    first = save_workspace(doc, tmp_path / "a.json")
    ws = load_workspace(first)
    second = save_workspace(ws, tmp_path / "b.json")
    assert first.read_bytes() == second.read_bytes()
    assert load_workspace(second) == ws
    assert ws.to_dict() == doc
    assert json.loads(first.read_text(encoding="utf-8")) == doc
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_layout_keys_in_order(doc):
    assert list(doc) == ["schema_version", "criteria", "weights", "judgments", "opportunities", "settings",
                         "results", "meta"]
    assert doc["schema_version"] == SCHEMA_VERSION == 1
    assert list(doc["opportunities"]) == ["columns", "records"]


def test_criteria_round_trip(doc, crit, tmp_path):
    ws = load_workspace(save_workspace(doc, tmp_path / "w.json"))
    as_yaml = json.loads(json.dumps(yaml.safe_load(CRITERIA_FILE.read_text(encoding="utf-8"))))
    assert ws.criteria_data == as_yaml  # the mapping exactly as in the YAML (JSON keys are text)
    again = criteria_from_dict(ws.criteria_data, source="x")
    assert again.model_dump(exclude={"source"}) == crit.model_dump(exclude={"source"})
    assert ws.criteria().model_dump(exclude={"source"}) == crit.model_dump(exclude={"source"})
    assert ws.meta.sources.criteria == str(CRITERIA_FILE)


def test_criteria_set_input_round_trips(crit, raw):
    ws = Workspace.from_dict(workspace_from(crit, raw))
    assert ws.criteria().model_dump(exclude={"source"}) == crit.model_dump(exclude={"source"})
    assert ws.weights is None and ws.judgments is None and ws.results is None


def test_weights_round_trip_exactly(doc, tmp_path):
    ws = load_workspace(save_workspace(doc, tmp_path / "w.json"))
    assert list(ws.weights) == list(WEIGHTS)
    for k, v in WEIGHTS.items():
        assert exact(ws.weights[k], v), k  # ints stay ints, floats keep every bit


def test_flat_judgments_round_trip(doc, tmp_path):
    ws = load_workspace(save_workspace(doc, tmp_path / "w.json"))
    assert ws.judgments == FLAT
    assert [exact(a[2], b[2]) for a, b in zip(ws.judgments["judgments"], FLAT["judgments"])] == [True] * 3


def test_per_judge_judgments_round_trip(raw, tmp_path):
    d = workspace_from(CRITERIA_FILE, raw, judgments=PANEL)
    ws = load_workspace(save_workspace(d, tmp_path / "w.json"))
    assert ws.judgments == PANEL
    assert exact(ws.judgments["judges"][1]["weight"], 0.5) and exact(ws.judgments["judges"][0]["weight"], 2)
    assert save_workspace(ws, tmp_path / "x.json").read_bytes() == (tmp_path / "w.json").read_bytes()


def test_opportunities_round_trip_every_cell(doc, raw, tmp_path):
    ws = load_workspace(save_workspace(doc, tmp_path / "w.json"))
    frame = ws.frame()
    assert list(frame.columns) == list(raw.columns)  # order kept, extra columns included
    assert "comment" in frame.columns and "owner" in frame.columns
    assert len(frame) == len(raw)
    for c in raw.columns:
        for i, (a, b) in enumerate(zip(raw[c].tolist(), frame[c].tolist())):
            assert exact(a, b), (i, c, a, b)
    assert frame.loc[0, "name"] == FORMULA  # kept exactly: neutralising is for exports, not for storage
    assert ws.opportunities.records[0]["name"] == FORMULA
    assert ws.meta.sources.opportunities == str(CASE)


def test_portfolio_from_workspace(doc, raw, crit, tmp_path):
    ws = load_workspace(save_workspace(doc, tmp_path / "w.json"))
    p, q = ws.portfolio(), load_portfolio(raw, crit, missing="worst")
    assert p.ids == q.ids and p.names == q.names
    np.testing.assert_array_equal(p.matrix, q.matrix)
    assert p.names[0] == FORMULA
    assert ws.ids == q.ids


def test_portfolio_input_round_trips(crit, case):
    ws = Workspace.from_dict(workspace_from(crit, case))
    p = ws.portfolio()
    np.testing.assert_array_equal(p.matrix, case.matrix)
    assert list(ws.frame().columns) == list(case.table.columns)


def test_path_input_keeps_cell_text(crit):
    ws = Workspace.from_dict(workspace_from(CRITERIA_FILE, CASE))
    assert ws.opportunities.records[0]["risk"] == "medium"
    assert ws.opportunities.records[0]["win_probability"] == "0.45"


def test_settings_round_trip(doc, tmp_path):
    ws = load_workspace(save_workspace(doc, tmp_path / "w.json"))
    assert ws.settings.model_dump() == SETTINGS
    assert ws.settings.exclude == ["financing"] and ws.settings.smaa.seed == 42


def test_settings_defaults(raw):
    ws = Workspace.from_dict(workspace_from(CRITERIA_FILE, raw))
    assert ws.settings.model_dump() == {"method": "topsis", "normalization": "vector", "exclude": [],
                                        "missing": "error", "thresholds": None, "smaa": None, "options": {}}


def test_results_round_trip(doc, decision, tmp_path):
    ws = load_workspace(save_workspace(doc, tmp_path / "w.json"))
    r = ws.results
    assert r.method == "topsis" and r.better == "higher" and r.normalization == "minmax"
    assert r.excluded == ["financing"] and r.thresholds.model_dump() == SETTINGS["thresholds"]
    assert r.weights == {k: float(v) for k, v in decision.ranking.weights.items()}
    table = decision.table
    assert [row.id for row in r.rows] == list(table["id"])
    for row, (_, t) in zip(r.rows, table.iterrows()):
        assert exact(row.score, float(t["score"])) and row.rank == int(t["rank"])
        assert row.name == t["name"] and row.status == t["status"] and row.reasons == list(t["reasons"])
    assert r.rows[0].name == FORMULA
    assert results_from(decision) == doc["results"]


def test_ranking_results_have_no_status(crit, raw):
    from mcda_qualify.ranking import rank

    ranking = rank(load_portfolio(raw, crit), method="vikor")
    ws = Workspace.from_dict(workspace_from(crit, raw, results=ranking))
    assert ws.results.better == "lower" and ws.results.thresholds is None
    assert all(row.status is None and row.reasons is None for row in ws.results.rows)


def test_meta_round_trip(doc, tmp_path):
    ws = load_workspace(save_workspace(doc, tmp_path / "w.json"))
    m = ws.meta
    assert (m.author, m.note, m.created, m.tool_version) == (META["author"], META["note"], META["created"], __version__)
    assert m.upgraded_from is None


def test_meta_created_is_filled_in_utc(raw):
    ws = Workspace.from_dict(workspace_from(CRITERIA_FILE, raw))
    t = datetime.fromisoformat(ws.meta.created.replace("Z", "+00:00"))
    assert t.utcoffset().total_seconds() == 0 and ws.meta.created.endswith("Z")


cells = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                  st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12))


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(cells, cells), min_size=1, max_size=5))
def test_any_cells_round_trip_exactly(tmp_path, pairs):
    frame = pd.DataFrame({"id": [f"X{i}" for i in range(len(pairs))],
                          "extra": pd.Series([a for a, _ in pairs], dtype=object),
                          "Other Col": pd.Series([b for _, b in pairs], dtype=object)})
    small = {"name": "s", "criteria": [{"id": "x", "name": "X", "direction": "benefit"}]}
    d = workspace_from(small, frame)
    text = Workspace.from_dict(d).to_json()
    back = load_workspace(text)
    assert back.to_json() == text
    for c in frame.columns:
        for a, b in zip(frame[c].tolist(), back.frame()[c].tolist()):
            assert exact(a, b)


# ---------------------------------------------------------------------------------------------
# inputs hash
# ---------------------------------------------------------------------------------------------


def test_inputs_hash(doc):
    ws = Workspace.from_dict(doc)
    h = inputs_hash(ws)
    assert len(h) == 64 and h == inputs_hash(doc) == ws.inputs_hash()
    assert inputs_hash(load_workspace(ws.to_json())) == h
    other = copy.deepcopy(doc)
    other["meta"]["note"], other["results"] = "changed", None
    assert inputs_hash(other) == h  # meta and results are not inputs
    other["weights"]["risk"] = 4
    assert inputs_hash(other) != h
    other = copy.deepcopy(doc)
    other["opportunities"]["records"][3]["risk"] = "high"
    assert inputs_hash(other) != h


# ---------------------------------------------------------------------------------------------
# schema versions
# ---------------------------------------------------------------------------------------------


def v0_doc() -> dict[str, Any]:
    return {
        "schema_version": 0,
        "criteria": {"name": "s", "criteria": [{"id": "x", "name": "X", "direction": "benefit"},
                                               {"id": "y", "name": "Y", "direction": "cost"}]},
        "weights": {"x": 2, "y": 1.5},
        "method": "vikor",
        "normalization": "vector",
        "opportunities": [{"id": "A", "x": 1, "y": "3"}, {"id": "B", "x": 2.5, "y": 1, "owner": "kim"}],
        "created": "2024-01-02T03:04:05Z",
        "tool_version": "0.0.9",
    }


def test_upgrade_from_v0(tmp_path):
    old = v0_doc()
    before = copy.deepcopy(old)
    new = upgrade(old)
    assert old == before  # the input is not modified
    assert new["schema_version"] == 1
    p = tmp_path / "old.json"
    p.write_text(json.dumps(old), encoding="utf-8")
    ws = load_workspace(p)
    assert ws.schema_version == 1
    assert ws.settings.method == "vikor" and ws.settings.normalization == "vector" and ws.settings.exclude == []
    assert ws.weights == {"x": 2, "y": 1.5}
    assert ws.opportunities.columns == ["id", "x", "y", "owner"]
    assert ws.opportunities.records[0] == {"id": "A", "x": 1, "y": "3", "owner": None}
    assert ws.meta.upgraded_from == 0 and ws.meta.tool_version == "0.0.9" and ws.meta.created == "2024-01-02T03:04:05Z"
    assert ws.judgments is None and ws.results is None
    out = save_workspace(ws, tmp_path / "new.json")
    assert json.loads(out.read_text())["schema_version"] == 1
    assert save_workspace(load_workspace(out), tmp_path / "again.json").read_bytes() == out.read_bytes()
    np.testing.assert_array_equal(ws.portfolio().matrix, [[1.0, 3.0], [2.5, 1.0]])


def test_v0_with_unknown_key_refused():
    old = v0_doc()
    old["colour"] = "red"
    with pytest.raises(WorkspaceError, match="colour"):
        upgrade(old, "old.json")


def test_newer_schema_version_refused(doc, tmp_path):
    d = copy.deepcopy(doc)
    d["schema_version"] = 99
    p = tmp_path / "future.json"
    p.write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(WorkspaceError) as e:
        load_workspace(p)
    msg = str(e.value)
    assert str(p) in msg and "schema_version" in msg and "99" in msg and "newer" in msg
    assert "0, 1" in msg and __version__ in msg  # names the versions this tool reads


def test_missing_schema_version_refused(doc, tmp_path):
    d = copy.deepcopy(doc)
    del d["schema_version"]
    p = tmp_path / "noversion.json"
    p.write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(WorkspaceError) as e:
        load_workspace(p)
    msg = str(e.value)
    assert str(p) in msg and "no 'schema_version'" in msg and "0, 1" in msg


@pytest.mark.parametrize("bad", ["1", 1.0, True, -1, None])
def test_odd_schema_version_refused(doc, bad):
    d = copy.deepcopy(doc)
    d["schema_version"] = bad
    with pytest.raises(WorkspaceError, match="schema_version"):
        Workspace.from_dict(d, "w.json")


# ---------------------------------------------------------------------------------------------
# malformed input
# ---------------------------------------------------------------------------------------------


def test_malformed_json_names_the_file(tmp_path):
    p = tmp_path / "broken.json"
    p.write_text('{"schema_version": 1,\n  "criteria": {', encoding="utf-8")
    with pytest.raises(WorkspaceError) as e:
        load_workspace(p)
    assert isinstance(e.value, InputError)
    assert str(p) in str(e.value) and "not valid JSON" in str(e.value) and "line 2" in str(e.value)


@pytest.mark.parametrize("content", [b"", b"   \n"])
def test_empty_file_names_the_file(tmp_path, content):
    p = tmp_path / "empty.json"
    p.write_bytes(content)
    with pytest.raises(WorkspaceError) as e:
        load_workspace(p)
    assert str(p) in str(e.value) and "empty" in str(e.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(WorkspaceError, match="not found"):
        load_workspace(tmp_path / "nope.json")
    with pytest.raises(WorkspaceError, match="folder"):
        load_workspace(tmp_path)


def test_not_utf8(tmp_path):
    p = tmp_path / "latin1.json"
    p.write_bytes('{"a": "é"}'.encode("latin-1"))
    with pytest.raises(WorkspaceError, match="UTF-8"):
        load_workspace(p)


def test_nan_in_file_refused(doc):
    text = Workspace.from_dict(doc).to_json().replace('"risk": 3,', '"risk": NaN,', 1)
    with pytest.raises(WorkspaceError, match="NaN"):
        load_workspace(text)


def test_top_level_not_an_object():
    with pytest.raises(WorkspaceError, match="JSON object"):
        load_workspace("[1, 2]")


@pytest.mark.parametrize(
    ("edit", "key", "words"),
    [
        (lambda d: d["settings"].update(method=3), "settings.method", "valid string"),
        (lambda d: d["settings"].update(bogus=1), "settings.bogus", "unknown key"),
        (lambda d: d["settings"].update(missing="fill"), "settings.missing", "error"),
        (lambda d: d["weights"].update(risk="high"), "weights.risk", "a number"),
        (lambda d: d["weights"].update(riks=1), "weights", "unknown criterion"),
        (lambda d: d["settings"].update(exclude=["nope"]), "settings.exclude", "unknown criterion"),
        (lambda d: d["opportunities"]["records"][2].update(risk=[1]), "opportunities.records[2].risk", "an empty cell"),
        (lambda d: d["opportunities"]["records"][1].pop("owner"), "opportunities", "record 1 misses"),
        (lambda d: d["opportunities"].update(columns=["id", "id"]), "opportunities", "twice"),
        (lambda d: d["results"]["rows"][0].update(rank="1"), "results.rows[0].rank", "integer"),
        (lambda d: d["meta"].update(created="yesterday"), "meta.created", "ISO 8601"),
        (lambda d: d["judgments"]["judgments"][0].__setitem__(2, 0), "judgments", "positive"),
        (lambda d: d.pop("meta"), "meta", "required key is missing"),
        (lambda d: d.update(extra=1), "extra", "unknown key"),
    ],
)
def test_invalid_document_names_key(doc, edit, key, words):
    d = copy.deepcopy(doc)
    edit(d)
    with pytest.raises(WorkspaceError) as e:
        Workspace.from_dict(d, "w.json")
    assert e.value.key == key
    assert "w.json" in str(e.value) and f"key '{key}'" in str(e.value) and words in str(e.value)


def test_invalid_criteria_names_file_and_key(doc):
    d = copy.deepcopy(doc)
    d["criteria"]["criteria"][0]["direction"] = "up"
    with pytest.raises(CriteriaError) as e:
        Workspace.from_dict(d, "w.json")
    assert "w.json" in str(e.value) and "criteria[0] (id risk).direction" in str(e.value)


def test_bad_table_is_reported_when_used(doc):
    d = copy.deepcopy(doc)
    d["opportunities"]["records"][2]["risk"] = "extreme"
    ws = Workspace.from_dict(d, "w.json")  # the document itself is well formed
    with pytest.raises(InputError) as e:
        ws.portfolio()
    assert "w.json" in str(e.value) and "extreme" in str(e.value) and "row 3" in str(e.value)


def test_workspace_from_refuses_what_json_cannot_hold(raw):
    with pytest.raises(WorkspaceError, match="weights.risk"):
        workspace_from(CRITERIA_FILE, raw, weights={**WEIGHTS, "risk": float("nan")})
    bad = raw.copy()
    bad["comment"] = pd.Series([float("inf")] + [None] * (len(raw) - 1), dtype=object)
    with pytest.raises(WorkspaceError, match=r"records\[0\].comment"):
        workspace_from(CRITERIA_FILE, bad)
    bad["comment"] = pd.Series([pd.Timestamp("2025-01-01")] + [None] * (len(raw) - 1), dtype=object)
    with pytest.raises(WorkspaceError, match="Timestamp"):
        workspace_from(CRITERIA_FILE, bad)


def test_missing_cells_become_null(crit):
    frame = pd.DataFrame({"id": ["A", "B"], "x": [1.5, np.nan], "y": pd.array([1, None], dtype="Int64")})
    small = {"name": "s", "criteria": [{"id": "x", "name": "X", "direction": "benefit"}]}
    ws = Workspace.from_dict(workspace_from(small, frame))
    assert ws.opportunities.records == [{"id": "A", "x": 1.5, "y": 1}, {"id": "B", "x": None, "y": None}]


def test_load_accepts_text_and_bytes(doc):
    text = Workspace.from_dict(doc).to_json()
    assert load_workspace(text) == load_workspace(text.encode("utf-8")) == Workspace.from_dict(doc)
    assert load_workspace(text, source="db [q3 v2]").source == "db [q3 v2]"


def test_save_refuses_invalid_and_reports_unwritable(doc, tmp_path):
    d = copy.deepcopy(doc)
    d["settings"]["method"] = 1
    with pytest.raises(WorkspaceError):
        save_workspace(d, tmp_path / "w.json")
    assert not (tmp_path / "w.json").exists()
    with pytest.raises(WorkspaceError, match="cannot write"):
        save_workspace(doc, tmp_path / "no" / "such" / "dir" / "w.json")


def test_floats_are_written_with_exact_repr(doc):
    text = Workspace.from_dict(doc).to_json()
    assert "0.30000000000000004" in text and "1e-300" in text and "0.3333333333333333" in text
    assert not math.isnan(json.loads(text)["weights"]["resources"])


def test_copy_json_is_a_deep_copy_of_json_data():
    from mcda_qualify.io.json_loader import copy_json

    data = {"a": [1, 2.5, "x", None, True, {"b": [[]]}], "c": {"d": {"e": "f"}}, "t": (1, [2])}
    out = copy_json(data)
    assert out == data
    out["a"][5]["b"][0].append(1)
    out["c"]["d"]["e"] = "g"
    out["t"][1].append(3)  # a tuple (not JSON) is deep-copied as copy.deepcopy would
    assert data == {"a": [1, 2.5, "x", None, True, {"b": [[]]}], "c": {"d": {"e": "f"}}, "t": (1, [2])}


def test_a_workspace_never_shares_its_data_with_the_caller(doc):
    from mcda_qualify.io.workspace import Workspace

    ws = Workspace.from_dict(copy.deepcopy(doc))
    d = ws.to_dict()
    d["opportunities"]["records"][0]["id"] = "CHANGED"
    assert ws.to_dict()["opportunities"]["records"][0]["id"] != "CHANGED"
    src = copy.deepcopy(doc)
    ws2 = Workspace.from_dict(src)
    src["opportunities"]["records"][0]["id"] = "CHANGED"
    assert ws2.to_dict()["opportunities"]["records"][0]["id"] != "CHANGED"
    assert ws2.inputs_hash() == ws.inputs_hash()
