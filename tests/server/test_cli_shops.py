"""``pos-server shop``, ``device`` and ``user`` through the real command line: shops, enrolment codes for a shop,
the tills with their shop, last sight and unsynced entries, a till's own limits, revocation, and the people of the
tills — each change reaching the tills by pull."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from tests.server.conftest import TestClient, person
from tests.server.harness import HttpTill, pos_server
from tests.server.test_cli_head_office import refused


def _enrol(client: TestClient, engine: Engine, code: str, name: str) -> HttpTill:
    response = client.post("/sync/v1/enrol", json={"code": code, "device_name": name})
    assert response.status_code == 200, response.text
    body = response.json()
    return HttpTill(client, body["token"], body["device_id"], operator_id=person(engine))


def test_shops_codes_for_a_shop_and_its_tills(client: TestClient, engine: Engine, db_url: str) -> None:
    dublin = pos_server(db_url, "shop", "add", "Grafton Street", "--zone", "Europe/Dublin", "--address",
                        "1 Grafton St", "--json").json()
    assert (dublin["name"], dublin["time_zone"], dublin["address"]) == ("Grafton Street", "Europe/Dublin",
                                                                        "1 Grafton St")
    refused(pos_server(db_url, "shop", "add", "grafton street", "--zone", "Europe/Dublin", check=False),
            "duplicate_found")
    refused(pos_server(db_url, "shop", "add", "Moon", "--zone", "Moon/Base", check=False), "invalid_payload")
    only = pos_server(db_url, "device", "enrol-code", "--json").json()  # the only shop, unless told
    assert only["shop"] == "Grafton Street"
    pos_server(db_url, "shop", "add", "Queen Street", "--zone", "Pacific/Auckland")
    refused(pos_server(db_url, "device", "enrol-code", check=False), "invalid_payload")  # which of the two?
    code = pos_server(db_url, "device", "enrol-code", "--shop", "queen street", "--json").json()
    assert code["shop"] == "Queen Street"
    assert "for Queen Street:" in pos_server(db_url, "device", "enrol-code", "--shop", "Queen Street").out

    till = _enrol(client, engine, code["code"], "front till")
    assert till.pull()["store"]["time_zone"] == "Pacific/Auckland"
    listed = {s["name"]: s["tills"] for s in pos_server(db_url, "shop", "list", "--json").json()}
    assert listed == {"Grafton Street": 0, "Queen Street": 1}
    (device,) = pos_server(db_url, "device", "list", "--json").json()
    assert (device["id"], device["name"], device["shop"]) == (till.device_id, "front till", "Queen Street")
    assert device["last_seen_at"] is not None and device["unsynced"] is None
    shown = pos_server(db_url, "device", "list", "--shop", "Queen Street").out
    assert "Queen Street  front till  last seen 20" in shown and "unsynced unknown" in shown
    assert pos_server(db_url, "device", "list", "--shop", "Grafton Street", "--json").json() == []

    own = pos_server(db_url, "device", "limits", till.device_id, "--per-redemption", "20.00", "--json").json()
    assert (own["per_redemption"], own["per_device_unsynced"], own["own"]) == (2_000, 50_000, ["per_redemption"])
    assert till.pull()["limits"]["per_redemption"] == 2_000
    assert "20.00 EUR  (this till's)" in pos_server(db_url, "device", "limits", till.device_id).out
    pos_server(db_url, "device", "limits", till.device_id, "--chain", "per_redemption")
    assert till.pull()["limits"]["per_redemption"] == 10_000

    moved = pos_server(db_url, "device", "move", till.device_id, "--shop", "Grafton Street", "--json").json()
    assert moved["shop"] == "Grafton Street"
    assert till.pull()["store"]["time_zone"] == "Europe/Dublin"
    pos_server(db_url, "shop", "edit", "Grafton Street", "--zone", "Europe/Lisbon", "--name", "Grafton St.")
    assert till.pull()["store"]["time_zone"] == "Europe/Lisbon"

    pos_server(db_url, "device", "revoke", till.device_id)
    response = client.get("/sync/v1/pull", headers=till.headers)
    assert (response.status_code, response.json()["key"]) == (401, "device_revoked")
    assert "revoked" in pos_server(db_url, "device", "list").out


def test_the_people_of_the_tills_are_disabled_and_given_new_pins(db_url: str, till: HttpTill) -> None:
    cursor = till.pull_all()["cursor"]
    carl = pos_server(db_url, "user", "disable", "Carl", "--json").json()
    assert (carl["name"], carl["active"]) == ("Carl", False)
    page = till.pull_all(cursor)
    assert [(u["name"], u["active"]) for u in page["users"].values()] == [("Carl", False)]
    before = page["users"][carl["id"]]["pin_hash"]
    pos_server(db_url, "user", "enable", carl["id"])
    pos_server(db_url, "user", "reset-pin", "Carl", "--pin", "4321")
    after: dict[str, Any] = till.pull_all(page["cursor"])["users"][carl["id"]]
    assert after["active"] and after["pin_hash"] != before
    refused(pos_server(db_url, "user", "disable", "Nobody", check=False), "not_found")
    refused(pos_server(db_url, "user", "reset-pin", "Carl", "--pin", "12", check=False), "invalid_payload")


def test_reports_and_the_ledger_name_shops_and_tills(client: TestClient, engine: Engine, db_url: str,
                                                     till: HttpTill, card: dict[str, Any]) -> None:
    pos_server(db_url, "shop", "add", "Cork", "--zone", "Europe/Dublin")
    code = pos_server(db_url, "device", "enrol-code", "--json").json()["code"]
    cork = _enrol(client, engine, code, "counter")
    assert cork.authorise("redeem", card["code"], 700).json()["result"] == "SUCCESS"
    assert till.authorise("redeem", card["code"], 300).json()["result"] == "SUCCESS"
    shown = pos_server(db_url, "report", "redemptions").out
    assert "Cork / counter" in shown and "till 1" in shown  # a till of no shop: its name alone
    only_cork = pos_server(db_url, "report", "redemptions", "--shop", "Cork", "--json").json()
    assert [(r["device_id"], r["redeemed"]) for r in only_cork["per_till"]] == [(cork.device_id, 700)]
    history = pos_server(db_url, "card", "show", card["code"]).out
    assert "Cork / counter" in history and cork.device_id not in history
