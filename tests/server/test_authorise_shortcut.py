"""``POST /sync/v1/authorise`` is answered in front of the framework's routing (``authorise_shortcut``), exactly
as the documented route answers it: the same bytes, the same refusals, the same headers."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any, cast

import pytest
from fastapi import FastAPI

from pos_app.server import authorise_shortcut
from pos_app.server.app import create_app
from pos_app.server.authorise_shortcut import AuthoriseShortcut
from pos_app.server.sync_api import authorise_answer
from tests.server.conftest import TestClient
from tests.server.harness import HttpTill


@pytest.fixture
def routed(db_url: str, client: TestClient) -> Iterator[TestClient]:
    """A second server on the same database, without the shortcut: the route answers."""
    app: FastAPI = create_app(db_url)
    app.user_middleware = [m for m in app.user_middleware if m.cls is not cast(Any, AuthoriseShortcut)]
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def shortcut_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item per request the shortcut answered."""
    calls: list[int] = []

    async def counted(*args: Any) -> str:
        calls.append(1)
        return await authorise_answer(*args)

    monkeypatch.setattr(authorise_shortcut, "authorise_answer", counted)
    return calls


def test_the_shortcut_and_the_route_answer_byte_for_byte_alike(till: HttpTill, card: dict[str, Any],
                                                               routed: TestClient,
                                                               shortcut_calls: list[int]) -> None:
    body = {"op": "redeem", "entry_id": str(uuid.uuid4()), "code": card["code"], "amount": 700,
            "currency": "EUR", "created_at": "2026-01-31T09:30:00+01:00", "device_seq": 7}
    first = till.http.post("/sync/v1/authorise", json=body, headers=till.headers)
    assert shortcut_calls == [1]
    replayed = routed.post("/sync/v1/authorise", json=body, headers=till.headers)
    assert (first.status_code, first.json()["result"]) == (200, "SUCCESS")
    assert replayed.status_code == 200 and replayed.content == first.content
    assert replayed.headers["content-type"] == first.headers["content-type"] == "application/json"
    assert shortcut_calls == [1]  # the second server's route answered


@pytest.mark.parametrize(("headers", "content", "status", "key"), [
    ({}, b"{not json", 401, "unauthorized"),
    ({"Authorization": "Bearer not-a-token"}, None, 401, "unauthorized"),
    (None, b"[]", 400, "invalid_payload"),
    (None, b'{"op": "redeem", "entry_id": "x"}', 400, "invalid_payload"),
], ids=["no token", "unknown token", "not an object", "invalid"])
def test_refusals_are_the_routes(till: HttpTill, card: dict[str, Any], routed: TestClient,
                                 shortcut_calls: list[int], headers: dict[str, str] | None, content: bytes | None,
                                 status: int, key: str) -> None:
    body = content if content is not None else (
        b'{"op": "redeem", "entry_id": "%s", "code": "%s", "amount": 1, "currency": "EUR", '
        b'"created_at": "2026-01-31T09:30:00+01:00"}' % (str(uuid.uuid4()).encode(), card["code"].encode()))
    sent = {**(till.headers if headers is None else headers), "Content-Type": "application/json"}
    answers = [http.post("/sync/v1/authorise", content=body, headers=sent) for http in (till.http, routed)]
    assert shortcut_calls == [1]
    for response in answers:
        assert (response.status_code, response.json()["key"]) == (status, key)
        assert response.headers["content-type"] == "application/json"
        assert response.headers.get("www-authenticate") == ("Bearer" if status == 401 else None)
    assert {k: v for k, v in answers[0].json().items() if k != "request_id"} == \
        {k: v for k, v in answers[1].json().items() if k != "request_id"}


def test_other_methods_and_paths_go_on_to_the_framework(client: TestClient, shortcut_calls: list[int]) -> None:
    assert client.get("/sync/v1/authorise").status_code == 405
    assert client.put("/sync/v1/authorise", content=b"{}").status_code == 405
    assert client.post("/sync/v1/authorise/x", content=b"{}").status_code == 404
    assert shortcut_calls == []
    document = client.get("/openapi.json").json()
    assert "requestBody" in document["paths"]["/sync/v1/authorise"]["post"]
