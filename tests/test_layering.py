"""The layers of docs/architecture.md, checked on the import statements of every module (also the ones
inside functions): the numeric core imports no table, file or UI library and nothing from the layers
above it; the labelled layer and io/ import no UI or CLI library; nothing in the package imports a face.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "mcda_qualify"

#: third-party libraries the numeric core must not import (arrays in, arrays out)
CORE_FORBIDDEN = {"pandas", "streamlit", "typer", "yaml", "pydantic", "plotly", "openpyxl", "sqlite3"}
#: what no module below the faces may import
FACE_LIBRARIES = {"streamlit", "typer"}
#: the one project module the core may use besides itself: the exceptions (a leaf with no imports)
CORE_ALLOWED_PROJECT = {"mcda_qualify.errors"}


def _module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, is_package: bool = False) -> set[str]:
    """Absolute names of every module an import statement in ``source`` names (relative ones resolved)."""
    out: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base)
                name = f"{prefix}.{node.module}" if node.module else prefix
                if node.module is None:  # from . import x: x is a module of the package
                    out.update(f"{prefix}.{a.name}" for a in node.names)
                    continue
            else:
                name = node.module or ""
            out.add(name)
            # "from mcda_qualify.core import methods" names the module mcda_qualify.core.methods
            if name.startswith("mcda_qualify"):
                out.update(f"{name}.{a.name}" for a in node.names)
    return out


def violations(source: str, module: str, is_package: bool = False) -> list[str]:
    """The layering rules broken by one module's source (empty when it follows them)."""
    found = imported_modules(source, module, is_package)
    top = {n.split(".")[0] for n in found}
    bad: list[str] = []
    if module.startswith("mcda_qualify.core"):
        bad += [f"{module} imports {lib}" for lib in sorted(top & CORE_FORBIDDEN)]
        for n in sorted(found):
            if n.startswith("mcda_qualify") and not n.startswith("mcda_qualify.core") and n != "mcda_qualify" \
                    and not any(n == a or n.startswith(a + ".") for a in CORE_ALLOWED_PROJECT):
                bad.append(f"{module} imports {n} (the core imports nothing from the layers above)")
    if module != "mcda_qualify.cli" and not module.startswith("mcda_qualify.cli_"):  # cli_*.py: commands of the CLI
        bad += [f"{module} imports {lib} (only the faces do)" for lib in sorted(top & FACE_LIBRARIES)]
        bad += [f"{module} imports the CLI" for n in found if n == "mcda_qualify.cli"]
    return bad


MODULES = sorted(PKG.rglob("*.py"))


def test_every_layer_has_modules():
    names = {_module_name(p) for p in MODULES}
    assert any(n.startswith("mcda_qualify.core.") for n in names)
    assert any(n.startswith("mcda_qualify.io.") for n in names)
    assert "mcda_qualify.ranking" in names and "mcda_qualify.cli" in names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PKG)))
def test_module_follows_the_layering(path):
    assert violations(path.read_text(encoding="utf-8"), _module_name(path), path.name == "__init__.py") == []


@pytest.mark.parametrize("line", ["import pandas as pd", "from pandas import DataFrame", "import yaml",
                                  "    import streamlit as st", "from ..portfolio import Portfolio",
                                  "from mcda_qualify.ranking import rank", "from .. import plots"])
def test_the_check_catches_a_forbidden_import_in_the_core(line):
    """What the rule looks like when broken: the same check on a core module with one more import."""
    source = (PKG / "core" / "methods.py").read_text(encoding="utf-8")
    src = source + ("\n\ndef _f():\n" + line + "\n" if line.startswith("    ") else "\n" + line + "\n")
    assert violations(src, "mcda_qualify.core.methods")


def test_the_check_catches_streamlit_in_the_labelled_layer():
    src = (PKG / "ranking.py").read_text(encoding="utf-8") + "\nimport streamlit\n"
    assert violations(src, "mcda_qualify.ranking") == ["mcda_qualify.ranking imports streamlit (only the faces do)"]


def test_apps_state_does_not_import_a_page():
    """apps/: the session state module imports no page or page helper (no import cycle)."""
    apps = PKG.parent / "apps"
    state = imported_modules((apps / "ui_state.py").read_text(encoding="utf-8"), "ui_state")
    pages = {p.stem for p in apps.glob("*.py")} - {"ui_state", "ui_judges"}
    assert not state & pages
    judges = imported_modules((apps / "ui_judges.py").read_text(encoding="utf-8"), "ui_judges")
    assert "ui_state" not in judges and not judges & pages
