"""Session state of the app: the criteria, the last valid opportunity table, weights, settings.

The app is thin: every number comes from an ``mcda_qualify`` function. What lives here is only
which inputs the user has given, and the rule that a bad input never replaces a good one.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import os

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
    S.weights = points(dict(zip(crit.ids, crit.default_weights().tolist())))
    S.weights_mode = "direct"
    S.method = "topsis"
    S.normalization = "vector"
    S.smaa_samples = 10_000
    S.smaa_concentration = 50.0
    S.seed = 7
    S.messages = []
    S.decision_name = os.environ.get("MCDA_QUALIFY_DECISION") or "Telecom B2B pipeline"


#: the largest default weight sits here on the 0-100 importance sliders (the others in proportion),
#: so that weights of 5-14 % spread the thumbs over the track instead of crowding its left end
TOP_POINTS = 70.0


def points(weights: dict[str, float]) -> dict[str, float]:
    """Importance points for the sliders: weights given as shares (or beyond 100) are scaled so the
    largest is :data:`TOP_POINTS`; points already in 1-100 stay as they are (a workspace loads back
    with the sliders where they were)."""
    top = max(weights.values(), default=0.0)
    if top <= 0 or 1.0 < top <= 100.0:
        return {k: float(v) for k, v in weights.items()}
    return {k: round(float(v) * TOP_POINTS / top, 6) for k, v in weights.items()}


def file_weights() -> dict[str, float]:
    """The criteria file's weights as importance points (what "reset" restores)."""
    crit = S.criteria
    return points(dict(zip(crit.ids, crit.default_weights().tolist())))


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


def excluded() -> list[str]:
    """Criteria left out of the ranking: the workspace's exclusions and every slider set to 0 points
    (a zero weight is an exclusion, as in the library: gates still apply; issue 17)."""
    out = list(S.get("exclude", []))
    if S.weights_mode == "direct":
        out += [c for c, v in S.weights.items() if float(v) == 0 and c not in out]
    return out


@dataclass(frozen=True)
class Settings:
    """The one set of analysis settings: every page, the report and the exports read it (issue 14),
    so the report's SMAA uses the concentration the app shows."""

    method: str
    normalization: str
    smaa_samples: int
    smaa_concentration: float
    seed: int
    exclude: tuple[str, ...] = ()
    weights_mode: str = "direct"

    @property
    def sensitivity_method(self) -> str | None:
        """The method the weight analyses (sweeps, SMAA) can use: the chosen one, or None."""
        return self.method if self.method in ("topsis", "wsm") else None

    def workspace_settings(self) -> dict[str, Any]:
        """The workspace's ``settings`` block (so the report rebuilt from it uses these settings)."""
        return {"method": self.method, "normalization": self.normalization, "exclude": list(self.exclude),
                "missing": "error", "smaa": {"samples": int(self.smaa_samples), "seed": int(self.seed),
                                             "concentration": float(self.smaa_concentration)}}

    def text(self) -> str:
        """One line for captions: method, normalisation, SMAA samples, concentration, seed."""
        return (f"{self.method.upper()} ({self.normalization} normalisation); SMAA-2 {self.smaa_samples:,} samples, "
                f"concentration {self.smaa_concentration:g}, seed {self.seed}"
                + (f"; excluded: {', '.join(self.exclude)}" if self.exclude else ""))


def settings() -> Settings:
    """The settings in force."""
    return Settings(method=S.method, normalization=S.normalization, smaa_samples=int(S.smaa_samples),
                    smaa_concentration=float(S.smaa_concentration), seed=int(S.seed),
                    exclude=tuple(excluded()), weights_mode=S.weights_mode)


def decision() -> Any:
    """Ranking (and, for methods with score bands, the qualification) under the current inputs."""
    from mcda_qualify.decision import decide

    result, _ = decide(portfolio(), weight_vector(), S.method, normalization=S.normalization,
                       exclude=excluded())
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
    fails = dict(zip(portfolio().ids, gate_failures(portfolio())))
    t["gates"] = ["fails: " + "; ".join(f.removeprefix("fails gate ") for f in fails[i]) if fails[i] else "passes"
                  for i in t["id"]]
    return t.drop(columns=[c for c in ("gates_passed",) if c in t.columns])


def headline(table: pd.DataFrame) -> tuple[pd.Series | None, str]:
    """The top *qualified* opportunity (status Qualified, or for methods without score bands the best
    that passes every gate), and a note on the ones ranked above it that do not qualify."""
    ok = table["status"].eq("Qualified") if "status" in table.columns else table["gates"].eq("passes")
    if not ok.any():
        return None, "No opportunity qualifies under these weights."
    pos = int(ok.to_numpy().argmax())
    above = table.iloc[:pos]
    note = "" if above.empty else ("Ranked above it but not qualified: "
                                   + ", ".join(f"{i} ({g if g != 'passes' else s})" for i, g, s in
                                               zip(above["id"], above["gates"], above.get("status", above["gates"]))))
    return table.iloc[pos], note


#: plain column headers of the ranking tables (the data keep their ids, the screen shows these)
HEADERS = {"rank": "Rank", "id": "Id", "name": "Opportunity", "customer": "Customer", "owner": "Owner",
           "score": "Score", "status": "Status", "gates": "Knock-out gates", "reasons": "Why",
           "expected_value": "Expected value", "break_even_probability": "Break-even win chance"}


def _column_config(table: pd.DataFrame) -> dict[str, Any]:
    cfg: dict[str, Any] = {}
    for c in table.columns:
        label = HEADERS.get(c, str(c).replace("_", " ").capitalize())
        if c == "break_even_probability":
            cfg[c] = st.column_config.NumberColumn(label, format="percent")
        elif c == "score":
            cfg[c] = st.column_config.NumberColumn(label, format="%.3f", width="small")
        elif c in ("rank", "id"):
            cfg[c] = st.column_config.Column(label, width="small")
        elif c in ("status", "gates"):
            cfg[c] = st.column_config.TextColumn(label, width="medium")
        elif c == "reasons":
            cfg[c] = st.column_config.TextColumn(label, width="large")
        else:
            cfg[c] = st.column_config.Column(label)
    return cfg


def show_ranking(table: pd.DataFrame, key: str, columns: list[str] | None = None) -> None:
    """A ranking table with plain headers, no index, no "None"; the opportunities that fail a knock-out
    gate set apart (red tint, struck score) whatever the method."""
    t = table[[c for c in (columns or table.columns) if c in table.columns]]
    failing = table["gates"].ne("passes").to_numpy()

    def _row(r: pd.Series) -> list[str]:
        return ["background-color: #fdecea; color: #8e1b1b" if failing[r.name] else ""] * len(r)

    styled = t.reset_index(drop=True).style.apply(_row, axis=1).format(na_rep="")
    st.dataframe(styled, hide_index=True, width="stretch", key=key, column_config=_column_config(t))
    if failing.any():
        st.caption(f":red[Tinted rows fail a knock-out gate] ({', '.join(table.loc[failing, 'id'])}): "
                   "out whatever the weights.")


# --------------------------------------------------------------------------------------------
# workspace and decision store
# --------------------------------------------------------------------------------------------


def sync_judges() -> None:
    """Every run: the judges of this session, with what the others saved in the decision store."""
    ui_judges.init(DEFAULT_JUDGMENTS)
    try:
        ui_judges.sync(db_path(), S.decision_name)
    except InputError as exc:  # an unreadable store never stops the meeting
        S.sync_error = str(exc)


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
                          judgments=judgments, settings=settings().workspace_settings(),
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
    if settings.smaa is not None:
        S.smaa_samples = settings.smaa.samples
        S.seed = settings.smaa.seed if settings.smaa.seed is not None else S.seed
        if getattr(settings.smaa, "concentration", None):
            S.smaa_concentration = float(settings.smaa.concentration)
    if ws.judgments:
        S.judges = ui_judges.judges_from(ws.judgments)
        S.judge = next(iter(S.judges))
        S.weights_mode = "ahp"
        ui_judges.recompute()
    else:
        w = ws.weights or dict(zip(crit.ids, crit.default_weights().tolist()))
        S.weights = points({k: float(v) for k, v in w.items()})
        S.weights_mode = "direct"
    for k in [k for k in S if str(k).startswith(("w_", "inc_", "pair_", "ask_", "editor_"))]:
        del S[k]
    S.editor_version = S.get("editor_version", 0) + 1
    return None


def save_version(result: Any, author: str, note: str) -> int:
    from mcda_qualify.io import store

    S.author = author
    return store.save(db_path(), S.decision_name, workspace(result), author=author, note=note or None)


def versions() -> pd.DataFrame | None:
    from mcda_qualify.io import store

    if not db_path().exists():
        return None
    try:
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
    """SMAA-2 first-rank acceptability around the weights in force, with the chosen method when the
    SMAA supports it (TOPSIS, WSM; None otherwise), the top five, with the settings of :func:`settings`."""
    from mcda_qualify.sensitivity import smaa

    s = settings()
    if s.sensitivity_method is None:
        return None
    try:
        f = smaa(portfolio(), s.smaa_samples, weights=weight_vector(), weight_model="dirichlet",
                 concentration=s.smaa_concentration, seed=s.seed, method=s.sensitivity_method,
                 normalization=s.normalization, exclude=list(s.exclude))
    except InputError:
        return None
    first = f.acceptability.iloc[:, 0].sort_values(ascending=False).head(5)
    names = dict(zip(portfolio().ids, portfolio().names))
    return pd.DataFrame({"id": first.index, "name": [names.get(i, "") for i in first.index],
                         "first": first.to_numpy()})
