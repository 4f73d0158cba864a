"""Criteria definitions (``criteria/*.yaml``) loaded into a validated :class:`CriteriaSet`.

File format (the contract in docs/formats.md): ``name``, a list of ``criteria`` each with ``id``,
``name``, ``direction`` (cost | benefit), ``description``, and optionally an anchored ``scale``
(level -> label, or level -> {label, description}), a ``unit`` and ``bounds`` for numeric criteria,
and a knock-out ``gate`` (``min`` / ``max`` / ``allowed``), and a ``promethee`` block (preference
function and thresholds for PROMETHEE II); optional direct ``weights`` (normalised on load) and
``qualification`` thresholds for the score bands.
"""
from __future__ import annotations

import difflib
import math
import re
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from .core.promethee import PREFERENCE_FUNCTIONS, _ALIASES as _PROMETHEE_ALIASES
from .errors import CriteriaError

__all__ = ["Level", "Gate", "Promethee", "Criterion", "Qualification", "CriteriaSet", "load_criteria", "criteria_from_dict",
           "default_criteria_path"]

_ID = re.compile(r"^[a-z0-9_]+$")

#: column names with a meaning of their own in opportunity tables and results: never a criterion id
#: (``value``, ``win_probability`` and ``pursuit_cost`` are portfolio.EV_COLUMNS; ``outcome`` and
#: ``decided`` are read by learn; the others are columns of a ranking or a qualification)
RESERVED_IDS = frozenset({
    "id", "name", "value", "win_probability", "pursuit_cost", "outcome", "decided",
    "score", "rank", "status", "reasons", "gates_passed", "expected_value", "break_even_probability",
})


class _Model(BaseModel):
    # allow_inf_nan=False: '.nan' or '.inf' given where a number is expected is refused with its key
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _as_number(label: str) -> float | None:
    try:
        return float(label.strip().replace(",", "."))
    except ValueError:
        return None


class Level(_Model):
    """One anchored level of a scale: a short label matched in tables, and what it means."""

    label: str
    description: str = ""


class Gate(_Model):
    """A knock-out condition: the value must be >= min, <= max, and/or one of ``allowed``."""

    min: float | None = None
    max: float | None = None
    allowed: list[float | str] | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> "Gate":
        if self.min is None and self.max is None and not self.allowed:
            raise ValueError("a gate needs at least one of min, max, allowed")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"gate min {self.min} is above max {self.max}")
        return self


_THRESHOLD_NAMES = {"q": "indifference threshold q", "p": "preference threshold p", "s": "Gaussian parameter s"}


class Promethee(_Model):
    """PROMETHEE II preference function of one criterion and the thresholds it needs, in the
    criterion's own units (Brans & Vincke 1985): usual (none), u-shape (q), v-shape (p), level (q, p),
    linear (q, p), gaussian (s). A criterion without this block uses ``usual``."""

    function: str = "usual"
    q: float | None = None
    p: float | None = None
    s: float | None = None

    @field_validator("function", mode="before")
    @classmethod
    def _known(cls, v: Any) -> str:
        if not isinstance(v, str):
            raise ValueError(f"function must be a name, one of {', '.join(PREFERENCE_FUNCTIONS)}; got {v!r}")
        key = v.strip().lower().replace("_", "-")
        key = _PROMETHEE_ALIASES.get(key, _PROMETHEE_ALIASES.get(key.replace("-", ""), key))
        if key not in PREFERENCE_FUNCTIONS:
            close = difflib.get_close_matches(key, [*PREFERENCE_FUNCTIONS, *_PROMETHEE_ALIASES], n=1, cutoff=0.6)
            hint = f" (did you mean {_PROMETHEE_ALIASES.get(close[0], close[0])!r}?)" if close else ""
            raise ValueError(f"unknown preference function {v!r}{hint}; expected one of {', '.join(PREFERENCE_FUNCTIONS)}")
        return key

    @model_validator(mode="after")
    def _thresholds(self) -> "Promethee":
        needs = PREFERENCE_FUNCTIONS[self.function]
        for k, label in _THRESHOLD_NAMES.items():
            v = getattr(self, k)
            if v is not None and not math.isfinite(v):
                raise ValueError(f"{label} must be a finite number; got {v}")
            if v is None and k in needs:
                raise ValueError(f"function {self.function!r} needs the {label} "
                                 f"(give {', '.join(needs)}, in the criterion's units)")
            if v is not None and k not in needs:
                users = [f for f, n in PREFERENCE_FUNCTIONS.items() if k in n]
                raise ValueError(f"function {self.function!r} does not use {k}; remove it or choose a function "
                                 f"that does ({', '.join(users)})")
        if self.q is not None and self.q < 0:
            raise ValueError(f"indifference threshold q must be >= 0; got {self.q}")
        for k in ("p", "s"):
            v = getattr(self, k)
            if v is not None and v <= 0:
                raise ValueError(f"{_THRESHOLD_NAMES[k]} must be > 0; got {v}")
        if self.q is not None and self.p is not None and not self.q < self.p:
            raise ValueError(f"q ({self.q}) must be below p ({self.p}): no preference up to q, full preference from p")
        return self

    def describe(self) -> str:
        """E.g. ``linear (q=1, p=3)``."""
        th = ", ".join(f"{k}={getattr(self, k):g}" for k in PREFERENCE_FUNCTIONS[self.function])
        return f"{self.function} ({th})" if th else self.function


class Criterion(_Model):
    id: str
    name: str
    direction: Literal["cost", "benefit"]
    description: str = ""
    unit: str | None = None
    scale: dict[int, Level] | None = None
    bounds: tuple[float, float] | None = None
    gate: Gate | None = None
    promethee: Promethee | None = None

    @field_validator("id")
    @classmethod
    def _id_form(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError(f"id {v!r} must match [a-z0-9_]+ (it is the column name in opportunity tables)")
        if v in RESERVED_IDS:
            raise ValueError(f"id {v!r} is reserved (a column with its own meaning in opportunity tables and "
                             f"results: {', '.join(sorted(RESERVED_IDS))}); choose another id")
        return v

    @field_validator("scale", mode="before")
    @classmethod
    def _scale_levels(cls, v: Any) -> Any:
        if v is None:
            return v
        if not isinstance(v, dict) or not v:
            raise ValueError("scale must be a non-empty mapping level -> label")
        out = {}
        for k, item in v.items():
            out[k] = {"label": item} if isinstance(item, str) else item
        return out

    @model_validator(mode="after")
    def _consistent(self) -> "Criterion":
        if self.scale is not None:
            labels = [lv.label.strip().lower() for lv in self.scale.values()]
            if len(set(labels)) != len(labels):
                raise ValueError("scale labels must be distinct")
            for level, lv in self.scale.items():
                x = _as_number(lv.label)
                if x is not None and x != level:
                    raise ValueError(f"scale label {lv.label!r} of level {level} reads as the number {x:g}, so a cell "
                                     f"{lv.label!r} would be ambiguous; use a word, or the level's own number")
            if self.bounds is None:
                object.__setattr__(self, "bounds", (float(min(self.scale)), float(max(self.scale))))
        if self.bounds is not None and not self.bounds[0] < self.bounds[1]:
            raise ValueError(f"bounds {list(self.bounds)} must be [low, high] with low < high")
        if self.gate is not None and self.gate.allowed:
            for a in self.gate.allowed:
                if isinstance(a, str) and self.level_of(a) is None:
                    raise ValueError(f"gate allows {a!r}, which is not a label of the scale")
        return self

    @property
    def sign(self) -> int:
        """+1 for benefit, -1 for cost (pymcdm's ``types``)."""
        return 1 if self.direction == "benefit" else -1

    def level_of(self, label: str) -> int | None:
        """The level whose label matches ``label`` (case and surrounding space ignored)."""
        if self.scale is None:
            return None
        key = label.strip().lower()
        for level, lv in self.scale.items():
            if lv.label.strip().lower() == key:
                return level
        return None

    def describe(self, value: float) -> str:
        """A value as a person reads it: the scale label where there is one, else number and unit."""
        if self.scale is not None and float(value).is_integer() and int(value) in self.scale:
            return self.scale[int(value)].label
        text = f"{value:,g}"
        return f"{text} {self.unit}" if self.unit else text

    @property
    def worst(self) -> float | None:
        """The worst value on this criterion's scale or bounds (None when unbounded)."""
        if self.bounds is None:
            return None
        return self.bounds[0] if self.direction == "benefit" else self.bounds[1]


class Band(_Model):
    """Thresholds on one method's own score (its direction decides which side qualifies)."""

    qualified: float
    conditional: float


class Qualification(_Model):
    """Score bands on a score in [0, 1] where higher is better (TOPSIS closeness, AHP ratings).

    score >= qualified -> Qualified; conditional <= score < qualified -> Conditional; else Not qualified.
    ``methods`` may set bands for a given method on that method's own scale, e.g.
    ``methods: {ahp: {qualified: 0.7, conditional: 0.6}, vikor: {qualified: 0.2, conditional: 0.4}}``.
    """

    qualified: float = Field(0.6, gt=0, le=1)
    conditional: float = Field(0.4, ge=0, lt=1)
    methods: dict[str, Band] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _order(self) -> "Qualification":
        if self.conditional > self.qualified:
            raise ValueError(f"conditional ({self.conditional}) must not exceed qualified ({self.qualified})")
        return self


class CriteriaSet(_Model):
    name: str
    description: str = ""
    criteria: list[Criterion] = Field(min_length=1)
    weights: dict[str, float] | None = None
    qualification: Qualification = Qualification()
    source: str | None = None

    # field validators (not one model validator) so that an error names its key: 'criteria' or 'weights'
    @field_validator("criteria")
    @classmethod
    def _distinct_ids(cls, v: list[Criterion]) -> list[Criterion]:
        ids = [c.id for c in v]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"duplicate criterion id(s): {', '.join(dup)}")
        return v

    @field_validator("weights")
    @classmethod
    def _weights_match(cls, v: dict[str, float] | None, info: ValidationInfo) -> dict[str, float] | None:
        crit = info.data.get("criteria")
        if v is None or crit is None:  # criteria already failed: that error is reported
            return v
        ids = [c.id for c in crit]
        unknown = sorted(set(v) - set(ids))
        if unknown:
            raise ValueError(f"weights name unknown criteria {unknown}; known: {ids}")
        missing = [i for i in ids if i not in v]
        if missing:
            raise ValueError(f"weights miss criteria {missing}; give every criterion a weight > 0")
        bad = {k: x for k, x in v.items() if not (np.isfinite(x) and x > 0)}
        if bad:
            raise ValueError(f"weights must be finite and > 0, got {bad}")
        total = sum(v.values())
        return {k: v[k] / total for k in ids}

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.criteria]

    @property
    def types(self) -> np.ndarray:
        return np.array([c.sign for c in self.criteria], dtype=int)

    def __getitem__(self, cid: str) -> Criterion:
        for c in self.criteria:
            if c.id == cid:
                return c
        raise KeyError(cid)

    def promethee(self, ids: list[str] | None = None) -> dict[str, Promethee]:
        """PROMETHEE II settings of the criteria ``ids`` (default all), ``usual`` where none is given."""
        return {c.id: c.promethee or Promethee() for c in self.criteria if ids is None or c.id in ids}

    def default_weights(self) -> np.ndarray:
        """The file's weights in criteria order, or equal weights when the file gives none."""
        if self.weights is None:
            return np.full(len(self.criteria), 1.0 / len(self.criteria))
        return np.array([self.weights[i] for i in self.ids])


def _loc(err: dict[str, Any], data: Any) -> str:
    """Turn a pydantic error location into a key path a person can find in the YAML."""
    parts: list[str] = []
    node = data
    for p in err["loc"]:
        if isinstance(p, int) and isinstance(node, list):
            item = node[p] if p < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            parts.append(f"[{p}]" + (f" (id {ident})" if ident else ""))
            node = item
        else:
            parts.append(f".{p}" if parts else str(p))
            node = node.get(p) if isinstance(node, dict) else None
    return "".join(parts)


def criteria_from_dict(data: Any, source: str | None = None) -> CriteriaSet:
    """Validate an already-parsed criteria mapping; errors name ``source`` and the key."""
    where = source or "criteria"
    if not isinstance(data, dict):
        raise CriteriaError("the criteria file must be a mapping with 'name' and 'criteria'",
                            file=where, value=type(data).__name__, has_value=True)
    try:
        return CriteriaSet.model_validate({**data, "source": source})
    except ValidationError as exc:
        first = exc.errors()[0]
        key = _loc(first, data)
        msg = first["msg"].removeprefix("Value error, ")
        n = exc.error_count()
        more = f" (and {n - 1} more problem{'s' if n > 2 else ''})" if n > 1 else ""
        raise CriteriaError(f"key '{key}': {msg}{more}", file=where) from None


def load_criteria(path: str | Path) -> CriteriaSet:
    """Read and validate a criteria YAML file (:func:`mcda_qualify.io.yaml_loader.read_yaml`: a regular
    file, no duplicate keys, no alias bombs, finite numbers)."""
    from .io.yaml_loader import read_yaml

    p = Path(path)
    data = read_yaml(p, "a YAML file such as criteria/qualify_selling_opportunity.yaml", error=CriteriaError, noun="criteria file")
    if data is None:
        raise CriteriaError("the file is empty", file=str(p), expected="a mapping with 'name' and 'criteria'")
    return criteria_from_dict(data, source=str(p))


DEFAULT_CRITERIA_NAME = "qualify_selling_opportunity.yaml"


def default_criteria_path() -> Path:
    """The bundled eTOM 1.1.9.1 criteria file: ``criteria/`` of a source checkout, else the copy
    shipped in the package (``mcda_qualify/data/``; a test keeps the two identical)."""
    here = Path(__file__).resolve().parent
    for p in (here.parent / "criteria" / DEFAULT_CRITERIA_NAME, here / "data" / DEFAULT_CRITERIA_NAME):
        if p.is_file():
            return p
    raise CriteriaError("the bundled criteria file is missing from this installation", file=DEFAULT_CRITERIA_NAME,
                        expected="--criteria FILE (a criteria YAML file)")
