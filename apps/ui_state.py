"""Session state of the app: the criteria, the last valid opportunity table, weights, settings.

The app is thin: every number comes from an ``mcda_qualify`` function. What lives here is only
which inputs the user has given, and the rule that a bad input never replaces a good one.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
import ui_judges

from mcda_qualify.criteria import CriteriaSet, load_criteria
from mcda_qualify.errors import InputError
from mcda_qualify.io.tables import read_table
from mcda_qualify.portfolio import Portfolio, load_portfolio

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CRITERIA = ROOT / "criteria" / "qualify_selling_opportunity.yaml"
DEFAULT_CASE = ROOT / "case_studies" / "telecom_b2b" / "opportunities.csv"
DEFAULT_JUDGMENTS = ROOT / "case_studies" / "telecom_b2b" / "judgments.yaml"

S = st.session_state


def init() -> None:
    """Load the bundled case study on the first run of a session."""
    if "criteria" in S:
        return
    crit = load_criteria(DEFAULT_CRITERIA)
    frame, _ = read_table(DEFAULT_CASE)
    S.criteria = crit
    S.table = frame
    S.table_source = f"bundled case study ({DEFAULT_CASE.relative_to(ROOT)})"
    S.portfolio = load_portfolio(frame.assign(), crit)
    S.table_error = None
    # importance points (the sliders' unit); rank() normalises them to weights
    S.weights = {k: round(v * 100, 9) for k, v in zip(crit.ids, crit.default_weights().tolist())}
    S.weights_mode = "direct"
    S.method = "topsis"
    S.normalization = "vector"
    S.smaa_samples = 10_000
    S.smaa_concentration = 50.0
    S.seed = 7
    S.messages = []
    S.decision_name = "Telecom B2B pipeline"


def criteria() -> CriteriaSet:
    return S.criteria


def portfolio() -> Portfolio:
    return S.portfolio


def set_table(frame: pd.DataFrame, source: str, *, missing: str = "error") -> str | None:
    """Validate ``frame``; keep it only when valid. Returns the error message, or None."""
    try:
        p = load_portfolio(frame, S.criteria, missing=missing)
    except InputError as exc:
        S.table_error = str(exc)
        return str(exc)
    S.table = frame
    S.table_source = source
    S.portfolio = p
    S.table_error = None
    return None


def load_upload(name: str, data: bytes, sheet: str | None = None) -> str | None:
    """Read an uploaded CSV/XLSX and validate it; the previous table stays on any error."""
    import tempfile

    suffix = Path(name).suffix.lower() or ".csv"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            frame, _ = read_table(path, sheet)
        except InputError as exc:
            msg = str(exc).replace(str(path), name)
            S.table_error = msg
            return msg
    frame.attrs["where"] = name  # row numbers and delimiter stay as read_table recorded them
    return set_table(frame, f"upload {name}")


def fresh_upload(up: Any, key: str) -> bool:
    """True once per newly uploaded file (Streamlit hands the same upload back on every rerun)."""
    if up is None or S.get(key) == (up.name, up.size):
        return False
    S[key] = (up.name, up.size)
    return True


def weight_vector() -> dict[str, float]:
    """The weights in force: direct sliders, or the AHP result when the user chose judgments."""
    if S.weights_mode == "ahp" and S.get("ahp_weights"):
        return dict(S.ahp_weights)
    return dict(S.weights)


def settings() -> dict[str, Any]:
    return {"method": S.method, "normalization": S.normalization, "smaa_samples": S.smaa_samples,
            "smaa_concentration": S.smaa_concentration, "seed": S.seed, "weights_mode": S.weights_mode}


def decision() -> Any:
    """Ranking (and, for methods with score bands, the qualification) under the current inputs."""
    from mcda_qualify.decision import decide

    result, _ = decide(portfolio(), weight_vector(), S.method, normalization=S.normalization,
                       exclude=S.get("exclude", []))
    return result


def decision_or_stop() -> Any:
    """:func:`decision`, or the error message and an end to this page's run."""
    try:
        return decision()
    except InputError as exc:
        st.error(str(exc))
        st.stop()


def result_table(result: Any) -> pd.DataFrame:
    """The table shown and exported: best first, reasons as text, gate results for every method."""
    from mcda_qualify.qualify import gate_failures

    t = result.sorted().copy()
    if "reasons" in t.columns:
        t["reasons"] = ["; ".join(r) for r in t["reasons"]]
    else:
        fails = dict(zip(portfolio().ids, gate_failures(portfolio())))
        t["gates"] = ["; ".join(fails[i]) or "passes" for i in t["id"]]
    return t.drop(columns=[c for c in ("gates_passed",) if c in t.columns])


# --------------------------------------------------------------------------------------------
# workspace and decision store
# --------------------------------------------------------------------------------------------


def db_path() -> Path:
    from mcda_qualify.io.store import default_db_path

    return Path(S.get("db_path") or default_db_path())


def workspace(result: Any) -> Any:
    """The current work as a :class:`~mcda_qualify.io.workspace.Workspace`."""
    from mcda_qualify.io.workspace import Workspace, workspace_from

    judgments = None
    if S.weights_mode == "ahp":
        judgments = ui_judges.document()
    data = workspace_from(S.criteria, S.table, weights=None if judgments else {k: float(v) for k, v in S.weights.items()},
                          judgments=judgments,
                          settings={"method": S.method, "normalization": S.normalization,
                                    "exclude": list(S.get("exclude", [])), "missing": "error"},
                          results=result, meta={"author": S.get("author") or None})
    return Workspace.from_dict(data)


def load_workspace_bytes(name: str, data: bytes) -> str | None:
    """Open a workspace file; on any problem return the message and change nothing."""
    from mcda_qualify.io.workspace import load_workspace

    try:
        ws = load_workspace(data, source=name)
        crit = ws.criteria()
        frame = ws.frame()
        p = load_portfolio(frame, crit)
    except InputError as exc:
        return str(exc)
    settings = ws.settings
    S.criteria = crit
    S.table = frame
    S.portfolio = p
    S.table_source = f"workspace {name}"
    S.method, S.normalization = settings.method, settings.normalization
    S.exclude = list(settings.exclude)
    if ws.judgments:
        S.judges = ui_judges.judges_from(ws.judgments)
        S.judge = next(iter(S.judges))
        S.weights_mode = "ahp"
        ui_judges.recompute()
    else:
        w = ws.weights or dict(zip(crit.ids, crit.default_weights().tolist()))
        S.weights = {k: float(v) for k, v in w.items()}
        S.weights_mode = "direct"
    for k in [k for k in S if str(k).startswith(("w_", "pair_", "editor_"))]:
        del S[k]
    S.editor_version = S.get("editor_version", 0) + 1
    return None


def save_version(result: Any, author: str, note: str) -> int:
    from mcda_qualify.io import store

    S.author = author
    return store.save(db_path(), S.decision_name, workspace(result), author=author, note=note or None)


def versions() -> pd.DataFrame | None:
    from mcda_qualify.io import store
    from mcda_qualify.io.files import is_file

    try:
        if not is_file(db_path()):  # no store yet (or a path the OS refuses: too long, no permission)
            return None
        return store.list_versions(db_path(), S.decision_name)
    except InputError:
        return None


def restore_version(version: int, author: str) -> str | None:
    from mcda_qualify.io import store

    try:
        ws = store.load_version(db_path(), S.decision_name, version)
    except InputError as exc:
        return str(exc)
    err = load_workspace_bytes(f"{S.decision_name} v{version}", ws.to_json().encode())
    if err is None:
        store.restore(db_path(), S.decision_name, version, author=author, note=f"restored version {version}")
    return err


def diff_text(v1: int, v2: int) -> str:
    from mcda_qualify.io import store_diff

    try:
        return store_diff.diff_text(db_path(), S.decision_name, v1, v2)
    except InputError as exc:
        return str(exc)


def first_rank_chances() -> pd.DataFrame | None:
    """SMAA-2 first-rank acceptability around the weights in force (TOPSIS), the top five."""
    from mcda_qualify.sensitivity import smaa

    try:
        f = smaa(portfolio(), S.smaa_samples, weights=weight_vector(), weight_model="dirichlet",
                 concentration=S.smaa_concentration, seed=S.seed, normalization=S.normalization,
                 exclude=S.get("exclude", []))
    except InputError:
        return None
    first = f.acceptability.iloc[:, 0].sort_values(ascending=False).head(5)
    return pd.DataFrame({"id": first.index, "first": first.to_numpy()})
