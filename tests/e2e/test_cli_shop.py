"""A shop's day on the command line: set up, sell, redeem until spent, refuse, top up, refund, disable, export."""

from __future__ import annotations

import csv
import io

import pytest

from pos_app.store import open_store
from tests.e2e.conftest import CASHIER_PIN, Shop
from tests.integration.test_sync_store import merged_offline_history


def test_a_card_from_campaign_to_export(shop: Shop, tmp_path) -> None:
    created = shop.ok("campaign", "create", "--name", "Spring", "--amount", "50.00", "--count", "20",
                      "--json").json()
    assert created["vouchers_count"] == 20 and created["amount"] == 5000
    exported = csv.DictReader(io.StringIO(shop.ok("export", "vouchers", "--out", "-").out))
    vouchers = [row for row in exported if row["campaign"] == "Spring"]
    assert len(vouchers) == 20
    code = vouchers[0]["code"]
    assert code.startswith("GC-") and vouchers[0]["active"] in {"false", "False"}

    sold = shop.ok("sell", code, "--json").json()
    assert sold["type"] == "CREDITS_ADDITION" and sold["remaining_balance"] == 5000

    paid = shop.ok("redeem", code, "12.50", "--json", pin=CASHIER_PIN).json()
    assert paid["amount"] == -1250 and paid["remaining_balance"] == 3750
    assert paid["operator_id"] != sold["operator_id"], "every entry records who did it"

    refused = shop.run("redeem", code, "40.00", "--json", pin=CASHIER_PIN)
    assert refused.code == 1
    assert refused.json()["error"]["key"] == "gift_amount_exceeded"
    assert "gift_amount_exceeded" in refused.err and "Traceback" not in refused.err

    shop.ok("topup", code, "10.00", "--reason", "birthday")
    shown = shop.ok("card", "show", code, "--json").json()
    assert shown["balance"] == 4750 and shown["loaded"] == 6000 and shown["redeemed"] == 1250
    assert [e["result"] for e in shown["entries"]][:2] == ["SUCCESS", "FAILURE"]

    back = shop.ok("refund", paid["id"], "--json").json()
    assert back["type"] == "CREDITS_REFUND" and back["remaining_balance"] == 6000
    again = shop.run("refund", paid["id"])
    assert again.code == 1 and "already_rolled_back" in again.err

    shop.ok("correct", code, "-5.00", "--reason", "till count")
    assert shop.ok("card", "show", code, "--json").json()["balance"] == 5500

    shop.ok("disable", code)
    blocked = shop.run("redeem", code, "1.00", pin=CASHIER_PIN)
    assert blocked.code == 1 and "voucher_disabled" in blocked.err
    shop.ok("enable", code)
    assert shop.ok("redeem", code, "55.00", "--json", pin=CASHIER_PIN).json()["remaining_balance"] == 0

    out = tmp_path / "tx.csv"
    shop.ok("export", "transactions", "--out", str(out))
    kinds = [row["type"] for row in csv.DictReader(out.open())]
    assert kinds.count("CREDITS_REDEMPTION") == 2  # transactions are what moved money: the two paid
    redemptions = list(csv.DictReader(io.StringIO(shop.ok("export", "redemptions", "--out", "-").out)))
    assert {r["status"] for r in redemptions} == {"ROLLED_BACK", "FAILED", "SUCCEEDED"}

    liability = shop.ok("report", "liability", "--json").json()
    assert liability["balanced"] is True


def test_cashier_sees_masked_codes_and_cannot_manage(shop: Shop, sold_card: str) -> None:
    shown = shop.ok("card", "show", sold_card, "--json", pin=CASHIER_PIN).json()
    assert shown["code"].startswith("••••") and sold_card not in shop.run("card", "show", sold_card,
                                                                         pin=CASHIER_PIN).out
    for args in (["topup", sold_card, "5.00"], ["disable", sold_card], ["sell", sold_card],
                 ["correct", sold_card, "-1.00", "--reason", "x"], ["export", "vouchers", "--out", "-"]):
        result = shop.run(*args, pin=CASHIER_PIN)
        assert result.code == 1 and "forbidden" in result.err, args


def test_a_typed_code_is_forgiven_its_case_and_spaces(shop: Shop, sold_card: str) -> None:
    typed = sold_card.lower().replace("-", " ")
    assert shop.ok("card", "show", typed, "--json").json()["balance"] == 5000


def test_import_keeps_codes_exactly_and_round_trips(shop: Shop, tmp_path) -> None:
    source = tmp_path / "cards.csv"
    source.write_text("Code,Value,Gift Balance,Active\nAbc-001,2500,1000,true\nabc-001,500,500,false\n")
    shop.ok("import", str(source))
    assert shop.ok("card", "show", "Abc-001", "--json").json()["balance"] == 1000
    assert shop.ok("card", "show", "abc-001", "--json").json()["status"] == "disabled"
    missing = shop.run("card", "show", "ABC-001")
    assert missing.code == 1 and "not_found" in missing.err


@pytest.mark.parametrize(("name", "data", "where"), [
    ("latin1.csv", "code,value\ncafé-1,100\n".encode("latin-1"), "line 2"),
    ("utf16.csv", "code,value\nA-1,100\n".encode("utf-16-le"), "line 1"),
    ("deep.json", b"[" * 100_000 + b"]" * 100_000, "line 1"),
    ("huge.csv", b"code,value\nA-1,100\nA-2," + b"9" * 5000 + b"\n", "line 3"),
    ("huge.json", b'[{"code": "A-1", "gift": {"amount": ' + b"9" * 5000 + b"}}]", "line 1"),
    ("string.json", b'[{"code": "A-1", "gift": {"amount": "100"}}]', "item 1"),
])
def test_an_unreadable_import_is_refused_naming_its_line_not_an_internal_error(
        shop: Shop, tmp_path, name: str, data: bytes, where: str) -> None:
    before = shop.ledger_size()
    (source := tmp_path / name).write_bytes(data)
    refused = shop.run("import", str(source))
    assert refused.code == 1 and "invalid_import" in refused.err and f"{where}: invalid_" in refused.err, refused.err
    assert shop.ledger_size() == before


def test_a_utf16_file_with_its_byte_order_mark_imports(shop: Shop, tmp_path) -> None:
    (source := tmp_path / "excel.csv").write_bytes("Code;Value\r\nÄpfel-1;700\r\n".encode("utf-16"))
    shop.ok("import", str(source))
    assert shop.ok("card", "show", "Äpfel-1", "--json").json()["balance"] == 700


def test_imported_cards_do_not_count_as_todays_redemptions(shop: Shop, sold_card: str, tmp_path) -> None:
    """An import writes a redemption for the balance a card had used in another system: no payment made here."""
    rows = "".join(f"Old-{i},5000,{1000 + i}\n" for i in range(5))
    (source := tmp_path / "old.csv").write_text("code,value,gift_balance\n" + rows)
    shop.ok("import", str(source))
    shop.ok("redeem", sold_card, "12.00", pin=CASHIER_PIN)

    report = shop.ok("report", "redemptions", "--json").json()

    assert [(t["count"], t["redeemed"]) for t in report["totals"]] == [(1, 1200)]
    assert sum(day["count"] for day in report["per_day"]) == 1
    liability = shop.ok("report", "liability", "--json").json()
    assert liability["balanced"]  # the cards' own redeemed totals keep the balance used before the import


def test_card_show_lists_merged_offline_entries_in_the_ledgers_order_agreeing_with_the_card(
        shop: Shop, sold_card: str) -> None:
    store = open_store(shop.data_dir)
    try:
        uow = store.unit_of_work()
        with uow:
            _top_up, ours, theirs = merged_offline_history(uow, sold_card)
            uow.commit()
    finally:
        store.close()

    shown = shop.ok("card", "show", sold_card, "--json").json()
    text = shop.ok("card", "show", sold_card).out

    ids = [e["id"] for e in shown["entries"]]
    assert ids.index(str(ours.id)) + 1 == ids.index(str(theirs.id))
    assert shown["balance"] == shown["entries"][0]["running_balance"] == -1500
    newest = text.split("Recent entries (newest first):\n")[1].splitlines()[0]
    assert newest.split("→")[1].split()[0] == "-€15.00", text


@pytest.mark.parametrize(("options", "tail"), [(("--postfix", "-2026", "--length", "10"), "-2026"),
                                               (("--prefix", "SHOP-2026-", "--length", "10"), ""),
                                               (("--pattern", "####-####-XMAS"), "-XMAS")])
def test_masks_show_the_part_of_the_code_that_differs_on_receipts_and_screens(
        shop: Shop, tmp_path, options: tuple[str, ...], tail: str) -> None:
    """Issue 13: every card of a ``--postfix -2026`` campaign was ``•••• 2026`` for the cashier."""
    shop.ok("campaign", "create", "--name", "Fixed", "--amount", "20.00", "--count", "3", *options)
    codes = shop.codes("Fixed")
    shown = set()
    for number, code in enumerate(codes):
        assert code.endswith(tail)
        expected = f"•••• {code.removesuffix(tail)[-4:]}"
        shop.ok("sell", code)
        receipt = tmp_path / f"receipt-{number}.txt"
        redeemed = shop.ok("redeem", code, "1.00", "--no-print", "--receipt", str(receipt), pin=CASHIER_PIN)
        assert f"card {expected} ·" in redeemed.out
        assert expected in receipt.read_text(encoding="utf-8")
        card = shop.ok("card", "show", code, "--json", pin=CASHIER_PIN).json()
        assert card["code"] == card["entries"][0]["code"] == expected
        assert f"Card      {expected}" in shop.ok("card", "show", code, pin=CASHIER_PIN).out
        shown.add(expected)
    assert len(shown) == len(codes) == 3


def test_the_till_window_without_a_display_says_so_instead_of_hanging(tmp_path) -> None:
    shop = Shop(tmp_path / "till")  # the command runs without DISPLAY or QT_QPA_PLATFORM
    result = shop.run("--demo", pin=None)
    assert result.code == 1 and "no display" in result.err and "Traceback" not in result.err


def test_a_redemption_is_refunded_in_parts_twice_on_the_command_line(shop: Shop, sold_card: str) -> None:
    """Two items of one purchase come back: two part refunds, then all that is left; never more than it took."""
    paid = shop.ok("redeem", sold_card, "30.00", "--json", pin=CASHIER_PIN).json()
    first = shop.ok("refund", paid["id"], "--amount", "10.00", "--reason", "one item back", "--json").json()
    second = shop.ok("refund", paid["id"], "--amount", "5.00", "--reason", "another", "--json").json()
    assert (first["amount"], first["remaining_balance"]) == (1000, 3000)
    assert (second["amount"], second["remaining_balance"]) == (500, 3500)
    beyond = shop.run("refund", paid["id"], "--amount", "15.01", "--json")
    assert beyond.code == 1 and beyond.json()["error"]["key"] == "gift_amount_exceeded"
    assert "15.00" in beyond.json()["error"]["details"]  # what is left of it, named
    rest = shop.ok("refund", paid["id"], "--json").json()  # no amount: all that is left
    assert (rest["amount"], rest["remaining_balance"]) == (1500, 5000)
    done = shop.run("refund", paid["id"], "--amount", "0.01")
    assert done.code == 1 and "already_rolled_back" in done.err
    redemptions = list(csv.DictReader(io.StringIO(shop.ok("export", "redemptions", "--out", "-").out)))
    (row,) = [r for r in redemptions if r["id"] == paid["id"]]
    assert (row["status"], row["refunded_amount"]) == ("ROLLED_BACK", "3000")
