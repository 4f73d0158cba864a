"""The one YAML loader for user files (criteria, weights, judgments, uploads): safe and bounded.

:class:`StrictLoader` is PyYAML's ``SafeLoader`` (no Python tags, nothing executed) that also refuses

* a key given twice in one mapping (the message names the key and both lines; YAML would keep the last);
* a recursive document (an anchor used inside itself: ``&a [*a]``);
* a document that, with its aliases expanded, has more than :data:`MAX_NODES` nodes (an "alias
  bomb" of nine lists of nine aliases is refused in milliseconds, before anything expands it);
* nesting deeper than :data:`MAX_DEPTH`;
* an integer of more than :data:`MAX_INT_DIGITS` digits.

``.nan`` and ``.inf`` are read as floats: the schemas that expect a number refuse them and name the
key (criteria, weights, judgments), which says more than a line number.

Dates written without quotes stay text (``2025-01-31``), so every document is plain JSON data.
Every problem is a ``yaml.MarkedYAMLError`` with a line, so the callers' messages name it.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import InputError
from .files import max_bytes, read_text_checked

__all__ = ["MAX_NODES", "MAX_DEPTH", "MAX_INT_DIGITS", "YAML_MAX_BYTES", "StrictLoader", "YamlLimitError",
           "load_yaml", "read_yaml"]

#: most nodes (scalars, lists, mappings) of a document with its aliases expanded
MAX_NODES = 50_000
#: deepest nesting of lists and mappings
MAX_DEPTH = 100
#: longest integer (digits); longer ones cannot be a float and are refused
MAX_INT_DIGITS = 300
#: size cap of a YAML file (the general cap of io/files.py when that is lower)
YAML_MAX_BYTES = 5 * 1024 * 1024


class YamlLimitError(yaml.MarkedYAMLError):
    """A document refused by :class:`StrictLoader` (duplicate key, recursion, size, a huge integer)."""


def _fail(problem: str, node: Node | None) -> YamlLimitError:
    return YamlLimitError(problem=problem, problem_mark=None if node is None else node.start_mark)


class _Strict:
    """The constructor rules shared by the pure-Python and the libyaml loaders."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, MappingNode):
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue  # '<<' merges; keys written next to it may override merged ones
                key = self.construct_object(key_node, deep=True)  # type: ignore[attr-defined]
                try:
                    hash(key)
                except TypeError:
                    continue  # the base class reports an unhashable key
                line = key_node.start_mark.line + 1
                if key in seen:
                    raise _fail(f"duplicate key {key!r} (first on line {seen[key]}, again on line {line}); "
                                "give each key once", key_node)
                seen[key] = line
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]

    def construct_yaml_int(self, node: ScalarNode) -> int:
        text = str(node.value)
        if sum(ch.isdigit() for ch in text) > MAX_INT_DIGITS:
            raise _fail(f"number too large ({len(text)} digits; at most {MAX_INT_DIGITS})", node)
        return yaml.SafeLoader.construct_yaml_int(self, node)  # type: ignore[arg-type]

    def construct_yaml_timestamp(self, node: ScalarNode, values: Any = None) -> str:
        return str(node.value)


class StrictLoader(_Strict, yaml.SafeLoader):
    """SafeLoader with duplicate keys, recursion, alias expansion, depth and huge integers refused
    (pure Python; :func:`load_yaml` uses the same rules on libyaml when it is installed)."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._composed = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        self._composed += 1  # count as the parser goes, so a huge document stops early
        if self._composed > MAX_NODES:
            raise YamlLimitError(problem=f"the document has more than {MAX_NODES:,} values",
                                 problem_mark=self.peek_event().start_mark)
        return super().compose_node(parent, index)

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:  # type: ignore[override]
        if self.flow_level >= MAX_DEPTH:  # the pure-Python scanner slows down quadratically with depth
            raise YamlLimitError(problem=f"nested more than {MAX_DEPTH} levels deep", problem_mark=self.get_mark())
        super().fetch_flow_collection_start(TokenClass)


_CBase = getattr(yaml, "CSafeLoader", None)


def _register(cls: Any) -> None:
    cls.add_constructor("tag:yaml.org,2002:int", _Strict.construct_yaml_int)
    cls.add_constructor("tag:yaml.org,2002:timestamp", _Strict.construct_yaml_timestamp)


_register(StrictLoader)
if _CBase is not None:
    class _CStrictLoader(_Strict, _CBase):  # type: ignore[valid-type,misc]
        """The same rules on libyaml's parser (about 20 times faster on long texts)."""

    _register(_CStrictLoader)


def _count_events(text: str) -> None:
    """Refuse a document of more than MAX_NODES values before composing it (libyaml events are cheap)."""
    loader = _CBase(text)
    try:
        n = 0
        while loader.check_event():
            event = loader.get_event()
            n += 1
            if n > MAX_NODES:
                raise YamlLimitError(problem=f"the document has more than {MAX_NODES:,} values",
                                     problem_mark=event.start_mark)
    finally:
        loader.dispose()


def _check_graph(root: Node) -> None:
    """Refuse a recursive node graph, nesting deeper than MAX_DEPTH, or more than MAX_NODES expanded nodes.

    Iterative, and each distinct node is visited once (sizes of shared nodes are memoised), so an
    alias bomb costs as much as its text, not as much as its expansion.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()

    def kids(n: Node) -> list[Node]:
        if isinstance(n, SequenceNode):
            return list(n.value)
        if isinstance(n, MappingNode):
            return [x for kv in n.value for x in kv]
        return []

    stack: list[list[Any]] = [[root, 0, 1, kids(root)]]
    on_path.add(id(root))
    while stack:
        frame = stack[-1]
        node, i, _, children = frame
        if i < len(children):
            frame[1] += 1
            child = children[i]
            cid = id(child)
            if cid in sizes:
                frame[2] += sizes[cid]
            elif cid in on_path:
                raise _fail("recursive document: an anchor is used inside itself", child)
            else:
                if len(stack) >= MAX_DEPTH:
                    raise _fail(f"nested more than {MAX_DEPTH} levels deep", child)
                on_path.add(cid)
                stack.append([child, 0, 1, kids(child)])
                continue
        else:
            stack.pop()
            on_path.discard(id(node))
            sizes[id(node)] = frame[2]
            if stack:
                stack[-1][2] += frame[2]
        if frame[2] > MAX_NODES:
            raise _fail(f"the document expands to more than {MAX_NODES:,} values (aliases expanded); "
                        "write the values out, or split the file", node)


def load_yaml(text: str) -> Any:
    """Parse one YAML document with :class:`StrictLoader` (None for an empty document).

    Raises ``yaml.YAMLError`` (a :class:`YamlLimitError` for what the strict loader refuses).
    """
    if _CBase is not None:
        _count_events(text)
        loader: Any = _CStrictLoader(text)
    else:  # pragma: no cover - PyYAML without libyaml
        loader = StrictLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise YamlLimitError(problem=f"nested too deeply (more than {MAX_DEPTH} levels)") from None
        if node is None:
            return None
        _check_graph(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def yaml_problem(exc: yaml.YAMLError) -> tuple[str, int | None, int | None]:
    """(problem, line, column) of a YAML error, lines and columns counted from 1."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is None:
        return str(problem), None, None
    return str(problem), mark.line + 1, mark.column + 1


def read_yaml(path: str | os.PathLike, what: str = "a YAML file", *, error: type[InputError] = InputError,
              noun: str | None = None) -> Any:
    """Read and parse a YAML file: checked (:func:`~mcda_qualify.io.files.read_text_checked`, at most
    :data:`YAML_MAX_BYTES`) and loaded with :func:`load_yaml`; errors are ``error`` naming file and line."""
    text = read_text_checked(path, what, min(YAML_MAX_BYTES, max_bytes()), error=error, noun=noun)
    try:
        return load_yaml(text)
    except yaml.YAMLError as exc:
        problem, line, _ = yaml_problem(exc)
        where = f"line {line}: " if line is not None else ""
        raise error(f"{where}not valid YAML ({problem})", file=str(Path(path)), expected=what) from None
