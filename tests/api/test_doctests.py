"""The examples in the server modules' docstrings run (the test paths hold only ``tests/``)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "api.lookups",
    "api.main",
    "api.results",
    "api.runner",
    "api.sparql_protocol",
    "api.sparql_text",
    "api.routes.export",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
