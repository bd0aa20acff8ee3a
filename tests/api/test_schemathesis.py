"""Property-based tests of every operation in ``/openapi.json`` against the live read-only
server: no 5xx, and answers that match the declared response models and media types, for
valid inputs and for inputs the schema says are invalid."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode, checks
from schemathesis.checks import CheckFunction

from api.main import create_app
from kg.config import Settings

if TYPE_CHECKING:
    from tests.api.conftest import Server

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("KG_TEST_EXAMPLES", "25"))
"""Examples per operation (valid and invalid inputs mixed); raise it for a deeper run."""
OPERATIONS = [
    (method.upper(), path)
    for path, item in create_app(Settings(store="unused")).openapi()["paths"].items()
    for method in item
    if method in ("get", "post", "head")
]


@pytest.fixture(scope="module")
def api_schema(server: Server) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(server.url + "/openapi.json")


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation(
    api_schema: schemathesis.BaseSchema, server: Server, method: str, path: str
) -> None:
    operation = api_schema[path][method]
    strategy = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=os.environ.get("KG_TEST_EXAMPLES") is None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case[Any]) -> None:
        wanted: list[CheckFunction] = [checks.not_a_server_error]
        if case.meta is None or case.meta.generation.mode == GenerationMode.POSITIVE:
            wanted += [checks.response_schema_conformance, checks.content_type_conformance]
        case.call_and_validate(base_url=server.url, checks=wanted, timeout=30)

    run()
