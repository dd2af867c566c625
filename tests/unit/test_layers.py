"""The dependency rule of DESIGN.md §2, checked by reading every module's imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ADAPTERS = {"flask", "flask_smorest", "sqlalchemy", "marshmallow", "webargs", "alembic",
            "apispec", "api"}
FORBIDDEN = {"matcher": ADAPTERS | {"graph", "networkx", "standards"}, "graph": ADAPTERS,
             "standards": ADAPTERS | {"graph", "networkx"}}


def imported_roots(path: Path) -> set[str]:
    """Top-level packages a module imports (absolute imports, any nesting)."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_inner_layers(package: str) -> None:
    modules = sorted((ROOT / package).rglob("*.py"))
    assert modules, f"{package}/ has no modules"
    offences = {
        str(m.relative_to(ROOT)): sorted(imported_roots(m) & FORBIDDEN[package])
        for m in modules
        if imported_roots(m) & FORBIDDEN[package]
    }
    assert offences == {}


def test_the_checker_sees_nested_and_from_imports(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from sqlalchemy.orm import Session\n    import flask.json\n")
    assert imported_roots(module) == {"sqlalchemy", "flask"}


def test_api_is_the_only_adapter() -> None:
    """The adapter layer does import the frameworks (the rule is not vacuous)."""
    roots = set().union(*(imported_roots(m) for m in (ROOT / "api").rglob("*.py")))
    assert {"flask", "sqlalchemy", "marshmallow", "matcher", "graph"} <= roots
