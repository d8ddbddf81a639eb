"""Customers through the real ``pos-app`` command line: standalone, a card published here is found by its
customer's name, e-mail or phone; in a chain, a card published at one enrolled till through the real server
process is found by the customer's phone at another till that has pulled, while that till is offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import CASHIER_PIN, Shop
from tests.server.harness import add_user, enrol_codes, free_port, pos_server, running_server

MANAGER_PIN = "9876"


def test_standalone_publish_find_and_show(shop: Shop, sold_card: str) -> None:
    published = shop.ok("publish", sold_card, "--customer", "K-7", "--name", "Jürgen Groß", "--email",
                        "jg@example.de", "--phone", "0171 / 234 56 78", "--json").json()
    assert published["customer_id"] == published["customer"]["id"]
    assert published["customer"]["phone"] == "0171 / 234 56 78"

    found = shop.ok("customer", "find", "2345678", "--json", pin=CASHIER_PIN).json()  # a cashier may look
    assert [c["source_id"] for c in found] == ["K-7"]
    assert found[0]["balances"] == {"EUR": 5000}
    assert found[0]["vouchers"][0]["code"].startswith("••••")  # masked for a cashier
    assert shop.ok("customer", "find", "JÜRGEN", "--json").json()[0]["vouchers"][0]["code"] == sold_card
    text = shop.ok("customer", "show", "K-7").out
    assert "Jürgen Groß" in text and "jg@example.de" in text and "€50.00" in text

    assert "No customer matches" in shop.ok("customer", "find", "nobody").out
    refused = shop.run("publish", sold_card, "--customer", "K-8", "--name", "Other")
    assert refused.code != 0 and "voucher_already_published" in refused.err
    bad_phone = shop.run("publish", sold_card, "--customer", "K-7", "--phone", "ring me")
    assert bad_phone.code != 0 and "invalid_payload" in bad_phone.err
    cashier = shop.run("publish", sold_card, "--customer", "K-7", pin=CASHIER_PIN)
    assert cashier.code != 0 and "forbidden" in cashier.err


@pytest.mark.slow
def test_published_online_at_one_till_found_by_phone_at_another_offline(server_db: str, tmp_path: Path) -> None:
    port = free_port()
    till_a, till_b = Shop(tmp_path / "till-a"), Shop(tmp_path / "till-b")
    with running_server(server_db, port=port) as server:
        add_user(server_db, "Maria", "manager", MANAGER_PIN)
        add_user(server_db, "Chris", "cashier", CASHIER_PIN)
        pos_server(server_db, "campaign", "create", "--name", "Winter", "--amount", "50.00", "--count", "2")
        code_a, code_b = enrol_codes(server_db, 2)
        till_a.ok("enroll", "--server", server.url, "--code", code_a, "--name", "Till A", pin=None)
        till_b.ok("enroll", "--server", server.url, "--code", code_b, "--name", "Till B", pin=None)
        till_a.ok("sync", "--once")
        card, other = till_a.codes()
        till_a.ok("sell", card)

        cashier = till_a.run("publish", card, "--customer", "K-1", pin=CASHIER_PIN)
        assert cashier.code != 0 and "forbidden" in cashier.err  # refused at the till, before the server
        published = till_a.ok("publish", card, "--customer", "K-1", "--name", "Eva Example", "--phone",
                              "+49 171 555 0101", "--json").json()
        customer_id = published["customer"]["id"]
        assert published["customer_id"] == customer_id
        assert till_a.ok("customer", "find", "5550101", "--json").json()[0]["id"] == customer_id  # at once
        refused = till_a.run("publish", card, "--customer", "K-2", "--name", "Someone Else")
        assert refused.code != 0 and "voucher_already_published" in refused.err  # the server's refusal

        till_b.ok("sync", "--once")

    # The server is gone: till B still finds the card by its customer's phone, with its balance.
    found = till_b.ok("customer", "find", "171 555 01", "--json", pin=CASHIER_PIN).json()
    assert [c["id"] for c in found] == [customer_id]
    assert found[0]["name"] == "Eva Example" and found[0]["phone"] == "+49 171 555 0101"
    assert found[0]["balances"] == {"EUR": 5000} and len(found[0]["vouchers"]) == 1
    assert till_b.ok("customer", "show", "K-1", "--json").json()["vouchers"][0]["code"] == card
    offline = till_b.run("publish", other, "--customer", "K-1")  # nothing stands in for the server
    assert offline.code != 0 and "server_unavailable" in offline.err
    assert till_b.ok("customer", "show", "K-1", "--json").json()["vouchers"][0]["code"] == card
