"""The console's card pages over HTTP (the application in-process, on SQLite and PostgreSQL): the search box, the card
page with its whole code, each operation behind its permission and through the services, every POST audited with
the code masked, a refusal shown on the page with what was typed. The browser tests are ``tests/console``."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import Engine, select

from pos_app.server import lookups
from pos_app.server.console import users
from pos_app.server.db.console_models import console_audit
from pos_app.server.db.engine import read, write
from pos_app.server.db.models import failed_lookups
from pos_app.server.ledger import now
from pos_app.server.uow import ServerUnitOfWork
from tests.server.conftest import make_cards, totals_add_up
from tests.server.harness import HttpTill

PASSWORD = "correct horse battery"
_HASH = users.hash_password(PASSWORD, n=2**4)  # cheap: these tests are about the cards
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Console:
    """A browser's session with the console, signed in as one role."""

    def __init__(self, client: Any, engine: Engine, role: str) -> None:
        self.client, self.email = client, f"{role}@example.org"
        write(engine, lambda conn: users.add_user(conn, email=self.email, role=role, password_hash=_HASH, at=now()))
        page = client.get("/console/login")
        token = _CSRF.search(page.text)
        assert token, page.text
        answer = client.post("/console/login", data={"email": self.email, "password": PASSWORD,
                                                     "csrf_token": token.group(1)}, follow_redirects=False)
        assert answer.status_code == 303, answer.text
        self.csrf = _CSRF.search(client.get("/console/cards").text).group(1)  # type: ignore[union-attr]

    def get(self, path: str) -> Any:
        return self.client.get(path)

    def post(self, path: str, **data: str) -> Any:
        return self.client.post(path, data={"csrf_token": self.csrf, **data}, follow_redirects=False)


def audit_lines(engine: Engine) -> list[dict[str, Any]]:
    return read(engine, lambda conn: [dict(r) for r in conn.execute(
        select(console_audit).order_by(console_audit.c.id)).mappings()])


def test_find_a_card_by_part_of_its_code_and_top_it_up(client: Any, engine: Engine, card: dict[str, Any]) -> None:
    admin = Console(client, engine, "admin")
    part = card["code"].replace("-", "")[6:12].lower()
    found = admin.post("/console/cards", q=part)
    assert found.status_code == 200 and f"/console/cards/{card['id']}" in found.text
    assert card["code"] not in found.text  # a list shows masked codes only
    whole = admin.post("/console/cards", q=card["code"].lower())
    assert whole.status_code == 303 and whole.headers["location"] == f"/console/cards/{card['id']}"
    page = admin.get(f"/console/cards/{card['id']}")
    assert card["code"] in page.text and page.headers["cache-control"] == "no-store"

    done = admin.post(f"/console/cards/{card['id']}/top-up", amount="12.50", reason="birthday")
    assert done.status_code == 303, done.text
    page = admin.get(f"/console/cards/{card['id']}")
    assert "€62.50" in page.text and "Topped up" in page.text and "admin@example.org" in page.text
    with ServerUnitOfWork(engine) as uow:
        server_card = uow.cards.get(card["id"])
        assert server_card is not None and server_card.balance == 6250
        (entry,) = uow.entries.for_card(card["id"], limit=1)
    assert entry.amount == 1250 and entry.operator_id is not None and entry.operator_id.startswith("console:")
    lines = audit_lines(engine)
    assert [(line["action"], line["outcome"]) for line in lines if line["action"].startswith("cards.")] == [
        ("cards.search", "ok"), ("cards.search", "ok"), ("cards.top_up", "ok")]
    assert all(card["code"] not in str(line) for line in lines)  # masked, in target and detail
    assert lines[-1]["target"] == "•••• " + card["code"][-4:]
    totals_add_up(engine)


def test_a_refusal_keeps_the_input_and_is_audited(client: Any, engine: Engine, card: dict[str, Any]) -> None:
    admin = Console(client, engine, "admin")
    refused = admin.post(f"/console/cards/{card['id']}/top-up", amount="12.505", reason="typo")
    assert refused.status_code == 400 and 'value="12.505"' in refused.text and 'role="alert"' in refused.text
    assert audit_lines(engine)[-1]["outcome"] == "refused"


def test_finance_sees_no_operations_and_a_forged_post_is_refused(client: Any, engine: Engine,
                                                                 card: dict[str, Any]) -> None:
    finance = Console(client, engine, "finance")
    page = finance.get(f"/console/cards/{card['id']}")
    assert page.status_code == 200 and "/correct" not in page.text and "/top-up" not in page.text
    forged = finance.post(f"/console/cards/{card['id']}/correct", direction="remove", amount="10", reason="x")
    assert forged.status_code == 403
    assert audit_lines(engine)[-1]["action"] == "cards.correct" and audit_lines(engine)[-1]["outcome"] == "refused"
    with ServerUnitOfWork(engine) as uow:
        assert uow.entries.for_card(card["id"], limit=1)[0].kind.value == "CREDITS_ADDITION"  # nothing done


def test_support_corrects_within_the_limit_only(client: Any, engine: Engine, card: dict[str, Any]) -> None:
    support = Console(client, engine, "support")
    page = support.get(f"/console/cards/{card['id']}")
    assert "/correct" in page.text and "/top-up" not in page.text and "at most €50.00" in page.text
    above = support.post(f"/console/cards/{card['id']}/correct", direction="remove", amount="50.01", reason="x")
    assert above.status_code == 403 and "more than your role may make" in above.text
    within = support.post(f"/console/cards/{card['id']}/correct", direction="remove", amount="50", reason="typed twice")
    assert within.status_code == 303
    assert "€0.00" in support.get(f"/console/cards/{card['id']}").text


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_disable_extend_and_publish(client: Any, engine: Engine, till: HttpTill, card: dict[str, Any]) -> None:
    admin = Console(client, engine, "admin")
    assert admin.post(f"/console/cards/{card['id']}/disable").status_code == 303
    assert till.authorise("redeem", card["code"], 100).json()["error"]["key"] == "voucher_disabled"
    assert admin.post(f"/console/cards/{card['id']}/enable").status_code == 303
    (dated,) = make_cards(engine, till, 1, expiration_date=now().replace(year=now().year + 1))
    refused = admin.post(f"/console/cards/{dated['id']}/extend", last_day="2020-01-01", reason="goodwill")
    assert refused.status_code == 400 and "later than the card" in refused.text
    extended = admin.post(f"/console/cards/{dated['id']}/extend", last_day=f"{now().year + 3}-06-30",
                          reason="goodwill")
    assert extended.status_code == 303, extended.text
    assert admin.post(f"/console/cards/{card['id']}/publish", source_id="crm-9", name="Ann",
                      email="ann@example.org").status_code == 303
    page = admin.get(f"/console/cards/{card['id']}")
    assert "crm-9" in page.text and "ann@example.org" in page.text
    actions = [line["action"] for line in audit_lines(engine)]
    assert actions[-5:] == ["cards.disable", "cards.enable", "cards.extend", "cards.extend", "cards.publish"]


def test_a_search_that_finds_nothing_is_the_console_users_failed_look_up(client: Any, engine: Engine,
                                                                         card: dict[str, Any]) -> None:
    support = Console(client, engine, "support")
    write(engine, lambda conn: lookups.set_lookup_limit(conn, failures=3))
    for guess in ("GC-AAAA-BBBB-CCCC-DDDD", "GC-AAAA-BBBB-CCCC-EEEE", "GC-AAAA-BBBB-CCCC-FFFF"):
        assert "Nothing was found" in support.post("/console/cards", q=guess).text
    rows = read(engine, lambda conn: conn.execute(select(failed_lookups)).mappings().all())
    assert {(r["caller"].startswith("console:"), r["channel"]) for r in rows} == {(True, "console")}
    assert [r["masked_code"] for r in rows] == ["•••• DDDD", "•••• EEEE", "•••• FFFF"]
    waiting = support.post("/console/cards", q=card["code"])  # even a right code waits now
    assert waiting.status_code == 429 and "Wait" in waiting.text and card["id"] not in waiting.text


def test_an_operation_without_the_csrf_token_does_nothing(client: Any, engine: Engine, card: dict[str, Any]) -> None:
    admin = Console(client, engine, "admin")
    forged = client.post(f"/console/cards/{card['id']}/top-up", data={"amount": "10"}, follow_redirects=False)
    assert forged.status_code == 403
    assert "€50.00" in admin.get(f"/console/cards/{card['id']}").text
