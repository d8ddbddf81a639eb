"""Enrolment with one-time codes, and the device token on every request."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import Engine

from pos_app.server.cli import main
from pos_app.server.ledger import now
from pos_app.services.setup import host_zone_name
from tests.server.conftest import TestClient, new_code
from tests.server.harness import HttpTill


def _enrol(client: TestClient, code: str, name: str = "till") -> tuple[int, dict[str, object]]:
    response = client.post("/sync/v1/enrol", json={"code": code, "device_name": name})
    assert response.headers["content-type"] == "application/json"
    return response.status_code, response.json()


def test_a_code_enrols_one_till_and_returns_its_token_store_and_limits(client: TestClient, engine: Engine) -> None:
    status, body = _enrol(client, new_code(engine), "front till")
    assert status == 200
    assert str(body["device_id"]).startswith("dev_")
    assert len(str(body["token"])) >= 40
    assert body["store"] == {"name": "Head Office", "currency": "EUR", "locale": "en_US",
                             "time_zone": host_zone_name()}
    assert body["limits"] == {"per_redemption": 10_000, "per_device_unsynced": 50_000,
                              "max_offline_seconds": 86_400, "max_card_age_seconds": 259_200,
                              "max_balance": 500_000, "max_per_operation": 250_000,  # head office's maxima
                              "cashiers_sell": False}  # and its rule: only managers sell


def test_a_code_is_single_use(client: TestClient, engine: Engine) -> None:
    code = new_code(engine)
    assert _enrol(client, code)[0] == 200
    status, body = _enrol(client, code)
    assert (status, body["key"]) == (401, "enrol_code_used")


def test_an_expired_code_is_refused(client: TestClient, engine: Engine) -> None:
    code = new_code(engine, at=now() - timedelta(hours=24, seconds=1))
    status, body = _enrol(client, code)
    assert (status, body["key"]) == (401, "enrol_code_expired")


def test_a_code_made_23_hours_ago_still_works(client: TestClient, engine: Engine) -> None:
    assert _enrol(client, new_code(engine, at=now() - timedelta(hours=23)))[0] == 200


def test_a_wrong_code_is_refused(client: TestClient, engine: Engine) -> None:
    new_code(engine)
    status, body = _enrol(client, "ABCD-EFGH-JKMN")
    assert (status, body["key"]) == (401, "unauthorized")


def test_a_code_may_be_typed_in_lower_case_without_hyphens(client: TestClient, engine: Engine) -> None:
    code = new_code(engine)
    assert _enrol(client, code.replace("-", " ").lower())[0] == 200


def test_requests_without_a_token_are_refused(client: TestClient) -> None:
    for response in (client.get("/sync/v1/pull"), client.post("/sync/v1/push", json={"entries": []}),
                     client.get("/sync/v1/pull", headers={"Authorization": "Basic abc"}),
                     client.get("/sync/v1/conflicts", headers={"Authorization": "Bearer "})):
        assert response.status_code == 401
        assert response.json()["key"] == "unauthorized"
        assert response.headers["www-authenticate"] == "Bearer"


def test_an_unknown_token_is_refused(client: TestClient) -> None:
    response = client.get("/sync/v1/pull", headers={"Authorization": "Bearer not-a-token"})
    assert (response.status_code, response.json()["key"]) == (401, "unauthorized")


def test_a_missing_token_is_refused_before_the_body_is_read(client: TestClient) -> None:
    response = client.post("/sync/v1/authorise", content=b"{not json")
    assert (response.status_code, response.json()["key"]) == (401, "unauthorized")


def test_health_needs_no_token(client: TestClient) -> None:
    response = client.get("/sync/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_a_revoked_till_is_refused_and_others_are_not(client: TestClient, till: HttpTill, till2: HttpTill,
                                                      db_url: str) -> None:
    assert till.http.get("/sync/v1/pull", headers=till.headers).status_code == 200
    result = CliRunner().invoke(main, ["device", "revoke", till.device_id, "--db", db_url, "--json"])
    assert result.exit_code == 0, result.output
    for response in (till.http.get("/sync/v1/pull", headers=till.headers),
                     till.authorise("redeem", "GC-ANY", 100),
                     till.push([])):
        assert response.status_code == 401
        assert response.json()["key"] == "device_revoked"
    assert till2.http.get("/sync/v1/pull", headers=till2.headers).status_code == 200
