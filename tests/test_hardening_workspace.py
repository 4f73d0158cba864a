"""Issue 11, workspaces: `settings` validated by the schema, so a bad option is a located error in the
CLI (exit 2, key named) and in the library the app calls (which then keeps the current work)."""
from __future__ import annotations

import copy
import json

import pytest
from typer.testing import CliRunner

from mcda_qualify.cli import app
from mcda_qualify.io.workspace import WorkspaceError, load_workspace

runner = CliRunner()


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    d = tmp_path_factory.mktemp("ws")
    out = d / "w.json"
    res = runner.invoke(app, ["save", str(root / "case_studies" / "telecom_b2b" / "opportunities.csv"), "-c",
                              str(root / "criteria" / "qualify_selling_opportunity.yaml"), "-d", "q", "--db",
                              str(d / "s.sqlite"), "-o", str(out)])
    assert res.exit_code == 0, res.stderr
    return json.loads(out.read_text(encoding="utf-8"))


BAD_SETTINGS = [
    ({"method": "nope"}, "settings.method", "unknown method 'nope'"),
    ({"method": 3}, "settings.method", "valid string"),
    ({"normalization": "zscore"}, "settings.normalization", "unknown normalization 'zscore'"),
    ({"smaa": {"samples": -5, "seed": 1}}, "settings.smaa.samples", "greater than 0"),
    ({"smaa": {"samples": 10**9, "seed": 1}}, "settings.smaa.samples", "less than or equal to 1000000"),
    ({"options": {"bogus": 1}}, "settings.options", "unknown option 'bogus'"),
    ({"options": {"vikor_v": 7}}, "settings.options", "vikor_v must be a number from 0 to 1"),
    ({"options": {"vikor_v": "half"}}, "settings.options", "vikor_v must be a number from 0 to 1"),
    ({"options": {"promethee_p": [1, -2]}}, "settings.options", "promethee_p must be a list of non-negative"),
    ({"options": {"bounds": [[3, 1]]}}, "settings.options", "bounds must be a list of [low, high] pairs"),
    ({"options": {"mode": "absolute"}}, "settings.options", "mode must be 'ratings' or 'relative'"),
    ({"missing": "guess"}, "settings.missing", "'error' or 'worst'"),
    ({"exclude": ["risk", "risk"]}, "settings.exclude", "excluded twice"),
]


@pytest.mark.parametrize("change, key, needle", BAD_SETTINGS)
def test_bad_setting_is_a_located_error(saved, change, key, needle, tmp_path):
    doc = copy.deepcopy(saved)
    doc["settings"].update(change)
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(doc), encoding="utf-8")
    res = runner.invoke(app, ["report", str(p), "-o", str(tmp_path / "r.html")])
    assert res.exit_code == 2, (res.stderr, res.exception)
    assert "Traceback" not in res.stderr
    assert f"bad.json, key '{key}'" in res.stderr and needle in res.stderr
    with pytest.raises(WorkspaceError, match=key.replace(".", r"\.")):
        load_workspace(json.dumps(doc).encode(), source="upload.json")  # what the app's upload calls
    assert not (tmp_path / "r.html").exists()


def test_good_options_are_accepted(saved):
    doc = copy.deepcopy(saved)
    doc["settings"].update({"method": "vikor", "options": {"vikor_v": 0.3}})
    assert load_workspace(json.dumps(doc)).settings.options == {"vikor_v": 0.3}


def test_app_keeps_the_current_work_on_a_bad_workspace(saved):
    """apps/ui_state.load_workspace_bytes returns the message and changes nothing (checked here without a browser)."""
    import sys
    import types
    from pathlib import Path

    apps = Path(__file__).resolve().parents[1] / "apps"
    sys.path.insert(0, str(apps))
    try:
        import ui_state
    finally:
        sys.path.remove(str(apps))
    state = types.SimpleNamespace(method="topsis", table="current table")
    orig = ui_state.S
    ui_state.S = state
    try:
        doc = copy.deepcopy(saved)
        doc["settings"]["options"] = {"bogus": 1}
        msg = ui_state.load_workspace_bytes("w.json", json.dumps(doc).encode())
    finally:
        ui_state.S = orig
    assert msg is not None and "settings.options" in msg and "unknown option 'bogus'" in msg
    assert state.table == "current table" and state.method == "topsis"


def test_result_rows_naming_an_opportunity_twice_are_refused_by_name():
    import pydantic

    from mcda_qualify.io.workspace_schema import Results

    rows = [{"id": f"O{i}", "name": "x", "score": 0.5, "rank": 1} for i in range(20_000)]
    Results(rows=rows)  # 20,000 distinct ids: accepted (the check is one pass, not N^2)
    rows += [dict(rows[7]), dict(rows[3]), dict(rows[7])]
    with pytest.raises(pydantic.ValidationError, match=r"name an opportunity twice: \['O3', 'O7'\]"):
        Results(rows=rows)
