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
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Callable, Literal, Mapping, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)

from ..errors import InputError

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
SCHEMA_VERSION = 1
#: schema versions this tool reads (older ones are upgraded on load)
READABLE_VERSIONS: tuple[int, ...] = (0, 1)


class WorkspaceError(InputError):
    """A workspace file or document is invalid. ``key`` is the JSON key path (``settings.method``)."""


def utc_now() -> str:
    """The current time in UTC as ISO 8601 with milliseconds and a ``Z``."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# ---------------------------------------------------------------------------------------------
# the document model (strict types, so what is loaded dumps back to the same JSON)
# ---------------------------------------------------------------------------------------------


def _finite(x: float) -> float:
    if not math.isfinite(x):
        raise ValueError("must be a finite number")
    return x


Number = Union[StrictInt, Annotated[StrictFloat, AfterValidator(_finite)]]
Cell = Union[StrictStr, StrictBool, StrictInt, Annotated[StrictFloat, AfterValidator(_finite)], None]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Thresholds(_Strict):
    """Score bands on the method's score: ``qualified`` and ``conditional``."""

    qualified: Number
    conditional: Number


class Smaa(_Strict):
    """Stochastic multicriteria acceptability analysis: number of weight samples and the RNG seed."""

    samples: StrictInt = Field(gt=0)
    seed: StrictInt | None = None


class Settings(_Strict):
    """How the decision is computed. ``options`` are method options passed through to ``rank``."""

    method: StrictStr = "topsis"
    normalization: StrictStr = "vector"
    exclude: list[StrictStr] = Field(default_factory=list)
    missing: Literal["error", "worst"] = "error"
    thresholds: Thresholds | None = None
    smaa: Smaa | None = None
    options: dict[str, Any] = Field(default_factory=dict)

    @field_validator("exclude")
    @classmethod
    def _distinct(cls, v: list[str]) -> list[str]:
        dup = sorted({x for x in v if v.count(x) > 1})
        if dup:
            raise ValueError(f"criteria excluded twice: {dup}")
        return v


class Opportunities(_Strict):
    """The opportunity table: ``columns`` in order, and one record per row with every column."""

    columns: list[StrictStr] = Field(min_length=1)
    records: list[dict[str, Cell]]

    @model_validator(mode="after")
    def _rectangular(self) -> "Opportunities":
        cols = self.columns
        dup = sorted({c for c in cols if cols.count(c) > 1})
        if dup:
            raise ValueError(f"columns listed twice: {dup}")
        if any(not c.strip() for c in cols):
            raise ValueError("a column has an empty name")
        want = set(cols)
        for i, rec in enumerate(self.records):
            if set(rec) != want:
                missing = [c for c in cols if c not in rec]
                extra = [c for c in rec if c not in want]
                what = f"misses column(s) {missing}" if missing else f"has column(s) not in 'columns': {extra}"
                raise ValueError(f"record {i} {what}")
        return self


class ResultRow(_Strict):
    """One opportunity's result: score, rank (1 = best) and, for a qualification, status and reasons."""

    id: StrictStr
    name: StrictStr
    score: Number
    rank: StrictInt
    status: StrictStr | None = None
    reasons: list[StrictStr] | None = None


class Results(_Strict):
    """A ranking or qualification decision as rows in input order, with the method that made it."""

    method: StrictStr | None = None
    better: Literal["higher", "lower"] | None = None
    normalization: StrictStr | None = None
    weights: dict[str, Number] | None = None
    excluded: list[StrictStr] = Field(default_factory=list)
    thresholds: Thresholds | None = None
    rows: list[ResultRow]

    @field_validator("rows")
    @classmethod
    def _unique(cls, v: list[ResultRow]) -> list[ResultRow]:
        ids = [r.id for r in v]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"result rows name an opportunity twice: {dup}")
        return v


class Sources(_Strict):
    """Where the inputs came from (informative only: the workspace holds the inputs themselves)."""

    criteria: StrictStr | None = None
    opportunities: StrictStr | None = None


class Meta(_Strict):
    tool_version: StrictStr
    created: StrictStr | None = None
    author: StrictStr | None = None
    note: StrictStr | None = None
    sources: Sources = Field(default_factory=Sources)
    upgraded_from: StrictInt | None = None

    @field_validator("created")
    @classmethod
    def _iso(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                datetime.fromisoformat(v.replace("Z", "+00:00"))
            except ValueError:
                raise ValueError("must be an ISO 8601 time such as 2025-01-31T12:00:00.000Z") from None
        return v


def _check_triples(v: Any, where: str) -> None:
    if not isinstance(v, list):
        raise ValueError(f"{where} must be a list of [a, b, value]")
    for k, t in enumerate(v):
        if not (isinstance(t, list) and len(t) == 3 and isinstance(t[0], str) and isinstance(t[1], str)):
            raise ValueError(f"{where}[{k}] must be [a, b, value] with a and b labels (text)")
        x = t[2]
        if isinstance(x, bool) or not isinstance(x, (int, float, str)):
            raise ValueError(f"{where}[{k}] value must be a number or a fraction as text such as '1/3'")
        if isinstance(x, float) and not (math.isfinite(x) and x > 0) or isinstance(x, int) and x <= 0:
            raise ValueError(f"{where}[{k}] value must be a positive finite number")


def _check_judgments(v: Any) -> Any:
    """Shape checks only; the meaning is checked by :mod:`mcda_qualify.judgments` when used."""
    if v is None:
        return v
    if not isinstance(v, dict):
        raise ValueError("judgments must be a mapping with 'judgments', 'matrix', 'judges' or 'children'")
    if not any(k in v for k in ("judgments", "matrix", "judges", "children")):
        raise ValueError("judgments need one of 'judgments' (flat [a, b, value] list), 'matrix', 'judges' or 'children'")
    if "labels" in v and not (isinstance(v["labels"], list) and all(isinstance(x, str) for x in v["labels"])):
        raise ValueError("judgments 'labels' must be a list of text labels")
    if "judgments" in v:
        _check_triples(v["judgments"], "judgments")
    if "judges" in v:
        judges = v["judges"]
        if not isinstance(judges, list) or not judges:
            raise ValueError("'judges' must be a non-empty list of {name, weight, judgments}")
        names = []
        for k, j in enumerate(judges):
            if not isinstance(j, dict) or not isinstance(j.get("name"), str) or not j["name"].strip():
                raise ValueError(f"judges[{k}] must be a mapping with a non-empty 'name'")
            names.append(j["name"])
            w = j.get("weight", 1)
            if isinstance(w, bool) or not isinstance(w, (int, float)) or not (math.isfinite(w) and w > 0):
                raise ValueError(f"judges[{k}] ({j['name']}) weight must be a positive number")
            if "judgments" in j:
                _check_triples(j["judgments"], f"judges[{k}].judgments")
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"judges named twice: {dup}")
    return v


class WorkspaceDoc(_Strict):
    """Schema of a version-1 workspace document (validated on load)."""

    schema_version: Literal[1]
    criteria: dict[str, Any]
    weights: dict[str, Number] | None = None
    judgments: Annotated[dict[str, Any] | None, AfterValidator(_check_judgments)] = None
    opportunities: Opportunities
    settings: Settings = Field(default_factory=Settings)
    results: Results | None = None
    meta: Meta


# ---------------------------------------------------------------------------------------------
# error messages
# ---------------------------------------------------------------------------------------------


def _key_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for p in loc:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


_TAGS = {"str": "text", "bool": "true/false", "int": "a whole number", "float": "a number", "none": "null"}


def _tag(p: Any) -> str | None:
    """The member name of a union in a pydantic error location, else None."""
    if not isinstance(p, str):
        return None
    if p.startswith("function-after[") and p.endswith("float]"):
        return "float"
    return p if p in _TAGS else None


def _from_validation(exc: ValidationError, source: str) -> WorkspaceError:
    """One readable WorkspaceError from pydantic's errors: the first problem, its key and value."""
    errors = exc.errors()
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for e in errors:
        loc = tuple(p for p in e["loc"] if _tag(p) is None)
        groups.setdefault(loc, []).append(e)
    loc, errs = next(iter(groups.items()))
    first = errs[0]
    tags = [t for t in (_tag(p) for e in errs for p in e["loc"]) if t is not None]
    value = first.get("input")
    scalar = value is None or isinstance(value, (str, int, float, bool))
    expected = None
    if first["type"] == "missing":
        msg, scalar = "required key is missing", False
    elif first["type"] == "extra_forbidden":
        msg, scalar = "unknown key", False
        expected = "only the keys described in docs/workspace.md"
    elif len(tags) > 1:
        names = [_TAGS[t] for t in dict.fromkeys(tags)]
        if "a whole number" in names and "a number" in names:
            names.remove("a whole number")
        msg = f"wrong type ({type(value).__name__})"
        expected = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        if loc[:2] == ("opportunities", "records"):
            expected = "text, a number, true/false or null (an empty cell)"
    else:
        msg = first["msg"].removeprefix("Value error, ")
    n = len(groups)
    more = f" (and {n - 1} more problem{'s' if n > 2 else ''})" if n > 1 else ""
    return WorkspaceError(msg + more, file=source, key=_key_path(loc) or None,
                          value=value if scalar else None, has_value=scalar, expected=expected)


# ---------------------------------------------------------------------------------------------
# schema versions
# ---------------------------------------------------------------------------------------------


def _readable_text() -> str:
    from .. import __version__

    return (f"schema_version {', '.join(str(v) for v in READABLE_VERSIONS)} "
            f"(mcda-qualify {__version__} reads these and writes {SCHEMA_VERSION})")


def _v0_to_v1(data: dict[str, Any], source: str) -> dict[str, Any]:
    """Version 0 (first drafts): settings at top level, opportunities as a bare list of records.

    ``{"schema_version": 0, "criteria": {...}, "weights": {...} | null, "method": "topsis",
    "normalization": "vector", "opportunities": [{...}, ...], "created": "...", "tool_version": "..."}``
    """
    known = {"schema_version", "criteria", "weights", "method", "normalization", "opportunities", "created", "tool_version"}
    unknown = [k for k in data if k not in known]
    if unknown:
        raise WorkspaceError("unknown key in a version-0 workspace", file=source, key=unknown[0],
                             expected=f"only {sorted(known)}")
    records = data.get("opportunities")
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise WorkspaceError("version-0 'opportunities' must be a list of records", file=source, key="opportunities",
                             expected="a list of mappings column -> cell")
    columns: list[str] = []
    for r in records:
        columns.extend(c for c in r if c not in columns)
    settings: dict[str, Any] = {}
    for k in ("method", "normalization"):
        if k in data:
            settings[k] = data[k]
    return {
        "schema_version": 1,
        "criteria": data.get("criteria"),
        "weights": data.get("weights"),
        "judgments": None,
        "opportunities": {"columns": columns, "records": [{c: r.get(c) for c in columns} for r in records]},
        "settings": settings,
        "results": None,
        "meta": {"tool_version": data.get("tool_version", "unknown"), "created": data.get("created"),
                 "author": None, "note": None, "sources": {"criteria": None, "opportunities": None},
                 "upgraded_from": 0},
    }


_UPGRADES: dict[int, Callable[[dict[str, Any], str], dict[str, Any]]] = {0: _v0_to_v1}


def upgrade(data: Any, source: str = "workspace") -> dict[str, Any]:
    """Upgrade a parsed workspace of any readable schema version to the current one, step by step.

    The input is not modified. A missing, newer or unknown ``schema_version`` raises
    :class:`WorkspaceError` naming the versions this tool reads.
    """
    if not isinstance(data, dict):
        raise WorkspaceError("a workspace is a JSON object", file=source, value=type(data).__name__, has_value=True,
                             expected="an object with schema_version, criteria, opportunities, settings and meta")
    if "schema_version" not in data:
        raise WorkspaceError("no 'schema_version': not an mcda-qualify workspace, or written by something that does not "
                             "version its files", file=source, key="schema_version", expected=_readable_text())
    v = data["schema_version"]
    if isinstance(v, bool) or not isinstance(v, int):
        raise WorkspaceError("schema_version must be a whole number", file=source, key="schema_version", value=v,
                             has_value=True, expected=_readable_text())
    if v > SCHEMA_VERSION:
        raise WorkspaceError(f"written by a newer mcda-qualify (schema_version {v}); upgrade mcda-qualify to read it",
                             file=source, key="schema_version", value=v, expected=_readable_text())
    if v not in READABLE_VERSIONS:
        raise WorkspaceError(f"unknown schema_version {v}", file=source, key="schema_version", value=v,
                             expected=_readable_text())
    out = copy.deepcopy(data)
    while out["schema_version"] < SCHEMA_VERSION:
        out = _UPGRADES[out["schema_version"]](out, source)
    return out


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

        import yaml

        load_criteria(criteria)  # validates, with the file's own error messages
        raw = yaml.safe_load(Path(criteria).read_text(encoding="utf-8-sig"))
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
        return copy.deepcopy(self._data)

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
    data = ws.to_dict() if isinstance(ws, Workspace) else Workspace.from_dict(dict(ws)).to_dict()
    part = {k: data[k] for k in ("criteria", "weights", "judgments", "opportunities", "settings")}
    text = json.dumps(part, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------------
# files
# ---------------------------------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_text(text: str, source: str) -> Workspace:
    """A workspace from JSON text; errors name ``source``."""
    if not text.strip():
        raise WorkspaceError("the workspace is empty", file=source, expected="a JSON object with schema_version")
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise WorkspaceError(f"not valid JSON (line {exc.lineno} column {exc.colno}: {exc.msg})", file=source,
                             expected="a JSON workspace written by mcda-qualify") from None
    except ValueError as exc:
        raise WorkspaceError(f"not valid JSON ({exc})", file=source, expected="finite numbers only") from None
    return Workspace.from_dict(data, source)


_LOOKS_LIKE_JSON = re.compile(r"^\s*[{\[]")


def load_workspace(path_or_text: str | os.PathLike | bytes, *, source: str | None = None) -> Workspace:
    """Read a workspace from a file path, or from JSON text (a ``str`` starting with ``{``).

    Older schema versions are upgraded; the result is validated. Errors are :class:`WorkspaceError`
    naming the file (or ``source``).
    """
    if isinstance(path_or_text, bytes):
        try:
            path_or_text = path_or_text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise WorkspaceError("not UTF-8 text", file=source or "workspace text") from None
    if isinstance(path_or_text, str) and _LOOKS_LIKE_JSON.match(path_or_text):
        return parse_text(path_or_text, source or "workspace text")
    p = Path(path_or_text)
    where = source or str(p)
    if not p.exists():
        raise WorkspaceError("workspace file not found", file=where, expected="a .json workspace saved by mcda-qualify")
    if p.is_dir():
        raise WorkspaceError("is a folder, not a file", file=where, expected="a .json workspace saved by mcda-qualify")
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WorkspaceError("not UTF-8 text", file=where, expected="a .json workspace saved by mcda-qualify") from None
    except OSError as exc:
        raise WorkspaceError(f"cannot read the file ({exc.strerror})", file=where) from None
    return parse_text(text, where)


def save_workspace(ws: Workspace | Mapping[str, Any], path: str | os.PathLike) -> Path:
    """Validate and write ``ws`` as JSON, atomically (a temporary file renamed over ``path``)."""
    w = ws if isinstance(ws, Workspace) else Workspace.from_dict(dict(ws))
    p = Path(path)
    text = w.to_json()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent if str(p.parent) else ".")
        try:
            os.chmod(tmp, p.stat().st_mode & 0o777 if p.exists() else 0o644)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, p)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise WorkspaceError(f"cannot write the workspace ({exc.strerror or exc})", file=str(p)) from None
    return p
