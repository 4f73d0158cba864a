"""Project exceptions: every problem with user input is an :class:`InputError`.

The message names where the problem is (file, row, column), what was found (value) and what was
expected, so that a person can fix the input without reading a traceback.
"""
from __future__ import annotations

from typing import Any

__all__ = ["InputError", "CriteriaError", "PortfolioError", "WeightsError", "JudgmentError"]


class InputError(ValueError):
    """Bad user input. ``str(err)`` is one readable line; the parts are kept as attributes."""

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        row: Any = None,
        column: str | None = None,
        value: Any = None,
        expected: str | None = None,
        has_value: bool | None = None,
        key: str | None = None,
    ) -> None:
        self.problem = problem
        self.key = key  # a key path in a structured file (JSON/YAML), shown as "key '...'"
        self.file = None if file is None else str(file)
        self.row = row
        self.column = column
        self.value = value
        self.expected = expected
        # value=None is a legitimate thing to report (an empty cell), so record whether one was given
        self.has_value = (value is not None) if has_value is None else has_value
        super().__init__(self.message)

    @property
    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        if self.key is not None:
            parts.append(self._key_text())
        return ", ".join(parts)

    @property
    def problems(self) -> list["InputError"]:
        """Every problem this error stands for (itself, unless several were collected)."""
        return self.__dict__.get("_problems") or [self]

    @problems.setter
    def problems(self, value: list["InputError"]) -> None:
        self.__dict__["_problems"] = list(value)

    def _key_text(self) -> str:
        return f"key '{self.key}'"

    @property
    def message(self) -> str:
        text = f"{self.where}: {self.problem}" if self.where else self.problem
        if self.has_value:
            text += f" (got {self.value!r})"
        if self.expected:
            text += f"; expected {self.expected}"
        return text

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class CriteriaError(InputError):
    """A criteria file or criteria definition is invalid."""


class PortfolioError(InputError):
    """An opportunity table is invalid."""


class WeightsError(InputError):
    """Weights are missing, non-positive, non-finite or name unknown criteria."""


class JudgmentError(InputError):
    """Pairwise judgments (AHP) are invalid."""
