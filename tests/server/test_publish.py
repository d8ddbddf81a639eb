"""``POST /sync/v1/publish``: a till's manager gives a card to a customer through the server; the server checks
the operator like every sync endpoint, and every till learns the customer and the card by pull."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, text

from pos_app.server.db.migrate import downgrade, upgrade
from tests.server.conftest import CASHIER, make_cards, person
from tests.server.harness import HttpTill


def _publish(till: HttpTill, code: str, source_id: str, **fields: Any) -> Any:
    body = {"code": code, "source_id": source_id, "operator_id": till.operator_id} | fields
    return till.http.post("/sync/v1/publish", json=body, headers=till.headers)


def test_published_by_a_manager_and_pulled_by_every_till(engine: Engine, till: HttpTill, till2: HttpTill) -> None:
    (card,) = make_cards(engine, till, 1)
    cursor = till2.pull_all()["cursor"]
    answer = _publish(till, card["code"], "K-1", name="Eva", phone="+49 171 555 0101")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    customer = body["customer"]
    assert (customer["source_id"], customer["name"], customer["phone"]) == ("K-1", "Eva", "+49 171 555 0101")
    assert body["card"]["customer_id"] == customer["id"]

    page = till2.pull(cursor)
    assert page["customers"] == [customer]
    assert [c["customer_id"] for c in page["cards"]] == [customer["id"]]
    again = _publish(till, card["code"], "K-1").json()  # the same again: the same answer, nothing logged
    assert again["customer"] == customer
    assert till2.pull(page["next_cursor"])["customers"] == []
    renamed = _publish(till, card["code"], "K-1", email="eva@example.org").json()["customer"]
    assert renamed == customer | {"email": "eva@example.org"}
    assert till2.pull(page["next_cursor"])["customers"] == [renamed]


def test_refusals(engine: Engine, till: HttpTill) -> None:
    first, second = make_cards(engine, till, 2)
    assert _publish(till, first["code"], "K-1", name="Eva").status_code == 200
    taken = _publish(till, first["code"], "K-2")
    assert (taken.status_code, taken.json()["key"]) == (409, "voucher_already_published")
    unknown = _publish(till, "GC-NOPE-NOPE-NOPE", "K-1")
    assert (unknown.status_code, unknown.json()["key"]) == (404, "not_found")
    with engine.connect() as conn:  # counted as a failed lookup of that till
        assert conn.execute(text("SELECT count(*) FROM failed_lookups")).scalar_one() == 1
    phone = _publish(till, second["code"], "K-1", phone="ring me")
    assert (phone.status_code, phone.json()["key"]) == (400, "invalid_payload")

    till.operator_id = person(engine, CASHIER)
    cashier = _publish(till, second["code"], "K-1")
    assert (cashier.status_code, cashier.json()["key"]) == (403, "forbidden")
    till.operator_id = "u_nobody"
    nobody = _publish(till, second["code"], "K-1")
    assert (nobody.status_code, nobody.json()["key"]) == (403, "unknown_operator")
    stranger = till.http.post("/sync/v1/publish", json={"code": second["code"], "source_id": "K-1"})
    assert stranger.status_code == 401
    with engine.connect() as conn:
        assert conn.execute(text("SELECT customer_id FROM cards WHERE id = :i"), {"i": second["id"]}).scalar() is None


def test_the_upgrade_logs_every_customer_for_the_tills(engine: Engine, till: HttpTill) -> None:
    (card,) = make_cards(engine, till, 1)
    assert _publish(till, card["code"], "K-1", name="Eva").status_code == 200
    cursor = till.pull_all()["cursor"]
    downgrade(engine, "0005_change_log_sequence")
    upgrade(engine)
    page = till.pull(cursor)
    assert [(c["source_id"], c["name"], c["phone"]) for c in page["customers"]] == [("K-1", "Eva", None)]
