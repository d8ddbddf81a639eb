"""Every error in Voucherify's shape, always JSON: malformed bodies, failed validation, unknown routes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.server.conftest import TestClient
from tests.server.harness import HttpTill

SHAPE = {"code", "key", "message", "details", "request_id"}


def error(response: Any, status: int, key: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert set(body) == SHAPE
    assert (body["code"], body["key"]) == (status, key)
    assert body["request_id"].startswith("req_")
    return body


@pytest.mark.parametrize("content", [b"{not json", b"", b"[]", b'{"op": "redeem"}',
                                     b'{"op": "steal", "entry_id": "x", "code": "c", "currency": "EUR"}'])
def test_malformed_or_invalid_bodies_are_400_invalid_payload(till: HttpTill, content: bytes) -> None:
    response = till.http.post("/sync/v1/authorise", content=content,
                              headers={**till.headers, "Content-Type": "application/json"})
    body = error(response, 400, "invalid_payload")
    assert body["details"]


def test_an_invalid_push_or_enrolment_is_400(till: HttpTill, client: TestClient) -> None:
    error(till.http.post("/sync/v1/push", json={"entries": [{"id": "nope"}]}, headers=till.headers),
          400, "invalid_payload")
    error(client.post("/sync/v1/enrol", json={"code": "x"}), 400, "invalid_payload")


@pytest.mark.parametrize("query", ["cursor=-1", "cursor=abc", "limit=0", "limit=1001"])
def test_bad_pull_parameters_are_400(till: HttpTill, query: str) -> None:
    error(till.http.get(f"/sync/v1/pull?{query}", headers=till.headers), 400, "invalid_payload")


def test_an_unknown_route_is_404_not_found(client: TestClient) -> None:
    error(client.get("/sync/v1/nothing"), 404, "not_found")
    error(client.get("/"), 404, "not_found")


def test_a_wrong_method_is_405(client: TestClient) -> None:
    error(client.get("/sync/v1/authorise"), 405, "method_not_allowed")


def test_an_unknown_conflict_filter_is_400(till: HttpTill) -> None:
    error(till.http.get("/sync/v1/conflicts?status=maybe", headers=till.headers), 400, "invalid_payload")
