"""The console's core over plain HTTP against the real server: signing in and out, wrong passwords, lock-out,
the CSRF check, pages without a session, roles refused, and the cookie's flags."""

from __future__ import annotations

import hashlib
import re

import httpx
from sqlalchemy import create_engine, text

from tests.console.conftest import PASSWORD, Console, csrf_of, sign_in_http


def _rows(console: Console, sql: str, **params: object) -> list[tuple[object, ...]]:
    engine = create_engine(console.db_url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def _alert(html: str) -> str:
    found = re.search(r'role="alert">([^<]*)<', html)
    return found.group(1).strip() if found else ""


def test_signing_in_sets_a_safe_cookie_opens_the_page_asked_for_and_signing_out_ends_the_session(
        console: Console) -> None:
    with httpx.Client(base_url=console.url, timeout=30) as http:
        asked = http.get("/console/audit?action=login")
        assert asked.status_code == 303
        assert asked.headers["location"] == "/console/login?next=/console/audit%3Faction%3Dlogin"
        answer = sign_in_http(http, console.users["admin"], next_url="/console/audit?action=login")
        assert answer.status_code == 303 and answer.headers["location"] == "/console/audit?action=login"
        cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("pos_console="))
        flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
        assert {"httponly", "path", "samesite"} <= flags and "secure" not in flags  # plain http here
        assert "samesite=lax" in cookie.lower() and "path=/console" in cookie.lower()
        token = http.cookies["pos_console"]
        assert _rows(console, "SELECT count(*) FROM console_sessions WHERE token_hash = :h",
                     h=hashlib.sha256(token.encode()).hexdigest()) == [(1,)]
        assert _rows(console, "SELECT count(*) FROM console_sessions WHERE token_hash = :t", t=token) == [(0,)]
        page = http.get("/console/audit?action=login")
        assert page.status_code == 200 and console.users["admin"] in page.text and "<h1>Audit log</h1>" in page.text

        out = http.post("/console/logout", data={"csrf_token": csrf_of(page.text)})
        assert out.status_code == 303 and out.headers["location"] == "/console/login"
        assert "You have signed out." in http.get("/console/login").text
    with httpx.Client(base_url=console.url, timeout=30, cookies={"pos_console": token}) as stolen:
        assert stolen.get("/console/dashboard").status_code == 303  # the old cookie opens nothing any more


def test_https_makes_the_cookie_secure(console: Console) -> None:
    """Behind a proxy that says the request came over https (uvicorn trusts 127.0.0.1's X-Forwarded-Proto)."""
    with httpx.Client(base_url=console.url, timeout=30, headers={"X-Forwarded-Proto": "https"}) as http:
        page = http.get("/console/login")
        form_cookie = page.headers["set-cookie"]
        assert form_cookie.startswith("pos_console_csrf=") and "secure" in form_cookie.lower()
        token = csrf_of(page.text)
        answer = http.post("/console/login", headers={"Cookie": f"pos_console_csrf={token}"}, data={
            "email": console.users["finance"], "password": PASSWORD, "csrf_token": token})
        cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith("pos_console="))
        assert "secure" in cookie.lower() and "httponly" in cookie.lower()


def test_a_wrong_password_or_an_unknown_address_is_refused_alike_and_written_down(console: Console) -> None:
    with console.http() as http:
        wrong = sign_in_http(http, console.users["support"], "not the password")
        unknown = sign_in_http(http, "nobody@example.com", PASSWORD)
        for answer in (wrong, unknown):
            assert answer.status_code == 401
            assert _alert(answer.text) == "The e-mail address or the password is wrong."
            assert "pos_console" not in http.cookies
        assert 'value="nobody@example.com"' in unknown.text  # the address typed is kept
    refused = _rows(console, "SELECT email, outcome FROM console_audit WHERE action = 'login' AND outcome = 'refused'")
    assert (console.users["support"], "refused") in refused and ("nobody@example.com", "refused") in refused


def test_five_wrong_passwords_lock_the_account_until_a_time_it_says_and_a_new_password_opens_it(
        console: Console) -> None:
    email = console.add_user("support")
    with console.http() as http:
        for _ in range(4):
            assert _alert(sign_in_http(http, email, "wrong password!").text) == \
                "The e-mail address or the password is wrong."
        locked = sign_in_http(http, email, "wrong password!")
        assert locked.status_code == 401
        message = _alert(locked.text)
        assert re.fullmatch(r"Too many wrong passwords: this account is locked until \d\d:\d\d UTC\. Try again "
                            r"then, or ask an administrator to set a new password\.", message), message
        right = sign_in_http(http, email, PASSWORD)  # even the right password waits
        assert right.status_code == 401 and _alert(right.text) == message
        assert "pos_console" not in http.cookies
    assert _rows(console, "SELECT count(*) FROM console_audit WHERE action = 'login.locked' AND email = :e",
                 e=email) == [(2,)]
    listed = {u["email"]: u for u in console.cli("console-user", "list", "--json").json()}
    assert listed[email]["locked_until"] is not None

    import subprocess
    import sys

    from tests.server.harness import ROOT, _env
    subprocess.run([sys.executable, "-m", "pos_app.server.cli", "console-user", "passwd", email, "--password-stdin",
                    "--db", console.db_url], input="a brand new password\n", cwd=ROOT, env=_env(), check=True,
                   capture_output=True, text=True)
    with console.http() as http:
        assert sign_in_http(http, email, "a brand new password").status_code == 303


def test_a_post_without_the_csrf_token_is_refused_and_does_nothing(console: Console) -> None:
    with console.http("admin") as http:
        page = http.get("/console/api-keys")
        token = csrf_of(page.text)
        for attempt in ({"name": "no token"}, {"name": "wrong token", "csrf_token": token[:-2] + "xx"},
                        {"name": "empty token", "csrf_token": ""}):
            answer = http.post("/console/api-keys", data=attempt)
            assert answer.status_code == 403, attempt
            assert "nothing was done" in _alert(answer.text)
        names = {k["name"] for k in console.cli("api-key", "list", "--json").json()}
        assert not names & {"no token", "wrong token", "empty token"}
        assert _rows(console, "SELECT count(*) FROM console_audit WHERE action = 'csrf' AND outcome = 'refused'"
                     ) >= [(3,)]
        # the same request with the token is carried out (in the form, or as the X-CSRF-Token header)
        assert http.post("/console/api-keys", data={"name": "with token", "csrf_token": token}).status_code == 200
        assert http.post("/console/api-keys", data={"name": "by header"},
                         headers={"X-CSRF-Token": token}).status_code == 200
        names = {k["name"] for k in console.cli("api-key", "list", "--json").json()}
        assert {"with token", "by header"} <= names


def test_signing_in_needs_the_sign_in_pages_token_too(console: Console) -> None:
    with console.http() as http:
        http.get("/console/login")
        answer = http.post("/console/login", data={"email": console.users["admin"], "password": PASSWORD})
        assert answer.status_code == 403 and "pos_console" not in http.cookies


def test_a_page_without_a_session_sends_the_browser_to_sign_in(console: Console) -> None:
    with console.http() as http:
        for path in ("/console/dashboard", "/console/api-keys", "/console/audit", "/console/head-office"):
            answer = http.get(path)
            assert answer.status_code == 303 and answer.headers["location"] == f"/console/login?next={path}"
        assert http.get("/console/").headers["location"] == "/console/dashboard"


def test_a_role_without_the_permission_gets_a_403_page_and_an_audit_line(console: Console) -> None:
    for role, path, permission in (("finance", "/console/api-keys", "api_keys.manage"),
                                   ("support", "/console/audit", "audit.view"),
                                   ("finance", "/console/head-office", "people.manage")):
        with console.http(role) as http:
            answer = http.get(path)
            assert answer.status_code == 403, (role, path)
            assert "You may not do this" in _alert(answer.text)
            assert f'href="{path}"' not in answer.text  # the header offers no link to it either
        assert _rows(console, "SELECT count(*) FROM console_audit WHERE email = :e AND action = :a AND outcome = "
                              "'refused'", e=console.users[role], a=permission) >= [(1,)]
    with console.http("finance") as http:
        page = http.get("/console/dashboard")
        assert page.status_code == 200 and 'href="/console/audit"' in page.text
        answer = http.post("/console/api-keys", data={"name": "finance's", "csrf_token": csrf_of(page.text)})
        assert answer.status_code == 403
    assert "finance's" not in {k["name"] for k in console.cli("api-key", "list", "--json").json()}


def test_the_language_follows_the_browser_then_the_persons_choice(console: Console) -> None:
    with console.http() as http:
        assert "<h1>Anmeldung für die Zentrale</h1>" in http.get(
            "/console/login", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}).text
    with console.http("support") as http:
        page = http.get("/console/dashboard")
        assert "<h1>Dashboard</h1>" in page.text
        switched = http.post("/console/language", data={"lang": "de", "next": "/console/dashboard",
                                                        "csrf_token": csrf_of(page.text)})
        assert switched.status_code == 303 and switched.headers["location"] == "/console/dashboard"
        assert "<h1>Übersicht</h1>" in http.get("/console/dashboard").text
    with console.http("support") as http:  # a new session: the choice was stored
        assert "<h1>Übersicht</h1>" in http.get("/console/dashboard").text


def test_the_edge_takes_a_form_only_on_the_console_and_within_the_size_limit(console: Console) -> None:
    with console.http() as http:
        refused = http.post("/sync/v1/enrol", content=b"code=x", headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        assert refused.status_code == 415
        big = http.post("/console/login", content=b"email=" + b"x" * (9 * 1024 * 1024), headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        assert big.status_code == 413


def test_every_page_says_no_framing_no_foreign_scripts_no_caching(console: Console) -> None:
    with console.http() as stranger, console.http("admin") as http:
        for client, path in ((stranger, "/console/login"), (http, "/console/dashboard"), (http, "/console/api-keys"),
                             (http, "/console/no-such-page")):
            headers = client.get(path).headers
            assert headers["x-frame-options"] == "DENY", path
            assert "frame-ancestors 'none'" in headers["content-security-policy"]
            assert "script-src 'self'" in headers["content-security-policy"]
            assert headers["cache-control"] == "no-store"
        assert http.get("/console/no-such-page").status_code == 404
        invalid = http.get("/console/audit?after=not-a-number")
        assert invalid.status_code == 400 and "text/html" in invalid.headers["content-type"]
        assert "Some of what was entered will not do: after" in invalid.text
        css = http.get("/console/static/console.css")
        assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
