"""Problems found in user input, collected rather than raised one at a time.

:class:`ImportProblems` carries every problem of one import (capped, with a final 'N more' note);
the helpers give did-you-mean hints by name similarity (difflib).
"""
from __future__ import annotations

import difflib
from typing import Any

from ..errors import InputError, PortfolioError

__all__ = ["MAX_PROBLEMS", "ImportProblems", "ProfileError", "cap_problems", "raise_problems"]

MAX_PROBLEMS = 50


class ProfileError(InputError):
    """An import profile is invalid or does not fit the export it is applied to."""


class ImportProblems(PortfolioError):
    """Several problems at once; ``problems`` is the list (capped, with a final 'N more' note)."""

    _keep = "\n"  # one line per problem; each line is an escaped message

    def __init__(self, problems: list[InputError], file: str | None = None) -> None:
        self.problems = list(problems)
        n = sum(1 for p in self.problems if not getattr(p, "is_note", False))
        lines = "\n".join(f"  - {p.message}" for p in self.problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''}:\n{lines}", file=file)


def _norm(text: Any) -> str:
    """Case- and space-insensitive key: 'Very  High ' -> 'very high'."""
    return " ".join(str(text).split()).casefold()


class _Problems:
    def __init__(self, where: str, cap: int) -> None:
        self.where, self.cap = where, cap
        self.head: list[InputError] = []
        self.cells: list[tuple[int, int, InputError]] = []

    def add(self, problem: str, cls: type[InputError] = PortfolioError, **kw: Any) -> None:
        self.head.append(cls(problem, file=self.where, **kw))

    def cell(self, order: tuple[int, int], problem: str, **kw: Any) -> None:
        self.cells.append((*order, PortfolioError(problem, file=self.where, **kw)))

    def result(self) -> list[InputError]:
        allp = self.head + [e for _, _, e in sorted(self.cells, key=lambda t: (t[0], t[1]))]
        if len(allp) <= self.cap:
            return allp
        note = PortfolioError(f"{len(allp) - self.cap} more problems not shown (fix these and run again)", file=self.where)
        note.is_note = True  # type: ignore[attr-defined]
        return allp[: self.cap] + [note]


def _near(word: str, options: list[str], cutoff: float = 0.6) -> str | None:
    by_norm = {_norm(o): o for o in options}
    hit = difflib.get_close_matches(_norm(word), list(by_norm), n=1, cutoff=cutoff)
    return by_norm[hit[0]] if hit else None


def _dym(word: str, options: list[str], cutoff: float = 0.6) -> str:
    near = _near(word, options, cutoff)
    return f" (did you mean '{near}'?)" if near else ""


def cap_problems(problems: list[InputError], where: str | None = None, cap: int = MAX_PROBLEMS) -> list[InputError]:
    """At most ``cap`` problems, then one 'N more problems not shown' note (``is_note`` set on it)."""
    real = [p for p in problems if not getattr(p, "is_note", False)]
    if len(real) <= cap:
        return list(problems)
    note = PortfolioError(f"{len(real) - cap} more problems not shown (fix these and run again)", file=where)
    note.is_note = True  # type: ignore[attr-defined]
    return real[:cap] + [note]


def raise_problems(problems: list[InputError], file: str | None = None, cap: int = MAX_PROBLEMS) -> None:
    """Raise what was collected, if anything: one problem as itself, several as :class:`ImportProblems`.

    Either way the exception has ``.problems`` (the list; ``[err]`` for a single one), so that a
    caller can always show every problem, e.g. one ``error:`` line each.
    """
    if not problems:
        return
    problems = cap_problems(problems, file, cap)
    if len(problems) == 1:
        err = problems[0]
        err.problems = [err]  # type: ignore[attr-defined]
        raise err
    raise ImportProblems(problems, file=file)
