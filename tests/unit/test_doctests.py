"""The runnable examples in the domain and graph docstrings stay true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["matcher.model", "matcher.skills", "matcher.policy", "graph.taxonomy", "api.errors"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
