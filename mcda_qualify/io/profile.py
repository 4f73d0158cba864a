"""Import profiles: how a CRM export's columns, values and numbers map onto an opportunity table.

A profile (YAML, the contract in the README's formats section)::

    columns: {Opportunity ID: id, Opportunity Name: name, Amount: deal_size, Stage: null}
    values:  {risk: {Low: low, Med: medium, High: high}}
    numbers: {decimal: ",", thousands: "."}
    units:   {deal_size: 0.001, win_probability: percent}
    sheet: Pipeline
    header_row: 3

:func:`load_profile` reads and validates one. Applying it to an export is
:func:`mcda_qualify.io.recode.apply_profile`; pre-filling one from an export is
:func:`mcda_qualify.io.suggest.suggest_profile` (both also importable from here).
"""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from ..errors import InputError
from .numbers import NumberLocale, locale_of
from .problems import ImportProblems, ProfileError

__all__ = [
    "ImportProblems",
    "ImportProfile",
    "NumberFormat",
    "ProfileError",
    "load_profile",
    "profile_from_dict",
]


# ---------------------------------------------------------------------------------------------
# the profile model
# ---------------------------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _string_keys(v: Any, what: str) -> Any:
    if not isinstance(v, dict):
        return v
    out = {}
    for k, x in v.items():
        if isinstance(k, bool) or isinstance(x, bool):
            word = k if isinstance(k, bool) else x
            raise ValueError(  # noqa: TRY004 - pydantic reports ValueError only
                f"YAML reads an unquoted yes/no/on/off as {str(word).lower()} in {what}; "
                             "put the word in quotes, e.g. 'Yes': high")
        if k is None:
            raise ValueError(f"an empty key in {what}")
        out[str(k)] = x
    return out


class NumberFormat(_Model):
    """How the export writes numbers: decimal '.' or ','; thousands ',', '.', ' ', \"'\" or '' (none)."""

    decimal: Literal[".", ","] = "."
    thousands: Literal[",", ".", " ", "'", ""] | None = None

    @model_validator(mode="after")
    def _complete(self) -> NumberFormat:
        if self.thousands is None:
            object.__setattr__(self, "thousands", "," if self.decimal == "." else ".")
        if self.thousands == self.decimal:
            raise ValueError(f"decimal and thousands separators must differ (both {self.decimal!r})")
        return self

    @property
    def locale(self) -> NumberLocale:
        return locale_of(self.decimal, self.thousands)  # type: ignore[return-value]


class ImportProfile(_Model):
    """What a profile file holds; every key is optional (an empty profile reads a clean table)."""

    columns: dict[str, str | None] = Field(default_factory=dict)
    values: dict[str, dict[str, str | int | float]] = Field(default_factory=dict)
    numbers: NumberFormat | None = None
    units: dict[str, Literal["percent"] | float] = Field(default_factory=dict)
    sheet: str | int | None = None
    header_row: int | None = Field(None, ge=1)

    @field_validator("columns", "units", mode="before")
    @classmethod
    def _keys(cls, v: Any, info: Any) -> Any:
        return _string_keys(v, info.field_name)

    @field_validator("values", mode="before")
    @classmethod
    def _value_keys(cls, v: Any) -> Any:
        v = _string_keys(v, "values")
        if isinstance(v, dict):
            v = {k: _string_keys(x, f"values.{k}") for k, x in v.items()}
        return v

    @field_validator("units")
    @classmethod
    def _positive(cls, v: dict[str, Any]) -> dict[str, Any]:
        bad = {k: x for k, x in v.items() if x != "percent" and not (isinstance(x, float) and 0 < x < float("inf"))}
        if bad:
            raise ValueError(f"a unit is 'percent' or a factor > 0, got {bad}")
        return v

    @field_validator("columns")
    @classmethod
    def _targets(cls, v: dict[str, str | None]) -> dict[str, str | None]:
        empty = [k for k, t in v.items() if t is not None and not t.strip()]
        if empty:
            raise ValueError(f"column {empty[0]!r} maps to an empty name (use null to drop a column)")
        return v


_FIELDS = {(): list(ImportProfile.model_fields), ("numbers",): list(NumberFormat.model_fields)}


def profile_from_dict(data: Any, source: str | None = None) -> ImportProfile:
    """Validate a parsed profile; every problem is reported (with did-you-mean for unknown keys)."""
    where = source or "import profile"
    if data is None:
        return ImportProfile()
    if not isinstance(data, dict):
        raise ProfileError("an import profile must be a mapping (columns, values, numbers, units, sheet, header_row)",
                           file=where, value=type(data).__name__, has_value=True)
    try:
        return ImportProfile.model_validate(data)
    except ValidationError as exc:
        problems: list[InputError] = []
        seen: set[str] = set()
        for err in exc.errors():
            loc = tuple(str(p) for p in err["loc"])
            if loc[:1] == ("values",) and len(loc) == 4 and loc[-1] in ("str", "int", "float"):
                key = ".".join(loc[:-1])  # one problem per value, not one per type it could have had
                if key not in seen:
                    seen.add(key)
                    empty = err.get("input") is None
                    problems.append(ProfileError(
                        "no scale label given for this value" if empty else "not a scale label or level",
                        file=where, key=key, value=None if empty else err.get("input"), has_value=not empty,
                        expected=f"the label (or level) of the scale of '{loc[1]}' that '{loc[2]}' stands for"))
                continue
            key = ".".join(loc)
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                known = _FIELDS.get(loc[:-1], [])
                near = difflib.get_close_matches(loc[-1], known, n=1, cutoff=0.5)
                msg = "unknown key" + (f" (did you mean '{near[0]}'?)" if near else "")
                problems.append(ProfileError(msg, file=where, key=key, expected=f"one of {', '.join(known)}"))
            else:
                problems.append(ProfileError(msg, file=where, key=key))
        if len(problems) == 1:
            raise problems[0] from None
        raise ImportProblems(problems, file=where) from None


def load_profile(path: str | Path) -> ImportProfile:
    """Read an import profile (YAML, through the project's one strict loader: regular file below the
    size cap, no duplicate keys, no alias expansion past the node budget; see docs/bad_input.md)."""
    from .yaml_loader import read_yaml

    data = read_yaml(path, "a YAML file with columns, values, numbers, units", error=ProfileError,
                     noun="import profile")
    return profile_from_dict(data, source=str(path))


def __getattr__(name: str) -> Any:
    """``apply_profile`` and ``suggest_profile`` live in their own modules; imported lazily (no cycle)."""
    if name == "apply_profile":
        from .recode import apply_profile
        return apply_profile
    if name == "suggest_profile":
        from .suggest import suggest_profile
        return suggest_profile
    raise AttributeError(name)
