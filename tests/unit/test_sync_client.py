"""The sync client against a fake transport: requests as the contract says, errors in the domain's terms, and
everything that is not a real answer from the server as ServerUnavailable (the till then stands in)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from pos_app.domain import errors
from pos_app.domain.cards import CardStatus, GiftCard
from pos_app.domain.ledger import EntryKind, EntryStatus
from pos_app.domain.money import Money
from pos_app.services import cards
from pos_app.services.online import OnlineOperation, ServerUnavailable
from pos_app.sync.authoriser import ServerAuthoriser
from pos_app.sync.client import TIMEOUT, SyncClient
from pos_app.sync.convert import card_from_wire, entry_from_wire, entry_to_wire
from pos_app.sync.schemas import AuthoriseRequest, WireCard
from pos_app.sync.units import Units
from tests.unit.conftest import Enrolled

T0 = datetime(2025, 6, 4, 10, 0, tzinfo=UTC)
Handler = Callable[[httpx.Request], httpx.Response]


def client(handler: Handler, token: str | None = "tok-123") -> SyncClient:
    return SyncClient("http://hq.example:8000/", token, transport=httpx.MockTransport(handler))


def answer(status: int, body: Any) -> Handler:
    return lambda request: httpx.Response(status, json=body)


def error_body(key: str, code: int = 400, details: str = "") -> dict[str, Any]:
    return {"code": code, "key": key, "message": f"the {key} message", "details": details, "request_id": "r1"}


def a_request() -> AuthoriseRequest:
    return AuthoriseRequest(op="redeem", entry_id=uuid.uuid4(), code="GC-AAAA", amount=100, currency="EUR",
                            created_at=T0, device_seq=7)


def wire_card(**fields: Any) -> dict[str, Any]:
    card = {"id": "v_1", "code": "GC-AAAA", "currency": "EUR", "status": "active", "loaded": 5000,
            "balance": 4900, "redeemed": 100, "refunded": 0, "validity_days": "024", "validity_start": "09:30",
            "metadata": {"a": 1}, "version": 3}
    card.update(fields)
    return card


# ---- requests --------------------------------------------------------------------------------------------------

def test_requests_carry_the_token_and_go_under_the_sync_prefix() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"status": "ok", "server_time": T0.isoformat()})

    assert client(handler).health().status == "ok"
    assert str(seen[0].url) == "http://hq.example:8000/sync/v1/health"
    assert seen[0].headers["authorization"] == "Bearer tok-123"


def test_pull_asks_from_the_cursor() -> None:
    seen: list[httpx.Request] = []
    page = {"cards": [wire_card()], "entries": [], "users": [], "limits": {}, "next_cursor": 12, "has_more": False,
            "store": {"name": "Shop", "currency": "EUR"}, "server_time": T0.isoformat()}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=page)

    got = client(handler).pull(5, limit=200)
    assert (seen[0].url.path, dict(seen[0].url.params)) == ("/sync/v1/pull", {"cursor": "5", "limit": "200"})
    assert got.next_cursor == 12 and got.limits.per_redemption == 10_000


def test_the_timeouts_are_short() -> None:
    assert (TIMEOUT.connect, TIMEOUT.read) == (2.0, 5.0)


# ---- errors ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("failure", "why"),
    [
        (httpx.ConnectError("connection refused"), "cannot reach"),
        (httpx.ConnectTimeout("slow"), "did not answer in time"),
        (httpx.ReadTimeout("slow"), "did not answer in time"),
        (httpx.RemoteProtocolError("closed"), "cannot reach"),
    ],
)
def test_network_failures_and_timeouts_mean_the_server_is_unavailable(failure: Exception, why: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise failure

    with pytest.raises(ServerUnavailable, match=why):
        client(handler).authorise(a_request())


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_a_5xx_means_the_server_is_unavailable(status: int) -> None:
    with pytest.raises(ServerUnavailable, match=f"HTTP {status}"):
        client(answer(status, error_body("internal", status))).push([])


@pytest.mark.parametrize(
    "handler",
    [
        lambda request: httpx.Response(200, text="<html>Welcome to the hotel wifi</html>"),
        lambda request: httpx.Response(200, json={"unexpected": True}),
        lambda request: httpx.Response(404, text="<html>Not found</html>"),
    ],
    ids=["captive portal", "not the protocol", "not the server"],
)
def test_an_answer_that_is_not_the_protocol_s_means_the_server_is_unavailable(handler: Handler) -> None:
    with pytest.raises(ServerUnavailable):
        client(handler).pull(0)


def test_a_revoked_till_is_told_so_not_offline() -> None:
    with pytest.raises(errors.DeviceRevoked) as caught:
        client(answer(401, error_body("device_revoked", 401, "revoked on 2025-06-01"))).pull(0)
    assert caught.value.details == "revoked on 2025-06-01"


@pytest.mark.parametrize(
    ("key", "status", "cls"),
    [
        ("unauthorized", 401, errors.Unauthorized),
        ("invalid_payload", 400, errors.InvalidPayload),
        ("duplicate_found", 409, errors.DuplicateFound),
        ("not_found", 404, errors.NotFound),
    ],
)
def test_refusals_become_the_domain_s_errors_by_key(key: str, status: int, cls: type[Exception]) -> None:
    with pytest.raises(cls):
        client(answer(status, error_body(key, status))).authorise(a_request())


def test_an_unknown_key_keeps_the_server_s_words() -> None:
    with pytest.raises(errors.GiftCardError) as caught:
        client(answer(422, error_body("brand_new_rule", 422, "details here"))).authorise(a_request())
    assert (caught.value.key, caught.value.code, caught.value.details) == ("brand_new_rule", 422, "details here")


def test_a_401_without_an_error_body_is_unauthorized() -> None:
    with pytest.raises(errors.Unauthorized):
        client(lambda request: httpx.Response(401, text="no")).pull(0)


def test_enrolment_sends_the_code_and_name_without_a_token() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"device_id": "dev_1", "token": "t", "server_time": T0.isoformat(),
                                         "store": {"name": "Shop", "currency": "EUR"}, "limits": {}})

    got = client(handler, token=None).enrol(" ABCD-EFGH ", "till one")
    assert json.loads(seen[0].content) == {"code": "ABCD-EFGH", "device_name": "till one"}
    assert "authorization" not in seen[0].headers
    assert got.device_id == "dev_1"
    with pytest.raises(errors.InvalidPayload):
        client(handler, token=None).enrol("ab", "till")


# ---- conversions -------------------------------------------------------------------------------------------------

def test_a_card_from_the_wire_is_the_domain_s_card() -> None:
    card = card_from_wire(WireCard.model_validate(wire_card(expiration_date="2026-01-01T00:00:00+00:00")))
    assert isinstance(card, GiftCard) and card.status is CardStatus.ACTIVE
    assert card.validity.days == frozenset({0, 2, 4}) and card.validity.start is not None
    assert card.expiration_date == datetime(2026, 1, 1, tzinfo=UTC) and card.metadata == {"a": 1}


def test_an_entry_round_trips_through_the_wire(enrolled: Enrolled) -> None:
    card = enrolled.card(5000)
    enrolled.server.offline = True
    entry = enrolled.redeem(enrolled.store.cashier, card.code, 100)
    wire = entry_to_wire(entry)
    assert (wire.kind, wire.status, wire.amount) == ("CREDITS_REDEMPTION", "provisional", -100)
    assert entry_from_wire(wire) == entry


# ---- the Authoriser over the client ----------------------------------------------------------------------------

class Recorder:
    """A fake server behind the transport: records the paths asked and answers push and authorise."""

    def __init__(self, enrolled: Enrolled, authorise: dict[str, Any]) -> None:
        self.enrolled = enrolled
        self.paths: list[str] = []
        self.pushed: list[dict[str, Any]] = []
        self.authorise = authorise

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert not self.enrolled.uow.is_open, "the till must not hold its store while it waits for the server"
        self.paths.append(request.url.path)
        if request.url.path.endswith("/push"):
            entries = json.loads(request.content)["entries"]
            self.pushed += entries
            return httpx.Response(200, json={"server_time": T0.isoformat(), "results": [
                {"id": e["id"], "outcome": "stored", "status": "confirmed", "server_seq": 50 + i}
                for i, e in enumerate(entries)]})
        return httpx.Response(200, json=self.authorise)


def authoriser(enrolled: Enrolled, server: Recorder) -> ServerAuthoriser:
    units = Units(write=lambda: enrolled.uow, read=lambda: enrolled.uow)
    return ServerAuthoriser(client(server), units, clock=enrolled.store.clock)


def test_the_outbox_reaches_the_server_before_it_is_asked_about_a_card(enrolled: Enrolled) -> None:
    card = enrolled.card(5000)
    enrolled.server.offline = True
    offline = enrolled.redeem(enrolled.store.cashier, card.code, 1000)
    refusal = {"result": "FAILURE", "error": error_body("gift_amount_exceeded"), "card": wire_card(
        id=card.id, code=card.code, balance=4000, redeemed=1000, loaded=5000, validity_days=None,
        validity_start=None, metadata={})}
    server = Recorder(enrolled, refusal)
    with pytest.raises(errors.GiftAmountExceeded):
        cards.redeem(enrolled.uow, enrolled.store.cashier, card.code, Money(4500, "EUR"),
                     authoriser=authoriser(enrolled, server))
    assert server.paths == ["/sync/v1/push", "/sync/v1/authorise"]
    assert [e["id"] for e in server.pushed] == [str(offline.id)]
    assert enrolled.outbox() == []
    pushed = enrolled.uow.entries.get(offline.id)
    assert pushed is not None and (pushed.status, pushed.server_seq) == (EntryStatus.CONFIRMED, 50)
    # Acknowledged, the offline 10.00 is in the server's balance and no longer taken off the cached one.
    assert enrolled.till_card(card.code).balance == 4000


def test_an_empty_outbox_costs_no_push(enrolled: Enrolled) -> None:
    server = Recorder(enrolled, {"result": "FAILURE", "error": error_body("not_found", 404)})
    operation = OnlineOperation(op="redeem", entry_id=uuid.uuid4(), code="GC-X", amount=1, currency="EUR",
                                operator_id=None, created_at=T0)
    outcome = authoriser(enrolled, server).authorise(operation)
    assert server.paths == ["/sync/v1/authorise"]
    assert outcome.error is not None and outcome.error.key == "not_found" and outcome.entry is None


def test_a_confirmed_answer_becomes_the_outcome(enrolled: Enrolled) -> None:
    entry_id = uuid.uuid4()
    body = {"result": "SUCCESS", "card": wire_card(), "entry": {
        "id": str(entry_id), "card_id": "v_1", "code": "GC-AAAA", "kind": "CREDITS_REDEMPTION", "amount": -100,
        "currency": "EUR", "balance_after": 4900, "created_at": T0.isoformat(), "device_id": "dev_1",
        "device_seq": 7, "status": "confirmed", "server_seq": 99}}
    operation = OnlineOperation(op="redeem", entry_id=entry_id, code="GC-AAAA", amount=100, currency="EUR",
                                operator_id="u_1", created_at=T0, device_seq=7)
    outcome = authoriser(enrolled, Recorder(enrolled, body)).authorise(operation)
    assert outcome.error is None and outcome.card is not None and outcome.entry is not None
    assert (outcome.entry.kind, outcome.entry.status, outcome.entry.server_seq) == (
        EntryKind.CREDITS_REDEMPTION, EntryStatus.CONFIRMED, 99)
    assert outcome.card.balance == 4900


def test_a_server_that_refuses_the_outbox_as_a_whole_cannot_decide_and_the_till_stands_in(enrolled: Enrolled
                                                                                          ) -> None:
    card = enrolled.card(5000)
    enrolled.server.offline = True
    enrolled.redeem(enrolled.store.cashier, card.code, 1000)
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.path)
        return httpx.Response(400, json=error_body("invalid_payload", 400, "entries.0.amount: too large"))

    units = Units(write=lambda: enrolled.uow, read=lambda: enrolled.uow)
    entry = cards.redeem(enrolled.uow, enrolled.store.cashier, card.code, Money(500, "EUR"),
                         authoriser=ServerAuthoriser(client(handler), units, clock=enrolled.store.clock))
    assert paths == ["/sync/v1/push"]
    assert entry.status is EntryStatus.PROVISIONAL
    assert len(enrolled.outbox()) == 2


def test_a_revoked_till_learns_it_from_the_push_too(enrolled: Enrolled) -> None:
    card = enrolled.card(5000)
    enrolled.server.offline = True
    enrolled.redeem(enrolled.store.cashier, card.code, 1000)
    units = Units(write=lambda: enrolled.uow, read=lambda: enrolled.uow)
    revoked = ServerAuthoriser(client(answer(401, error_body("device_revoked", 401))), units)
    with pytest.raises(errors.DeviceRevoked):
        cards.redeem(enrolled.uow, enrolled.store.cashier, card.code, Money(500, "EUR"), authoriser=revoked)
