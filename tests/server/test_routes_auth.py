"""Every route of the application — enumerated from the application itself, so a new one cannot slip through —
refuses missing, wrong and revoked credentials, but for the few public ones listed here: a till's token on the
sync API, an API key on the Voucherify-compatible API (``/v1``); and every request is answered through the
framework's routing (no middleware answers a path of its own)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRouter, iter_route_contexts
from starlette.types import Receive, Scope, Send

from pos_app.server.app import create_app
from pos_app.server.edge import Edge
from pos_app.server.voucherify.paths import EncodedSlashes
from tests.server.harness import HttpTill, enrol_codes, pos_server, running_server

#: Answered without a till's token: whether the server is there, enrolment (it gives the token), the API's
#: description. Everything else wants ``Authorization: Bearer <token>`` of a till that is not revoked.
PUBLIC = {
    ("GET", "/sync/v1/health"),
    ("POST", "/sync/v1/enrol"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("GET", "/redoc"),
    ("GET", "/v1/assets/qr/{token}"),  # a voucher's images, in e-mails: the token in the URL is the credential
    ("GET", "/v1/assets/barcode/{token}"),
}
#: The head-office console: its pages want a console session instead (``tests/console/test_guarded.py`` checks that
#: every one of them but sign-in does), and its static files are a mount, not a route.
CONSOLE = "/console"
#: The middleware the application may have; each answers nothing but its own refusals (see its tests).
MIDDLEWARE = [Edge, EncodedSlashes]


def routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every route of ``app``; HEAD goes with GET."""
    found = []
    for context in iter_route_contexts(app.routes):
        if context.path == f"{CONSOLE}/static":
            continue
        methods = getattr(context, "methods", None)
        assert methods, f"{context.path}: a route that is not HTTP (a websocket, a mount) needs this test extended"
        found += [(m, context.path) for m in sorted(methods) if m != "HEAD"]
    return found


@pytest.fixture(scope="module")
def app_routes(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    return routes(create_app(f"sqlite:///{tmp_path_factory.mktemp('routes') / 'server.sqlite3'}"))


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "con_0000", path)


def test_the_public_routes_exist_and_everything_else_is_guarded(app_routes: list[tuple[str, str]]) -> None:
    assert set(app_routes) >= PUBLIC, "a public route listed here is gone: take it off the list"
    guarded = set(app_routes) - PUBLIC
    assert ("POST", "/sync/v1/authorise") in guarded and ("GET", "/sync/v1/pull") in guarded


def _send(http: httpx.Client, method: str, path: str, headers: dict[str, str]) -> httpx.Response:
    body = {"json": {}} if method in ("POST", "PUT", "PATCH") else {}
    return http.request(method, concrete(path), headers=headers, **body)


def _api_key(db_url: str) -> dict[str, str]:
    key = pos_server(db_url, "api-key", "create", "--name", "routes", "--json").json()
    return {"X-App-Id": key["app_id"], "X-App-Token": key["app_token"], "id": key["id"]}


def test_every_guarded_route_refuses_missing_wrong_and_revoked_credentials(
        db_url: str, app_routes: list[tuple[str, str]]) -> None:
    with running_server(db_url) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        good_code, revoked_code = enrol_codes(db_url, 2)
        good = HttpTill.enrol(server.url, good_code, "good")
        revoked = HttpTill.enrol(server.url, revoked_code, "revoked")
        pos_server(db_url, "device", "revoke", revoked.device_id)
        wrong: dict[str, dict[str, str]] = {
            "missing": {},
            "empty": {"Authorization": ""},
            "bearer without a token": {"Authorization": "Bearer"},
            "another scheme": {"Authorization": f"Basic {good.token}"},
            "unknown token": {"Authorization": "Bearer " + "x" * 43},
            "a token with more after it": {"Authorization": f"Bearer {good.token}x"},
            "revoked": revoked.headers,
        }
        key, revoked_key = _api_key(db_url), _api_key(db_url)
        pos_server(db_url, "api-key", "revoke", revoked_key.pop("id"))
        key_headers = {"X-App-Id": key["X-App-Id"], "X-App-Token": key["X-App-Token"]}
        wrong_keys: dict[str, dict[str, str]] = {
            "missing": {},
            "only the id": {"X-App-Id": key["X-App-Id"]},
            "only the token": {"X-App-Token": key["X-App-Token"]},
            "empty": {"X-App-Id": "", "X-App-Token": ""},
            "unknown id": {"X-App-Id": "app_" + "0" * 24, "X-App-Token": key["X-App-Token"]},
            "wrong token": {"X-App-Id": key["X-App-Id"], "X-App-Token": key["X-App-Token"] + "x"},
            "a till's token": good.headers,
            "revoked": revoked_key,
        }
        try:
            for method, path in sorted(set(app_routes) - PUBLIC):
                if path.startswith(CONSOLE):
                    continue
                api = path.startswith("/v1/")
                for what, headers in (wrong_keys if api else wrong).items():
                    response = _send(http, method, path, headers)
                    expected = "device_revoked" if what == "revoked" and not api else "unauthorized"
                    assert (response.status_code, response.json()["key"]) == (401, expected), (method, path, what)
                    assert api or response.headers["WWW-Authenticate"] == "Bearer"
                # the same request with good credentials gets past the check (whatever the route then says)
                response = _send(http, method, path, key_headers if api else good.headers)
                assert response.status_code not in (401, 403) and response.status_code < 500, (method, path)
            for method, path in sorted(PUBLIC):
                response = _send(http, method, path, {})
                answers = (404,) if path.startswith("/v1/assets/") else (200, 400)  # a made-up asset token: 404
                assert response.status_code in answers, (method, path, response.text)  # enrol: {} is invalid
        finally:
            good.http.close()
            revoked.http.close()


# ---- nothing answered outside the routing --------------------------------------------------------------------

def test_the_application_has_only_the_middleware_listed(app_routes: list[tuple[str, str]],
                                                        tmp_path_factory: pytest.TempPathFactory) -> None:
    app = create_app(f"sqlite:///{tmp_path_factory.mktemp('mw') / 'server.sqlite3'}")
    assert [m.cls for m in app.user_middleware] == MIDDLEWARE


@pytest.fixture
def routed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The paths of the requests that reached the framework's router."""
    seen: list[str] = []
    original = APIRouter.__call__

    async def spy(self: APIRouter, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            seen.append(scope["path"])
        await original(self, scope, receive, send)

    monkeypatch.setattr(APIRouter, "__call__", spy)
    yield seen


def test_every_request_is_answered_through_the_routing(client: Any, till: HttpTill, routed: list[str],
                                                       app_routes: list[tuple[str, str]]) -> None:
    requests: list[tuple[str, str, dict[str, str]]] = []
    for method, path in app_routes:
        requests += [(method, concrete(path), {}), (method, concrete(path), till.headers)]
    for path in ("/", "/sync", "/sync/v1", "/sync/v1/", "/sync/v1/authorise/", "/sync/v1/AUTHORISE",
                 "/sync/v2/authorise", "/sync/v1/authorise/x", "/sync/v1/authorisex", "//sync/v1/pull",
                 "/sync/v1/conflicts/x/y/resolve", "/admin", "/.env", "/sync/v1/%2e%2e/pull"):
        requests += [("GET", path, till.headers), ("POST", path, till.headers)]
    requests += [("DELETE", "/sync/v1/push", till.headers), ("PUT", "/sync/v1/authorise", till.headers),
                 ("GET", "/sync/v1/authorise", till.headers), ("POST", "/sync/v1/health", {})]
    for method, path, headers in requests:
        routed.clear()
        body = {"json": {}} if method in ("POST", "PUT") else {}
        response = client.request(method, path, headers=headers, follow_redirects=False, **body)
        assert len(routed) == 1, (method, path, response.status_code)
        if (method, path) not in app_routes and response.status_code in (404, 405):
            assert response.json()["key"] in ("not_found", "method_not_allowed"), (method, path)
        assert response.status_code < 500, (method, path, response.text)
