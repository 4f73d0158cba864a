"""The workspace file's schema (pydantic, strict), its located error messages and the upgrade of older versions."""
from __future__ import annotations

import math
from collections import Counter
from datetime import datetime, timezone
from typing import Annotated, Any, Callable, Literal, Union

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
    model_serializer,
    model_validator,
)
from ..errors import InputError
from .json_loader import copy_json


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


#: most SMAA samples a workspace may ask for
MAX_SMAA_SAMPLES = 1_000_000


class Smaa(_Strict):
    """Stochastic multicriteria acceptability analysis: number of weight samples, the RNG seed and the
    Dirichlet concentration around the agreed weights (None: the report's default)."""

    samples: StrictInt = Field(gt=0, le=MAX_SMAA_SAMPLES)
    seed: StrictInt | None = None
    concentration: Annotated[Number, Field(gt=0)] | None = None

    @model_serializer(mode="wrap")
    def _drop_unset_concentration(self, handler: Any) -> dict[str, Any]:
        # written only when given: workspaces without it keep their JSON and inputs hash
        out = handler(self)
        if out.get("concentration") is None:
            out.pop("concentration", None)
        return out


class PlanSettings(_Strict):
    """Bid plan of the decision (optional): ``capacities`` {column: limit >= 0}, the ``objective``, and the
    opportunity ids that ``must`` be in the plan or ``never``. Absent in workspaces written before it."""

    capacities: dict[StrictStr, Number] = Field(min_length=1)
    objective: Literal["score", "expected_value", "weighted_score"] = "score"
    must: list[StrictStr] = Field(default_factory=list)
    never: list[StrictStr] = Field(default_factory=list)

    @field_validator("capacities")
    @classmethod
    def _non_negative(cls, v: dict[str, Any]) -> dict[str, Any]:
        bad = [k for k, x in v.items() if x < 0]
        if bad:
            raise ValueError(f"capacity limits must be numbers >= 0 (got {bad[0]}: {v[bad[0]]})")
        return v


#: method options of ``rank`` beyond those of the numeric core's ``score`` (AHP's modes)
_AHP_OPTIONS = ("mode", "level_priorities", "comparisons", "synthesis")


def _method_names() -> list[str]:
    from ..core.methods import METHODS

    return [*METHODS, "ahp"]


def _option_names() -> list[str]:
    """The keyword options ``rank`` passes to the numeric core (read from ``score``'s signature)."""
    import inspect

    from ..core.methods import score

    params = inspect.signature(score).parameters.values()
    core = [p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY and p.name != "normalization"]
    return [*core, *_AHP_OPTIONS]


def _numbers(v: Any, key: str, *, positive: bool = False) -> None:
    ok = isinstance(v, list) and v and all(
        not isinstance(x, bool) and isinstance(x, (int, float)) and math.isfinite(x) and (x > 0 if positive else x >= 0)
        for x in v)
    if not ok:
        raise ValueError(f"options.{key} must be a list of {'positive' if positive else 'non-negative'} finite numbers, "
                         f"one per criterion")


def _check_option(key: str, v: Any) -> None:
    """Type and range of a known option (the method checks what depends on the criteria)."""
    if key == "vikor_v":
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1:
            raise ValueError("options.vikor_v must be a number from 0 to 1")
    elif key in ("promethee_p", "promethee_q"):
        _numbers(v, key)
    elif key == "bounds":
        if not (isinstance(v, list) and v and all(
                isinstance(b, list) and len(b) == 2 and all(not isinstance(x, bool) and isinstance(x, (int, float))
                                                            for x in b) and b[0] < b[1] for b in v)):
            raise ValueError("options.bounds must be a list of [low, high] pairs with low < high, one per criterion")
    elif key == "mode":
        if v not in ("ratings", "relative"):
            raise ValueError("options.mode must be 'ratings' or 'relative'")
    elif key == "synthesis":
        if v not in ("distributive", "ideal"):
            raise ValueError("options.synthesis must be 'distributive' or 'ideal'")
    elif key == "level_priorities":
        if not isinstance(v, dict):
            raise ValueError("options.level_priorities must be a mapping criterion -> list of level priorities")
        for k, x in v.items():
            _numbers(x, f"level_priorities.{k}", positive=True)
    elif key == "comparisons":
        if not isinstance(v, dict):
            raise ValueError("options.comparisons must be a mapping criterion -> judgments")
    elif isinstance(v, str) or v is None:
        return
    elif key.startswith("promethee_") and not isinstance(v, (list, int, float)):
        raise ValueError(f"options.{key} has the wrong type ({type(v).__name__})")


class Settings(_Strict):
    """How the decision is computed. ``options`` are method options passed through to ``rank``.

    ``method`` and ``normalization`` must be ones this tool knows, and every option a known one of
    the right type, so that a bad setting is a located error when the workspace is opened.
    """

    method: StrictStr = "topsis"
    normalization: StrictStr = "vector"
    exclude: list[StrictStr] = Field(default_factory=list)
    missing: Literal["error", "worst"] = "error"
    thresholds: Thresholds | None = None
    smaa: Smaa | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    plan: PlanSettings | None = None

    @model_serializer(mode="wrap")
    def _without_absent_plan(self, handler: Any) -> dict[str, Any]:
        """No ``plan`` key when there is no plan: older workspaces dump (and hash) exactly as before."""
        out = handler(self)
        if out.get("plan", 0) is None:
            out.pop("plan")
        return out

    @field_validator("method")
    @classmethod
    def _known_method(cls, v: str) -> str:
        names = _method_names()
        if v.lower().replace("-", "_") not in names:
            raise ValueError(f"unknown method {v!r}; expected one of {', '.join(names)}")
        return v

    @field_validator("normalization")
    @classmethod
    def _known_normalization(cls, v: str) -> str:
        from ..core.methods import NORMALIZATIONS

        if v not in NORMALIZATIONS:
            raise ValueError(f"unknown normalization {v!r}; expected one of {', '.join(NORMALIZATIONS)}")
        return v

    @field_validator("options")
    @classmethod
    def _known_options(cls, v: dict[str, Any]) -> dict[str, Any]:
        names = _option_names()
        for key, value in v.items():
            if key not in names:
                raise ValueError(f"unknown option {key!r}; expected some of {', '.join(names)}")
            _check_option(key, value)
        return v

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
        dup = sorted(i for i, k in Counter(r.id for r in v).items() if k > 1)  # O(N): long pipelines
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
    out = copy_json(data)
    while out["schema_version"] < SCHEMA_VERSION:
        out = _UPGRADES[out["schema_version"]](out, source)
    return out
