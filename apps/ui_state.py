"""Session state of the app: the criteria, the last valid opportunity table, weights, settings.

The app is thin: every number comes from an ``mcda_qualify`` function. What lives here is only
which inputs the user has given, and the rule that a bad input never replaces a good one.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import os

import numpy as np
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
    """Load the inputs on the first run of a session: the files given to ``mcda-qualify app``
    (environment variables ``MCDA_QUALIFY_*``), else the bundled case study."""
    if "criteria" in S:
        return
    for k, v in {"weights_mode": "direct", "method": "topsis", "normalization": "vector", "smaa_samples": 10_000,
                 "smaa_concentration": 50.0, "seed": 7,
                 "decision_name": os.environ.get("MCDA_QUALIFY_DECISION") or "Telecom B2B pipeline"}.items():
        if k not in S:  # a test or a caller may set them first
            S[k] = v
    S.messages = []
    S.table_error = None
    env = {k: os.environ.get(f"MCDA_QUALIFY_{k.upper()}") or None
           for k in ("criteria", "opportunities", "mapping", "judgments", "workspace")}
    if env["workspace"]:
        p = Path(env["workspace"])
        try:
            err = load_workspace_bytes(p.name, p.read_bytes())
        except OSError as exc:
            err = f"{p}: {exc.strerror}"
        if err is None:
            return
        S.messages.append(f"Workspace not opened, the bundled case study is shown: {err}")
        S.pop("criteria", None)
    try:
        crit = load_criteria(env["criteria"] or DEFAULT_CRITERIA)
    except InputError as exc:
        S.messages.append(f"Criteria not used, the bundled criteria are shown: {exc}")
        crit, env = load_criteria(DEFAULT_CRITERIA), {}
    set_criteria(crit, announce=False)
    opp = env.get("opportunities")
    if opp:
        err = load_file(Path(opp), Path(opp).name, mapping=env.get("mapping"))
        if err:
            S.messages.append(f"Opportunities not used: {err}")
    if S.portfolio is None:
        frame, _ = read_table(DEFAULT_CASE)
        if set_table(frame, f"bundled case study ({DEFAULT_CASE.relative_to(ROOT)})") and crit.source != str(DEFAULT_CRITERIA):
            S.messages.append("The bundled case study does not fit these criteria: import your opportunities "
                              "(Import page) or fill the table (Opportunities page).")
        S.table_error = None
    if env.get("judgments"):
        import yaml

        from mcda_qualify.io.yaml_loader import read_yaml

        try:
            data = read_yaml(env["judgments"], "a judgments YAML file")
            ui_judges.load_document(data, Path(env["judgments"]).name)
            S.weights_mode = "ahp"
        except (InputError, OSError, yaml.YAMLError) as exc:
            S.messages.append(f"Judgments not used: {exc}")


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


def set_criteria(crit: CriteriaSet, *, announce: bool = True) -> None:
    """Make ``crit`` the criteria in force: weights from the file, the current table re-checked
    against it (kept only if it fits), judgments that no longer fit set aside with a message."""
    old = S.get("criteria")
    S.criteria = crit
    S.weights = file_weights()
    S.exclude = [e for e in S.get("exclude", []) if e in crit.ids]
    for k in [k for k in S if str(k).startswith(("w_", "pair_", "add_", "mode_radio", "sweep_criterion", "radar_ids"))]:
        del S[k]
    if old is not None and old.ids == crit.ids:
        return
    if "judges" in S:
        notes = ui_judges.install(S.judges)
        if announce and notes:
            S.weights_mode = "direct"
    S.portfolio = None
    table = S.get("table")
    if table is not None and len(table):
        source = S.get("table_source", "table")
        if set_table(table, source) is not None:
            S.table = None
            if announce:
                S.messages = [*S.get("messages", []), f"The opportunity table ({source}) does not fit the new criteria: "
                              "import or fill a table for them."]
    if S.get("table") is None or S.portfolio is None:
        from mcda_qualify.io.template import template_columns

        S.table = pd.DataFrame({c: pd.Series(dtype=object) for c in template_columns(crit, expected_value=False)})
        S.table_source = "empty table"
        S.portfolio = None
    S.editor_version = S.get("editor_version", 0) + 1


def criteria() -> CriteriaSet:
    return S.criteria


def portfolio() -> Portfolio:
    return S.portfolio


def problem_rows(exc: InputError | list[InputError]) -> pd.DataFrame:
    """Every problem of an error (or a list of problems) as a table: row, column, value, problem, expected."""
    found = exc if isinstance(exc, list) else (getattr(exc, "problems", None) or [exc])
    rows = [{"row": None if p.row is None else str(p.row), "column": p.column or p.key,
             "value": None if not p.has_value else str(p.value), "problem": p.problem, "expected": p.expected}
            for p in found]
    return pd.DataFrame(rows, columns=["row", "column", "value", "problem", "expected"])


def set_table(frame: pd.DataFrame, source: str, *, missing: str = "error") -> str | None:
    """Validate ``frame``; keep it only when valid. Returns the error message, or None (the list of
    problems, for a table of them, is in ``S.table_problems``)."""
    try:
        p = load_portfolio(frame, S.criteria, missing=missing)
    except InputError as exc:
        S.table_error = str(exc)
        S.table_problems = problem_rows(exc)
        return str(exc)
    S.table_problems = None
    S.table = frame
    S.table_source = source
    S.portfolio = p
    S.table_error = None
    return None


def load_file(path: Path, name: str, mapping: Any = None, sheet: str | None = None) -> str | None:
    """Read an opportunity file (a clean table, or an export with its import profile) and validate
    it; the previous table stays on any error. Notes on how it was read go to ``S.read_notes``."""
    try:
        if mapping is not None:
            from mcda_qualify.importing import read_opportunities

            frame, info = read_opportunities(path, S.criteria, mapping=mapping, sheet=sheet)
            notes = info.notes
        else:
            frame, _ = read_table(path, sheet)
            notes = frame.attrs.get("notes", [])
    except InputError as exc:
        msg = str(exc).replace(str(path), name)
        S.table_error = msg
        S.table_problems = problem_rows(exc)
        return msg
    frame.attrs["where"] = name  # row numbers stay as the reader recorded them
    S.read_notes = [f"{name}: {n}" for n in notes]
    return set_table(frame, f"upload {name}" if mapping is None else f"import {name}")


def load_upload(name: str, data: bytes, sheet: str | None = None) -> str | None:
    """Read an uploaded CSV/XLSX and validate it; the previous table stays on any error."""
    import tempfile

    suffix = Path(name).suffix.lower() or ".csv"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        return load_file(path, name, sheet=sheet)


def load_criteria_bytes(name: str, data: bytes) -> str | None:
    """Use an uploaded criteria file; on any problem return the message and change nothing."""
    import yaml

    from mcda_qualify.criteria import criteria_from_dict
    from mcda_qualify.io.yaml_loader import load_yaml

    try:
        crit = criteria_from_dict(load_yaml(data.decode("utf-8-sig")), source=name)
    except InputError as exc:
        return str(exc)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return f"{name}: not a readable YAML file ({exc})"
    set_criteria(crit)
    return None


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
        return cached_decision()
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


#: the live ranking beside the weight sliders shows the best this many (the Ranking page shows all)
LIVE_ROWS = 100
#: ranking tables up to this many rows have their gate failures tinted (a pandas Styler, whose
#: rendering costs about 0.1 ms a cell on every rerun); longer ones say it in the Status column
TINT_MAX = 500


def show_ranking(table: pd.DataFrame, key: str, columns: list[str] | None = None, rows: int | None = None) -> None:
    """A ranking table with plain headers, no index, no "None"; the opportunities that fail a knock-out
    gate set apart (red tint up to :data:`TINT_MAX` rows; their status and gates columns say it always).
    ``rows``: show the best this many only, and say how many are hidden."""
    from mcda_qualify.ranking import named_ids

    t = table[[c for c in (columns or table.columns) if c in table.columns]].reset_index(drop=True)
    failing_all = table["gates"].ne("passes").to_numpy()
    if rows is not None and len(t) > rows:
        t = t.head(rows)
    t = t.fillna({c: "" for c in t.columns if not pd.api.types.is_numeric_dtype(t[c])})  # no "None"
    failing = failing_all[:len(t)]
    shown: Any = t
    if len(t) <= TINT_MAX and failing.any():
        tint = np.where(failing, "background-color: #fdecea; color: #8e1b1b", "")

        def _css(frame: pd.DataFrame) -> pd.DataFrame:
            return pd.DataFrame(np.repeat(tint[:, None], frame.shape[1], axis=1), index=frame.index, columns=frame.columns)

        shown = t.style.apply(_css, axis=None)
    st.dataframe(shown, hide_index=True, width="stretch", key=key, column_config=_column_config(t))
    if len(t) < len(table):
        st.caption(hidden_note(len(t), len(table)) + " The Ranking page lists them all.")
    if failing_all.any():
        where = "Tinted rows fail" if len(t) <= TINT_MAX else f"{int(failing_all.sum()):,} rows fail"
        st.caption(f":red[{where} a knock-out gate] ({named_ids(table.loc[failing_all, 'id'])}): "
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
    """The current work as a :class:`~mcda_qualify.io.workspace.Workspace`, built once per state of
    everything it holds (inputs, judgments, settings, plan, author): at 10,000 rows building it costs
    about a second, and reruns with nothing changed must not pay it. Do not mutate the result."""
    judgments = ui_judges.document() if S.weights_mode == "ahp" else None
    return memo("workspace", _workspace_key(judgments), lambda: _workspace(result, judgments))


def workspace_hash_and_json(result: Any) -> tuple[str, str]:
    """The current workspace's inputs hash and its JSON text, once per state (see :func:`workspace`)."""
    judgments = ui_judges.document() if S.weights_mode == "ahp" else None

    def build() -> tuple[str, str]:
        ws = workspace(result)
        return ws.inputs_hash(), ws.to_json()

    return memo("workspace_files", _workspace_key(judgments), build)


def _workspace_key(judgments: Any) -> tuple:
    return (inputs_key(), repr(judgments), repr(settings().workspace_settings()), repr(S.get("plan_settings")),
            S.get("author"))


def _workspace(result: Any, judgments: Any) -> Any:
    from mcda_qualify.io.workspace import Workspace, workspace_from

    data = workspace_from(S.criteria, S.table, weights=None if judgments else {k: float(v) for k, v in S.weights.items()},
                          judgments=judgments,
                          settings={**settings().workspace_settings(),
                                    **({"plan": S.plan_settings} if S.get("plan_settings") else {})},  # Plan page
                          results=result, meta={"author": S.get("author") or None})
    return Workspace.from_dict(data)


def deferred_workspace(result: Any) -> Any:
    """A callable that builds the workspace JSON later (a download's own thread: no session state
    there), from the inputs in force now (direct weights)."""
    from mcda_qualify.io.workspace import Workspace, workspace_from

    crit, table, weights = S.criteria, S.table, {k: float(v) for k, v in S.weights.items()}
    settings = {"method": S.method, "normalization": S.normalization, "exclude": list(S.get("exclude", [])),
                "missing": "error"}
    meta = {"author": S.get("author") or None}

    def build() -> str:
        return Workspace.from_dict(workspace_from(crit, table, weights=weights, judgments=None, settings=settings,
                                                  results=result, meta=meta)).to_json()

    return build


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
    S.table = None
    set_criteria(crit)
    S.table = frame
    S.portfolio = p
    S.table_source = f"workspace {name}"
    S.table_problems = None
    S.method, S.normalization = settings.method, settings.normalization
    S.exclude = [e for e in settings.exclude if e in crit.ids]
    if settings.smaa is not None:
        S.smaa_samples = settings.smaa.samples
        S.seed = settings.smaa.seed if settings.smaa.seed is not None else S.seed
        if getattr(settings.smaa, "concentration", None):
            S.smaa_concentration = float(settings.smaa.concentration)
    if ws.judgments:
        try:
            ui_judges.load_document(ws.judgments, name)
            S.weights_mode = "ahp"
        except InputError as exc:  # a hierarchy, say: its weights are the direct weights
            S.messages = [*S.get("messages", []), f"{name}: judgments not editable here ({exc})"]
            S.weights_mode = "direct"
    if not ws.judgments or S.weights_mode == "direct":
        w = ws.weights or dict(zip(crit.ids, crit.default_weights().tolist()))
        S.weights = points({k: float(w.get(k, 0.0)) for k in crit.ids})
        S.weights_mode = "direct"
    for k in [k for k in S if str(k).startswith(("w_", "inc_", "pair_", "ask_", "editor_", "mode_radio"))]:
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
    """SMAA-2 first-rank acceptability around the weights in force, with the chosen method when the
    SMAA supports it (TOPSIS, WSM; None otherwise), the top five, with the settings of :func:`settings`.
    Only rank 1 is counted (top-r mode, memory N) and the result is cached on the inputs."""
    from mcda_qualify.sensitivity import smaa

    s = settings()
    if s.sensitivity_method is None:
        return None

    samples = live_samples(len(portfolio()), s.smaa_samples)

    def compute():
        return smaa(portfolio(), samples, weights=weight_vector(), weight_model="dirichlet",
                    concentration=s.smaa_concentration, seed=s.seed, method=s.sensitivity_method,
                    normalization=s.normalization, exclude=list(s.exclude), top_r=1, score_uncertainty=False)

    try:
        f = memo("first_rank", (inputs_key(), s.sensitivity_method, samples, s.smaa_concentration, s.seed,
                                s.exclude), compute)
    except InputError:
        return None
    first = f.acceptability.iloc[:, 0].sort_values(ascending=False).head(5)
    names = dict(zip(portfolio().ids, portfolio().names))
    return pd.DataFrame({"id": first.index, "name": [names.get(i, "") for i in first.index],
                         "first": first.to_numpy()})


# --------------------------------------------------------------------------------------------
# results cached on a hash of their inputs (issue 12): a rerun that changes nothing recomputes nothing
# --------------------------------------------------------------------------------------------

#: heavy views (heatmap, sweep lines, reversal markers, bar charts) show this many opportunities
TOP_N = 15
#: the live "chance of ranking first" scores at most this many sample x opportunity cells per slider
#: move (about 50 ms here); a longer pipeline gets fewer samples, and the panel says how many
LIVE_CELLS = 10_000_000
#: ... but never fewer samples than this (standard error of a chance at most 1.6 points)
LIVE_MIN_SAMPLES = 1_000


def live_samples(opportunities: int, samples: int) -> int:
    """The samples of the live first-rank chance: the settings' count, fewer for a long pipeline."""
    return int(min(samples, max(LIVE_MIN_SAMPLES, LIVE_CELLS // max(1, opportunities))))
#: results kept per session (oldest dropped first)
MEMO_SIZE = 64
#: up to this many opportunities the Sensitivity page runs the full SMAA-2 (N x N); beyond, ranks 1..TOP_N
SMAA_FULL_MAX = 500
#: ranks counted by the Sensitivity page's SMAA beyond SMAA_FULL_MAX opportunities
SMAA_TOP_R = 5
#: up to this many opportunities the Export page builds the Excel file with the page (a click downloads at
#: once); beyond, when the button is clicked (with every contribution row it takes seconds at 1,000)
EXCEL_EAGER_MAX = 200
#: beyond this many opportunities the Plan page computes the frontier and the explanations of the left
#: out only when asked (each is an exact solve per level or per opportunity: seconds at 1,000 rows)
PLAN_LIVE_MAX = 200
#: beyond this many opportunities "what it takes" runs when asked (a button), not on every first render
WHAT_IT_TAKES_AUTO_MAX = 2_000


def fingerprint(p: Portfolio) -> str:
    """A hash of everything in a portfolio that a result depends on (values, ids, names, the table),
    computed once per portfolio object."""
    import hashlib

    held = S.get("_fingerprint")
    if held is not None and held[0] is p:
        return held[1]
    h = hashlib.blake2b(digest_size=16)
    h.update(p.matrix.tobytes())
    h.update("\x1f".join(map(str, p.ids)).encode())
    h.update("\x1f".join(map(str, p.names)).encode())
    h.update(pd.util.hash_pandas_object(p.table.astype(str), index=False).to_numpy().tobytes())
    h.update(repr(p.filled).encode())
    h.update(repr(p.criteria.source).encode() + repr(p.criteria.ids).encode())
    S["_fingerprint"] = (p, h.hexdigest())
    return h.hexdigest()


def inputs_key() -> tuple:
    """The inputs every decision view depends on: table hash, weights, method, normalisation, exclusions."""
    return (fingerprint(portfolio()), tuple(sorted(weight_vector().items())), S.method, S.normalization,
            tuple(S.get("exclude", [])))


def memo(name: str, key: tuple, compute: Any) -> Any:
    """``compute()`` once per (name, key) in this session; later reruns get the kept result (do not
    mutate it). Errors are not kept."""
    store = S.get("_memo")
    if store is None:
        store = S["_memo"] = {}
    k = (name, key)
    if k in store:
        return store[k]
    value = compute()
    store[k] = value
    while len(store) > MEMO_SIZE:
        store.pop(next(iter(store)))
    return value


def cached_decision() -> Any:
    """:func:`decision`, cached on :func:`inputs_key`."""
    return memo("decision", inputs_key(), decision)


def cached_table(result: Any) -> pd.DataFrame:
    """:func:`result_table`, cached with the decision it shows."""
    return memo("result_table", inputs_key(), lambda: result_table(result))


def hidden_note(shown: int, total: int, what: str = "opportunities") -> str:
    """'Top 15 of 1,000 opportunities shown (985 hidden).' or '' when all are shown."""
    return "" if shown >= total else f"Top {shown:,} of {total:,} {what} shown ({total - shown:,} hidden)."
