"""Workspace files: one versioned JSON document holding every input of a decision and its result.

A workspace is what a person saves to come back to a decision, send it to a colleague or keep it
in the decision store (:mod:`mcda_qualify.store`). It holds the criteria mapping (as in the YAML),
weights or AHP judgments, the opportunity table with every cell exactly as it was given, the
settings of the run, optionally the results, and who made it when. docs/workspace.md has the
reference; in short::

    {"schema_version": 1, "criteria": {...}, "weights": {...} | null, "judgments": {...} | null,
     "opportunities": {"columns": [...], "records": [{...}, ...]}, "settings": {...},
     "results": {...} | null, "meta": {...}}

Round trips are exact: save -> load -> save gives byte-identical JSON (floats are written with
Python's shortest exact ``repr``). Older schema versions are upgraded step by step on load; a newer
or unknown version is refused with a message naming the versions this tool reads.
"""
from __future__ import annotations

import copy
import hashlib
import json
import math
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Mapping, Sequence

from pydantic import (
    ValidationError,
)

from .json_loader import copy_json
from .workspace_schema import (  # noqa: F401  (the schema's names are part of this module's API)
    READABLE_VERSIONS, SCHEMA_VERSION, Meta, Opportunities, ResultRow, Results, Settings, Smaa, Sources, Thresholds,
    WorkspaceDoc, WorkspaceError, _from_validation, upgrade, utc_now)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..criteria import CriteriaSet
    from ..portfolio import Portfolio

__all__ = [
    "SCHEMA_VERSION",
    "READABLE_VERSIONS",
    "WorkspaceError",
    "Settings",
    "Thresholds",
    "Smaa",
    "Opportunities",
    "ResultRow",
    "Results",
    "Meta",
    "WorkspaceDoc",
    "Workspace",
    "workspace_from",
    "results_from",
    "save_workspace",
    "load_workspace",
    "parse_text",
    "upgrade",
    "inputs_hash",
    "utc_now",
]

#: the schema version this tool writes
# ---------------------------------------------------------------------------------------------
# building a workspace from Python objects
# ---------------------------------------------------------------------------------------------


def _jsonable(value: Any, key: str) -> Any:
    """Plain JSON data (str keys, lists, finite numbers) from YAML/pydantic/numpy values; refuses the rest."""
    import numpy as np

    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if not math.isfinite(x):
            raise WorkspaceError("not a finite number (JSON has no NaN or infinity)", file="workspace", key=key, value=x)
        return x
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if isinstance(k, bool) or not isinstance(k, (str, int)):
                raise WorkspaceError("mapping key is neither text nor a whole number", file="workspace", key=key,
                                     value=k, has_value=True)
            out[str(k)] = _jsonable(v, f"{key}.{k}" if key else str(k))
        return out
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_jsonable(v, f"{key}[{i}]") for i, v in enumerate(list(value))]
    raise WorkspaceError(f"cannot be stored in a workspace ({type(value).__name__})", file="workspace", key=key,
                         value=repr(value)[:80], expected="text, numbers, true/false, null, lists and mappings")


def _cell(value: Any, row: int, column: str) -> Any:
    """One table cell as JSON: text, a whole or finite number, a boolean, or null (empty/NaN/NA)."""
    import numpy as np
    import pandas as pd

    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if math.isnan(x):
            return None
        if math.isinf(x):
            raise WorkspaceError(f"infinite number in the table (record {row}, column '{column}')", file="workspace",
                                 key=f"opportunities.records[{row}].{column}", value=x,
                                 expected="a finite number, text or an empty cell")
        return x
    if value is pd.NA or value is pd.NaT:
        return None
    raise WorkspaceError(f"cell of type {type(value).__name__} (record {row}, column '{column}')", file="workspace",
                         key=f"opportunities.records[{row}].{column}", value=repr(value)[:80],
                         expected="text, a number, true/false or an empty cell (convert dates to text first)")


def _table(source: Any) -> tuple[dict[str, Any], str | None]:
    """The opportunities section from a Portfolio, a DataFrame or a CSV/XLSX path (cells as text)."""
    import pandas as pd

    from ..portfolio import Portfolio
    from .tables import read_table

    origin: str | None = None
    if isinstance(source, Portfolio):
        frame, origin = source.table, source.source
    elif isinstance(source, pd.DataFrame):
        frame, origin = source, source.attrs.get("where")
    elif isinstance(source, (str, os.PathLike)):
        frame, _ = read_table(source)
        origin = frame.attrs.get("where", str(source))
    else:
        raise WorkspaceError("opportunities must be a Portfolio, a DataFrame or a path to a CSV/XLSX file",
                             file="workspace", key="opportunities", value=type(source).__name__, has_value=True)
    columns = list(frame.columns)
    for c in columns:
        if not isinstance(c, str):
            raise WorkspaceError("column names must be text", file="workspace", key="opportunities.columns", value=c,
                                 has_value=True, expected="a header row of names")
    if len(set(columns)) != len(columns):
        dup = next(c for c in columns if columns.count(c) > 1)
        raise WorkspaceError("the column appears twice", file="workspace", key="opportunities.columns", value=dup)
    data = [frame[c].tolist() for c in columns]
    records = [{c: _cell(data[j][i], i, c) for j, c in enumerate(columns)} for i in range(len(frame))]
    return {"columns": columns, "records": records}, origin


def _criteria_mapping(criteria: Any) -> tuple[dict[str, Any], str | None]:
    from ..criteria import CriteriaSet

    if isinstance(criteria, CriteriaSet):
        return _jsonable(criteria.model_dump(mode="json", exclude={"source"}, exclude_none=True), "criteria"), criteria.source
    if isinstance(criteria, Mapping):
        return _jsonable(criteria, "criteria"), None
    if isinstance(criteria, (str, os.PathLike)):
        from ..criteria import load_criteria


        from ..errors import CriteriaError
        from .yaml_loader import read_yaml

        load_criteria(criteria)  # validates, with the file's own error messages
        raw = read_yaml(criteria, "a criteria YAML file", error=CriteriaError)
        return _jsonable(raw, "criteria"), str(criteria)
    raise WorkspaceError("criteria must be a CriteriaSet, a mapping as in the YAML file or the YAML file's path",
                         file="workspace", key="criteria", value=type(criteria).__name__, has_value=True)


def results_from(result: Any) -> dict[str, Any]:
    """The results section from a :class:`~mcda_qualify.ranking.Ranking` or :class:`~mcda_qualify.qualify.Decision`."""
    ranking = getattr(result, "ranking", result)
    table = result.table
    rows = []
    for r in table.to_dict("records"):
        row: dict[str, Any] = {"id": str(r["id"]), "name": str(r["name"]), "score": float(r["score"]), "rank": int(r["rank"])}
        if "status" in r:
            row["status"] = str(r["status"])
            row["reasons"] = [str(x) for x in r["reasons"]]
        rows.append(row)
    thresholds = getattr(result, "thresholds", None)
    return {
        "method": ranking.method,
        "better": ranking.better,
        "normalization": ranking.normalization,
        "weights": {str(k): float(v) for k, v in ranking.weights.items()},
        "excluded": list(ranking.excluded),
        "thresholds": None if thresholds is None else {k: float(v) for k, v in thresholds.items()},
        "rows": rows,
    }


def workspace_from(
    criteria: Any,
    portfolio_or_frame: Any,
    weights: Mapping[str, float] | None = None,
    judgments: Mapping[str, Any] | None = None,
    settings: Mapping[str, Any] | Settings | None = None,
    results: Any = None,
    meta: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A validated workspace document (plain JSON data, current schema) from the decision's parts.

    ``criteria``: a :class:`~mcda_qualify.criteria.CriteriaSet`, the mapping as in the YAML, or the
    YAML file's path (kept verbatim). ``portfolio_or_frame``: a DataFrame (cells kept exactly; pass
    the raw frame of :func:`~mcda_qualify.portfolio.read_table` to keep the original text), a
    :class:`~mcda_qualify.portfolio.Portfolio` (its parsed table) or a CSV/XLSX path. ``results``:
    a Ranking, a Decision or a results mapping. ``meta`` may set ``author``, ``note``, ``created``
    and ``sources``; ``tool_version`` and ``created`` are filled in.
    """
    from .. import __version__

    crit, crit_source = _criteria_mapping(criteria)
    table, table_source = _table(portfolio_or_frame)
    if isinstance(settings, Settings):
        settings = settings.model_dump(mode="json")
    if results is not None and not isinstance(results, Mapping):
        results = results_from(results)
    m: dict[str, Any] = {"tool_version": __version__, "created": utc_now(), "author": None, "note": None,
                         "sources": {"criteria": crit_source, "opportunities": table_source}}
    for k, v in (meta or {}).items():
        if k == "sources" and isinstance(v, Mapping):
            m["sources"] = {**m["sources"], **v}
        else:
            m[k] = v
    doc = {
        "schema_version": SCHEMA_VERSION,
        "criteria": crit,
        "weights": None if weights is None else _jsonable(dict(weights), "weights"),
        "judgments": None if judgments is None else _jsonable(judgments, "judgments"),
        "opportunities": table,
        "settings": _jsonable(dict(settings or {}), "settings"),
        "results": None if results is None else _jsonable(results, "results"),
        "meta": _jsonable(m, "meta"),
    }
    return Workspace.from_dict(doc).to_dict()


# ---------------------------------------------------------------------------------------------
# the loaded workspace
# ---------------------------------------------------------------------------------------------


def _dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


class Workspace:
    """A validated workspace: the document (:attr:`doc`) plus helpers to get the library objects back.

    ``criteria()`` -> CriteriaSet, ``portfolio()`` -> Portfolio, ``frame()`` -> the opportunity table
    as stored; ``weights``, ``judgments``, ``settings``, ``results`` and ``meta`` are the sections.
    ``source`` names where it was read from, for messages.
    """

    __slots__ = ("doc", "source", "_data", "_criteria")

    def __init__(self, doc: WorkspaceDoc, source: str = "workspace") -> None:
        self.doc = doc
        self.source = source
        self._data: dict[str, Any] = doc.model_dump(mode="json")
        from ..criteria import criteria_from_dict

        self._criteria = criteria_from_dict(copy.deepcopy(self._data["criteria"]), source=f"{source} (criteria)")
        ids = self._criteria.ids
        for key, names in (("weights", list(doc.weights or {})), ("settings.exclude", doc.settings.exclude)):
            unknown = [n for n in names if n not in ids]
            if unknown:
                raise WorkspaceError("names an unknown criterion", file=source, key=key, value=unknown[0],
                                     expected=f"criteria ids of '{self._criteria.name}': {', '.join(ids)}")

    @classmethod
    def from_dict(cls, data: Any, source: str = "workspace") -> "Workspace":
        """Upgrade (older schema versions) and validate a parsed workspace document."""
        data = upgrade(data, source)
        try:
            doc = WorkspaceDoc.model_validate(data)
        except ValidationError as exc:
            raise _from_validation(exc, source) from None
        return cls(doc, source)

    # sections -------------------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        return self.doc.schema_version

    @property
    def criteria_data(self) -> dict[str, Any]:
        """The criteria mapping as stored (a copy)."""
        return copy.deepcopy(self._data["criteria"])

    @property
    def weights(self) -> dict[str, float] | None:
        return None if self.doc.weights is None else dict(self.doc.weights)

    @property
    def judgments(self) -> dict[str, Any] | None:
        return copy.deepcopy(self._data["judgments"])

    @property
    def opportunities(self) -> Opportunities:
        return self.doc.opportunities

    @property
    def settings(self) -> Settings:
        return self.doc.settings

    @property
    def results(self) -> Results | None:
        return self.doc.results

    @property
    def meta(self) -> Meta:
        return self.doc.meta

    @property
    def ids(self) -> list[str]:
        """Opportunity ids as load_portfolio reads them (the column named ``id``, any case, stripped)."""
        col = next((c for c in self.doc.opportunities.columns if c.strip().lower() == "id"), None)
        if col is None:
            return []
        return ["" if r[col] is None else str(r[col]).strip() for r in self.doc.opportunities.records]

    # library objects ------------------------------------------------------------------------
    def criteria(self) -> "CriteriaSet":
        """The criteria, validated by :func:`~mcda_qualify.criteria.criteria_from_dict`."""
        return self._criteria

    def frame(self) -> "pd.DataFrame":
        """The opportunity table as stored: columns in order, every cell its stored value (object dtype)."""
        import pandas as pd

        opp = self.doc.opportunities
        rows = [[rec[c] for c in opp.columns] for rec in opp.records]
        frame = pd.DataFrame(rows, columns=list(opp.columns), dtype=object)
        frame.attrs["where"] = f"{self.source} (opportunities)"
        frame.attrs["first_row"] = 1
        return frame

    def portfolio(self, missing: Literal["error", "worst"] | None = None) -> "Portfolio":
        """The validated portfolio (``missing`` defaults to the settings' policy). Rows count records from 1."""
        from ..portfolio import load_portfolio

        return load_portfolio(self.frame(), self._criteria, missing=missing or self.doc.settings.missing)

    # output ---------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The document as plain JSON data (a copy)."""
        return copy_json(self._data)

    def to_json(self) -> str:
        """The document as JSON text (2-space indent, UTF-8, keys in schema order, final newline)."""
        return _dumps(self._data)

    def inputs_hash(self) -> str:
        return inputs_hash(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Workspace) and self._data == other._data

    def __hash__(self) -> int:  # pragma: no cover - mutable-ish container; hash by content
        return hash(self.to_json())

    def __repr__(self) -> str:
        n = len(self.doc.opportunities.records)
        return f"Workspace({self._criteria.name!r}, {n} opportunities, schema {self.schema_version}, from {self.source!r})"


def inputs_hash(ws: Workspace | Mapping[str, Any]) -> str:
    """sha256 (hex) of canonical JSON of criteria, weights, judgments, opportunities and settings.

    Canonical: keys sorted, no whitespace, UTF-8. Results and meta are not inputs and do not count.
    """
    data = ws._data if isinstance(ws, Workspace) else Workspace.from_dict(dict(ws))._data  # read only: no copy
    part = {k: data[k] for k in ("criteria", "weights", "judgments", "opportunities", "settings")}
    text = json.dumps(part, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------------
# files
# ---------------------------------------------------------------------------------------------


def parse_text(text: str, source: str) -> Workspace:
    """A workspace from JSON text; errors name ``source``."""
    if not text.strip():
        raise WorkspaceError("the workspace is empty", file=source, expected="a JSON object with schema_version")
    from .json_loader import loads_strict

    data = loads_strict(text, source, error=WorkspaceError, expected="a JSON workspace written by mcda-qualify")
    return Workspace.from_dict(data, source)


_LOOKS_LIKE_JSON = re.compile(r"^\s*[{\[]")


def load_workspace(path_or_text: str | os.PathLike | bytes, *, source: str | None = None) -> Workspace:
    """Read a workspace from a file path, or from JSON text (a ``str`` starting with ``{``).

    Older schema versions are upgraded; the result is validated. Errors are :class:`WorkspaceError`
    naming the file (or ``source``).
    """
    if isinstance(path_or_text, (bytes, str)) and len(path_or_text) > 4096:  # text or an upload, not a path
        from .files import MAX_BYTES_ENV, max_bytes

        if len(path_or_text) > max_bytes():
            raise WorkspaceError(f"workspace too large ({len(path_or_text):,} bytes; at most {max_bytes():,}, set "
                                 f"{MAX_BYTES_ENV} to change it)", file=source or "workspace text")
    if isinstance(path_or_text, bytes):
        try:
            path_or_text = path_or_text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise WorkspaceError("not UTF-8 text", file=source or "workspace text") from None
    if isinstance(path_or_text, str) and _LOOKS_LIKE_JSON.match(path_or_text):
        return parse_text(path_or_text, source or "workspace text")
    from .files import read_bytes_checked

    where = source or str(path_or_text)
    what = "a .json workspace saved by mcda-qualify"
    try:
        p = Path(path_or_text)
    except TypeError:
        raise WorkspaceError("not a path or JSON text", file=where, value=type(path_or_text).__name__,
                             has_value=True, expected=what) from None
    raw = read_bytes_checked(p, what, error=WorkspaceError, noun="workspace file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WorkspaceError(f"not UTF-8 text (byte {exc.start})", file=where, expected=what) from None
    return parse_text(text, where)


def save_workspace(ws: Workspace | Mapping[str, Any], path: str | os.PathLike,
                   inputs: "Sequence[str | os.PathLike | None]" = ()) -> Path:
    """Validate and write ``ws`` as JSON, atomically (a temporary file renamed over ``path``);
    refused when ``path`` is one of ``inputs`` (:func:`~mcda_qualify.io.files.write_atomic`)."""
    from .files import write_atomic

    w = ws if isinstance(ws, Workspace) else Workspace.from_dict(dict(ws))
    return write_atomic(path, w.to_json(), inputs=inputs, what="the workspace", error=WorkspaceError)
