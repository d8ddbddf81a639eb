"""The OpenAPI document (``/openapi.json``) says what the server does: every refusal in Voucherify's error shape,
no FastAPI 422 (the server answers 400 ``invalid_payload``), and the credentials each route wants. The fuzz run
(``test_api_fuzz.py``) holds the server's answers to it; this holds the document to the routes — all of them,
enumerated from the application, so a route added later is held too."""

from __future__ import annotations

from typing import Any

import pytest

from pos_app.server.app import create_app
from pos_app.server.errors import RESPONSES
from tests.server.test_routes_auth import PUBLIC


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    app = create_app(f"sqlite:///{tmp_path_factory.mktemp('openapi') / 'server.sqlite3'}")
    made: dict[str, Any] = app.openapi()
    return made


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, op) for path, item in document["paths"].items() for method, op in item.items()]


def test_every_operation_declares_its_refusals_in_voucherifys_shape_and_no_422(document: dict[str, Any]) -> None:
    assert len(_operations(document)) >= 10
    for method, path, op in _operations(document):
        responses = op["responses"]
        assert "422" not in responses, (method, path)
        for status in RESPONSES:
            content = responses[str(status)]["content"]
            assert list(content) == ["application/json"], (method, path, status)
            assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    assert set(schemas["ErrorBody"]["properties"]) == {"code", "key", "message", "details", "request_id"}


def test_the_credentials_of_each_route_are_security_schemes(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes["AppId"] == {**schemes["AppId"], "type": "apiKey", "in": "header", "name": "X-App-Id"}
    assert schemes["AppToken"] == {**schemes["AppToken"], "type": "apiKey", "in": "header", "name": "X-App-Token"}
    assert schemes["TillToken"] == {**schemes["TillToken"], "type": "http", "scheme": "bearer"}
    for method, path, op in _operations(document):
        if path.startswith("/v1/assets/"):  # a voucher's images: public behind their unguessable token
            assert "security" not in op, (method, path)
        elif (method, path) == ("GET", "/v1/exports/{export_id}"):  # the key, or the download link's own token
            continue
        elif path.startswith("/v1/"):  # both headers: one requirement, not two alternatives
            assert op["security"] == [{"AppId": [], "AppToken": []}], (method, path)
            assert not {p["name"].lower() for p in op.get("parameters", [])} & {"x-app-id", "x-app-token"}
        elif (method, path) in PUBLIC:
            assert "security" not in op, (method, path)
        else:
            assert op["security"] == [{"TillToken": []}], (method, path)


def test_the_sync_routes_that_read_their_query_themselves_declare_it(document: dict[str, Any]) -> None:
    def query(path: str) -> dict[str, Any]:
        return {p["name"]: p["schema"] for p in document["paths"][path]["get"]["parameters"] if p["in"] == "query"}

    assert query("/sync/v1/pull")["cursor"]["minimum"] == 0 and query("/sync/v1/pull")["limit"]["minimum"] == 1
    assert query("/sync/v1/conflicts")["status"]["enum"] == ["open", "resolved", "all"]
