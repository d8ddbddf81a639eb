"""Every route of the console — enumerated from the application itself, so a page added by any area cannot slip
through — wants a session, but for signing in and the language switch; and every one runs the CSRF check first."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import iter_route_contexts

from pos_app.server.app import create_app
from pos_app.server.console.deps import csrf_check
from tests.console.conftest import Console, csrf_of

#: Open without a session: the sign-in page and its form, and the language switch (the sign-in page has it).
PUBLIC = {("GET", "/console/login"), ("POST", "/console/login"), ("POST", "/console/language")}


@pytest.fixture(scope="module")
def console_routes(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, object]]:
    app = create_app(f"sqlite:///{tmp_path_factory.mktemp('routes') / 'server.sqlite3'}")
    found = []
    for context in iter_route_contexts(app.routes):
        if not context.path.startswith("/console") or context.path == "/console/static":
            continue
        found += [(m, context.path, context) for m in sorted(context.methods or ()) if m != "HEAD"]
    return found


def test_the_console_has_the_routes_of_the_core(console_routes: list[tuple[str, str, object]]) -> None:
    paths = {(m, p) for m, p, _c in console_routes}
    assert paths >= PUBLIC
    assert {("GET", "/console/dashboard"), ("GET", "/console/audit"), ("POST", "/console/api-keys")} <= paths


def test_every_console_route_runs_the_csrf_check_first(console_routes: list[tuple[str, str, object]]) -> None:
    for method, path, context in console_routes:
        dependencies = context.dependant.dependencies  # type: ignore[attr-defined]
        assert dependencies and dependencies[0].call is csrf_check, (method, path)


def test_every_console_route_but_sign_in_wants_a_session(
        console: Console, console_routes: list[tuple[str, str, object]]) -> None:
    with console.http() as http:
        form_token = csrf_of(http.get("/console/login").text)  # a POST gets past the CSRF check to the session's
        for method, path, _context in console_routes:
            if (method, path) in PUBLIC:
                continue
            concrete = re.sub(r"\{[^}]+\}", "x_0000", path)
            answer = http.request(method, concrete, data={"csrf_token": form_token} if method == "POST" else None)
            if path in ("/console", "/console/"):
                assert answer.status_code == 303 and answer.headers["location"] == "/console/dashboard"
                continue
            assert answer.status_code == 303, (method, path, answer.status_code)
            assert answer.headers["location"].startswith("/console/login?next="), (method, path)
