"""Labelled AHP judgments: dicts, triples and YAML files -> validated matrices -> labelled results.

Every check of user input lives here and raises :class:`~mcda_qualify.errors.JudgmentError`
naming the file, the judgment (its position and pair of labels), the value and what was expected.
The numbers come from :mod:`mcda_qualify.ahp`.

Accepted forms (YAML files are read with the strict loader of ``io/yaml_loader.py``; docs/ahp.md has the full reference)
-----------------------------------------------------------------------------------------------
Flat form -- ``[a, b, v]`` means "a is v times as important as b"; v is a number or a fraction
written as text (``"1/3"``, parsed with :class:`fractions.Fraction`, never ``eval``)::

    labels: [risk, effort, size]        # optional when the pairs name them all
    judgments:
      - [risk, effort, 3]
      - [effort, size, "1/2"]

Matrix form -- ``labels`` required, ``null`` for a missing judgment, only one of a_ij / a_ji
needed::

    labels: [risk, effort]
    matrix: [[1, 3], ["1/3", 1]]

Group of judges -- each judge has a ``name``, an optional positive ``weight`` (default 1) and
``judgments`` (or ``matrix``) over the node's labels::

    labels: [risk, effort, size]
    judges:
      - {name: alice, weight: 2, judgments: [[risk, effort, 3], [effort, size, 2]]}
      - {name: bob, judgments: [[risk, effort, 5], [risk, size, 4]]}

Hierarchy -- ``children`` maps a label of the node to a sub-node of the same form (flat, matrix
or judges, and possibly its own ``children``); labels without children are leaves (criteria)::

    labels: [commercial, delivery]
    judgments: [[commercial, delivery, 2]]
    children:
      commercial: {labels: [size, strategic], judgments: [[size, strategic, 1]]}
      delivery:
        judgments: [[risk, effort, 3]]

Optional keys: ``scale`` (``saaty`` or ``continuous``), ``name``, ``description``, ``notes``.

Validation rules
----------------
* values must be positive finite numbers or fractions; on ``scale="saaty"`` (the default) they must
  be within 1e-9 of 1..9 or 1/2..1/9 (and are then snapped to it); ``scale="continuous"`` allows any
  positive ratio;
* labels must be text, listed once, and (when ``labels=`` gives the criteria ids) be criteria ids;
  in a hierarchy only the leaves are checked against them;
* no self-comparison; a pair given twice (also as b, a) must agree (within 1e-9 relative);
* a full matrix must have 1 on the diagonal and be reciprocal within a relative 1e-6;
* the comparison graph of each node and of each judge must be connected.
* When ``labels=`` is given and a flat node lists no ``labels`` of its own, the node covers every
  criterion id, so a criterion compared with nothing is reported.
"""
from __future__ import annotations

import difflib
import math
import numbers
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal, Union

import numpy as np
import yaml

from mcda_qualify.core import ahp


from mcda_qualify.errors import JudgmentError

__all__ = [
    "SCALE_TOLERANCE", "DUPLICATE_RTOL", "Judgments", "Judge", "GroupJudgments", "Hierarchy",
    "parse_judgments", "parse_document", "load_judgments", "read_document", "weights_from_judgments", "ahp_summary",
]

#: most labels of one comparison matrix (n labels make n^2 cells; Saaty advises about 7 +- 2)
MAX_LABELS = 100
#: A value within this absolute distance of a Saaty scale value counts as that value.
SCALE_TOLERANCE = 1e-9
#: Two statements of one pair agree when their values differ by at most this relative amount.
DUPLICATE_RTOL = 1e-9

_NODE_KEYS = ("labels", "judgments", "matrix", "judges", "children", "scale", "name", "description", "notes")
_JUDGE_KEYS = ("name", "weight", "judgments", "matrix", "notes")
_SCALES = ("saaty", "continuous")


# --------------------------------------------------------------------------- labelled objects
@dataclass(frozen=True)
class Judgments:
    """One judge's judgments on one node: labels and matrix (NaN = missing, diagonal 1)."""

    labels: tuple[str, ...]
    matrix: np.ndarray
    source: str | None = None

    @property
    def n(self) -> int:
        return len(self.labels)

    @property
    def is_complete(self) -> bool:
        return not bool(np.isnan(self.matrix).any())

    def value(self, a: str, b: str) -> float:
        """a_ab (NaN when missing)."""
        return float(self.matrix[self.labels.index(a), self.labels.index(b)])


@dataclass(frozen=True)
class Judge:
    """A named judge with a weight (not normalised) and judgments."""

    name: str
    weight: float
    judgments: Judgments


@dataclass(frozen=True)
class GroupJudgments:
    """Several judges' judgments on one node (same labels)."""

    labels: tuple[str, ...]
    judges: tuple[Judge, ...]
    source: str | None = None

    @property
    def matrices(self) -> np.ndarray:
        return np.stack([j.judgments.matrix for j in self.judges])

    @property
    def judge_weights(self) -> np.ndarray:
        w = np.array([j.weight for j in self.judges], dtype=float)
        return w / w.sum()


@dataclass(frozen=True)
class Hierarchy:
    """A node (``root``) whose labels may have sub-nodes in ``children``."""

    root: Judgments | GroupJudgments
    children: dict[str, "Node"] = field(default_factory=dict)
    source: str | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return self.root.labels

    @property
    def leaves(self) -> tuple[str, ...]:
        out: list[str] = []
        for label in self.root.labels:
            child = self.children.get(label)
            if child is None:
                out.append(label)
            elif isinstance(child, Hierarchy):
                out.extend(child.leaves)
            else:
                out.extend(child.labels)
        return tuple(out)


Node = Union[Judgments, GroupJudgments, Hierarchy]


# --------------------------------------------------------------------------- message helpers
@dataclass(frozen=True)
class _Ctx:
    file: str | None
    where: str = ""

    def at(self, where: str) -> "_Ctx":
        return _Ctx(self.file, f"{self.where}, {where}" if self.where else where)

    def error(self, problem: str, **kw: Any) -> JudgmentError:
        text = f"{self.where}: {problem}" if self.where else problem
        return JudgmentError(text, file=self.file, **kw)


def _fmt(v: float) -> str:
    """3 -> '3', 0.333.. -> '1/3', 2.5 -> '2.5'."""
    if not math.isfinite(v) or v <= 0:
        return repr(v)
    if abs(v - round(v)) < 1e-9:
        return str(int(round(v)))
    inv = 1.0 / v
    if abs(inv - round(inv)) < 1e-9:
        return f"1/{int(round(inv))}"
    return f"{v:.6g}"


def _label_list(labels: Sequence[str]) -> str:
    return ", ".join(labels)


def _did_you_mean(label: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(label, list(options), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


_SCALE_TEXT = ('a value on Saaty\'s 1-9 scale: 1..9 or 1/2..1/9 (within 1e-9; write reciprocals as '
               'fractions such as "1/3"), or scale="continuous" for any positive ratio')
_VALUE_TEXT = 'a positive number or a fraction such as 3, 0.5 or "1/3"'


# --------------------------------------------------------------------------- value parsing
def _parse_number(raw: Any, ctx: _Ctx, what: str = "value") -> float:
    """Number or fraction text -> float; refuses bools, text that is no number, non-finite, <= 0."""
    if isinstance(raw, bool) or raw is None:
        raise ctx.error(f"{what} is not a number", value=raw, expected=_VALUE_TEXT, has_value=True)
    if isinstance(raw, numbers.Real):
        v = float(raw)
    elif isinstance(raw, str):
        text = "".join(raw.split())
        try:
            v = float(Fraction(text))
        except (ValueError, ZeroDivisionError):
            raise ctx.error(f"{what} is not a number or fraction", value=raw, expected=_VALUE_TEXT) from None
    else:
        raise ctx.error(f"{what} is not a number", value=raw, expected=_VALUE_TEXT)
    if not math.isfinite(v):
        raise ctx.error(f"{what} is not finite", value=raw, expected=_VALUE_TEXT)
    if v <= 0:
        hint = "; use null for a missing judgment" if v == 0 else ""
        raise ctx.error(f"{what} is not positive", value=raw, expected=_VALUE_TEXT + hint)
    return v


def _on_scale(v: float, raw: Any, scale: str, ctx: _Ctx) -> float:
    if scale == "continuous":
        return v
    k = int(np.argmin(np.abs(ahp.SAATY_SCALE - v)))
    s = float(ahp.SAATY_SCALE[k])
    if abs(s - v) <= SCALE_TOLERANCE:
        return s
    raise ctx.error("value is not on Saaty's 1-9 scale", value=raw, expected=_SCALE_TEXT)


def _check_scale_name(scale: Any, ctx: _Ctx) -> str:
    if scale not in _SCALES:
        raise ctx.error("unknown scale", value=scale, expected="'saaty' or 'continuous'")
    return scale


# --------------------------------------------------------------------------- labels
def _allowed(labels: Sequence[str] | None) -> tuple[str, ...] | None:
    if labels is None:
        return None
    if isinstance(labels, str):
        labels = [labels]
    out = tuple(labels)
    for x in out:
        if not isinstance(x, str):
            raise JudgmentError("allowed labels must be text", value=x, expected="criteria ids as strings")
    return out


def _node_labels(raw: Any, allowed: tuple[str, ...] | None, ctx: _Ctx) -> tuple[str, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, (list, tuple)) or not raw:
        raise ctx.error("'labels' must be a non-empty list", value=raw, expected="a list such as [risk, effort]")
    seen: list[str] = []
    for x in raw:
        _check_label(x, ctx, "label in 'labels'")
        if x in seen:
            raise ctx.error(f"label '{x}' is listed twice in 'labels'", value=list(raw),
                            expected="each label once")
        if allowed is not None and x not in allowed:
            raise ctx.error(f"unknown label '{x}' in 'labels'{_did_you_mean(x, allowed)}", value=x,
                            expected=f"one of the criteria ids: {_label_list(allowed)}")
        seen.append(x)
    return tuple(seen)


def _check_label(x: Any, ctx: _Ctx, what: str) -> None:
    if not isinstance(x, str) or not x.strip():
        raise ctx.error(f"{what} is not a label", value=x, expected="a non-empty text label (quote numbers, e.g. '1')")


# --------------------------------------------------------------------------- building a matrix
def _connected_or_raise(labels: tuple[str, ...], present: np.ndarray, ctx: _Ctx) -> None:
    groups = ahp._components(present)
    if len(groups) > 1:
        named = [[labels[i] for i in g] for g in groups]
        text = " | ".join("{" + ", ".join(g) + "}" for g in named)
        raise ctx.error(
            f"comparison graph is not connected: {text}",
            expected=("judgments that link every label to every other through a chain; add one between "
                      f"the groups, e.g. [{named[0][0]}, {named[1][0]}, v]"))


def _from_triples(entries: list[tuple[Any, Any, Any, _Ctx]], node_labels: tuple[str, ...] | None,
                  allowed: tuple[str, ...] | None, default_labels: tuple[str, ...] | None,
                  scale: str, ctx: _Ctx, source: str | None) -> Judgments:
    """entries: (a, b, raw value, context naming the entry)."""
    given: dict[tuple[str, str], tuple[float, _Ctx, str]] = {}
    order: list[str] = []
    for a, b, raw, ectx in entries:
        _check_label(a, ectx, "first item")
        _check_label(b, ectx, "second item")
        for x in (a, b):
            if node_labels is not None and x not in node_labels:
                raise ectx.error(f"label '{x}' is not in this node's labels{_did_you_mean(x, node_labels)}",
                                 value=x, expected=f"one of {_label_list(node_labels)}")
            if allowed is not None and x not in allowed:
                raise ectx.error(f"unknown label '{x}'{_did_you_mean(x, allowed)}", value=x,
                                 expected=f"one of the criteria ids: {_label_list(allowed)}")
        if a == b:
            raise ectx.error(f"compares '{a}' with itself", value=raw,
                             expected="two different labels (the diagonal is always 1)")
        v = _on_scale(_parse_number(raw, ectx), raw, scale, ectx)
        key, val = ((b, a), 1.0 / v) if (b, a) in given else ((a, b), v)
        if key in given:
            old, octx, otext = given[key]
            if abs(old - val) > DUPLICATE_RTOL * max(old, val):
                raise ectx.error(
                    f"conflicts with {octx.where} (value {otext}): together they say "
                    f"{key[0]}/{key[1]} = {_fmt(old)} and {_fmt(val)}",
                    value=raw, expected="one value per pair ([b, a, 1/v] states the same as [a, b, v])")
            continue
        given[key] = (val, ectx, _fmt(v))
        for x in (a, b):
            if x not in order:
                order.append(x)
    if node_labels is not None:
        labels = node_labels
    elif default_labels is not None:
        labels = default_labels
    else:
        labels = tuple(order)
    if not labels:
        raise ctx.error("no judgments", expected="at least one [a, b, v] judgment")
    if len(labels) > MAX_LABELS:
        raise ctx.error(f"too many labels in one comparison matrix ({len(labels):,}; at most {MAX_LABELS})",
                        expected="at most 100 items compared with each other (group criteria under 'children:')")
    pos = {x: i for i, x in enumerate(labels)}
    n = len(labels)
    m = np.full((n, n), np.nan)
    np.fill_diagonal(m, 1.0)
    for (a, b), (v, _, _) in given.items():
        m[pos[a], pos[b]] = v
        m[pos[b], pos[a]] = 1.0 / v
    _connected_or_raise(labels, ~np.isnan(m) & ~np.eye(n, dtype=bool), ctx)
    return Judgments(labels=labels, matrix=m, source=source)


def _from_matrix(rows: Any, node_labels: tuple[str, ...] | None, scale: str, ctx: _Ctx,
                 source: str | None) -> Judgments:
    if node_labels is None:
        raise ctx.error("a matrix needs 'labels'", expected="'labels' listing the rows/columns in order")
    n = len(node_labels)
    arr = rows.tolist() if isinstance(rows, np.ndarray) else rows
    if not isinstance(arr, (list, tuple)) or len(arr) != n or any(
            not isinstance(r, (list, tuple)) or len(r) != n for r in arr):
        raise ctx.error("matrix has the wrong shape", value=rows if not isinstance(rows, np.ndarray) else rows.shape,
                        expected=f"{n} rows of {n} values, in the order of labels {_label_list(node_labels)}")
    m = np.full((n, n), np.nan)
    for i, row in enumerate(arr):
        for j, raw in enumerate(row):
            a, b = node_labels[i], node_labels[j]
            ectx = ctx.at(f"matrix entry [{a}, {b}]")
            if raw is None or (isinstance(raw, float) and math.isnan(raw)):
                continue
            v = _parse_number(raw, ectx)
            if i == j:
                if abs(v - 1) > ahp.RECIPROCAL_RTOL:
                    raise ectx.error("diagonal entry is not 1", value=raw, expected="1 on the diagonal")
                continue
            m[i, j] = _on_scale(v, raw, scale, ectx)
    np.fill_diagonal(m, 1.0)
    for i in range(n):
        for j in range(i + 1, n):
            x, y = m[i, j], m[j, i]
            if not np.isnan(x) and not np.isnan(y):
                if abs(x * y - 1) > ahp.RECIPROCAL_RTOL:
                    a, b = node_labels[i], node_labels[j]
                    raise ctx.error(
                        f"matrix is not reciprocal at [{a}, {b}] and [{b}, {a}]", value=(_fmt(x), _fmt(y)),
                        expected=f"[{b}, {a}] = 1/[{a}, {b}] = {_fmt(1 / x)} (relative tolerance "
                                 f"{ahp.RECIPROCAL_RTOL:g})")
            elif not np.isnan(x):
                m[j, i] = 1.0 / x
            elif not np.isnan(y):
                m[i, j] = 1.0 / y
    _connected_or_raise(node_labels, ~np.isnan(m) & ~np.eye(n, dtype=bool), ctx)
    return Judgments(labels=node_labels, matrix=m, source=source)


def _triples(raw: Any, ctx: _Ctx) -> list[tuple[Any, Any, Any, _Ctx]]:
    if not isinstance(raw, (list, tuple)):
        raise ctx.error("'judgments' must be a list of [a, b, v] items", value=raw,
                        expected="a list such as [[risk, effort, 3]]")
    out = []
    for k, item in enumerate(raw, start=1):
        if isinstance(item, (list, tuple)) and len(item) == 3:
            a, b, v = item
            out.append((a, b, v, ctx.at(f"judgment {k} [{a}, {b}]")))
        else:
            raise ctx.at(f"judgment {k}").error("is not an [a, b, v] triple", value=item,
                                                expected="[label, label, value], e.g. [risk, effort, 3]")
    return out


# --------------------------------------------------------------------------- public parsing
def parse_judgments(data: Any, labels: Sequence[str] | None = None, source: str | os.PathLike | None = None,
                    scale: Literal["saaty", "continuous"] = "saaty") -> Judgments:
    """One judge's judgments from a pair dict, a list of [a, b, v] triples, the flat mapping
    (``labels`` / ``judgments`` or ``matrix``) or a square numpy array.

    ``labels`` are the allowed labels (criteria ids); for a numpy array they name its rows and
    columns. ``source`` (a file name) is named in error messages. See the module docstring for the
    forms and the checks.
    """
    src = None if source is None else str(source)
    ctx = _Ctx(src)
    scale = _check_scale_name(scale, ctx)
    allowed = _allowed(labels)
    if isinstance(data, np.ndarray):
        if allowed is None:
            raise ctx.error("a matrix needs labels", expected="labels=[...] naming its rows and columns")
        return _from_matrix(data, allowed, scale, ctx, src)
    if isinstance(data, Mapping):
        if data and all(isinstance(k, tuple) for k in data):
            entries = []
            for k, (pair, v) in enumerate(data.items(), start=1):
                if len(pair) != 2:
                    raise ctx.at(f"key {k}").error("is not a pair of labels", value=pair,
                                                   expected="(label, label)")
                entries.append((pair[0], pair[1], v, ctx.at(f"pair ({pair[0]}, {pair[1]})")))
            return _from_triples(entries, None, allowed, allowed, scale, ctx, src)
        for key in ("judges", "children"):
            if key in data:
                raise ctx.error(f"'{key}' is not part of the flat form",
                                expected="parse_document() or load_judgments() for groups and hierarchies")
        node = _parse_node(data, allowed, ctx, scale, src, default_all=True)
        assert isinstance(node, Judgments)
        return node
    if isinstance(data, (list, tuple)):
        return _from_triples(_triples(data, ctx), None, allowed, allowed, scale, ctx, src)
    raise ctx.error(f"judgments of type {type(data).__name__} are not understood", value=data,
                    expected="a mapping with 'judgments', a list of [a, b, v] triples or a {(a, b): v} dict")


def _check_keys(data: Mapping, allowed_keys: Sequence[str], ctx: _Ctx) -> None:
    for key in data:
        if key not in allowed_keys:
            raise ctx.error(f"unknown key '{key}'{_did_you_mean(str(key), allowed_keys)}", value=key,
                            expected="keys among " + ", ".join(allowed_keys))


def _flat(data: Mapping, node_labels: tuple[str, ...] | None, allowed: tuple[str, ...] | None,
          default_labels: tuple[str, ...] | None, scale: str, ctx: _Ctx, src: str | None) -> Judgments:
    has_j, has_m = "judgments" in data, "matrix" in data
    if has_j and has_m:
        raise ctx.error("gives both 'judgments' and 'matrix'", expected="one of them")
    if has_m:
        return _from_matrix(data["matrix"], node_labels or default_labels, scale, ctx, src)
    if has_j:
        return _from_triples(_triples(data["judgments"], ctx), node_labels, allowed, default_labels,
                             scale, ctx, src)
    if node_labels is not None and len(node_labels) == 1:
        return Judgments(labels=node_labels, matrix=np.ones((1, 1)), source=src)
    raise ctx.error("has no judgments", expected="'judgments' (a list of [a, b, v]), 'matrix' or 'judges'")


def _group(data: Mapping, node_labels: tuple[str, ...] | None, allowed: tuple[str, ...] | None,
           default_labels: tuple[str, ...] | None, scale: str, ctx: _Ctx, src: str | None) -> GroupJudgments:
    raw = data["judges"]
    if "judgments" in data or "matrix" in data:
        raise ctx.error("gives both 'judges' and the node's own judgments", expected="one of them")
    if not isinstance(raw, (list, tuple)) or not raw:
        raise ctx.error("'judges' must be a non-empty list", value=raw,
                        expected="a list of {name, weight (optional), judgments}")
    specs = []
    for k, item in enumerate(raw, start=1):
        jctx = ctx.at(f"judge {k}")
        if not isinstance(item, Mapping):
            raise jctx.error("is not a mapping", value=item, expected="{name: ..., judgments: [...]}")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise jctx.error("has no name", value=name, expected="name: text")
        jctx = ctx.at(f"judge '{name}'")
        _check_keys(item, _JUDGE_KEYS, jctx)
        if any(s[0] == name for s in specs):
            raise jctx.error("is listed twice", value=name, expected="each judge once")
        weight = _parse_number(item["weight"], jctx, "weight") if "weight" in item else 1.0
        specs.append((name, weight, item, jctx))
    labels = node_labels or default_labels
    if labels is None:  # union of the judges' labels, in order of appearance
        seen: list[str] = []
        for _, _, item, jctx in specs:
            if "judgments" in item:
                for a, b, _, _ in _triples(item["judgments"], jctx):
                    for x in (a, b):
                        if isinstance(x, str) and x not in seen:
                            seen.append(x)
        labels = tuple(seen) if seen else None
    judges = []
    for name, weight, item, jctx in specs:
        j = _flat(item, labels, allowed, labels, scale, jctx, src)
        judges.append(Judge(name=name, weight=weight, judgments=j))
    return GroupJudgments(labels=judges[0].judgments.labels, judges=tuple(judges), source=src)


def _parse_node(data: Any, allowed: tuple[str, ...] | None, ctx: _Ctx, scale: str, src: str | None,
                default_all: bool) -> Node:
    if not isinstance(data, Mapping):
        raise ctx.error(f"is a {type(data).__name__}, not a mapping", value=data,
                        expected="a mapping with 'judgments' (or 'matrix' or 'judges') and optional 'labels'")
    _check_keys(data, _NODE_KEYS, ctx)
    if "scale" in data:
        scale = _check_scale_name(data["scale"], ctx)
    children_raw = data.get("children")
    internal = children_raw is not None
    # internal nodes' labels are group names, not criteria ids: only leaves are checked against them
    node_allowed = None if internal else allowed
    node_labels = _node_labels(data.get("labels"), node_allowed, ctx)
    default = allowed if (default_all and not internal) else None
    if "judges" in data:
        root: Judgments | GroupJudgments = _group(data, node_labels, node_allowed, default, scale, ctx, src)
    else:
        root = _flat(data, node_labels, node_allowed, default, scale, ctx, src)
    if not internal:
        return root
    if not isinstance(children_raw, Mapping) or not children_raw:
        raise ctx.error("'children' must be a non-empty mapping", value=children_raw,
                        expected="{parent label: {labels: [...], judgments: [...]}}")
    children: dict[str, Node] = {}
    for key, sub in children_raw.items():
        if key not in root.labels:
            raise ctx.error(f"children: '{key}' is not a label of its parent node"
                            f"{_did_you_mean(str(key), root.labels)}",
                            value=key, expected=f"one of {_label_list(root.labels)}")
        children[key] = _parse_node(sub, allowed, ctx.at(f"node '{key}'"), scale, src, default_all=False)
    return Hierarchy(root=root, children=children, source=src)


def _check_tree(node: Node, allowed: tuple[str, ...] | None, ctx: _Ctx) -> None:
    seen: dict[str, str] = {}

    def visit(n: Node, where: str) -> None:
        labels = n.labels
        for x in labels:
            if x in seen:
                raise ctx.error(f"label '{x}' appears in two nodes ({seen[x]} and {where})", value=x,
                                expected="each label in one node only")
            seen[x] = where
        if isinstance(n, Hierarchy):
            for k, c in n.children.items():
                visit(c, f"node '{k}'")

    visit(node, "the top node")
    if allowed is not None:
        for leaf in node.leaves:
            if leaf not in allowed:
                raise ctx.error(f"unknown leaf label '{leaf}'{_did_you_mean(leaf, allowed)}", value=leaf,
                                expected=f"leaves among the criteria ids: {_label_list(allowed)}")


def parse_document(data: Any, labels: Sequence[str] | None = None, source: str | os.PathLike | None = None,
                   scale: Literal["saaty", "continuous"] | None = None) -> Node:
    """A parsed judgments document (flat, matrix, ``judges`` or ``children`` form) -> a labelled node.

    ``scale=None`` takes the document's ``scale`` key, else ``"saaty"``.
    """
    src = None if source is None else str(source)
    ctx = _Ctx(src)
    allowed = _allowed(labels)
    if data is None:
        raise ctx.error("is empty", expected="a mapping with 'labels' and 'judgments'")
    if isinstance(data, (list, tuple)) or (isinstance(data, Mapping) and data and all(
            isinstance(k, tuple) for k in data)):
        return parse_judgments(data, labels=labels, source=src, scale=scale or "saaty")
    if not isinstance(data, Mapping):
        raise ctx.error(f"top level is a {type(data).__name__}", value=data,
                        expected="a mapping with 'judgments' (or 'matrix' or 'judges'), optional 'labels' "
                                 "and 'children'")
    if scale is None:
        scale = data.get("scale", "saaty")
    scale = _check_scale_name(scale, ctx)
    node = _parse_node(data, allowed, ctx, scale, src, default_all=True)
    if isinstance(node, Hierarchy):
        _check_tree(node, allowed, ctx)
    return node


def read_document(path: str | os.PathLike) -> Any:
    """The parsed YAML of a judgments file (not yet interpreted): a checked regular file, loaded by
    :func:`mcda_qualify.io.yaml_loader.load_yaml` (no duplicate keys, no alias bombs, finite numbers)."""
    from mcda_qualify.io.files import max_bytes, read_text_checked
    from mcda_qualify.io.yaml_loader import YAML_MAX_BYTES, load_yaml

    src = str(path)
    text = read_text_checked(path, "a readable UTF-8 YAML judgments file", min(YAML_MAX_BYTES, max_bytes()),
                             error=JudgmentError)
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise JudgmentError(f"malformed YAML{where}: {problem}", file=src,
                            expected="valid YAML (see docs/ahp.md for the judgments forms)") from None
    if data is None:
        raise JudgmentError("file is empty", file=src, expected="a mapping with 'labels' and 'judgments'")
    return data


def load_judgments(path: str | os.PathLike, labels: Sequence[str] | None = None,
                   scale: Literal["saaty", "continuous"] | None = None) -> Node:
    """Read a YAML judgments file (:func:`read_document`) in any form of the module docstring."""
    return parse_document(read_document(path), labels=labels, source=str(path), scale=scale)
