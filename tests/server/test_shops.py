"""Shops group tills: a till enrolled with a shop's code joins it and works in its time zone; head office sees when
each till was last seen and what it still holds unsynced, and may give a till limits of its own."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from pos_app.domain import errors
from pos_app.server import auth, shops, tills
from pos_app.server.auth import sha256
from pos_app.server.authorise_io import CoreStatements
from pos_app.server.db.engine import read, write
from pos_app.server.ledger import now
from pos_app.services.setup import host_zone_name
from tests.server.conftest import TestClient, new_code, person
from tests.server.harness import HttpTill


def _shop(engine: Engine, name: str, zone: str) -> shops.Shop:
    return write(engine, lambda conn: shops.add_shop(conn, name=name, time_zone=zone, address="1 Main St", at=now()))


def _enrolled(client: TestClient, engine: Engine, shop: shops.Shop | None, name: str = "till"
              ) -> tuple[HttpTill, dict[str, Any]]:
    """A till enrolled with a code for ``shop``, and the server's answer."""
    code = write(engine, lambda conn: auth.make_enrol_code(conn, now(), None if shop is None else shop.id)).code
    response = client.post("/sync/v1/enrol", json={"code": code, "device_name": name})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return HttpTill(client, body["token"], body["device_id"], operator_id=person(engine)), body


def _enrol_at(client: TestClient, engine: Engine, shop: shops.Shop | None, name: str = "till") -> HttpTill:
    return _enrolled(client, engine, shop, name)[0]


def test_a_shop_has_a_unique_name_and_a_real_time_zone(engine: Engine) -> None:
    made = _shop(engine, "Grafton Street", "Europe/Dublin")
    assert (made.name, made.time_zone, made.address) == ("Grafton Street", "Europe/Dublin", "1 Main St")
    with pytest.raises(errors.DuplicateFound):
        _shop(engine, "grafton  street", "Europe/Dublin")
    with pytest.raises(errors.InvalidPayload):
        _shop(engine, "Galway", "Europe/Galway")
    with pytest.raises(errors.InvalidPayload):
        _shop(engine, "   ", "Europe/Dublin")
    _shop(engine, "Cork", "Europe/Dublin")
    assert [s.name for s in read(engine, shops.list_shops)] == ["Cork", "Grafton Street"]
    assert [s.name for s in read(engine, lambda conn: shops.list_shops(conn, after="Cork"))] == ["Grafton Street"]
    assert read(engine, lambda conn: shops.find_shop(conn, "GRAFTON STREET")).id == made.id
    moved = write(engine, lambda conn: shops.edit_shop(conn, made.id, time_zone="Europe/Lisbon", address=""))
    assert (moved.name, moved.time_zone, moved.address) == ("Grafton Street", "Europe/Lisbon", None)


def test_a_till_enrolled_with_a_shops_code_joins_it_and_works_in_its_zone(client: TestClient, engine: Engine) -> None:
    auckland = _shop(engine, "Queen Street", "Pacific/Auckland")
    till, enrolled = _enrolled(client, engine, auckland, "front till")
    assert enrolled["store"]["time_zone"] == "Pacific/Auckland"
    assert till.pull()["store"] == {"name": "Head Office", "currency": "EUR", "locale": "en_US",
                                    "time_zone": "Pacific/Auckland"}
    found = read(engine, lambda conn: tills.get_till(conn, till.device_id))
    assert (found.shop_name, found.name, found.label) == ("Queen Street", "front till", "Queen Street / front till")
    # the server decides this till's online operations in that zone too
    first = read(engine, lambda conn: CoreStatements(conn).first(sha256(till.token), "x", None, "NONE", now()))
    assert first is not None and str(first.zone) == "Pacific/Auckland"
    assert str(read(engine, lambda conn: shops.till_zone(conn, till.device_id))) == "Pacific/Auckland"
    # a shop's new zone reaches its tills with their next pull
    write(engine, lambda conn: shops.edit_shop(conn, auckland.id, time_zone="Pacific/Chatham"))
    assert till.pull()["store"]["time_zone"] == "Pacific/Chatham"


def test_a_till_without_a_shop_keeps_the_stores_zone(client: TestClient, engine: Engine) -> None:
    till = _enrol_at(client, engine, None)
    assert till.pull()["store"]["time_zone"] == host_zone_name()
    assert read(engine, lambda conn: tills.get_till(conn, till.device_id)).label == "till"


def test_a_tills_own_limits_reach_it_the_others_keep_the_chains(client: TestClient, engine: Engine) -> None:
    shop = _shop(engine, "Cork", "Europe/Dublin")
    one, other = _enrol_at(client, engine, shop, "one"), _enrol_at(client, engine, shop, "other")
    write(engine, lambda conn: tills.set_own_limits(conn, one.device_id, {"per_redemption": 2_000,
                                                                          "max_offline_seconds": 3_600}, now()))
    limits = one.pull()["limits"]
    assert (limits["per_redemption"], limits["max_offline_seconds"], limits["per_device_unsynced"]) == \
        (2_000, 3_600, 50_000)
    assert other.pull()["limits"]["per_redemption"] == 10_000
    write(engine, lambda conn: tills.set_own_limits(conn, one.device_id, {"per_redemption": None}, now()))
    assert (one.pull()["limits"]["per_redemption"], one.pull()["limits"]["max_offline_seconds"]) == (10_000, 3_600)
    with pytest.raises(errors.InvalidAmount):
        write(engine, lambda conn: tills.set_own_limits(conn, one.device_id, {"per_redemption": -1}, now()))
    with pytest.raises(errors.InvalidPayload):
        write(engine, lambda conn: tills.set_own_limits(conn, one.device_id, {"max_balance": 1}, now()))


def test_a_till_is_seen_with_the_entries_it_says_it_holds(client: TestClient, engine: Engine) -> None:
    till = _enrol_at(client, engine, _shop(engine, "Cork", "Europe/Dublin"))
    fresh = read(engine, lambda conn: tills.get_till(conn, till.device_id))
    assert (fresh.last_seen_at, fresh.unsynced) == (None, None)
    before = now()
    till.pull()  # a till older than the header: seen, its unsynced entries unknown
    seen = read(engine, lambda conn: tills.get_till(conn, till.device_id))
    assert seen.last_seen_at is not None and seen.last_seen_at >= before and seen.unsynced is None
    response = client.get("/sync/v1/pull", headers={**till.headers, "X-Unsynced-Entries": "3"})
    assert response.status_code == 200
    assert read(engine, lambda conn: tills.get_till(conn, till.device_id)).unsynced == 3
    response = client.post("/sync/v1/push", json={"entries": []}, headers={**till.headers, "X-Unsynced-Entries": "0"})
    assert response.status_code == 200
    assert read(engine, lambda conn: tills.get_till(conn, till.device_id)).unsynced == 0
    refused = client.get("/sync/v1/pull", headers={**till.headers, "X-Unsynced-Entries": "many"})
    assert (refused.status_code, refused.json()["key"]) == (400, "invalid_payload")


def test_a_tills_sight_is_noted_at_most_every_half_minute_unless_its_count_changes() -> None:
    at = now()
    assert tills.note_due(None, None, at=at, unsynced=None)
    assert not tills.note_due(at - timedelta(seconds=10), 2, at=at, unsynced=2)
    assert not tills.note_due(at - timedelta(seconds=10), 2, at=at, unsynced=None)
    assert tills.note_due(at - timedelta(seconds=10), 2, at=at, unsynced=1)
    assert tills.note_due(at - tills.SEEN_EVERY, 2, at=at, unsynced=2)


def test_an_online_authorisation_notes_the_till_as_seen(client: TestClient, engine: Engine) -> None:
    till = _enrol_at(client, engine, _shop(engine, "Cork", "Europe/Dublin"))
    answer = client.post("/sync/v1/authorise", headers={**till.headers, "X-Unsynced-Entries": "5"}, json={
        "op": "redeem", "entry_id": "00000000-0000-4000-8000-000000000001", "code": "NO-SUCH-CARD", "amount": 100,
        "currency": "EUR", "created_at": now().isoformat(), "device_seq": 1, "operator_id": till.operator_id})
    assert answer.status_code == 200
    found = read(engine, lambda conn: tills.get_till(conn, till.device_id))
    assert found.last_seen_at is not None and found.unsynced == 5


def test_a_revoked_till_is_refused_and_listed_as_revoked(client: TestClient, engine: Engine) -> None:
    till = _enrol_at(client, engine, _shop(engine, "Cork", "Europe/Dublin"), "stolen")
    till.pull()
    write(engine, lambda conn: auth.revoke(conn, till.device_id, now()))
    response = client.get("/sync/v1/pull", headers=till.headers)
    assert (response.status_code, response.json()["key"]) == (401, "device_revoked")
    (listed,) = read(engine, tills.list_tills)
    assert listed.revoked_at is not None and listed.shop_name == "Cork"


def test_tills_page_by_name(client: TestClient, engine: Engine) -> None:
    shop = _shop(engine, "Cork", "Europe/Dublin")
    for name in ("c", "a", "b"):
        _enrol_at(client, engine, shop, name)
    new_code(engine)
    first = read(engine, lambda conn: tills.list_tills(conn, shop_id=shop.id, limit=2))
    assert [t.name for t in first] == ["a", "b"]
    rest = read(engine, lambda conn: tills.list_tills(conn, shop_id=shop.id, after=first[-1].id))
    assert [t.name for t in rest] == ["c"]
