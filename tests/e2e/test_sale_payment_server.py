"""A cashier sells a card at an enrolled till, with the real central server: head office lets cashiers sell,
the till learns it by sync, and the price paid and the payment method reach the server's ledger both ways —
authorised online, and pushed after a sale made while the server was away. On SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.e2e.conftest import CASHIER_PIN, MANAGER_PIN, Shop
from tests.server.harness import add_user, enrol_code, free_port, pos_server, running_server


def _server_sale(db_url: str, entry_id: str) -> dict[str, object]:
    engine = create_engine(db_url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT amount, price, payment, origin, status FROM entries WHERE id = :i"),
                           {"i": entry_id}).mappings().one()
    engine.dispose()
    return dict(row)


@pytest.mark.slow
def test_a_cashiers_sales_reach_the_server_with_price_and_payment(server_db: str, tmp_path: Path) -> None:
    till = Shop(tmp_path / "till")
    port = free_port()
    with running_server(server_db, port=port) as server:
        add_user(server_db, "Maria", "manager", MANAGER_PIN)
        add_user(server_db, "Chris", "cashier", CASHIER_PIN)
        pos_server(server_db, "campaign", "create", "--name", "Winter", "--amount", "50.00", "--count", "3")
        till.ok("enroll", "--server", server.url, "--code", enrol_code(server_db), "--name", "Till A", pin=None)
        till.ok("sync", "--once")
        exported = csv.DictReader(io.StringIO(till.ok("export", "vouchers", "--out", "-").out))
        first, second = [row["code"] for row in exported][:2]

        refused = till.run("sell", first, "--payment", "cash", "--json", pin=CASHIER_PIN)
        assert refused.code == 1 and refused.json()["error"]["key"] == "forbidden"
        local = till.run("policy", "set", "--cashiers-sell", "yes")  # head office's rule, not the till's
        assert local.code == 1 and "managed_by_server" in local.err

        pos_server(server_db, "policy", "set", "--cashiers-sell", "yes")
        till.ok("sync", "--once")
        receipt = tmp_path / "online-sale.txt"
        online = till.ok("sell", first, "--price", "45.00", "--payment", "card", "--json", "--no-print",
                         "--receipt", receipt, pin=CASHIER_PIN).json()
        assert (online["status"], online["price"], online["payment"]) == ("confirmed", 4500, "card")
        printed = receipt.read_text(encoding="utf-8")  # the server's clock activated it, the till's dated it
        assert "GIFT CARD SOLD" in printed and "Price paid" in printed, printed
        assert _server_sale(server_db, online["id"]) == {"amount": 5000, "price": 4500, "payment": "card",
                                                         "origin": "online", "status": "confirmed"}

    offline = till.ok("sell", second, "--price", "40.00", "--payment", "other", "--json", "--no-print",
                      pin=CASHIER_PIN).json()
    assert (offline["status"], offline["price"], offline["payment"]) == ("provisional", 4000, "other")
    with running_server(server_db, port=port, init=False):
        till.ok("sync", "--once")
    assert _server_sale(server_db, offline["id"]) == {"amount": 5000, "price": 4000, "payment": "other",
                                                      "origin": "push", "status": "confirmed"}
