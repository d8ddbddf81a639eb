"""Bad input on the command line: a clear message and a non-zero exit, never a traceback, nothing recorded."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Shop

BAD_AMOUNTS = {
    "-5.00": "invalid_amount",
    "0": "invalid_amount",
    "0.00": "invalid_amount",
    "abc": "invalid_amount",
    "12.345": "invalid_amount",
    "1e3": "invalid_amount",
    "NaN": "invalid_amount",
    "99999999999999999999": "invalid_amount",
    "1,000.00": "invalid_amount",
    "": "missing_amount",
}


def _clean(result) -> None:
    assert result.code != 0
    assert "Traceback" not in result.err + result.out
    assert result.err.startswith("error: ") or "Error:" in result.err


@pytest.mark.parametrize("text", list(BAD_AMOUNTS))
def test_bad_amounts_are_refused_and_record_nothing(shop: Shop, sold_card: str, text: str) -> None:
    before = shop.ledger_size()
    result = shop.run("redeem", sold_card, text)
    _clean(result)
    assert BAD_AMOUNTS[text] in result.err
    assert shop.ledger_size() == before
    assert shop.ok("card", "show", sold_card, "--json").json()["balance"] == 5000


@pytest.mark.parametrize("code", [
    "GC-0000-0000-0000-0000",          # not our alphabet: unknown
    "NO-SUCH-CARD",
    "'; DROP TABLE cards; --",
    "A" * 5000,
    "GC\x1b[2J\x07",
    "   ",
])
def test_unknown_and_hostile_codes(shop: Shop, sold_card: str, code: str) -> None:
    before = shop.ledger_size()
    result = shop.run("redeem", code, "1.00")
    _clean(result)
    assert "not_found" in result.err or "invalid_code" in result.err
    assert shop.ledger_size() == before


def test_a_mistyped_readable_code_is_named_before_any_lookup(shop: Shop, sold_card: str) -> None:
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    wrong = alphabet[(alphabet.index(sold_card[5]) + 1) % len(alphabet)]
    typo = sold_card[:5] + wrong + sold_card[6:]
    result = shop.run("redeem", typo, "1.00")
    _clean(result)
    assert "invalid_code" in result.err and "check character" in result.err


def test_wrong_pin_then_lock_out(shop: Shop, sold_card: str) -> None:
    before = shop.ledger_size()
    for _ in range(5):
        result = shop.run("redeem", sold_card, "1.00", pin="1111")
        _clean(result)
        assert "unauthorized" in result.err
    locked = shop.run("redeem", sold_card, "1.00", pin="9876")
    _clean(locked)
    assert "locked_out" in locked.err
    assert shop.run("card", "show", sold_card, pin="9876").code == 1
    assert shop.ledger_size() == before


def test_missing_pin_is_a_clear_refusal(shop: Shop, sold_card: str) -> None:
    result = shop.run("redeem", sold_card, "1.00", pin=None)
    _clean(result)
    assert "unauthorized" in result.err


def test_commands_before_init_say_what_to_do(tmp_path) -> None:
    result = Shop(tmp_path / "empty").run("card", "show", "GC-AAAA")
    _clean(result)
    assert "store_not_initialised" in result.err or "unauthorized" in result.err


def test_init_refuses_bad_input(tmp_path) -> None:
    shop = Shop(tmp_path / "t")
    for args, key in (
        (["--currency", "EUT", "--manager-pin", "9876"], "invalid_amount"),
        (["--currency", "EUR", "--manager-pin", "12"], "invalid_payload"),
    ):
        result = shop.run("init", "--store-name", "X", *args, pin=None)
        _clean(result)
        assert key in result.err
    shop.ok("init", "--store-name", "X", "--currency", "eur", "--manager-pin", "9876", pin=None)
    again = shop.run("init", "--store-name", "Y", "--currency", "EUR", "--manager-pin", "9876", pin=None)
    _clean(again)
    assert "duplicate_found" in again.err
