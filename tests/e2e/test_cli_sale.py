"""``pos-app sell`` at the counter of a standalone shop: the price paid and the payment method on the entry and on
the receipt, the shop's rule that lets cashiers sell, and refusals with their keys."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import CASHIER_PIN, Shop


def _unsold(shop: Shop) -> list[str]:
    return shop.codes("Winter")[1:]  # the template sold the first


def test_a_sale_records_price_and_payment_and_prints_them_on_the_receipt(shop: Shop, tmp_path: Path) -> None:
    code = _unsold(shop)[0]
    receipt = tmp_path / "sale.txt"
    sold = shop.ok("sell", code, "--price", "40.00", "--payment", "card", "--receipt", receipt, "--json").json()
    assert (sold["amount"], sold["price"], sold["payment"]) == (5000, 4000, "card")
    text = receipt.read_text(encoding="utf-8")
    assert "GIFT CARD SOLD" in text
    assert any(line.startswith("Card value") and line.endswith("€50.00") for line in text.splitlines())
    assert any(line.startswith("Price paid") and line.endswith("€40.00") for line in text.splitlines())
    assert any(line.startswith("Paid by") and line.endswith("Card") for line in text.splitlines())
    shown = shop.ok("sell", _unsold(shop)[1], "--no-print")  # cash unless told otherwise, at the card's value
    assert "Paid €50.00 by cash" in shown.out


def test_a_price_above_the_value_is_refused_with_its_key(shop: Shop) -> None:
    refused = shop.run("sell", _unsold(shop)[0], "--price", "60.00", "--payment", "cash")
    assert refused.code == 1 and "invalid_amount" in refused.err
    bad = shop.run("sell", _unsold(shop)[0], "--payment", "cheque")
    assert bad.code == 2  # not a payment method: a usage error


def test_cashiers_sell_once_a_manager_lets_them(shop: Shop) -> None:
    first, second = _unsold(shop)[:2]
    refused = shop.run("sell", first, "--json", pin=CASHIER_PIN)
    assert refused.code == 1 and refused.json()["error"]["key"] == "forbidden"
    assert shop.run("policy", "set", "--cashiers-sell", "yes", pin=CASHIER_PIN).code == 1
    shop.ok("policy", "set", "--cashiers-sell", "yes")
    sold = shop.ok("sell", first, "--payment", "cash", "--json", "--no-print", pin=CASHIER_PIN).json()
    assert (sold["price"], sold["payment"]) == (5000, "cash")
    shop.ok("policy", "set", "--cashiers-sell", "no")
    assert shop.run("sell", second, pin=CASHIER_PIN).code == 1
