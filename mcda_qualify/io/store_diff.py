"""What changed between two versions of a decision: weights, scores, ranks, statuses, cells, settings; and the text of the history and diff commands."""
from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping
from ..errors import safe_text
from .workspace import Workspace
from .store import StoreError, _check_decision, _latest, _path, _read, judgment_history, list_decisions, list_versions, load_version, resolve_decision


# ---------------------------------------------------------------------------------------------
# diff
# ---------------------------------------------------------------------------------------------

_TOL = 1e-12


@dataclass(frozen=True)
class WeightChange:
    """A criterion's effective weight (normalised to sum 1; 0 when excluded; None when absent)."""

    criterion: str
    old: float | None
    new: float | None


@dataclass(frozen=True)
class ScoreChange:
    id: str
    name: str
    old_score: float
    new_score: float
    old_rank: int
    new_rank: int


@dataclass(frozen=True)
class StatusChange:
    id: str
    name: str
    old: str
    new: str


@dataclass(frozen=True)
class CellChange:
    id: str
    column: str
    old: Any
    new: Any


@dataclass(frozen=True)
class SettingChange:
    """A changed setting (dotted key such as ``thresholds.qualified``); None means absent."""

    key: str
    old: Any
    new: Any


@dataclass(frozen=True)
class CriteriaChange:
    """A criterion ``added``, ``removed`` or ``changed`` (its definition), or another key of the criteria file."""

    criterion: str
    change: str


@dataclass(frozen=True)
class VersionDiff:
    """What changed from workspace ``v1`` to ``v2``. Score/rank/status parts need both results."""

    decision: str | None
    v1: int | None
    v2: int | None
    weights: list[WeightChange] = field(default_factory=list)
    scores: list[ScoreChange] = field(default_factory=list)
    statuses: list[StatusChange] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    cells: list[CellChange] = field(default_factory=list)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    settings: list[SettingChange] = field(default_factory=list)
    criteria: list[CriteriaChange] = field(default_factory=list)
    judgments_changed: bool = False
    results_compared: bool = False
    same_inputs: bool = False

    @property
    def empty(self) -> bool:
        """True when nothing differs (inputs, weights and compared results)."""
        return not (self.weights or self.scores or self.statuses or self.added or self.removed or self.cells
                    or self.columns_added or self.columns_removed or self.settings or self.criteria
                    or self.judgments_changed)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _effective_weights(ws: Workspace) -> dict[str, float] | None:
    """Weights that rank the workspace: explicit, else those recorded in the results, else the criteria's."""
    crit = ws.criteria()
    if ws.weights is not None:
        raw: Mapping[str, float] = ws.weights
    elif ws.results is not None and ws.results.weights:
        raw = ws.results.weights
    elif ws.judgments is not None:
        return None  # from judgments, not computed here
    elif crit.weights is not None:
        raw = crit.weights
    else:
        raw = {c: 1.0 for c in crit.ids}
    exclude = set(ws.settings.exclude)
    used = {c: float(raw.get(c, 0.0)) for c in crit.ids if c not in exclude}
    total = sum(v for v in used.values() if v > 0)
    return {c: (used[c] / total if c in used and total > 0 else 0.0) for c in crit.ids}


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict) and data:
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: data}


def _records_by_id(ws: Workspace) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for ident, rec in zip(ws.ids, ws.opportunities.records):
        out.setdefault(ident, rec)
    return out


def diff_workspaces(a: Workspace, b: Workspace, *, decision: str | None = None, v1: int | None = None,
                    v2: int | None = None) -> VersionDiff:
    """The structured difference between two workspaces (``a`` old, ``b`` new)."""
    # weights
    weights: list[WeightChange] = []
    wa, wb = _effective_weights(a), _effective_weights(b)
    if wa is not None and wb is not None:
        for c in list(dict.fromkeys([*wb, *wa])):
            old, new = wa.get(c), wb.get(c)
            if old is None or new is None or abs(old - new) > _TOL:
                weights.append(WeightChange(c, old, new))
    # opportunities
    ids_a, ids_b = a.ids, b.ids
    set_a, set_b = set(ids_a), set(ids_b)  # once: inside the comprehensions they were built per row (N^2)
    added = [i for i in ids_b if i not in set_a]
    removed = [i for i in ids_a if i not in set_b]
    cols_a, cols_b = a.opportunities.columns, b.opportunities.columns
    columns_added = [c for c in cols_b if c not in cols_a]
    columns_removed = [c for c in cols_a if c not in cols_b]
    ra, rb = _records_by_id(a), _records_by_id(b)
    cells = []
    common_cols = [c for c in cols_b if c in cols_a]
    for ident in ids_b:
        if ident in ra:
            for c in common_cols:
                old, new = ra[ident][c], rb[ident][c]
                if old != new or type(old) is not type(new) and not (isinstance(old, (int, float)) and isinstance(new, (int, float))):
                    cells.append(CellChange(ident, c, old, new))
    # settings and criteria
    sa, sb = _flatten(a.settings.model_dump(mode="json")), _flatten(b.settings.model_dump(mode="json"))
    settings = [SettingChange(k, sa.get(k), sb.get(k)) for k in dict.fromkeys([*sa, *sb]) if sa.get(k) != sb.get(k)]
    ca, cb = a.criteria_data, b.criteria_data
    defs_a = {c.get("id"): c for c in ca.get("criteria", []) if isinstance(c, dict)}
    defs_b = {c.get("id"): c for c in cb.get("criteria", []) if isinstance(c, dict)}
    criteria = [CriteriaChange(str(c), "added") for c in defs_b if c not in defs_a]
    criteria += [CriteriaChange(str(c), "removed") for c in defs_a if c not in defs_b]
    criteria += [CriteriaChange(str(c), "changed") for c in defs_b if c in defs_a and defs_a[c] != defs_b[c]]
    for k in dict.fromkeys([*ca, *cb]):
        if k not in ("criteria", "weights") and ca.get(k) != cb.get(k):
            criteria.append(CriteriaChange(f"({k})", "changed"))
    # results
    scores: list[ScoreChange] = []
    statuses: list[StatusChange] = []
    compared = a.results is not None and b.results is not None
    if compared:
        old_rows = {r.id: r for r in a.results.rows}  # type: ignore[union-attr]
        new_rows = sorted(b.results.rows, key=lambda r: (r.rank, r.id))  # type: ignore[union-attr]
        for r in new_rows:
            o = old_rows.get(r.id)
            if o is None:
                continue
            if abs(float(o.score) - float(r.score)) > _TOL or o.rank != r.rank:
                scores.append(ScoreChange(r.id, r.name, float(o.score), float(r.score), o.rank, r.rank))
            if o.status is not None and r.status is not None and o.status != r.status:
                statuses.append(StatusChange(r.id, r.name, o.status, r.status))
    return VersionDiff(decision, v1, v2, weights, scores, statuses, added, removed, cells, columns_added,
                       columns_removed, settings, criteria, a.judgments != b.judgments, compared,
                       a.inputs_hash() == b.inputs_hash())


def _versions(db: Any, decision: str, v1: int | None, v2: int | None) -> tuple[int, int]:
    def body(conn: sqlite3.Connection | None) -> int:
        _check_decision(conn, decision, db)
        return _latest(conn, decision)

    latest = _read(db, body)
    if latest == 0:
        raise StoreError("the decision has no saved versions yet (only judgments)", file=str(_path(db)),
                         key=f"decision '{decision}'")
    new = latest if v2 is None else v2
    old = new - 1 if v1 is None else v1
    if v1 is None and old < 1:
        raise StoreError("only one version: nothing to compare", file=str(_path(db)), key=f"decision '{decision}'",
                         expected="two versions (save the decision again first)")
    return old, new


def diff(db: str | os.PathLike | None, decision: str | None, v1: int | None = None, v2: int | None = None) -> VersionDiff:
    """What changed from version ``v1`` to ``v2`` of ``decision``.

    ``decision`` None: the store's only decision. ``v2`` None: the latest; ``v1`` None: the one before ``v2``.
    """
    name = resolve_decision(db, decision)
    old, new = _versions(db, name, v1, v2)
    a, b = load_version(db, name, old), load_version(db, name, new)
    return diff_workspaces(a, b, decision=name, v1=old, v2=new)


# ---------------------------------------------------------------------------------------------
# plain text for the CLI
# ---------------------------------------------------------------------------------------------


def _clean(value: Any) -> str:
    """Text safe for a terminal: control characters (escape sequences, newlines) and bidi overrides shown
    escaped (:func:`mcda_qualify.errors.safe_text`, the one helper every text output uses)."""
    return safe_text(value)


def _num(x: float | None, digits: int = 4) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def _cellv(v: Any) -> str:
    return "(empty)" if v is None else _clean(json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else repr(v))


def history_text(db: str | os.PathLike | None = None, decision: str | None = None) -> str:
    """Every decision (or one) with its versions: number, time, author, inputs hash, note; and its judges."""
    where = str(_path(db))
    names = [resolve_decision(db, decision)] if decision is not None else list(list_decisions(db)["decision"])
    if not names:
        return f"{where}: no decisions"
    lines = [f"{where}: {len(names)} decision{'s' if len(names) != 1 else ''}"]
    for name in names:
        versions = list_versions(db, name)
        judges = judgment_history(db, name)
        lines.append("")
        lines.append(f"decision {_clean(name)!s}: {len(versions)} version{'s' if len(versions) != 1 else ''}")
        if len(versions):
            aw = max(6, *(len(_clean(a)) for a in versions["author"]))
            lines.append(f"  {'v':>3}  {'time (UTC)':<24}  {'author':<{aw}}  {'inputs':<12}  note")
            for r in versions.itertuples(index=False):
                lines.append(f"  {r.version:>3}  {_clean(r.time):<24}  {_clean(r.author):<{aw}}  {r.hash[:12]:<12}  {_clean(r.note)}")
        if len(judges):
            counts = judges.groupby("judge", sort=True)["revision"].max()
            latest = judges.groupby("judge", sort=True)["time"].max()
            parts = [f"{_clean(j)} ({n} revision{'s' if n != 1 else ''}, latest {latest[j]})" for j, n in counts.items()]
            lines.append("  judgments: " + "; ".join(parts))
    return "\n".join(lines)


def diff_text(db: str | os.PathLike | None, decision: str | None, v1: int | None = None, v2: int | None = None) -> str:
    """:func:`diff` as plain text: weights, settings, criteria, opportunities, scores and ranks, statuses."""
    d = diff(db, decision, v1, v2)
    return format_diff(d)


def format_diff(d: VersionDiff) -> str:
    """A :class:`VersionDiff` as plain text, one change a line."""
    head = f"decision {_clean(d.decision)}: " if d.decision is not None else ""
    lines = [f"{head}version {d.v1} -> version {d.v2}"]
    if d.empty and (d.results_compared or d.same_inputs):
        lines.append("no changes" + ("" if d.results_compared else " in the inputs"))
        return "\n".join(lines)
    if d.weights:
        lines.append("weights (normalised):")
        for w in d.weights:
            lines.append(f"  {_clean(w.criterion)}: {_num(w.old)} -> {_num(w.new)}")
    if d.judgments_changed:
        lines.append("judgments changed")
    if d.settings:
        lines.append("settings:")
        for s in d.settings:
            lines.append(f"  {_clean(s.key)}: {_cellv(s.old)} -> {_cellv(s.new)}")
    if d.criteria:
        lines.append("criteria:")
        for c in d.criteria:
            lines.append(f"  {_clean(c.criterion)}: {c.change}")
    if d.added:
        lines.append("opportunities added: " + ", ".join(_clean(i) for i in d.added))
    if d.removed:
        lines.append("opportunities removed: " + ", ".join(_clean(i) for i in d.removed))
    if d.columns_added:
        lines.append("columns added: " + ", ".join(_clean(c) for c in d.columns_added))
    if d.columns_removed:
        lines.append("columns removed: " + ", ".join(_clean(c) for c in d.columns_removed))
    if d.cells:
        lines.append("cells:")
        for c in d.cells:
            lines.append(f"  {_clean(c.id)} {_clean(c.column)}: {_cellv(c.old)} -> {_cellv(c.new)}")
    if not d.results_compared:
        lines.append("scores and ranks: not compared (a version has no saved results)")
    else:
        if d.scores:
            lines.append("scores and ranks:")
            for s in d.scores:
                lines.append(f"  {_clean(s.id)} {_clean(s.name)}: score {_num(s.old_score)} -> {_num(s.new_score)}, "
                             f"rank {s.old_rank} -> {s.new_rank}")
        else:
            lines.append("scores and ranks: unchanged")
        if d.statuses:
            lines.append("status:")
            for s in d.statuses:
                lines.append(f"  {_clean(s.id)} {_clean(s.name)}: {_clean(s.old)} -> {_clean(s.new)}")
    return "\n".join(lines)
