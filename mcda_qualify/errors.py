"""Project exceptions: every problem with user input is an :class:`InputError`.

The message names where the problem is (file, row, column), what was found (value) and what was
expected, so that a person can fix the input without reading a traceback.
"""
from __future__ import annotations

import re
from typing import Any

__all__ = ["InputError", "CriteriaError", "PortfolioError", "WeightsError", "JudgmentError", "safe_text"]

#: what a terminal would act on: C0 controls, DEL, C1 controls (all of Unicode category Cc), and the
#: invisible characters that reorder text (bidi embeddings, overrides, isolates, marks)
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(value: Any, keep: str = "") -> str:
    """``str(value)`` safe to print on a terminal: control characters (C0, DEL, C1; escape sequences,
    carriage returns, newlines) and bidi overrides shown escaped as ``\\x1b`` / ``\\u202e``.

    Characters in ``keep`` (e.g. ``"\\n"`` for text the program itself split into lines) stay as they are.
    """
    s = str(value)
    return _UNSAFE.sub(lambda m: m.group() if m.group() in keep else _escape(m.group()), s)


class InputError(ValueError):
    """Bad user input. ``str(err)`` is one readable line; the parts are kept as attributes."""

    #: control characters kept as they are in ``problem`` (none: it may quote user data; a list of
    #: problems built from already escaped messages keeps its line breaks)
    _keep = ""

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
        return safe_text(", ".join(parts))  # names from user files never reach a terminal raw

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
        problem = safe_text(self.problem, keep=self._keep)  # did-you-mean hints and labels quote user data
        text = f"{self.where}: {problem}" if self.where else problem
        if self.has_value:
            text += f" (got {safe_text(repr(self.value))})"
        if self.expected:
            text += f"; expected {safe_text(self.expected)}"
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
