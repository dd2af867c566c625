"""The runnable examples in the domain, graph and standards docstrings stay true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import standards

MODULES = ["matcher.model", "matcher.skills", "matcher.policy", "matcher.fairness",
           "graph.taxonomy", "api.errors"]
# Every module of standards/ (packages included) that carries examples.
STANDARDS = sorted(m.name for m in pkgutil.walk_packages(standards.__path__, "standards.")
                   if m.name != "standards.build_contexts")


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize("name", STANDARDS)
def test_standards_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0


@pytest.mark.parametrize("part", sorted({n.split(".")[1] for n in STANDARDS} - {
    "__init__", "errors", "result"}))
def test_each_part_of_standards_carries_examples(part: str) -> None:
    """Each standard's modules, with their submodules, show how they are used."""
    attempted = sum(doctest.testmod(importlib.import_module(n)).attempted for n in STANDARDS
                    if n == f"standards.{part}" or n.startswith(f"standards.{part}."))
    assert attempted > 0
