"""The sync commands and the card commands of an enrolled till, through the real bootstrap, client and store,
against a small fake of the server's sync API served over real HTTP (the real server's tests are its own, and
the two together are the lead's end-to-end tests)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from click.testing import CliRunner

from pos_app.cli import main
from pos_app.domain import errors
from pos_app.domain.cards import CardStatus, GiftCard
from pos_app.domain.ledger import Entry, EntryStatus
from pos_app.domain.people import hash_pin
from pos_app.services.online import OnlineOperation
from pos_app.sync.convert import card_to_wire, entry_from_wire, entry_to_wire
from pos_app.sync.schemas import (
    AuthoriseRequest,
    AuthoriseResponse,
    ErrorBody,
    PullResponse,
    PushRequest,
    PushResponse,
    PushResult,
    StoreInfo,
    WireLimits,
    WireUser,
)
from tests.unit.fakes import FakeServer, FakeUnitOfWork

MANAGER_PIN, CASHIER_PIN = "9876", "1234"
ROOT = Path(__file__).resolve().parents[2]
CODE = "GC-TEST-CARD-0001"
ENROL_CODE = "ENROL-1234"


@dataclass
class HeadOffice:
    """The server's side of the protocol in memory: one card, two people, whatever the tills push."""

    decider: FakeServer = field(default_factory=lambda: FakeServer(FakeUnitOfWork(), "dev_till"))
    down: bool = False
    enrolments: int = 0
    pushed: dict[uuid.UUID, Entry] = field(default_factory=dict)
    users: list[WireUser] = field(default_factory=lambda: [
        WireUser(id="u_ann", name="Ann", role="manager", pin_hash=hash_pin(MANAGER_PIN, n=2**4)),
        WireUser(id="u_carl", name="Carl", role="cashier", pin_hash=hash_pin(CASHIER_PIN, n=2**4)),
    ])

    def card(self) -> GiftCard:
        return self.decider.cards[CODE]

    def answer(self, method: str, path: str, query: dict[str, list[str]], body: bytes) -> tuple[int, Any]:
        if self.down:
            return 503, {"code": 503, "key": "unavailable", "message": "down for maintenance"}
        now = datetime.now(UTC)
        if path == "/sync/v1/health":
            return 200, {"status": "ok", "server_time": now.isoformat()}
        if path == "/sync/v1/enrol":
            if json.loads(body)["code"] != ENROL_CODE or self.enrolments:
                return 404, ErrorBody(code=404, key="not_found", message="no such enrolment code").model_dump()
            self.enrolments += 1
            return 200, {"device_id": "dev_till", "token": "secret", "server_time": now.isoformat(),
                         "store": {"name": "Head Office Shop", "currency": "EUR"}, "limits": {}}
        if path == "/sync/v1/authorise":
            return 200, self.authorise(AuthoriseRequest.model_validate_json(body)).model_dump(mode="json")
        if path == "/sync/v1/push":
            return 200, self.push(PushRequest.model_validate_json(body), now).model_dump(mode="json")
        if path == "/sync/v1/pull":
            cursor = int(query["cursor"][0])
            page = PullResponse(
                cards=[card_to_wire(self.card())] if cursor == 0 else [],
                entries=[entry_to_wire(e) for e in [*self.decider.entries.values(), *self.pushed.values()]]
                if cursor == 0 else [],
                users=self.users if cursor == 0 else [], limits=WireLimits(), next_cursor=1, has_more=False,
                store=StoreInfo(name="Head Office Shop", currency="EUR"), server_time=now)
            return 200, page.model_dump(mode="json")
        return 404, {"detail": "Not Found"}

    def authorise(self, req: AuthoriseRequest) -> AuthoriseResponse:
        outcome = self.decider.authorise(OnlineOperation(**{k: getattr(req, k) for k in (
            "op", "entry_id", "code", "amount", "currency", "operator_id", "created_at", "device_seq", "order_ref",
            "order_amount", "reason", "refund_of", "override_by")}))
        error = outcome.error
        return AuthoriseResponse(
            result="SUCCESS" if error is None else "FAILURE",
            entry=None if outcome.entry is None else entry_to_wire(outcome.entry),
            card=None if outcome.card is None else card_to_wire(outcome.card),
            error=None if error is None else ErrorBody(code=error.code, key=error.key, message=error.message,
                                                      details=error.details))

    def push(self, req: PushRequest, now: datetime) -> PushResponse:
        results = []
        for wire in req.entries:
            entry = self.pushed.get(wire.id)
            if entry is None:
                self.decider.seq += 1
                entry = replace(entry_from_wire(wire), status=EntryStatus.CONFIRMED, server_seq=self.decider.seq)
                self.pushed[wire.id] = entry
                self.card().apply(entry)
            results.append(PushResult(id=wire.id, outcome="stored", status="confirmed", server_seq=entry.server_seq))
        return PushResponse(results=results, server_time=now)


@pytest.fixture
def head_office() -> Iterator[tuple[HeadOffice, str]]:
    office = HeadOffice()
    office.decider.add(GiftCard(id="v_1", code=CODE, currency="EUR", status=CardStatus.ACTIVE, loaded=50_000,
                                balance=50_000, initial_amount=50_000))

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            url = urlparse(self.path)
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            status, payload = office.answer(self.command, url.path, parse_qs(url.query), body)
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _serve

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield office, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class Till:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.runner = CliRunner()

    def run(self, *args: str, pin: str | None = CASHIER_PIN) -> tuple[int, str]:
        env = {"POS_APP_PIN": pin} if pin else {}
        result = self.runner.invoke(main, ["--data-dir", str(self.data_dir), *args], env=env)
        return result.exit_code, result.output

    def ok(self, *args: str, pin: str | None = CASHIER_PIN) -> str:
        code, out = self.run(*args, pin=pin)
        assert code == 0, out
        return out

    def json(self, *args: str, pin: str | None = CASHIER_PIN) -> Any:
        return json.loads(self.ok(*args, "--json", pin=pin).splitlines()[-1])


def test_an_enrolled_till_redeems_online_stands_in_offline_and_syncs(head_office: tuple[HeadOffice, str],
                                                                    tmp_path: Path) -> None:
    office, url = head_office
    till = Till(tmp_path / "till")
    enrolled = till.json("enroll", "--server", url, "--code", ENROL_CODE, "--name", "till one", pin=None)
    assert (enrolled["device_id"], enrolled["store_name"], enrolled["sync"]["mode"]) == (
        "dev_till", "Head Office Shop", "online")
    status = till.json("status", pin=None)
    assert (status["mode"], status["unsynced"], status["server"]) == ("online", 0, url)

    online = till.json("redeem", CODE, "12.50")  # Carl, a cashier the till knows from the pull
    assert (online["status"], online["provisional"], online["remaining_balance"]) == ("confirmed", False, 48_750)
    assert office.card().balance == 48_750

    office.down = True
    out = till.ok("redeem", CODE, "20.00")
    assert "remaining balance €467.50" in out and "provisional" in out
    code, out = till.run("redeem", CODE, "150.00")
    assert code == 1 and "offline_limit_exceeded" in out
    overridden = till.json("redeem", CODE, "150.00", "--override-pin", MANAGER_PIN)
    assert (overridden["status"], overridden["override_by"]) == ("provisional", "u_ann")
    status = till.json("status", pin=None)
    assert (status["mode"], status["unsynced"]) == ("offline", 3)  # two redemptions and the refused attempt
    code, out = till.run("sync", "--once", pin=None)
    assert code == 1 and "offline" in out

    office.down = False
    synced = till.json("sync", "--once", pin=None)
    assert (synced["mode"], synced["unsynced"], synced["last_error"]) == ("online", 0, None)
    assert len(office.pushed) == 3
    assert office.card().balance == 48_750 - 2000 - 15_000
    shown = till.json("card", "show", CODE, pin=MANAGER_PIN)
    assert shown["balance"] == 31_750
    assert {e["status"] for e in shown["entries"]} == {"confirmed"}


def test_a_till_enrols_once(head_office: tuple[HeadOffice, str], tmp_path: Path) -> None:
    office, url = head_office
    till = Till(tmp_path / "till")
    till.ok("enroll", "--server", url, "--code", ENROL_CODE, pin=None)
    code, out = till.run("enroll", "--server", url, "--code", ENROL_CODE, pin=None)
    assert code == 1 and "duplicate_found" in out and "enrolled" in out
    assert office.enrolments == 1


def test_a_standalone_shop_with_sales_is_refused_before_the_code_is_spent(head_office: tuple[HeadOffice, str],
                                                                         tmp_path: Path) -> None:
    office, url = head_office
    till = Till(tmp_path / "shop")
    till.ok("init", "--store-name", "Corner", "--currency", "EUR", "--manager-pin", MANAGER_PIN, pin=None)
    till.ok("campaign", "create", "--name", "W", "--amount", "10.00", "--count", "1", pin=MANAGER_PIN)
    code = till.ok("export", "vouchers", "--out", "-", pin=MANAGER_PIN).splitlines()[1].split(",")[0]
    till.ok("sell", code, pin=MANAGER_PIN)
    code, out = till.run("enroll", "--server", url, "--code", ENROL_CODE, pin=MANAGER_PIN)
    assert code == 1 and "already has sales" in out
    assert office.enrolments == 0
    assert till.json("status", pin=None)["mode"] == "standalone"


def test_enrolling_a_shop_with_people_takes_a_managers_pin(head_office: tuple[HeadOffice, str],
                                                            tmp_path: Path) -> None:
    """Enrolment switches off the till's own people: only their manager may do it (issue 13). A new till, with
    nobody to switch off, enrols without a PIN (above)."""
    office, url = head_office
    till = Till(tmp_path / "shop")
    till.ok("init", "--store-name", "Corner", "--currency", "EUR", "--manager-pin", "5678", pin=None)
    till.ok("user", "add", "Dora", "--role", "cashier", "--new-pin", "4321", pin="5678")
    code, out = till.run("enroll", "--server", url, "--code", ENROL_CODE, pin=None)
    assert code == 1 and "unauthorized" in out
    code, out = till.run("enroll", "--server", url, "--code", ENROL_CODE, pin="0000")
    assert code == 1 and "unauthorized" in out
    code, out = till.run("enroll", "--server", url, "--code", ENROL_CODE, pin="4321")
    assert code == 1 and "forbidden" in out
    assert office.enrolments == 0 and till.json("status", pin=None)["mode"] == "standalone"
    enrolled = till.json("enroll", "--server", url, "--code", ENROL_CODE, pin="5678")
    assert enrolled["sync"]["mode"] == "online" and office.enrolments == 1


def test_a_wrong_code_and_an_absent_server_are_refused_with_their_keys(head_office: tuple[HeadOffice, str],
                                                                      tmp_path: Path) -> None:
    office, url = head_office
    till = Till(tmp_path / "till")
    code, out = till.run("enroll", "--server", url, "--code", "WRONG-CODE", pin=None)
    assert code == 1 and "not_found" in out
    office.down = True
    code, out = till.run("enroll", "--server", url, "--code", ENROL_CODE, pin=None)
    assert code == 1 and "server_unavailable" in out
    code, out = till.run("sync", "--once", pin=None)
    assert code == 1 and "not_enrolled" in out


def test_a_standalone_till_s_status(tmp_path: Path) -> None:
    till = Till(tmp_path / "shop")
    till.ok("init", "--store-name", "Corner", "--currency", "EUR", "--manager-pin", MANAGER_PIN, pin=None)
    status = till.json("status", pin=None)
    assert (status["mode"], status["server"], status["last_sync"]) == ("standalone", None, None)
    assert "standalone" in till.ok("status", pin=None)


def test_refusals_have_their_error_classes() -> None:
    assert errors.ERRORS_BY_KEY["not_enrolled"] is errors.NotEnrolled


def test_sync_runs_in_the_foreground_until_interrupted(head_office: tuple[HeadOffice, str], tmp_path: Path) -> None:
    office, url = head_office
    till = Till(tmp_path / "till")
    till.ok("enroll", "--server", url, "--code", ENROL_CODE, pin=None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "pos_app", "--data-dir", str(till.data_dir), "sync", "--interval", "0.2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("online · 0 unsynced")  # the first cycle, at once
        office.down = True
        assert proc.stdout.readline().startswith("offline")  # a change of state is printed when it happens
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Sync stopped." in err
