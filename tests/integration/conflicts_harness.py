"""A real central server with one open sync conflict, for the tests of the till's conflict client and page.

:func:`server_with_conflict` starts ``pos-server serve`` (tests/server/harness.py) on a SQLite file, adds a
manager (PIN 9876) and a cashier (PIN 1234), makes a €50 card, sells it online through till A, and then lets two
tills (A and B, plain HTTP) each push an offline €30 redemption of it: the card is overdrawn by €20, frozen, and
one conflict is open. A spare enrolment code is left for a real till (the page's test enrols one).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.server.harness import HttpTill, ServerProcess, add_user, enrol_codes, pos_server, running_server

MANAGER_PIN, CASHIER_PIN = "9876", "1234"
CARD_AMOUNT, OFFLINE_SPEND = 5000, 3000


@dataclass
class ConflictServer:
    server: ServerProcess
    db_url: str
    manager_id: str
    cashier_id: str
    code: str  # the overdrawn card
    token: str  # till A's device token (for a SyncClient)
    spare_code: str  # an unused enrolment code

    @property
    def url(self) -> str:
        return self.server.url


@contextmanager
def server_with_conflict(folder: Path) -> Iterator[ConflictServer]:
    db_url = f"sqlite:///{folder / 'server.sqlite3'}"
    with running_server(db_url) as server:
        manager = add_user(db_url, "Maria", "manager", MANAGER_PIN)
        cashier = add_user(db_url, "Chris", "cashier", CASHIER_PIN)
        pos_server(db_url, "campaign", "create", "--name", "Winter", "--amount", "50.00", "--count", "1")
        code_a, code_b, spare = enrol_codes(db_url, 3)
        with HttpTill.enrol(server.url, code_a, "Till A", operator_id=manager["id"]) as till_a, \
                HttpTill.enrol(server.url, code_b, "Till B", operator_id=cashier["id"]) as till_b:
            (card,) = till_a.pull_all()["cards"].values()
            sold = till_a.authorise("sell", card["code"], CARD_AMOUNT)
            assert sold.status_code == 200 and sold.json()["result"] == "SUCCESS", sold.text
            card = sold.json()["card"]
            for till in (till_a, till_b):  # each till, offline, saw €50 on it and took €30
                pushed = till.push([till.offline_entry(card, "CREDITS_REDEMPTION", -OFFLINE_SPEND)])
                assert pushed.status_code == 200, pushed.text
            yield ConflictServer(server=server, db_url=db_url, manager_id=manager["id"], cashier_id=cashier["id"],
                                 code=card["code"], token=till_a.token, spare_code=spare)
