"""The schema is complete: every /api/v1/ address is in it, and every operation says who
may call it, what it answers on success and which errors it gives, in the one error body."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from config.api_schema import TAGS

API_PREFIX = "/api/v1/"
NOT_OPERATIONS = {"/api/v1/schema/", "/api/v1/docs/"}
ERROR_REF = "#/components/schemas/Error"


def _walk(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield "/" + route


def _as_template(route: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_every_api_address_is_in_the_schema(schema):
    routes = {_as_template(r) for r in _walk(get_resolver().url_patterns)}
    api_routes = {r for r in routes if r.startswith(API_PREFIX)} - NOT_OPERATIONS
    assert api_routes, "no API routes found"
    assert api_routes <= set(schema["paths"]), api_routes - set(schema["paths"])
    assert set(schema["paths"]) <= api_routes


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def test_every_operation_documents_success_errors_and_permission(schema):
    for path, method, operation in _operations(schema):
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), where
        assert operation["description"].startswith("**Permission:**"), where
        assert len(operation["tags"]) == 1 and operation["tags"][0] in TAGS, where
        codes = {int(code) for code in operation["responses"]}
        successes = [code for code in codes if 200 <= code < 300]
        assert successes, f"{where}: no 2xx response"
        for code in successes:
            if code == 204:
                continue
            content = operation["responses"][str(code)].get("content", {})
            # JSON, or a file download (an export's CSV) documented as binary.
            body = content.get("application/json") or content.get("text/csv") or {}
            assert body.get("schema"), f"{where} {code}"
        errors = [code for code in codes if code >= 400]
        assert 401 in errors, where
        if method != "get":
            assert {403, 429} <= set(errors), where
        for code in errors:
            body = operation["responses"][str(code)]["content"]["application/json"]["schema"]
            assert body == {"$ref": ERROR_REF}, f"{where} {code}"


def test_the_error_body_is_detail_and_field_errors(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "errors"}
    assert error["properties"]["errors"]["additionalProperties"]["type"] == "array"


def test_the_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "//cdn" not in html and "unpkg" not in html and "jsdelivr" not in html
