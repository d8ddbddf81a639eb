"""The head-office people page over HTTP against the real server: add (with refusals that keep the input), change a
role, disable (the sessions end), enable, set a new password; the console always keeps an administrator. And the
audit log's page: 50 lines a page by cursor, filters by person and action, every query on an index."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text

from pos_app.server.console import audit
from pos_app.server.console.viewer import Viewer
from pos_app.server.db.engine import write
from tests.console.conftest import PASSWORD, Console, csrf_of, sign_in_http


def _id_of(console: Console, email: str) -> str:
    found = {u["email"]: u["id"] for u in console.cli("console-user", "list", "--json").json()}
    return found[email]


def _flash(html: str) -> str:
    found = re.search(r'class="flash flash-\w+" role="\w+">([^<]*)<', html)
    return found.group(1).strip() if found else ""


@pytest.fixture
def admin(console: Console) -> Iterator[httpx.Client]:
    with console.http("admin") as http:
        yield http


def _post(http: httpx.Client, path: str, **data: str) -> httpx.Response:
    token = csrf_of(http.get("/console/head-office").text)
    return http.post(path, data={**data, "csrf_token": token})


def test_add_a_person_and_refusals_that_keep_what_was_typed(console: Console, admin: httpx.Client) -> None:
    added = _post(admin, "/console/head-office", email="Ola@Example.com", role="support", password="ola's password")
    assert added.status_code == 303 and added.headers["location"] == "/console/head-office"
    assert _flash(admin.get("/console/head-office").text) == "ola@example.com can sign in now, as Support."
    with console.http(email="ola@example.com", password="ola's password") as ola:
        assert ola.get("/console/dashboard").status_code == 200

    again = _post(admin, "/console/head-office", email="ola@example.com", role="finance", password="x" * 12)
    assert again.status_code == 409 and "That exists already" in again.text
    assert 'value="ola@example.com"' in again.text and '<option value="finance" selected>' in again.text
    short = _post(admin, "/console/head-office", email="pia@example.com", role="finance", password="short")
    assert short.status_code == 400 and "10 to 200" in short.text and 'value="pia@example.com"' in short.text
    assert "pia@example.com" not in {u["email"] for u in console.cli("console-user", "list", "--json").json()}


def test_disabling_a_person_ends_their_sessions_and_enabling_lets_them_back(
        console: Console, admin: httpx.Client) -> None:
    email = console.add_user("finance")
    user_id = _id_of(console, email)
    with console.http(email=email) as person:
        assert person.get("/console/dashboard").status_code == 200
        assert _post(admin, f"/console/head-office/{user_id}/disable").status_code == 303
        assert person.get("/console/dashboard").status_code == 303  # signed out at once
        assert sign_in_http(person, email).status_code == 401
        assert _post(admin, f"/console/head-office/{user_id}/enable").status_code == 303
        assert sign_in_http(person, email).status_code == 303


def test_a_new_role_applies_at_the_next_request(console: Console, admin: httpx.Client) -> None:
    email = console.add_user("support")
    with console.http(email=email) as person:
        assert person.get("/console/audit").status_code == 403
        answer = _post(admin, f"/console/head-office/{_id_of(console, email)}/role", role="finance")
        assert answer.status_code == 303
        assert _flash(admin.get("/console/head-office").text) == f"{email} is Finance now."
        assert person.get("/console/audit").status_code == 200


def test_a_new_password_ends_the_sessions_and_the_old_one_stops_working(
        console: Console, admin: httpx.Client) -> None:
    email = console.add_user("support")
    with console.http(email=email) as person:
        answer = _post(admin, f"/console/head-office/{_id_of(console, email)}/password", password="another password")
        assert answer.status_code == 303
        assert person.get("/console/dashboard").status_code == 303
        assert sign_in_http(person, email, PASSWORD).status_code == 401
        assert sign_in_http(person, email, "another password").status_code == 303


def test_the_last_administrator_can_be_neither_demoted_nor_disabled(console: Console, admin: httpx.Client) -> None:
    me = _id_of(console, console.users["admin"])
    for path, data in ((f"/console/head-office/{me}/role", {"role": "finance"}),
                       (f"/console/head-office/{me}/disable", {})):
        answer = _post(admin, path, **data)
        assert answer.status_code == 303
        assert "at least one active administrator" in _flash(admin.get("/console/head-office").text), path
    assert admin.get("/console/api-keys").status_code == 200  # still an administrator
    refusals = admin.get("/console/audit?action=head_office.disable").text
    assert "badge-off" in refusals and "key: last_administrator" in refusals
    refused = console.cli("console-user", "disable", console.users["admin"], check=False)
    assert refused.code == 1 and "at least one active administrator" in refused.err


# ---- the audit log's page -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def db(console: Console) -> Iterator[Engine]:
    engine = create_engine(console.db_url)
    yield engine
    engine.dispose()


def test_the_audit_log_pages_by_cursor_and_filters(console: Console, admin: httpx.Client, db: Engine) -> None:
    someone = Viewer(id="cu_test", email="pager@example.com", role="support", locale="en", csrf="")
    start = datetime(2026, 1, 1, tzinfo=UTC)

    def lines(conn: object) -> None:
        for n in range(120):
            audit.record(conn, someone, "cards.top_up" if n % 2 else "cards.correct", f"GC-****-{n:04d}",  # type: ignore[arg-type]
                         {"n": n}, at=start + timedelta(seconds=n))

    write(db, lines)
    seen: list[str] = []
    url = "/console/audit?user=cu_test"
    while url:
        page = admin.get(url)
        assert page.status_code == 200
        rows = re.findall(r"<td class=\"wrap\">(GC-\*\*\*\*-\d{4})</td>", page.text)
        assert len(rows) == (50 if len(seen) < 100 else 20)
        seen += rows
        found = re.search(r'<a href="([^"]+)" rel="next">', page.text)
        url = found.group(1).replace("&amp;", "&") if found else ""
    assert seen == [f"GC-****-{n:04d}" for n in reversed(range(120))]  # newest first, each once

    top_ups = admin.get("/console/audit?user=cu_test&action=cards.top_up").text
    shown = re.findall(r"<td class=\"wrap\">GC-\*\*\*\*-(\d{4})</td>", top_ups)
    assert len(shown) == 50 and all(int(n) % 2 for n in shown)
    assert 'rel="next"' in top_ups and "First page" not in top_ups


@pytest.mark.parametrize("filters", [{}, {"user_id": "cu_x"}, {"action": "login"}, {"user_id": "cu_x", "action": "a"}])
def test_every_audit_page_query_is_served_by_an_index(db: Engine, filters: dict[str, str]) -> None:
    from sqlalchemy.dialects import sqlite

    from pos_app.server.db.console_models import console_audit

    with db.connect() as conn:
        audit.page(conn, after=10, **filters)  # runs
        query = str(audit.page_query(after=10, **filters).compile(dialect=sqlite.dialect(),
                                                                   compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(r[-1]) for r in conn.execute(text(f"EXPLAIN QUERY PLAN {query}")))
    assert console_audit.name in plan and ("USING INDEX" in plan or "USING INTEGER PRIMARY KEY" in plan), plan
    assert "TEMP B-TREE" not in plan, plan  # no sort of the whole table


def test_a_persons_sign_ins_are_found_by_the_person_filter(console: Console, admin: httpx.Client) -> None:
    me = _id_of(console, console.users["admin"])
    page = admin.get(f"/console/audit?user={me}&action=login").text
    assert page.count("<code>login</code>") >= 1 and console.users["admin"] in page
