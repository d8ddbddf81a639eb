"""The console's conflict pages over HTTP (the application in process, signed in with a real session): the
lists, a conflict's page with every entry that caused it, the resolve form behind ``conflicts.resolve`` with its
audit line, and what a support user, a refusal and a POST without the CSRF token get. The browser test with real
tills is ``tests/console/test_conflicts.py``."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from pos_app.server.console import sessions, users
from pos_app.server.db.console_models import console_audit
from pos_app.server.db.engine import write
from pos_app.server.db.models import conflicts
from pos_app.server.ledger import now
from tests.server.harness import HttpTill
from tests.server.test_conflict_views import overdraw


def sign_in(client: TestClient, engine: Engine, email: str, role: str) -> tuple[str, str]:
    """A console user of ``role`` signed in on ``client`` (a session as the sign-in page starts one); their id and
    the session's CSRF token."""
    def work(conn: Any) -> tuple[str, str]:
        user = users.add_user(conn, email=email, role=role, password_hash="unused", at=now())
        _token, csrf = sessions.start(conn, user.id, now())
        client.cookies.set(sessions.COOKIE, _token, path=sessions.PATH)
        return user.id, csrf

    return write(engine, work)


@pytest.fixture
def conflict_id(till: HttpTill, till2: HttpTill, card: dict[str, Any]) -> str:
    return overdraw(till, till2, card)


def audit_lines(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(select(console_audit).order_by(console_audit.c.id)))


def test_an_administrator_sees_and_resolves_a_conflict(client: TestClient, engine: Engine, till: HttpTill,
                                                       card: dict[str, Any], conflict_id: str) -> None:
    user_id, csrf = sign_in(client, engine, "anna@example.com", "admin")
    masked = "•••• " + card["code"][-4:]
    listed = client.get("/console/conflicts")
    assert listed.status_code == 200
    assert masked in listed.text and "till 1, till 2" in listed.text and "€20.00" in listed.text
    assert card["code"] not in listed.text
    page = client.get(f"/console/conflicts/{conflict_id}")
    assert page.status_code == 200 and page.text.count("<h1>") == 1
    rows = re.findall(r"<tr[^>]*>\s*<td class=\"nowrap\">.*?</tr>", page.text, re.S)
    assert len(rows) == 4 and "spent offline before it" in rows[2] and "overdrew the card" in rows[3]
    assert 'name="csrf_token"' in page.text

    done = client.post(f"/console/conflicts/{conflict_id}/resolve", follow_redirects=False, data={
        "csrf_token": csrf, "action": "recover", "reason": "customer paid 20.00 in cash", "amount": "", "disable": ""})
    assert done.status_code == 303 and done.headers["location"] == f"/console/conflicts/{conflict_id}"
    after = client.get(done.headers["location"])
    assert "Conflict resolved" in after.text and "anna@example.com" in after.text
    with engine.connect() as conn:
        assert conn.execute(select(conflicts.c.resolved_by)).scalar_one() == f"console:{user_id}"
    (line,) = audit_lines(engine)
    assert (line.action, line.target, line.outcome, line.email) == (
        "conflicts.resolve", conflict_id, "ok", "anna@example.com")
    assert line.detail["card"] == masked and card["code"] not in str(line.detail)
    assert till.pull_all()["cards"][card["id"]]["status"] == "active"
    resolved = client.get("/console/conflicts?status=resolved")
    assert masked in resolved.text and "customer paid 20.00 in cash" in resolved.text
    assert "No open conflicts" in client.get("/console/conflicts").text


def test_a_refusal_keeps_the_form_and_is_audited(client: TestClient, engine: Engine, conflict_id: str) -> None:
    _user, csrf = sign_in(client, engine, "anna@example.com", "admin")
    short = client.post(f"/console/conflicts/{conflict_id}/resolve", data={
        "csrf_token": csrf, "action": "correct", "reason": "goodwill", "amount": "10.00", "disable": ""})
    assert short.status_code == 400
    assert 'role="alert"' in short.text and 'value="10.00"' in short.text and 'value="goodwill"' in short.text
    no_reason = client.post(f"/console/conflicts/{conflict_id}/resolve", data={
        "csrf_token": csrf, "action": "write_off", "reason": "  ", "amount": "", "disable": ""})
    assert no_reason.status_code == 400 and "Give a reason" in no_reason.text
    assert [(a.outcome, a.detail["key"]) for a in audit_lines(engine)] == [
        ("refused", "invalid_amount"), ("refused", "invalid_payload")]
    with engine.connect() as conn:
        assert conn.execute(select(conflicts.c.status)).scalar_one() == "open"


def test_support_sees_but_may_not_resolve(client: TestClient, engine: Engine, conflict_id: str) -> None:
    _user, csrf = sign_in(client, engine, "sam@example.com", "support")
    page = client.get(f"/console/conflicts/{conflict_id}")
    assert page.status_code == 200 and "may see conflicts but not resolve them" in page.text
    assert f"/console/conflicts/{conflict_id}/resolve" not in page.text
    refused = client.post(f"/console/conflicts/{conflict_id}/resolve", data={
        "csrf_token": csrf, "action": "write_off", "reason": "not mine to do"})
    assert refused.status_code == 403
    assert [(a.action, a.outcome) for a in audit_lines(engine)] == [("conflicts.resolve", "refused")]
    with engine.connect() as conn:
        assert conn.execute(select(conflicts.c.status)).scalar_one() == "open"


def test_a_post_without_the_csrf_token_does_nothing(client: TestClient, engine: Engine, conflict_id: str) -> None:
    sign_in(client, engine, "anna@example.com", "admin")
    refused = client.post(f"/console/conflicts/{conflict_id}/resolve", data={
        "action": "write_off", "reason": "from another site"})
    assert refused.status_code == 403
    with engine.connect() as conn:
        assert conn.execute(select(conflicts.c.status)).scalar_one() == "open"


def test_in_german(client: TestClient, engine: Engine, till: HttpTill, card: dict[str, Any],
                   conflict_id: str) -> None:
    _user, csrf = sign_in(client, engine, "anna@example.com", "admin")
    german = {"Accept-Language": "de-DE,de;q=0.9"}
    page = client.get(f"/console/conflicts/{conflict_id}", headers=german)
    assert "Konflikt auf Karte" in page.text and "20,00\xa0€" in page.text
    assert "brachte die Karte ins Minus" in page.text
    done = client.post(f"/console/conflicts/{conflict_id}/resolve", headers=german, follow_redirects=False, data={
        "csrf_token": csrf, "action": "correct", "amount": "22,50", "reason": "Kulanz: 2,50 bleiben"})
    assert done.status_code == 303, done.text
    assert till.pull_all()["cards"][card["id"]]["balance"] == 250  # −20.00 corrected by 22,50


def test_an_unknown_conflict_or_page_is_a_page_that_says_so(client: TestClient, engine: Engine) -> None:
    sign_in(client, engine, "anna@example.com", "admin")
    missing = client.get("/console/conflicts/cf_nothing")
    assert missing.status_code == 404 and "<h1>" in missing.text
    bad_cursor = client.get("/console/conflicts?status=open&after=cf_nothing")
    assert bad_cursor.status_code == 400 and "<h1>" in bad_cursor.text
    assert client.get("/console/conflicts?status=whatever").status_code == 200  # the open ones
