"""Hostile input stops at the edge of the REAL server process (over HTTP): bodies too large or not JSON, fields
out of their lengths and ranges; one bad request never fails another's; no full card code in the log.

Each refusal is a 4xx with a Voucherify key, applies nothing (the ledger's next page is empty, the card's balance
unchanged), and leaves the other tills' requests answered as if it had never come.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from pos_app.server.edge import DEFAULT_MAX_BODY
from tests.server.harness import HttpTill, ServerProcess, add_user, enrol_codes, pos_server, running_server, utcnow

MiB = 1024 * 1024


@dataclass
class Shop:
    server: ServerProcess
    tills: list[HttpTill]
    cards: list[dict[str, Any]]  # sold, 50.00 EUR each


@contextmanager
def shop(db_url: str, tills: int = 2, cards: int = 2) -> Iterator[Shop]:
    """The real server with a manager, ``tills`` enrolled tills and ``cards`` sold cards of 50.00."""
    with running_server(db_url) as server:
        manager = add_user(db_url, "Mia", "manager", "9876")["id"]
        enrolled = [HttpTill.enrol(server.url, code, f"till {i}", operator_id=manager)
                    for i, code in enumerate(enrol_codes(db_url, tills))]
        pos_server(db_url, "campaign", "create", "--name", "Edge", "--amount", "50.00", "--count", str(cards))
        fresh = list(enrolled[0].pull_all()["cards"].values())
        sold = []
        for card in fresh:
            answer = enrolled[0].authorise("sell", card["code"]).json()
            assert answer["result"] == "SUCCESS", answer
            sold.append(answer["card"])
        try:
            yield Shop(server, enrolled, sold)
        finally:
            for till in enrolled:
                till.http.close()


def refused(response: Any, status: int, key: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["key"] == key and set(body) == {"code", "key", "message", "details", "request_id"}, body
    return body


def unchanged(shop: Shop, cursor: int) -> None:
    """Nothing was applied since ``cursor``: no change at all on the server's ledger."""
    page = shop.tills[0].pull(cursor)
    assert (page["entries"], page["cards"], page["next_cursor"]) == ([], [], cursor)


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def raw_request(url: str, head: str, send_body: Any) -> tuple[bytes, int]:
    """Send ``head`` then what ``send_body(sock)`` sends, until the server answers; the answer and bytes sent."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(head.encode("latin-1"))
        sent = send_body(sock)
        sock.settimeout(30)
        answer = b""
        while b"\r\n\r\n" not in answer or not _complete(answer):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer, sent


def _complete(answer: bytes) -> bool:
    head, _, body = answer.partition(b"\r\n\r\n")
    length = re.search(rb"(?i)content-length:\s*(\d+)", head)
    return length is not None and len(body) >= int(length.group(1))


def stream_until_answered(total: int, chunked: bool) -> Any:
    """Send up to ``total`` bytes of a JSON-looking body in 64 KiB pieces, stopping as soon as an answer comes."""
    piece = b"[" + b"0," * (32 * 1024 - 1) + b"0"  # 64 KiB

    def send(sock: socket.socket) -> int:
        sent = 0
        sock.setblocking(False)
        try:
            while sent < total:
                data = b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece
                view = memoryview(data)
                while view:
                    try:
                        view = view[sock.send(view):]
                    except BlockingIOError:
                        if _readable(sock, 0.05):
                            return sent
                if _readable(sock, 0):
                    return sent
                sent += len(piece)
        except (BrokenPipeError, ConnectionResetError):
            return sent
        finally:
            sock.setblocking(True)
        return sent

    return send


def _readable(sock: socket.socket, timeout: float) -> bool:
    import select

    return bool(select.select([sock], [], [], timeout)[0])


def status_and_body(answer: bytes) -> tuple[int, dict[str, Any]]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


# ---- bodies ------------------------------------------------------------------------------------------------

def test_a_200_mib_body_is_413_before_it_is_read(db_url: str) -> None:
    with running_server(db_url) as server:
        before = rss_kib(server.process.pid)
        for path in ("/sync/v1/enrol", "/sync/v1/push", "/sync/v1/authorise", "/sync/v1/nowhere"):
            head = (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {200 * MiB}\r\n\r\n")
            answer, sent = raw_request(server.url, head, stream_until_answered(200 * MiB, chunked=False))
            status, body = status_and_body(answer)
            assert (status, body["key"]) == (413, "request_too_large"), (path, answer[:300])
            assert sent < 16 * MiB  # answered at once: what was sent is what the sockets' buffers took
        assert rss_kib(server.process.pid) - before < 20 * 1024  # the body was never held (it used to be 1.3 GB)


def test_a_body_without_a_length_is_cut_off_at_the_limit(db_url: str) -> None:
    with running_server(db_url) as server:
        before = rss_kib(server.process.pid)
        head = ("POST /sync/v1/enrol HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Transfer-Encoding: chunked\r\n\r\n")
        answer, sent = raw_request(server.url, head, stream_until_answered(200 * MiB, chunked=True))
        status, body = status_and_body(answer)
        assert (status, body["key"]) == (413, "request_too_large"), answer[:300]
        assert DEFAULT_MAX_BODY <= sent < DEFAULT_MAX_BODY + 16 * MiB
        assert rss_kib(server.process.pid) - before < 60 * 1024
        # and the server serves the next request as ever
        assert raw_request(server.url, "GET /sync/v1/health HTTP/1.1\r\nHost: x\r\n\r\n",
                           lambda sock: 0)[0].startswith(b"HTTP/1.1 200")


def test_a_body_that_is_not_json_is_415(db_url: str) -> None:
    with shop(db_url, tills=1, cards=1) as s:
        till = s.tills[0]
        cursor = till.pull_all()["cursor"]

        def body() -> bytes:
            till.seq += 1
            return json.dumps({"op": "redeem", "entry_id": str(uuid.uuid4()), "code": s.cards[0]["code"],
                               "amount": 100, "currency": "EUR", "created_at": utcnow().isoformat(),
                               "device_seq": till.seq, "operator_id": till.operator_id}).encode()

        for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1",
                             None):
            headers = {**till.headers, **({"Content-Type": content_type} if content_type else {})}
            response = till.http.post("/sync/v1/authorise", content=body(), headers=headers)
            refused(response, 415, "unsupported_media_type")
        for content_type in ("application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"):
            response = till.http.post("/sync/v1/authorise", content=body(),
                                      headers={**till.headers, "Content-Type": content_type})
            assert response.json()["result"] == "SUCCESS", response.text
        assert len(till.pull(cursor)["entries"]) == 3  # the three JSON ones, nothing of the others


# ---- fields ------------------------------------------------------------------------------------------------

MEGABYTE_TEXT = "x" * 1_000_000


def _hostile_authorisations(code: str) -> dict[str, dict[str, Any]]:
    return {
        "year 1": {"created_at": "0001-01-01T00:30:00+01:00"},
        "year 9999": {"created_at": "9999-12-31T23:30:00-05:00"},
        "no offset": {"created_at": "2026-01-01T10:00:00"},
        "amount 10**15-1": {"op": "top_up", "amount": 10**15 - 1},
        "amount 2**63": {"amount": 2**63},
        "device_seq 2**63": {"device_seq": 2**63},
        "device_seq -1": {"device_seq": -1},
        "1 MB reason": {"reason": MEGABYTE_TEXT},
        "1 MB order_ref": {"order_ref": MEGABYTE_TEXT},
        "65-character operator_id": {"operator_id": "u" * 65},
        "1 MB code": {"code": code + MEGABYTE_TEXT},
        "currency eur": {"currency": "eur"},
    }


def hostile_authorisation(till: HttpTill, code: str, fields: dict[str, Any]) -> Any:
    """A redemption of 1.00 of ``code`` with ``fields`` instead of what the till would send."""
    rest = dict(fields)
    return till.authorise(rest.pop("op", "redeem"), rest.pop("code", code), rest.pop("amount", 100), **rest)


def _hostile_entries(till: HttpTill, card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    def entry(**fields: Any) -> dict[str, Any]:
        return till.offline_entry(card, "CREDITS_REDEMPTION", -100, **fields)

    return {
        "year 1": entry(created_at="0001-01-01T00:00:00+00:00"),
        "year 9999": entry(created_at="9999-12-31T23:59:59+00:00"),
        "balance_after 2**63": entry(balance_after=2**63),
        "balance_after 10**15": entry(balance_after=10**15),
        "amount 10**15-1": till.offline_entry(card, "CREDITS_ADDITION", 10**15 - 1, operator_id=None),
        "device_seq 2**63": entry(device_seq=2**63),
        "server_seq 2**64": entry(server_seq=2**64),
        "1 MB reason": entry(reason=MEGABYTE_TEXT),
        "1 MB order_ref": entry(order_ref=MEGABYTE_TEXT),
        "65-character operator_id": entry(operator_id="u" * 65),
        "65-character device_id": entry(device_id="d" * 65),
        "101-character code": entry(code="C" * 101),
        "65-character error_key": entry(error_key="e" * 65),
    }


def test_fields_out_of_their_lengths_and_ranges_are_400_and_apply_nothing(db_url: str) -> None:
    with shop(db_url, tills=1, cards=1) as s:
        till, card = s.tills[0], s.cards[0]
        cursor = till.pull_all()["cursor"]
        for what, fields in _hostile_authorisations(card["code"]).items():
            body = refused(hostile_authorisation(till, card["code"], fields), 400, "invalid_payload")
            assert len(body["details"]) <= 2000, what
        for what, entry in _hostile_entries(till, card).items():
            refused(till.push([entry]), 400, "invalid_payload")
            good = till.offline_entry(card, "CREDITS_REDEMPTION", -100)
            refused(till.push([good, entry]), 400, "invalid_payload")  # one bad entry: the batch is not read
            assert what
        unchanged(s, cursor)
        assert till.pull_all()["cards"][card["id"]]["balance"] == 5000
        log = s.server.output()
        assert "Traceback" not in log and "internal error" not in log, log[-3000:]
        assert card["code"] not in log


def test_a_bad_request_amid_good_ones_from_other_tills_leaves_them_all_answered(db_url: str) -> None:
    """On PostgreSQL one over-long operator_id used to fail a whole batch of other tills' requests (500s)."""
    with shop(db_url, tills=4, cards=3) as s:
        good, bad = s.tills[:3], s.tills[3]
        outcomes: Counter[str] = Counter()
        lock = threading.Lock()
        stop = threading.Event()
        start = threading.Barrier(4)

        def spend(till: HttpTill, card: dict[str, Any]) -> None:
            start.wait()
            for _ in range(20):
                response = till.authorise("redeem", card["code"], 100)
                with lock:
                    outcomes[f"{response.status_code} {response.json().get('result')}"] += 1
            for _ in range(5):
                entry = till.offline_entry(card, "CREDITS_REDEMPTION", -10)
                response = till.push([entry])
                with lock:
                    outcomes[f"push {response.status_code} {response.json()['results'][0]['outcome']}"] += 1

        def attack() -> None:
            start.wait()
            n = 0
            while not stop.is_set():
                n += 1
                hostile = [{"operator_id": "u" * 65}, {"operator_id": "u" * 100_000}, {"reason": MEGABYTE_TEXT},
                           {"created_at": "9999-12-31T23:59:59+00:00"}, {"amount": 2**63}]
                response = hostile_authorisation(bad, s.cards[n % 3]["code"], hostile[n % len(hostile)])
                entry = bad.offline_entry(s.cards[n % 3], "CREDITS_REDEMPTION", -100, operator_id="u" * 65)
                pushed = bad.push([entry])
                with lock:
                    outcomes[f"bad {response.status_code}"] += 1
                    outcomes[f"bad push {pushed.status_code}"] += 1

        threads = [threading.Thread(target=spend, args=(t, c)) for t, c in zip(good, s.cards, strict=True)]
        attacker = threading.Thread(target=attack)
        for t in [*threads, attacker]:
            t.start()
        for t in threads:
            t.join()
        stop.set()
        attacker.join()
        assert outcomes["200 SUCCESS"] == 60 and outcomes["push 200 stored"] == 15, outcomes
        assert outcomes["bad 400"] > 0 and outcomes["bad 400"] == outcomes["bad push 400"], outcomes
        assert set(outcomes) == {"200 SUCCESS", "push 200 stored", "bad 400", "bad push 400"}, outcomes
        cards = s.tills[0].pull_all()["cards"]
        assert [cards[c["id"]]["balance"] for c in s.cards] == [5000 - 20 * 100 - 5 * 10] * 3
        assert "Traceback" not in s.server.output()


# ---- the log -----------------------------------------------------------------------------------------------

def test_no_full_card_code_reaches_the_log_of_a_run_with_errors(db_url: str) -> None:
    with shop(db_url, tills=1, cards=2) as s:
        till = s.tills[0]
        known = [c["code"] for c in s.cards]
        guessed = [f"GUESS-{uuid.uuid4().hex[:12].upper()}" for _ in range(5)]
        for code in guessed:
            assert till.authorise("redeem", code, 100).json()["error"]["key"] == "not_found"
        for code in known:
            till.authorise("redeem", code, 10**6)  # refused by the card's rules
            till.authorise("redeem", code, 100, created_at="9999-01-01T00:00:00+00:00")
            till.push([till.offline_entry(s.cards[0], "CREDITS_REDEMPTION", -100, code=code, balance_after=2**63)])
        time.sleep(0.2)
        log = s.server.output()
        assert "failed card lookup" in log  # something was logged about these codes …
        for code in known + guessed:
            assert code not in log and code[-8:] not in log  # … and never more than the last four characters
